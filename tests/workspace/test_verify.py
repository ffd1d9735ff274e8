"""``escsim workspace verify``: 0 when sound, 1 naming the first bad entry, 253 for no workspace.

It runs the checks every command runs when it opens and replays a workspace, reports the first
failure in rich text or as JSON (``--output json``), and writes nothing.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from engine.workspace import DATABASE_FILE
from tests.workspace.cli_harness import Cli
from tests.workspace.tamper import edit, reseal


def test_a_sound_workspace_is_reported_with_its_chain_head(cli: Cli, database: Path) -> None:
    result = cli("workspace", "verify", "--output", "json")
    assert result.code == 0, result.err
    report = result.json()
    assert report["Sound"] is True and report["Entries"] == 6
    assert report["Database"] == str(database)
    assert re.fullmatch(r"[0-9a-f]{64}", report["Head"])
    text = cli("workspace", "verify")
    assert text.code == 0
    assert f"{database}: sound" in text.out
    assert "The header and 6 journal entries keep every rule" in text.out
    assert report["Head"] in text.out


def test_the_head_changes_with_every_entry(cli: Cli, database: Path) -> None:
    first = cli.ok("workspace", "verify", "--output", "json").json()["Head"]
    cli.ok("clock", "advance", "1m")
    second = cli.ok("workspace", "verify", "--output", "json").json()
    assert second["Head"] != first and second["Entries"] == 7


def test_the_first_bad_entry_is_named(cli: Cli, database: Path) -> None:
    data = database.read_bytes()
    database.write_bytes(data.replace(b'"Alias":"c11"', b'"Alias":"c1x"'))
    before = database.read_bytes()
    result = cli("workspace", "verify", "--output", "json")
    assert result.code == 1, result.err
    assert result.json()["Sound"] is False
    assert result.json()["FirstBad"] == {
        "Entry": 2,
        "What": "CreateContact",
        "Problem": "its checksum does not match: the entry, or one before it, was changed, "
        "removed or reordered after it was written",
    }
    text = cli("workspace", "verify")
    assert text.code == 1
    assert f"{database}: damaged (6 journal entries)" in text.out
    assert "First bad: entry 2 (CreateContact)" in text.out
    assert database.read_bytes() == before


def test_a_bad_header_is_named(cli: Cli, database: Path) -> None:
    edit(database, "UPDATE header SET region = '../..'")
    result = cli("workspace", "verify", "--output", "json")
    assert result.code == 1
    assert result.json()["FirstBad"] == {
        "Entry": None,
        "What": "header",
        "Problem": "region '../..' is not a region name such as us-east-2",
    }


def test_a_request_the_service_refuses_is_found_by_replay(cli: Cli, database: Path) -> None:
    edit(database, "UPDATE journal SET params = '{\"Alias\": 5}' WHERE seq = 2")
    reseal(database)
    result = cli("workspace", "verify", "--output", "json")
    assert result.code == 1
    bad = result.json()["FirstBad"]
    assert (bad["Entry"], bad["What"]) == (2, "CreateContact")
    assert bad["Problem"].startswith("no longer replays: ValidationException")


def test_a_cut_journal_is_found(cli: Cli, database: Path) -> None:
    edit(database, "DELETE FROM journal WHERE seq = 6")
    result = cli("workspace", "verify", "--output", "json")
    assert result.code == 1
    assert result.json()["Entries"] == 5
    assert "the journal ends at entry 5" in result.json()["FirstBad"]["Problem"]


@pytest.mark.parametrize("kind", ["missing", "empty-file", "foreign"])
def test_no_workspace_to_judge_exits_253(cli: Cli, kind: str) -> None:
    if kind != "missing":
        cli.workspace.mkdir()
        (cli.workspace / DATABASE_FILE).write_bytes(b"" if kind == "empty-file" else b"x" * 200)
    result = cli("workspace", "verify", "--output", "json")
    assert result.code == 253 and result.out == ""
    assert len(result.err.strip().splitlines()) == 1
    assert result.err.startswith("escsim workspace verify: ")
    if kind == "missing":
        assert not cli.workspace.exists()
