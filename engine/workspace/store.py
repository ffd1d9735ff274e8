"""The workspace file: an SQLite database with a header and an append-only journal.

``DIR/workspace.sqlite`` holds one ``header`` row (format, escsim version, account, region, seed,
start instant, knobs, and the checksums of :mod:`engine.workspace.integrity`) and a ``journal``
of everything that changed state, each entry with its virtual time and its link in the checksum
chain. State is rebuilt by replaying the journal. A command appends at most one entry, in one
``BEGIN IMMEDIATE`` transaction that also read the journal it replayed, so concurrent writers
queue up and a process killed mid-write leaves the journal as it was.

Only a missing file is ever created, whole (written under another name and linked into place).
Anything else in its place that breaks a rule or its checksum is refused with
:class:`WorkspaceError` and left as it is.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import os
import secrets
import sqlite3
import stat
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

from engine import __version__
from engine.workspace import codec
from engine.workspace.integrity import (
    ENTRY_KINDS,
    EntryFields,
    HeaderFields,
    entry_digest,
    entry_problem,
    header_digest,
    header_problem,
    is_digest,
    params_problem,
)

DEFAULT_DIRECTORY = ".escsim"
DATABASE_FILE = "workspace.sqlite"
#: 2: the header and every entry carry checksums. Format 1 (escsim 0.1.0) had none.
FORMAT_VERSION = 2
# Marks the file as escsim's in the SQLite header (PRAGMA application_id): "ESCS".
_APPLICATION_ID = 0x45534353
_SQLITE_MAGIC = b"SQLite format 3\x00"
_BUSY_TIMEOUT_SECONDS = 60.0
# What reading a damaged file raises: SQLite's errors, and UnicodeDecodeError when the message of
# one quotes bytes of the damaged file that are not UTF-8.
_DAMAGE = (sqlite3.DatabaseError, UnicodeDecodeError)

_SCHEMA = (
    """CREATE TABLE header (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    format INTEGER NOT NULL,
    escsim TEXT NOT NULL,
    account TEXT NOT NULL,
    region TEXT NOT NULL,
    seed INTEGER NOT NULL,
    start REAL NOT NULL,
    knobs TEXT NOT NULL,
    digest TEXT NOT NULL,
    head TEXT NOT NULL
)""",
    """CREATE TABLE journal (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    at REAL NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('init', 'import', 'request', 'advance')),
    operation TEXT,
    params TEXT NOT NULL,
    account TEXT NOT NULL,
    region TEXT NOT NULL,
    hash TEXT NOT NULL
)""",
)

_T = TypeVar("_T")


class WorkspaceError(Exception):
    """A workspace that cannot be used: foreign, corrupted, or made by another escsim. The
    message is one line, with text quoted from a damaged file shown escaped."""

    def __init__(self, message: str) -> None:
        super().__init__(_one_line(message))


def _one_line(text: str) -> str:
    # Imported here: engine.safetext brings rich, which a command that succeeds never needs.
    from engine.safetext import escape_controls

    return escape_controls(text, one_line=True)


class WorkspaceMissing(WorkspaceError):
    """No workspace has been created in the directory yet."""


class WorkspaceExists(WorkspaceError):
    """A workspace was to be created where one already is."""


class WorkspaceDamaged(WorkspaceError):
    """A header or journal entry (``seq``, None: the header) that breaks a rule or its checksum."""

    def __init__(
        self,
        problem: str,
        *,
        seq: int | None = None,
        what: str | None = None,
        database: Path | None = None,
    ) -> None:
        self.problem = problem = _one_line(problem)
        self.seq = seq
        self.what = what = None if what is None else _one_line(what)
        self.database = database
        where = f"{database}: " if database is not None else ""
        subject = "the workspace header" if seq is None else f"journal entry {seq} ({what})"
        super().__init__(f"{where}{subject}: {problem}")

    def located(self, database: Path) -> WorkspaceDamaged:
        """The same finding, naming ``database``."""
        return WorkspaceDamaged(self.problem, seq=self.seq, what=self.what, database=database)


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

    def fields(self) -> HeaderFields:
        """The columns this header is stored as."""
        return HeaderFields(
            self.format,
            self.escsim,
            self.account,
            self.region,
            self.seed,
            float(self.start),
            json.dumps(self.knobs, sort_keys=True),
        )


@dataclasses.dataclass(frozen=True)
class JournalEntry:
    """One accepted change: a request, a clock move, an import or the initial organisation, at
    ``at`` virtual seconds since the start (for ``advance``, the time the clock moved to)."""

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
        self, connection: sqlite3.Connection, header: Header, database: Path, digest: str
    ) -> None:
        self._connection = connection
        self.header = header
        self._database = database
        self._digest = digest

    def entries(self) -> list[JournalEntry]:
        """Every journal entry, oldest first, checked against the rules and the chain: raises
        WorkspaceDamaged naming the first bad entry, WorkspaceError for an unreadable journal."""
        return self.checked()[0]

    def checked(self) -> tuple[list[JournalEntry], list[str]]:
        """Every entry (as :meth:`entries`) and, for each, its checksum in the chain."""
        try:
            rows = self._connection.execute(
                "SELECT seq, at, kind, operation, params, account, region, hash "
                "FROM journal ORDER BY seq"
            ).fetchall()
            (head,) = self._connection.execute("SELECT head FROM header WHERE id = 1").fetchone()
        except (sqlite3.DatabaseError, ValueError, TypeError) as exc:
            # Undecodable text or a malformed page: the file was damaged outside escsim.
            raise WorkspaceError(
                f"{self._database}: the workspace journal is damaged and cannot be read ({exc})"
            ) from None
        entries: list[JournalEntry] = []
        digests: list[str] = []
        previous, previous_at = self._digest, None
        for *columns, stored in rows:
            fields = EntryFields(*columns)
            what = fields.operation if isinstance(fields.operation, str) else str(fields.kind)
            problem = entry_problem(fields, self.header.start, previous_at)
            params: Any = None
            if problem is None:
                try:
                    params = codec.loads(fields.params)
                except RecursionError:
                    problem = "its parameters nest too deeply to read"
                except (ValueError, TypeError) as exc:
                    problem = f"its parameters are not valid JSON ({exc})"
                else:
                    problem = params_problem(fields.kind, params)
            digest = entry_digest(previous, fields)
            if problem is None and stored != digest:
                problem = (
                    "its checksum does not match: the entry, or one before it, was changed, "
                    "removed or reordered after it was written"
                )
            if problem is not None:
                raise WorkspaceDamaged(problem, seq=fields.seq, what=what, database=self._database)
            entries.append(JournalEntry(*fields._replace(at=float(fields.at), params=params)))
            digests.append(digest)
            previous, previous_at = digest, float(fields.at)
        if head != previous:
            last = f"entry {entries[-1].seq}" if entries else "no entry"
            raise WorkspaceDamaged(
                f"the journal ends at {last}, but the header records another last entry: "
                "entries were removed from its end, or the header's record of it was changed",
                database=self._database,
            )
        return entries, digests

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
        """Add an entry (committed with the transaction); returns its sequence number. An entry
        that breaks the journal's rules is not written: WorkspaceError."""
        if kind not in ENTRY_KINDS:
            raise ValueError(f"unknown journal entry kind {kind!r}")
        text = codec.dumps(params)
        (head,) = self._connection.execute("SELECT head FROM header WHERE id = 1").fetchone()
        last = self._connection.execute(
            "SELECT at FROM journal ORDER BY seq DESC LIMIT 1"
        ).fetchone()
        account = account or self.header.account
        region = region or self.header.region
        fields = EntryFields(0, float(at), kind, operation, text, account, region)
        problem = entry_problem(fields, self.header.start, None if last is None else last[0])
        problem = problem or params_problem(kind, params)
        if problem is not None:
            raise WorkspaceError(
                f"{self._database}: escsim will not journal this {operation or kind}: {problem}"
            )
        cursor = self._connection.execute(
            "INSERT INTO journal (at, kind, operation, params, account, region, hash) "
            "VALUES (?, ?, ?, ?, ?, ?, '')",
            (fields.at, kind, operation, text, account, region),
        )
        seq = cursor.lastrowid
        assert seq is not None
        digest = entry_digest(head, fields._replace(seq=seq))
        self._connection.execute("UPDATE journal SET hash = ? WHERE seq = ?", (digest, seq))
        self._connection.execute("UPDATE header SET head = ? WHERE id = 1", (digest,))
        return seq

    def delete_after_init(self) -> int:
        """Remove every entry but the initial organisation; how many were removed."""
        entries, digests = self.checked()
        pairs = zip(entries, digests, strict=True)
        kept = [digest for entry, digest in pairs if entry.kind == "init"]
        cursor = self._connection.execute("DELETE FROM journal WHERE kind != 'init'")
        head = kept[-1] if kept else self._digest
        self._connection.execute("UPDATE header SET head = ? WHERE id = 1", (head,))
        return cursor.rowcount


class Workspace:
    """A workspace directory and its database. Open with :meth:`open` or :meth:`create`."""

    def __init__(
        self, directory: Path, connection: sqlite3.Connection, header: Header, digest: str
    ) -> None:
        self.directory = directory
        self._connection = connection
        self.header = header
        self.digest = digest
        """The header's checksum, where the journal's chain starts."""

    @property
    def database(self) -> Path:
        return self.directory / DATABASE_FILE

    @classmethod
    def open(cls, directory: str | os.PathLike[str]) -> Workspace:
        """Open an existing workspace, checking its file and header; nothing is written. Raises
        WorkspaceMissing, WorkspaceDamaged (the header) or WorkspaceError (not one of ours)."""
        path = Path(directory)
        require_directory(path)
        database = path / DATABASE_FILE
        if not os.path.lexists(database):
            _require_no_leftovers(database)
            raise WorkspaceMissing(f"no escsim workspace in {path}")
        _check_file(database)
        connection = _retrying(database, lambda: _connect(database))
        try:
            header, digest = _read_header(connection, database)
            _retrying(database, lambda: _use_wal(connection))
        except BaseException:
            connection.close()
            raise
        return cls(path, connection, header, digest)

    @classmethod
    def create(cls, directory: str | os.PathLike[str], header: Header) -> Workspace:
        """Create a workspace with ``header``; raises WorkspaceExists if one exists already."""
        workspace, created = cls.open_or_create(directory, header)
        if not created:
            workspace.close()
            raise WorkspaceExists(f"{Path(directory)} already holds an escsim workspace")
        return workspace

    @classmethod
    def open_or_create(
        cls, directory: str | os.PathLike[str], header: Header
    ) -> tuple[Workspace, bool]:
        """(workspace, created): created with ``header`` if no file is there, never replaced."""
        path = Path(directory)
        require_directory(path)
        try:
            path.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise WorkspaceError(f"cannot create the workspace directory {path}: {exc}") from None
        database = path / DATABASE_FILE
        created = False
        if not os.path.lexists(database):
            _require_no_leftovers(database)
            created = _create(database, header)
        return cls.open(path), created

    def close(self) -> None:
        self._connection.close()

    def __enter__(self) -> Workspace:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextlib.contextmanager
    def transaction(self, *, write: bool) -> Iterator[Transaction]:
        """A transaction, committed at the end and rolled back when an exception leaves the block;
        ``write`` ones are serialised (``BEGIN IMMEDIATE``)."""
        try:
            self._connection.execute("BEGIN IMMEDIATE" if write else "BEGIN")
        except (sqlite3.Error, UnicodeDecodeError) as exc:
            raise WorkspaceError(f"cannot use the workspace {self.database}: {exc}") from None
        try:
            yield Transaction(self._connection, self.header, self.database, self.digest)
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
        except (sqlite3.Error, UnicodeDecodeError) as exc:
            with contextlib.suppress(sqlite3.Error):
                self._connection.execute("ROLLBACK")
            raise WorkspaceError(f"cannot write the workspace {self.database}: {exc}") from None

    def journal_length(self) -> int:
        """How many journal entries the file holds, checked or not."""
        try:
            (count,) = self._connection.execute("SELECT count(*) FROM journal").fetchone()
        except _DAMAGE as exc:
            raise WorkspaceError(f"the workspace {self.database} is damaged ({exc})") from None
        return int(count)

    def entries(self) -> list[JournalEntry]:
        """Every journal entry, read and checked in a transaction of its own."""
        with self.transaction(write=False) as tx:
            return tx.entries()


def require_directory(path: Path) -> None:
    """Refuse a workspace path that names something other than a directory."""
    if os.path.lexists(path) and not path.is_dir():
        raise WorkspaceError(
            f"{path} is a file, not a workspace directory (a workspace is a directory holding "
            f"{DATABASE_FILE})"
        )


def _require_no_leftovers(database: Path) -> None:
    """A write-ahead log without its database is a workspace deleted in part: never reuse it."""
    wal = database.with_name(database.name + "-wal")
    if os.path.lexists(wal):
        raise WorkspaceError(
            f"{database} is missing but its write-ahead log {wal.name} is there: the workspace "
            "was deleted in part; remove the directory or restore the file"
        )


def _check_file(database: Path) -> None:
    """Refuse, from its first bytes, a file that cannot be an escsim workspace."""
    try:
        info = database.stat()
    except OSError as exc:
        raise WorkspaceError(f"cannot open the workspace {database}: {exc.strerror}") from None
    if stat.S_ISDIR(info.st_mode):
        raise WorkspaceError(
            f"cannot open the workspace {database}: it is a directory, not a database file"
        )
    if not stat.S_ISREG(info.st_mode):
        raise WorkspaceError(f"cannot open the workspace {database}: it is not a regular file")
    try:
        with open(database, "rb") as stream:
            start = stream.read(100)
    except OSError as exc:
        raise WorkspaceError(f"cannot open the workspace {database}: {exc.strerror}") from None
    if not start:
        raise WorkspaceError(f"{database} is an empty file, not an escsim workspace")
    if len(start) < 100 or not start.startswith(_SQLITE_MAGIC):
        raise WorkspaceError(f"{database} is not an escsim workspace (not an SQLite database)")
    if int.from_bytes(start[68:72], "big") != _APPLICATION_ID:
        raise WorkspaceError(f"{database} is an SQLite file, but not an escsim workspace")


def _create(database: Path, header: Header) -> bool:
    """Write a new workspace under a private name and link it into place (False: another won)."""
    fields = header.fields()
    problem = header_problem(fields)
    if problem is not None:
        raise WorkspaceError(f"cannot create a workspace in {database.parent}: {problem}")
    digest = header_digest(fields)
    scratch = database.with_name(f".{database.name}.{os.getpid()}.{secrets.token_hex(4)}.new")
    try:
        connection = sqlite3.connect(scratch, isolation_level=None)
        try:
            connection.execute("PRAGMA journal_mode = WAL")
            connection.execute("PRAGMA synchronous = FULL")
            connection.execute(f"PRAGMA application_id = {_APPLICATION_ID}")
            connection.execute("BEGIN IMMEDIATE")
            for statement in _SCHEMA:
                connection.execute(statement)
            connection.execute(
                "INSERT INTO header VALUES (1, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (*fields, digest, digest),
            )
            connection.execute("COMMIT")
        finally:
            connection.close()  # the last connection folds the log into the file
        return _link(scratch, database)
    except sqlite3.Error as exc:
        raise WorkspaceError(f"cannot create a workspace in {database.parent}: {exc}") from None
    except OSError as exc:
        raise WorkspaceError(
            f"cannot create a workspace in {database.parent}: {exc.strerror or exc}"
        ) from None
    finally:
        for leftover in (scratch, *(scratch.with_name(scratch.name + s) for s in ("-wal", "-shm"))):
            with contextlib.suppress(OSError):
                leftover.unlink()


def _link(scratch: Path, database: Path) -> bool:
    try:
        os.link(scratch, database)
    except FileExistsError:
        return False
    except OSError:
        # No hard links on this file system: a rename, which could replace a file that appeared
        # a moment ago, so only when there still is none.
        if os.path.lexists(database):
            return False
        os.replace(scratch, database)
    with contextlib.suppress(OSError):  # make the new name durable
        directory = os.open(database.parent, os.O_RDONLY)
        try:
            os.fsync(directory)
        finally:
            os.close(directory)
    return True


def _connect(database: Path) -> sqlite3.Connection:
    connection = sqlite3.connect(
        database,
        timeout=_BUSY_TIMEOUT_SECONDS,
        isolation_level=None,
        check_same_thread=False,
    )
    try:
        connection.execute("PRAGMA synchronous = FULL")
    except BaseException:
        connection.close()
        raise
    return connection


def _use_wal(connection: sqlite3.Connection) -> None:
    """Switch a checked workspace to WAL mode if an outside tool switched it off."""
    # Switching needs the file to itself, and SQLite does not wait for that on its own: check
    # first (a plain read), switch only a file that is not in WAL mode.
    (mode,) = connection.execute("PRAGMA journal_mode").fetchone()
    if str(mode).lower() != "wal":
        connection.execute("PRAGMA journal_mode = WAL")


def _retrying(database: Path, action: Callable[[], _T]) -> _T:
    """``action``, retried while another process holds the file; SQLite errors as WorkspaceError."""
    deadline = time.monotonic() + _BUSY_TIMEOUT_SECONDS
    while True:
        try:
            return action()
        except sqlite3.OperationalError as exc:
            busy = any(word in str(exc).lower() for word in ("locked", "busy"))
            if busy and time.monotonic() < deadline:
                time.sleep(0.01)
                continue
            raise WorkspaceError(f"cannot open the workspace {database}: {exc}") from None
        except _DAMAGE as exc:
            raise WorkspaceError(f"{database} is not an escsim workspace ({exc})") from None


def _read_header(connection: sqlite3.Connection, database: Path) -> tuple[Header, str]:
    """The stored header and its checksum, every rule checked; WorkspaceError otherwise."""
    try:
        application_id = connection.execute("PRAGMA application_id").fetchone()[0]
        tables = {
            name
            for (name,) in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        }
        if application_id != _APPLICATION_ID or not {"header", "journal"} <= tables:
            raise WorkspaceError(f"{database} is an SQLite file, but not an escsim workspace")
        version = connection.execute("SELECT format, escsim FROM header WHERE id = 1").fetchone()
        if version is None:
            raise WorkspaceDamaged("the header row is missing", database=database)
        fmt, escsim = version
        _check_version(fmt, escsim, database)
        row = connection.execute(
            "SELECT account, region, seed, start, knobs, digest, head FROM header WHERE id = 1"
        ).fetchone()
    except _DAMAGE as exc:
        raise WorkspaceError(f"{database} is not an escsim workspace ({exc})") from None
    account, region, seed, start, knobs, stored, head = row
    fields = HeaderFields(fmt, escsim, account, region, seed, start, knobs)
    problem = header_problem(fields)
    if problem is None and (not is_digest(stored) or stored != header_digest(fields)):
        problem = "its checksum does not match: it was changed after it was written"
    if problem is None and not is_digest(head):
        problem = f"its record of the journal's last entry ({head!r}) is not a checksum"
    if problem is not None:
        raise WorkspaceDamaged(problem, database=database)
    header = Header(account, region, seed, float(start), json.loads(knobs), escsim, fmt)
    return header, stored


def _check_version(fmt: object, escsim: object, database: Path) -> None:
    if fmt == 1:
        raise WorkspaceError(
            f"{database} is a workspace of format 1, made by escsim {escsim} before journals "
            f"carried checksums; this is escsim {__version__}, which reads format "
            f"{FORMAT_VERSION} only. Use escsim {escsim} with it, or create a new workspace with "
            "`escsim workspace init`"
        )
    if fmt != FORMAT_VERSION:
        raise WorkspaceError(
            f"{database} has workspace format {fmt!r}; this escsim reads format {FORMAT_VERSION}"
        )
    if escsim != __version__:
        raise WorkspaceError(
            f"{database} was made by escsim {escsim}; this is escsim {__version__}, whose replay "
            "could differ. Use escsim "
            f"{escsim}, or start afresh with `escsim workspace init` in another directory"
        )
