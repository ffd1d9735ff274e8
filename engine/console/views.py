"""What each console view shows, read from the endpoint's simulator through the same calls as
every other front end: AWS read operations (``Endpoint.call``), the outbox and event log (the
control functions), and the clock and its next scheduled instant (``Endpoint.read``). The
dataclasses here are all the templates see; nothing becomes HTML until a template escapes it.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from typing import Final

from engine.http.endpoint import Endpoint
from engine.simulator import Simulator

#: Messages shown per inbox and engagements shown at most, newest first: a page stays small.
MAX_MESSAGES: Final = 100
MAX_ENGAGEMENTS: Final = 50
#: How far ahead the on-call view looks for hand-offs.
HANDOFF_HORIZON: Final = dt.timedelta(days=7)
HANDOFFS_SHOWN: Final = 3


@dataclasses.dataclass(frozen=True, slots=True)
class Contact:
    """A contact as ListContacts names it."""

    arn: str
    alias: str
    display_name: str
    type: str


@dataclasses.dataclass(frozen=True, slots=True)
class Message:
    """One message as its recipient sees it, with what became of its page."""

    time: float
    kind: str
    channel_type: str
    channel_arn: str
    address: str
    subject: str | None
    content: str | None
    code: str
    outcome: str
    attempt: int
    page_arn: str | None
    read_at: float | None
    delivered_at: float | None

    @property
    def acknowledged(self) -> bool:
        """Whether the page this message belongs to has been read."""
        return self.read_at is not None


@dataclasses.dataclass(frozen=True, slots=True)
class Inbox:
    """Everything one person was sent, newest first (at most MAX_MESSAGES), and how many more."""

    contact: Contact
    messages: tuple[Message, ...]
    older: int


@dataclasses.dataclass(frozen=True, slots=True)
class Moment:
    """One line of an engagement's timeline."""

    time: float
    kind: str
    text: str


@dataclasses.dataclass(frozen=True, slots=True)
class PageRow:
    """One page of an engagement with its receipts."""

    arn: str
    contact: str
    sent: float | None
    delivered: float | None
    read: float | None
    receipts: tuple[tuple[float, str, str], ...]


@dataclasses.dataclass(frozen=True, slots=True)
class EngagementView:
    """One engagement: what DescribeEngagement says, its pages, its state and its timeline."""

    arn: str
    contact: str
    sender: str
    subject: str | None
    content: str | None
    public_subject: str | None
    public_content: str | None
    start: float
    stop: float | None
    state: str
    ended: bool
    acknowledged: tuple[tuple[str, float], ...]
    pages: tuple[PageRow, ...]
    timeline: tuple[Moment, ...]

    @property
    def active(self) -> bool:
        """Whether StopEngagement still applies."""
        return self.stop is None and not self.ended


@dataclasses.dataclass(frozen=True, slots=True)
class Shift:
    """Who is on call from ``start`` to ``end``."""

    start: float
    end: float
    people: tuple[str, ...]
    overridden: bool


@dataclasses.dataclass(frozen=True, slots=True)
class RotationView:
    """A rotation, or an on-call schedule of rotations: who is on call now, the next hand-offs."""

    name: str
    kind: str
    zone: str
    now: tuple[str, ...]
    next: tuple[Shift, ...]


@dataclasses.dataclass(frozen=True, slots=True)
class Clock:
    """The virtual clock: now, the next scheduled work, and the pace of a realtime clock."""

    now: float
    next_due: float | None
    pace: float | None


#: An AWS answer or record: JSON-shaped, read member by member.
Record = Mapping[str, object]


@dataclasses.dataclass(frozen=True, slots=True)
class Place:
    """The endpoint and the account and region a view shows (each has its own organisation)."""

    endpoint: Endpoint
    account: str
    region: str

    def call(self, operation: str, params: dict[str, object]) -> Record:
        """``operation`` run by the endpoint in this account and region."""
        return self.endpoint.call(operation, params, self.account, self.region)


def _epoch(value: object) -> float:
    if isinstance(value, dt.datetime):
        return value.timestamp()
    if isinstance(value, int | float):
        return float(value)
    raise TypeError(f"not an instant: {value!r}")


def _maybe_epoch(value: object) -> float | None:
    return None if value is None else _epoch(value)


def _text(value: object) -> str | None:
    return None if value is None else str(value)


def _records(value: object) -> list[Record]:
    if not isinstance(value, list | tuple):
        return []
    return [item for item in value if isinstance(item, Mapping)]


def listed(place: Place, operation: str, params: dict[str, object], key: str) -> list[Record]:
    """Every item of a paginated read operation, page after page."""
    items: list[Record] = []
    token: object = None
    while True:
        asked = dict(params)
        if token:
            asked["NextToken"] = token
        answer = place.call(operation, asked)
        items.extend(_records(answer.get(key)))
        token = answer.get("NextToken")
        if not token:
            return items


def contacts(place: Place) -> list[Contact]:
    """Every contact of the simulator's account and region, by alias."""
    found = [
        Contact(
            str(item["ContactArn"]),
            str(item["Alias"]),
            str(item.get("DisplayName") or ""),
            str(item["Type"]),
        )
        for item in listed(place, "ListContacts", {}, "Contacts")
    ]
    return sorted(found, key=lambda contact: contact.alias)


def _page_marks(events: Sequence[Record]) -> tuple[dict[str, float], dict[str, float]]:
    """Page ARN -> when it was first read, and when first delivered (from RECEIPT events)."""
    read: dict[str, float] = {}
    delivered: dict[str, float] = {}
    for event in events:
        if event.get("Type") != "RECEIPT":
            continue
        page = str(event.get("PageArn"))
        marks = {"READ": read, "DELIVERED": delivered}.get(str(event.get("ReceiptType")))
        if marks is not None:
            marks.setdefault(page, _epoch(event["Time"]))
    return read, delivered


def inboxes(place: Place, people: Sequence[Contact]) -> list[Inbox]:
    """One inbox per person (PERSONAL contact), each newest first."""
    outbox = place.endpoint.outbox()
    read, delivered = _page_marks(place.endpoint.events())
    by_contact: dict[str, list[Record]] = {}
    for record in outbox:
        by_contact.setdefault(str(record.get("ContactArn")), []).append(record)
    boxes = []
    for person in people:
        if person.type != "PERSONAL":
            continue
        received = by_contact.get(person.arn, [])
        shown = received[::-1][:MAX_MESSAGES]
        messages = tuple(_message(record, read, delivered) for record in shown)
        boxes.append(Inbox(person, messages, len(received) - len(shown)))
    return boxes


def _message(record: Record, read: Mapping[str, float], delivered: Mapping[str, float]) -> Message:
    page = _text(record.get("PageArn"))
    return Message(
        time=_epoch(record["Time"]),
        kind=str(record.get("Kind")),
        channel_type=str(record.get("ChannelType")),
        channel_arn=str(record.get("ContactChannelArn")),
        address=str(record.get("DeliveryAddress", "")),
        subject=_text(record.get("Subject")),
        content=_text(record.get("Content")),
        code=str(record.get("Code", "")),
        outcome=str(record.get("Outcome", "SENT")),
        attempt=int(str(record.get("Attempt", 1))),
        page_arn=page,
        read_at=read.get(page) if page else None,
        delivered_at=delivered.get(page) if page else None,
    )


def engagements(place: Place, known: Sequence[Contact]) -> list[EngagementView]:
    """The newest engagements first (at most MAX_ENGAGEMENTS), each with its timeline."""
    aliases = {contact.arn: contact.alias for contact in known}
    every = listed(place, "ListEngagements", {}, "Engagements")
    newest = sorted(every, key=lambda item: _epoch(item["StartTime"]), reverse=True)
    shown = [str(item["EngagementArn"]) for item in newest[:MAX_ENGAGEMENTS]]
    events: dict[str, list[Record]] = {arn: [] for arn in shown}
    for event in place.endpoint.events():
        kept = events.get(str(event.get("EngagementArn")))
        if kept is not None:
            kept.append(event)
    return [_engagement(place, arn, aliases, events[arn]) for arn in shown]


def _engagement(
    place: Place, arn: str, aliases: Mapping[str, str], events: Sequence[Record]
) -> EngagementView:
    detail = place.call("DescribeEngagement", {"EngagementId": arn})
    pages = listed(place, "ListPagesByEngagement", {"EngagementId": arn}, "Pages")
    page_contacts = {
        str(p["PageArn"]): aliases.get(str(p["ContactArn"]), str(p["ContactArn"])) for p in pages
    }
    rows = []
    acknowledged = []
    for page in pages:
        page_arn = str(page["PageArn"])
        receipts = listed(place, "ListPageReceipts", {"PageId": page_arn}, "Receipts")
        rows.append(
            PageRow(
                arn=page_arn,
                contact=page_contacts[page_arn],
                sent=_maybe_epoch(page.get("SentTime")),
                delivered=_maybe_epoch(page.get("DeliveryTime")),
                read=_maybe_epoch(page.get("ReadTime")),
                receipts=tuple(
                    (
                        _epoch(r["ReceiptTime"]),
                        str(r["ReceiptType"]),
                        str(r.get("ReceiptInfo") or ""),
                    )
                    for r in receipts
                ),
            )
        )
        read = _maybe_epoch(page.get("ReadTime"))
        if read is not None:
            acknowledged.append((page_contacts[page_arn], read))
    kinds = {str(event.get("Type")) for event in events}
    stop = _maybe_epoch(detail.get("StopTime"))
    ended = "ENGAGEMENT_ENDED" in kinds
    if "ENGAGEMENT_STOPPED" in kinds or stop is not None:
        state = "stopped"
    elif "ESCALATION_STOPPED" in kinds:
        state = "acknowledged"  # whether or not its last messages are out yet
    elif ended:
        state = "ended"
    else:
        state = "active"
    return EngagementView(
        arn=arn,
        contact=aliases.get(str(detail["ContactArn"]), str(detail["ContactArn"])),
        sender=str(detail.get("Sender", "")),
        subject=_text(detail.get("Subject")),
        content=_text(detail.get("Content")),
        public_subject=_text(detail.get("PublicSubject")),
        public_content=_text(detail.get("PublicContent")),
        start=_epoch(detail["StartTime"]),
        stop=stop,
        state=state,
        ended=ended,
        acknowledged=tuple(sorted(acknowledged, key=lambda pair: pair[1])),
        pages=tuple(rows),
        timeline=tuple(_moment(event, aliases, page_contacts) for event in events),
    )


def _moment(event: Record, aliases: Mapping[str, str], pages: Mapping[str, str]) -> Moment:
    """An event of the log in words."""
    kind = str(event.get("Type"))
    contact = aliases.get(str(event.get("ContactArn")), str(event.get("ContactArn")))
    person = pages.get(str(event.get("PageArn")), "?")
    texts: dict[str, Callable[[], str]] = {
        "ENGAGEMENT_STARTED": lambda: f"Engagement of {contact} started",
        "STAGE_STARTED": lambda: (
            f"Stage {int(str(event.get('StageIndex', 0))) + 1} of {contact}'s plan started"
        ),
        "PAGE_CREATED": lambda: f"Page to {contact} created",
        "MESSAGE": lambda: (
            f"{event.get('ChannelType')} to {person}: {event.get('Outcome')} "
            f"(attempt {event.get('Attempt')})"
        ),
        "RECEIPT": lambda: _receipt_text(event, person),
        "CHANNEL_SKIPPED": lambda: f"A channel of {person} skipped: {event.get('Reason')}",
        "TARGET_SKIPPED": lambda: f"Target {contact} skipped: {event.get('Reason')}",
        "NO_ONCALL": lambda: f"Nobody on call in {contact}",
        "ESCALATION_STOPPED": lambda: f"Escalation stopped: {person} acknowledged",
        "ENGAGEMENT_STOPPED": lambda: (
            "Engagement stopped" + (f": {event['Reason']}" if event.get("Reason") else "")
        ),
        "ENGAGEMENT_ENDED": lambda: "Engagement ended: nothing more to send",
    }
    text = texts.get(kind, lambda: kind)()
    return Moment(_epoch(event["Time"]), kind, text)


def _receipt_text(event: Record, person: str) -> str:
    kind = str(event.get("ReceiptType"))
    info = event.get("ReceiptInfo")
    words = {"READ": "acknowledged", "DELIVERED": "delivered", "SENT": "sent", "ERROR": "failed"}
    text = f"{kind} receipt: {person} {words.get(kind, kind.lower())}"
    return f"{text} ({info})" if info else text


def on_call(place: Place, now: float, known: Sequence[Contact]) -> list[RotationView]:
    """Every rotation and on-call schedule: who is on call at ``now`` and the next hand-offs."""
    aliases = {contact.arn: contact.alias for contact in known}
    start = dt.datetime.fromtimestamp(now, dt.UTC)
    window = {"StartTime": start, "EndTime": start + HANDOFF_HORIZON}
    rotations: dict[str, tuple[str, list[Shift]]] = {}
    views = []
    for rotation in listed(place, "ListRotations", {}, "Rotations"):
        arn = str(rotation["RotationArn"])
        shifts = [
            Shift(
                _epoch(s["StartTime"]),
                _epoch(s["EndTime"]),
                tuple(aliases.get(str(c), str(c)) for c in _sequence(s.get("ContactIds"))),
                s.get("Type") == "OVERRIDDEN",
            )
            for s in listed(
                place, "ListRotationShifts", {"RotationId": arn, **window}, "RotationShifts"
            )
        ]
        zone = str(rotation.get("TimeZoneId", "UTC"))
        rotations[arn] = (zone, shifts)
        views.append(_rotation_view(str(rotation["Name"]), "rotation", zone, shifts, now))
    for contact in known:
        if contact.type != "ONCALL_SCHEDULE":
            continue
        plan = place.call("GetContact", {"ContactId": contact.arn}).get("Plan")
        ids = _sequence(plan.get("RotationIds")) if isinstance(plan, Mapping) else ()
        merged = [shift for rid in ids for shift in rotations.get(str(rid), ("", []))[1]]
        zones = sorted({rotations[str(rid)][0] for rid in ids if str(rid) in rotations})
        views.append(
            _rotation_view(contact.alias, "on-call schedule", ", ".join(zones), merged, now)
        )
    return views


def _sequence(value: object) -> Sequence[object]:
    return value if isinstance(value, list | tuple) else ()


def _rotation_view(
    name: str, kind: str, zone: str, shifts: Sequence[Shift], now: float
) -> RotationView:
    current = sorted({p for s in shifts if s.start <= now < s.end for p in s.people})
    upcoming = sorted((s for s in shifts if s.start > now), key=lambda s: (s.start, s.people))
    return RotationView(name, kind, zone, tuple(current), tuple(upcoming[:HANDOFFS_SHOWN]))


def clock(endpoint: Endpoint) -> Clock:
    """The clock as the endpoint keeps it (a realtime clock caught up first)."""

    def read(sim: Simulator) -> tuple[float, float | None]:
        due = sim.next_due()
        return sim.now.timestamp(), None if due is None else due.timestamp()

    now, due = endpoint.read(read)
    return Clock(now, due, endpoint.clock.factor)
