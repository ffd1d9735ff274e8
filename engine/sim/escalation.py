"""Escalation processes: engagement -> stage -> target -> page -> channel attempt, in virtual time.

Work is put on a simpy environment's queue as plain entries that the engine runs itself. Each
belongs to an owner (a page, or an escalation plan's stage clock); closing the owner cancels all
of its work at once, and each engagement counts its live work so it can end the
instant nothing is left (docs/semantics.md E12). It runs on the domain's compiled plan tables;
records are built by ``engine.sim.records`` and handed to the recorder. Nothing here builds
pydantic objects, prints, or reads the wall clock.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from heapq import heappop, heappush
from typing import Any, Literal

import simpy
from simpy.events import NORMAL, URGENT

from engine import oncall
from engine.arns import make_arn
from engine.domain import Channel, ChannelStep, Receipt, Resolution, ResolutionStep
from engine.knobs import Knobs
from engine.sim import records
from engine.sim.recorder import Recorder
from engine.sim.responders import Responder
from engine.sim.rng import KeyedRandom, as_digits, as_uniform, as_uuid
from engine.sim.state import EngagementState, EscalationRun, Namespace, PageState, _Owner
from engine.vocabulary import ReceiptType

StageTable = tuple[tuple[float, tuple[ChannelStep, ...]], ...]


def resends_within_stage(attempts: int, interval: float, duration: float) -> bool:
    """``retry_mode=until_ack`` (E8): whether a send follows ``attempts`` within the stage.

    Counted in whole intervals from the stage's start, so clock rounding never lets one through
    at the stage's very end.
    """
    return interval > 0 and attempts * interval < duration


# A queue entry: (due, priority, sequence, owner, call, arguments); the sequence keeps work due at
# one instant in the order it was scheduled, and is never equal, so owners are never compared.
Entry = tuple[float, int, int, _Owner, Callable[..., None], tuple[Any, ...]]


class EscalationEngine:
    """Runs engagements for every namespace on one virtual clock; ``env.now`` counts seconds
    from ``start_epoch``."""

    def __init__(
        self,
        env: simpy.Environment,
        rng: KeyedRandom,
        knobs: Knobs,
        recorder: Recorder,
        start_epoch: float,
        *,
        retain_finished: bool = True,
    ) -> None:
        self.env = env
        # The engine runs the environment's queue itself: its entries are plain tuples, not
        # simpy events, which spares an object and simpy's callback machinery per piece of work.
        self._queue: list[Entry] = env._queue  # type: ignore[assignment]
        self._eid = env._eid
        self.rng = rng
        self.knobs = knobs
        self.recorder = recorder
        self.start_epoch = start_epoch
        self.responders: dict[str, Responder] = {}
        self._event = recorder.event
        self._message = recorder.message
        self._record_receipt = recorder.receipt
        self._record_stage = recorder.stage
        self._record_page = recorder.page
        self._record_send = recorder.send
        # Records built on every page and message are built only when someone keeps them.
        self._log_stages = recorder.wants("STAGE_STARTED")
        self._log_page_stages = self._log_stages and recorder.page_stages
        self._log_pages = recorder.wants("PAGE_CREATED")
        self._log_messages = recorder.wants("MESSAGE")
        self._log_receipts = recorder.wants("RECEIPT")
        self._log_starts = recorder.wants("ENGAGEMENT_STARTED")
        self._log_ends = recorder.wants("ENGAGEMENT_ENDED")
        self._log_escalation_stops = recorder.wants("ESCALATION_STOPPED")
        self._keep_outbox = recorder.keeps_messages
        self._fail = dict(knobs.fail_probability)
        self._latency = dict(knobs.latency)
        self._until_ack = knobs.retry_mode == "until_ack"
        # Under delivery_receipts=accept only pages with a listening responder get arrivals (E15).
        self._carrier = knobs.delivery_receipts == "carrier"
        self._skip_wait = knobs.empty_schedule == "skip_wait"
        self._last_layer_wins = knobs.schedule_layers == "last_wins"
        self._cancel_earlier = knobs.earlier_pages == "cancel"
        self._time_at = -1.0  # env.now is never negative
        self._time = 0.0
        self.open_engagements = 0  # a run is over when this is 0
        self.pages_created = 0
        # Batch runs forget finished engagements: memory follows those in flight.
        self.retain_finished = retain_finished

    # -- time and scheduling ----------------------------------------------------------------

    def time(self) -> float:
        """The current instant as epoch seconds, millisecond precision."""
        # Several records share an instant (a stage, its pages, their messages): round once.
        now = self.env._now
        if now != self._time_at:
            self._time_at = now
            self._time = round(self.start_epoch + now, 3)
        return self._time

    def _after(self, delay: float, owner: _Owner, fn: Callable[..., None], *args: Any) -> None:
        owner.pending += 1
        owner.engagement.pending += 1
        heappush(self._queue, (self.env._now + delay, NORMAL, next(self._eid), owner, fn, args))

    def _schedule(
        self, delay: float, priority: int, owner: _Owner, fn: Callable[..., None], args: Any
    ) -> None:
        """:meth:`_after` with a priority: URGENT work runs before NORMAL work of its instant."""
        owner.pending += 1
        owner.engagement.pending += 1
        heappush(self._queue, (self.env._now + delay, priority, next(self._eid), owner, fn, args))

    def run_until(self, until: float, *, while_open: bool = False) -> None:
        """Run all work due up to and including ``until`` (virtual seconds), in the order it was
        scheduled within an instant, then stop the clock at ``until`` if that is later. With
        ``while_open``, stop as soon as no engagement is open instead."""
        queue, env = self._queue, self.env
        while queue and queue[0][0] <= until and (self.open_engagements or not while_open):
            env._now, _, _, owner, fn, args = heappop(queue)
            if owner.closed:  # cancelled (E9-E11)
                continue
            owner.pending -= 1
            engagement = owner.engagement
            engagement.pending -= 1
            fn(*args)
            if engagement.pending == 0 and not engagement.finished:
                engagement.on_idle(engagement)
        if until > env._now and not while_open:
            env._now = until

    def next_due(self) -> float | None:
        """Virtual seconds of the earliest work still to run (cancelled work aside), or None."""
        due = [entry[0] for entry in self._queue if not entry[3].closed]
        return min(due) if due else None

    def _close(self, owner: _Owner) -> None:
        """Cancel all of ``owner``'s pending work."""
        if owner.closed:
            return
        owner.closed = True
        owner.engagement.pending -= owner.pending
        owner.pending = 0

    # -- engagements ------------------------------------------------------------------------

    def start_engagement(self, ns: Namespace, engagement: EngagementState) -> None:
        """Begin ``engagement`` now (docs/semantics.md E1-E3): stage 0 runs before this returns."""
        engagement.on_idle = self.end_if_idle
        engagement.namespace = ns
        self.open_engagements += 1
        ns.engagements[engagement.arn] = engagement
        contact = ns.contacts[engagement.contact_arn]
        if self._log_starts:
            self._event(records.engagement_started(self.time(), engagement.arn, contact.arn))
        if contact.type == "ESCALATION":
            # Plans are read when they start (E1b): later edits replace the plan, not this one.
            stages = contact.plan.contact_table
            run = EscalationRun(engagement, contact.arn, stages)
            engagement.escalation = run
            if stages:
                self._escalation_stage(ns, run, 0, 0)
        elif contact.type == "PERSONAL":
            self._engage_personal(
                ns, engagement, contact.arn, ((contact.arn, "PERSONAL", None),), False
            )
        else:
            self._engage_schedule(ns, engagement, contact.arn, None, ())
        self.end_if_idle(engagement)

    def end_if_idle(self, engagement: EngagementState) -> None:
        """Record ENGAGEMENT_ENDED once no work of ``engagement`` is pending (E12)."""
        if engagement.pending == 0 and not engagement.finished:
            if self._log_ends:
                self._event(records.engagement_ended(self.time(), engagement.arn))
            self._finished(engagement)

    def _finished(self, engagement: EngagementState) -> None:
        engagement.finished = True
        self.open_engagements -= 1
        ns = engagement.namespace
        if not self.retain_finished and ns is not None:
            del ns.engagements[engagement.arn]
            for page in engagement.pages:
                del ns.pages[page.arn]

    def stop_engagement(self, engagement: EngagementState, reason: str | None) -> None:
        """StopEngagement (E11): cancel everything, STOP every open page, set StopTime."""
        if engagement.stopped:
            return
        now = self.env.now
        for page in engagement.pages:
            if not page.closed:
                self._stop_page(page)
        if engagement.escalation is not None:
            self._close(engagement.escalation)
        engagement.stopped = True
        engagement.stop = now
        self._event(records.engagement_stopped(self.time(), engagement.arn, reason))
        if not engagement.finished:
            self._finished(engagement)

    # -- escalation plans -------------------------------------------------------------------

    def _escalation_stage(self, ns: Namespace, run: EscalationRun, index: int, passes: int) -> None:
        """Start stage ``index`` of an escalation plan: engage every target now (E2, E3)."""
        engagement = run.engagement
        while True:
            delay, targets = run.stages[index]
            if self._cancel_earlier and (index or passes) and targets:
                # earlier_pages=cancel: the incident moves on to this stage's targets (a stage
                # without targets only waits, as a long delay written for AWS does).
                for page in engagement.pages:
                    self._close(page)
            if self._log_stages:
                self._record_stage(self.time(), engagement.arn, run.contact_arn, index, None)
            pages_before = self.pages_created
            schedule_was_empty = False
            for contact_arn, essential in targets:
                schedule_was_empty |= self._engage_target(ns, run, index, contact_arn, essential)
                if run.closed:
                    # An acknowledgement within this instant (a zero-delay responder) halted it.
                    return
            if self._skip_wait and schedule_was_empty and self.pages_created == pages_before:
                delay = 0.0  # E3 skip_wait: nobody engaged and a schedule was empty
            index += 1
            if index == len(run.stages):
                if passes >= self.knobs.repeat:
                    return
                index, passes = 0, passes + 1
            if delay > 0:
                # Under earlier_pages=cancel a stage starts before personal work due at the
                # same instant, which it cancels (a rule as late as the timeout never fires).
                priority = URGENT if self._cancel_earlier else NORMAL
                args = (ns, run, index, passes)
                self._schedule(delay, priority, run, self._escalation_stage, args)
                return

    def _engage_target(
        self,
        ns: Namespace,
        run: EscalationRun,
        index: int,
        contact_arn: str | None,
        essential: bool,
    ) -> bool:
        """Engage one target of stage ``index``; True when it was a schedule with nobody on."""
        engagement = run.engagement
        contact = ns.contacts.get(contact_arn) if contact_arn else None
        if contact is None or contact.type == "ESCALATION":
            reason = "contact not found"
            if contact is not None:
                reason = "an escalation plan cannot engage another escalation plan"
            self._event(
                records.target_skipped(self.time(), engagement.arn, contact_arn, index, reason)
            )
            return False
        top: ResolutionStep = (run.contact_arn, "ESCALATION", index)
        if contact.type == "PERSONAL":
            self._engage_personal(
                ns, engagement, contact.arn, (top, (contact.arn, "PERSONAL", None)), essential
            )
            return False
        return self._engage_schedule(ns, engagement, contact.arn, index, (top,), essential)

    def _engage_schedule(
        self,
        ns: Namespace,
        engagement: EngagementState,
        schedule_arn: str,
        stage_index: int | None,
        path: Resolution,
        essential: bool = False,
    ) -> bool:
        """Engage whoever is on call for a schedule now (E1a, E3); True when nobody is."""
        people = self.on_call_now(ns, schedule_arn)
        if not people:
            self._event(records.no_oncall(self.time(), engagement.arn, schedule_arn, stage_index))
            return True
        for person in people:
            self._engage_personal(
                ns,
                engagement,
                person,
                (*path, (schedule_arn, "ONCALL_SCHEDULE", None), (person, "PERSONAL", None)),
                essential,
            )
        return False

    def on_call_now(self, ns: Namespace, schedule_arn: str) -> list[str]:
        """Who is on call for a schedule now, in rotation then shift order, no repeats (E3);
        under ``schedule_layers=last_wins`` only the last rotation that has anyone counts."""
        schedule = ns.contacts.get(schedule_arn)
        if schedule is None:
            return []
        now = dt.datetime.fromtimestamp(self.start_epoch + self.env.now, dt.UTC)
        people: list[str] = []
        rotations = schedule.plan.rotations
        if self._last_layer_wins:
            rotations = rotations[::-1]
        for rotation_id in rotations:
            rotation = ns.schedules.get(rotation_id)
            if rotation is None:
                continue
            for person in oncall.on_call_remembered(rotation, now):
                if person not in people:
                    people.append(person)
            if people and self._last_layer_wins:
                break
        return people

    # -- personal contacts and pages --------------------------------------------------------

    def _engage_personal(
        self,
        ns: Namespace,
        engagement: EngagementState,
        contact_arn: str,
        resolution: Resolution,
        essential: bool,
    ) -> None:
        """Create a page for a personal contact and start its own plan now (E4, E5)."""
        contact = ns.contacts.get(contact_arn)
        if contact is None:
            return
        occurrence = engagement.engaged.get(contact_arn, 0)
        if occurrence and self.knobs.dedupe_contacts:
            self._event(
                records.target_skipped(
                    self.time(),
                    engagement.arn,
                    contact_arn,
                    resolution[0][2],
                    "already engaged in this engagement (dedupe_contacts)",
                )
            )
            return
        engagement.engaged[contact_arn] = occurrence + 1
        key = (engagement.arn, contact_arn, str(occurrence))
        # One draw gives the page's uuid (bytes 0-15) and its accept code (bytes 16-23).
        draw = self.rng.digest("page", *key)
        page_arn = make_arn(ns.region, ns.account, "page", contact.alias, as_uuid(draw))
        page = PageState(
            engagement,
            page_arn,
            contact_arn,
            contact.alias,
            as_digits(draw[16:], 6),
            self.env.now,
            resolution,
            essential,
            key,
        )
        engagement.pages.append(page)
        ns.pages[page_arn] = page
        self.pages_created += 1
        if self._log_pages:
            self._record_page(self.time(), engagement.arn, page_arn, contact_arn)
        responder = self.responders.get(contact_arn)
        if responder is not None:
            delay = responder.acknowledgement_delay(self.rng, key)
            if delay is not None:
                self._after(delay, page, self._respond, page, responder)
            if responder.reacts_to_messages(self.rng, key, self.start_epoch + self.env.now):
                page.listener = responder
        stages = contact.plan.channel_table
        if stages and not page.closed:
            self._personal_stage(ns, page, stages, 0)

    def _personal_stage(
        self, ns: Namespace, page: PageState, stages: StageTable, index: int
    ) -> None:
        """Start stage ``index`` of a contact's own plan: message every target channel (E5)."""
        while True:
            duration, targets = stages[index]
            if self._log_page_stages:
                self._record_stage(
                    self.time(), page.engagement.arn, page.contact_arn, index, page.arn
                )
            for channel_arn, interval in targets:
                self._attempt(ns, page, channel_arn, interval, index, 1, duration)
                if page.closed:
                    return
            index += 1
            if index == len(stages):
                return
            if duration > 0:
                self._after(duration, page, self._personal_stage, ns, page, stages, index)
                return

    def _attempt(
        self,
        ns: Namespace,
        page: PageState,
        channel_arn: str | None,
        interval: float,
        stage: int,
        attempt: int,
        duration: float,
    ) -> None:
        """One send of a page to one channel, with its receipts and follow-ups (E5-E8)."""
        engagement = page.engagement
        channel = ns.channels.get(channel_arn) if channel_arn else None
        if channel is None or not channel.activated or channel.contact_arn != page.contact_arn:
            reason = "channel not activated"
            if channel is None or channel.contact_arn != page.contact_arn:
                reason = "channel not found"
            self._event(
                records.channel_skipped(self.time(), engagement.arn, page.arn, channel_arn, reason)
            )
            return
        kind = channel.type
        p_fail = self._fail[kind]
        # One draw per attempt: the failure (bytes 0-6) and the provider message id (16-31). The
        # stage is part of the key: a plan may page one channel in several stages.
        draw = self.rng.digest(
            "attempt", engagement.arn, page.arn, channel.arn, str(stage), str(attempt)
        )
        failed = p_fail > 0.0 and as_uniform(draw) < p_fail
        outcome: Literal["SENT", "ERROR"] = "ERROR" if failed else "SENT"
        if self._keep_outbox:
            self._message(records.page_message(self.time(), page, channel, attempt, outcome))
        if self._log_messages:
            self._record_send(
                self.time(), engagement.arn, page.arn, channel.arn, kind, attempt, outcome
            )
        if failed:
            self._receipt(page, "ERROR", channel.arn, f"{kind} delivery to the provider failed")
            retry = (
                resends_within_stage(attempt, interval, duration)
                if self._until_ack
                else interval > 0 and attempt <= self.knobs.max_retries
            )
        else:
            message_id = "SM" + draw[16:32].hex()
            self._receipt(page, "SENT", channel.arn, message_id)
            page.sent_time = self.env.now
            page.last_channel = channel.arn
            page.last_channel_by_type[kind] = channel.arn
            if self._carrier or page.listener is not None:
                self._after(
                    self._latency[kind],
                    page,
                    self._deliver,
                    page,
                    channel,
                    message_id,
                    stage,
                    attempt,
                )
            retry = self._until_ack and resends_within_stage(attempt, interval, duration)
        if retry:
            self._after(
                interval,
                page,
                self._attempt,
                ns,
                page,
                channel.arn,
                interval,
                stage,
                attempt + 1,
                duration,
            )

    def _deliver(
        self, page: PageState, channel: Channel, message_id: str, stage: int, attempt: int
    ) -> None:
        """A message reaches the person: DELIVERED under carrier receipts, and the listener's
        reaction (E15)."""
        if self._carrier:
            self._receipt(page, "DELIVERED", channel.arn, message_id)
            if page.delivery_time is None:
                page.delivery_time = self.env.now
        listener = page.listener
        if listener is not None:
            key = (*page.key, "message", channel.arn, str(stage), str(attempt))
            delay = listener.reaction_delay(self.rng, key, channel.type)
            if delay is not None:
                self._after(delay, page, self._respond, page, listener)

    def _receipt(
        self, page: PageState, kind: ReceiptType, channel_arn: str | None, info: str | None
    ) -> None:
        now = self.env.now
        if self.retain_finished:  # a batch run never reads them back
            page.receipts.append(Receipt(now, kind, channel_arn, info))
        if self._log_receipts:
            self._record_receipt(
                round(self.start_epoch + now, 3),
                page.engagement.arn,
                page.arn,
                channel_arn,
                kind,
                info,
            )

    # -- acknowledgements -------------------------------------------------------------------

    def _respond(self, page: PageState, responder: Responder) -> None:
        """A responder model's acknowledgement comes due (E15)."""
        channel = (
            page.last_channel_by_type.get(responder.channel_type)
            if responder.channel_type
            else page.last_channel
        )
        self.accept(page, responder.accept_type, channel, page.code)

    def accept(
        self,
        page: PageState,
        accept_type: str,
        channel_arn: str | None,
        info: str | None,
    ) -> None:
        """AcceptPage (E9, E10); the caller has checked the code and the page exists."""
        engagement = page.engagement
        if engagement.stopped:
            return
        if accept_type == "DELIVERED":
            # A page closed by a STOP of essential_ack=stop_all still takes it (E10).
            if page.read_time is None:
                self._receipt(page, "DELIVERED", channel_arn or page.last_channel, info)
                if page.delivery_time is None:
                    page.delivery_time = self.env.now
            return
        if page.read_time is not None:
            return
        page.read_time = self.env.now
        self._receipt(page, "READ", channel_arn or page.last_channel, info)
        self._close(page)
        run = engagement.escalation
        if page.essential and run is not None and not run.closed:
            self._close(run)
            if self._log_escalation_stops:
                self._event(records.escalation_stopped(self.time(), engagement.arn, page.arn))
            if self.knobs.essential_ack == "stop_all":
                for other in engagement.pages:
                    if not other.closed:
                        self._stop_page(other)
        self.end_if_idle(engagement)

    def _stop_page(self, page: PageState) -> None:
        self._receipt(page, "STOP", page.last_channel, None)
        self._close(page)

    # -- channel lifecycle records ----------------------------------------------------------

    def channel_event(self, kind: records.ChannelEventType, channel: Channel) -> None:
        """CHANNEL_CREATED / _ACTIVATED / _DEACTIVATED / _DELETED."""
        self._event(
            records.channel_event(self.time(), kind, channel.contact_arn, channel.arn, channel.type)
        )

    def send_activation_code(self, ns: Namespace, channel: Channel) -> None:
        """Send a fresh activation code to the channel's address (R3): an ACTIVATION message."""
        sent = ns.codes.get(channel.arn, (None, 0))[1]
        code = self.rng.digits(6, "activation-code", channel.arn, str(sent))
        ns.codes[channel.arn] = (code, sent + 1)
        self._message(
            {
                "Time": self.time(),
                "Kind": "ACTIVATION",
                "ChannelType": channel.type,
                "ContactChannelArn": channel.arn,
                "DeliveryAddress": channel.address,
                "ContactArn": channel.contact_arn,
                "Code": code,
            }
        )
