"""``escsim outbox`` and ``escsim events``: what the workspace's simulation sent and did.

``outbox`` lists every message sent (pages and activation codes, in send order), so a user can
read an activation or accept code as a person would read their phone; ``events`` lists the event
log. Both print JSON in the shapes of interfaces.md (times as epoch seconds), or JSON Lines with
``--output jsonl``. With ``--endpoint-url`` they read a running ``escsim serve`` instead.
"""

from __future__ import annotations

import argparse
import json
from typing import Any

from engine.cli import exits

__all__ = ["HELP", "add_arguments", "control", "handle", "transport"]

HELP = "Print the workspace's outbox (outbox) or event log (events) as JSON."


def add_arguments(parser: argparse.ArgumentParser) -> None:
    from engine.cli.clock import add_target_arguments

    add_target_arguments(parser)
    parser.add_argument(
        "--output",
        choices=("json", "jsonl"),
        default="json",
        help="json (default): one indented array; jsonl: one compact record per line",
    )


def handle(args: argparse.Namespace) -> int:
    kind = "events" if args.command == "events" else "outbox"
    if args.endpoint_url:
        records = _remote(args.endpoint_url, kind)
    else:
        records = _local(args.workspace, kind)
    if args.output == "jsonl":
        for record in records:
            print(json.dumps(record, ensure_ascii=False))
    else:
        print(json.dumps(records, indent=2, ensure_ascii=False))
    return exits.OK


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
