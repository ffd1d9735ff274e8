"""Organisation sources: kinds detected by content or forced by a prefix, the shared options,
the note on channels said once, and every command that reads an organisation reading them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from engine.cli import exits
from engine.cli.main import main
from engine.scenario.errors import ScenarioError
from engine.sources import READERS, detect, load_organisation, split_spec
from tests.sources.conftest import CDK_TEMPLATE, PAYMENTS_SCENARIO, PAYMENTS_TEMPLATE, Write

SCENARIO = """\
version: 1
name: tiny
contacts:
  akuam:
    channels: {sms: {type: SMS, address: "+15550100"}}
    plan: [{duration: 5, targets: [{channel: sms}]}]
"""

TEMPLATE = """\
Resources:
  Person:
    Type: AWS::SSMContacts::Contact
    Properties: {Alias: akuam, DisplayName: Akua, Type: PERSONAL}
  Sms:
    Type: AWS::SSMContacts::ContactChannel
    Properties: {ContactId: !Ref Person, ChannelName: sms, ChannelType: SMS,
                 ChannelAddress: "+15550100"}
  Plan:
    Type: AWS::SSMContacts::Plan
    Properties:
      ContactId: !Ref Person
      Stages: [{DurationInMinutes: 5, Targets: [{ChannelTargetInfo: {ChannelId: !Ref Sms,
                                                                    RetryIntervalInMinutes: 1}}]}]
"""


def test_kinds_are_detected_by_content(write: Write) -> None:
    assert detect(str(PAYMENTS_TEMPLATE)) == "cfn"
    assert detect(str(CDK_TEMPLATE)) == "cfn"  # JSON, no AWSTemplateFormatVersion
    assert detect(str(PAYMENTS_SCENARIO)) == "scenario"
    assert detect(write(TEMPLATE, "whatever.txt")) == "cfn"
    assert detect(write(SCENARIO, "tiny.yaml")) == "scenario"


def test_a_prefix_forces_the_kind(write: Write) -> None:
    assert split_spec("cfn:stack.yaml") == ("cfn", "stack.yaml")
    assert split_spec("scenario:a.yaml") == ("scenario", "a.yaml")
    assert split_spec("stack.yaml") == (None, "stack.yaml")
    with pytest.raises(ScenarioError) as caught:
        load_organisation(f"scenario:{CDK_TEMPLATE}")  # read as a scenario file, refused
    assert "unknown key 'Resources'" in str(caught.value)
    (scenario,) = load_organisation(f"cfn:{write(TEMPLATE, 'a.scenario.yaml')}")
    assert scenario.organisation.contacts[0]["Alias"] == "akuam"


def test_a_file_whose_name_looks_like_a_prefix_is_read(tmp_path: Path) -> None:
    path = tmp_path / "odd:name.yaml"
    path.write_text(TEMPLATE, encoding="utf-8")
    (scenario,) = load_organisation(str(path))
    assert scenario.organisation.contacts[0]["Alias"] == "akuam"


def test_every_kind_has_a_reader_that_can_be_imported() -> None:
    import importlib

    for target in READERS.values():
        module, _, function = target.partition(":")
        assert callable(getattr(importlib.import_module(module), function))


def test_the_channel_note_is_said_once_on_stderr_and_json_stays_clean(
    write: Write, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["validate", write(TEMPLATE), "--output", "json"]) == exits.OK
    captured = capsys.readouterr()
    document = json.loads(captured.out)
    assert document["errors"] == 0
    notes = [line for line in captured.err.splitlines() if "read as ACTIVATED" in line]
    assert len(notes) == 1
    assert notes[0].startswith("escsim validate: ")
    # Not a lint finding: the template and the scenario file lint alike.
    assert not any("ACTIVATED" in json.dumps(f) for f in document["scenarios"][0]["findings"])


def test_as_deployed_channels_are_not_activated(
    write: Write, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(TEMPLATE)
    argv = ["validate", path, "--channels", "as-deployed", "--output", "json"]
    assert main(argv) == exits.FINDINGS
    captured = capsys.readouterr()
    findings = json.loads(captured.out)["scenarios"][0]["findings"]
    assert "read as ACTIVATED" not in captured.err
    unreachable = [f for f in findings if f["Name"] == "unreachable-contact"]
    assert unreachable and unreachable[0]["Location"] == "Resources.Plan.Properties"


def test_a_scenario_file_takes_no_note(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", str(PAYMENTS_SCENARIO)]) == exits.OK
    assert capsys.readouterr().err == ""


def test_graph_draws_a_template(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["graph", str(PAYMENTS_TEMPLATE), "--format", "mermaid"]) == exits.OK
    out = capsys.readouterr().out
    assert "payments-escalation" in out
    assert "payments_primary" in out


def test_diff_across_kinds_finds_nothing_between_equivalents(
    capsys: pytest.CaptureFixture[str],
) -> None:
    argv = [
        "diff",
        str(PAYMENTS_SCENARIO),
        f"cfn:{PAYMENTS_TEMPLATE}",
        "--from",
        "2026-01-05T00:00:00Z",
        "--to",
        "14d",
        "--replications",
        "2",
        "--no-progress",
        "--output",
        "json",
    ]
    assert main(argv) == exits.OK
    capsys.readouterr()


def test_diff_of_two_templates_sees_a_change(
    write: Write, capsys: pytest.CaptureFixture[str]
) -> None:
    text = PAYMENTS_TEMPLATE.read_text(encoding="utf-8")
    changed = text.replace("        - DurationInMinutes: 15\n", "        - DurationInMinutes: 25\n")
    assert changed != text
    argv = ["diff", str(PAYMENTS_TEMPLATE), write(changed, "changed.template.yaml")]
    window = ["--from", "2026-01-05T00:00:00Z", "--to", "14d", "--replications", "2"]
    assert main([*argv, *window, "--no-progress", "--output", "json"]) == exits.FINDINGS
    document = json.loads(capsys.readouterr().out)
    assert "payments-escalation" in json.dumps(document)


def test_workspace_init_from_a_template(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    workspace = str(tmp_path / "ws")
    argv = [
        "--workspace",
        workspace,
        "workspace",
        "init",
        "--from",
        str(PAYMENTS_TEMPLATE),
        "--start",
        "2026-01-05T00:00:00Z",
        "--region",
        "eu-west-1",
        "--parameter",
        "Team=billing",
    ]
    assert main(argv) == exits.OK
    captured = capsys.readouterr()
    assert "15 contacts, 24 channels, 2 rotations" in captured.out
    assert "read as ACTIVATED" in captured.err
    listed = ["--workspace", workspace, "list-contacts", "--output", "json"]
    assert main(listed) == exits.OK
    arns = [contact["ContactArn"] for contact in json.loads(capsys.readouterr().out)["Contacts"]]
    assert "arn:aws:ssm-contacts:eu-west-1:111122223333:contact/billing-akua" in arns


def test_options_refuse_an_unknown_channel_reading() -> None:
    from engine.sources import SourceOptions

    with pytest.raises(ValueError, match="channels must be 'intended' or 'as-deployed'"):
        SourceOptions(channels="activated")  # type: ignore[arg-type]


TERRAFORM = Path(__file__).resolve().parent / "terraform"


def test_terraform_is_detected_by_content_and_read_through_every_command(
    tmp_path: Path, write: Write, capsys: pytest.CaptureFixture[str]
) -> None:
    plan = TERRAFORM / "organisation.plan.json"
    folder = TERRAFORM / "organisation"
    assert detect(str(plan)) == "tf"
    assert detect(str(folder)) == "tf"
    assert detect(str(next(folder.glob("*.tf")))) == "tf"
    assert detect(write('{"version": 1, "name": "x"}', "x.json")) == "scenario"
    assert split_spec(f"tf:{plan}") == ("tf", str(plan))
    # The .tf files and the plan describe one organisation: diff across the two forms is quiet
    # (it exits 1 for any change).
    argv = ["diff", str(folder), f"tf:{plan}", "--replications", "2", "--no-progress"]
    assert main([*argv, "--output", "json"]) == exits.OK
    capsys.readouterr()
    assert main(["validate", str(folder), "--output", "json"]) in (exits.OK, exits.FINDINGS)
    said = capsys.readouterr()
    assert json.loads(said.out)["file"] == str(folder)
    assert said.err.count("read as activated") == 1


def test_two_terraform_plans_diff_and_gate(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = TERRAFORM / "organisation.plan.json"
    document = json.loads(before.read_text(encoding="utf-8"))
    for resource in document["planned_values"]["root_module"]["resources"]:
        if resource["address"] == "aws_ssmcontacts_plan.sre":
            resource["values"]["stage"][0]["duration_in_minutes"] = 30  # a slower first stage
    after = tmp_path / "after.plan.json"
    after.write_text(json.dumps(document), encoding="utf-8")
    argv = ["diff", f"tf:{before}", f"tf:{after}", "--replications", "2", "--no-progress"]
    # The plan changed, so diff says so; no coverage is lost and no finding is new, so the gate
    # passes (nobody acknowledges in either: the P90 is "never" in both).
    assert main([*argv, "--output", "json"]) == exits.FINDINGS
    document = json.loads(capsys.readouterr().out)
    assert document["identical"] is False
    change = {
        "kind": "contact",
        "name": "sre-escalation",
        "change": "changed",
        "field": "stage 0",
        "old": "15m: ana, ben",
        "new": "30m: ana, ben",
    }
    assert change in document["changes"]["organisation"]
    assert main([*argv, "--fail-on-regression", "--output", "json"]) == exits.OK
    capsys.readouterr()
