"""When engaging a rotation, schedule, escalation plan or person would reach nobody, exactly.

Everything is worked out on interval sets built from the shifts, never by sampling instants:

* a rotation reaches someone while a shift whose contacts include a reachable person is on:
  before its StartTime it has not started, outside its shifts (ShiftCoverages, overrides naming
  nobody) nobody is on call, and a shift whose contacts all lack a pageable channel reaches
  nobody either;
* a schedule reaches someone where any of its rotations does (engaging it engages the union of
  who is on call, docs/semantics.md E1a/E3), so its gaps are the intersection of theirs;
* a person is reachable when their own plan pages an activated channel of theirs (E5), whatever
  the time;
* an escalation plan engaged at t reaches nobody when no stage's targets reach anyone at the
  instant that stage starts: t + the durations of the stages before it (E2). With the ``repeat``
  setting the later passes count too, and with ``empty_schedule: skip_wait`` a stage that paged
  nobody because its schedules were empty starts the next one at once, as the engine does.

Each gap carries the reason of the nearest miss along the way: ``no-activated-channel`` (someone
would be engaged but none of them can be paged) before ``nobody-on-call`` before ``no-rotations``
before ``not-started``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import defaultdict
from typing import TYPE_CHECKING, Final

from engine.arns import parse_arn
from engine.coverage.intervals import (
    Interval,
    Labelled,
    intersect,
    intersect_labelled,
    label_all,
    normalise_labelled,
    restrict_labelled,
    shift,
    shift_labelled,
    subtract_labelled,
    union,
)
from engine.graph import ContactGraph
from engine.oncall import iter_shifts

if TYPE_CHECKING:
    from engine.domain import Contact, Organisation, Rotation
    from engine.simulator import Simulator, State


NOT_STARTED: Final = "not-started"
NOBODY_ON_CALL: Final = "nobody-on-call"
NO_ACTIVATED_CHANNEL: Final = "no-activated-channel"
NO_ROTATIONS: Final = "no-rotations"
REASONS: Final = (NOT_STARTED, NOBODY_ON_CALL, NO_ACTIVATED_CHANNEL, NO_ROTATIONS)
"""Every reason a gap can have."""

# A target that engages nobody at all (a deleted contact, an escalation plan named as a target,
# a stage without targets) has no reason of its own; it turns into nobody-on-call at the end.
_NO_REASON = ""
_RANK: Final = {
    _NO_REASON: 0,
    NOT_STARTED: 1,
    NO_ROTATIONS: 2,
    NOBODY_ON_CALL: 3,
    NO_ACTIVATED_CHANNEL: 4,
}


def _rank(label: str) -> int:
    return _RANK[label]


class CoverageError(ValueError):
    """A subject or window that coverage cannot be worked out for; the message says why."""


@dataclasses.dataclass(frozen=True, slots=True)
class Gap:
    """[start, end) (aware UTC datetimes) in which engaging ``subject`` (an ARN) reaches nobody.

    ``reason`` is one of :data:`REASONS`: ``not-started`` (before a rotation's StartTime),
    ``nobody-on-call``, ``no-activated-channel`` (someone is on call or engaged, but none of
    them has an activated channel their own plan pages) or ``no-rotations`` (a schedule
    without rotations).
    """

    start: dt.datetime
    end: dt.datetime
    reason: str
    subject: str

    @property
    def seconds(self) -> float:
        """How long the gap lasts."""
        return (self.end - self.start).total_seconds()


@dataclasses.dataclass(frozen=True, slots=True)
class _TargetSets:
    """What engaging one target does, as sets of the instants it is engaged at.

    ``gaps``: it reaches nobody (labelled with why); ``silent``: it creates no page at all;
    ``empty_schedule``: it is a schedule with nobody on call (a NO_ONCALL event).
    """

    gaps: list[Labelled]
    silent: list[Interval]
    empty_schedule: list[Interval]


def state_of(sim: Simulator, arn: str) -> State:
    """The state of the account and region that ``arn`` names. Raises CoverageError."""
    parsed = parse_arn(arn) if isinstance(arn, str) else None
    if parsed is None:
        raise CoverageError(f"{arn!r} is not an ssm-contacts ARN")
    if (parsed.account, parsed.region) not in sim.namespaces():
        raise CoverageError(
            f"{arn} names account {parsed.account}, region {parsed.region}, where the "
            "simulator holds nothing"
        )
    return sim.state(parsed.account, parsed.region)


def _pages_a_channel(graph: ContactGraph, contact_arn: str) -> bool:
    # The graph's rule (E5): a PERSONAL plan naming an activated channel of its own.
    return contact_arn in graph.nx_graph and bool(graph.reachable_channels(contact_arn))


def can_be_paged(sim: Simulator, contact_arn: str) -> bool:
    """Whether engaging ``contact_arn`` pages at least one activated channel of its own: a
    PERSONAL contact whose plan names one (docs/semantics.md E5). Raises CoverageError for an ARN
    outside the simulator's namespaces."""
    graph = ContactGraph.of(state_of(sim, contact_arn).organisation)
    return _pages_a_channel(graph, contact_arn)


_GRAPH: list[tuple[Organisation, ContactGraph]] = []


def _graph_of(organisation: Organisation) -> ContactGraph:
    """The organisation's graph, built once for a run of gap proofs of one organisation (a
    review proves every plan and schedule; equal snapshots share the same contact objects, so
    comparing them costs a pass over their keys)."""
    found = _GRAPH[0] if _GRAPH else None  # one read: safe beside another thread's write
    if found is None or found[0] != organisation:
        found = (organisation, ContactGraph.of(organisation))
        _GRAPH[:] = [found]
    return found[1]


class _Reader:
    """Reads one namespace for one window, remembering what it has worked out."""

    def __init__(self, state: State, window: Interval) -> None:
        self.state = state
        self.contacts = state.organisation.contacts
        self.graph = _graph_of(state.organisation)
        self.window = window
        self._targets: dict[str | None, _TargetSets] = {}

    def reachable(self, contact_arn: str) -> bool:
        """Does engaging this person page at least one activated channel of their own?"""
        return _pages_a_channel(self.graph, contact_arn)

    def rotation_gaps(self, rotation: Rotation) -> list[Labelled]:
        """Where the rotation reaches nobody within the window, and why."""
        low, high = self.window
        schedule = self.state.schedules[rotation.arn]
        found: list[Labelled] = []
        if low < schedule.start:
            found.append((low, min(high, schedule.start), NOT_STARTED))
        begin = max(low, schedule.start)
        if begin >= high:
            return normalise_labelled(found)
        reached = begin
        for piece in iter_shifts(schedule, begin, high):
            start, end = max(piece.start, begin), min(piece.end, high)
            if reached < start:
                found.append((reached, start, NOBODY_ON_CALL))
            if not piece.contact_ids:
                found.append((start, end, NOBODY_ON_CALL))
            elif not any(self.reachable(contact) for contact in piece.contact_ids):
                found.append((start, end, NO_ACTIVATED_CHANNEL))
            reached = max(reached, end)
        if reached < high:
            found.append((reached, high, NOBODY_ON_CALL))
        return normalise_labelled(found)

    def schedule_rotations(self, schedule: Contact) -> list[Rotation]:
        """The rotations of an on-call schedule that exist, in plan order (E3)."""
        rotations = self.state.organisation.rotations
        return [rotations[r] for r in schedule.plan.rotations if r in rotations]

    def target(self, contact_arn: str | None) -> _TargetSets:
        """What engaging ``contact_arn`` as an escalation target does over the window."""
        known = self._targets.get(contact_arn)
        if known is None:
            known = self._target(contact_arn)
            self._targets[contact_arn] = known
        return known

    def _target(self, contact_arn: str | None) -> _TargetSets:
        whole = [self.window]
        contact = self.contacts.get(contact_arn) if contact_arn else None
        if contact is None or contact.type == "ESCALATION":
            # Skipped by the engine (TARGET_SKIPPED): nobody is engaged through it.
            return _TargetSets(label_all(whole, _NO_REASON), whole, [])
        if contact.type == "PERSONAL":
            reached = self.reachable(contact.arn)
            return _TargetSets([] if reached else label_all(whole, NO_ACTIVATED_CHANNEL), [], [])
        rotations = self.schedule_rotations(contact)
        if not rotations:
            return _TargetSets(label_all(whole, NO_ROTATIONS), whole, whole)
        labelled: list[Labelled] | None = None
        nobody: list[Interval] | None = None
        for rotation in rotations:
            own = self.rotation_gaps(rotation)
            own_nobody = [(s, e) for s, e, label in own if label != NO_ACTIVATED_CHANNEL]
            own_nobody = union(own_nobody)
            labelled = own if labelled is None else intersect_labelled(labelled, own, _rank)
            nobody = own_nobody if nobody is None else intersect(nobody, own_nobody)
        assert labelled is not None and nobody is not None
        return _TargetSets(labelled, nobody, nobody)


def _stages(contact: Contact, passes: int) -> list[tuple[dt.timedelta, list[str | None]]]:
    """(duration, target contact ARNs) of each stage, over ``passes`` runs of the plan."""
    once = [
        (dt.timedelta(seconds=duration), [target for target, _essential in targets])
        for duration, targets in contact.plan.contact_table
    ]
    return once * passes


def _stage_sets(
    reader: _Reader, targets: list[str | None]
) -> tuple[list[Labelled], list[Interval]]:
    """Where a stage starting at an instant reaches nobody (labelled), and where it would let
    ``skip_wait`` start the next stage at once (nobody engaged, a schedule empty)."""
    whole = [reader.window]
    if not targets:
        return label_all(whole, _NO_REASON), []
    labelled: list[Labelled] | None = None
    silent: list[Interval] = whole
    empty: list[Interval] = []
    for contact_arn in targets:
        sets = reader.target(contact_arn)
        labelled = sets.gaps if labelled is None else intersect_labelled(labelled, sets.gaps, _rank)
        silent = intersect(silent, sets.silent)
        empty = union(empty, sets.empty_schedule)
    assert labelled is not None
    return labelled, intersect(silent, empty)


def _escalation_gaps(
    reader: _Reader,
    contact: Contact,
    window: Interval,
    *,
    first_stage_only: bool,
    passes: int,
    skip_wait: bool,
) -> list[Labelled]:
    """Engagement instants in ``window`` at which no stage reaches anyone (see module doc)."""
    stages = _stages(contact, 1 if first_stage_only else passes)
    if first_stage_only:
        stages = stages[:1]
    # Engagement instants still reaching nobody, grouped by how far their next stage starts
    # after them (skip_wait makes that depend on the instant).
    pending: dict[dt.timedelta, list[Labelled]] = {dt.timedelta(0): label_all([window], "")}
    for duration, targets in stages:
        stage_gaps, skip = _stage_sets(reader, targets)
        following: dict[dt.timedelta, list[Labelled]] = defaultdict(list)
        for offset, instants in sorted(pending.items()):
            missed = intersect_labelled(instants, shift_labelled(stage_gaps, -offset), _rank)
            if not missed:
                continue
            if skip_wait and skip:
                skipped = shift(skip, -offset)
                following[offset].extend(restrict_labelled(missed, skipped))
                following[offset + duration].extend(subtract_labelled(missed, skipped))
            else:
                following[offset + duration].extend(missed)
        pending = {offset: normalise_labelled(v) for offset, v in following.items() if v}
        if not pending:
            return []
    return normalise_labelled(segment for found in pending.values() for segment in found)


def _checked_window(start: dt.datetime, end: dt.datetime) -> Interval:
    for name, value in (("start", start), ("end", end)):
        if not isinstance(value, dt.datetime) or value.utcoffset() is None:
            raise CoverageError(f"the window's {name} must be a timezone-aware datetime")
    low, high = start.astimezone(dt.UTC), end.astimezone(dt.UTC)
    if high <= low:
        raise CoverageError(
            f"the window must end after it starts (from {low.isoformat()} to {high.isoformat()})"
        )
    return low, high


def gaps(
    sim: Simulator,
    arn: str,
    start: dt.datetime,
    end: dt.datetime,
    *,
    first_stage_only: bool = False,
) -> list[Gap]:
    """The stretches of [start, end) in which engaging ``arn`` would reach nobody, in time order.

    ``arn`` is a rotation, an ONCALL_SCHEDULE, ESCALATION or PERSONAL contact of the
    simulator's current state. For an escalation plan the instants are those at which the
    engagement starts; ``first_stage_only`` counts only what stage 0 reaches at that instant.
    Touching gaps have different reasons. Raises CoverageError for an ARN the simulator does
    not hold or a window that is empty or not timezone-aware.
    """
    window = _checked_window(start, end)
    found = _gap_segments(sim, state_of(sim, arn), arn, window, first_stage_only)
    named = normalise_labelled((low, high, label or NOBODY_ON_CALL) for low, high, label in found)
    return [Gap(low, high, label, arn) for low, high, label in named]


def _gap_segments(
    sim: Simulator, state: State, arn: str, window: Interval, first_stage_only: bool
) -> list[Labelled]:
    rotation = state.organisation.rotations.get(arn)
    if rotation is not None:
        return _Reader(state, window).rotation_gaps(rotation)
    contact = state.organisation.contacts.get(arn)
    if contact is None:
        raise CoverageError(f"{arn} names no rotation or contact of the simulator")
    if contact.type == "ESCALATION":
        passes = sim.knobs.repeat + 1
        stages = _stages(contact, 1 if first_stage_only else passes)
        reach = sum((duration for duration, _ in stages), dt.timedelta(0))
        # Stages start up to ``reach`` after the last engagement instant of the window.
        reader = _Reader(state, (window[0], window[1] + reach))
        return _escalation_gaps(
            reader,
            contact,
            window,
            first_stage_only=first_stage_only,
            passes=passes,
            skip_wait=sim.knobs.empty_schedule == "skip_wait",
        )
    return _Reader(state, window).target(contact.arn).gaps
