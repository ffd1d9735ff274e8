"""Editing a workspace file behind escsim's back, as a hand, a tool or a forger would.

- :func:`edit` runs SQL on the database and folds the write-ahead log into the file, so that
  the file's bytes are the whole workspace (as the tests compare them).
- :func:`reseal` recomputes every checksum after an edit, as someone who knows the scheme
  could: what is left to catch such an edit is the rules of the header and entries and the
  replay through the service's validation.
- :func:`healthy_workspace` makes a workspace with a little of everything in its journal;
  :func:`quiet` runs a command in process and :func:`isolated` keeps the machine's settings out.
"""

from __future__ import annotations

import contextlib
import io
import os
import sqlite3
from collections.abc import Iterator, Sequence
from pathlib import Path
from unittest import mock

from engine.cli.main import main
from engine.workspace import DATABASE_FILE
from engine.workspace.integrity import EntryFields, HeaderFields, entry_digest, header_digest

__all__ = ["checkpoint", "edit", "healthy_workspace", "isolated", "quiet", "reseal"]

START = "2026-01-01T09:00:00Z"
ARN = "arn:aws:ssm-contacts:us-east-2:111122223333"


def checkpoint(database: Path) -> None:
    """Fold the write-ahead log into the database file."""
    connection = sqlite3.connect(database)
    try:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        connection.close()


def edit(database: Path, statement: str, params: Sequence[object] = ()) -> None:
    """Run one SQL statement on ``database`` and fold the log into the file."""
    connection = sqlite3.connect(database)
    try:
        connection.execute(statement, params)
        connection.commit()
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        connection.close()


def reseal(database: Path) -> None:
    """Recompute the header's checksum, every entry's link in the chain and the head."""
    connection = sqlite3.connect(database)
    try:
        row = connection.execute(
            "SELECT format, escsim, account, region, seed, start, knobs FROM header"
        ).fetchone()
        digest = header_digest(HeaderFields(*row))
        previous = digest
        for columns in connection.execute(
            "SELECT seq, at, kind, operation, params, account, region FROM journal ORDER BY seq"
        ).fetchall():
            previous = entry_digest(previous, EntryFields(*columns))
            connection.execute("UPDATE journal SET hash = ? WHERE seq = ?", (previous, columns[0]))
        connection.execute("UPDATE header SET digest = ?, head = ?", (digest, previous))
        connection.commit()
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        connection.close()


_SETTINGS = (
    "AWS_REGION",
    "AWS_DEFAULT_REGION",
    "AWS_PROFILE",
    "ESCSIM_WORKSPACE",
    "ESCSIM_ACCOUNT_ID",
)


@contextlib.contextmanager
def isolated() -> Iterator[None]:
    """The process environment without AWS or escsim settings, for the ``with`` block (usable
    where pytest's monkeypatch is not: module caches, hypothesis tests)."""
    env = {key: value for key, value in os.environ.items() if key not in _SETTINGS}
    env["AWS_CONFIG_FILE"] = os.devnull
    with mock.patch.dict(os.environ, env, clear=True):
        yield


def quiet(*argv: str) -> tuple[int, str, str]:
    """``escsim argv`` in process; returns (exit code, stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(argv))
    return code, out.getvalue(), err.getvalue()


def healthy_workspace(directory: Path) -> Path:
    """A workspace in ``directory`` holding contacts, a channel, an engagement and clock moves;
    returns its database file, the log folded in."""
    ws = ("--workspace", str(directory))
    steps = [
        ("workspace", "init", *ws, "--region", "us-east-2", "--start", START, "--seed", "7"),
        ("create-contact", *ws, "--alias", "c10", "--type", "PERSONAL", "--plan", "Stages=[]"),
        ("create-contact", *ws, "--alias", "c11", "--type", "PERSONAL", "--plan", "Stages=[]"),
        (
            "create-contact-channel",
            *ws,
            "--contact-id",
            f"{ARN}:contact/c10",
            "--name",
            "sms",
            "--type",
            "SMS",
            "--delivery-address",
            "SimpleAddress=+15005550100",
        ),
        ("clock", "advance", "5m", *ws),
        (
            "start-engagement",
            *ws,
            "--contact-id",
            f"{ARN}:contact/c11",
            "--sender",
            "s",
            "--subject",
            "s",
            "--content",
            "c",
        ),
        ("clock", "advance", "10m", *ws),
    ]
    for argv in steps:
        code, _, err = quiet(*argv)
        assert code == 0, (argv, err)
    database = directory / DATABASE_FILE
    checkpoint(database)
    return database
