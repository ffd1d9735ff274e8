"""The outbox and the event log for people: one row per record, instants in ISO 8601.

``escsim outbox`` and ``escsim events`` print these rows with ``--output table|text``. A contact
is named by its alias, the first path part of the ARNs that carry it (``page/akuam/...``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Final, TextIO

from rich.table import Table

from engine.arns import parse_arn
from engine.cli.render import console
from engine.safetext import safe_text
from engine.timeutil import isoformat

__all__ = [
    "EVENT_COLUMNS",
    "OUTBOX_COLUMNS",
    "event_rows",
    "outbox_rows",
    "write_table",
    "write_text",
]

OUTBOX_COLUMNS: Final[tuple[str, ...]] = ("time", "kind", "contact", "channel", "code", "text")
EVENT_COLUMNS: Final[tuple[str, ...]] = ("time", "type", "contact", "channel", "detail")

# The ARNs that name a contact, the most direct first.
_CONTACT_KEYS: Final = ("ContactArn", "PageArn", "ContactChannelArn", "EngagementArn")
# Keys shown in their own columns (or implied by them), so left out of an event's detail.
_SHOWN: Final = frozenset({"Time", "Type", "ChannelType", *_CONTACT_KEYS})


def outbox_rows(messages: Iterable[Mapping[str, Any]]) -> list[tuple[str, ...]]:
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
                isoformat(float(message["Time"])),
                str(message.get("Kind", "")),
                _contact(message),
                channel,
                str(message.get("Code", "")),
                str(text),
            )
        )
    return rows


def event_rows(events: Iterable[Mapping[str, Any]]) -> list[tuple[str, ...]]:
    """Time, type, contact, channel and the other keys of each event, in log order."""
    return [
        (
            isoformat(float(event["Time"])),
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


def _contact(record: Mapping[str, Any]) -> str:
    for key in _CONTACT_KEYS:
        value = record.get(key)
        arn = parse_arn(value) if isinstance(value, str) else None
        if arn is not None and arn.parts:
            return arn.parts[0]
    return ""
