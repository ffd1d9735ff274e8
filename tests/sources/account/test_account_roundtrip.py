"""An organisation served by escsim and read back through ``account:`` is the one served, and
reviews to the same figures as its scenario file with the same seed."""

from __future__ import annotations

import json
from typing import Any

import pytest

from engine.cli.main import main
from engine.scenario.loader import Scenario
from engine.sources import SourceOptions, load_organisation
from tests.review.sarif_schema import validate_sarif
from tests.sources.account.conftest import NOT_ACTIVATED, OUTSIDE_WINDOW, WINDOW, Served

IN_WINDOW = SourceOptions(window_from="2026-01-05T00:00:00Z", window_to="60d")


def _by(records: list[Any], key: str) -> list[Any]:
    return sorted(records, key=lambda record: record[key])


def test_the_organisation_read_is_the_one_served(served: Served, organisation: Scenario) -> None:
    read = load_organisation(served.spec(), IN_WINDOW)
    assert len(read) == 1
    got, want = read[0].organisation, organisation.organisation
    assert len(got.contacts) >= 10
    assert _by(got.contacts, "ContactArn") == _by(want.contacts, "ContactArn")
    assert _by(got.channels, "ContactChannelArn") == _by(want.channels, "ContactChannelArn")
    statuses = {c["ContactChannelArn"]: c["ActivationStatus"] for c in got.channels}
    assert statuses[NOT_ACTIVATED] == "NOT_ACTIVATED"
    assert set(statuses.values()) == {"ACTIVATED", "NOT_ACTIVATED"}
    assert _by(got.rotations, "RotationArn") == _by(want.rotations, "RotationArn")
    placeless = [{k: v for k, v in o.items() if k != "CreateTime"} for o in got.overrides]
    in_window = [o for o in want.overrides if o["RotationOverrideId"] != OUTSIDE_WINDOW]
    assert len(in_window) == 3
    assert _by(placeless, "RotationOverrideId") == _by(in_window, "RotationOverrideId")
    assert read[0].account == "111122223333"
    assert read[0].region == "us-east-1"


def test_overrides_are_read_for_the_window_asked(served: Served) -> None:
    june = SourceOptions(window_from="2026-05-01T00:00:00Z", window_to="60d")
    (read,) = load_organisation(served.spec(), june)
    assert [o["RotationOverrideId"] for o in read.organisation.overrides] == [OUTSIDE_WINDOW]


def _json(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, Any]:
    code = main([*argv, "--output", "json"])
    return code, json.loads(capsys.readouterr().out)


def _placeless(findings: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{k: v for k, v in f.items() if k not in ("Location", "Line")} for f in findings]


def test_review_figures_are_those_of_the_scenario_file(
    served: Served, organisation_file: object, capsys: pytest.CaptureFixture[str]
) -> None:
    run = ["review", *WINDOW, "--replications", "8", "--seed", "11", "--no-progress"]
    code_a, account = _json([*run, served.spec()], capsys)
    code_s, scenario = _json([*run, str(organisation_file)], capsys)
    assert code_a == code_s
    assert account["lint"]["findings"], "the organisation is meant to have findings to compare"
    assert _placeless(account["lint"]["findings"]) == _placeless(scenario["lint"]["findings"])
    assert account["coverage"] == scenario["coverage"]
    assert account["forecast"] == scenario["forecast"]
    assert account["window"] == scenario["window"]


def test_findings_are_located_at_the_resource_arn(
    served: Served, capsys: pytest.CaptureFixture[str]
) -> None:
    _, document = _json(["validate", served.spec()], capsys)
    findings = document["scenarios"][0]["findings"]
    located = [f for f in findings if "Location" in f]
    assert located
    for finding in located:
        assert finding["Location"].startswith("arn:aws:ssm-contacts:us-east-1:111122223333:")
        assert "Line" not in finding


def test_sarif_names_the_resource_arn_and_no_file(
    served: Served, capsys: pytest.CaptureFixture[str]
) -> None:
    run = ["review", *WINDOW, "--replications", "2", "--no-progress", "--output", "sarif"]
    main([*run, served.spec()])
    log = json.loads(capsys.readouterr().out)
    validate_sarif(log)
    results = log["runs"][0]["results"]
    assert results
    for result in results:
        (location,) = result["locations"]
        assert "physicalLocation" not in location
        (logical,) = location["logicalLocations"]
        assert logical["fullyQualifiedName"].startswith("arn:aws:ssm-contacts:us-east-1:")


def test_the_same_account_gives_byte_identical_output(
    served: Served, capsys: pytest.CaptureFixture[str]
) -> None:
    run = ["review", *WINDOW, "--replications", "2", "--no-progress", "--output", "json"]
    outputs = []
    for _ in range(2):
        main([*run, served.spec()])
        captured = capsys.readouterr()
        outputs.append((captured.out, captured.err))
    assert outputs[0] == outputs[1]
    assert outputs[0][0]
