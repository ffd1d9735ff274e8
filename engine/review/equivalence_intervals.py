"""Where a policy's page set can change: the schedules it consults, when, and their hand-offs.

An incident started at ``t`` on a policy pages a set of (person, channel, offset) that depends
only on who is on call in each rotation the policy consults, at each offset it consults it. An
escalation plan consults the rotations of its on-call schedule targets when each stage starts
(every pass under the ``repeat`` setting); an on-call schedule engaged directly consults its
rotations at the incident itself. :func:`consultations` lists those (rotation, offset) pairs,
:func:`breakpoints` the instants where any of them changes, found with the engine's own shift
functions (``engine.oncall``), and :func:`signature` who is on call at each pair: the page set is
a function of it, so one engine run per distinct signature is enough.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
from collections.abc import Iterable, Mapping

from engine import oncall
from engine.domain import Contact, Organisation
from engine.knobs import Knobs

Consultation = tuple[str, float]
"""(rotation ARN, seconds after the incident at which the policy asks who is on call in it)."""

Signature = tuple[tuple[str, ...], ...]
"""Who is on call at each consultation, in the order of :attr:`Probe.consultations`."""


@dataclasses.dataclass(frozen=True)
class Probe:
    """One policy of one organisation: its contact and the consultations that decide it."""

    contact: Contact
    consultations: tuple[Consultation, ...]
    schedules: Mapping[str, oncall.Rotation] = dataclasses.field(repr=False)

    def rotation(self, arn: str) -> oncall.Rotation:
        """The compiled rotation of a consultation."""
        return self.schedules[arn]


def _stage_offsets(
    durations: list[float], consults: list[bool], skip_wait: bool
) -> list[set[float]]:
    """For each stage in order (all passes), every offset at which it can start. Stages start
    when the previous one's duration is over; under ``empty_schedule=skip_wait`` a stage that
    engages a schedule may end at once, so the offsets after it are a set of candidates."""
    starts: list[set[float]] = []
    current = {0.0}
    for duration, consults_schedule in zip(durations, consults, strict=True):
        starts.append(current)
        later = {offset + duration for offset in current}
        if skip_wait and consults_schedule:
            later |= current
        current = later
    return starts


def consultations(
    organisation: Organisation,
    schedules: Mapping[str, oncall.Rotation],
    contact: Contact,
    knobs: Knobs,
) -> tuple[Consultation, ...]:
    """Each (rotation, offset) at which an incident on ``contact`` asks who is on call, sorted."""
    found: set[Consultation] = set()

    def rotations_of(schedule_arn: str | None) -> list[str]:
        schedule = organisation.contacts.get(schedule_arn) if schedule_arn else None
        if schedule is None or schedule.type != "ONCALL_SCHEDULE":
            return []
        return [arn for arn in schedule.plan.rotations if arn in schedules]

    if contact.type == "ONCALL_SCHEDULE":
        found.update((arn, 0.0) for arn in rotations_of(contact.arn))
    elif contact.type == "ESCALATION":
        table = contact.plan.contact_table * (knobs.repeat + 1)
        targets = [[rotations_of(arn) for arn, _ in steps] for _, steps in table]
        consults = [any(arns for arns in stage) for stage in targets]
        durations = [duration for duration, _ in table]
        skip_wait = knobs.empty_schedule == "skip_wait"
        for offsets, stage in zip(
            _stage_offsets(durations, consults, skip_wait), targets, strict=True
        ):
            found.update((arn, offset) for arns in stage for arn in arns for offset in offsets)
    return tuple(sorted(found, key=lambda c: (c[1], c[0])))


def probe(
    organisation: Organisation,
    schedules: Mapping[str, oncall.Rotation],
    contact: Contact,
    knobs: Knobs,
) -> Probe:
    """The :class:`Probe` of ``contact`` in ``organisation``."""
    return Probe(contact, consultations(organisation, schedules, contact, knobs), schedules)


def breakpoints(probe: Probe, start: dt.datetime, end: dt.datetime) -> set[dt.datetime]:
    """The instants inside (start, end) where an incident's signature may change: every shift
    boundary (hand-offs, coverage-window and override edges) of a consulted rotation, moved back
    by the offset at which it is consulted."""
    found: set[dt.datetime] = set()
    for arn, offset in probe.consultations:
        shift = dt.timedelta(seconds=offset)
        for piece in oncall.iter_shifts(probe.rotation(arn), start + shift, end + shift):
            for edge in (piece.start - shift, piece.end - shift):
                if start < edge < end:
                    found.add(edge)
    return found


def signature(probe: Probe, instant: dt.datetime) -> Signature:
    """Who is on call at each consultation of an incident started at ``instant``."""
    return tuple(
        oncall.on_call(probe.rotation(arn), instant + dt.timedelta(seconds=offset))
        for arn, offset in probe.consultations
    )


def elementary(
    start: dt.datetime, end: dt.datetime, probes: Iterable[Probe]
) -> list[tuple[dt.datetime, dt.datetime]]:
    """[start, end) cut at every breakpoint of every probe: the intervals over which all of
    them are constant, in time order."""
    cuts = {start, end}
    for each in probes:
        cuts |= breakpoints(each, start, end)
    ordered = sorted(cuts)
    return list(itertools.pairwise(ordered))
