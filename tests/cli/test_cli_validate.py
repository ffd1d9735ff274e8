"""``escsim validate``: every finding of a scenario's organisation, and the exit codes."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest

from engine.cli.main import main
from tests.cli.conftest import ESCALATION, PERSONAL, SMALL

Write = Callable[..., str]

DANGLING = """\
version: 1
name: dangling
contacts:
  - ContactArn: arn:aws:ssm-contacts:us-east-2:111122223333:contact/esc
    Alias: esc
    Type: ESCALATION
    Plan:
      Stages:
        - DurationInMinutes: 5
          Targets:
            - ContactTargetInfo:
                ContactId: arn:aws:ssm-contacts:us-east-2:111122223333:contact/ghost
                IsEssential: true
"""


@pytest.mark.parametrize("path", [PERSONAL, ESCALATION])
def test_seed_scenarios_have_no_problems(path: object, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", str(path)]) == 0
    assert "no problems found" in capsys.readouterr().out


@pytest.mark.parametrize("path", [PERSONAL, ESCALATION])
def test_the_summary_line_points_to_review_for_coverage_and_channel_mix(
    path: object, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["validate", str(path)]) == 0
    last = capsys.readouterr().out.splitlines()[-1]
    assert last == (
        f"0 error(s), 0 warning(s); for coverage and channel-mix checks, run escsim review {path}"
    )


def test_an_error_finding_exits_1_and_names_the_field(
    write: Write, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(DANGLING)
    assert main(["validate", path]) == 1
    out = capsys.readouterr().out
    assert "G102 dangling-contact-reference" in out
    assert "(line 12)" in out
    assert "2 error(s), 1 warning(s)" in out


def test_json_output_lists_findings_with_file_positions(
    write: Write, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(DANGLING)
    assert main(["validate", path, "--output", "json"]) == 1
    document = json.loads(capsys.readouterr().out)
    assert document["file"] == path and document["errors"] >= 1
    [report] = document["scenarios"]
    dangling = [f for f in report["findings"] if f["Id"] == "G102"]
    assert dangling == [
        {
            "Id": "G102",
            "Name": "dangling-contact-reference",
            "Severity": "error",
            "Path": "contact/esc.Plan.Stages[0].Targets[0].ContactTargetInfo.ContactId",
            "Subject": "arn:aws:ssm-contacts:us-east-2:111122223333:contact/esc",
            "Message": dangling[0]["Message"],
            "Location": "contacts[0].Plan.Stages[0].Targets[0].ContactTargetInfo.ContactId",
            "Line": 12,
        }
    ]


def test_short_form_findings_point_at_the_short_form(
    write: Write, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(
        SMALL.replace(
            'voice: {type: VOICE, address: "+15550101"}',
            'voice: {type: VOICE, address: "+15550101", activated: false}',
        )
    )
    code = main(["validate", path, "--output", "json"])
    findings = json.loads(capsys.readouterr().out)["scenarios"][0]["findings"]
    inactive = [f for f in findings if f["Id"] == "G301"]
    assert inactive and inactive[0]["Location"].startswith("contacts.akuam.channels.voice")
    assert inactive[0]["Line"] == 10
    assert code == (1 if any(f["Severity"] == "error" for f in findings) else 0)


def test_warnings_alone_exit_0(write: Write, capsys: pytest.CaptureFixture[str]) -> None:
    text = SMALL + ""
    text = text.replace(
        "script:",
        "  esc:\n    plan: [{duration: 5, targets: [{contact: akuam}]}]\nscript:",
    )
    path = write(text)
    assert main(["validate", path, "--output", "json"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert document["errors"] == 0 and document["warnings"] >= 1
    assert {f["Id"] for f in document["scenarios"][0]["findings"]} == {"G504"}


def test_a_malformed_file_exits_253(write: Write, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(SMALL.replace("channel: sms", "channel: pager"))
    assert main(["validate", path]) == 253
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith(f"{path}:12: contacts.akuam.plan[0].targets[0].channel: ")


def test_a_name_in_expect_that_the_scenario_lacks_exits_253(
    write: Write, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(SMALL + "expect:\n  messages:\n    - {channel: pager}\n")
    assert main(["validate", path]) == 253
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith(f"{path}:20: expect.messages[0].channel: no channel named")
