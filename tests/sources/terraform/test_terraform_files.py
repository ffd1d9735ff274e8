"""Reading .tf files: count, for_each, variables and --var, locals, the provider's region,
references, data sources, and how channels count."""

from __future__ import annotations

from pathlib import Path

import pytest

from engine.scenario.errors import ScenarioError
from engine.scenario.loader import Scenario
from engine.sources.options import SourceOptions
from engine.sources.terraform import channel_note, read

PERSON = """
resource "aws_ssmcontacts_contact" "ana" {
  alias = "ana"
  type  = "PERSONAL"
}
"""


def _read(tmp_path: Path, text: str, **options: object) -> Scenario:
    file = tmp_path / "main.tf"
    file.write_text(text, encoding="utf-8")
    return read(str(file), SourceOptions(**options))[0]  # type: ignore[arg-type]


def _aliases(scenario: Scenario) -> list[str]:
    return [contact["Alias"] for contact in scenario.organisation.contacts]


def test_count_makes_one_instance_per_index_and_count_index_names_it(tmp_path: Path) -> None:
    scenario = _read(
        tmp_path,
        """
resource "aws_ssmcontacts_contact" "p" {
  count = 3
  alias = "p-${count.index}"
  type  = "PERSONAL"
}
resource "aws_ssmcontacts_contact_channel" "sms" {
  count      = 3
  contact_id = aws_ssmcontacts_contact.p[count.index].arn
  name       = "sms"
  type       = "SMS"
  delivery_address {
    simple_address = "+1500555010${count.index}"
  }
}
""",
    )
    assert _aliases(scenario) == ["p-0", "p-1", "p-2"]
    channels = scenario.organisation.channels
    owners = [channel["ContactArn"].rsplit("/", 1)[-1] for channel in channels]
    assert owners == ["p-0", "p-1", "p-2"]
    assert [c["DeliveryAddress"]["SimpleAddress"] for c in channels][-1] == "+15005550102"
    assert set(scenario.source.data) >= {
        "aws_ssmcontacts_contact.p[0]",
        "aws_ssmcontacts_contact.p[2]",
    }


def test_for_each_over_a_set_and_over_a_map(tmp_path: Path) -> None:
    scenario = _read(
        tmp_path,
        """
locals {
  names = { ana = "Ana Silva", bo = "Bo Lind" }
}
resource "aws_ssmcontacts_contact" "set" {
  for_each = toset(["x", "y", "x"])
  alias    = "set-${each.key}"
  display_name = each.value
  type     = "PERSONAL"
}
resource "aws_ssmcontacts_contact" "map" {
  for_each     = local.names
  alias        = each.key
  display_name = each.value
  type         = "PERSONAL"
}
""",
    )
    contacts = {c["Alias"]: c.get("DisplayName") for c in scenario.organisation.contacts}
    assert contacts == {"set-x": "x", "set-y": "y", "ana": "Ana Silva", "bo": "Bo Lind"}
    assert 'aws_ssmcontacts_contact.map["ana"]' in scenario.source.data


VARIABLES = """
variable "team" {
  default = "sre"
}
variable "people" {
  type    = number
  default = 1
}
locals {
  prefix = "${var.team}-oncall"
}
resource "aws_ssmcontacts_contact" "p" {
  count = var.people
  alias = "${local.prefix}-${count.index}"
  type  = "PERSONAL"
}
"""


def test_variables_take_their_defaults_and_var_overrides_them(tmp_path: Path) -> None:
    assert _aliases(_read(tmp_path, VARIABLES)) == ["sre-oncall-0"]
    given = _read(tmp_path, VARIABLES, variables={"team": "dba", "people": "2"})
    assert _aliases(given) == ["dba-oncall-0", "dba-oncall-1"]


def test_a_variable_without_default_or_value_is_an_error_naming_it(tmp_path: Path) -> None:
    text = 'variable "team" {}\n' + PERSON.replace('"ana"\n', '"${var.team}"\n', 1)
    with pytest.raises(ScenarioError) as caught:
        _read(tmp_path, text)
    assert caught.value.lines() == [
        f"{tmp_path / 'main.tf'}:1: var.team: variable 'team' has no default: give its value "
        "with --var team=VALUE"
    ]
    assert _aliases(_read(tmp_path, text, variables={"team": "ops"})) == ["ops"]


def test_var_for_an_undeclared_variable_or_of_the_wrong_type_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(ScenarioError) as caught:
        _read(tmp_path, VARIABLES, variables={"teem": "x", "people": "two"})
    lines = caught.value.lines()
    file = tmp_path / "main.tf"
    assert lines == [
        f"{file}:5: var.people: --var people=two: not a number value",
        f"{file}: var.teem: --var teem: no variable 'teem' is declared (declared: team, people)",
    ]


def test_the_provider_region_places_the_arns_unless_options_say_otherwise(tmp_path: Path) -> None:
    text = 'provider "aws" {\n  region = "eu-west-1"\n}\n' + PERSON
    scenario = _read(tmp_path, text)
    assert scenario.region == "eu-west-1"
    assert scenario.organisation.contacts[0]["ContactArn"] == (
        "arn:aws:ssm-contacts:eu-west-1:111122223333:contact/ana"
    )
    placed = _read(tmp_path, text, region="ap-southeast-2", account="444455556666")
    assert placed.organisation.contacts[0]["ContactArn"] == (
        "arn:aws:ssm-contacts:ap-southeast-2:444455556666:contact/ana"
    )
    assert _read(tmp_path, PERSON).region == "us-east-1"


CHANNEL = (
    PERSON
    + """
resource "aws_ssmcontacts_contact_channel" "sms" {
  contact_id = aws_ssmcontacts_contact.ana.id
  name       = "sms"
  type       = "SMS"
  delivery_address {
    simple_address = "+15005550101"
  }
}
"""
)


def test_channels_are_read_as_intended_or_as_deployed(tmp_path: Path) -> None:
    intended = _read(tmp_path, CHANNEL)
    assert intended.organisation.channels[0]["ActivationStatus"] == "ACTIVATED"
    # The note is said once by the front end (Scenario.notes), not a lint finding.
    assert intended.notes == (channel_note(SourceOptions()),)
    assert "read as activated" in intended.notes[0]
    deployed = _read(tmp_path, CHANNEL, channels="as-deployed")
    assert deployed.organisation.channels[0]["ActivationStatus"] == "NOT_ACTIVATED"
    assert "not activated" in deployed.notes[0]


def test_a_data_source_arn_resolves_references_to_it(tmp_path: Path) -> None:
    arn = "arn:aws:ssm-contacts:us-east-1:111122223333:contact/existing"
    scenario = _read(
        tmp_path,
        f"""
data "aws_ssmcontacts_contact" "lead" {{
  arn = "{arn}"
}}
resource "aws_ssmcontacts_contact" "esc" {{
  alias = "esc"
  type  = "ESCALATION"
}}
resource "aws_ssmcontacts_plan" "esc" {{
  contact_id = aws_ssmcontacts_contact.esc.arn
  stage {{
    duration_in_minutes = 5
    target {{
      contact_target_info {{
        is_essential = true
        contact_id   = data.aws_ssmcontacts_contact.lead.arn
      }}
    }}
  }}
}}
""",
    )
    stages = scenario.organisation.contacts[0]["Plan"]["Stages"]
    assert stages == [
        {
            "DurationInMinutes": 5,
            "Targets": [{"ContactTargetInfo": {"ContactId": arn, "IsEssential": True}}],
        }
    ]


def test_other_resource_types_outputs_and_settings_are_ignored(tmp_path: Path) -> None:
    text = (
        'terraform {\n  required_version = ">= 1.5"\n}\n'
        'resource "aws_sns_topic" "t" {\n  name = upper("x")\n}\n'
        'output "o" {\n  value = aws_sns_topic.t.arn\n}\n' + PERSON
    )
    assert _aliases(_read(tmp_path, text)) == ["ana"]


SCHEDULE = """
resource "aws_ssmcontacts_contact" "ana" {
  alias = "ana"
  type  = "PERSONAL"
}
resource "aws_ssmcontacts_rotation" "r" {
  contact_ids  = [aws_ssmcontacts_contact.ana.arn]
  name         = "r"
  time_zone_id = "UTC"
  start_time   = "2026-01-05T09:00:00Z"
  recurrence {
    number_of_on_calls    = 1
    recurrence_multiplier = 1
    daily_settings {
      hour_of_day    = 9
      minute_of_hour = 0
    }
  }
}
resource "aws_ssmcontacts_contact" "schedule" {
  alias = "schedule"
  type  = "ONCALL_SCHEDULE"
ROTATIONS}
"""


def test_an_on_call_schedule_takes_its_rotations_from_rotation_ids(tmp_path: Path) -> None:
    text = SCHEDULE.replace("ROTATIONS", "  rotation_ids = [aws_ssmcontacts_rotation.r.arn]\n")
    scenario = _read(tmp_path, text)
    rotation = scenario.organisation.rotations[0]["RotationArn"]
    assert scenario.organisation.contacts[1]["Plan"] == {"RotationIds": [rotation]}
    assert rotation.startswith("arn:aws:ssm-contacts:us-east-1:111122223333:rotation/")


def test_an_on_call_schedule_without_rotation_ids_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(ScenarioError) as caught:
        _read(tmp_path, SCHEDULE.replace("ROTATIONS", ""))
    assert caught.value.lines() == [
        f"{tmp_path / 'main.tf'}:20: aws_ssmcontacts_contact.schedule: on-call schedule "
        "'schedule' lists no rotations: the AWS provider cannot attach rotations to a contact "
        "yet (set rotation_ids where your provider has it)"
    ]


def test_var_gives_a_list_for_a_list_variable_and_a_count_as_text(tmp_path: Path) -> None:
    text = """
variable "names" {
  type    = list(string)
  default = ["ana"]
}
variable "managers" {
  default = 0
}
resource "aws_ssmcontacts_contact" "p" {
  for_each = toset(var.names)
  alias    = each.value
  type     = "PERSONAL"
}
resource "aws_ssmcontacts_contact" "m" {
  count = var.managers
  alias = "m${count.index}"
  type  = "PERSONAL"
}
"""
    assert _aliases(_read(tmp_path, text)) == ["ana"]
    given = _read(tmp_path, text, variables={"names": '["bo", "cy"]', "managers": "1"})
    assert _aliases(given) == ["bo", "cy", "m0"]
