"""A rotation's timing in a template: ``StartTime``, ``Recurrence`` and its ``ShiftCoverages``.

The template writes hand-off and coverage times as ``"HH:MM"``, ``StartTime`` as a wall-clock
``yyyy-MM-ddTHH:mm:ss`` without an offset (read in the rotation's ``TimeZoneId``), and shift
coverages as a list of ``{DayOfWeek, CoverageTimes}``; the API holds hours and minutes, an
instant, and a mapping of day to windows.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from typing import Any

from engine.oncall import UnknownTimeZone, load_zone
from engine.oncall.zones import wall_to_utc
from engine.scenario.organisation import PathMap
from engine.scenario.paths import FieldPath
from engine.sources import cfn_values as check
from engine.sources.intrinsics import Unresolved

__all__ = ["coverages", "recurrence", "start_time"]

_HAND_OFF = re.compile(r"^([01]?[0-9]|2[0-3]):([0-5][0-9])$")
_START = "%Y-%m-%dT%H:%M:%S"


def _hand_off(value: Any, at: FieldPath) -> dict[str, int]:
    text = check.text(value, at)
    match = _HAND_OFF.match(text)
    if match is None:
        raise Unresolved(at, f"must be a time of day HH:MM (got {text!r})")
    return {"HourOfDay": int(match.group(1)), "MinuteOfHour": int(match.group(2))}


def start_time(value: Any, zone_id: str, at: FieldPath) -> dt.datetime:
    """``yyyy-MM-ddTHH:mm:ss`` read as a wall-clock time in the rotation's zone (UTC when
    the zone is unknown: the importer then refuses the zone itself)."""
    if isinstance(value, dt.datetime):  # YAML reads an unquoted timestamp itself
        wall = value.replace(tzinfo=None) if value.tzinfo is None else value
    else:
        text = check.text(value, at)
        try:
            wall = dt.datetime.strptime(text, _START)
        except ValueError:
            raise Unresolved(
                at, f"must be a date and time yyyy-MM-ddTHH:mm:ss (got {text!r})"
            ) from None
    if wall.tzinfo is not None:
        return wall.astimezone(dt.UTC)
    try:
        zone = load_zone(zone_id)
    except UnknownTimeZone:
        return wall.replace(tzinfo=dt.UTC)
    return wall_to_utc(wall, zone)


def recurrence(
    settings: Mapping[str, Any], at: FieldPath, compiled: FieldPath, paths: PathMap
) -> dict[str, object]:
    """A rotation's ``Recurrence`` as the API holds it, recording where each field came from."""
    allowed = (
        "NumberOfOnCalls",
        "RecurrenceMultiplier",
        "DailySettings",
        "WeeklySettings",
        "MonthlySettings",
        "ShiftCoverages",
    )
    check.check_keys(settings, allowed, at)
    out: dict[str, object] = {
        "NumberOfOnCalls": check.integer(
            check.required(settings, "NumberOfOnCalls", at), (*at, "NumberOfOnCalls")
        ),
        "RecurrenceMultiplier": check.integer(
            check.required(settings, "RecurrenceMultiplier", at), (*at, "RecurrenceMultiplier")
        ),
    }
    if "DailySettings" in settings:
        daily_at = (*at, "DailySettings")
        out["DailySettings"] = [
            _hand_off(v, (*daily_at, n))
            for n, v in enumerate(check.items(settings["DailySettings"], daily_at))
        ]
    for key, day_key in (("WeeklySettings", "DayOfWeek"), ("MonthlySettings", "DayOfMonth")):
        if key not in settings:
            continue
        listed: list[object] = []
        for n, item in enumerate(check.items(settings[key], (*at, key))):
            item_at = (*at, key, n)
            item = check.mapping(item, item_at)
            check.check_keys(item, (day_key, "HandOffTime"), item_at)
            day_value = check.required(item, day_key, item_at)
            day: object = (
                check.integer(day_value, (*item_at, day_key))
                if day_key == "DayOfMonth"
                else check.text(day_value, (*item_at, day_key))
            )
            hand_off = _hand_off(
                check.required(item, "HandOffTime", item_at), (*item_at, "HandOffTime")
            )
            listed.append({day_key: day, "HandOffTime": hand_off})
        out[key] = listed
    if "ShiftCoverages" in settings:
        out["ShiftCoverages"] = coverages(
            settings["ShiftCoverages"],
            (*at, "ShiftCoverages"),
            (*compiled, "ShiftCoverages"),
            paths,
        )
    return out


def coverages(value: Any, at: FieldPath, compiled: FieldPath, paths: PathMap) -> dict[str, object]:
    """The template's list of ``{DayOfWeek, CoverageTimes}`` as the API's day -> windows."""
    by_day: dict[str, list[dict[str, object]]] = {}
    for n, item in enumerate(check.items(value, at)):
        item_at = (*at, n)
        item = check.mapping(item, item_at)
        check.check_keys(item, ("DayOfWeek", "CoverageTimes"), item_at)
        day = check.text(check.required(item, "DayOfWeek", item_at), (*item_at, "DayOfWeek"))
        if day in by_day:
            raise Unresolved((*item_at, "DayOfWeek"), f"{day} is listed twice")
        paths.add((*compiled, day), item_at)
        windows: list[dict[str, object]] = []
        times_at = (*item_at, "CoverageTimes")
        times = check.items(check.required(item, "CoverageTimes", item_at), times_at)
        for k, window in enumerate(times):
            window_at = (*times_at, k)
            window = check.mapping(window, window_at)
            check.check_keys(window, ("StartTime", "EndTime"), window_at)
            paths.add((*compiled, day, k), window_at, Start="StartTime", End="EndTime")
            windows.append(
                {
                    "Start": _hand_off(
                        check.required(window, "StartTime", window_at),
                        (*window_at, "StartTime"),
                    ),
                    "End": _hand_off(
                        check.required(window, "EndTime", window_at), (*window_at, "EndTime")
                    ),
                }
            )
        by_day[day] = windows
    return dict(by_day)
