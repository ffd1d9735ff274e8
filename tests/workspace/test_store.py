"""The workspace database: header checks, the journal, transactions, replay, holding."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from pathlib import Path

import pytest

from engine import __version__
from engine.workspace import (
    Header,
    Workspace,
    WorkspaceError,
    WorkspaceHeld,
    WorkspaceMissing,
    codec,
    hold,
    replay,
    shared,
)

START = 1767258000.0  # 2026-01-01T09:00:00Z
HEADER = Header("111122223333", "us-east-2", 7, START, {"latency.SMS": 3})
ARN = "arn:aws:ssm-contacts:us-east-2:111122223333"


def _contact(alias: str) -> dict[str, object]:
    return {"Alias": alias, "Type": "PERSONAL", "Plan": {"Stages": []}}


def test_header_is_stored_and_read_back(tmp_path: Path) -> None:
    Workspace.create(tmp_path, HEADER).close()
    with Workspace.open(tmp_path) as workspace:
        assert workspace.header == HEADER
        assert workspace.header.escsim == __version__


def test_opening_a_directory_without_a_workspace_says_so(tmp_path: Path) -> None:
    with pytest.raises(WorkspaceMissing, match="no escsim workspace"):
        Workspace.open(tmp_path)


def test_creating_over_an_existing_workspace_is_refused(tmp_path: Path) -> None:
    Workspace.create(tmp_path, HEADER).close()
    with pytest.raises(WorkspaceError, match="already holds"):
        Workspace.create(tmp_path, HEADER)


def test_a_workspace_of_another_escsim_version_is_refused(tmp_path: Path) -> None:
    Workspace.create(tmp_path, HEADER).close()
    connection = sqlite3.connect(tmp_path / "workspace.sqlite")
    connection.execute("UPDATE header SET escsim = '0.0.1'")
    connection.commit()
    connection.close()
    with pytest.raises(WorkspaceError, match=r"made by escsim 0\.0\.1"):
        Workspace.open(tmp_path)


def test_a_workspace_of_another_format_is_refused(tmp_path: Path) -> None:
    Workspace.create(tmp_path, HEADER).close()
    connection = sqlite3.connect(tmp_path / "workspace.sqlite")
    connection.execute("UPDATE header SET format = 99")
    connection.commit()
    connection.close()
    with pytest.raises(WorkspaceError, match="format 99"):
        Workspace.open(tmp_path)


def test_a_corrupted_file_is_refused(tmp_path: Path) -> None:
    Workspace.create(tmp_path, HEADER).close()
    database = tmp_path / "workspace.sqlite"
    data = bytearray(database.read_bytes())
    data[:16] = b"garbage garbage!"
    database.write_bytes(bytes(data))
    for suffix in ("-wal", "-shm"):
        (tmp_path / f"workspace.sqlite{suffix}").unlink(missing_ok=True)
    with pytest.raises(WorkspaceError, match="not an escsim workspace"):
        Workspace.open(tmp_path)


def test_journal_keeps_entries_in_order_with_exact_timestamps(tmp_path: Path) -> None:
    moment = dt.datetime(2026, 1, 1, 9, 30, 0, 123000, tzinfo=dt.UTC)
    with Workspace.create(tmp_path, HEADER) as workspace:
        with workspace.transaction(write=True) as tx:
            tx.append("request", 0.0, _contact("a"), operation="CreateContact")
            tx.append("advance", 60.5, {})
            tx.append("request", 60.5, {"StartTime": moment}, operation="X", region="eu-west-1")
        entries = workspace.entries()
    assert [(e.seq, e.kind, e.at) for e in entries] == [
        (1, "request", 0.0),
        (2, "advance", 60.5),
        (3, "request", 60.5),
    ]
    assert entries[2].params == {"StartTime": moment}
    assert (entries[2].account, entries[2].region) == ("111122223333", "eu-west-1")


def test_a_failed_transaction_keeps_nothing(tmp_path: Path) -> None:
    with Workspace.create(tmp_path, HEADER) as workspace:
        with pytest.raises(RuntimeError), workspace.transaction(write=True) as tx:
            tx.append("request", 0.0, _contact("a"), operation="CreateContact")
            raise RuntimeError("stop")
        assert workspace.entries() == []


def test_codec_round_trips_datetimes_and_key_order() -> None:
    value = {"b": [1, {"t": dt.datetime(2026, 1, 1, tzinfo=dt.UTC)}], "a": "x"}
    text = codec.dumps(value)
    assert list(json.loads(text)) == ["b", "a"]
    assert codec.loads(text) == value


def test_replay_is_deterministic(tmp_path: Path) -> None:
    with Workspace.create(tmp_path, HEADER) as workspace:
        with workspace.transaction(write=True) as tx:
            tx.append("request", 0.0, _contact("akuam"), operation="CreateContact")
            tx.append(
                "request",
                0.0,
                {"ContactId": f"{ARN}:contact/akuam", "Name": "sms", "Type": "SMS",
                 "DeliveryAddress": {"SimpleAddress": "+15005550100"}},
                operation="CreateContactChannel",
            )  # fmt: skip
            tx.append("advance", 600.0, {})
        entries = workspace.entries()
    first = replay(HEADER, entries)
    second = replay(HEADER, entries)
    assert json.dumps(first.result()) == json.dumps(second.result())
    assert first.now == dt.datetime(2026, 1, 1, 9, 10, tzinfo=dt.UTC)
    assert [m["Kind"] for m in first.outbox] == ["ACTIVATION"]
    assert first.knobs.latency["SMS"] == 3


def test_an_entry_that_no_longer_replays_is_named(tmp_path: Path) -> None:
    with Workspace.create(tmp_path, HEADER) as workspace:
        with workspace.transaction(write=True) as tx:
            tx.append("request", 0.0, {"ContactId": "nope"}, operation="GetContact")
        entries = workspace.entries()
    with pytest.raises(WorkspaceError, match=r"journal entry 1 \(GetContact\): no longer replays"):
        replay(HEADER, entries)


def test_reset_keeps_only_the_initial_organisation(tmp_path: Path) -> None:
    with Workspace.create(tmp_path, HEADER) as workspace:
        with workspace.transaction(write=True) as tx:
            tx.append("init", 0.0, {"contacts": [], "channels": []})
            tx.append("request", 0.0, _contact("a"), operation="CreateContact")
            tx.append("advance", 5.0, {})
        with workspace.transaction(write=True) as tx:
            assert tx.delete_after_init() == 2
        assert [e.kind for e in workspace.entries()] == ["init"]


def test_a_held_workspace_refuses_shared_use_and_a_second_holder(tmp_path: Path) -> None:
    with hold(tmp_path, "http://127.0.0.1:4566"):
        with pytest.raises(WorkspaceHeld) as refused, shared(tmp_path):
            pass
        assert refused.value.endpoint == "http://127.0.0.1:4566"
        assert "--endpoint-url http://127.0.0.1:4566" in str(refused.value)
        with pytest.raises(WorkspaceHeld), hold(tmp_path, wait=0.1):
            pass
    with shared(tmp_path):
        pass


def test_a_holder_waits_for_running_commands(tmp_path: Path) -> None:
    with shared(tmp_path), pytest.raises(WorkspaceHeld), hold(tmp_path, wait=0.1):
        pass
    with hold(tmp_path, wait=0.1):
        pass
