"""Builders the tests share: the start instant, the seed's organisation built by API, filters."""

from __future__ import annotations

import dataclasses
from typing import Any

from engine import Simulator

START = "2026-01-01T00:00:00Z"
START_EPOCH = 1767225600.0
ACCOUNT = "111122223333"
REGION = "us-east-2"
PREFIX = f"arn:aws:ssm-contacts:{REGION}:{ACCOUNT}:"


def contact_arn(alias: str) -> str:
    return f"{PREFIX}contact/{alias}"


@dataclasses.dataclass
class Org:
    """ARNs of an organisation built through the API."""

    sim: Simulator
    client: Any
    channels: dict[str, dict[str, str]] = dataclasses.field(default_factory=dict)

    def person(
        self,
        alias: str,
        stages: list[tuple[int, list[str], int]] | None = None,
        activate: tuple[str, ...] = ("SMS", "VOICE", "EMAIL"),
    ) -> str:
        """A PERSONAL contact with SMS, VOICE and EMAIL channels and a plan of
        (minutes, [channel types], retry minutes) stages (default: 3 x 5 min, one type each)."""
        arn = self.client.create_contact(Alias=alias, Type="PERSONAL", Plan={"Stages": []})[
            "ContactArn"
        ]
        addresses = {"SMS": "+15550100", "VOICE": "+15550101", "EMAIL": f"{alias}@example.com"}
        self.channels[alias] = {}
        for kind, address in addresses.items():
            channel = self.client.create_contact_channel(
                ContactId=arn,
                Name=kind.lower(),
                Type=kind,
                DeliveryAddress={"SimpleAddress": address},
            )["ContactChannelArn"]
            self.channels[alias][kind] = channel
            if kind in activate:
                code = last_activation_code(self.sim, channel)
                self.client.activate_contact_channel(ContactChannelId=channel, ActivationCode=code)
        if stages is None:
            stages = [(5, ["SMS"], 1), (5, ["VOICE"], 1), (5, ["EMAIL"], 1)]
        self.client.update_contact(
            ContactId=arn,
            Plan={
                "Stages": [
                    {
                        "DurationInMinutes": minutes,
                        "Targets": [
                            {
                                "ChannelTargetInfo": {
                                    "ContactChannelId": self.channels[alias][kind],
                                    "RetryIntervalInMinutes": retry,
                                }
                            }
                            for kind in kinds
                        ],
                    }
                    for minutes, kinds, retry in stages
                ]
            },
        )
        return str(arn)

    def escalation(self, alias: str, stages: list[tuple[int, list[tuple[str, bool]]]]) -> str:
        """An ESCALATION contact whose stages are (minutes, [(alias, essential)])."""
        plan = {
            "Stages": [
                {
                    "DurationInMinutes": minutes,
                    "Targets": [
                        {"ContactTargetInfo": {"ContactId": contact_arn(a), "IsEssential": e}}
                        for a, e in targets
                    ],
                }
                for minutes, targets in stages
            ]
        }
        return str(
            self.client.create_contact(Alias=alias, Type="ESCALATION", Plan=plan)["ContactArn"]
        )

    def rotation(
        self,
        name: str,
        members: list[str],
        start: str = "2026-01-01T09:00:00Z",
        zone: str = "UTC",
        daily: tuple[int, int] | None = (9, 0),
        **recurrence: Any,
    ) -> str:
        """A rotation of ``members`` (aliases) with a daily hand-off (default 09:00)."""
        settings: dict[str, Any] = {"NumberOfOnCalls": 1, "RecurrenceMultiplier": 1, **recurrence}
        if daily is not None:
            settings["DailySettings"] = [{"HourOfDay": daily[0], "MinuteOfHour": daily[1]}]
        return str(
            self.client.create_rotation(
                Name=name,
                ContactIds=[contact_arn(m) for m in members],
                StartTime=start,
                TimeZoneId=zone,
                Recurrence=settings,
            )["RotationArn"]
        )

    def schedule(self, alias: str, rotations: list[str]) -> str:
        """An ONCALL_SCHEDULE contact over ``rotations`` (ARNs)."""
        return str(
            self.client.create_contact(
                Alias=alias, Type="ONCALL_SCHEDULE", Plan={"RotationIds": rotations}
            )["ContactArn"]
        )

    def seed(self) -> str:
        """The seed's organisation: akuam, alejr, anasi and example_escalation (5, 5, 0 min)."""
        for alias in ("akuam", "alejr", "anasi"):
            self.person(alias)
        return self.escalation(
            "example_escalation",
            [(5, [("akuam", True)]), (5, [("alejr", False)]), (0, [("anasi", False)])],
        )

    def engage(self, contact: str, **extra: Any) -> str:
        request = {
            "ContactId": contact if contact.startswith("arn:") else contact_arn(contact),
            "Sender": "cli",
            "Subject": "cli-test",
            "Content": "Testing engagements via CLI",
            "PublicSubject": "cli-test",
            "PublicContent": "Testing engagements va CLI",
            **extra,
        }
        return str(self.client.start_engagement(**request)["EngagementArn"])


def last_activation_code(sim: Simulator, channel_arn: str) -> str:
    codes = [
        m["Code"]
        for m in sim.outbox
        if m["Kind"] == "ACTIVATION" and m["ContactChannelArn"] == channel_arn
    ]
    return str(codes[-1])


def offset(record: dict[str, Any]) -> float:
    """Seconds from the run's start to a record's Time."""
    return round(record["Time"] - START_EPOCH, 3)


def events_of(sim: Simulator, kind: str, **match: Any) -> list[dict[str, Any]]:
    return [
        e for e in sim.events if e["Type"] == kind and all(e.get(k) == v for k, v in match.items())
    ]
