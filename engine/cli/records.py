"""``escsim outbox`` and ``escsim events``: what the workspace's simulation sent and did.

``outbox`` lists every message sent, pages and activation codes, so a user can read a code as a
person would read their phone; ``events`` lists the event log. The records keep the shapes of
interfaces.md (JSON, JSON Lines, YAML); ``table`` and ``text`` give a row for people per record,
instants in ISO 8601, a contact named by its alias (the first path part of its ARNs).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterable, Mapping, Sequence
from typing import Final, TextIO, cast

import yaml
from rich.table import Table

from engine.arns import parse_arn
from engine.cli import exits
from engine.cli.control import add_target_arguments, client_for
from engine.cli.output import add_output_option
from engine.cli.render import console
from engine.safetext import safe_text
from engine.timeutil import isoformat

__all__ = [
    "EVENT_COLUMNS",
    "OUTBOX_COLUMNS",
    "add_arguments",
    "event_rows",
    "handle",
    "outbox_rows",
    "write_table",
    "write_text",
]

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
            columns, rows = EVENT_COLUMNS, event_rows(records)
        else:
            columns, rows = OUTBOX_COLUMNS, outbox_rows(records)
        if output == "table":
            write_table(stream, "Event log" if kind == "events" else "Outbox", columns, rows)
        else:
            write_text(stream, rows)
    else:
        stream.write(json.dumps(records, indent=2, ensure_ascii=False) + "\n")


OUTBOX_COLUMNS: Final[tuple[str, ...]] = ("time", "kind", "contact", "channel", "code", "text")
EVENT_COLUMNS: Final[tuple[str, ...]] = ("time", "type", "contact", "channel", "detail")

# The ARNs that name a contact, the most direct first.
_CONTACT_KEYS: Final = ("ContactArn", "PageArn", "ContactChannelArn", "EngagementArn")
# Keys shown in their own columns (or implied by them), so left out of an event's detail.
_SHOWN: Final = frozenset({"Time", "Type", "ChannelType", *_CONTACT_KEYS})


def outbox_rows(messages: Iterable[Mapping[str, object]]) -> list[tuple[str, ...]]:
    """Time, kind, contact, channel, code and text of each message, in send order."""
    rows: list[tuple[str, ...]] = []
    for message in messages:
        channel = str(message.get("ChannelType", ""))
        outcome = message.get("Outcome")
        if outcome not in (None, "SENT"):
            channel = f"{channel} ({outcome})"
        text = message.get("Content", "")
        if message.get("Subject"):
            text = f"{message['Subject']}: {text}"
        rows.append(
            (
                isoformat(float(cast("float", message["Time"]))),
                str(message.get("Kind", "")),
                _contact(message),
                channel,
                str(message.get("Code", "")),
                str(text),
            )
        )
    return rows


def event_rows(events: Iterable[Mapping[str, object]]) -> list[tuple[str, ...]]:
    """Time, type, contact, channel and the other keys of each event, in log order."""
    return [
        (
            isoformat(float(cast("float", event["Time"]))),
            str(event.get("Type", "")),
            _contact(event),
            str(event.get("ChannelType", "")),
            " ".join(f"{key}={value}" for key, value in event.items() if key not in _SHOWN),
        )
        for event in events
    ]


def write_table(
    stream: TextIO, title: str, columns: Sequence[str], rows: Sequence[Sequence[str]]
) -> None:
    """A rich table; the last column (text or detail) wraps, the others keep their width."""

    table = Table(title=title, title_justify="left")
    for index, name in enumerate(columns):
        last = index == len(columns) - 1
        table.add_column(name, no_wrap=not last, overflow="fold")
    for row in rows:  # message texts are the user's: escaped, never read as markup
        table.add_row(*(safe_text(cell) for cell in row))
    console(stream).print(table)


def write_text(stream: TextIO, rows: Iterable[Sequence[str]]) -> None:
    """One line per row, fields separated by tabs (as the AWS CLI's text output is)."""
    for row in rows:
        stream.write("\t".join(field.replace("\t", " ").replace("\n", " ") for field in row))
        stream.write("\n")


def _contact(record: Mapping[str, object]) -> str:
    for key in _CONTACT_KEYS:
        value = record.get(key)
        arn = parse_arn(value) if isinstance(value, str) else None
        if arn is not None and arn.parts:
            return arn.parts[0]
    return ""
