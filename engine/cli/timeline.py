"""The rows of a run's timeline and the facts of its summary, from the event log and the outbox.

Plain data, no rich: :mod:`engine.cli.render` draws it. Script steps are placed among the events
at the point of the log where they ran, so a request at an instant follows the work due then.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections import Counter
from typing import Any

from engine.scenario.organisation import contact_alias
from engine.scenario.runner import RunOutcome, StepOutcome
from engine.timeutil import UTC, format_duration

__all__ = [
    "EngagementSummary",
    "MessageCount",
    "TimelineRow",
    "engagement_summaries",
    "message_counts",
    "timeline_rows",
]

_TEXT_LIMIT = 160


@dataclasses.dataclass(frozen=True, slots=True)
class TimelineRow:
    """One line of the timeline."""

    offset: str
    time: str
    stage: str
    contact: str
    channel: str
    what: str
    text: str
    failed: bool = False


@dataclasses.dataclass(frozen=True, slots=True)
class EngagementSummary:
    """What became of one engagement."""

    engagement_arn: str
    contact: str
    started: str
    outcome: str
    acknowledgements: list[str]


@dataclasses.dataclass(frozen=True, slots=True)
class MessageCount:
    """Messages of one channel type."""

    channel_type: str
    sent: int
    failed: int
    delivered: int
    activation_codes: int


def _offset(outcome: RunOutcome, epoch: float) -> str:
    return format_duration(max(0.0, epoch - outcome.simulator.start.timestamp()))


def _clock(epoch: float) -> str:
    moment = dt.datetime.fromtimestamp(epoch, UTC)
    text = moment.strftime("%H:%M:%S")
    if moment.microsecond:
        text += f".{moment.microsecond // 1000:03d}"
    return text


def _short(text: str) -> str:
    return text if len(text) <= _TEXT_LIMIT else text[: _TEXT_LIMIT - 1] + "…"


def _resource(arn: str) -> str:
    """``engagement/akuam/607ced0e-...`` from a full ARN."""
    return arn.split(":", 5)[-1] if arn.startswith("arn:") else arn


class _Context:
    """What the walk through the log has learnt so far: pages, stages, channel names."""

    def __init__(self, outcome: RunOutcome) -> None:
        self.page_contact: dict[str, str] = {}
        self.page_stage: dict[str, str] = {}
        self.attempt_stage: dict[tuple[str, str], str] = {}
        self.escalation_stage: dict[str, str] = {}
        self.channel_names = outcome.channel_names()
        self.channel_types: dict[str, str] = {}
        self.messages: dict[tuple[str, str, int], dict[str, Any]] = {}
        for message in outcome.simulator.outbox:
            if message.get("Kind") == "PAGE":
                key = (message["PageArn"], message["ContactChannelArn"], message["Attempt"])
                self.messages.setdefault(key, message)
            if "ContactChannelArn" in message:
                self.channel_types[message["ContactChannelArn"]] = message["ChannelType"]

    def channel(self, arn: str | None, channel_type: str | None = None) -> str:
        if not arn:
            return ""
        kind = channel_type or self.channel_types.get(arn, "")
        name = self.channel_names.get(arn) or _resource(arn).rsplit("/", 1)[-1][:8]
        return f"{kind} {name}".strip()


def timeline_rows(outcome: RunOutcome) -> list[TimelineRow]:
    """Every event after the import, and every script step, in the order they happened."""
    events = outcome.simulator.events
    context = _Context(outcome)
    rows: list[TimelineRow] = []
    if outcome.import_events:
        rows.append(_import_row(outcome, events[: outcome.import_events]))
    steps = sorted(outcome.steps, key=lambda step: step.events_before)
    position = 0
    for index in range(outcome.import_events, len(events)):
        while position < len(steps) and steps[position].events_before <= index:
            rows.append(_step_row(outcome, steps[position]))
            position += 1
        rows.append(_event_row(outcome, context, events[index]))
    rows.extend(_step_row(outcome, step) for step in steps[position:])
    return rows


def _import_row(outcome: RunOutcome, events: list[dict[str, Any]]) -> TimelineRow:
    organisation = outcome.scenario.organisation
    counts = Counter(event["Type"] for event in events)
    text = (
        f"{len(organisation.contacts)} contacts, {counts['CHANNEL_CREATED']} channels "
        f"({counts['CHANNEL_ACTIVATED']} activated)"
    )
    epoch = events[0]["Time"] if events else outcome.simulator.start.timestamp()
    return TimelineRow(
        _offset(outcome, epoch), _clock(epoch), "", "", "", "organisation imported", text
    )


def _step_row(outcome: RunOutcome, step: StepOutcome) -> TimelineRow:
    compiled = step.step
    label = "acknowledge" if compiled.acknowledgement is not None else compiled.operation
    contact = ""
    if compiled.acknowledgement is not None:
        contact = contact_alias(compiled.acknowledgement.contact_arn)
    if step.skipped is not None:
        what, text = f"script: {label} skipped", step.skipped
    elif step.error is not None:
        expected = step.ok
        what = f"script: {label} {'failed as expected' if expected else 'failed'}"
        text = f"{step.error['Code']}: {step.error['Message']}"
    else:
        what = f"script: {label}"
        if compiled.acknowledgement is not None and step.request is not None:
            what += f" ({step.request['AcceptType']})"
            text = _resource(str(step.request["PageId"]))
        else:
            text = _response_text(step.response)
        if not step.ok:
            what += " succeeded unexpectedly"
    return TimelineRow(
        _offset(outcome, step.time),
        _clock(step.time),
        "",
        contact,
        "",
        what,
        _short(text),
        failed=not step.ok,
    )


def _response_text(response: dict[str, Any] | None) -> str:
    if not response:
        return ""
    if len(response) == 1:
        value = next(iter(response.values()))
        if isinstance(value, str):
            return _resource(value)
    return json.dumps(response, default=str, separators=(",", ":"))


def _event_row(outcome: RunOutcome, context: _Context, event: dict[str, Any]) -> TimelineRow:
    kind = event["Type"]
    engagement = event.get("EngagementArn", "")
    page = event.get("PageArn", "")
    stage = contact = channel = text = ""
    failed = False
    what = kind.lower().replace("_", " ")
    if kind == "ENGAGEMENT_STARTED":
        contact = contact_alias(event["ContactArn"])
        text = _resource(engagement)
    elif kind == "STAGE_STARTED":
        contact = contact_alias(event["ContactArn"])
        stage = f"{contact}[{event['StageIndex']}]"
        what = f"stage {event['StageIndex']} started"
        if page:
            context.page_stage[page] = stage
        else:
            context.escalation_stage[engagement] = stage
    elif kind == "PAGE_CREATED":
        contact = contact_alias(event["ContactArn"])
        context.page_contact[page] = contact
        stage = context.escalation_stage.get(engagement, "")
        what = "paged"
        text = _resource(page)
    elif kind == "MESSAGE":
        contact = context.page_contact.get(page, "")
        channel_arn = event.get("ContactChannelArn", "")
        channel = context.channel(channel_arn, event.get("ChannelType"))
        key = (page, channel_arn)
        if event.get("Attempt") == 1 or key not in context.attempt_stage:
            context.attempt_stage[key] = context.page_stage.get(page, "")
        stage = context.attempt_stage[key]
        sent = event.get("Outcome") == "SENT"
        failed = not sent
        what = f"message {'sent' if sent else 'failed'} (attempt {event.get('Attempt')})"
        message = context.messages.get((page, channel_arn, event.get("Attempt", 0)))
        if message is not None:
            text = _message_text(message)
    elif kind == "RECEIPT":
        contact = context.page_contact.get(page, "")
        channel = context.channel(event.get("ContactChannelArn"))
        receipt = event.get("ReceiptType", "")
        what = {"READ": "acknowledged (READ)", "STOP": "page stopped (STOP)"}.get(
            receipt, f"{receipt} receipt"
        )
        failed = receipt == "ERROR"
        text = str(event.get("ReceiptInfo", ""))
    elif kind == "CHANNEL_SKIPPED":
        contact = context.page_contact.get(page, "")
        channel = context.channel(event.get("ContactChannelArn"))
        stage = context.page_stage.get(page, "")
        text = str(event.get("Reason", ""))
    elif kind in ("TARGET_SKIPPED", "NO_ONCALL"):
        contact = contact_alias(event.get("ContactArn", ""))
        if "StageIndex" in event:
            stage = context.escalation_stage.get(engagement, "")
        text = str(event.get("Reason", ""))
    elif kind == "ESCALATION_STOPPED":
        contact = context.page_contact.get(page, "")
        text = f"essential acknowledgement of {_resource(page)}"
    elif kind == "ENGAGEMENT_STOPPED":
        text = str(event.get("Reason", ""))
        contact = contact_alias(_engaged(engagement))
    elif kind == "ENGAGEMENT_ENDED":
        contact = contact_alias(_engaged(engagement))
    elif kind.startswith("CHANNEL_"):
        contact = contact_alias(event.get("ContactArn", ""))
        channel = context.channel(event.get("ContactChannelArn"), event.get("ChannelType"))
    else:
        rest = {k: v for k, v in event.items() if k not in ("Time", "Type")}
        text = json.dumps(rest, default=str, separators=(",", ":"))
    epoch = float(event["Time"])
    return TimelineRow(
        _offset(outcome, epoch),
        _clock(epoch),
        stage,
        contact,
        channel,
        what,
        _short(text),
        failed,
    )


def _engaged(engagement_arn: str) -> str:
    """The alias of the engaged contact, read from ``engagement/<alias>/<uuid>``."""
    parts = _resource(engagement_arn).split("/")
    return parts[1] if len(parts) > 2 else ""


def _message_text(message: dict[str, Any]) -> str:
    subject = message.get("Subject")
    content = str(message.get("Content", ""))
    text = f"{subject}: {content}" if subject else content
    code = message.get("Code")
    return f"{text} [code {code}]" if code else text


def engagement_summaries(outcome: RunOutcome) -> list[EngagementSummary]:
    """One summary per engagement: who acknowledged when, and how it finished."""
    events = outcome.simulator.events
    page_contact = {
        event["PageArn"]: contact_alias(event["ContactArn"])
        for event in events
        if event["Type"] == "PAGE_CREATED"
    }
    channel_types: dict[str, str] = {}
    for event in events:
        if event["Type"] == "MESSAGE":
            channel_types[event["ContactChannelArn"]] = event["ChannelType"]
    summaries = []
    for engagement in outcome.simulator.result()["engagements"]:
        arn = engagement["EngagementArn"]
        mine = [event for event in events if event.get("EngagementArn") == arn]
        acknowledgements = []
        for event in mine:
            if event["Type"] == "RECEIPT" and event.get("ReceiptType") == "READ":
                via = channel_types.get(event.get("ContactChannelArn", ""), "")
                who = page_contact.get(event["PageArn"], "?")
                when = _offset(outcome, float(event["Time"]))
                acknowledgements.append(f"{who} at {when}" + (f" via {via}" if via else ""))
        endings = []
        for event in mine:
            when = _offset(outcome, float(event["Time"]))
            if event["Type"] == "ESCALATION_STOPPED":
                endings.append(f"escalation stopped at {when}")
            elif event["Type"] == "ENGAGEMENT_STOPPED":
                reason = event.get("Reason")
                endings.append(f"stopped at {when}" + (f" ({reason})" if reason else ""))
            elif event["Type"] == "ENGAGEMENT_ENDED":
                endings.append(f"ended at {when}")
        head = (
            "acknowledged by " + ", ".join(acknowledgements)
            if acknowledgements
            else "not acknowledged"
        )
        started = engagement.get("StartTime")
        summaries.append(
            EngagementSummary(
                engagement_arn=arn,
                contact=contact_alias(engagement.get("ContactArn", "")),
                started=_offset(outcome, float(started)) if started is not None else "",
                outcome="; ".join([head, *endings]),
                acknowledgements=acknowledgements,
            )
        )
    return summaries


def message_counts(outcome: RunOutcome) -> list[MessageCount]:
    """Messages per channel type: pages sent and failed, deliveries, activation codes."""
    sent: Counter[str] = Counter()
    failed: Counter[str] = Counter()
    activations: Counter[str] = Counter()
    channel_types: dict[str, str] = {}
    for message in outcome.simulator.outbox:
        kind = message.get("ChannelType", "")
        channel_types[message.get("ContactChannelArn", "")] = kind
        if message.get("Kind") == "ACTIVATION":
            activations[kind] += 1
        elif message.get("Outcome") == "ERROR":
            failed[kind] += 1
        else:
            sent[kind] += 1
    delivered: Counter[str] = Counter()
    for event in outcome.simulator.events:
        if event["Type"] == "RECEIPT" and event.get("ReceiptType") == "DELIVERED":
            delivered[channel_types.get(event.get("ContactChannelArn", ""), "")] += 1
    kinds = [kind for kind in ("SMS", "VOICE", "EMAIL") if kind in channel_types.values()]
    return [
        MessageCount(kind, sent[kind], failed[kind], delivered[kind], activations[kind])
        for kind in kinds
    ]
