"""Neutral rotations as GoAlert rotations: one evenly spaced hand-off grid each, one person at a
time, counted from a hand-off; and where each neutral rotation went (:class:`Placed`)."""

from __future__ import annotations

import calendar
import dataclasses
import datetime as dt
import itertools
import math
from collections.abc import Sequence

from engine.oncall.zones import load_zone, utc_to_wall
from engine.policy.model import HandOff, Person, Rotation, Window
from engine.vendors.goalert_reading import ONE_MEMBER_START
from engine.vendors.goalert_turns import turn_of, wall_instant

__all__ = ["Document", "Placed", "write_rotations"]

Document = dict[str, object]


@dataclasses.dataclass(frozen=True, slots=True)
class Placed:
    """Where a neutral rotation went: the GoAlert targets (type, id) a schedule lists for it."""

    targets: tuple[tuple[str, str], ...]
    windows: tuple[Window, ...] | None
    zone: str
    start: dt.datetime


def _base_of(rotation: Rotation, by_id: dict[str, Rotation]) -> Rotation | None:
    """The rotation ``rotation`` copies with windows added (read as ``<id>@<schedule>``)."""
    if "@" not in rotation.id:
        return None
    base = by_id.get(rotation.id.rsplit("@", 1)[0])
    if base is None or base.windows is not None:
        return None
    same = dataclasses.replace(rotation, id=base.id, windows=None)
    return base if same == base else None


def _one_member(rotation: Rotation, people: dict[str, Person]) -> str | None:
    """The user of a one-member rotation read from a schedule's user target, else None."""
    if len(rotation.members) != 1 or rotation.members[0] not in people or "@" not in rotation.id:
        return None
    midnight = turn_of("daily", 1, ONE_MEMBER_START, "UTC").hand_offs
    plain = Rotation(
        id=rotation.id,
        name=rotation.name,
        members=rotation.members,
        start=ONE_MEMBER_START,
        time_zone=rotation.time_zone,
        period="day",
        hand_offs=midnight,
        windows=rotation.windows,
    )
    if rotation.id.rsplit("@", 1)[0] != rotation.members[0] or rotation != plain:
        return None
    return rotation.members[0]


def write_rotations(
    rotations: Sequence[Rotation], people: dict[str, Person], lines: list[str]
) -> tuple[list[Document], dict[str, Placed]]:
    by_id = {rotation.id: rotation for rotation in rotations}
    written: list[Document] = []
    placed: dict[str, Placed] = {}
    for rotation in rotations:
        base = _base_of(rotation, by_id)
        if base is not None:
            targets = placed[base.id].targets if base.id in placed else (("rotation", base.id),)
            placed[rotation.id] = Placed(
                targets, rotation.windows, rotation.time_zone, rotation.start
            )
            continue
        user = _one_member(rotation, people)
        if user is not None:
            placed[rotation.id] = Placed(
                (("user", user),), rotation.windows, rotation.time_zone, rotation.start
            )
            continue
        documents = _goalertwrite_rotations(rotation, lines)
        written.extend(documents)
        ids = tuple(("rotation", str(d["id"])) for d in documents)
        placed[rotation.id] = Placed(ids, rotation.windows, rotation.time_zone, rotation.start)
    return written, placed


def _goalertwrite_rotations(rotation: Rotation, lines: list[str]) -> list[Document]:
    """The GoAlert rotation(s) of one neutral rotation (one per person on call at once)."""
    label = f"rotation {rotation.name or rotation.id}"
    kind, length, anchor = _grid(rotation, label, lines)
    zone = load_zone(rotation.time_zone)
    wall = utc_to_wall(rotation.start, zone)
    if anchor != wall:
        lines.append(
            f"{label}: GoAlert counts turns from a hand-off: its start {wall:%Y-%m-%d %H:%M} is "
            f"written as the hand-off before it, {anchor:%Y-%m-%d %H:%M}, where the first member's "
            "turn begins"
        )
    start = wall_instant(anchor, rotation.time_zone)
    if rotation.end is not None:
        lines.append(
            f"{label}: GoAlert rotations do not end; its end "
            f"{rotation.end:%Y-%m-%d %H:%M} is left out"
        )
    if rotation.overrides:
        lines.append(
            f"{label}: {len(rotation.overrides)} rotation override(s) left out: GoAlert overrides "
            "belong to schedules and swap named users"
        )
    members = rotation.members
    count = max(1, min(rotation.on_call, len(members)))
    if count > 1:
        lines.append(
            f"{label}: {count} people on call at once; a GoAlert rotation has one: written as "
            f"{count} rotations, one for each place"
        )
    cycle = len(members) // math.gcd(len(members), count) if members else 0
    documents: list[Document] = []
    for place in range(count):
        users = [members[(turn * count + place) % len(members)] for turn in range(cycle)]
        documents.append(
            {
                "id": rotation.id if count == 1 else f"{rotation.id}#{place + 1}",
                "name": rotation.name if count == 1 else f"{rotation.name} #{place + 1}",
                "type": kind,
                "shiftLength": length,
                "start": f"{start:%Y-%m-%dT%H:%M:%SZ}",
                "timeZone": rotation.time_zone,
                "userIDs": list(users if count > 1 else members),
                "activeUserIndex": 0,
            }
        )
    return documents


def _grid(rotation: Rotation, label: str, lines: list[str]) -> tuple[str, int, dt.datetime]:
    """GoAlert's type and shiftLength for the rotation's hand-offs, and the wall-clock hand-off
    at or before its start that GoAlert's start must be."""
    wall = utc_to_wall(rotation.start, load_zone(rotation.time_zone))
    hand_offs = tuple(sorted(rotation.hand_offs, key=lambda h: (h.day or 0, h.time)))
    if not hand_offs:
        lines.append(f"{label}: no hand-offs (one endless shift): written as daily at its start")
        return "daily", 1, wall.replace(second=0, microsecond=0)
    if rotation.period == "day" and len(hand_offs) > 1:
        spacing = _even_spacing([h.time for h in hand_offs])
        if spacing is not None:
            times = [h.time for h in hand_offs]
            return "hourly", spacing * rotation.every, _latest_daily(wall, times)
    if len(hand_offs) > 1:
        lines.append(
            f"{label}: hand-offs at {len(hand_offs)} uneven times of each {rotation.period}; a "
            "GoAlert rotation has one evenly spaced grid: written with the first hand-off only"
        )
    first = hand_offs[0]
    if rotation.period == "day":
        return "daily", rotation.every, _latest_daily(wall, [first.time])
    if rotation.period == "week":
        return "weekly", rotation.every, _latest_weekly(wall, first)
    return "monthly", rotation.every, _latest_monthly(wall, first)


def _even_spacing(times: Sequence[dt.time]) -> int | None:
    """The whole number of hours between evenly spaced ``times`` covering the day, else None."""
    minutes = [t.hour * 60 + t.minute for t in times]
    gap = 1440 // len(minutes)
    if 1440 % len(minutes) or gap % 60:
        return None
    if any(b - a != gap for a, b in itertools.pairwise(minutes)):
        return None
    return gap // 60


def _latest_daily(wall: dt.datetime, times: Sequence[dt.time]) -> dt.datetime:
    candidates = [
        dt.datetime.combine(wall.date() - dt.timedelta(days=back), time)
        for back in (0, 1)
        for time in times
    ]
    return max(c for c in candidates if c <= wall)


def _latest_weekly(wall: dt.datetime, hand_off: HandOff) -> dt.datetime:
    day = wall.date() - dt.timedelta(days=(wall.weekday() - (hand_off.day or 0)) % 7)
    found = dt.datetime.combine(day, hand_off.time)
    return found if found <= wall else found - dt.timedelta(days=7)


def _latest_monthly(wall: dt.datetime, hand_off: HandOff) -> dt.datetime:
    year, month = wall.year, wall.month
    while True:
        if (hand_off.day or 1) <= calendar.monthrange(year, month)[1]:
            found = dt.datetime.combine(dt.date(year, month, hand_off.day or 1), hand_off.time)
            if found <= wall:
                return found
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
