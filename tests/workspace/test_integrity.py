"""What makes a workspace sound, and that anything else is refused, unchanged, with one line.

Only a missing database file is ever created. A header or journal entry that breaks a rule (the
account, region, seed, start and settings of the header; the kind, operation, virtual time,
account, region and parameters of an entry; the clock never running backwards) is refused with
the entry named; so is every edit the checksum chain catches (a changed byte, an entry removed
from the middle or the end, entries reordered), and a request that the service's validation
refuses on replay, even when the checksums were recomputed to hide the edit.
"""

from __future__ import annotations

import os
import sqlite3
import threading
from collections.abc import Callable
from pathlib import Path

import pytest

from engine import __version__
from engine.workspace import (
    DATABASE_FILE,
    Header,
    Workspace,
    WorkspaceDamaged,
    WorkspaceError,
    replay,
)
from tests.workspace.cli_harness import Cli
from tests.workspace.tamper import edit, reseal

START = 1767258000.0  # 2026-01-01T09:00:00Z
HEADER = Header("111122223333", "us-east-2", 7, START, {})
VERSION = f"{__version__}111122223333"  # how the header row's version and account lie in the file


def refused(cli: Cli, *argv: str) -> str:
    """Run a command that must be refused with exit 253 and one line; returns the line."""
    result = cli(*argv)
    assert result.code == 253, (argv, result.code, result.err)
    lines = result.err.strip().splitlines()
    assert len(lines) == 1, result.err
    assert "Traceback" not in result.err and "unexpected error" not in result.err
    return lines[0]


def refused_unchanged(cli: Cli, database: Path, *argv: str) -> str:
    """As :func:`refused`, and the database file must be byte for byte as it was."""
    before = database.read_bytes()
    line = refused(cli, *argv)
    assert database.read_bytes() == before
    return line


def files(directory: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(directory.iterdir()) if path.is_file()}


# -- only a missing file is created ---------------------------------------------------------------


def test_a_zero_byte_database_is_refused_and_left_empty(cli: Cli) -> None:
    cli.workspace.mkdir()
    (cli.workspace / DATABASE_FILE).write_bytes(b"")
    for argv in (
        ("list-contacts",),
        ("create-contact", "--alias", "a", "--type", "PERSONAL", "--plan", "Stages=[]"),
        ("clock", "show"),
        ("workspace", "show"),
        ("workspace", "init", "--region", "us-east-2"),
    ):
        line = refused(cli, *argv)
        assert f"{cli.workspace / DATABASE_FILE} is an empty file" in line, line
    assert files(cli.workspace) == {DATABASE_FILE: b""}


def test_an_empty_directory_or_none_gets_a_new_workspace(cli: Cli, tmp_path: Path) -> None:
    cli.workspace.mkdir()
    cli.ok("list-contacts")
    assert (cli.workspace / DATABASE_FILE).stat().st_size > 0
    cli.ok("list-contacts", "--workspace", str(tmp_path / "new" / "dir"))
    assert (tmp_path / "new" / "dir" / DATABASE_FILE).is_file()


def test_a_write_ahead_log_without_its_database_is_refused(cli: Cli) -> None:
    cli.workspace.mkdir()
    (cli.workspace / f"{DATABASE_FILE}-wal").write_bytes(b"\x37\x7f\x06\x82" + bytes(28))
    line = refused(cli, "list-contacts")
    assert "was deleted in part" in line
    assert not (cli.workspace / DATABASE_FILE).exists()


@pytest.mark.parametrize(
    "argv",
    [("list-contacts",), ("clock", "show"), ("workspace", "show"), ("workspace", "verify")],
)
def test_a_workspace_option_naming_a_file_is_refused(
    cli: Cli, tmp_path: Path, argv: tuple[str, ...]
) -> None:
    named = tmp_path / "in.json"
    named.write_text("{}")
    line = refused(cli, *argv, "--workspace", str(named))
    assert f"{named} is a file, not a workspace directory" in line
    assert named.read_text() == "{}"


def test_concurrent_first_uses_create_one_workspace(tmp_path: Path) -> None:
    results: list[bool] = []
    barrier = threading.Barrier(6)

    def first_use(start: float) -> None:
        barrier.wait()
        header = Header("111122223333", "us-east-2", 0, start, {})
        workspace, created = Workspace.open_or_create(tmp_path / "ws", header)
        results.append(created)
        workspace.close()

    threads = [threading.Thread(target=first_use, args=(START + n,)) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == [False] * 5 + [True]
    assert sorted(os.listdir(tmp_path / "ws")) == [DATABASE_FILE]


# -- the header ------------------------------------------------------------------------------------

HEADER_EDITS = {
    "account-x": ("account = 'x'", "account 'x' is not an AWS account id (12 digits)"),
    "region-dotdot": ("region = '../..'", "region '../..' is not a region name"),
    "start-1e300": ("start = 1e300", "start 1e+300 is not an instant escsim can represent"),
    "start-text": ("start = 'soon'", "start 'soon' is not an instant"),
    "seed-negative": ("seed = -1", "seed -1 is not a whole number from 0 to"),
    "seed-text": ("seed = 'x'", "seed 'x' is not a whole number"),
    "knobs-invalid": ('knobs = \'{"repeat": "lots"}\'', "its settings are refused"),
    "knobs-not-an-object": ("knobs = '[1]'", "its settings are not a JSON object"),
    "knobs-not-json": ("knobs = '{'", "its settings are not JSON"),
    "region-changed": ("region = 'eu-west-1'", "its checksum does not match: it was changed"),
    "seed-changed": ("seed = 8", "its checksum does not match"),
    "head-garbled": ("head = 'x'", "its record of the journal's last entry ('x') is not"),
}


@pytest.mark.parametrize("name", sorted(HEADER_EDITS))
def test_a_header_that_breaks_a_rule_is_refused_naming_it(
    cli: Cli, database: Path, name: str
) -> None:
    change, expected = HEADER_EDITS[name]
    edit(database, f"UPDATE header SET {change}")
    line = refused_unchanged(cli, database, "list-contacts")
    assert line.startswith(f"escsim: {database}: the workspace header: "), line
    assert expected in line, line


def test_a_workspace_of_format_1_is_refused_with_what_to_do(cli: Cli) -> None:
    cli.workspace.mkdir()
    database = cli.workspace / DATABASE_FILE
    connection = sqlite3.connect(database)
    connection.execute("PRAGMA application_id = 1163084627")  # "ESCS"
    connection.execute(
        "CREATE TABLE header (id INTEGER PRIMARY KEY, format INTEGER, escsim TEXT, account TEXT, "
        "region TEXT, seed INTEGER, start REAL, knobs TEXT)"
    )
    connection.execute("CREATE TABLE journal (seq INTEGER PRIMARY KEY, at REAL, kind TEXT)")
    connection.execute(
        "INSERT INTO header VALUES (1, 1, '0.1.0', '111122223333', 'us-east-1', 0, 0, '{}')"
    )
    connection.commit()
    connection.close()
    line = refused_unchanged(cli, database, "list-contacts")
    assert "is a workspace of format 1, made by escsim 0.1.0 before journals carried" in line
    assert f"this is escsim {__version__}, which reads format 2 only" in line


def test_a_new_workspace_keeps_the_header_rules(tmp_path: Path) -> None:
    with pytest.raises(WorkspaceError, match=r"region '\.\./\.\.' is not a region name"):
        Workspace.create(tmp_path, Header("111122223333", "../..", 0, START, {}))
    assert not (tmp_path / DATABASE_FILE).exists()


# -- entries: rules, even when the checksums were recomputed --------------------------------------

ENTRY_EDITS: dict[str, tuple[str, str]] = {
    "clock-backwards": ("UPDATE journal SET at = 60 WHERE seq = 6", "earlier than the entry"),
    "clock-negative": ("UPDATE journal SET at = -50 WHERE seq = 1", "from 0 up"),
    "clock-1e308": ("UPDATE journal SET at = 1e308 WHERE seq = 6", "past what escsim can"),
    "clock-nan": ("UPDATE journal SET at = 'soon' WHERE seq = 6", "'soon' is not a number"),
    "account-x": ("UPDATE journal SET account = 'x' WHERE seq = 2", "its account 'x' is not"),
    "region-dotdot": ("UPDATE journal SET region = '../..' WHERE seq = 2", "its region '../..'"),
    "operation-lower": (
        "UPDATE journal SET operation = 'drop' WHERE seq = 2",
        "its operation 'drop' is not an operation name",
    ),
    "operation-unknown": (
        "UPDATE journal SET operation = 'DropEverything' WHERE seq = 2",
        "no longer replays: ValidationException: Operation 'DropEverything' is not",
    ),
    "operation-on-advance": (
        "UPDATE journal SET operation = 'CreateContact' WHERE seq = 4",
        "a advance entry names an operation",
    ),
    "params-not-json": ("UPDATE journal SET params = '{not json' WHERE seq = 2", "not valid JSON"),
    "params-deep": (
        "UPDATE journal SET params = '{\"a\": ' || replace(hex(zeroblob(3000)), '00', '[') "
        "|| replace(hex(zeroblob(3000)), '00', ']') || '}' WHERE seq = 2",
        "nest too deeply",
    ),
    "params-not-an-object": (
        "UPDATE journal SET params = '[1]' WHERE seq = 2",
        "not a JSON object",
    ),
    "advance-with-params": (
        "UPDATE journal SET params = '{\"a\": 1}' WHERE seq = 4",
        "a clock move carries no parameters",
    ),
    "request-now-invalid": (
        'UPDATE journal SET params = \'{"Alias": 5, "Type": "PERSONAL", '
        '"Plan": {"Stages": []}}\' WHERE seq = 2',
        "no longer replays: ValidationException",
    ),
    "init-not-first": (
        "UPDATE journal SET kind = 'init', operation = NULL, params = '{}' WHERE seq = 6",
        "an init entry (the initial organisation) may only come first",
    ),
}


@pytest.mark.parametrize("name", sorted(ENTRY_EDITS))
def test_an_entry_that_breaks_a_rule_is_refused_even_resealed(
    cli: Cli, database: Path, name: str
) -> None:
    statement, expected = ENTRY_EDITS[name]
    edit(database, statement)
    reseal(database)
    line = refused_unchanged(cli, database, "list-contacts")
    assert f"escsim: {database}: journal entry " in line, line
    assert expected in line, line


def test_an_entry_of_an_unknown_kind_is_refused(cli: Cli, database: Path) -> None:
    connection = sqlite3.connect(database)
    connection.execute("PRAGMA ignore_check_constraints = ON")
    connection.execute("UPDATE journal SET kind = 'wormhole' WHERE seq = 3")
    connection.commit()
    connection.close()
    reseal(database)
    line = refused(cli, "list-contacts")
    assert "journal entry 3 (CreateContactChannel): its kind 'wormhole' is not one of" in line


def test_resealing_an_untouched_workspace_changes_nothing(cli: Cli, database: Path) -> None:
    before = cli.ok("list-contacts").out
    reseal(database)
    assert cli.ok("list-contacts").out == before


# -- the checksum chain ---------------------------------------------------------------------------


def flip(database: Path, marker: bytes, replacement: bytes) -> None:
    data = database.read_bytes()
    assert data.count(marker) == 1
    database.write_bytes(data.replace(marker, replacement))


CHAIN_EDITS: dict[str, tuple[Callable[[Path], None], str]] = {
    "byte-in-an-alias": (
        lambda db: flip(db, b'"Alias":"c11"', b'"Alias":"c1x"'),
        "journal entry 2 (CreateContact): its checksum does not match",
    ),
    "byte-in-the-header-region": (
        lambda db: flip(db, f"{VERSION}us-east-2".encode(), f"{VERSION}us-east-3".encode()),
        "the workspace header: its checksum does not match: it was changed",
    ),
    "entry-removed": (
        lambda db: edit(db, "DELETE FROM journal WHERE seq = 3"),
        "journal entry 4 (advance): its checksum does not match",
    ),
    "last-entry-removed": (
        lambda db: edit(db, "DELETE FROM journal WHERE seq = 6"),
        "the journal ends at entry 5, but the header records another last entry",
    ),
    "entries-reordered": (
        lambda db: edit(
            db,
            "UPDATE journal SET params = (SELECT params FROM journal AS other "
            "WHERE other.seq = 3 - journal.seq) WHERE seq IN (1, 2)",
        ),
        "journal entry 1 (CreateContact): its checksum does not match",
    ),
    "entry-repeated": (
        lambda db: edit(
            db,
            "INSERT INTO journal (at, kind, operation, params, account, region, hash) "
            "SELECT at + 1000, kind, operation, params, account, region, hash FROM journal "
            "WHERE seq = 6",
        ),
        "journal entry 7 (advance): its checksum does not match",
    ),
    "time-moved-later": (
        lambda db: edit(db, "UPDATE journal SET at = 901 WHERE seq = 6"),
        "journal entry 6 (advance): its checksum does not match",
    ),
}


@pytest.mark.parametrize("name", sorted(CHAIN_EDITS))
def test_an_edit_that_keeps_every_rule_is_caught_by_the_checksums(
    cli: Cli, database: Path, name: str
) -> None:
    damage, expected = CHAIN_EDITS[name]
    damage(database)
    for argv in (("list-contacts",), ("clock", "show"), ("events",)):
        assert expected in refused_unchanged(cli, database, *argv)


def test_reset_refuses_a_damaged_journal_rather_than_cut_it(cli: Cli, database: Path) -> None:
    flip(database, b'"Alias":"c11"', b'"Alias":"c1x"')
    assert "its checksum does not match" in refused_unchanged(cli, database, "workspace", "reset")


def test_reset_keeps_the_chain_sound(cli: Cli, database: Path) -> None:
    cli.ok("workspace", "reset")
    cli.ok("create-contact", "--alias", "again", "--type", "PERSONAL", "--plan", "Stages=[]")
    assert [c["Alias"] for c in cli.ok("list-contacts").json()["Contacts"]] == ["again"]


# -- appending keeps the rules ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("at", "kwargs", "expected"),
    [
        (1e13, {}, "past what escsim can represent"),
        (-1.0, {}, "from 0 up"),
        (5.0, {"region": "../x"}, "its region '../x'"),
        (5.0, {"account": "12"}, "its account '12'"),
    ],
)
def test_an_entry_breaking_a_rule_is_not_journaled(
    tmp_path: Path, at: float, kwargs: dict[str, str], expected: str
) -> None:
    with Workspace.create(tmp_path, HEADER) as workspace:
        with pytest.raises(WorkspaceError, match=expected), workspace.transaction(write=True) as tx:
            tx.append("advance", at, {}, **kwargs)
        assert workspace.entries() == []


def test_the_clock_cannot_be_journaled_backwards(tmp_path: Path) -> None:
    with Workspace.create(tmp_path, HEADER) as workspace:
        with workspace.transaction(write=True) as tx:
            tx.append("advance", 60.0, {})
        with (
            pytest.raises(WorkspaceError, match="earlier than the entry before it"),
            workspace.transaction(write=True) as tx,
        ):
            tx.append("advance", 30.0, {})
        assert [entry.at for entry in workspace.entries()] == [60.0]


def test_replay_names_the_entry_and_the_file_it_comes_from(tmp_path: Path) -> None:
    with Workspace.create(tmp_path, HEADER) as workspace:
        with workspace.transaction(write=True) as tx:
            tx.append("request", 0.0, {"ContactId": "nope"}, operation="GetContact")
        entries = workspace.entries()
    with pytest.raises(WorkspaceDamaged) as caught:
        replay(HEADER, entries, database=tmp_path / DATABASE_FILE)
    assert caught.value.seq == 1 and caught.value.what == "GetContact"
    assert str(caught.value).startswith(f"{tmp_path / DATABASE_FILE}: journal entry 1")


def test_a_header_of_this_version_is_what_the_file_holds(tmp_path: Path) -> None:
    Workspace.create(tmp_path, HEADER).close()
    with Workspace.open(tmp_path) as workspace:
        assert workspace.header == HEADER and workspace.header.escsim == __version__
        assert len(workspace.digest) == 64
