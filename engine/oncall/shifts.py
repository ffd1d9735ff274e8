"""The shifts of an on-call rotation: who is on call when, and when nobody is.

A pure function of the rotation (no clock, no simulation). The rules, in short:

* Hand-offs happen at every listed wall-clock time of every day, week or month in the
  rotation's zone (``handoffs``); a DayOfMonth a month lacks is skipped; a DST gap or repeated
  hour is handled as ``zones.wall_to_utc`` says.
* Every RecurrenceMultiplier-th hand-off strictly after StartTime is a shift boundary; shift 0
  runs from StartTime to the first one. Each listed time is one hand-off even when DST moves two
  of them onto the same instant: the shift between them then lasts no time and is not listed,
  but it still takes its turn, so the order of contacts never depends on DST.
* Shift i belongs to ContactIds[(i*k + j) mod n] for j < k, with k = NumberOfOnCalls capped at n.
* ShiftCoverages limits on-call time to its windows (``coverage``): a shift is listed as its
  covered pieces only.
* Overrides replace the contacts inside covered time; the latest-created wins (``overrides``).
  An overridden part is its own OVERRIDDEN shift, also when the override names nobody; such a
  shift has nobody on call and also counts as uncovered time. Within one shift, touching parts
  with the same type and contacts are listed as one (two overrides naming the same people).

Shifts are generated lazily from the asked window: the shift that contains the window's start
is found by counting hand-offs arithmetically, not by walking from StartTime.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterator

from engine.oncall.handoffs import first_hand_off_after
from engine.oncall.overrides import override_at, override_spans
from engine.oncall.rotation import Rotation, checked_instant
from engine.oncall.stretches import Stretch
from engine.oncall.zones import RotationError, wall_to_utc
from engine.timeutil import EARLIEST_INSTANT, LATEST_INSTANT
from engine.vocabulary import ShiftType

Interval = tuple[dt.datetime, dt.datetime]


@dataclasses.dataclass(frozen=True, slots=True)
class Shift:
    """A stretch [start, end) (aware UTC datetimes) with the contacts on call during it.

    For an OVERRIDDEN shift ``contact_ids`` are the override's and ``overridden_contact_ids``
    the regular contacts it replaces; a REGULAR shift has no overridden contacts.
    """

    start: dt.datetime
    end: dt.datetime
    contact_ids: tuple[str, ...]
    type: ShiftType = "REGULAR"
    overridden_contact_ids: tuple[str, ...] = ()

    def as_aws(self) -> dict[str, object]:
        """The shift as an AWS RotationShift dict (times as aware datetimes)."""
        shift: dict[str, object] = {
            "ContactIds": list(self.contact_ids),
            "StartTime": self.start,
            "EndTime": self.end,
            "Type": self.type,
        }
        if self.type == "OVERRIDDEN":
            shift["ShiftDetails"] = {"OverriddenContactIds": list(self.overridden_contact_ids)}
        return shift


def _shift_index(rotation: Rotation, instant: dt.datetime) -> int:
    """The number of the shift containing ``instant`` (not before the rotation's start)."""
    cursor = first_hand_off_after(rotation.hand_offs, rotation.zone, instant)
    return (cursor.index - rotation.first_hand_off) // rotation.multiplier


def _base_shifts(rotation: Rotation, instant: dt.datetime) -> Iterator[tuple[int, Interval]]:
    """Shifts (number, [start, end)) before coverage and overrides, from the one containing
    ``instant`` (not before the rotation's start) on, forever; shifts of no length left out."""
    zone, multiplier = rotation.zone, rotation.multiplier
    cursor = first_hand_off_after(rotation.hand_offs, zone, instant)
    index = (cursor.index - rotation.first_hand_off) // multiplier
    # Shift i ends at hand-off number first + (i+1)*multiplier - 1 and starts where i-1 ends.
    start_hand_off = rotation.first_hand_off + index * multiplier - 1
    if index == 0:
        start = rotation.start
    else:
        cursor.retreat(cursor.index - start_hand_off)
        start = wall_to_utc(cursor.wall, zone)
    cursor.advance(start_hand_off + multiplier - cursor.index)
    while True:
        end = wall_to_utc(cursor.wall, zone)
        if start < end:
            yield index, (start, end)
        index += 1
        start = end
        cursor.advance(multiplier)


def _pieces(rotation: Rotation, index: int, start: dt.datetime, end: dt.datetime) -> list[Shift]:
    """Shift ``index`` as listed: its covered pieces, cut where overrides apply."""
    regular = rotation.contacts_of(index)
    if rotation.coverage is None:
        covered = [(start, end)]
    else:
        covered = rotation.coverage.pieces(start, end, rotation.zone)
    listed: list[Shift] = []
    for low, high in covered:
        for part_start, part_end, override in override_spans(low, high, rotation.overrides_by_age):
            if override is None:
                shift = Shift(part_start, part_end, regular)
            else:
                ids = tuple(override.contact_ids)
                shift = Shift(part_start, part_end, ids, "OVERRIDDEN", regular)
            previous = listed[-1] if listed else None
            if (
                previous is not None
                and previous.end == shift.start
                and (previous.contact_ids, previous.type) == (shift.contact_ids, shift.type)
            ):
                listed[-1] = dataclasses.replace(previous, end=shift.end)
            else:
                listed.append(shift)
    return listed


def _window(window_start: dt.datetime, window_end: dt.datetime) -> Interval:
    low = checked_instant(window_start, "StartTime")
    high = checked_instant(window_end, "EndTime")
    if high < low:
        raise RotationError("EndTime", window_end, f"must not be before StartTime {low}")
    return low, high


def iter_shifts(
    rotation: Rotation, window_start: dt.datetime, window_end: dt.datetime
) -> Iterator[Shift]:
    """The shifts overlapping [window_start, window_end), in time order, each whole (not
    clipped to the window), generated lazily. Raises RotationError for a bad window."""
    low, high = _window(window_start, window_end)
    if low == high or high <= rotation.start:
        return
    for index, (start, end) in _base_shifts(rotation, max(low, rotation.start)):
        if start >= high:
            return
        for shift in _pieces(rotation, index, start, end):
            if shift.start < high and shift.end > low:
                yield shift


def shifts(rotation: Rotation, window_start: dt.datetime, window_end: dt.datetime) -> list[Shift]:
    """The shifts overlapping [window_start, window_end) in time order, each whole."""
    return list(iter_shifts(rotation, window_start, window_end))


def on_call(rotation: Rotation, instant: dt.datetime) -> tuple[str, ...]:
    """Who is on call at ``instant``: nobody before the rotation's start or outside its
    coverage, an override's contacts inside it, else the shift's regular contacts."""
    moment = checked_instant(instant, "instant")
    if moment < rotation.start:
        return ()
    coverage = rotation.coverage
    if coverage is not None and not coverage.covers(moment, rotation.zone):
        return ()
    override = override_at(moment, rotation.overrides_by_age)
    if override is not None:
        return tuple(override.contact_ids)
    return rotation.contacts_of(_shift_index(rotation, moment))


_LOOK_BEHIND = dt.timedelta(days=1)
_LOOK_AHEAD = dt.timedelta(days=8)
"""On a miss the listing is read this far either side of the instant and remembered whole, so
a rotation consulted all year is listed about once a week of it."""


def on_call_remembered(rotation: Rotation, instant: dt.datetime) -> tuple[str, ...]:
    """What :func:`on_call` says, for an aware UTC ``instant`` in escsim's range, answered from
    the stretches the rotation remembers and, on a miss, from its shift listing (which
    tests/property/test_shift_properties.py holds equal to ``on_call``)."""
    found = rotation.stretches.find(instant)
    if found is None:
        rotation.stretches.remember(_stretches_around(rotation, instant))
        found = rotation.stretches.find(instant)
        if found is None:  # the stretches around an instant hold it; the rule itself if not
            return on_call(rotation, instant)
    return found


def _stretches_around(rotation: Rotation, moment: dt.datetime) -> list[Stretch]:
    """Stretches (start, end, contacts on call throughout) tiling the time around ``moment``:
    the listed shifts, whole, and the uncovered time between them."""
    if moment < rotation.start:
        return [(EARLIEST_INSTANT, rotation.start, ())]
    low = max(moment - _LOOK_BEHIND, rotation.start)
    high = min(moment + _LOOK_AHEAD, LATEST_INSTANT - dt.timedelta(microseconds=1))
    tiles: list[Stretch] = []
    reached = low
    for shift in iter_shifts(rotation, low, high):
        if shift.start > reached:
            tiles.append((reached, shift.start, ()))
        tiles.append((shift.start, shift.end, shift.contact_ids))
        reached = max(reached, shift.end)
    if reached < high:
        tiles.append((reached, high, ()))
    return tiles


def uncovered(
    rotation: Rotation, window_start: dt.datetime, window_end: dt.datetime
) -> list[Interval]:
    """The parts of [window_start, window_end) with nobody on call, as maximal intervals in
    time order: before the rotation's start, outside coverage, and under overrides naming
    nobody. Worked out from the listed shifts."""
    low, high = _window(window_start, window_end)
    gaps: list[Interval] = []

    def add(start: dt.datetime, end: dt.datetime) -> None:
        if start >= end:
            return
        if gaps and gaps[-1][1] == start:
            gaps[-1] = (gaps[-1][0], end)
        else:
            gaps.append((start, end))

    reached = low
    for shift in iter_shifts(rotation, low, high):
        start, end = max(shift.start, low), min(shift.end, high)
        add(reached, start)
        if not shift.contact_ids:
            add(start, end)
        reached = end
    add(reached, high)
    return gaps
