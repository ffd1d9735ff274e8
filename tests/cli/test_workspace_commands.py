"""``escsim workspace``, ``clock``, ``outbox`` and ``events``: the workspace between commands."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.workspace.cli_harness import ESCALATION_SCENARIO, PERSONAL_SCENARIO, Cli, make_cli

EAST2 = "arn:aws:ssm-contacts:us-east-2:111122223333"
HERE = "arn:aws:ssm-contacts:us-east-1:111122223333"


@pytest.fixture
def cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> Cli:
    return make_cli(tmp_path, monkeypatch, capsys)


def _engage(cli: Cli, contact: str) -> str:
    return str(
        cli.ok(
            "start-engagement", "--contact-id", contact, "--sender", "cli", "--subject", "s",
            "--content", "c", "--query", "EngagementArn", "--output", "text",
        ).out.strip()
    )  # fmt: skip


def test_init_records_seed_start_account_region_and_settings(cli: Cli) -> None:
    result = cli.ok(
        "workspace", "init", "--seed", "5", "--start", "2026-03-01T00:00:00Z",
        "--set", "latency.SMS=9", "--set", "repeat=1", "--region", "eu-west-1",
        "--account", "444455556666",
    )  # fmt: skip
    assert "seed 5" in result.out
    shown = cli.ok("workspace", "show").json()
    assert (shown["Seed"], shown["Region"], shown["Account"]) == (5, "eu-west-1", "444455556666")
    assert shown["Start"] == shown["Now"] == "2026-03-01T00:00:00+00:00"
    assert shown["Settings"] == {"latency.SMS": 9, "repeat": 1}


def test_init_refuses_an_existing_workspace_and_bad_settings(cli: Cli) -> None:
    cli.ok("workspace", "init")
    again = cli("workspace", "init")
    assert again.code == 252
    assert "already holds an escsim workspace" in again.err
    bad = cli("workspace", "init", "--set", "repeat=99", "--workspace", str(cli.workspace) + "2")
    assert bad.code == 252
    assert "repeat" in bad.err


def test_init_from_a_scenario_takes_its_organisation_and_settings(cli: Cli) -> None:
    result = cli.ok("workspace", "init", "--from", str(PERSONAL_SCENARIO))
    assert "1 contacts, 3 channels" in result.out
    assert "its script was not run" in result.out
    channels = cli.ok(
        "list-contact-channels", "--contact-id", f"{EAST2}:contact/akuam", "--query",
        "ContactChannels[].[Name,ActivationStatus]", "--output", "text",
    )  # fmt: skip
    assert channels.out == (
        "akuas sms\tACTIVATED\nakuas voice\tACTIVATED\nakuas email\tACTIVATED\n"
    )
    assert cli.ok("list-engagements").json() == {"Engagements": []}
    assert cli.ok("clock", "show").out == "2026-01-01T09:00:00+00:00\n"


def test_init_from_a_scenario_keeps_its_responders(cli: Cli) -> None:
    cli.ok("workspace", "init", "--from", str(ESCALATION_SCENARIO))
    engagement = _engage(cli, f"{EAST2}:contact/example_escalation")
    cli.ok("clock", "advance", "10m")
    reads = [e for e in cli.ok("events").json() if e["Type"] == "RECEIPT"]
    read = [e for e in reads if e["ReceiptType"] == "READ"]
    assert len(read) == 1 and read[0]["EngagementArn"] == engagement
    assert read[0]["Time"] == 1767258000 + 420


def test_init_from_an_unreadable_scenario_exits_253(cli: Cli, tmp_path: Path) -> None:
    broken = tmp_path / "broken.scenario.yaml"
    broken.write_text("version: 1\ncontacts: [1, 2\n", encoding="utf-8")
    result = cli("workspace", "init", "--from", str(broken))
    assert result.code == 253
    assert not (cli.workspace / "workspace.sqlite").exists()


def test_clock_advance_runs_what_is_due_and_set_moves_to_an_instant(cli: Cli) -> None:
    cli.ok("workspace", "init", "--from", str(PERSONAL_SCENARIO))
    _engage(cli, f"{EAST2}:contact/akuam")
    assert [m["ChannelType"] for m in cli.ok("outbox").json()] == ["SMS"]
    assert cli.ok("clock", "advance", "5m").out == "2026-01-01T09:05:00+00:00\n"
    assert [m["ChannelType"] for m in cli.ok("outbox").json()] == ["SMS", "VOICE"]
    assert cli.ok("clock", "set", "2026-01-01T09:10:00Z").out == "2026-01-01T09:10:00+00:00\n"
    assert [m["ChannelType"] for m in cli.ok("outbox").json()] == ["SMS", "VOICE", "EMAIL"]
    shown = cli.ok("clock", "show", "--output", "json").json()
    assert shown == {
        "Now": "2026-01-01T09:10:00+00:00",
        "Start": "2026-01-01T09:00:00+00:00",
        "ElapsedSeconds": 600.0,
    }


def test_clock_refuses_to_go_back_and_bad_durations(cli: Cli) -> None:
    cli.ok("workspace", "init", "--start", "2026-01-01T09:00:00Z")
    cli.ok("clock", "advance", "1h")
    back = cli("clock", "set", "2026-01-01T09:30:00Z")
    assert back.code == 252
    assert "cannot move backwards" in back.err
    bad = cli("clock", "advance", "soon")
    assert bad.code == 252
    assert "not a duration" in bad.err
    assert cli.ok("clock", "show").out == "2026-01-01T10:00:00+00:00\n"


def test_clock_advance_refuses_a_bare_number_as_scenario_files_do(cli: Cli) -> None:
    cli.ok("workspace", "init", "--start", "2026-01-01T09:00:00Z")
    bare = cli("clock", "advance", "15")
    assert bare.code == 252
    assert bare.err == "escsim clock advance: 15: a bare number has no unit: write 15m or 15s\n"
    assert cli.ok("clock", "show").out == "2026-01-01T09:00:00+00:00\n"  # not moved


def test_clock_advance_takes_every_unit_up_to_weeks(cli: Cli) -> None:
    cli.ok("workspace", "init", "--start", "2026-01-01T09:00:00Z")
    assert cli.ok("clock", "advance", "1w").out == "2026-01-08T09:00:00+00:00\n"
    assert cli.ok("clock", "advance", "1w2d3h4m5s").out == "2026-01-17T12:04:05+00:00\n"
    assert cli.ok("clock", "advance", "0").out == "2026-01-17T12:04:05+00:00\n"


@pytest.mark.parametrize(
    ("value", "says"),
    [
        ("99999999999999999999d", "not a duration: '99999999999999999999d' (too long"),
        ("600000w", "600000w takes the clock from 2026-01-01T09:00:00+00:00 past the year 9999"),
        ("inf", "not a duration: 'inf'"),
    ],
)
def test_clock_advance_past_the_calendar_is_a_usage_error_naming_the_value(
    cli: Cli, value: str, says: str
) -> None:
    cli.ok("workspace", "init", "--start", "2026-01-01T09:00:00Z")
    refused = cli("clock", "advance", value)
    assert refused.code == 252
    assert says in refused.err
    assert "Traceback" not in refused.err and "OverflowError" not in refused.err
    assert cli.ok("clock", "show").out == "2026-01-01T09:00:00+00:00\n"


def test_outbox_and_events_print_the_interface_shapes(cli: Cli) -> None:
    cli.ok("workspace", "init", "--from", str(PERSONAL_SCENARIO))
    engagement = _engage(cli, f"{EAST2}:contact/akuam")
    (page,) = cli.ok("outbox").json()
    # An SMS of an engagement without public texts carries no Subject (docs/semantics.md E6).
    assert list(page) == [
        "Time", "Kind", "ChannelType", "ContactChannelArn", "DeliveryAddress", "ContactArn",
        "EngagementArn", "PageArn", "Content", "Code", "Attempt", "Outcome",
    ]  # fmt: skip
    assert page["EngagementArn"] == engagement
    lines = cli.ok("events", "--output", "jsonl").out.splitlines()
    types = [json.loads(line)["Type"] for line in lines]
    assert "ENGAGEMENT_STARTED" in types and "PAGE_CREATED" in types
    assert all(isinstance(json.loads(line)["Time"], float | int) for line in lines)


def test_reset_forgets_everything_since_init(cli: Cli) -> None:
    cli.ok("workspace", "init", "--from", str(PERSONAL_SCENARIO))
    _engage(cli, f"{EAST2}:contact/akuam")
    cli.ok("clock", "advance", "5m")
    assert "removed 2 journal entries" in cli.ok("workspace", "reset").out
    assert cli.ok("list-engagements").json() == {"Engagements": []}
    assert cli.ok("clock", "show").out == "2026-01-01T09:00:00+00:00\n"
    assert len(cli.ok("list-contacts").json()["Contacts"]) == 1


def test_commands_on_a_held_workspace_point_at_the_endpoint(cli: Cli) -> None:
    from engine.workspace import hold

    cli.ok("workspace", "init")
    with hold(cli.workspace, "http://127.0.0.1:5000"):
        for argv in (["clock", "show"], ["outbox"], ["events"], ["workspace", "show"]):
            result = cli(*argv)
            assert result.code == 253, argv
            assert "--endpoint-url http://127.0.0.1:5000" in result.err


def test_export_writes_a_scenario_that_reproduces_the_workspace(cli: Cli, tmp_path: Path) -> None:
    from engine.scenario.loader import load_file
    from engine.scenario.runner import run_scenario

    cli.ok("workspace", "init", "--from", str(ESCALATION_SCENARIO), "--set", "latency.SMS=7")
    cli.ok("clock", "advance", "2m")
    _engage(cli, f"{EAST2}:contact/example_escalation")
    cli.ok("clock", "advance", "90s")
    cli.ok(
        "create-contact", "--alias", "late", "--type", "PERSONAL", "--plan", "Stages=[]",
        "--tags", "Key=team,Value=ops",
    )  # fmt: skip
    cli.ok("clock", "advance", "2h")
    exported = tmp_path / "exported.scenario.yaml"
    cli.ok("workspace", "export", "-o", str(exported), "--name", "again")
    document = yaml.safe_load(exported.read_text(encoding="utf-8"))
    assert [list(step) for step in document["script"]] == [
        ["at", "StartEngagement"],
        ["at", "CreateContact"],
    ]
    assert [step["at"] for step in document["script"]] == ["2m", "3m30s"]
    assert document["settings"] == {"latency.SMS": 7}
    assert document["responders"] == {
        "akuam": {"acknowledges_after": "7m", "via": "SMS", "accept_type": "READ"}
    }
    (scenario,) = load_file(str(exported))
    outcome = run_scenario(scenario)
    assert all(step.ok for step in outcome.steps)
    assert outcome.simulator.events == cli.ok("events").json()
    assert outcome.simulator.outbox == cli.ok("outbox").json()


def test_export_refuses_requests_of_another_region(cli: Cli) -> None:
    cli.ok("workspace", "init")
    cli.ok(
        "create-contact", "--alias", "a", "--type", "PERSONAL", "--plan", "Stages=[]",
        "--region", "eu-west-1",
    )  # fmt: skip
    result = cli("workspace", "export")
    assert result.code == 252
    assert "region eu-west-1" in result.err


def _write(tmp_path: Path, name: str, data: Any) -> str:
    path = tmp_path / name
    path.write_text(json.dumps(data, indent=4), encoding="utf-8")
    return str(path)


REAL = "arn:aws:ssm-contacts:eu-central-1:999988887777"
CHANNEL_UUID = "beb25840-5ac8-4644-95cc-7a8de390fa65"


def _aws_outputs(tmp_path: Path) -> list[str]:
    """Files as `aws ssm-contacts ... --output json` prints them for a real account."""
    return [
        _write(tmp_path, "list-contacts.json", {"Contacts": [
            {"ContactArn": f"{REAL}:contact/akuam", "Alias": "akuam", "DisplayName": "Akua Mansa",
             "Type": "PERSONAL"},
            {"ContactArn": f"{REAL}:contact/oncall", "Alias": "oncall", "Type": "ESCALATION"},
        ]}),
        _write(tmp_path, "get-contact.json", {
            "ContactArn": f"{REAL}:contact/akuam", "Alias": "akuam", "DisplayName": "Akua Mansa",
            "Type": "PERSONAL",
            "Plan": {"Stages": [{"DurationInMinutes": 5, "Targets": [{"ChannelTargetInfo": {
                "ContactChannelId": f"{REAL}:contact-channel/akuam/{CHANNEL_UUID}",
                "RetryIntervalInMinutes": 1}}]}]},
        }),
        _write(tmp_path, "list-contact-channels.json", {"ContactChannels": [
            {"ContactChannelArn": f"{REAL}:contact-channel/akuam/{CHANNEL_UUID}",
             "ContactArn": f"{REAL}:contact/akuam", "Name": "akuas sms", "Type": "SMS",
             "DeliveryAddress": {"SimpleAddress": "+15005550100"},
             "ActivationStatus": "ACTIVATED"},
        ]}),
    ]  # fmt: skip


def test_import_keeps_arns_and_rewrites_account_and_region(cli: Cli, tmp_path: Path) -> None:
    cli.ok("workspace", "init", "--region", "us-east-2")
    result = cli.ok("workspace", "import", *_aws_outputs(tmp_path))
    assert "imported 2 contacts, 1 channels" in result.out
    plan = cli.ok("get-contact", "--contact-id", f"{EAST2}:contact/akuam").json()["Plan"]
    target = plan["Stages"][0]["Targets"][0]["ChannelTargetInfo"]["ContactChannelId"]
    assert target == f"{EAST2}:contact-channel/akuam/{CHANNEL_UUID}"
    _engage(cli, f"{EAST2}:contact/akuam")
    (message,) = cli.ok("outbox").json()
    assert message["ContactChannelArn"] == target
    escalation = cli.ok("get-contact", "--contact-id", f"{EAST2}:contact/oncall").json()
    assert escalation["Plan"] == {"Stages": []}


def test_import_of_something_else_exits_253(cli: Cli, tmp_path: Path) -> None:
    cli.ok("workspace", "init")
    not_json = tmp_path / "x.json"
    not_json.write_text("Contacts: nope", encoding="utf-8")
    assert cli("workspace", "import", str(not_json)).code == 253
    other = _write(tmp_path, "other.json", {"Buckets": []})
    result = cli("workspace", "import", other)
    assert result.code == 253
    assert "is not the output of list-contacts" in result.err


def test_import_of_a_bad_plan_names_the_field_and_changes_nothing(cli: Cli, tmp_path: Path) -> None:
    cli.ok("workspace", "init")
    bad = _write(tmp_path, "bad.json", {
        "ContactArn": f"{REAL}:contact/akuam", "Alias": "akuam", "Type": "PERSONAL",
        "Plan": {"Stages": [{"DurationInMinutes": 99, "Targets": []}]},
    })  # fmt: skip
    result = cli("workspace", "import", bad)
    assert result.code == 253
    assert "DurationInMinutes" in result.err
    assert cli.ok("list-contacts").json() == {"Contacts": []}
    assert cli.ok("workspace", "show").json()["Journal"] == {}


def test_overrides_without_their_rotation_need_rotation_id(cli: Cli, tmp_path: Path) -> None:
    cli.ok("workspace", "init")
    overrides = _write(tmp_path, "overrides.json", {"RotationOverrides": [
        {"RotationOverrideId": "0b3f7d36-1c46-4b3b-9e4b-4e14e1f5d2a7",
         "NewContactIds": [f"{REAL}:contact/akuam"], "StartTime": "2026-01-01T09:00:00+00:00",
         "EndTime": "2026-01-01T10:00:00+00:00", "CreateTime": "2025-12-01T00:00:00+00:00"},
    ]})  # fmt: skip
    result = cli("workspace", "import", overrides)
    assert result.code == 252
    assert "--rotation-id" in result.err


def test_gathering_gives_overrides_the_only_rotation(tmp_path: Path) -> None:
    from engine.cli.workspace import _gather

    rotation = _write(tmp_path, "rotation.json", {
        "RotationArn": f"{REAL}:rotation/0b3f7d36-1c46-4b3b-9e4b-4e14e1f5d2a8", "Name": "r",
        "ContactIds": [f"{REAL}:contact/akuam"], "StartTime": "2026-01-01T09:00:00+00:00",
        "TimeZoneId": "UTC", "Recurrence": {"NumberOfOnCalls": 1, "RecurrenceMultiplier": 1,
                                            "DailySettings": [{"HourOfDay": 9, "MinuteOfHour": 0}]},
    })  # fmt: skip
    overrides = _write(tmp_path, "overrides.json", {"RotationOverrides": [
        {"RotationOverrideId": "0b3f7d36-1c46-4b3b-9e4b-4e14e1f5d2a7", "NewContactIds": [],
         "StartTime": 1767258000, "EndTime": 1767261600, "CreateTime": 1764547200},
    ]})  # fmt: skip
    payload = _gather([rotation, overrides], None, "test")
    assert [o["RotationArn"] for o in payload["overrides"]] == [
        f"{REAL}:rotation/0b3f7d36-1c46-4b3b-9e4b-4e14e1f5d2a8"
    ]
    assert len(payload["rotations"]) == 1


def test_import_of_a_rotation_and_its_overrides_reaches_the_on_call(
    cli: Cli, tmp_path: Path
) -> None:
    rotation_arn = f"{REAL}:rotation/0b3f7d36-1c46-4b3b-9e4b-4e14e1f5d2a8"
    schedule = _write(tmp_path, "get-contact-oncall.json", {
        "ContactArn": f"{REAL}:contact/primary", "Alias": "primary", "Type": "ONCALL_SCHEDULE",
        "Plan": {"RotationIds": [rotation_arn]},
    })  # fmt: skip
    rotation = _write(tmp_path, "get-rotation.json", {
        "RotationArn": rotation_arn, "Name": "r", "ContactIds": [f"{REAL}:contact/akuam"],
        "StartTime": "2026-01-01T00:00:00+00:00", "TimeZoneId": "UTC",
        "Recurrence": {"NumberOfOnCalls": 1, "RecurrenceMultiplier": 1,
                       "DailySettings": [{"HourOfDay": 9, "MinuteOfHour": 0}]},
    })  # fmt: skip
    overrides = _write(tmp_path, "list-rotation-overrides.json", {"RotationOverrides": [
        {"RotationOverrideId": "0b3f7d36-1c46-4b3b-9e4b-4e14e1f5d2a7", "NewContactIds": [],
         "StartTime": "2026-01-01T00:00:00+00:00", "EndTime": "2026-01-01T01:00:00+00:00",
         "CreateTime": "2025-12-01T00:00:00+00:00"},
    ]})  # fmt: skip
    cli.ok("workspace", "init", "--region", "us-east-2", "--start", "2026-01-01T00:00:00Z")
    cli.ok("workspace", "import", *_aws_outputs(tmp_path), schedule, rotation, overrides)
    local = f"{EAST2}:rotation/0b3f7d36-1c46-4b3b-9e4b-4e14e1f5d2a8"
    assert cli.ok("get-rotation", "--rotation-id", local).json()["Name"] == "r"
    _engage(cli, f"{EAST2}:contact/primary")  # inside the override: nobody is on call
    assert cli.ok("outbox").json() == []
    cli.ok("clock", "advance", "1h")
    _engage(cli, f"{EAST2}:contact/primary")
    (message,) = cli.ok("outbox").json()
    assert message["ContactArn"] == f"{EAST2}:contact/akuam"


def test_init_from_a_scenario_keeps_its_rotations_and_overrides(cli: Cli) -> None:
    scenario = (
        Path(__file__).resolve().parents[2]
        / "scenarios"
        / "oncall"
        / "overlapping-overrides-the-latest-wins.scenario.yaml"
    )
    made = cli.ok("workspace", "init", "--from", str(scenario))
    assert "1 rotations" in made.out
    rotations = cli.ok("list-rotations").json()["Rotations"]
    assert len(rotations) == 1
    window = ["--start-time", "2000-01-01T00:00:00Z", "--end-time", "2100-01-01T00:00:00Z"]
    rotation = rotations[0]["RotationArn"]
    overrides = cli.ok("list-rotation-overrides", "--rotation-id", rotation, *window).json()
    assert overrides["RotationOverrides"]
