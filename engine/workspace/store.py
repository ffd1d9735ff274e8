"""The workspace file: an SQLite database with a header and an append-only journal.

``DIR/workspace.sqlite`` holds one ``header`` row (format, escsim version, account, region, seed,
start instant, knobs), checked whenever the file is opened, and a ``journal`` of everything that
changed state (accepted requests, clock moves, imports, the initial organisation), each with the
virtual time it happened at. State is never stored: it is rebuilt by replaying the journal, which
is deterministic. A command appends at most one entry, in one transaction that also read the
journal it replayed (``BEGIN IMMEDIATE``), so concurrent writers queue up and lose nothing, and a
process killed mid-write leaves the journal as it was before.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import os
import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from engine import __version__
from engine.workspace import codec

__all__ = [
    "DATABASE_FILE",
    "DEFAULT_DIRECTORY",
    "ENTRY_KINDS",
    "FORMAT_VERSION",
    "Header",
    "JournalEntry",
    "Transaction",
    "Workspace",
    "WorkspaceError",
    "WorkspaceMissing",
    "workspace_directory",
]

DEFAULT_DIRECTORY = ".escsim"
DATABASE_FILE = "workspace.sqlite"
FORMAT_VERSION = 1
ENTRY_KINDS = ("init", "import", "request", "advance")
# Marks the file as escsim's in the SQLite header (PRAGMA application_id): "ESCS".
_APPLICATION_ID = 0x45534353
_BUSY_TIMEOUT_SECONDS = 60.0

_SCHEMA = """
CREATE TABLE IF NOT EXISTS header (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    format INTEGER NOT NULL,
    escsim TEXT NOT NULL,
    account TEXT NOT NULL,
    region TEXT NOT NULL,
    seed INTEGER NOT NULL,
    start REAL NOT NULL,
    knobs TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS journal (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    at REAL NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('init', 'import', 'request', 'advance')),
    operation TEXT,
    params TEXT NOT NULL,
    account TEXT NOT NULL,
    region TEXT NOT NULL
);
"""


class WorkspaceError(Exception):
    """A workspace that cannot be used: foreign, corrupted, or made by another escsim."""


class WorkspaceMissing(WorkspaceError):
    """No workspace has been created in the directory yet."""


def workspace_directory(given: str | None = None) -> Path:
    """``--workspace``, else ``ESCSIM_WORKSPACE``, else ``./.escsim``."""
    return Path(given or os.environ.get("ESCSIM_WORKSPACE") or DEFAULT_DIRECTORY)


@dataclasses.dataclass(frozen=True)
class Header:
    """What a workspace was created with; replay needs all of it."""

    account: str
    region: str
    seed: int
    start: float
    """Epoch seconds of virtual time zero."""
    knobs: dict[str, Any]
    """Settings as given (dotted names), validated when the simulator is built."""
    escsim: str = __version__
    format: int = FORMAT_VERSION


@dataclasses.dataclass(frozen=True)
class JournalEntry:
    """One accepted change: a request, a clock move, an import or the initial organisation.

    ``at`` is the virtual time (seconds since the start) at which it happened; for ``advance``
    it is the time the clock moved to.
    """

    seq: int
    at: float
    kind: str
    operation: str | None
    params: Any
    account: str
    region: str


class Transaction:
    """Reads and appends inside one SQLite transaction of a :class:`Workspace`."""

    def __init__(
        self, connection: sqlite3.Connection, header: Header, database: Path | None = None
    ) -> None:
        self._connection = connection
        self.header = header
        self._database = database

    def entries(self) -> list[JournalEntry]:
        """Every journal entry, oldest first.

        Raises WorkspaceError when the journal cannot be read back (a damaged file).
        """
        try:
            rows = self._connection.execute(
                "SELECT seq, at, kind, operation, params, account, region FROM journal ORDER BY seq"
            ).fetchall()
            return [
                JournalEntry(seq, at, kind, operation, codec.loads(params), account, region)
                for seq, at, kind, operation, params, account, region in rows
            ]
        except (sqlite3.DatabaseError, ValueError, TypeError) as exc:
            # Undecodable text, bad JSON or a malformed page: the file was damaged outside escsim.
            where = f"{self._database}: " if self._database is not None else ""
            raise WorkspaceError(
                f"{where}the workspace journal is damaged and cannot be read ({exc})"
            ) from None

    def append(
        self,
        kind: str,
        at: float,
        params: Any,
        *,
        operation: str | None = None,
        account: str | None = None,
        region: str | None = None,
    ) -> int:
        """Add an entry (committed with the transaction); returns its sequence number."""
        if kind not in ENTRY_KINDS:
            raise ValueError(f"unknown journal entry kind {kind!r}")
        cursor = self._connection.execute(
            "INSERT INTO journal (at, kind, operation, params, account, region) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            (
                float(at),
                kind,
                operation,
                codec.dumps(params),
                account or self.header.account,
                region or self.header.region,
            ),
        )
        assert cursor.lastrowid is not None
        return cursor.lastrowid

    def delete_after_init(self) -> int:
        """Remove every entry but the initial organisation; returns how many were removed."""
        cursor = self._connection.execute("DELETE FROM journal WHERE kind != 'init'")
        return cursor.rowcount


class Workspace:
    """A workspace directory and its database. Open with :meth:`open` or :meth:`create`."""

    def __init__(self, directory: Path, connection: sqlite3.Connection, header: Header) -> None:
        self.directory = directory
        self._connection = connection
        self.header = header

    @property
    def database(self) -> Path:
        return self.directory / DATABASE_FILE

    # -- opening -------------------------------------------------------------------------------

    @classmethod
    def open(cls, directory: str | os.PathLike[str]) -> Workspace:
        """Open an existing workspace, checking its header.

        Raises :class:`WorkspaceMissing` when there is none and :class:`WorkspaceError` when the
        file is not an escsim workspace or was made by another version of escsim.
        """
        path = Path(directory)
        database = path / DATABASE_FILE
        if not database.is_file():
            raise WorkspaceMissing(f"no escsim workspace in {path}")
        connection = _connect(database)
        try:
            header = _read_header(connection, database)
        except BaseException:
            connection.close()
            raise
        if header is None:
            connection.close()
            raise WorkspaceMissing(f"no escsim workspace in {path} (its header was never written)")
        return cls(path, connection, header)

    @classmethod
    def create(cls, directory: str | os.PathLike[str], header: Header) -> Workspace:
        """Create a workspace with ``header``; raises WorkspaceError if one exists already."""
        workspace, created = cls.open_or_create(directory, header)
        if not created:
            workspace.close()
            raise WorkspaceError(f"{Path(directory)} already holds an escsim workspace")
        return workspace

    @classmethod
    def open_or_create(
        cls, directory: str | os.PathLike[str], header: Header
    ) -> tuple[Workspace, bool]:
        """Open the workspace, or create it with ``header``; returns (workspace, created)."""
        path = Path(directory)
        try:
            path.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise WorkspaceError(f"cannot create the workspace directory {path}: {exc}") from None
        database = path / DATABASE_FILE
        connection = _connect(database)
        try:
            existing = _read_header(connection, database)
            if existing is not None:
                return cls(path, connection, existing), False
            # Two commands may create the same workspace at once: the first writer wins.
            connection.execute("BEGIN IMMEDIATE")
            try:
                connection.execute(f"PRAGMA application_id = {_APPLICATION_ID}")
                for statement in _SCHEMA.split(";"):
                    if statement.strip():
                        connection.execute(statement)
                created = connection.execute(
                    "INSERT OR IGNORE INTO header VALUES (1, ?, ?, ?, ?, ?, ?, ?)",
                    (
                        header.format,
                        header.escsim,
                        header.account,
                        header.region,
                        header.seed,
                        header.start,
                        json.dumps(header.knobs, sort_keys=True),
                    ),
                ).rowcount
                connection.execute("COMMIT")
            except BaseException:
                connection.execute("ROLLBACK")
                raise
            stored = _read_header(connection, database)
            assert stored is not None
            return cls(path, connection, stored), bool(created)
        except sqlite3.Error as exc:
            connection.close()
            raise WorkspaceError(f"cannot create a workspace in {database}: {exc}") from None
        except BaseException:
            connection.close()
            raise

    def close(self) -> None:
        self._connection.close()

    def __enter__(self) -> Workspace:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- transactions --------------------------------------------------------------------------

    @contextlib.contextmanager
    def transaction(self, *, write: bool) -> Iterator[Transaction]:
        """A transaction: ``write`` ones are serialised (``BEGIN IMMEDIATE``) and commit at the end.

        Leaving the block by an exception rolls back: nothing of it is kept.
        """
        try:
            self._connection.execute("BEGIN IMMEDIATE" if write else "BEGIN")
        except sqlite3.Error as exc:
            raise WorkspaceError(f"cannot use the workspace {self.database}: {exc}") from None
        try:
            yield Transaction(self._connection, self.header, self.database)
        except sqlite3.DatabaseError as exc:
            with contextlib.suppress(sqlite3.Error):
                self._connection.execute("ROLLBACK")
            raise WorkspaceError(f"the workspace {self.database} is damaged ({exc})") from None
        except BaseException:
            with contextlib.suppress(sqlite3.Error):  # a damaged file may refuse even this
                self._connection.execute("ROLLBACK")
            raise
        try:
            self._connection.execute("COMMIT")
        except sqlite3.Error as exc:
            self._connection.execute("ROLLBACK")
            raise WorkspaceError(f"cannot write the workspace {self.database}: {exc}") from None

    def entries(self) -> list[JournalEntry]:
        """Every journal entry, read in a transaction of its own."""
        with self.transaction(write=False) as tx:
            return tx.entries()


def _connect(database: Path) -> sqlite3.Connection:
    """A connection in WAL mode; waits while another process holds the file (e.g. creating it)."""
    deadline = time.monotonic() + _BUSY_TIMEOUT_SECONDS
    while True:
        connection = None
        try:
            connection = sqlite3.connect(
                database,
                timeout=_BUSY_TIMEOUT_SECONDS,
                isolation_level=None,
                check_same_thread=False,
            )
            # Switching to WAL needs the file to itself, and SQLite does not wait for that on its
            # own: check first (a plain read), switch only a file that is not yet in WAL mode.
            (mode,) = connection.execute("PRAGMA journal_mode").fetchone()
            if str(mode).lower() != "wal":
                connection.execute("PRAGMA journal_mode = WAL")
            connection.execute("PRAGMA synchronous = FULL")
            return connection
        except sqlite3.OperationalError as exc:
            if connection is not None:
                connection.close()
            if _is_busy(exc) and time.monotonic() < deadline:
                time.sleep(0.01)
                continue
            raise WorkspaceError(f"cannot open the workspace {database}: {exc}") from None
        except sqlite3.DatabaseError as exc:
            if connection is not None:
                connection.close()
            raise WorkspaceError(f"{database} is not an escsim workspace ({exc})") from None


def _is_busy(exc: sqlite3.OperationalError) -> bool:
    text = str(exc).lower()
    return "locked" in text or "busy" in text


def _read_header(connection: sqlite3.Connection, database: Path) -> Header | None:
    """The stored header, None for a blank file; WorkspaceError for anything else."""
    try:
        application_id = connection.execute("PRAGMA application_id").fetchone()[0]
        tables = {
            name
            for (name,) in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        }
        if application_id == 0 and not tables:
            return None
        if application_id != _APPLICATION_ID or not {"header", "journal"} <= tables:
            raise WorkspaceError(f"{database} is an SQLite file, but not an escsim workspace")
        row = connection.execute(
            "SELECT format, escsim, account, region, seed, start, knobs FROM header WHERE id = 1"
        ).fetchone()
    except sqlite3.DatabaseError as exc:
        raise WorkspaceError(f"{database} is not an escsim workspace ({exc})") from None
    if row is None:
        return None
    fmt, escsim, account, region, seed, start, knobs = row
    if fmt != FORMAT_VERSION:
        raise WorkspaceError(
            f"{database} has workspace format {fmt}; this escsim reads format {FORMAT_VERSION}"
        )
    if escsim != __version__:
        raise WorkspaceError(
            f"{database} was made by escsim {escsim}; this is escsim {__version__}, whose replay "
            "could differ. Use escsim "
            f"{escsim}, or start afresh with `escsim workspace init` in another directory"
        )
    try:
        settings = json.loads(knobs)
    except ValueError:
        raise WorkspaceError(f"{database} has a corrupted header (knobs)") from None
    if not isinstance(settings, dict):
        raise WorkspaceError(f"{database} has a corrupted header (knobs)")
    try:
        return Header(str(account), str(region), int(seed), float(start), settings, escsim, fmt)
    except (TypeError, ValueError):
        raise WorkspaceError(f"{database} has a corrupted header (seed or start)") from None
