"""The org-year workload: a year of a synthetic organisation's engagements (benchmarks/org-year.md).

The organisation and the traffic are generated from their own ``random.Random(seed)``, as the
yardstick does; :mod:`engine.bench.shards` runs the engagements.
"""

from __future__ import annotations

import dataclasses
import random
from collections.abc import Iterator
from typing import Any

from engine.arns import make_arn
from engine.sim.responders import LogNormal, ProbabilisticResponder

START = "2026-01-01T00:00:00Z"
ACCOUNT = "111122223333"
REGION = "us-east-1"
YEAR_SECONDS = 365 * 86400.0
CHANNEL_PLAN = (("SMS", 5, 1), ("VOICE", 5, 2), ("EMAIL", 0, 0))  # type, minutes, retry minutes
ADDRESSES = {"SMS": "+1555{:07d}", "VOICE": "+1555{:07d}", "EMAIL": "contact-{:04d}@example.com"}
RESPONDER = ProbabilisticResponder(probability=0.6, delay=LogNormal(median=240.0, sigma=0.8))
# org-year.md records a DELIVERED at each arrival: the carrier receipts of escsim 0.1.
SETTINGS = {"fail_probability": 0.05, "max_retries": 3, "delivery_receipts": "carrier"}
MESSAGE = {
    "Sender": "org-year",
    "Subject": "org-year incident",
    "Content": "org-year benchmark engagement",
}


@dataclasses.dataclass(frozen=True)
class OrgYear:
    """The generated workload: organisation in AWS shapes and the arrival schedule."""

    contacts: list[dict[str, object]]
    channels: list[dict[str, object]]
    escalations: list[str]
    engagements: int
    # The generator's state once the organisation is drawn: the traffic is drawn from here
    # lazily, so a long run never holds its whole arrival schedule in memory.
    traffic_state: Any

    def arrivals(self) -> Arrivals:
        """(virtual seconds, escalation plan ARN) of each StartEngagement, in time order."""
        return Arrivals(self, 0, self.traffic_state, 0.0)

    @classmethod
    def generate(cls, contacts: int, engagements: int, seed: int) -> OrgYear:
        """The organisation and traffic of org-year.md for C contacts and N engagements."""
        rng = random.Random(seed)
        people: list[dict[str, object]] = []
        channels: list[dict[str, object]] = []
        for i in range(contacts):
            alias = f"contact-{i:04d}"
            contact_arn = make_arn(REGION, ACCOUNT, "contact", alias)
            stages = []
            for kind, minutes, retry in CHANNEL_PLAN:
                uuid = _uuid(rng)
                channel_arn = make_arn(REGION, ACCOUNT, "contact-channel", alias, uuid)
                channels.append(
                    {
                        "ContactChannelArn": channel_arn,
                        "ContactArn": contact_arn,
                        "Name": kind.lower(),
                        "Type": kind,
                        "DeliveryAddress": {"SimpleAddress": ADDRESSES[kind].format(i)},
                        "ActivationStatus": "ACTIVATED",
                    }
                )
                target = {"ContactChannelId": channel_arn, "RetryIntervalInMinutes": retry}
                stages.append(
                    {"DurationInMinutes": minutes, "Targets": [{"ChannelTargetInfo": target}]}
                )
            people.append(
                {
                    "ContactArn": contact_arn,
                    "Alias": alias,
                    "Type": "PERSONAL",
                    "Plan": {"Stages": stages},
                }
            )
        escalations = []
        for k in range(contacts // 10):
            alias = f"escalation-{k:03d}"
            stages = []
            for _ in range(3):
                first, second = rng.sample(range(contacts), 2)
                stages.append(
                    {
                        "DurationInMinutes": 5,
                        "Targets": [
                            _contact_target(first, essential=True),
                            _contact_target(second, essential=False),
                        ],
                    }
                )
            arn = make_arn(REGION, ACCOUNT, "contact", alias)
            people.append(
                {
                    "ContactArn": arn,
                    "Alias": alias,
                    "Type": "ESCALATION",
                    "Plan": {"Stages": stages},
                }
            )
            escalations.append(arn)
        return cls(people, channels, escalations, engagements, rng.getstate())

    def scenario(self, name: str = "org-year") -> dict[str, object]:
        """The workload as a scenario document (AWS form), reusable by run and review."""
        return {
            "version": 1,
            "name": name,
            "description": "org-year benchmark workload: a year of a synthetic organisation",
            "start": START,
            "seed": 0,
            "account": ACCOUNT,
            "region": REGION,
            "settings": dict(SETTINGS),
            "contacts": self.contacts,
            "channels": self.channels,
            "responders": {
                c["Alias"]: {
                    "probability": RESPONDER.probability,
                    "delay": {"lognormal": {"median": "4m", "sigma": 0.8}},
                }
                for c in self.contacts
                if c["Type"] == "PERSONAL"
            },
            "script": [
                {
                    "at": f"{round(at, 3)}s",
                    "StartEngagement": {"ContactId": plan, **MESSAGE},
                }
                for at, plan in self.arrivals()
            ],
        }


class Arrivals:
    """The traffic of org-year.md drawn lazily, resumable: :meth:`position` is what another
    process needs to go on drawing from here, bit for bit (the generator and the float sum)."""

    def __init__(self, workload: OrgYear, index: int, state: Any, now: float) -> None:
        self.plans = workload.escalations
        self.total = workload.engagements
        self.rate = workload.engagements / YEAR_SECONDS
        self.index = index  # how many arrivals have been drawn
        self.now = now
        self.rng = random.Random()
        self.rng.setstate(state)

    def __iter__(self) -> Iterator[tuple[float, str]]:
        return self

    def __next__(self) -> tuple[float, str]:
        if self.index >= self.total:
            raise StopIteration
        self.index += 1
        self.now += self.rng.expovariate(self.rate)
        return self.now, self.plans[self.rng.randrange(len(self.plans))]

    def position(self) -> tuple[int, Any, float]:
        """(arrivals drawn, generator state, virtual seconds of the last one)."""
        return self.index, self.rng.getstate(), self.now


def _uuid(rng: random.Random) -> str:
    # The yardstick's uuid layout, drawn from the workload's own generator.
    parts = (rng.getrandbits(32), rng.getrandbits(16), rng.getrandbits(12), rng.getrandbits(12))
    return "{:08x}-{:04x}-4{:03x}-8{:03x}-".format(*parts) + f"{rng.getrandbits(48):012x}"


def _contact_target(index: int, *, essential: bool) -> dict[str, object]:
    arn = make_arn(REGION, ACCOUNT, "contact", f"contact-{index:04d}")
    return {"ContactTargetInfo": {"ContactId": arn, "IsEssential": essential}}
