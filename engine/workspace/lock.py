"""Holding a workspace exclusively (``escsim serve --workspace``) and refusing commands meanwhile.

The holder takes an exclusive ``flock`` on ``DIR/serve.lock`` and writes its endpoint URL into the
file; every command that opens the workspace takes a shared lock on the same file for as long as
it runs. So a command never runs against a held workspace, and a server never takes a workspace
from under a running command (it waits for the command to finish). The operating system drops
the locks of a process that dies, so a crashed server leaves nothing to clean up.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from engine.workspace.store import WorkspaceError, require_directory

LOCK_FILE = "serve.lock"


class WorkspaceHeld(Exception):
    """The workspace is held by a running server; ``endpoint`` is its URL when it gave one."""

    def __init__(self, directory: str, endpoint: str | None) -> None:
        self.directory = directory
        self.endpoint = endpoint
        where = endpoint or "http://HOST:PORT"
        super().__init__(
            f"the workspace {directory} is held by a running `escsim serve`; send the command "
            f"to it instead, with --endpoint-url {where}"
        )


def _open(directory: str | os.PathLike[str]) -> int:
    path = Path(directory)
    require_directory(path)
    try:
        path.mkdir(parents=True, exist_ok=True)
        return os.open(path / LOCK_FILE, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as exc:
        raise WorkspaceError(f"cannot use the workspace directory {path}: {exc.strerror}") from None


def _endpoint(fd: int) -> str | None:
    os.lseek(fd, 0, os.SEEK_SET)
    text = os.read(fd, 4096).decode("utf-8", errors="replace").strip()
    return text or None


@contextlib.contextmanager
def hold(
    directory: str | os.PathLike[str], endpoint: str | None = None, *, wait: float = 5.0
) -> Iterator[Callable[[str], None]]:
    """Hold ``directory`` for the ``with`` block once running commands end (up to ``wait``
    seconds, else :class:`WorkspaceHeld`); yields a function recording the endpoint's URL."""
    fd = _open(directory)
    try:
        deadline = time.monotonic() + wait
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise WorkspaceHeld(str(directory), _endpoint(fd)) from None
                time.sleep(0.02)

        def record(url: str) -> None:
            os.ftruncate(fd, 0)
            os.lseek(fd, 0, os.SEEK_SET)
            os.write(fd, url.encode("utf-8"))

        record(endpoint or "")
        try:
            yield record
        finally:
            os.ftruncate(fd, 0)
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


@contextlib.contextmanager
def shared(directory: str | os.PathLike[str]) -> Iterator[None]:
    """Use ``directory`` alongside other commands; :class:`WorkspaceHeld` if a server has it."""
    fd = _open(directory)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except BlockingIOError:
            raise WorkspaceHeld(str(directory), _endpoint(fd)) from None
        try:
            yield
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)
