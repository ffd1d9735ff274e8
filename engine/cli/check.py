"""``escsim check EVENTS [--outbox FILE]``: do a run's records keep the engine's promises?

EVENTS is an event log (JSON Lines or a JSON array, as ``escsim run --events`` and ``escsim
events`` write it) or a whole result of ``escsim run --output json``; ``--outbox`` adds an outbox
to an event log. Every invariant of :mod:`engine.check` is checked: exit 0 when all hold, 1 for
an error finding, 253 for a file that is not records, 252 for options that do not fit together.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import re
from typing import Any

from engine.check import INVARIANTS, CheckInputError, check_records, check_result
from engine.cli import exits
from engine.cli.output import add_output_option
from engine.cli.render import console, findings_table
from engine.findings import CATALOGUE
from engine.safetext import safe_text

__all__ = ["Records", "add_arguments", "handle", "read_records"]


_INDEXED_PATH = re.compile(r"^(events|outbox)\[(\d+)\]$")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "events",
        metavar="EVENTS",
        help="event log (JSON Lines or a JSON array, at least one record) or a result of "
        "`escsim run --output json`",
    )
    parser.add_argument(
        "--outbox",
        metavar="FILE",
        help="the run's outbox (JSON array or JSON Lines), to check messages against receipts",
    )
    parser.add_argument(
        "--in-progress",
        action="store_true",
        help="the run is still going: engagements that have not ended yet are not findings",
    )
    add_output_option(parser)


@dataclasses.dataclass
class Records:
    """What one file held: a result (or a list of them), or bare records with their lines."""

    file: str
    results: Any = None
    records: list[dict[str, object]] | None = None
    lines: list[int] | None = None
    """For JSON Lines: the line of each record; None for JSON documents."""


def handle(args: argparse.Namespace) -> int:
    events = read_records(args.events, "events")
    outbox = read_records(args.outbox, "outbox") if args.outbox else None
    finished = not args.in_progress
    if events.results is not None and outbox is not None:
        raise exits.CommandError(
            f"escsim check: {args.events} is a run's result, which holds its own outbox; leave "
            "out --outbox",
            exits.BAD_ARGUMENTS,
        )
    outbox_records = None
    if outbox is not None:
        outbox_records = outbox.records if outbox.records is not None else _outbox_of(outbox)
    try:
        if events.results is not None:
            findings = check_result(events.results, finished=finished)
        else:
            assert events.records is not None
            findings = check_records(events.records, outbox_records, finished=finished)
    except CheckInputError as exc:
        raise exits.CommandError(f"escsim check: {args.events}: {exc}", exits.BAD_FILE) from None
    rows = [_row(finding.as_dict(), events, outbox) for finding in findings]
    errors = sum(1 for row in rows if row["Severity"] == "error")
    warnings = len(rows) - errors
    counts = _counts(events, outbox_records)
    if args.output == "json":
        document = {
            "file": args.events,
            "outbox": args.outbox,
            "records": counts,
            "invariants": [{"Id": key, "Name": CATALOGUE[key].name} for key in INVARIANTS],
            "findings": rows,
            "errors": errors,
            "warnings": warnings,
        }
        print(json.dumps(document, indent=2, ensure_ascii=False))
    else:
        _render(
            args.events, counts, len(INVARIANTS), rows, f"{errors} error(s), {warnings} warning(s)"
        )
    return exits.FINDINGS if errors else exits.OK


def read_records(path: str, kind: str) -> Records:
    """The records of ``path``: a JSON document (result, list of results, array of records) or
    JSON Lines. Raises CommandError (253) naming the file and the line or index at fault."""
    try:
        with open(path, encoding="utf-8") as stream:
            text = stream.read()
    except UnicodeDecodeError as exc:
        raise _bad(path, f"not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    except OSError as exc:
        raise _bad(path, f"cannot read it: {exc.strerror or exc}") from None
    if not text.strip():
        if kind == "outbox":  # a run that sent nothing has an empty outbox
            return Records(path, records=[], lines=[])
        # An empty event log is what a pipeline that failed upstream leaves; passing it would
        # hide that.
        raise _bad(path, "is empty: no event records to check")
    try:
        document = json.loads(text)
    except ValueError:
        return _json_lines(path, text, kind)
    except RecursionError:
        raise _bad(path, "nested too deeply to read") from None
    if isinstance(document, dict) and "events" in document:
        return Records(path, results=document)
    if isinstance(document, list) and document and all(_is_result(item) for item in document):
        return Records(path, results=document)
    if isinstance(document, list):
        for index, record in enumerate(document):
            _require_record(path, f"[{index}]", record, kind)
        return Records(path, records=document)
    if isinstance(document, dict):  # a JSON Lines file of one line
        _require_record(path, "line 1", document, kind)
        return Records(path, records=[document], lines=[1])
    raise _bad(path, f"holds a JSON {type(document).__name__}, not {kind} records or a result")


def _json_lines(path: str, text: str, kind: str) -> Records:
    records: list[dict[str, object]] = []
    lines: list[int] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except ValueError as exc:
            raise _bad(path, f"line {number} is not JSON ({exc})") from None
        except RecursionError:
            raise _bad(path, f"line {number} is nested too deeply to read") from None
        _require_record(path, f"line {number}", record, kind)
        records.append(record)
        lines.append(number)
    return Records(path, records=records, lines=lines)


def _is_result(item: object) -> bool:
    return isinstance(item, dict) and "events" in item


def _require_record(path: str, where: str, record: object, kind: str) -> None:
    if not isinstance(record, dict):
        raise _bad(path, f"{where} is not a record (a JSON object)")
    key, noun = ("Type", "an event") if kind == "events" else ("Kind", "an outbox message")
    if not isinstance(record.get(key), str) or not _is_number(record.get("Time")):
        raise _bad(path, f"{where}: {noun} needs {key} (text) and Time (epoch seconds)")


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _outbox_of(records: Records) -> list[dict[str, object]]:
    results = records.results
    if isinstance(results, dict) and isinstance(results.get("outbox"), list):
        outbox: list[dict[str, object]] = results["outbox"]
        return outbox
    raise exits.CommandError(
        f"escsim check: --outbox {records.file}: a list of several results is not an outbox",
        exits.BAD_ARGUMENTS,
    )


def _bad(path: str, why: str) -> exits.CommandError:
    return exits.CommandError(f"escsim check: {path}: {why}", exits.BAD_FILE)


def _row(finding: dict[str, str], events: Records, outbox: Records | None) -> dict[str, object]:
    row: dict[str, object] = dict(finding)
    match = _INDEXED_PATH.match(finding["Path"])
    if match is None:
        return row
    source = events if match.group(1) == "events" else outbox
    if source is not None and source.lines is not None:
        index = int(match.group(2))
        if index < len(source.lines):
            row["Line"] = source.lines[index]
    return row


def _counts(events: Records, outbox: list[dict[str, object]] | None) -> dict[str, int]:
    if events.results is not None:
        results = events.results if isinstance(events.results, list) else [events.results]
        return {
            "events": sum(len(r.get("events") or []) for r in results),
            "outbox": sum(len(r.get("outbox") or []) for r in results),
        }
    counts = {"events": len(events.records or [])}
    if outbox is not None:
        counts["outbox"] = len(outbox)
    return counts


def _render(
    file: str, counts: dict[str, int], invariants: int, rows: list[dict[str, object]], tally: str
) -> None:
    out = console()
    nouns = {"events": "event records", "outbox": "outbox messages"}
    read = ", ".join(f"{count} {nouns[name]}" for name, count in counts.items())
    if not rows:
        out.print(safe_text(f"{file}: {read}: all {invariants} invariants hold", style="green"))
        return
    out.print(findings_table(f"{file}: {read}", rows))
    out.print(tally)
