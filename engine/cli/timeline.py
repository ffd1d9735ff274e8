"""The rows of a run's timeline and the facts of its summary, from the event log and the outbox.

Plain data that :mod:`engine.cli.render` draws. Script steps sit at the point of the log where
they ran; ARNs are shortened; times carry the date when the run crosses midnight (UTC). Every pass
over the log is linear.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import json
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from typing import NamedTuple, cast

from engine.arns import parse_arn
from engine.scenario.organisation import contact_alias
from engine.scenario.runner import RunOutcome, StepOutcome
from engine.sim.records import EngagementStarted, EventRecord, MessageRecord, PageMessage
from engine.timeutil import UTC, format_duration

__all__ = [
    "EngagementSummary",
    "MessageCount",
    "TimelineRow",
    "engagement_summaries",
    "escalation_stopped",
    "message_counts",
    "short_arn",
    "timeline_rows",
]

_TEXT_LIMIT = 160


class TimelineRow(NamedTuple):
    """One line of the timeline (a named tuple: a long run makes tens of thousands)."""

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


# Many records share an instant, an ARN or a contact: their texts are made once (the caches are
# bounded, so a long-lived process holding many runs does not grow with them).
_CACHE = 1 << 16


def _since(start: float, epoch: float) -> str:
    return _elapsed(max(0.0, epoch - start))


_elapsed = functools.lru_cache(maxsize=_CACHE)(format_duration)
_alias = functools.lru_cache(maxsize=_CACHE)(contact_alias)


@functools.lru_cache(maxsize=_CACHE)
def _clock(epoch: float, with_date: bool) -> str:
    moment = dt.datetime.fromtimestamp(epoch, UTC)
    text = moment.strftime("%Y-%m-%d %H:%M:%S" if with_date else "%H:%M:%S")
    if moment.microsecond:
        text += f".{moment.microsecond // 1000:03d}"
    return text


def _events(outcome: RunOutcome) -> list[EventRecord]:
    """The run's event log, as the core's record types (engine.sim.records) say it is."""
    return cast("list[EventRecord]", outcome.simulator.events)


def _outbox(outcome: RunOutcome) -> list[MessageRecord]:
    return cast("list[MessageRecord]", outcome.simulator.outbox)


def _crosses_midnight(outcome: RunOutcome) -> bool:
    """Does the run hold instants of more than one UTC date? (Events and steps are in order.)"""
    sim = outcome.simulator
    instants = [sim.start.timestamp()]
    if sim.events:
        instants.append(float(sim.events[-1]["Time"]))
    instants.extend(step.time for step in outcome.steps[-1:])
    first = dt.datetime.fromtimestamp(min(instants), UTC).date()
    return dt.datetime.fromtimestamp(max(instants), UTC).date() != first


def _short(text: str) -> str:
    return text if len(text) <= _TEXT_LIMIT else text[: _TEXT_LIMIT - 1] + "…"


_UUID_GROUPS = (8, 4, 4, 4, 12)


def short_arn(arn: str) -> str:
    """``akuam/…a5bbd1020f43`` for an engagement's, a page's or a channel's ARN; other
    ssm-contacts ARNs lose their prefix; other text is unchanged."""
    fields = arn.split(":", 5)
    if len(fields) < 6 or fields[0] != "arn" or fields[2] != "ssm-contacts":
        return arn
    kind, _, rest = fields[5].partition("/")
    if not rest:
        return arn
    parts = rest.split("/")
    groups = parts[-1].split("-")
    if len(groups) == 5 and tuple(map(len, groups)) == _UUID_GROUPS:
        parts[-1] = "…" + groups[-1]
    if kind in ("engagement", "page", "contact-channel"):
        return "/".join(parts)
    return "/".join((kind, *parts))


def escalation_stopped(essential_ack: str) -> str:
    """What an essential acknowledgement stops, in the timeline's words (E10)."""
    if essential_ack == "stop_all":
        return "escalation and open pages stopped"
    return "escalation stopped (open pages continue)"


class _Context:
    """What the walk through the log has learnt so far: pages, stages, channel names."""

    def __init__(self, outcome: RunOutcome) -> None:
        self.start = outcome.simulator.start.timestamp()
        self.with_date = _crosses_midnight(outcome)
        self.stopped = escalation_stopped(outcome.simulator.knobs.essential_ack)
        self.page_contact: dict[str, str] = {}
        self.page_stage: dict[str, str] = {}
        self.attempt_stage: dict[tuple[str, str], str] = {}
        self.escalation_stage: dict[str, str] = {}
        self.channel_names = outcome.channel_names()
        self.channel_types: dict[str, str] = {}
        self.messages: dict[tuple[str, str, int], PageMessage] = {}
        for message in _outbox(outcome):
            if message["Kind"] == "PAGE":
                key = (message["PageArn"], message["ContactChannelArn"], message["Attempt"])
                self.messages.setdefault(key, message)
            self.channel_types[message["ContactChannelArn"]] = message["ChannelType"]

    def channel(self, arn: str | None, channel_type: str | None = None) -> str:
        if not arn:
            return ""
        kind = channel_type or self.channel_types.get(arn, "")
        name = self.channel_names.get(arn) or short_arn(arn).rsplit("/", 1)[-1]
        return f"{kind} {name}".strip()

    def row(
        self, at: float, stage: str, contact: str, channel: str, what: str, text: str, failed: bool
    ) -> TimelineRow:
        """The row of what happened at epoch ``at``."""
        start, clock = _since(self.start, at), _clock(at, self.with_date)
        return TimelineRow(start, clock, stage, contact, channel, what, _short(text), failed)


def timeline_rows(outcome: RunOutcome) -> list[TimelineRow]:
    """Every event after the import, and every script step, in the order they happened."""
    events = _events(outcome)
    context = _Context(outcome)
    rows: list[TimelineRow] = []
    if outcome.import_events:
        rows.append(_import_row(outcome, context, events[: outcome.import_events]))
    steps = sorted(outcome.steps, key=lambda step: step.events_before)
    position = 0
    for index in range(outcome.import_events, len(events)):
        while position < len(steps) and steps[position].events_before <= index:
            rows.append(_step_row(outcome, context, steps[position]))
            position += 1
        rows.append(_event_row(outcome, context, events[index]))
    rows.extend(_step_row(outcome, context, step) for step in steps[position:])
    return rows


def _import_row(
    outcome: RunOutcome, context: _Context, events: Sequence[EventRecord]
) -> TimelineRow:
    organisation = outcome.scenario.organisation
    counts = Counter(event["Type"] for event in events)
    text = (
        f"{len(organisation.contacts)} contacts, {counts['CHANNEL_CREATED']} channels "
        f"({counts['CHANNEL_ACTIVATED']} activated)"
    )
    epoch = events[0]["Time"] if events else outcome.simulator.start.timestamp()
    return context.row(epoch, "", "", "", "organisation imported", text, False)


def _step_row(outcome: RunOutcome, context: _Context, step: StepOutcome) -> TimelineRow:
    compiled = step.step
    label = "acknowledge" if compiled.acknowledgement is not None else compiled.operation
    contact = ""
    if compiled.acknowledgement is not None:
        contact = _alias(compiled.acknowledgement.contact_arn)
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
            text = short_arn(str(step.request["PageId"]))
        else:
            text = _response_text(step.response)
        if not step.ok:
            what += " succeeded unexpectedly"
    return context.row(step.time, "", contact, "", what, text, not step.ok)


def _response_text(response: Mapping[str, object] | None) -> str:
    if not response:
        return ""
    if len(response) == 1:
        value = next(iter(response.values()))
        if isinstance(value, str):
            return short_arn(value)
    return json.dumps(response, default=str, separators=(",", ":"))


def _event_row(outcome: RunOutcome, context: _Context, event: EventRecord) -> TimelineRow:
    kind = event["Type"]
    engagement = str(event.get("EngagementArn", ""))
    page = str(event.get("PageArn", ""))
    stage = channel = text = ""
    contact = context.page_contact.get(page, "")  # of a page's event; others set their own
    failed = False
    what = kind.lower().replace("_", " ")
    if event["Type"] == "ENGAGEMENT_STARTED":
        contact = _alias(event["ContactArn"])
        text = short_arn(engagement)
    elif event["Type"] == "STAGE_STARTED":
        contact = _alias(event["ContactArn"])
        stage = f"{contact}[{event['StageIndex']}]"
        what = f"stage {event['StageIndex']} started"
        if page:
            context.page_stage[page] = stage
        else:
            context.escalation_stage[engagement] = stage
    elif event["Type"] == "PAGE_CREATED":
        contact = _alias(event["ContactArn"])
        context.page_contact[page] = contact
        stage = context.escalation_stage.get(engagement, "")
        what = "paged"
        text = short_arn(page)
    elif event["Type"] == "MESSAGE":
        channel_arn = event["ContactChannelArn"]
        channel = context.channel(channel_arn, event["ChannelType"])
        key = (page, channel_arn)
        if event["Attempt"] == 1 or key not in context.attempt_stage:
            context.attempt_stage[key] = context.page_stage.get(page, "")
        stage = context.attempt_stage[key]
        sent = event["Outcome"] == "SENT"
        failed = not sent
        what = f"message {'sent' if sent else 'failed'} (attempt {event['Attempt']})"
        message = context.messages.get((page, channel_arn, event["Attempt"]))
        if message is not None:
            text = _message_text(message)
    elif event["Type"] == "RECEIPT":
        channel = context.channel(event.get("ContactChannelArn"))
        receipt = event["ReceiptType"]
        what = {"READ": "acknowledged (READ)", "STOP": "page stopped (STOP)"}.get(
            receipt, f"{receipt} receipt"
        )
        failed = receipt == "ERROR"
        text = event.get("ReceiptInfo", "")
    elif event["Type"] == "CHANNEL_SKIPPED":
        channel = context.channel(event["ContactChannelArn"])
        stage = context.page_stage.get(page, "")
        text = event["Reason"]
    elif event["Type"] == "TARGET_SKIPPED" or event["Type"] == "NO_ONCALL":
        contact = _alias(event["ContactArn"] or "")
        if "StageIndex" in event:
            stage = context.escalation_stage.get(engagement, "")
        text = str(event.get("Reason", ""))
    elif event["Type"] == "ESCALATION_STOPPED":
        what = context.stopped
        text = f"essential acknowledgement of page {short_arn(page)}"
    elif event["Type"] == "ENGAGEMENT_STOPPED":
        text = event.get("Reason", "")
        contact = _alias(_engaged(engagement))
    elif event["Type"] == "ENGAGEMENT_ENDED":
        contact = _alias(_engaged(engagement))
    else:
        contact = _alias(event["ContactArn"])
        channel = context.channel(event["ContactChannelArn"], event["ChannelType"])
    return context.row(float(event["Time"]), stage, contact, channel, what, text, failed)


def _engaged(engagement_arn: str) -> str:
    """The alias of the engaged contact, read from ``engagement/<alias>/<uuid>``."""
    parsed = parse_arn(engagement_arn)
    return parsed.parts[0] if parsed is not None and len(parsed.parts) > 1 else ""


def _message_text(message: PageMessage) -> str:
    subject = message.get("Subject")
    content = message.get("Content", "")
    text = f"{subject}: {content}" if subject else content
    code = message["Code"]
    return f"{text} [code {code}]" if code else text


_SUMMARISED = frozenset({"RECEIPT", "ESCALATION_STOPPED", "ENGAGEMENT_STOPPED", "ENGAGEMENT_ENDED"})


def engagement_summaries(outcome: RunOutcome) -> list[EngagementSummary]:
    """Who acknowledged each engagement when, and how it finished, in the order they started."""
    page_contact: dict[str, str] = {}
    channel_types: dict[str, str] = {}
    by_engagement: defaultdict[str, list[EventRecord]] = defaultdict(list)
    started: list[EngagementStarted] = []
    for event in _events(outcome):
        if event["Type"] == "ENGAGEMENT_STARTED":
            started.append(event)
        elif event["Type"] == "PAGE_CREATED":
            page_contact[event["PageArn"]] = _alias(event["ContactArn"])
        elif event["Type"] == "MESSAGE":
            channel_types[event["ContactChannelArn"]] = event["ChannelType"]
        arn = event.get("EngagementArn")
        if isinstance(arn, str):
            by_engagement[arn].append(event)
    stopped = escalation_stopped(outcome.simulator.knobs.essential_ack)
    origin = outcome.simulator.start.timestamp()
    summaries = []
    for start in started:
        arn = start["EngagementArn"]
        mine = by_engagement[arn]
        acknowledgements = []
        endings = []
        for event in mine:
            kind = event["Type"]
            if kind not in _SUMMARISED:
                continue
            when = _since(origin, float(event["Time"]))
            if event["Type"] == "RECEIPT" and event["ReceiptType"] == "READ":
                via = channel_types.get(event.get("ContactChannelArn", ""), "")
                who = page_contact.get(event["PageArn"], "?")
                acknowledgements.append(f"{who} at {when}" + (f" via {via}" if via else ""))
            elif kind == "ESCALATION_STOPPED":
                endings.append(stopped.replace("stopped", f"stopped at {when}", 1))
            elif kind == "ENGAGEMENT_STOPPED":
                reason = event.get("Reason")
                endings.append(f"stopped at {when}" + (f" ({reason})" if reason else ""))
            elif kind == "ENGAGEMENT_ENDED":
                endings.append(f"ended at {when}")
        head = (
            "acknowledged by " + ", ".join(acknowledgements)
            if acknowledgements
            else "not acknowledged"
        )
        summaries.append(
            EngagementSummary(
                engagement_arn=arn,
                contact=_alias(start["ContactArn"]),
                started=_since(origin, float(start["Time"])),
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
