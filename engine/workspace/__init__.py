"""Workspaces: simulator state that persists between commands, as a replayable journal.

A workspace is a directory (``--workspace DIR``, ``ESCSIM_WORKSPACE``, default ``./.escsim``)
holding an SQLite database: a header (escsim version, account, region, seed, start instant,
knobs) and an append-only journal of accepted changes with their virtual times. Opening it
replays the journal into a fresh :class:`~engine.simulator.Simulator`; a change is applied to
that simulator and, when accepted, appended in the same transaction.

- :class:`Workspace` opens, creates and reads the database; :meth:`Workspace.transaction` gives
  a :class:`Transaction` whose ``entries()`` and ``append(...)`` share one transaction.
- :mod:`~engine.workspace.integrity` holds the rules every header and entry must keep and the
  checksum chain over them; a workspace that breaks one is refused (:class:`WorkspaceDamaged`),
  and :func:`verify` says which entry is the first bad one.
- :func:`replay` and :func:`apply_entry` rebuild and advance the simulation.
- :func:`hold` lets a server (``escsim serve --workspace``) keep the workspace to itself; the
  command line takes :func:`shared` and refuses a held workspace with :class:`WorkspaceHeld`.
"""

from __future__ import annotations

from engine.workspace.lock import LOCK_FILE, WorkspaceHeld, hold, shared
from engine.workspace.replay import apply_entry, build_simulator, replay
from engine.workspace.store import (
    DATABASE_FILE,
    Header,
    JournalEntry,
    Workspace,
    WorkspaceDamaged,
    WorkspaceError,
    WorkspaceExists,
    WorkspaceMissing,
    workspace_directory,
)
from engine.workspace.verify import verify

__all__ = [
    "DATABASE_FILE",
    "LOCK_FILE",
    "Header",
    "JournalEntry",
    "Workspace",
    "WorkspaceDamaged",
    "WorkspaceError",
    "WorkspaceExists",
    "WorkspaceHeld",
    "WorkspaceMissing",
    "apply_entry",
    "build_simulator",
    "hold",
    "replay",
    "shared",
    "verify",
    "workspace_directory",
]
