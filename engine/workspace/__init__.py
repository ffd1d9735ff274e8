"""Workspaces: simulator state that persists between commands, as a replayable journal.

A workspace is a directory (``--workspace DIR``, ``ESCSIM_WORKSPACE``, default ``./.escsim``)
holding an SQLite database (:class:`Workspace`): a header and an append-only journal of accepted
changes, checked by :mod:`~engine.workspace.integrity` and judged by :func:`verify`. Opening it
replays the journal into a fresh simulator (:func:`replay`); a change accepted by that simulator
is appended in the same transaction. :func:`hold` lets ``escsim serve --workspace`` keep it to
itself; the command line takes :func:`shared` and refuses a held one with :class:`WorkspaceHeld`.
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
