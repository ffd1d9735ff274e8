"""What the CloudFormation source reads from a template: resources, functions, parameters,
conditions, ARNs and channel activation."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from engine.scenario.errors import ScenarioError
from engine.scenario.loader import Scenario
from engine.sources import SourceOptions, load_organisation
from tests.sources.conftest import CDK_TEMPLATE, PAYMENTS_TEMPLATE, Write

ARN = "arn:aws:ssm-contacts:us-east-1:111122223333"

PERSON = """\
AWSTemplateFormatVersion: "2010-09-09"
Parameters:
  Team: {Type: String, Default: ops}
  Phones: {Type: CommaDelimitedList, Default: "+15550100,+15550101"}
  Voice: {Type: String, Default: "no", AllowedValues: ["yes", "no"]}
  Minutes: {Type: Number}
Conditions:
  WithVoice: !Equals [!Ref Voice, "yes"]
  Never: !And [!Condition WithVoice, !Not [!Condition WithVoice]]
  Always: !Or [!Condition WithVoice, !Not [!Condition WithVoice]]
Resources:
  Person:
    Type: AWS::SSMContacts::Contact
    Properties:
      Alias: !Sub "${Team}-${AWS::Region}-${!raw}"
      DisplayName: !Sub ["Person of ${Name}", {Name: !Ref Team}]
      Type: PERSONAL
  Sms:
    Type: AWS::SSMContacts::ContactChannel
    Properties:
      ContactId: !GetAtt Person.Arn
      ChannelName: !Join ["-", [sms, !Select [1, !Ref Phones]]]
      ChannelType: SMS
      ChannelAddress: !Select [0, !Split [",", !Join [",", !Ref Phones]]]
  Voicemail:
    Type: AWS::SSMContacts::ContactChannel
    Condition: WithVoice
    Properties:
      ContactId: !Ref Person
      ChannelName: voice
      ChannelType: VOICE
      ChannelAddress: "+15550102"
  Plan:
    Type: AWS::SSMContacts::Plan
    Condition: Always
    Properties:
      ContactId: !Ref Person
      Stages:
        - DurationInMinutes: !Ref Minutes
          Targets:
            - ChannelTargetInfo:
                ChannelId: !If [WithVoice, !Ref Voicemail, !Ref Sms]
                RetryIntervalInMinutes: "2"
            - !If
              - Never
              - {ChannelTargetInfo: {ChannelId: x, RetryIntervalInMinutes: 1}}
              - !Ref AWS::NoValue
"""


def _one(path: str, **options: object) -> Scenario:
    (scenario,) = load_organisation(path, SourceOptions(**options))  # type: ignore[arg-type]
    return scenario


def test_functions_parameters_and_conditions(write: Write) -> None:
    scenario = _one(write(PERSON), parameters={"Minutes": "7"})
    (contact,) = scenario.organisation.contacts
    assert contact["Alias"] == "ops-us-east-1-${raw}"
    assert contact["ContactArn"] == f"{ARN}:contact/ops-us-east-1-${{raw}}"
    assert contact["DisplayName"] == "Person of ops"
    (channel,) = scenario.organisation.channels  # Voicemail's condition is false
    assert channel["Name"] == "sms-+15550101"
    assert channel["DeliveryAddress"] == {"SimpleAddress": "+15550100"}
    assert channel["ContactArn"] == contact["ContactArn"]
    (stage,) = contact["Plan"]["Stages"]
    assert stage == {
        "DurationInMinutes": 7,
        "Targets": [
            {
                "ChannelTargetInfo": {
                    "ContactChannelId": channel["ContactChannelArn"],
                    "RetryIntervalInMinutes": 2,
                }
            }
        ],
    }


def test_a_parameter_given_replaces_the_default_and_turns_a_condition(write: Write) -> None:
    scenario = _one(write(PERSON), parameters={"Minutes": "3", "Voice": "yes", "Team": "web"})
    names = [channel["Name"] for channel in scenario.organisation.channels]
    assert names == ["sms-+15550101", "voice"]
    (contact,) = scenario.organisation.contacts
    target = contact["Plan"]["Stages"][0]["Targets"][0]["ChannelTargetInfo"]
    assert target["ContactChannelId"] == scenario.organisation.channels[1]["ContactChannelArn"]
    assert contact["Alias"].startswith("web-")


def test_account_and_region_of_the_options_name_the_arns(write: Write) -> None:
    scenario = _one(
        write(PERSON), parameters={"Minutes": "3"}, account="444455556666", region="eu-west-1"
    )
    (contact,) = scenario.organisation.contacts
    assert contact["Alias"] == "ops-eu-west-1-${raw}"
    assert contact["ContactArn"].startswith("arn:aws:ssm-contacts:eu-west-1:444455556666:contact/")
    assert (scenario.account, scenario.region) == ("444455556666", "eu-west-1")


def test_arns_are_the_same_on_every_read(write: Write) -> None:
    path = write(PERSON)
    first = _one(path, parameters={"Minutes": "3"}).organisation
    second = _one(path, parameters={"Minutes": "3"}).organisation
    assert first.channels == second.channels
    arn = first.channels[0]["ContactChannelArn"]
    assert arn.startswith(f"{ARN}:contact-channel/ops-us-east-1-${{raw}}/")


def test_channels_are_activated_as_intended_or_not_as_deployed(write: Write) -> None:
    path = write(PERSON)
    intended = _one(path, parameters={"Minutes": "3"})
    deployed = _one(path, parameters={"Minutes": "3"}, channels="as-deployed")
    assert [c["ActivationStatus"] for c in intended.organisation.channels] == ["ACTIVATED"]
    assert [c["ActivationStatus"] for c in deployed.organisation.channels] == ["NOT_ACTIVATED"]
    assert any("read as ACTIVATED" in note for note in intended.notes)
    assert not any("ACTIVATED" in note for note in deployed.notes)


def test_rotations_schedules_and_escalation_plans_of_the_example() -> None:
    organisation = _one(str(PAYMENTS_TEMPLATE)).organisation
    kinds = [contact["Type"] for contact in organisation.contacts]
    assert kinds.count("PERSONAL") == 10
    assert kinds.count("ONCALL_SCHEDULE") == 2
    assert kinds.count("ESCALATION") == 3
    primary, secondary = organisation.rotations
    # StartTime is a wall-clock time in the rotation's zone.
    assert primary["TimeZoneId"] == "Europe/London"
    assert primary["StartTime"] == dt.datetime(2026, 1, 5, 9, tzinfo=dt.UTC)
    assert secondary["StartTime"] == dt.datetime(2026, 1, 4, 21, tzinfo=dt.UTC)  # AEDT, +11
    assert primary["Recurrence"]["WeeklySettings"] == [
        {"DayOfWeek": "MON", "HandOffTime": {"HourOfDay": 9, "MinuteOfHour": 0}}
    ]
    coverages = secondary["Recurrence"]["ShiftCoverages"]
    assert isinstance(coverages, dict)
    assert sorted(coverages) == ["FRI", "MON", "THU", "TUE", "WED"]
    window = {"HourOfDay": 8, "MinuteOfHour": 0}, {"HourOfDay": 20, "MinuteOfHour": 0}
    assert coverages["MON"] == [{"Start": window[0], "End": window[1]}]
    schedules = {c["Alias"]: c for c in organisation.contacts if c["Type"] == "ONCALL_SCHEDULE"}
    assert schedules["payments-primary-oncall"]["Plan"] == {"RotationIds": [primary["RotationArn"]]}
    assert schedules["payments-secondary-oncall"]["Plan"] == {
        "RotationIds": [secondary["RotationArn"]]
    }
    # A Plan resource gives its contact the plan; the alias built with Select/Split too.
    command = next(c for c in organisation.contacts if c["Alias"] == "payments-incident-command")
    assert len(command["Plan"]["Stages"]) == 2
    assert any(c["Alias"] == "payments-platform" for c in organisation.contacts)


def test_a_cdk_synth_template_loads() -> None:
    scenario = _one(str(CDK_TEMPLATE))
    organisation = scenario.organisation
    assert [c["Alias"] for c in organisation.contacts] == [
        "akua",
        "bongani",
        "chen",
        "oncall",
        "escalation",
    ]
    assert len(organisation.channels) == 6
    assert len(organisation.rotations) == 1
    akua = organisation.contacts[0]
    assert [s["DurationInMinutes"] for s in akua["Plan"]["Stages"]] == [5, 10]
    # JSON is read line-aware too: the plan's findings can name their lines.
    assert scenario.source.line_of(("Resources", "AkuaPlan7C8D9E0F", "Properties", "Stages")) > 1


def test_a_json_template_without_a_format_version_is_detected(write: Write) -> None:
    template = json.loads(CDK_TEMPLATE.read_text(encoding="utf-8"))
    path = write(json.dumps(template, indent="\t"), "stack.json")  # tabs: read by json
    assert len(_one(path).organisation.contacts) == 5


def test_a_display_name_that_cannot_be_known_is_a_warning(write: Write) -> None:
    template = """\
Resources:
  Person:
    Type: AWS::SSMContacts::Contact
    Properties:
      Alias: person
      DisplayName: !ImportValue SharedName
      Type: PERSONAL
      Tags:
        - {Key: owner, Value: !GetAtt Lookup.Owner}
  Lookup:
    Type: Custom::Owner
    Properties: {ServiceToken: arn:aws:lambda:us-east-1:111122223333:function:x}
"""
    scenario = _one(write(template))
    (contact,) = scenario.organisation.contacts
    assert "DisplayName" not in contact
    warnings = [note for note in scenario.notes if note.startswith("warning:")]
    assert len(warnings) == 2
    assert "stack.yaml:6: Resources.Person.Properties.DisplayName.Fn::ImportValue" in warnings[0]
    assert "custom resource Lookup" in warnings[1]


def test_a_resource_of_a_false_condition_cannot_be_referred_to(write: Write) -> None:
    template = """\
Conditions:
  Disabled: !Equals [a, b]
Resources:
  Person:
    Type: AWS::SSMContacts::Contact
    Condition: Disabled
    Properties: {Alias: person, DisplayName: P, Type: PERSONAL}
  Sms:
    Type: AWS::SSMContacts::ContactChannel
    Properties: {ContactId: !Ref Person, ChannelName: s, ChannelType: SMS, ChannelAddress: "1"}
"""
    with pytest.raises(ScenarioError) as caught:
        _one(write(template))
    assert caught.value.lines() == [
        f"{caught.value.file}:10: Resources.Sms.Properties.ContactId.Ref: Person is not "
        "created: its Condition 'Disabled' is false"
    ]


def test_unquoted_booleans_of_parameters_read_as_cloudformation_reads_them(write: Write) -> None:
    template = """\
Parameters:
  Deferred: {Type: String, Default: yes, AllowedValues: [yes, no]}
Conditions:
  IsDeferred: !Equals [!Ref Deferred, "true"]
Resources:
  Person:
    Type: AWS::SSMContacts::Contact
    Condition: IsDeferred
    Properties: {Alias: person, DisplayName: P, Type: PERSONAL}
"""
    assert len(_one(write(template)).organisation.contacts) == 1
    assert _one(write(template), parameters={"Deferred": "false"}).organisation.contacts == []


def test_a_contact_whose_arn_cannot_be_made_is_reported_once(write: Write) -> None:
    template = """\
Resources:
  Person:
    Type: AWS::SSMContacts::Contact
    Properties: {Alias: !Ref Missing, DisplayName: P, Type: PERSONAL}
  Sms:
    Type: AWS::SSMContacts::ContactChannel
    Properties: {ContactId: !Ref Person, ChannelName: s, ChannelType: SMS, ChannelAddress: "1"}
  Email:
    Type: AWS::SSMContacts::ContactChannel
    Properties: {ContactId: !Ref Person, ChannelName: e, ChannelType: EMAIL, ChannelAddress: a}
"""
    with pytest.raises(ScenarioError) as caught:
        _one(write(template))
    assert caught.value.lines() == [
        f"{caught.value.file}:4: Resources.Person.Properties.Alias.Ref: Ref to 'Missing', which "
        "is neither a parameter nor a resource of this template"
    ]


def test_find_in_map_with_its_default_and_base64(write: Write) -> None:
    template = """\
Mappings:
  Teams:
    ops: {Prefix: operations}
Resources:
  Person:
    Type: AWS::SSMContacts::Contact
    Properties:
      Alias: !FindInMap [Teams, ops, Prefix]
      DisplayName: !Base64 ops
      Type: PERSONAL
  Other:
    Type: AWS::SSMContacts::Contact
    Properties:
      Alias: !FindInMap [Teams, web, Prefix, {DefaultValue: fallback}]
      DisplayName: Other
      Type: PERSONAL
"""
    contacts = _one(write(template)).organisation.contacts
    assert [c["Alias"] for c in contacts] == ["operations", "fallback"]
    assert contacts[0].get("DisplayName") == "b3Bz"


def test_find_in_map_names_the_missing_key(write: Write) -> None:
    template = """\
Mappings:
  Teams:
    ops: {Prefix: operations}
Resources:
  Person:
    Type: AWS::SSMContacts::Contact
    Properties:
      Alias: !FindInMap [Teams, web, Prefix]
      DisplayName: P
      Type: PERSONAL
"""
    with pytest.raises(ScenarioError) as caught:
        _one(write(template))
    assert caught.value.lines() == [
        f"{caught.value.file}:8: Resources.Person.Properties.Alias.Fn::FindInMap[1]: "
        "Fn::FindInMap: Teams has no key 'web'"
    ]
