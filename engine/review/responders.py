"""Review responder models: a person reacts to the messages that reach them, channel by channel.

:class:`MessageRaceResponder` is an engine responder (``acknowledgement_delay(rng, key)`` with
``accept_type`` and ``channel_type``), asked once when a page is created. It works out, from the
contact's own plan and the run's settings, every message the page's plan would send: each stage's
channels at the stage's offset, the retries of failed sends, and each successful send's arrival
after the channel type's latency (docs/semantics.md E5-E8), whatever ``delivery_receipts``
records. Failed sends are found with the very keyed draws the engine makes for them, so the model
and the run agree on which messages arrive.

The person is available for the page with the model's probability (the sleep probability when the
page is created within their sleep hours, in their zone): one keyed draw per page. An available
person reacts to each delivered message after a delay drawn for that message from the channel
type's distribution; the acknowledgement is the earliest reaction. Messages after it never go
out, so taking the minimum over all of them is exact. A page none of whose messages arrives is
never acknowledged.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Mapping
from typing import Any

from engine.arns import make_arn, parse_arn
from engine.oncall.zones import load_zone
from engine.review.incidents import ResponderModel
from engine.sim.escalation import resends_within_stage
from engine.sim.rng import KeyedRandom, as_uniform, as_uuid
from engine.sim.state import ChannelState, ContactState

__all__ = ["MessageRaceResponder", "PlannedSend", "planned_sends"]


@dataclasses.dataclass(frozen=True, slots=True)
class PlannedSend:
    """One first send of a target: personal stage, its start and deadline, channel and retry."""

    stage: int
    offset: float
    deadline: float
    channel_arn: str
    channel_type: str
    interval: float


def planned_sends(
    contact: ContactState, channels: Mapping[str, ChannelState]
) -> tuple[PlannedSend, ...]:
    """The first send of every channel target of ``contact``'s plan that can be paged, in the
    order the engine sends them; offsets in seconds from the page's creation."""
    sends: list[PlannedSend] = []
    offset = 0.0
    for stage, (duration, targets) in enumerate(contact.stages()):
        for channel_arn, interval in targets:
            channel = channels.get(channel_arn) if channel_arn else None
            if channel is None or not channel.activated or channel.contact_arn != contact.arn:
                continue  # skipped at run time with a diagnostic (E5)
            sends.append(
                PlannedSend(stage, offset, offset + duration, channel.arn, channel.type, interval)
            )
        offset += duration
    return tuple(sends)


class MessageRaceResponder:
    """An engine responder that acknowledges on the earliest reaction to a delivered message.

    ``clock`` gives the current instant in epoch seconds (for sleep hours); ``zone`` is the
    person's zone; ``settings`` the run's knobs (latency, fail_probability, max_retries,
    retry_mode).
    """

    __slots__ = (
        "_account",
        "_alias",
        "_clock",
        "_fail",
        "_latency",
        "_max_retries",
        "_model",
        "_region",
        "_sends",
        "_sleep_zone",
        "_until_ack",
    )

    accept_type = "READ"
    channel_type = None  # the acknowledgement names the page's latest message

    def __init__(
        self,
        model: ResponderModel,
        contact_arn: str,
        sends: tuple[PlannedSend, ...],
        settings: Any,
        clock: Callable[[], float],
        zone: str,
    ) -> None:
        parsed = parse_arn(contact_arn)
        if parsed is None or parsed.kind != "contact":
            raise ValueError(f"not a contact ARN: {contact_arn!r}")
        self._model = model
        self._alias = parsed.parts[0]
        self._account = parsed.account
        self._region = parsed.region
        self._sends = sends
        self._latency = dict(settings.latency)
        self._fail = dict(settings.fail_probability)
        self._max_retries = int(settings.max_retries)
        self._until_ack = settings.retry_mode == "until_ack"
        self._clock = clock
        sleep = model.sleep
        self._sleep_zone = load_zone(sleep.zone or zone) if sleep is not None else None

    def acknowledgement_delay(self, rng: KeyedRandom, key: tuple[str, ...]) -> float | None:
        """Seconds from page creation to the earliest reaction, or None (E15)."""
        model = self._model
        probability = model.probability
        sleep = model.sleep
        if sleep is not None and self._sleep_zone is not None:
            local = dt.datetime.fromtimestamp(self._clock(), self._sleep_zone)
            if sleep.contains(local.hour * 60 + local.minute):
                probability = sleep.probability
        if rng.uniform("available", *key) >= probability:
            return None
        engagement_arn = key[0]
        page_arn = make_arn(
            self._region, self._account, "page", self._alias, as_uuid(rng.digest("page", *key))
        )
        best: float | None = None
        for number, (at, kind) in enumerate(self._deliveries(rng, engagement_arn, page_arn)):
            reaction = at + model.delay_for(kind).draw(rng, (*key, "message", str(number)))
            if best is None or reaction < best:
                best = reaction
        return best

    def _deliveries(
        self, rng: KeyedRandom, engagement_arn: str, page_arn: str
    ) -> list[tuple[float, str]]:
        """(seconds after page creation, channel type) of every message that would arrive."""
        arrived: list[tuple[float, str]] = []
        for send in self._sends:
            p_fail = self._fail[send.channel_type]
            attempt, at = 1, send.offset
            while True:
                failed = False
                if p_fail > 0.0:
                    draw = rng.digest(
                        "attempt",
                        engagement_arn,
                        page_arn,
                        send.channel_arn,
                        str(send.stage),
                        str(attempt),
                    )
                    failed = as_uniform(draw) < p_fail
                if not failed:
                    arrived.append((at + self._latency[send.channel_type], send.channel_type))
                if send.interval <= 0:
                    break
                if self._until_ack:
                    if not resends_within_stage(
                        attempt, send.interval, send.deadline - send.offset
                    ):
                        break
                elif not failed or attempt > self._max_retries:
                    break
                attempt += 1
                at += send.interval
        return arrived
