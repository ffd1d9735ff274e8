"""A Terraform organisation, as .tf files and as a plan, reviews as its scenario file does."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from engine.review.document import review
from engine.review.executors import InProcess
from engine.review.incidents import DEFAULT_MODEL
from engine.review.inputs import ReviewInput
from engine.scenario.loader import Scenario, load_file
from engine.scenario.runner import build_simulator
from engine.sources.options import SourceOptions
from engine.sources.terraform import read

HERE = Path(__file__).parent
FILES = HERE / "organisation"
PLAN = HERE / "organisation.plan.json"
SCENARIO = HERE / "equivalent-organisation.yaml"
# A scenario without a start begins now: review the four weeks from the next midnight but one.
START = dt.datetime.combine(dt.date.today() + dt.timedelta(days=2), dt.time(), dt.UTC)
END = START + dt.timedelta(days=28)


def _arn_names(scenario: Scenario) -> dict[str, str]:
    """Each ARN of the organisation -> a name that does not depend on how it was minted."""
    organisation = scenario.organisation
    names = {contact["ContactArn"]: contact["Alias"] for contact in organisation.contacts}
    for channel in organisation.channels:
        owner = names[channel["ContactArn"]]
        names[channel["ContactChannelArn"]] = f"channel:{owner}/{channel['Name']}"
    for rotation in organisation.rotations:
        names[rotation["RotationArn"]] = f"rotation:{rotation['Name']}"
    return names


def _named(value: object, names: dict[str, str]) -> str:
    text = json.dumps(value, sort_keys=True, default=str)
    for arn, name in sorted(names.items(), key=lambda item: -len(item[0])):
        text = text.replace(arn, name)
    return text


def _organisation(scenario: Scenario) -> list[str]:
    names = _arn_names(scenario)
    organisation = scenario.organisation
    records = [*organisation.contacts, *organisation.channels, *organisation.rotations]
    return sorted(_named(record, names) for record in records)


def _review(scenario: Scenario) -> tuple[str, list[tuple[str, int]]]:
    """The review document as ``escsim review`` makes it, less what names the input and its
    places; and those places, (location, line) of each finding."""
    simulator, _ = build_simulator(scenario)
    simulator.advance_to(START)
    given = ReviewInput(scenario.file, "organisation", simulator, 7, DEFAULT_MODEL, scenario)
    document = review(given, START, END, 4, 7, InProcess()).document
    del document["input"]
    places = []
    for finding in document["lint"]["findings"]:
        places.append((finding.pop("Location"), finding.pop("Line")))
        del finding["Path"]  # the resource part of an ARN, minted differently by each form
    return _named(document, _arn_names(scenario)), places


def test_the_files_and_the_plan_read_as_the_same_organisation_as_the_scenario_file() -> None:
    expected = load_file(SCENARIO)[0]
    from_files = read(str(FILES), SourceOptions())[0]
    from_plan = read(str(PLAN), SourceOptions())[0]
    assert len(from_files.organisation.contacts) == 14
    assert len(from_files.organisation.rotations) == 2
    assert _organisation(from_files) == _organisation(expected)
    assert _organisation(from_plan) == _organisation(expected)
    # Same addresses, same ARNs: the plan and the files it came from agree exactly.
    assert from_plan.organisation.channels == from_files.organisation.channels
    assert (from_files.region, from_plan.region) == ("eu-west-1", "eu-west-1")


def test_both_terraform_forms_give_the_review_figures_of_the_scenario_file() -> None:
    expected, _ = _review(load_file(SCENARIO)[0])
    assert '"coverage"' in expected and '"forecast"' in expected and '"G302"' in expected
    from_files, file_places = _review(read(str(FILES), SourceOptions())[0])
    from_plan, plan_places = _review(read(str(PLAN), SourceOptions())[0])
    assert from_files == expected
    assert from_plan == expected
    # Findings name the Terraform address; in the files with the file and its line.
    text = (FILES / "people.tf").read_text(encoding="utf-8").splitlines()
    located = dict(file_places)
    line = located["people.tf:aws_ssmcontacts_contact_channel.duty_email[0]"]
    assert text[line - 1] == 'resource "aws_ssmcontacts_contact_channel" "duty_email" {'
    assert "aws_ssmcontacts_contact_channel.duty_email[0]" in dict(plan_places)
