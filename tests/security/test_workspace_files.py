"""A corrupted or foreign workspace database gives one clear line and exit 253, never a traceback.

Damage of every kind: random bytes, a database cut short at several lengths, a byte changed in
the middle of a journal entry's text, an entry whose JSON no longer parses, a header whose start
instant is not a number, an SQLite file of another application, a directory where the file
should be. Reading (``list-contacts``, ``clock show``, ``events``) and writing (``create-contact``)
commands are refused alike, and nothing of the damaged file is changed by trying.
"""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.workspace.cli_harness import Cli, make_cli

COMMANDS = (
    ("list-contacts",),
    ("clock", "show"),
    ("events",),
    ("create-contact", "--alias", "late", "--type", "PERSONAL", "--plan", "Stages=[]"),
)


@pytest.fixture
def cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> Cli:
    return make_cli(tmp_path, monkeypatch, capsys)


def healthy_database(cli: Cli) -> bytes:
    """A workspace file with 30 journal entries, all in the main file (no WAL left)."""
    for n in range(30):
        cli.ok(
            "create-contact", "--alias", f"c{n:02d}", "--type", "PERSONAL", "--plan", "Stages=[]"
        )
    database = cli.workspace / "workspace.sqlite"
    connection = sqlite3.connect(database)
    connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    connection.close()
    return database.read_bytes()


def flip_inside(marker: bytes) -> Callable[[bytes], bytes]:
    def damage(data: bytes) -> bytes:
        at = data.index(marker) + len(marker)
        return data[:at] + b"\xff" + data[at + 1 :]

    return damage


def with_sql(statement: str) -> Callable[[Path], None]:
    def damage(database: Path) -> None:
        connection = sqlite3.connect(database)
        connection.execute(statement)
        connection.commit()
        connection.close()

    return damage


BYTE_DAMAGE: dict[str, Callable[[bytes], bytes]] = {
    "random-bytes": lambda data: bytes((i * 7919 + 13) % 256 for i in range(len(data))),
    "cut-to-100-bytes": lambda data: data[:100],
    "cut-to-one-page": lambda data: data[:4096],
    "cut-inside-the-journal": lambda data: data[: data.index(b'"Alias":"c15')],
    "byte-changed-in-an-alias": flip_inside(b'"Alias":"c1'),
    "byte-changed-in-an-operation": flip_inside(b"CreateCon"),
}
SQL_DAMAGE: dict[str, Callable[[Path], None]] = {
    "entry-json-broken": with_sql("UPDATE journal SET params = '{not json' WHERE seq = 7"),
    "header-start-not-a-number": with_sql("UPDATE header SET start = 'soon'"),
    "entry-of-an-unknown-kind": with_sql("UPDATE journal SET kind = 'import', params = '[1]'"),
}


def assert_refused(cli: Cli, argv: tuple[str, ...]) -> str:
    result = cli(*argv)
    assert result.code == 253, (argv, result.code, result.err)
    lines = result.err.strip().splitlines()
    assert len(lines) == 1, result.err
    assert "Traceback" not in result.err and "unexpected error" not in result.err
    assert result.out == ""
    return lines[0]


@pytest.mark.parametrize("damage", sorted(BYTE_DAMAGE))
def test_a_damaged_file_is_refused_with_one_line(cli: Cli, damage: str) -> None:
    database = cli.workspace / "workspace.sqlite"
    database.write_bytes(BYTE_DAMAGE[damage](healthy_database(cli)))
    before = database.read_bytes()
    for argv in COMMANDS:
        line = assert_refused(cli, argv)
        assert str(database) in line, line
    assert database.read_bytes() == before


@pytest.mark.parametrize("damage", sorted(SQL_DAMAGE))
def test_a_journal_or_header_edited_by_hand_is_refused_with_one_line(cli: Cli, damage: str) -> None:
    healthy_database(cli)
    SQL_DAMAGE[damage](cli.workspace / "workspace.sqlite")
    for argv in COMMANDS:
        assert_refused(cli, argv)


def test_an_sqlite_file_of_another_application_is_refused(cli: Cli, tmp_path: Path) -> None:
    cli.workspace.mkdir()
    with_sql("CREATE TABLE photos (id INTEGER PRIMARY KEY, name TEXT)")(
        cli.workspace / "workspace.sqlite"
    )
    for argv in COMMANDS:
        line = assert_refused(cli, argv)
        assert "is an SQLite file, but not an escsim workspace" in line


def test_a_directory_where_the_database_should_be_is_refused(cli: Cli) -> None:
    (cli.workspace / "workspace.sqlite").mkdir(parents=True)
    for argv in COMMANDS:
        assert "cannot open the workspace" in assert_refused(cli, argv)


def test_a_healthy_copy_still_opens(cli: Cli, tmp_path: Path) -> None:
    data = healthy_database(cli)
    shutil.rmtree(cli.workspace)
    cli.workspace.mkdir()
    (cli.workspace / "workspace.sqlite").write_bytes(data)
    assert '"Alias": "c29"' in cli.ok("list-contacts").out
