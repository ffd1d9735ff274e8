"""Damaged and edited workspace files: refused with one line and exit 253, unchanged, or as before.

A healthy workspace (contacts, a channel, an engagement, clock moves) is damaged in one of these
ways, drawn at random: bytes of the file flipped, the file cut short, a header or journal column
set to a hostile value (huge and negative numbers, NaN-like text, regions such as ``../..``,
deeply nested or broken JSON, unknown operations and kinds), entries removed, repeated or
reordered, and the same edits with every checksum recomputed afterwards (a forger's edit).

Then ``list-contacts`` and ``workspace verify`` run on it. Each must exit with a documented code
(0 or 253; verify 0, 1 or 253) with no traceback, one line on stderr when refused, and leave a
refused file byte for byte as it was. An edit that changed a stored value without recomputing
the checksums is always refused; a file that is accepted without a forger's help holds exactly
the healthy state; and ``verify`` agrees with the command about whether the workspace is sound.
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
import sqlite3
import tempfile
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from engine.workspace import DATABASE_FILE, LOCK_FILE
from tests.fuzz.shapes import CASES
from tests.workspace.tamper import checkpoint, healthy_workspace, isolated, quiet, reseal

FAST = settings(
    max_examples=150,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
LONG = settings(FAST, max_examples=1500, derandomize=False)

HEADER_COLUMNS = (
    "format",
    "escsim",
    "account",
    "region",
    "seed",
    "start",
    "knobs",
    "digest",
    "head",
)
JOURNAL_COLUMNS = ("at", "kind", "operation", "params", "account", "region", "hash")
ENTRIES = 6


@dataclasses.dataclass(frozen=True)
class Healthy:
    """The untouched workspace: its file and what the commands print for it."""

    data: bytes
    contacts: str


@cache
def healthy() -> Healthy:
    with tempfile.TemporaryDirectory() as scratch, isolated():
        directory = Path(scratch) / "ws"
        database = healthy_workspace(directory)
        code, out, err = quiet("list-contacts", "--workspace", str(directory))
        assert code == 0, err
        return Healthy(database.read_bytes(), out)


# -- hostile values and the mutations that use them -----------------------------------------------


def deep_json(depth: int) -> str:
    return '{"a": ' + "[" * depth + "]" * depth + "}"


HOSTILE: list[object] = [
    "", "x", "../..", "us-east-3", "eu-west-1", "111122223334", "DropEverything", "CreateContact",
    "init", "import", "request", "advance", "{}", "[1]", "{not json", "\u00e9", "0.0.0",
    -50, -1, 0, 1, 2, 7, 99, 2**62, 2**63 - 1, -(2**63), 1e308, -1e308, 1e-300, 0.5, 299.5, 900.0,
    1767258000.0, "9" * 5000, "1e308", '{"MaxResults": ' + "9" * 5000 + "}",
    '{"Alias": "c11", "Type": "PERSONAL", "Plan": {"Stages": []}}',
    '{"Alias": 5, "Type": "PERSONAL", "Plan": {"Stages": []}}',
    '{"latency.SMS": 1e400}', '{"repeat": "lots"}', "0" * 64, "f" * 64,
]  # fmt: skip


@dataclasses.dataclass(frozen=True)
class Mutation:
    """One way of damaging the file; ``changed`` once applied: whether a stored value moved."""

    kind: str
    args: tuple[Any, ...]
    forged: bool = False


def _values() -> st.SearchStrategy[object]:
    return st.one_of(
        st.sampled_from(HOSTILE),
        st.integers(min_value=10, max_value=5000).map(deep_json),
        st.integers(-(2**63), 2**63 - 1),
        st.floats(allow_nan=False),
        st.text(max_size=30),
    )


def mutations() -> st.SearchStrategy[Mutation]:
    size = len(healthy().data)
    flips = st.lists(
        st.tuples(st.integers(0, size - 1), st.integers(0, 255)), min_size=1, max_size=4
    ).map(lambda pairs: Mutation("flip", tuple(pairs)))
    cut = st.integers(0, size - 1).map(lambda length: Mutation("cut", (length,)))
    header = st.tuples(st.sampled_from(HEADER_COLUMNS), _values()).map(
        lambda pair: Mutation("header", pair)
    )
    entry = st.tuples(st.integers(1, ENTRIES), st.sampled_from(JOURNAL_COLUMNS), _values()).map(
        lambda triple: Mutation("entry", triple)
    )
    structure = st.one_of(
        st.integers(1, ENTRIES).map(lambda seq: Mutation("delete", (seq,))),
        st.integers(1, ENTRIES).map(lambda seq: Mutation("repeat", (seq,))),
        st.tuples(st.integers(1, ENTRIES), st.integers(1, ENTRIES)).map(
            lambda pair: Mutation("swap", pair)
        ),
    )
    edits = st.one_of(header, entry, structure)
    forged = edits.map(lambda m: dataclasses.replace(m, forged=True))
    return st.one_of(flips, cut, edits, forged)


def _sql(database: Path, statement: str, params: tuple[object, ...] = ()) -> bool:
    """Run an edit the way a tool would; False when SQLite itself refuses it."""
    connection = sqlite3.connect(database)
    try:
        connection.execute("PRAGMA ignore_check_constraints = ON")
        connection.execute(statement, params)
        connection.commit()
        return True
    except (sqlite3.Error, OverflowError, ValueError):
        return False
    finally:
        connection.close()


def _rows(database: Path) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    connection = sqlite3.connect(database)
    try:
        header = connection.execute("SELECT * FROM header").fetchall()
        journal = connection.execute("SELECT * FROM journal ORDER BY seq").fetchall()
        return header, journal
    finally:
        connection.close()


def apply(mutation: Mutation, database: Path) -> bool:
    """Damage ``database``; returns whether any stored value changed (for SQL edits)."""
    if mutation.kind == "flip":
        data = bytearray(database.read_bytes())
        for offset, value in mutation.args:
            data[offset] = value
        database.write_bytes(bytes(data))
        return False
    if mutation.kind == "cut":
        database.write_bytes(database.read_bytes()[: mutation.args[0]])
        return False
    before = _rows(database)
    if mutation.kind == "header":
        column, value = mutation.args
        done = _sql(database, f"UPDATE header SET {column} = ?", (value,))
    elif mutation.kind == "entry":
        seq, column, value = mutation.args
        done = _sql(database, f"UPDATE journal SET {column} = ? WHERE seq = ?", (value, seq))
    elif mutation.kind == "delete":
        done = _sql(database, "DELETE FROM journal WHERE seq = ?", mutation.args)
    elif mutation.kind == "repeat":
        done = _sql(
            database,
            "INSERT INTO journal (at, kind, operation, params, account, region, hash) "
            "SELECT at, kind, operation, params, account, region, hash FROM journal WHERE seq = ?",
            mutation.args,
        )
    else:
        first, second = mutation.args
        done = _sql(
            database,
            "UPDATE journal SET params = (SELECT params FROM journal AS other WHERE other.seq = "
            "CASE journal.seq WHEN ? THEN ? ELSE ? END) WHERE seq IN (?, ?)",
            (first, second, first, first, second),
        )
    if done and mutation.forged:
        # Columns a forger cannot even read back are left as they are.
        with contextlib.suppress(sqlite3.Error, TypeError, ValueError):
            reseal(database)
    checkpoint(database)
    return done and _rows(database) != before


# -- judging ---------------------------------------------------------------------------------------


def judge(mutation: Mutation) -> None:
    CASES[("workspace", mutation.kind + ("-forged" if mutation.forged else ""))] += 1
    with tempfile.TemporaryDirectory() as scratch, isolated():
        directory = Path(scratch) / "ws"
        directory.mkdir()
        database = directory / DATABASE_FILE
        database.write_bytes(healthy().data)
        try:
            changed = apply(mutation, database)
        except sqlite3.DatabaseError:
            changed = False  # the edit broke the file as it was made: judged below all the same
        damaged = database.read_bytes()
        code, out, err = quiet("list-contacts", "--workspace", str(directory))
        verdict, report, verify_err = quiet(
            "workspace", "verify", "--workspace", str(directory), "--output", "json"
        )
        for exit_code, stderr in ((code, err), (verdict, verify_err)):
            assert "Traceback" not in stderr and "unexpected error" not in stderr, stderr
            if exit_code == 253:
                assert len(stderr.strip().splitlines()) == 1, stderr
        assert code in (0, 253), (code, err)
        assert verdict in (0, 1, 253), (verdict, verify_err)
        if code == 253:
            assert database.read_bytes() == damaged, "a refused workspace was changed"
            assert verdict in (1, 253), report
            assert not set(os.listdir(directory)) - {DATABASE_FILE, LOCK_FILE}
        else:
            assert verdict == 0, (report, verify_err)
            assert not changed or mutation.forged, f"an edit was accepted: {mutation}"
            if not mutation.forged:
                assert out == healthy().contacts, "the workspace changed without a word"


@FAST
@given(mutation=mutations())
def test_a_damaged_or_edited_workspace_is_refused_or_unchanged(mutation: Mutation) -> None:
    judge(mutation)


@pytest.mark.slow
@LONG
@given(mutation=mutations())
def test_damaged_and_edited_workspaces_in_a_long_fuzz(mutation: Mutation) -> None:
    judge(mutation)


@pytest.mark.parametrize("column", HEADER_COLUMNS)
@pytest.mark.parametrize("value", HOSTILE[:14])
def test_every_header_column_with_every_hostile_value(column: str, value: object) -> None:
    judge(Mutation("header", (column, value)))


@pytest.mark.parametrize("column", JOURNAL_COLUMNS)
@pytest.mark.parametrize("depth", [1, 999, 5000])
def test_deep_json_in_every_journal_column(column: str, depth: int) -> None:
    judge(Mutation("entry", (2, column, deep_json(depth)), forged=True))
    judge(Mutation("entry", (2, column, deep_json(depth))))
