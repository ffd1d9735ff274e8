"""``escsim bench org-year``: run the org-year benchmark workload through the engine.

Every RECEIPT goes to ``--out`` as JSON Lines; the last line on stdout is a JSON summary with the
counts and the wall time of the run (generation and start-up excluded; the process's whole time
is what benchmarks/README.md compares).
"""

from __future__ import annotations

import argparse
import json
import sys

from engine.bench.orgyear import OrgYear, run_org_year
from engine.cli import exits

__all__ = ["add_arguments", "handle"]


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("workload", choices=["org-year"], help="the workload to run")
    parser.add_argument("--contacts", type=_positive, default=1000, metavar="C")
    parser.add_argument("--engagements", type=_positive, default=100_000, metavar="N")
    parser.add_argument("--seed", type=int, default=1, metavar="S")
    parser.add_argument(
        "--out", default="/dev/null", metavar="FILE", help="where RECEIPT records go"
    )
    parser.add_argument(
        "--emit-scenario",
        metavar="FILE",
        help="also write the workload as a scenario file (JSON, a YAML subset)",
    )


def _positive(text: str) -> int:
    value = int(text)
    if value < 10:
        raise argparse.ArgumentTypeError(f"must be at least 10 (got {text})")
    return value


def handle(args: argparse.Namespace) -> int:
    workload = OrgYear.generate(args.contacts, args.engagements, args.seed)
    if args.emit_scenario:
        _write(args.emit_scenario, json.dumps(workload.scenario(), indent=1) + "\n")
    try:
        sink = open(args.out, "w", encoding="utf-8")  # noqa: SIM115 (closed below)
    except OSError as exc:
        raise exits.CommandError(
            f"escsim bench: cannot write {args.out}: {exc.strerror or exc}", exits.BAD_FILE
        ) from None
    with sink:
        summary = run_org_year(workload, sink, args.seed)
    sys.stdout.write(json.dumps(summary) + "\n")
    return exits.OK


def _write(path: str, text: str) -> None:
    try:
        with open(path, "w", encoding="utf-8") as stream:
            stream.write(text)
    except OSError as exc:
        raise exits.CommandError(
            f"escsim bench: cannot write {path}: {exc.strerror or exc}", exits.BAD_FILE
        ) from None
