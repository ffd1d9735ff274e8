"""The simulator that ``escsim clock``, ``outbox`` and ``events`` work on: a workspace
(``--workspace``), or a running ``escsim serve`` (``--endpoint-url``).

Both clients read or move the clock (a move is one journal entry in a workspace) and read the
records. A move a workspace's clock refuses raises :class:`MoveRefused`; other failures are
CommandErrors: an unusable workspace exits 253, URL 252, an endpoint's refusal 254, its failure 255.
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import datetime as dt
from collections.abc import Iterator, Mapping, Sequence

from engine.arns import DEFAULT_REGION
from engine.cli import exits
from engine.cli.aws.remote import EndpointError, RemoteControl, RemoteServiceError, Transport
from engine.cli.aws.session import open_workspace, workspace_errors
from engine.errors import ServiceError
from engine.simulator import Simulator
from engine.workspace import replay

__all__ = [
    "Clock",
    "EndpointClient",
    "Move",
    "MoveRefused",
    "WorkspaceClient",
    "add_target_arguments",
    "client_for",
]

Move = float | dt.datetime
"""How to move the clock: seconds forward, or the instant to move to."""


@dataclasses.dataclass(frozen=True, slots=True)
class Clock:
    """The virtual clock: now, and the run's start (None when the endpoint does not say)."""

    now: dt.datetime
    start: dt.datetime | None


class MoveRefused(Exception):
    """A move the workspace's clock refuses; ``str()`` says why."""


def add_target_arguments(parser: argparse.ArgumentParser) -> None:
    """``--workspace`` and ``--endpoint-url``."""
    parser.add_argument(
        "--workspace", metavar="DIR", help="workspace directory ($ESCSIM_WORKSPACE, ./.escsim)"
    )
    parser.add_argument(
        "--endpoint-url", metavar="URL", help="a running `escsim serve` instead of a workspace"
    )


def client_for(args: argparse.Namespace, command: str) -> WorkspaceClient | EndpointClient:
    """The client of ``--endpoint-url`` when given, else of the workspace."""
    if args.endpoint_url:
        return EndpointClient(args.endpoint_url, command)
    return WorkspaceClient(args.workspace, command)


class WorkspaceClient:
    """A workspace's simulation, replayed for each verb."""

    def __init__(self, directory: str | None, command: str) -> None:
        self.directory = directory
        self.command = command

    def clock(self, move: Move | None = None, *, written: str = "") -> Clock:
        """The clock, after ``move`` when given (``written``: the move as the user wrote it)."""
        with (
            workspace_errors(self.command),
            open_workspace(self.directory) as workspace,
            workspace.transaction(write=move is not None) as tx,
        ):
            sim = replay(workspace.header, tx.entries())
            if move is not None:
                self._move(sim, move, written)
                tx.append("advance", sim.elapsed, {})
            return Clock(sim.now, sim.start)

    def records(self, kind: str) -> Sequence[Mapping[str, object]]:
        """The ``outbox`` or the ``events`` log."""
        with workspace_errors(self.command), open_workspace(self.directory) as workspace:
            sim = replay(workspace.header, workspace.entries())
        return sim.events if kind == "events" else sim.outbox

    @staticmethod
    def _move(sim: Simulator, move: Move, written: str) -> None:
        if not isinstance(move, dt.datetime):
            try:
                sim.now + dt.timedelta(seconds=move)
            except OverflowError:
                raise MoveRefused(
                    f"{written} takes the clock from {sim.now.isoformat()} past the year 9999, "
                    "the end of the calendar"
                ) from None
        try:
            if isinstance(move, dt.datetime):
                sim.advance_to(move)
            else:
                sim.advance(move)
        except ServiceError as exc:
            raise MoveRefused(exc.message) from None


class EndpointClient:
    """A running ``escsim serve``, through its control paths."""

    def __init__(self, url: str, command: str) -> None:
        self.command = command
        try:
            self._remote = RemoteControl(Transport(url, DEFAULT_REGION))
        except EndpointError as exc:
            raise exits.CommandError(f"{command}: {exc}", exits.BAD_ARGUMENTS) from None

    def clock(self, move: Move | None = None, *, written: str = "") -> Clock:
        """The clock, after ``move`` when given (the endpoint words its own refusals)."""
        body: dict[str, float] | None = None
        if isinstance(move, dt.datetime):
            body = {"Until": move.timestamp()}
        elif move is not None:
            body = {"AdvanceSeconds": move}
        with self._errors():
            now, start = self._remote.clock(body)
        return Clock(
            dt.datetime.fromtimestamp(now, dt.UTC),
            None if start is None else dt.datetime.fromtimestamp(start, dt.UTC),
        )

    def records(self, kind: str) -> Sequence[Mapping[str, object]]:
        """The ``outbox`` or the ``events`` log."""
        with self._errors():
            return self._remote.records(kind)

    @contextlib.contextmanager
    def _errors(self) -> Iterator[None]:
        try:
            yield
        except RemoteServiceError as exc:
            raise exits.CommandError(
                f"{self.command}: the endpoint refused: ({exc.code}) {exc.message}",
                exits.SERVICE_ERROR,
            ) from None
        except EndpointError as exc:
            raise exits.CommandError(f"{self.command}: {exc}", exits.UNEXPECTED) from None
