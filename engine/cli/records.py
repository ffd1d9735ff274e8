"""``escsim outbox`` and ``escsim events``: what the workspace's simulation sent and did.

``outbox`` lists every message sent (pages and activation codes, in send order), so a user can
read an activation or accept code as a person would read their phone; ``events`` lists the event
log. Both print JSON in the shapes of interfaces.md (times as epoch seconds) by default, JSON
Lines with ``--output jsonl``, the same records as YAML with ``--output yaml``, and rows for
people (ISO 8601 instants, contact, channel, code or detail, text) with ``--output table`` or
``text`` (see :mod:`engine.cli.record_views`). With ``--endpoint-url`` they read a running
``escsim serve`` instead.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any, TextIO

from engine.cli import exits

__all__ = ["HELP", "HELPS", "add_arguments", "control", "handle", "transport"]

HELP = "Print the workspace's outbox or event log."
HELPS = {
    "outbox": "Print every message the workspace's simulation sent (pages and activation "
    "codes): time, contact, channel, code, text.",
    "events": "Print the workspace's event log: engagements, stages, pages, messages, "
    "receipts, channel changes.",
}
OUTPUTS = {
    "json": "json (default): one indented JSON array of the records, times as epoch seconds",
    "jsonl": "jsonl: one compact JSON record per line",
    "yaml": "yaml: the same records as YAML",
    "table": "table: a table for people, instants in ISO 8601",
    "text": "text: one tab-separated line per record, instants in ISO 8601",
}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    from engine.cli.clock import add_target_arguments

    add_target_arguments(parser)
    parser.add_argument(
        "--output",
        choices=tuple(OUTPUTS),
        default="json",
        help="; ".join(OUTPUTS.values()),
    )


def handle(args: argparse.Namespace) -> int:
    kind = "events" if args.command == "events" else "outbox"
    if args.endpoint_url:
        records = _remote(args.endpoint_url, kind)
    else:
        records = _local(args.workspace, kind)
    _write(records, kind, args.output, sys.stdout)
    return exits.OK


def _write(records: list[dict[str, Any]], kind: str, output: str, stream: TextIO) -> None:
    if output == "jsonl":
        for record in records:
            stream.write(json.dumps(record, ensure_ascii=False) + "\n")
    elif output == "yaml":
        import yaml

        stream.write(yaml.safe_dump(records, sort_keys=False, allow_unicode=True, width=1 << 16))
    elif output in ("table", "text"):
        from engine.cli import record_views as views

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


def _local(directory: str | None, kind: str) -> list[dict[str, Any]]:
    from engine.cli.aws.session import open_workspace, workspace_errors
    from engine.workspace import replay

    with workspace_errors(f"escsim {kind}"), open_workspace(directory) as workspace:
        sim = replay(workspace.header, workspace.entries())
    return sim.events if kind == "events" else sim.outbox


def _remote(url: str, kind: str) -> list[dict[str, Any]]:
    client = transport(url, f"escsim {kind}")
    answer = control(client, f"/_escsim/{kind}", None, f"escsim {kind}")
    key = "Events" if kind == "events" else "Messages"
    records = answer.get(key)
    if not isinstance(records, list):
        raise exits.CommandError(
            f"escsim {kind}: the endpoint answered without {key}: {answer!r}", exits.UNEXPECTED
        )
    return records


def transport(url: str, command: str) -> Any:
    """A transport to ``url``, or a CommandError (252) when the URL is not usable."""
    from engine.cli.aws.remote import EndpointError, Transport

    try:
        return Transport(url, "us-east-1")
    except EndpointError as exc:
        raise exits.CommandError(f"{command}: {exc}", exits.BAD_ARGUMENTS) from None


def control(client: Any, path: str, payload: dict[str, Any] | None, command: str) -> dict[str, Any]:
    """GET or POST a control path; endpoint and service errors become CommandErrors."""
    from engine.cli.aws.remote import EndpointError, RemoteServiceError

    try:
        answer: dict[str, Any] = client.control(path, payload)
    except RemoteServiceError as exc:
        raise exits.CommandError(
            f"{command}: the endpoint refused: ({exc.code}) {exc.message}", exits.SERVICE_ERROR
        ) from None
    except EndpointError as exc:
        raise exits.CommandError(f"{command}: {exc}", exits.UNEXPECTED) from None
    return answer
