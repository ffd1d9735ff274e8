"""Coverage over the review window: when each escalation plan and schedule reaches nobody.

For every escalation plan, the exact stretches in which an engagement started then pages nobody
in its first stage, and those in which it pages nobody in any stage; for every on-call schedule,
the stretches in which nobody on it can be paged. The intervals come from ``engine.coverage``
(worked out from the rotations' shifts, DST changes and ShiftCoverages included); this module
adds totals, the DST changes the window crosses in each subject's zone, and a heatmap of the
uncovered share of every local hour of the week.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING

from engine.coverage import Gap, describe_subject, gaps
from engine.oncall.zones import load_zone
from engine.timeutil import isoformat

if TYPE_CHECKING:
    from engine.review.inputs import ReviewInput


_HOURS_OF_WEEK = 168


@dataclasses.dataclass(frozen=True)
class SubjectCoverage:
    """The gaps of one escalation plan or schedule. ``first_stage`` equals ``nobody`` for a
    schedule (engaging it is one step)."""

    arn: str
    alias: str
    kind: str
    zone: str
    first_stage: tuple[Gap, ...]
    nobody: tuple[Gap, ...]


def subject_coverage(
    review: ReviewInput, start: dt.datetime, end: dt.datetime
) -> list[SubjectCoverage]:
    """Coverage of every escalation plan and on-call schedule, by alias."""
    sim = review.simulator
    found: list[SubjectCoverage] = []
    contacts = sorted(review.organisation.contacts.values(), key=lambda c: c.alias)
    for contact in contacts:
        if contact.type not in ("ESCALATION", "ONCALL_SCHEDULE"):
            continue
        subject = describe_subject(sim, contact.arn)
        nobody = tuple(gaps(sim, contact.arn, start, end))
        first = (
            tuple(gaps(sim, contact.arn, start, end, first_stage_only=True))
            if contact.type == "ESCALATION"
            else nobody
        )
        kind = "escalation" if contact.type == "ESCALATION" else "schedule"
        found.append(
            SubjectCoverage(contact.arn, contact.alias, kind, subject.time_zone_id, first, nobody)
        )
    return found


def _gap_list(found: Sequence[Gap], window: float) -> dict[str, object]:
    total = sum(gap.seconds for gap in found)
    return {
        "gaps": len(found),
        "seconds": round(float(total), 3),
        "share": round(total / window, 6) if window > 0 else 0.0,
        "intervals": [
            {
                "start": isoformat(gap.start.timestamp()),
                "end": isoformat(gap.end.timestamp()),
                "reason": gap.reason,
            }
            for gap in found
        ],
    }


def dst_changes(zone_id: str, start: dt.datetime, end: dt.datetime) -> list[str]:
    """The instants in [start, end) at which ``zone_id``'s UTC offset changes (ISO 8601 UTC)."""
    zone = load_zone(zone_id)
    changes: list[str] = []
    low = start.timestamp()
    high = end.timestamp()
    step = 3600.0
    moment = low
    offset = dt.datetime.fromtimestamp(moment, zone).utcoffset()
    while moment < high:
        following = min(moment + step, high)
        now = dt.datetime.fromtimestamp(following, zone).utcoffset()
        if now != offset:
            # Offsets change on whole minutes: search the hour minute by minute.
            probe = moment
            while dt.datetime.fromtimestamp(probe, zone).utcoffset() == offset:
                probe += 60.0
            if probe < high:
                changes.append(isoformat(probe))
            offset = now
        moment = following
    return changes


def hour_of_week_shares(
    found: Sequence[Gap], zone_id: str, start: dt.datetime, end: dt.datetime
) -> list[float | None]:
    """For each local hour of the week (Monday 00:00 first), the share of that hour's time in
    the window that lies in a gap; None for an hour the window does not hold at all (a window
    shorter than a week), which is unknown rather than covered."""
    zone = load_zone(zone_id)
    covered = _bucket_seconds([(start.timestamp(), end.timestamp())], zone)
    uncovered = _bucket_seconds([(g.start.timestamp(), g.end.timestamp()) for g in found], zone)
    return [
        round(uncovered[i] / covered[i], 4) if covered[i] > 0 else None
        for i in range(_HOURS_OF_WEEK)
    ]


def _bucket_seconds(intervals: Sequence[tuple[float, float]], zone: dt.tzinfo) -> list[float]:
    totals = [0.0] * _HOURS_OF_WEEK
    for low, high in intervals:
        moment = low
        while moment < high:
            local = dt.datetime.fromtimestamp(moment, zone)
            into_hour = local.minute * 60 + local.second + local.microsecond / 1e6
            following = min(high, moment + 3600.0 - into_hour)
            totals[local.weekday() * 24 + local.hour] += following - moment
            moment = following
    return totals


def coverage_section(
    subjects: Sequence[SubjectCoverage], start: dt.datetime, end: dt.datetime
) -> dict[str, object]:
    """The coverage section of the review."""
    window = (end - start).total_seconds()
    rows: list[dict[str, object]] = []
    heatmap: list[dict[str, object]] = []
    zones: dict[str, list[str]] = {}
    for subject in subjects:
        if subject.zone not in zones:
            zones[subject.zone] = dst_changes(subject.zone, start, end)
        row: dict[str, object] = {
            "contact": subject.alias,
            "type": subject.kind,
            "zone": subject.zone,
            "dst_changes": zones[subject.zone],
            "first_stage": _gap_list(subject.first_stage, window),
            "nobody": _gap_list(subject.nobody, window),
        }
        rows.append(row)
        if subject.first_stage or subject.nobody:
            heatmap.append(
                {
                    "contact": subject.alias,
                    "zone": subject.zone,
                    "first_stage": hour_of_week_shares(
                        subject.first_stage, subject.zone, start, end
                    ),
                    "nobody": hour_of_week_shares(subject.nobody, subject.zone, start, end),
                }
            )
    return {
        "subjects": rows,
        "totals": {
            "subjects": len(rows),
            "with_first_stage_gaps": sum(1 for s in subjects if s.first_stage),
            "with_gaps": sum(1 for s in subjects if s.nobody),
        },
        "heatmap": heatmap,
    }
