"""``escsim outbox`` and ``escsim events``: what the workspace's simulation sent and did.

``outbox`` lists every message sent, pages and activation codes, so a user can read a code as a
person would read their phone; ``events`` lists the event log. The records keep the shapes of
interfaces.md (JSON, JSON Lines, YAML); ``table`` and ``text`` give rows for people
(:mod:`engine.cli.record_views`).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Mapping, Sequence
from typing import TextIO

import yaml

from engine.cli import exits
from engine.cli import record_views as views
from engine.cli.control import add_target_arguments, client_for
from engine.cli.output import add_output_option

__all__ = ["add_arguments", "handle"]

OUTPUTS = {
    "json": "json (default): one indented JSON array of the records, times as epoch seconds",
    "jsonl": "jsonl: one compact JSON record per line",
    "yaml": "yaml: the same records as YAML",
    "table": "table: a table for people, instants in ISO 8601",
    "text": "text: one tab-separated line per record, instants in ISO 8601",
}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_target_arguments(parser)
    add_output_option(parser, "; ".join(OUTPUTS.values()), tuple(OUTPUTS))


def handle(args: argparse.Namespace) -> int:
    kind = "events" if args.command == "events" else "outbox"
    records = client_for(args, f"escsim {kind}").records(kind)
    _write(records, kind, args.output, sys.stdout)
    return exits.OK


def _write(records: Sequence[Mapping[str, object]], kind: str, output: str, stream: TextIO) -> None:
    if output == "jsonl":
        for record in records:
            stream.write(json.dumps(record, ensure_ascii=False) + "\n")
    elif output == "yaml":
        stream.write(yaml.safe_dump(records, sort_keys=False, allow_unicode=True, width=1 << 16))
    elif output in ("table", "text"):
        if kind == "events":
            columns, rows = views.EVENT_COLUMNS, views.event_rows(records)
        else:
            columns, rows = views.OUTBOX_COLUMNS, views.outbox_rows(records)
        if output == "table":
            views.write_table(stream, "Event log" if kind == "events" else "Outbox", columns, rows)
        else:
            views.write_text(stream, rows)
    else:
        stream.write(json.dumps(records, indent=2, ensure_ascii=False) + "\n")
