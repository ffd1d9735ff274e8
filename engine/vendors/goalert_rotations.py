"""GoAlert rotations as neutral rotations: hand-offs from :mod:`goalert_turns`, the turn order
placed by ``activeUserIndex`` (setting ``rotation-state``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from engine.policy.model import Rotation
from engine.scenario.paths import FieldPath
from engine.vendors.goalert_fields import Fields
from engine.vendors.goalert_reading import Reading
from engine.vendors.goalert_turns import MAX_EVERY, differences, shift_number, turn_of

__all__ = ["read_rotation"]


_KINDS = ("hourly", "daily", "weekly", "monthly")


def read_rotation(reading: Reading, item: object, path: FieldPath) -> Rotation | None:
    fields = reading.fields
    rotation = fields.obj(item, path)
    if rotation is None:
        return None
    rotation_id = fields.text(rotation, "id", path)
    name = fields.text(rotation, "name", path) or ""
    kind = rotation.get("type")
    if kind not in _KINDS:
        fields.fail((*path, "type"), f"must be one of {', '.join(_KINDS)}")
    length = fields.integer(rotation, "shiftLength", path, 1, 9000)
    start = fields.instant(rotation, "start", path)
    zone = fields.zone(rotation, "timeZone", path)
    members = _user_ids(reading, rotation, path)
    index = _active_index(fields, rotation, path, len(members) if members else 0)
    next_hand_off = _next_hand_off(fields, rotation, path)
    if None in (rotation_id, length, start, zone, index, members) or kind not in _KINDS:
        return None
    assert rotation_id and length and start and zone and members is not None and index is not None
    assert isinstance(kind, str)
    if rotation_id in reading.rotations:
        fields.fail((*path, "id"), "repeats the id of an earlier rotation")
        return None
    start = start.replace(second=0, microsecond=0)  # GoAlert truncates to the minute
    turn = turn_of(kind, length, start, zone)
    if turn.every > MAX_EVERY:
        fields.fail(
            (*path, "shiftLength"),
            f"a {kind} turn of {length} makes {turn.every} hand-offs of the engine's "
            f"{turn.period}ly form; the engine allows at most {MAX_EVERY}",
        )
        return None
    label = f"rotation {name} ({rotation_id})"
    if not members:
        reading.notes.append(f"{label} has no users: nobody is on call from it")
        reading.empty_rotations.add(rotation_id)
        return None
    members = _aligned(reading, label, members, index, next_hand_off, (kind, length, start, zone))
    reading.notes.extend(f"{label}: {text}" for text in differences(kind, length, start, zone))
    return Rotation(
        id=rotation_id,
        name=name,
        members=members,
        start=start,
        time_zone=zone,
        period=turn.period,
        hand_offs=turn.hand_offs,
        every=turn.every,
    )


def _user_ids(
    reading: Reading, rotation: Mapping[str, object], path: FieldPath
) -> tuple[str, ...] | None:
    fields = reading.fields
    ids: list[str] = []
    ok = True
    for position, value in enumerate(fields.items(rotation, "userIDs", path)):
        if not isinstance(value, str) or value not in reading.people:
            fields.fail((*path, "userIDs", position), "names no user of the document")
            ok = False
            continue
        ids.append(value)
    return tuple(ids) if ok else None


def _active_index(
    fields: Fields, rotation: Mapping[str, object], path: FieldPath, count: int
) -> int | None:
    if rotation.get("activeUserIndex") is None:
        return 0
    return fields.integer(rotation, "activeUserIndex", path, 0, max(count - 1, 0))


def _next_hand_off(
    fields: Fields, rotation: Mapping[str, object], path: FieldPath
) -> dt.datetime | None:
    times = fields.items(rotation, "nextHandoffTimes", path)
    if not times:
        return None
    return fields.instant_at(times[0], (*path, "nextHandoffTimes", 0))


def _aligned(
    reading: Reading,
    label: str,
    members: tuple[str, ...],
    index: int,
    next_hand_off: dt.datetime | None,
    turn: tuple[str, int, dt.datetime, str],
) -> tuple[str, ...]:
    """``members`` turned so that the engine's rule puts the user at ``activeUserIndex`` on
    call in the shift that ends at ``nextHandoffTimes[0]`` (setting ``rotation-state``)."""
    if reading.settings["rotation-state"] == "start":
        return members
    if next_hand_off is None:
        if index != 0:
            reading.notes.append(
                f"{label}: activeUserIndex {index} without nextHandoffTimes: the turn order is "
                "read from the start (give nextHandoffTimes(num: 1) to place it)"
            )
        return members
    kind, length, start, zone = turn
    current = shift_number(kind, length, start, next_hand_off, zone)
    if current < 0:
        reading.notes.append(
            f"{label}: its start lies after its next hand-off; GoAlert has users on call before "
            "the start, the engine nobody"
        )
    shift = (index - current) % len(members)
    return members[shift:] + members[:shift]
