"""What AWS cannot express of another product's setup is listed, and nothing of it is written
as escsim settings.

A PagerDuty-like setup built by hand: a layered schedule with a schedule override, a rotation
starting in the repeated hour of the autumn change, a push method; each construct AWS lacks is
named with the object it belongs to, in the scenario file and the CloudFormation template."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from types import ModuleType

import pytest
import yaml
from cfnlint.api import lint_file

from engine.policy.aws import write_organisation
from engine.policy.cloudformation_writer import write_template
from engine.policy.model import (
    HandOff,
    Method,
    NotifyRule,
    OnCallSetup,
    Override,
    Person,
    Policy,
    Rotation,
    Schedule,
    Step,
    Target,
)
from engine.policy.scenario_writer import write_scenario
from engine.scenario.loader import load_text
from engine.sources.translation import translate

ACCOUNT, REGION = "111122223333", "eu-west-2"
LONDON = "Europe/London"
UTC = dt.UTC


def _person(handle: str) -> Person:
    methods = (
        Method(f"{handle}-sms", "SMS", "+445005550100", "sms"),
        Method(f"{handle}-push", "PUSH", "phone", "push"),
    )
    rules = (NotifyRule(f"{handle}-sms", 0),)
    return Person(f"P{handle.upper()}", handle, f"{handle.title()} O'Neill", methods, rules)


def _setup() -> OnCallSetup:
    day = Rotation(
        "RDAY",
        "day layer",
        ("PANA", "PBEN"),
        dt.datetime(2026, 3, 2, 9, tzinfo=UTC),
        LONDON,
        "day",
        (HandOff(dt.time(9, 0)),),
    )
    # 01:30 UTC on 25 October 2026 is 01:30 GMT, the second 01:30 in London that night (the
    # first, 01:30 BST, was at 00:30 UTC): a wall-clock StartTime names only the first.
    night = Rotation(
        "RNIGHT",
        "night layer",
        ("PCAT",),
        dt.datetime(2026, 10, 25, 1, 30, tzinfo=UTC),
        LONDON,
        "week",
        (HandOff(dt.time(1, 30), 6),),
    )
    cover = Override(
        dt.datetime(2026, 3, 10, 9, tzinfo=UTC), dt.datetime(2026, 3, 11, 9, tzinfo=UTC), ("PCAT",)
    )
    schedule = Schedule("SPRIMARY", "primary", "Primary", ("RDAY", "RNIGHT"), True, (cover,))
    policy = Policy("EPAY", "payments", "Payments", (Step(10, (Target("schedule", "SPRIMARY"),)),))
    return OnCallSetup(
        "pagerduty",
        people=(_person("ana"), _person("ben"), _person("cat")),
        policies=(policy,),
        rotations=(day, night),
        schedules=(schedule,),
    )


def test_the_scenario_lists_the_layers_and_acknowledgement_rule_and_has_no_settings() -> None:
    setup = _setup()
    document = write_scenario(setup, "pagerduty:export.json", ACCOUNT, REGION)
    data = yaml.safe_load(document.text)
    assert "settings" not in data
    # The engine would need these to page as PagerDuty does; AWS has no such settings.
    assert write_organisation(setup, ACCOUNT, REGION).settings == {
        "schedule_layers": "last_wins",
        "essential_ack": "stop_all",
        "earlier_pages": "cancel",
    }
    layered = [line for line in document.constructs if "are layers" in line]
    assert layered == [
        "schedule primary: its rotations are layers (the last with anyone on call pages); AWS "
        "engages every rotation's on-call: written as one schedule of rotations"
    ]
    assert any(
        line.startswith("organisation: in PagerDuty an acknowledgement stops every notification")
        for line in document.constructs
    )
    assert any(
        "person ana: push method push is kept but not paged" in line for line in document.constructs
    )
    assert document.text.startswith(
        "# Translated by `escsim translate --to aws` from pagerduty:export.json (PagerDuty).\n"
    )
    # The file is a scenario the loader takes, with the written organisation.
    (scenario,) = load_text(document.text, "written.scenario.yaml")
    assert scenario.settings == {}
    assert sorted(scenario.organisation.aliases) == ["ana", "ben", "cat", "payments", "primary"]
    assert scenario.organisation.overrides, "the schedule override became rotation overrides"


def test_the_template_lists_overrides_and_a_start_it_cannot_name(tmp_path: Path) -> None:
    setup = _setup()
    document = write_template(setup, "pagerduty:export.json", ACCOUNT, REGION)
    written = write_organisation(setup, ACCOUNT, REGION)
    listed = [line for line in document.constructs if "create-rotation-override" in line]
    assert len(listed) == len(written.organisation.overrides) > 0
    assert any(line.startswith("rotation Primary overrides: override ") for line in listed)
    assert any(
        line.startswith("rotation night layer: starts at 2026-10-25T01:30:00Z, which a template's")
        for line in document.constructs
    )
    # Names the resource schemas refuse are fitted, and said.
    assert (
        "rotation day layer: a template's rotation Name holds only letters, digits and _: "
        "written as day_layer" in document.constructs
    )
    path = tmp_path / "stack.template.yaml"
    path.write_text(document.text, encoding="utf-8")
    assert [str(match) for match in lint_file(path)] == []
    template = yaml.load(document.text, Loader=_TagLoader)
    resources = template["Resources"]
    types = sorted({body["Type"] for body in resources.values()})
    assert 'contact ana: display name "Ana O\'Neill" holds characters' in " ".join(
        document.constructs
    )
    assert resources["Ana"]["Properties"]["DisplayName"] == "Ana O Neill"
    assert types == [
        "AWS::SSMContacts::Contact",
        "AWS::SSMContacts::ContactChannel",
        "AWS::SSMContacts::Plan",
        "AWS::SSMContacts::Rotation",
    ]
    # The night rotation starts at 01:30 wall clock: the first of the two 01:30s that day.
    assert resources["RotationNightLayer"]["Properties"]["StartTime"] == "2026-10-25T01:30:00"
    # Personal plans are Plan resources naming their contact; the schedule keeps its plan inline.
    assert resources["AnaPlan"]["Properties"]["ContactId"] == "!GetAtt Ana.Arn"
    assert resources["Primary"]["Properties"]["Plan"] == [
        {
            "RotationIds": [
                "!GetAtt RotationDayLayer.Arn",
                "!GetAtt RotationNightLayer.Arn",
                "!GetAtt RotationPrimaryOverrides.Arn",
            ]
        }
    ]


def test_the_same_setup_gives_the_same_bytes() -> None:
    first = translate(_setup(), "aws", "x.json", form="cloudformation")
    second = translate(_setup(), "aws", "x.json", form="cloudformation")
    assert first == second
    assert translate(_setup(), "aws", "x.json").text == translate(_setup(), "aws", "x.json").text


def test_another_product_gets_its_writers_document_and_lines(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    seen: list[OnCallSetup] = []

    def write(setup: OnCallSetup) -> tuple[dict[str, object], list[str]]:
        seen.append(setup)
        users = [{"name": "ana", "created_at": dt.datetime(2026, 3, 2, 9, tzinfo=UTC)}]
        return {"users": users, "schedules": []}, ["schedule primary: kept as is"]

    module = ModuleType("engine.vendors.goalert")
    module.write = write  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "engine.vendors.goalert", module)
    document = translate(_setup(), "goalert", "x.json")
    assert seen == [_setup()]
    assert document.text == (
        "{\n"
        '  "users": [\n'
        "    {\n"
        '      "name": "ana",\n'
        '      "created_at": "2026-03-02T09:00:00Z"\n'
        "    }\n"
        "  ],\n"
        '  "schedules": []\n'
        "}\n"
    )
    assert document.constructs == ("schedule primary: kept as is",)


def test_unknown_targets_and_forms_are_refused() -> None:
    with pytest.raises(ValueError, match="unknown target 'splunk'"):
        translate(_setup(), "splunk", "x.json")
    with pytest.raises(ValueError, match="goalert has no 'cloudformation' form"):
        translate(_setup(), "goalert", "x.json", form="cloudformation")


class _TagLoader(yaml.SafeLoader):
    """Reads ``!Ref X`` and ``!GetAtt X.Arn`` as the text ``"!Ref X"``, to compare them."""


def _tagged(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> str:
    return f"!{suffix} {loader.construct_scalar(node)}"  # type: ignore[arg-type]


_TagLoader.add_multi_constructor("!", _tagged)


def test_a_target_naming_nobody_is_left_out_of_the_template_and_said() -> None:
    policy = Policy("EOPS", "ops", "Ops", (Step(5, (Target("person", None),)),))
    setup = OnCallSetup("aws", people=(_person("ana"),), policies=(policy,))
    document = write_template(setup, "x.yaml", ACCOUNT, REGION)
    assert (
        "contact ops: stage 1 has a target naming no contact, which a template's "
        "ContactTargetInfo cannot hold: left out (it pages nobody)" in document.constructs
    )
    template = yaml.load(document.text, Loader=_TagLoader)
    assert template["Resources"]["Ops"]["Properties"]["Plan"] == [
        {"DurationInMinutes": 5, "Targets": []}
    ]


def test_a_hostile_file_name_cannot_break_out_of_the_opening_comment() -> None:
    origin = "evil\nsettings: {essential_ack: stop_all}\x1b[31m.json"
    for form in ("scenario", "cloudformation"):
        document = translate(_setup(), "aws", origin, form=form)
        comments = [line for line in document.text.splitlines() if line.startswith("#")]
        assert len(comments) == 3
        assert "settings" not in yaml.load(document.text, Loader=_TagLoader)
        assert "\x1b" not in document.text
