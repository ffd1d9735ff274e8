"""Opening the workspace for a command: directory, shared lock, header, errors as exit codes.

Every command that reads or changes a workspace goes through :func:`open_workspace`: it refuses
a workspace held by ``escsim serve`` (pointing at ``--endpoint-url``), creates the workspace on
first use when asked to (only where no database file is: anything in its place is checked, never
replaced), and turns every workspace problem into one line on stderr and exit 253.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
from collections.abc import Iterator

from engine.arns import DEFAULT_ACCOUNT, DEFAULT_REGION
from engine.cli import exits
from engine.workspace import (
    DATABASE_FILE,
    Header,
    Workspace,
    WorkspaceDamaged,
    WorkspaceError,
    WorkspaceHeld,
    shared,
    workspace_directory,
)

__all__ = ["open_workspace", "workspace_errors"]


@contextlib.contextmanager
def workspace_errors(command: str = "escsim") -> Iterator[None]:
    """Turn workspace problems raised in the block into ``CommandError`` (exit 253)."""
    try:
        yield
    except (WorkspaceHeld, WorkspaceError) as exc:
        raise exits.CommandError(f"{command}: {exc}", exits.BAD_FILE) from None


@contextlib.contextmanager
def open_workspace(
    directory: str | None,
    *,
    create: bool = True,
    account: str | None = None,
    region: str | None = None,
) -> Iterator[Workspace]:
    """The workspace of ``directory`` (see ``workspace_directory``), shared with other commands.

    With ``create``, a missing workspace is created (``account`` and ``region`` given or the
    defaults). Raises WorkspaceHeld or WorkspaceError.
    """
    path = workspace_directory(directory)
    absent = not os.path.lexists(path)
    if not create or os.path.lexists(path / DATABASE_FILE) or not (path.is_dir() or absent):
        # Checked before taking the lock, whose file would change a directory refused.
        Workspace.open(path).close()
    with shared(path):
        if create:
            # Created on first use: seed 0, starting now (to the second).
            start = dt.datetime.now(dt.UTC).replace(microsecond=0).timestamp()
            header = Header(account or DEFAULT_ACCOUNT, region or DEFAULT_REGION, 0, start, {})
            workspace, _ = Workspace.open_or_create(path, header)
        else:
            workspace = Workspace.open(path)
        try:
            yield workspace
        except WorkspaceDamaged as exc:
            # Replay knows the entry, not the file: name it here.
            if exc.database is None:
                raise exc.located(workspace.database) from None
            raise
        finally:
            workspace.close()
