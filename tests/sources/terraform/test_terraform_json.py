"""Reading terraform show -json: a state, child modules, data sources, values known after apply."""

from __future__ import annotations

import json
from pathlib import Path

from engine.scenario.loader import Scenario
from engine.sources.options import SourceOptions
from engine.sources.terraform import read

ARN = "arn:aws:ssm-contacts:eu-west-2:210987654321"


def _resource(address: str, kind: str, values: dict[str, object], mode: str = "managed") -> object:
    name = address.split(".")[-1]
    return {"address": address, "mode": mode, "type": kind, "name": name, "values": values}


def _channel(owner: str, name: str, status: str) -> dict[str, object]:
    return {
        "arn": f"{ARN}:contact-channel/{owner}/{name}-id",
        "contact_id": f"{ARN}:contact/{owner}",
        "name": name,
        "type": "SMS",
        "delivery_address": [{"simple_address": "+15005550101"}],
        "activation_status": status,
    }


STATE = {
    "format_version": "1.0",
    "values": {
        "root_module": {
            "resources": [
                _resource(
                    "aws_ssmcontacts_contact.ana",
                    "aws_ssmcontacts_contact",
                    {"arn": f"{ARN}:contact/ana", "alias": "ana", "type": "PERSONAL"},
                ),
                _resource(
                    "aws_ssmcontacts_contact_channel.on",
                    "aws_ssmcontacts_contact_channel",
                    _channel("ana", "on", "ACTIVATED"),
                ),
                _resource(
                    "aws_ssmcontacts_contact_channel.off",
                    "aws_ssmcontacts_contact_channel",
                    _channel("ana", "off", "NOT_ACTIVATED"),
                ),
                _resource("aws_s3_bucket.b", "aws_s3_bucket", {"bucket": "b"}),
            ],
            "child_modules": [
                {
                    "address": "module.team",
                    "resources": [
                        _resource(
                            "module.team.aws_ssmcontacts_contact.esc",
                            "aws_ssmcontacts_contact",
                            {"arn": f"{ARN}:contact/esc", "alias": "esc", "type": "ESCALATION"},
                        ),
                        _resource(
                            "module.team.aws_ssmcontacts_plan.esc",
                            "aws_ssmcontacts_plan",
                            {
                                "contact_id": f"{ARN}:contact/esc",
                                "stage": [
                                    {
                                        "duration_in_minutes": 3,
                                        "target": [
                                            {
                                                "channel_target_info": [],
                                                "contact_target_info": [
                                                    {
                                                        "contact_id": f"{ARN}:contact/ana",
                                                        "is_essential": False,
                                                    }
                                                ],
                                            }
                                        ],
                                    }
                                ],
                            },
                        ),
                    ],
                }
            ],
        }
    },
}


def _read(tmp_path: Path, document: object, **options: object) -> Scenario:
    file = tmp_path / "state.json"
    file.write_text(json.dumps(document, indent=2), encoding="utf-8")
    return read(str(file), SourceOptions(**options))[0]  # type: ignore[arg-type]


def test_a_state_with_child_modules_reads_every_paging_resource(tmp_path: Path) -> None:
    scenario = _read(tmp_path, STATE)
    organisation = scenario.organisation
    assert [c["Alias"] for c in organisation.contacts] == ["ana", "esc"]
    assert organisation.contacts[1]["Plan"] == {
        "Stages": [
            {
                "DurationInMinutes": 3,
                "Targets": [
                    {"ContactTargetInfo": {"ContactId": f"{ARN}:contact/ana", "IsEssential": False}}
                ],
            }
        ]
    }
    assert "module.team.aws_ssmcontacts_plan.esc" in scenario.source.data
    # The place of a field: its address and the line of the JSON file that holds it.
    line = scenario.source.line_of(("module.team.aws_ssmcontacts_plan.esc", "contact_id"))
    text = (tmp_path / "state.json").read_text(encoding="utf-8").splitlines()
    assert line is not None and '"contact_id"' in text[line - 1]


def test_as_deployed_takes_the_status_a_state_records(tmp_path: Path) -> None:
    intended = _read(tmp_path, STATE).organisation.channels
    assert [c["ActivationStatus"] for c in intended] == ["ACTIVATED", "ACTIVATED"]
    deployed = _read(tmp_path, STATE, channels="as-deployed").organisation.channels
    assert [c["ActivationStatus"] for c in deployed] == ["ACTIVATED", "NOT_ACTIVATED"]


def test_a_plan_reads_data_sources_from_its_prior_state(tmp_path: Path) -> None:
    data_contact = _resource(
        "data.aws_ssmcontacts_contact.lead",
        "aws_ssmcontacts_contact",
        {"arn": f"{ARN}:contact/lead", "alias": "lead", "type": "PERSONAL"},
        mode="data",
    )
    data_channel = _resource(
        "data.aws_ssmcontacts_contact_channel.lead",
        "aws_ssmcontacts_contact_channel",
        _channel("lead", "sms", "NOT_ACTIVATED"),
        mode="data",
    )
    plan = {
        "planned_values": {"root_module": {"resources": []}},
        "prior_state": {"values": {"root_module": {"resources": [data_contact, data_channel]}}},
    }
    scenario = _read(tmp_path, plan)
    assert [c["Alias"] for c in scenario.organisation.contacts] == ["lead"]
    # A data source reads the account: its status is what it is, whatever is intended.
    assert scenario.organisation.channels[0]["ActivationStatus"] == "NOT_ACTIVATED"


def test_unknown_values_of_a_plan_are_minted_and_followed(tmp_path: Path) -> None:
    plan = json.loads((Path(__file__).parent / "organisation.plan.json").read_text("utf-8"))
    scenario = _read(tmp_path, plan, account="444455556666")
    contacts = {c["Alias"]: c for c in scenario.organisation.contacts}
    esc = contacts["sre-escalation"]
    assert esc["ContactArn"] == "arn:aws:ssm-contacts:eu-west-1:444455556666:contact/sre-escalation"
    targets = esc["Plan"]["Stages"][1]["Targets"]
    assert targets == [
        {
            "ContactTargetInfo": {
                "ContactId": "arn:aws:ssm-contacts:eu-west-1:444455556666:contact/duty-manager-0",
                "IsEssential": True,
            }
        }
    ]
    ana = contacts["ana"]["Plan"]["Stages"][0]["Targets"][0]["ChannelTargetInfo"]
    channel = next(
        c
        for c in scenario.organisation.channels
        if c["ContactChannelArn"] == ana["ContactChannelId"]
    )
    assert (channel["Name"], channel["ContactArn"].rsplit("/", 1)[-1]) == ("sms", "ana")


def test_the_state_of_a_configuration_never_applied_is_an_empty_organisation(
    tmp_path: Path,
) -> None:
    scenario = _read(tmp_path, {"format_version": "1.0"})
    assert scenario.organisation.contacts == []
    assert scenario.organisation.channels == []
