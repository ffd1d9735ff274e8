"""Loading scenario files: both organisation forms, defaults, several scenarios in one file."""

from __future__ import annotations

import datetime as dt
import uuid
from pathlib import Path

import pytest

from engine.scenario.errors import ScenarioError
from engine.scenario.loader import load_file, load_text
from engine.scenario.organisation import CHANNEL_NAMESPACE

SCENARIOS = Path(__file__).resolve().parents[3] / "scenarios"
PREFIX = "arn:aws:ssm-contacts:us-east-2:111122223333:"

SHORT = """\
version: 1
name: short
description: short form
start: 2026-01-01T09:00:00Z
region: us-east-2
contacts:
  akuam:
    name: Akua Mansa
    channels:
      sms: {type: SMS, address: "+15550100"}
      mail: {type: EMAIL, address: akuam@example.com, activated: false}
    plan:
      - duration: 5
        targets: [{channel: sms, retry: 1}]
      - duration: 10m
        targets: [{channel: mail}]
  oncall:
    plan:
      - duration: 0
        targets: [{contact: akuam, essential: true}]
"""


def test_short_form_compiles_to_aws_shapes() -> None:
    [scenario] = load_text(SHORT)
    contacts = {c["Alias"]: c for c in scenario.organisation.contacts}
    sms_arn = f"{PREFIX}contact-channel/akuam/{uuid.uuid5(CHANNEL_NAMESPACE, 'akuam/sms')}"
    assert contacts["akuam"] == {
        "ContactArn": f"{PREFIX}contact/akuam",
        "Alias": "akuam",
        "DisplayName": "Akua Mansa",
        "Type": "PERSONAL",
        "Plan": {
            "Stages": [
                {
                    "DurationInMinutes": 5,
                    "Targets": [
                        {
                            "ChannelTargetInfo": {
                                "ContactChannelId": sms_arn,
                                "RetryIntervalInMinutes": 1,
                            }
                        }
                    ],
                },
                {
                    "DurationInMinutes": 10,
                    "Targets": [
                        {
                            "ChannelTargetInfo": {
                                "ContactChannelId": scenario.organisation.channels[1][
                                    "ContactChannelArn"
                                ]
                            }
                        }
                    ],
                },
            ]
        },
    }
    assert contacts["oncall"]["Type"] == "ESCALATION"
    assert contacts["oncall"]["Plan"]["Stages"][0]["Targets"] == [
        {"ContactTargetInfo": {"ContactId": f"{PREFIX}contact/akuam", "IsEssential": True}}
    ]


def test_short_form_channels_default_to_activated_and_keep_their_names() -> None:
    [scenario] = load_text(SHORT)
    sms, mail = scenario.organisation.channels
    assert sms["Name"] == "sms" and sms["ActivationStatus"] == "ACTIVATED"
    assert mail["Name"] == "mail" and mail["ActivationStatus"] == "NOT_ACTIVATED"
    assert sms["DeliveryAddress"] == {"SimpleAddress": "+15550100"}
    assert sms["ContactArn"] == f"{PREFIX}contact/akuam"


def test_short_form_arns_are_the_same_on_every_load() -> None:
    first = load_text(SHORT)[0].organisation.channels
    second = load_text(SHORT)[0].organisation.channels
    assert [c["ContactChannelArn"] for c in first] == [c["ContactChannelArn"] for c in second]


def test_short_form_arns_use_the_run_account_and_region() -> None:
    text = SHORT.replace("region: us-east-2", "region: eu-west-1\naccount: '444455556666'")
    [scenario] = load_text(text)
    assert scenario.organisation.aliases["akuam"] == (
        "arn:aws:ssm-contacts:eu-west-1:444455556666:contact/akuam"
    )


def test_aws_form_keeps_arns_and_gives_nested_channels_their_contact() -> None:
    [scenario] = load_file(SCENARIOS / "seed-personal-engagement.scenario.yaml")
    [akuam] = scenario.organisation.contacts
    assert akuam["ContactArn"] == f"{PREFIX}contact/akuam"
    assert "channels" not in akuam
    arns = [c["ContactChannelArn"] for c in scenario.organisation.channels]
    assert arns == [
        f"{PREFIX}contact-channel/akuam/beb25840-5ac8-4644-95cc-7a8de390fa65",
        f"{PREFIX}contact-channel/akuam/49f3c24d-5f9f-4638-ae25-3f49e04229ad",
        f"{PREFIX}contact-channel/akuam/77d4f447-f619-4954-afff-85551e369c2a",
    ]
    assert {c["ContactArn"] for c in scenario.organisation.channels} == {akuam["ContactArn"]}


def test_aws_form_accepts_a_top_level_channel_list() -> None:
    text = f"""\
version: 1
name: top
contacts:
  - ContactArn: {PREFIX}contact/akuam
    Alias: akuam
    Type: PERSONAL
    Plan: {{Stages: []}}
channels:
  - ContactChannelArn: {PREFIX}contact-channel/akuam/fc7405c4-46b2-48b7-87b2-93e2f225b90d
    ContactArn: {PREFIX}contact/akuam
    Name: akuas sms
    Type: SMS
    DeliveryAddress: {{SimpleAddress: "+15005550100"}}
    ActivationStatus: ACTIVATED
"""
    [scenario] = load_text(text)
    [channel] = scenario.organisation.channels
    assert channel["Name"] == "akuas sms"
    assert channel["ContactArn"] == f"{PREFIX}contact/akuam"


def test_run_settings_are_read_with_their_defaults() -> None:
    [scenario] = load_text("version: 1\nname: bare\n")
    assert (scenario.seed, scenario.account, scenario.region) == (0, "111122223333", "us-east-1")
    assert scenario.start is None
    [seeded] = load_file(SCENARIOS / "seed-escalation-engagement.scenario.yaml")
    assert seeded.start == dt.datetime(2026, 1, 1, 9, tzinfo=dt.UTC)
    assert (seeded.account, seeded.region) == ("111122223333", "us-east-2")


def test_settings_keep_dotted_knob_names() -> None:
    [scenario] = load_text("version: 1\nname: k\nsettings:\n  latency: {SMS: 3}\n  repeat: 1\n")
    assert scenario.settings == {"latency.SMS": 3, "repeat": 1}


MULTI = """\
version: 1
start: 2026-01-01T09:00:00Z
settings: {repeat: 1, latency: {SMS: 3}}
contacts:
  akuam:
    channels: {sms: {type: SMS, address: "+15550100"}}
    plan: [{duration: 5, targets: [{channel: sms}]}]
scenarios:
  - name: first
    description: inherits everything
  - name: second
    seed: 9
    settings: {repeat: 2}
    script:
      - {at: 0m, StartEngagement: {ContactId: akuam, Sender: s, Subject: s, Content: c}}
"""


def test_several_scenarios_share_the_top_level_defaults() -> None:
    first, second = load_text(MULTI)
    assert (first.name, first.description, second.name) == (
        "first",
        "inherits everything",
        "second",
    )
    assert first.organisation.contacts == second.organisation.contacts
    assert (first.seed, second.seed) == (0, 9)
    assert first.steps == [] and len(second.steps) == 1
    assert first.start == second.start


def test_a_scenario_s_settings_override_shared_ones_knob_by_knob() -> None:
    first, second = load_text(MULTI)
    assert first.settings == {"repeat": 1, "latency.SMS": 3}
    assert second.settings == {"repeat": 2, "latency.SMS": 3}


def test_scenario_names_in_one_file_are_unique() -> None:
    text = MULTI.replace("name: second", "name: first")
    with pytest.raises(ScenarioError) as caught:
        load_text(text, "multi.scenario.yaml")
    assert "scenario name 'first' is already used by scenarios[0]" in str(caught.value)


def test_both_seed_scenarios_load() -> None:
    for path in sorted(SCENARIOS.glob("*.scenario.yaml")):
        [scenario] = load_file(path)
        assert scenario.name == path.name.removesuffix(".scenario.yaml")
        assert scenario.description
        [step] = scenario.steps
        assert step.operation == "StartEngagement"
        assert step.request["PublicContent"] == "Testing engagements va CLI"
