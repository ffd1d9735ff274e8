"""Reading PagerDuty schedules: layers as rotations (top layer last), restrictions as windows,
and each schedule's overrides."""

from __future__ import annotations

import datetime as dt

from engine.oncall.zones import load_zone
from engine.policy.model import Override, Rotation, Schedule, Window
from engine.scenario.paths import FieldPath
from engine.vendors.fields import Record
from engine.vendors.handles import object_handles
from engine.vendors.pagerduty_state import ReadState
from engine.vendors.pagerduty_turns import DAY, WEEK, turns_of

__all__ = ["ScheduleReader"]

_LAYERS_HINT = " (export schedules with include[]=schedule_layers)"


class ScheduleReader(ReadState):
    """Reads ``schedules`` and ``overrides``."""

    def schedules(self, root: Record) -> tuple[tuple[Schedule, ...], tuple[Rotation, ...]]:
        found: list[tuple[Schedule, list[Rotation]]] = []
        for path, item in self.fields.items(root, "schedules", (), required=False):
            schedule = self.fields.record(item, path, "a schedule")
            if schedule is not None:
                read = self._schedule(schedule, path)
                if read is not None:
                    found.append(read)
        handles = object_handles([(s.name, s.id) for s, _ in found])
        schedules = tuple(
            Schedule(s.id, handle, s.name, s.rotations, True, s.overrides, s.time_zone)
            for (s, _), handle in zip(found, handles, strict=True)
        )
        return schedules, tuple(r for _, rotations in found for r in rotations)

    def _schedule(
        self, schedule: Record, path: FieldPath
    ) -> tuple[Schedule, list[Rotation]] | None:
        ident = self.fields.text(schedule, "id", path)
        name = self.fields.text(schedule, "name", path, required=False) or ident or ""
        zone_name = self.fields.zone(schedule, "time_zone", path)
        if ident is not None:
            if ident in self.schedule_ids:
                self.fields.fail((*path, "id"), "repeats the id of an earlier schedule")
            self.schedule_ids.add(ident)
        if "schedule_layers" not in schedule:
            self.fields.fail(
                (*path, "schedule_layers"), f"is missing{_LAYERS_HINT}", with_value=False
            )
        listed = self.fields.items(schedule, "schedule_layers", path, required=False)
        if self.settings["layer_order"] == "api":
            listed.reverse()  # GET lists the top layer (the one that wins) first
        rotations: list[Rotation] = []
        for number, (where, item) in enumerate(listed, start=1):
            layer = self.fields.record(item, where, "a schedule layer")
            if layer is not None:
                rotation = self._layer(layer, where, number, (ident or "?", name), zone_name)
                if rotation is not None:
                    rotations.append(rotation)
        if ident is None or zone_name is None:
            return None
        ids = tuple(r.id for r in rotations)
        return Schedule(ident, "", name, ids, True, (), zone_name), rotations

    def _layer(
        self,
        layer: Record,
        path: FieldPath,
        number: int,
        schedule: tuple[str, str],
        zone_name: str | None,
    ) -> Rotation | None:
        """The layer as a rotation (checked in full even when its schedule's zone is bad)."""
        fields = self.fields
        ident = fields.text(layer, "id", path, required=False) or f"{schedule[0]}-layer{number}"
        name = fields.text(layer, "name", path, required=False) or f"Layer {number}"
        start = fields.instant(layer, "start", path)
        end = fields.instant(layer, "end", path, required=False)
        virtual = fields.instant(layer, "rotation_virtual_start", path)
        length = fields.integer(layer, "rotation_turn_length_seconds", path, low=60, high=366 * DAY)
        if length is not None and length % 60:
            fields.fail(
                (*path, "rotation_turn_length_seconds"), "must be a whole number of minutes"
            )
            length = None
        members = []
        listed = fields.items(layer, "users", path)
        if isinstance(layer.get("users"), list) and not listed:
            fields.fail((*path, "users"), "must name at least one user", with_value=False)
        for where, item in listed:
            member = self.reference(item, where, "user", self.user_ids, "user")
            if member is not None:
                members.append(member)
        good, windows = self._restrictions(layer, path)
        if start is not None and end is not None and end < start:
            fields.fail((*path, "end"), "must not be before the layer's start")
        if start is None or virtual is None or length is None or not good or zone_name is None:
            return None
        if len(members) != len(listed) or not members:
            return None
        what = f"schedule {schedule[0]} ({schedule[1]}) layer {ident} ({name})"
        zone_used = zone_name
        zone = load_zone(zone_name)
        if length % DAY:
            if self.settings["turn_clock"] == "elapsed":
                zone_used = "UTC"
                windows = self._to_utc(windows, zone, start, what)
            elif _has_dst(zone, start):
                self.notes.append(
                    f"{what}: turns of {length // 60} minutes are read on the wall clock of "
                    f"{zone_name}; counted in elapsed seconds they would hand off an hour "
                    "earlier or later after a DST change (setting turn_clock=elapsed)"
                )
        turns = turns_of(length, virtual, start, load_zone(zone_used))
        if isinstance(turns, str):
            fields.fail((*path, "rotation_turn_length_seconds"), f"cannot be read: {turns}")
            return None
        if turns.moved:
            self.notes.append(
                f"{what}: starts at {start.isoformat()} in the middle of a turn; read as starting "
                f"at that turn's hand-off {turns.start.isoformat()} (the engine counts turns from "
                "a rotation's start)"
            )
        shift = turns.first % len(members)
        order = tuple(members[shift:] + members[:shift])
        return Rotation(
            ident,
            name,
            order,
            turns.start,
            zone_used,
            turns.period,
            turns.hand_offs,
            turns.every,
            1,
            windows or None,
            (),
            end,
        )

    def _restrictions(
        self, layer: Record, path: FieldPath
    ) -> tuple[bool, tuple[Window, ...] | None]:
        """Whether the layer's restrictions are good, and they as windows (None: none)."""
        fields = self.fields
        listed = fields.items(layer, "restrictions", path, required=False)
        windows: list[Window] = []
        bad = False
        for where, item in listed:
            restriction = fields.record(item, where, "a restriction")
            if restriction is None:
                bad = True
                continue
            kind = fields.choice(
                restriction, "type", where, ("daily_restriction", "weekly_restriction"), None
            )
            start = fields.time_of_day(restriction, "start_time_of_day", where)
            longest = WEEK if kind == "weekly_restriction" else DAY
            seconds = fields.integer(restriction, "duration_seconds", where, low=60, high=longest)
            if seconds is not None and seconds % 60:
                fields.fail((*where, "duration_seconds"), "must be a whole number of minutes")
                seconds = None
            weekday = None
            if kind == "weekly_restriction":
                day = fields.integer(restriction, "start_day_of_week", where, low=1, high=7)
                weekday = None if day is None else day - 1
                if day is None:
                    bad = True
            if kind is None or start is None or seconds is None:
                bad = True
                continue
            windows.append(Window(start, seconds // 60, weekday))
        return not bad, tuple(windows) if windows else None

    def _to_utc(
        self, windows: tuple[Window, ...] | None, zone: dt.tzinfo, start: dt.datetime, what: str
    ) -> tuple[Window, ...] | None:
        """Restrictions moved to UTC at the zone's offset at the layer's start (turn_clock
        elapsed reads the layer's turns in UTC, and a rotation has one zone)."""
        if windows is None:
            return None
        offset = start.astimezone(zone).utcoffset() or dt.timedelta()
        minutes = int(offset.total_seconds()) // 60
        if _has_dst(zone, start):
            self.notes.append(
                f"{what}: turns counted in elapsed seconds (turn_clock=elapsed); its restrictions "
                f"are read in UTC at the offset of {start.date().isoformat()}, so they are an "
                "hour off for part of the year"
            )
        moved = []
        for window in windows:
            local = (window.weekday or 0) * 1440 + window.start.hour * 60 + window.start.minute
            utc = (local - minutes) % (7 * 1440 if window.weekday is not None else 1440)
            weekday = utc // 1440 if window.weekday is not None else None
            clock = dt.time(utc % 1440 // 60, utc % 60)
            moved.append(Window(clock, window.minutes, weekday))
        return tuple(moved)

    def overrides(self, root: Record, schedules: tuple[Schedule, ...]) -> tuple[Schedule, ...]:
        given = root.get("overrides")
        if given is None:
            return schedules
        table = self.fields.record(given, ("overrides",), "a mapping of schedule ids to lists")
        if table is None:
            return schedules
        by_schedule: dict[str, list[Override]] = {}
        for key in table:
            if key not in self.schedule_ids:
                self.fields.fail(("overrides", key), "names no schedule of the document")
                continue
            for where, item in self.fields.items(table, key, ("overrides",)):
                override = self._override(item, where)
                if override is not None:
                    by_schedule.setdefault(key, []).append(override)
        return tuple(
            Schedule(
                s.id,
                s.handle,
                s.name,
                s.rotations,
                s.layered,
                tuple(by_schedule.get(s.id, ())),
                s.time_zone,
            )
            for s in schedules
        )

    def _override(self, item: object, path: FieldPath) -> Override | None:
        override = self.fields.record(item, path, "an override")
        if override is None:
            return None
        ident = self.fields.text(override, "id", path, required=False) or ""
        start = self.fields.instant(override, "start", path)
        end = self.fields.instant(override, "end", path)
        user = None
        if "user" not in override:
            self.fields.fail((*path, "user"), "is missing", with_value=False)
        else:
            user = self.reference(override["user"], (*path, "user"), None, self.user_ids, "user")
        if start is not None and end is not None and end <= start:
            self.fields.fail((*path, "end"), "must be after the override's start")
            return None
        if start is None or end is None or user is None:
            return None
        return Override(start, end, (user,), "replace", None, ident)


def _has_dst(zone: dt.tzinfo, near: dt.datetime) -> bool:
    """Whether ``zone`` changes its UTC offset during the year of ``near``."""
    year = near.year
    winter = dt.datetime(year, 1, 1, tzinfo=dt.UTC).astimezone(zone).utcoffset()
    summer = dt.datetime(year, 7, 1, tzinfo=dt.UTC).astimezone(zone).utcoffset()
    return winter != summer
