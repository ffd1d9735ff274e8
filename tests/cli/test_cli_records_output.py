"""``escsim outbox`` and ``escsim events`` for people (table, text) and machines (json, yaml)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from tests.workspace.cli_harness import ESCALATION_SCENARIO, Cli, make_cli

ESCALATION = "arn:aws:ssm-contacts:us-east-2:111122223333:contact/example_escalation"


@pytest.fixture
def cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> Cli:
    made = make_cli(tmp_path, monkeypatch, capsys)
    made.ok("workspace", "init", "--from", str(ESCALATION_SCENARIO))
    made.ok(
        "start-engagement", "--contact-id", ESCALATION, "--sender", "cli", "--subject", "s",
        "--content", "Testing engagements via CLI", "--public-subject", "ps",
        "--public-content", "Testing engagements va CLI",
    )  # fmt: skip
    made.ok("clock", "advance", "6m")
    return made


def test_json_stays_the_default_with_the_records_shapes(cli: Cli) -> None:
    messages = cli.ok("outbox").json()
    assert messages == cli.ok("outbox", "--output", "json").json()
    assert messages[0]["Time"] == 1767258000.0  # epoch seconds, as interfaces.md says
    assert list(messages[0])[:3] == ["Time", "Kind", "ChannelType"]


@pytest.mark.parametrize("kind", ["outbox", "events"])
def test_yaml_holds_the_same_records_as_json(cli: Cli, kind: str) -> None:
    as_json = cli.ok(kind).json()
    assert yaml.safe_load(cli.ok(kind, "--output", "yaml").out) == as_json


def test_outbox_text_is_one_line_per_message_with_iso_instants(cli: Cli) -> None:
    messages = cli.ok("outbox").json()
    lines = cli.ok("outbox", "--output", "text").out.splitlines()
    assert len(lines) == len(messages)
    assert lines[0].split("\t") == [
        "2026-01-01T09:00:00+00:00",
        "PAGE",
        "akuam",
        "SMS",
        messages[0]["Code"],
        "ps: Testing engagements va CLI",
    ]
    voice = next(line for line in lines if "\tVOICE\t" in line).split("\t")
    assert voice[0] == "2026-01-01T09:05:00+00:00"
    assert voice[5] == "s: Testing engagements via CLI"


def test_outbox_table_shows_instants_contacts_channels_codes_and_texts(cli: Cli) -> None:
    table = cli.ok("outbox", "--output", "table").out
    first = cli.ok("outbox").json()[0]
    for column in ("time", "kind", "contact", "channel", "code", "text"):
        assert column in table
    assert "2026-01-01T09:00:00+00:00" in table
    assert first["Code"] in table and "akuam" in table and "Testing engagements va CLI" in table
    assert "1767258000" not in table


def test_events_text_names_type_contact_channel_and_the_rest(cli: Cli) -> None:
    events = cli.ok("events").json()
    rows = [line.split("\t") for line in cli.ok("events", "--output", "text").out.splitlines()]
    assert len(rows) == len(events)
    stage = next(row for row in rows if row[1] == "STAGE_STARTED")
    assert stage[1:] == ["STAGE_STARTED", "example_escalation", "", "StageIndex=0"]
    assert stage[0] == "2026-01-01T09:00:00+00:00"
    message = next(row for row in rows if row[1] == "MESSAGE")
    assert message[2:] == ["akuam", "SMS", "Attempt=1 Outcome=SENT"]


def test_events_table_has_its_own_columns(cli: Cli) -> None:
    table = cli.ok("events", "--output", "table").out
    assert "Event log" in table
    for column in ("time", "type", "contact", "channel", "detail"):
        assert column in table
    assert "ENGAGEMENT_STARTED" in table


def test_outbox_and_events_each_describe_themselves(cli: Cli) -> None:
    outbox, events = cli.ok("outbox", "--help").out, cli.ok("events", "--help").out
    assert "Print every message" in " ".join(outbox.split())
    assert "Print the workspace's event log" in " ".join(events.split())
    for text in (outbox, events):
        assert "{json,jsonl,yaml,table,text}" in text


def test_an_unknown_output_is_refused(cli: Cli) -> None:
    refused = cli("outbox", "--output", "csv")
    assert refused.code == 252
    assert "invalid choice: 'csv'" in refused.err
