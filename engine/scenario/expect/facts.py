"""What a finished run did, as facts that expectations are matched against.

A :class:`Fact` is one message, receipt, event or page with its time as an offset from the start
and its fields by the names expectation rows use (``contact``, ``channel``, ``type``...). The
:class:`RunFacts` of a run also know how to read names written in a scenario: step ids of
engagements, channel names, ARNs as written (rewritten to the run's account and region).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping
from typing import Any

from engine.scenario.organisation import contact_alias
from engine.scenario.runner import RunOutcome, StepOutcome

__all__ = ["Fact", "RunFacts", "collect_facts"]

_TOLERANCE = 0.0005  # records carry milliseconds


@dataclasses.dataclass(frozen=True, slots=True)
class Fact:
    """One record of the run. ``values`` holds the fields rows match; absent means absent."""

    kind: str
    """``message``, ``receipt``, ``event`` or ``page``."""
    at: float
    """Seconds after the start."""
    values: Mapping[str, Any]
    record: Mapping[str, Any]
    """The record as the run wrote it (for ``fields`` of events)."""


@dataclasses.dataclass
class RunFacts:
    """Every fact of a run, and what is needed to read a scenario's names against them."""

    start: dt.datetime
    arns: dict[str, str]
    """ARN as written in the file -> ARN in the run."""
    channel_names: dict[str, str]
    """Channel ARN -> its name (declared, or given to CreateContactChannel)."""
    engagements: dict[str, str]
    """Step id -> the EngagementArn its response carried."""
    responses: dict[str, dict[str, object]]
    """Step id -> response, for steps that answered."""
    steps: dict[str, StepOutcome]
    messages: list[Fact]
    receipts: list[Fact]
    events: list[Fact]
    pages: list[Fact]

    def of_kind(self, kind: str) -> list[Fact]:
        facts: list[Fact] = getattr(self, f"{kind}s")
        return facts

    def offset(self, when: float | dt.datetime) -> float:
        """Seconds after the start of an offset or an instant written in the file."""
        if isinstance(when, dt.datetime):
            return (when - self.start).total_seconds()
        return float(when)

    def same_time(self, when: float | dt.datetime, at: float) -> bool:
        return abs(self.offset(when) - at) < _TOLERANCE

    def run_arn(self, written: str) -> str:
        return self.arns.get(written, written)

    def engagement_label(self, arn: str | None) -> str:
        """The step id that started engagement ``arn``, else its short resource name."""
        if arn is None:
            return ""
        for step_id, engagement in self.engagements.items():
            if engagement == arn:
                return step_id
        return arn.split(":", 5)[-1]

    def channel_label(self, arn: str | None, channel_type: str | None) -> str:
        """``SMS sms``: type and name, as a timeline shows a channel."""
        if arn is None:
            return "(none)"
        name = self.channel_names.get(arn) or arn.rsplit("/", 1)[-1][:8]
        return f"{channel_type or ''} {name}".strip()


def collect_facts(outcome: RunOutcome) -> RunFacts:
    """The facts of a finished run."""
    sim = outcome.simulator
    start = sim.start
    start_epoch = start.timestamp()
    events = sim.events
    channel_types: dict[str, str] = {}
    page_contacts: dict[str, str] = {}
    for event in events:
        if "ContactChannelArn" in event and "ChannelType" in event:
            channel_types[event["ContactChannelArn"]] = event["ChannelType"]
        if event["Type"] == "PAGE_CREATED":
            page_contacts[event["PageArn"]] = event["ContactArn"]

    def offset(record: Mapping[str, Any]) -> float:
        return round(float(record["Time"]) - start_epoch, 3)

    steps = {step.step.id: step for step in outcome.steps if step.step.id is not None}
    responses = {key: step.response for key, step in steps.items() if step.response is not None}
    engagements = {
        key: str(response["EngagementArn"])
        for key, response in responses.items()
        if isinstance(response.get("EngagementArn"), str)
    }
    messages = [
        Fact("message", offset(message), _message_values(message), message)
        for message in sim.outbox
    ]
    receipts: list[Fact] = []
    event_facts: list[Fact] = []
    for event in events[outcome.import_events :]:
        values = _event_values(event, page_contacts, channel_types)
        event_facts.append(Fact("event", offset(event), values, event))
        if event["Type"] == "RECEIPT":
            receipt = {**values, "type": event.get("ReceiptType"), "info": event.get("ReceiptInfo")}
            receipts.append(Fact("receipt", offset(event), receipt, event))
    return RunFacts(
        start=start,
        arns=dict(outcome.arns),
        channel_names=_channel_names(outcome),
        engagements=engagements,
        responses=responses,
        steps=steps,
        messages=messages,
        receipts=receipts,
        events=event_facts,
        pages=_page_facts(outcome, start_epoch),
    )


def _message_values(message: Mapping[str, Any]) -> dict[str, object]:
    return {
        "contact_arn": message.get("ContactArn"),
        "engagement_arn": message.get("EngagementArn"),
        "channel_arn": message.get("ContactChannelArn"),
        "channel_type": message.get("ChannelType"),
        "kind": message.get("Kind"),
        "outcome": message.get("Outcome"),
        "attempt": message.get("Attempt"),
        "subject": message.get("Subject"),
        "content": message.get("Content"),
        "code": message.get("Code"),
    }


def _event_values(
    event: Mapping[str, Any], page_contacts: Mapping[str, str], channel_types: Mapping[str, str]
) -> dict[str, object]:
    channel = event.get("ContactChannelArn")
    contact = event.get("ContactArn") or page_contacts.get(event.get("PageArn", ""))
    return {
        "type": event["Type"],
        "contact_arn": contact,
        "engagement_arn": event.get("EngagementArn"),
        "channel_arn": channel,
        "channel_type": event.get("ChannelType")
        or (channel_types.get(channel) if channel else None),
        "stage": event.get("StageIndex"),
        "reason": event.get("Reason"),
    }


def _page_facts(outcome: RunOutcome, start_epoch: float) -> list[Fact]:
    """Pages in the order they were created, with their times and resolution paths."""
    details: dict[str, Mapping[str, Any]] = {}
    for engagement in outcome.simulator.result()["engagements"]:
        for page in engagement["Pages"]:
            details[page["PageArn"]] = page

    def offset(epoch: Any) -> float | None:
        return None if epoch is None else round(float(epoch) - start_epoch, 3)

    facts = []
    for event in outcome.simulator.events:
        if event["Type"] != "PAGE_CREATED":
            continue
        page = details.get(event["PageArn"], {})
        resolution = [
            contact_alias(entry["ContactArn"])
            + (f"[{entry['StageIndex']}]" if "StageIndex" in entry else "")
            for entry in page.get("Resolutions", [])
        ]
        values = {
            "contact_arn": event["ContactArn"],
            "engagement_arn": event["EngagementArn"],
            "page_arn": event["PageArn"],
            "resolution": resolution,
            "sent": offset(page.get("SentTime")),
            "delivered": offset(page.get("DeliveryTime")),
            "read": offset(page.get("ReadTime")),
        }
        facts.append(Fact("page", round(float(event["Time"]) - start_epoch, 3), values, event))
    return facts


def _channel_names(outcome: RunOutcome) -> dict[str, str]:
    """Declared channel names, then names given by CreateContactChannel and
    UpdateContactChannel steps (a later name replaces an earlier one)."""
    names = dict(outcome.channel_names())
    for step in outcome.steps:
        request = step.request or {}
        name = request.get("Name")
        if not isinstance(name, str) or step.error is not None:
            continue
        if step.step.operation == "CreateContactChannel" and step.response:
            names[str(step.response.get("ContactChannelArn"))] = name
        elif step.step.operation == "UpdateContactChannel":
            names[str(request.get("ContactChannelId"))] = name
    return names
