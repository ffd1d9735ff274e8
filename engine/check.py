"""Invariant checks over a run's records: event log and outbox in, findings of kinds G9xx out.

The engine promises rules that hold for every run, whatever the organisation, settings and
requests: a receipt belongs to a page and a channel that exist, nothing is sent on a page after
its READ or after the engagement's stop, a page is read at most once, no escalation stage starts
after an essential acknowledgement, every engagement ends once, SMS never carries the secure
texts, the outbox's page messages and the SENT/ERROR receipts agree one to one, and every record
of an engagement, page or channel comes after the record that started or created it.
:func:`check_records` and :func:`check_result` read the records of interfaces.md however they
were written (``Simulator.events``/``outbox``, ``escsim run --events``, ``escsim events``, the
result of ``escsim run --output json``) and return a :class:`~engine.findings.Finding` wherever
a rule is broken, its path naming the record (``events[12]``, ``outbox[3]``).

Pure functions: no simulator, no files, no clock. Records are judged as found; a record with a
missing or mistyped key is reported or passed over, never a crash.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable, Mapping, Sequence
from typing import Any, Final

from engine.findings import CATALOGUE, Finding

__all__ = ["INVARIANTS", "CheckInputError", "check_records", "check_result"]

#: The catalogue ids of the rules checked here, in the order the rules are listed above.
INVARIANTS: Final = tuple(kind_id for kind_id in CATALOGUE if kind_id.startswith("G9"))

_SEND_RECEIPTS: Final = ("SENT", "ERROR")
_WORK_ON_A_PAGE: Final = ("SENT", "ERROR", "DELIVERED")
# Records that work on an existing page and that no other rule traces back to its PAGE_CREATED.
_NEEDS_PAGE: Final = ("STAGE_STARTED", "CHANNEL_SKIPPED")
_SCENARIO_KEY: Final = "Scenario"
_TIME_SLACK: Final = 1e-6


class CheckInputError(ValueError):
    """Records that cannot be checked together (the message says why)."""


# -- what the log says about each resource --------------------------------------------------------


@dataclasses.dataclass(slots=True)
class _Engagement:
    started_at: str
    ended: bool = False
    stopped: bool = False
    escalation_stopped: bool = False


@dataclasses.dataclass(slots=True)
class _Page:
    engagement: str | None
    contact: str | None
    reads: int = 0
    closed_by: str | None = None  # "READ" or "STOP"
    # Provider ids of its SENT receipts: a DELIVERED naming one is a carrier arrival (E7).
    sent_ids: set[str] = dataclasses.field(default_factory=set)


@dataclasses.dataclass(slots=True)
class _Channel:
    contact: str | None
    activated: bool = False
    deleted: bool = False


@dataclasses.dataclass(frozen=True, slots=True)
class _Send:
    """One send attempt as one record tells it, to be matched with the other records."""

    path: str
    time: float | None
    page: str | None
    channel: str | None
    outcome: str | None
    attempt: object


def _text(record: Mapping[str, Any], key: str) -> str | None:
    value = record.get(key)
    return value if isinstance(value, str) else None


def _time(record: Mapping[str, Any]) -> float | None:
    value = record.get("Time")
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    number = float(value)
    return number if math.isfinite(number) else None


def _finding(kind_id: str, path: str, subject: str | None, message: str) -> Finding:
    return CATALOGUE[kind_id].at(path, subject or "", message)


class _EventLog:
    """Walks one run's event log in order, keeping what each record needs to be judged.

    ``path`` and ``record`` are the record being read; findings are reported at its path.
    """

    def __init__(self) -> None:
        self.findings: list[Finding] = []
        self.engagements: dict[str, _Engagement] = {}
        self.pages: dict[str, _Page] = {}
        self.channels: dict[str, _Channel] = {}
        self.messages: list[_Send] = []
        self.send_receipts: list[_Send] = []
        self.path = ""
        self.record: Mapping[str, Any] = {}
        self._last_time: float | None = None
        self._orphans: set[str] = set()  # ARNs already reported as having no origin

    def report(self, kind_id: str, subject: str | None, message: str) -> None:
        self.findings.append(_finding(kind_id, self.path, subject, message))

    def text(self, key: str) -> str | None:
        return _text(self.record, key)

    def engagement(self) -> tuple[str | None, _Engagement | None]:
        """The record's EngagementArn and what the log says of that engagement so far."""
        arn = self.text("EngagementArn")
        return arn, self.engagements.get(arn or "")

    def read(self, path: str, record: Mapping[str, Any]) -> None:
        self.path, self.record = path, record
        self._check_time()
        kind = self.text("Type")
        self._check_origins(kind)
        handler = _HANDLERS.get(kind or "")
        if handler is not None:
            handler(self)
        elif kind and kind.startswith("CHANNEL_"):
            self._channel_event(kind)

    def finish(self) -> None:
        """The run is over: every engagement must have ended or been stopped."""
        for arn, engagement in self.engagements.items():
            if not (engagement.ended or engagement.stopped):
                self.path = engagement.started_at
                self.report(
                    "G906",
                    arn,
                    f"engagement {arn} started but neither ENGAGEMENT_ENDED nor "
                    "ENGAGEMENT_STOPPED follows in the log",
                )

    def _check_time(self) -> None:
        moment = _time(self.record)
        if moment is None:
            return
        if self._last_time is not None and moment < self._last_time - _TIME_SLACK:
            self.report(
                "G911",
                self.text("EngagementArn"),
                f"Time {moment} comes before {self._last_time}, the Time of an earlier record",
            )
        self._last_time = moment if self._last_time is None else max(self._last_time, moment)

    def _check_origins(self, kind: str | None) -> None:
        """Every engagement, page and channel a record works on was started or created by an
        earlier record; each one without is reported once, at its first record."""
        if kind is None or kind in ("ENGAGEMENT_STARTED", "CHANNEL_CREATED"):
            return
        engagement = self.text("EngagementArn")
        if engagement is not None and engagement not in self.engagements:
            self._orphan(engagement, kind, "engagement", "ENGAGEMENT_STARTED")
        page = self.text("PageArn")
        # MESSAGE and RECEIPT records of a missing page are G901's; ESCALATION_STOPPED's G905's.
        if kind in _NEEDS_PAGE and page is not None and page not in self.pages:
            self._orphan(page, kind, "page", "PAGE_CREATED")
        channel = self.text("ContactChannelArn")
        # A skip names the channel a plan asked for, which may never have existed ("channel not
        # found"); the other channel records work on a channel that must have been created.
        lifecycle = kind.startswith("CHANNEL_") and kind != "CHANNEL_SKIPPED"
        if lifecycle and channel is not None and channel not in self.channels:
            self._orphan(channel, kind, "channel", "CHANNEL_CREATED")

    def _orphan(self, arn: str, kind: str, noun: str, origin: str) -> None:
        if arn not in self._orphans:
            self._orphans.add(arn)
            done = "started" if noun == "engagement" else "created"
            message = f"{kind} works on {noun} {arn}, which no earlier {origin} record {done}"
            self.report("G912", arn, message)

    # -- engagements ------------------------------------------------------------------------------

    def _started(self) -> None:
        arn = self.text("EngagementArn")
        if arn is not None and arn in self.engagements:
            self.report("G907", arn, f"engagement {arn} starts a second time")
        elif arn is not None:
            self.engagements[arn] = _Engagement(self.path)

    def _stopped(self) -> None:
        arn, engagement = self.engagement()
        if engagement is not None and engagement.stopped:
            self.report("G907", arn, f"engagement {arn} is stopped a second time")
        if engagement is not None:
            engagement.stopped = True

    def _ended(self) -> None:
        arn, engagement = self.engagement()
        if engagement is None:
            return
        if engagement.ended:
            self.report("G907", arn, f"engagement {arn} ends a second time")
        elif engagement.stopped:
            self.report("G907", arn, f"engagement {arn} ends after it was stopped")
        engagement.ended = True

    def _engagement_work(self, what: str) -> None:
        """Work of an engagement must not happen once it has been stopped or has ended."""
        arn, engagement = self.engagement()
        if engagement is not None and engagement.stopped:
            self.report("G903", arn, f"{what} after engagement {arn} was stopped")
        elif engagement is not None and engagement.ended:
            self.report("G907", arn, f"{what} after engagement {arn} had ended")

    def _target_skipped(self) -> None:
        self._engagement_work(f"target {self.text('ContactArn')} is skipped")

    def _no_oncall(self) -> None:
        self._engagement_work(f"schedule {self.text('ContactArn')} is consulted")

    # -- stages and pages -------------------------------------------------------------------------

    def _stage(self) -> None:
        arn, engagement = self.engagement()
        page_arn = self.text("PageArn")
        what = f"stage {self.record.get('StageIndex')} of {self.text('ContactArn')}"
        self._engagement_work(f"{what} starts")
        if page_arn is None and engagement is not None and engagement.escalation_stopped:
            self.report(
                "G905",
                arn,
                f"escalation {what} starts after an essential acknowledgement stopped "
                f"the escalation of {arn}",
            )
        page = self.pages.get(page_arn) if page_arn is not None else None
        if page is not None and page.closed_by is not None:
            message = f"{what} starts on page {page_arn} after its {page.closed_by}"
            self.report("G903", page_arn, message)

    def _page_created(self) -> None:
        arn, engagement = self.engagement()
        page_arn = self.text("PageArn")
        self._engagement_work(f"page {page_arn} is created")
        if engagement is not None and engagement.escalation_stopped:
            self.report(
                "G905",
                page_arn,
                f"page {page_arn} is created after an essential acknowledgement stopped the "
                f"escalation of {arn}",
            )
        if page_arn is not None and page_arn not in self.pages:
            self.pages[page_arn] = _Page(arn, self.text("ContactArn"))

    def _known_page(self, what: str) -> _Page | None:
        """The page a record names, or None after reporting that it was never created."""
        page_arn = self.text("PageArn")
        page = self.pages.get(page_arn or "")
        engagement = self.text("EngagementArn")
        if page is None:
            message = (
                f"{what} names page {page_arn!r}, which no earlier PAGE_CREATED record created"
            )
            self.report("G901", page_arn, message)
        elif engagement != page.engagement:
            message = (
                f"{what} names engagement {engagement!r}, but page {page_arn} belongs to "
                f"{page.engagement}"
            )
            self.report("G901", page_arn, message)
        return page

    def _known_channel(self, page: _Page | None, what: str, sending: bool) -> None:
        """The channel of a send or receipt exists, is the paged contact's, and (for a send)
        was activated and not deleted at that instant."""
        channel_arn = self.text("ContactChannelArn")
        page_arn = self.text("PageArn")
        channel = self.channels.get(channel_arn) if channel_arn is not None else None
        if channel_arn is None and sending:
            self.report("G902", page_arn, f"{what} names no ContactChannelArn")
        elif channel_arn is None:
            return
        elif channel is None:
            message = (
                f"{what} names channel {channel_arn}, which no earlier CHANNEL_CREATED record "
                "created"
            )
            self.report("G902", page_arn, message)
        elif page is not None and page.contact is not None and channel.contact != page.contact:
            message = (
                f"{what} names channel {channel_arn} of {channel.contact}, but page {page_arn} "
                f"pages {page.contact}"
            )
            self.report("G902", page_arn, message)
        elif sending and channel.deleted:
            self.report("G902", page_arn, f"{what} goes to deleted channel {channel_arn}")
        elif sending and not channel.activated:
            self.report("G902", page_arn, f"{what} goes to channel {channel_arn}, not activated")

    def _message(self) -> None:
        what = f"message attempt {self.record.get('Attempt')}"
        page = self._known_page(what)
        self._known_channel(page, what, sending=True)
        self._after_close(page, what)
        self._engagement_work(what)
        self.messages.append(_send(self.path, self.record, self.text("Outcome")))

    def _skipped_channel(self) -> None:
        page = self.pages.get(self.text("PageArn") or "")
        what = f"an attempt on channel {self.text('ContactChannelArn')}"
        self._after_close(page, what)
        self._engagement_work(what)

    def _after_close(self, page: _Page | None, what: str) -> None:
        if page is not None and page.closed_by is not None:
            page_arn = self.text("PageArn")
            self.report("G903", page_arn, f"{what} on page {page_arn} after its {page.closed_by}")

    def _receipt(self) -> None:
        kind = self.text("ReceiptType")
        page_arn = self.text("PageArn")
        what = f"{kind} receipt"
        page = self._known_page(what)
        self._known_channel(page, what, sending=kind in _SEND_RECEIPTS)
        engagement_arn, engagement = self.engagement()
        if engagement is not None and engagement.stopped:
            self.report("G903", page_arn, f"{what} after engagement {engagement_arn} stopped")
        elif kind in _WORK_ON_A_PAGE and not _accepted_after_stop(kind, self.record, page):
            self._after_close(page, what)
        if kind in _SEND_RECEIPTS:
            if engagement is not None and engagement.ended and not engagement.stopped:
                self.report("G907", page_arn, f"{what} after engagement {engagement_arn} had ended")
            self.send_receipts.append(_send(self.path, self.record, kind))
        if page is None:
            return
        if kind == "SENT":
            info = self.text("ReceiptInfo")
            if info is not None:
                page.sent_ids.add(info)
        elif kind == "READ":
            page.reads += 1
            if page.reads > 1:
                self.report("G904", page_arn, f"page {page_arn} gets READ receipt {page.reads}")
            page.closed_by = "READ"
        elif kind == "STOP" and page.closed_by is None:
            page.closed_by = "STOP"

    def _escalation_stopped(self) -> None:
        arn, engagement = self.engagement()
        page_arn = self.text("PageArn")
        if engagement is None:
            return
        if engagement.escalation_stopped:
            self.report("G905", arn, f"the escalation of {arn} is stopped a second time")
        page = self.pages.get(page_arn or "")
        if page is None or page.engagement != arn or page.reads == 0:
            self.report(
                "G905",
                arn,
                f"the escalation of {arn} stops for page {page_arn!r}, which has no READ receipt "
                "in that engagement",
            )
        engagement.escalation_stopped = True

    def _channel_event(self, kind: str) -> None:
        arn = self.text("ContactChannelArn")
        if arn is None:
            return
        channel = self.channels.get(arn)
        if channel is None:
            channel = self.channels[arn] = _Channel(self.text("ContactArn"))
        if kind == "CHANNEL_ACTIVATED":
            channel.activated = True
        elif kind == "CHANNEL_DEACTIVATED":
            channel.activated = False
        elif kind == "CHANNEL_DELETED":
            channel.deleted = True


def _accepted_after_stop(kind: str | None, record: Mapping[str, Any], page: _Page | None) -> bool:
    """A DELIVERED given through AcceptPage to a page an essential_ack=stop_all STOP closed,
    which such a page still takes (E10); one naming a SENT message is an arrival, not that."""
    return (
        kind == "DELIVERED"
        and page is not None
        and page.closed_by == "STOP"
        and _text(record, "ReceiptInfo") not in page.sent_ids
    )


def _send(path: str, record: Mapping[str, Any], outcome: str | None) -> _Send:
    return _Send(
        path,
        _time(record),
        _text(record, "PageArn"),
        _text(record, "ContactChannelArn"),
        outcome,
        record.get("Attempt"),
    )


_HANDLERS: Final[dict[str, Callable[[_EventLog], None]]] = {
    "ENGAGEMENT_STARTED": _EventLog._started,
    "ENGAGEMENT_STOPPED": _EventLog._stopped,
    "ENGAGEMENT_ENDED": _EventLog._ended,
    "STAGE_STARTED": _EventLog._stage,
    "PAGE_CREATED": _EventLog._page_created,
    "MESSAGE": _EventLog._message,
    "RECEIPT": _EventLog._receipt,
    "CHANNEL_SKIPPED": _EventLog._skipped_channel,
    "TARGET_SKIPPED": _EventLog._target_skipped,
    "NO_ONCALL": _EventLog._no_oncall,
    "ESCALATION_STOPPED": _EventLog._escalation_stopped,
}


# -- sends told three ways: MESSAGE events, SENT/ERROR receipts, outbox PAGE messages -------------


def _compare_sends(receipts: list[_Send], others: list[_Send], source: str) -> list[Finding]:
    """The first place where ``others`` (MESSAGE events or PAGE messages) and the SENT/ERROR
    receipts disagree, else a count mismatch: one finding at most, as one slip shifts the rest."""
    for receipt, other in zip(receipts, others, strict=False):
        same_time = (
            receipt.time is not None
            and other.time is not None
            and abs(receipt.time - other.time) <= _TIME_SLACK
        )
        told = (receipt.page, receipt.channel, receipt.outcome)
        if told != (other.page, other.channel, other.outcome) or not same_time:
            message = (
                f"this {source} (Time {other.time}, {other.outcome} to {other.channel}) does not "
                f"match the SENT/ERROR receipt at {receipt.path} (Time {receipt.time}, "
                f"{receipt.outcome} to {receipt.channel})"
            )
            return [_finding("G909", other.path, other.page, message)]
    if len(receipts) == len(others):
        return []
    extra = receipts[len(others)] if len(receipts) > len(others) else others[len(receipts)]
    message = f"{len(receipts)} SENT/ERROR receipts but {len(others)} {source}s"
    return [_finding("G909", extra.path, None, message)]


def _attempt_mismatches(messages: list[_Send], outbox: list[_Send]) -> list[Finding]:
    for event, message in zip(messages, outbox, strict=False):
        if event.attempt != message.attempt:
            why = (
                f"outbox Attempt {message.attempt!r} differs from Attempt {event.attempt!r} of "
                f"the MESSAGE record at {event.path}"
            )
            return [_finding("G909", message.path, message.page, why)]
    return []


# -- SMS texts ------------------------------------------------------------------------------------


def _sms_findings(
    outbox: list[tuple[str, Mapping[str, Any]]], engagements: Mapping[str, Mapping[str, Any]]
) -> list[Finding]:
    """SMS carries the public texts only (docs/semantics.md E6).

    With the engagement's texts known (a result JSON), each SMS is compared with them exactly;
    without them, an SMS repeating text that a voice or email message of the same engagement
    carried is only a warning, as the public text may have been chosen to be the same.
    """
    private: dict[str, tuple[set[str], set[str]]] = {}
    for _, message in outbox:
        if message.get("Kind") == "PAGE" and message.get("ChannelType") in ("VOICE", "EMAIL"):
            subjects, contents = private.setdefault(
                _text(message, "EngagementArn") or "", (set(), set())
            )
            if (subject := _text(message, "Subject")) is not None:
                subjects.add(subject)
            if (content := _text(message, "Content")) is not None:
                contents.add(content)
    findings = []
    for path, message in outbox:
        if message.get("Kind") != "PAGE" or message.get("ChannelType") != "SMS":
            continue
        engagement_arn = _text(message, "EngagementArn")
        detail = engagements.get(engagement_arn or "")
        subject, content = message.get("Subject"), message.get("Content")
        if detail is not None:
            problem = _sms_problem(subject, content, detail)
            if problem:
                findings.append(_finding("G908", path, _text(message, "PageArn"), problem))
            continue
        subjects, contents = private.get(engagement_arn or "", (set(), set()))
        pairs = (("Subject", subject, subjects), ("Content", content, contents))
        repeated = [name for name, value, seen in pairs if isinstance(value, str) and value in seen]
        if repeated:
            why = (
                f"this SMS carries the same {' and '.join(repeated)} as a voice or email message "
                f"of {engagement_arn}"
            )
            findings.append(_finding("G910", path, _text(message, "PageArn"), why))
    return findings


def _sms_problem(subject: object, content: object, detail: Mapping[str, Any]) -> str | None:
    public_subject = detail.get("PublicSubject")
    public_content = detail.get("PublicContent")
    if public_subject is not None or public_content is not None:
        if subject != public_subject or content != public_content:
            return (
                "this SMS does not carry exactly the engagement's PublicSubject and "
                "PublicContent (a public field not given must be absent)"
            )
        return None
    if subject is not None:
        return "this SMS has a Subject although the engagement gave no public texts"
    if content is not None and content in (detail.get("Subject"), detail.get("Content")):
        return "this SMS carries the engagement's secure text instead of the neutral notice"
    return None


# -- entry points ---------------------------------------------------------------------------------


def check_records(
    events: Sequence[Mapping[str, Any]],
    outbox: Sequence[Mapping[str, Any]] | None = None,
    *,
    engagements: Sequence[Mapping[str, Any]] | None = None,
    finished: bool = True,
    events_path: str = "events",
    outbox_path: str = "outbox",
) -> list[Finding]:
    """Every place where ``events`` (and ``outbox``, when given) break the engine's rules.

    ``engagements`` are DescribeEngagement-shaped details (as in a run's result); with them the
    SMS texts are checked exactly, without them only suspicious repeats are warned of.
    ``finished`` says the run is over: an engagement that neither ended nor stopped is then a
    finding (G906); pass False for a run still going. Records that carry a ``Scenario`` key (as
    ``escsim run --events`` writes for a file of several scenarios) are checked per scenario.
    Findings are sorted by path; their paths are ``<events_path>[i]`` and ``<outbox_path>[i]``.
    Raises CheckInputError when the outbox cannot be matched with the scenarios of the events.
    """
    event_groups = _groups(events)
    outbox_groups = _groups(outbox or [])
    if outbox is not None and set(outbox_groups) - set(event_groups) and len(event_groups) > 1:
        raise CheckInputError(
            "the event log holds several scenarios but the outbox does not say which scenario "
            "each message belongs to; check each scenario's result instead"
        )
    details = {
        str(item.get("EngagementArn")): item
        for item in engagements or []
        if isinstance(item, Mapping) and isinstance(item.get("EngagementArn"), str)
    }
    findings: list[Finding] = []
    for key, group in event_groups.items():
        log = _EventLog()
        for index, record in group:
            log.read(f"{events_path}[{index}]", record)
        if finished:
            log.finish()
        findings += log.findings
        findings += _compare_sends(log.send_receipts, log.messages, "MESSAGE record")
        if outbox is None:
            continue
        messages = [
            (f"{outbox_path}[{index}]", record)
            for index, record in outbox_groups.get(key, outbox_groups.get(None, []))
        ]
        sends = [
            _send(path, record, _text(record, "Outcome"))
            for path, record in messages
            if record.get("Kind") == "PAGE"
        ]
        findings += _compare_sends(log.send_receipts, sends, "outbox PAGE message")
        findings += _attempt_mismatches(log.messages, sends)
        findings += _outbox_order(messages)
        findings += _sms_findings(messages, details)
    return sorted(findings)


def check_result(
    result: Mapping[str, Any] | Sequence[Any], *, finished: bool = True
) -> list[Finding]:
    """Findings of a run's result (``Simulator.result()``, ``escsim run --output json``), or of
    a list of them (one per scenario, paths then start with ``[i].``).

    Raises CheckInputError for a value that is not shaped as a result.
    """
    if isinstance(result, Mapping):
        return _check_one(result, "", finished)
    findings: list[Finding] = []
    for index, item in enumerate(result):
        if not isinstance(item, Mapping):
            raise CheckInputError(f"[{index}] is not a run's result (a JSON object)")
        findings += _check_one(item, f"[{index}].", finished)
    return sorted(findings)


def _check_one(result: Mapping[str, Any], prefix: str, finished: bool) -> list[Finding]:
    events = _records(result, "events", prefix)
    outbox = _records(result, "outbox", prefix) if "outbox" in result else None
    engagements = result.get("engagements")
    return check_records(
        events,
        outbox,
        engagements=engagements if isinstance(engagements, list) else None,
        finished=finished,
        events_path=f"{prefix}events",
        outbox_path=f"{prefix}outbox",
    )


def _records(result: Mapping[str, Any], key: str, prefix: str) -> list[Mapping[str, Any]]:
    records = result.get(key)
    if not isinstance(records, list):
        raise CheckInputError(f"{prefix}{key} is missing or not a list of records")
    for index, record in enumerate(records):
        if not isinstance(record, Mapping):
            raise CheckInputError(f"{prefix}{key}[{index}] is not a record (a JSON object)")
    return records


def _groups(
    records: Sequence[Mapping[str, Any]],
) -> dict[str | None, list[tuple[int, Mapping[str, Any]]]]:
    groups: dict[str | None, list[tuple[int, Mapping[str, Any]]]] = {}
    for index, record in enumerate(records):
        key = record.get(_SCENARIO_KEY)
        groups.setdefault(key if isinstance(key, str) else None, []).append((index, record))
    return groups or {None: []}


def _outbox_order(messages: list[tuple[str, Mapping[str, Any]]]) -> list[Finding]:
    last: float | None = None
    for path, message in messages:
        moment = _time(message)
        if moment is None:
            continue
        if last is not None and moment < last - _TIME_SLACK:
            why = f"outbox Time {moment} comes before {last}, the Time of an earlier message"
            return [_finding("G911", path, _text(message, "PageArn"), why)]
        last = moment
    return []
