"""Reading a PagerDuty export (REST API v2 objects) into the neutral :class:`OnCallSetup`.

The document and every mapping are described in docs/vendors/pagerduty.md. Every problem is
collected and raised together as one ScenarioError naming the place and the value; nothing in a
bad document raises anything else.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from engine.oncall.zones import load_zone
from engine.policy.model import (
    Method,
    NotifyRule,
    OnCallSetup,
    Override,
    Person,
    Policy,
    Rotation,
    Schedule,
    Step,
    Target,
    Window,
)
from engine.scenario.errors import Problem, ScenarioError
from engine.scenario.paths import FieldPath
from engine.scenario.yamlsource import Source
from engine.vendors.fields import Fields, Record
from engine.vendors.handles import object_handles, person_handles
from engine.vendors.pagerduty_shapes import (
    KIND_OF_METHOD,
    ROUND_ROBIN,
    SCHEDULE_TARGETS,
    SETTINGS,
    STRATEGIES,
    TOP_KEYS,
    USER_TARGETS,
)
from engine.vendors.pagerduty_turns import DAY, WEEK, turns_of
from engine.vendors.phones import join_phone

__all__ = ["read", "resolve_settings"]

#: Keys of a list response that may be left in a gathered document and mean nothing here.
_PAGING = ("limit", "offset", "more", "total")
_USERS_HINT = " (export users with include[]=contact_methods and include[]=notification_rules)"
_LAYERS_HINT = " (export schedules with include[]=schedule_layers)"


def resolve_settings(file: str, given: Mapping[str, str]) -> dict[str, str]:
    """Every setting's value: ``given`` over the defaults; a ScenarioError naming an unknown
    setting or a bad value, with the allowed values."""
    problems = []
    for name, value in given.items():
        if name not in SETTINGS:
            known = ", ".join(SETTINGS)
            problems.append(
                Problem((), f"unknown PagerDuty setting {name!r}; the settings are {known}")
            )
        elif value not in SETTINGS[name][1]:
            allowed = ", ".join(SETTINGS[name][1])
            message = f"PagerDuty setting {name} must be one of {allowed}"
            problems.append(Problem((), message, None, value))
    if problems:
        raise ScenarioError(file, problems, settings=True)
    return {name: given.get(name, default) for name, (default, _) in SETTINGS.items()}


class _Reader:
    """One pass over the document, gathering the neutral objects, notes and problems."""

    def __init__(self, source: Source, settings: dict[str, str]) -> None:
        self.fields = Fields(source)
        self.settings = settings
        self.notes: list[str] = []
        self.user_ids: set[str] = set()
        self.schedule_ids: set[str] = set()

    # -- users ------------------------------------------------------------------------------

    def users(self, root: Record) -> tuple[Person, ...]:
        found: list[tuple[Person, str | None]] = []
        for path, item in self.fields.items(root, "users", (), required=False):
            user = self.fields.record(item, path, "a user")
            if user is None:
                continue
            person = self._user(user, path)
            if person is not None:
                found.append((person, self.fields.text(user, "email", path, required=False)))
        handles = person_handles([(email, p.name, p.id) for p, email in found])
        return tuple(
            Person(p.id, handle, p.name, p.methods, p.rules, None, p.time_zone)
            for (p, _), handle in zip(found, handles, strict=True)
        )

    def _user(self, user: Record, path: FieldPath) -> Person | None:
        ident = self.fields.text(user, "id", path)
        name = self.fields.text(user, "name", path)
        zone = self.fields.zone(user, "time_zone", path, required=False)
        if ident is not None:
            if ident in self.user_ids:
                self.fields.fail((*path, "id"), "repeats the id of an earlier user")
            self.user_ids.add(ident)
        methods: list[Method] = []
        for where, item in self.fields.items(user, "contact_methods", path, required=False):
            method = self._method(item, where, f"user {ident} ({name})")
            if method is not None:
                methods.append(method)
        known = {m.id for m in methods}
        rules = []
        hint = "" if "contact_methods" in user else _USERS_HINT
        for where, item in self.fields.items(user, "notification_rules", path, required=False):
            rule = self._rule(item, where, known, hint)
            if rule is not None:
                rules.append(rule)
        if ident is None or name is None:
            return None
        return Person(ident, "", name, tuple(methods), tuple(rules), None, zone)

    def _method(self, item: object, path: FieldPath, owner: str) -> Method | None:
        method = self.fields.record(item, path, "a contact method")
        if method is None:
            return None
        ident = self.fields.text(method, "id", path)
        kind_name = self.fields.choice(method, "type", path, tuple(KIND_OF_METHOD), None)
        address = self.fields.text(method, "address", path, hint=_USERS_HINT)
        label = method.get("label")
        if label is not None and not isinstance(label, str):
            self.fields.fail((*path, "label"), "must be a string")
        code: int | None = 0  # none: only phone and SMS methods have a country code
        if kind_name in ("phone_contact_method", "sms_contact_method"):
            code = self.fields.integer(method, "country_code", path, low=1, high=1999, default=0)
        flags = {}
        for flag in ("enabled", "blacklisted"):
            value = method.get(flag)
            if value is not None and not isinstance(value, bool):
                self.fields.fail((*path, flag), "must be true or false")
            flags[flag] = value
        if ident is None or kind_name is None or address is None or code is None:
            return None
        kind = KIND_OF_METHOD[kind_name]
        if kind in ("PUSH", "CHAT"):
            self.notes.append(
                f"{owner}: {kind_name} {ident} is kept but not paged (the engine pages SMS, "
                "VOICE and EMAIL)"
            )
        active = flags["enabled"] is not False and flags["blacklisted"] is not True
        full = join_phone(code or None, address)
        return Method(ident, kind, full, label if isinstance(label, str) else "", active)

    def _rule(
        self, item: object, path: FieldPath, methods: set[str], hint: str
    ) -> NotifyRule | None:
        rule = self.fields.record(item, path, "a notification rule")
        if rule is None:
            return None
        kind = rule.get("type")
        if kind is not None and kind != "assignment_notification_rule":
            self.fields.fail((*path, "type"), "must be assignment_notification_rule")
        delay = self.fields.integer(rule, "start_delay_in_minutes", path, low=0, hint=_USERS_HINT)
        urgency = self.fields.choice(rule, "urgency", path, ("high", "low"), None)
        target = rule.get("contact_method")
        method = None
        if target is None:
            self.fields.fail((*path, "contact_method"), "is missing", with_value=False)
        else:
            reference = self.fields.record(target, (*path, "contact_method"), "a reference")
            if reference is not None:
                method = self.fields.text(reference, "id", (*path, "contact_method"))
                if method is not None and method not in methods:
                    self.fields.fail(
                        (*path, "contact_method", "id"),
                        f"names no contact method of this user{hint}",
                    )
                    method = None
        if delay is None or urgency is None or method is None:
            return None
        return NotifyRule(method, delay, urgency)

    # -- schedules --------------------------------------------------------------------------

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
            member = self._reference(item, where, "user", self.user_ids, "user")
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
            user = self._reference(override["user"], (*path, "user"), None, self.user_ids, "user")
        if start is not None and end is not None and end <= start:
            self.fields.fail((*path, "end"), "must be after the override's start")
            return None
        if start is None or end is None or user is None:
            return None
        return Override(start, end, (user,), "replace", None, ident)

    def _reference(
        self, item: object, path: FieldPath, key: str | None, known: set[str], what: str
    ) -> str | None:
        """The id in ``item`` (or ``item[key]``), which must name a known ``what``."""
        outer = self.fields.record(item, path, f"a {what} reference")
        if outer is None:
            return None
        holder, where = outer, path
        if key is not None:
            inner = outer.get(key)
            where = (*path, key)
            if inner is None:
                self.fields.fail(where, "is missing", with_value=False)
                return None
            found = self.fields.record(inner, where, f"a {what} reference")
            if found is None:
                return None
            holder = found
        ident = self.fields.text(holder, "id", where)
        if ident is not None and ident not in known:
            self.fields.fail((*where, "id"), f"names no {what} of the document")
            return None
        return ident

    # -- escalation policies -----------------------------------------------------------------

    def policies(self, root: Record) -> tuple[Policy, ...]:
        found: list[Policy] = []
        seen: set[str] = set()
        for path, item in self.fields.items(root, "escalation_policies", (), required=False):
            policy = self.fields.record(item, path, "an escalation policy")
            if policy is None:
                continue
            read = self._policy(policy, path)
            if read is not None:
                if read.id in seen:
                    self.fields.fail((*path, "id"), "repeats the id of an earlier policy")
                seen.add(read.id)
                found.append(read)
        handles = object_handles([(p.name, p.id) for p in found])
        return tuple(
            Policy(p.id, handle, p.name, p.steps, p.repeat, 0)
            for p, handle in zip(found, handles, strict=True)
        )

    def _policy(self, policy: Record, path: FieldPath) -> Policy | None:
        ident = self.fields.text(policy, "id", path)
        name = self.fields.text(policy, "name", path)
        loops = self.fields.integer(policy, "num_loops", path, low=0, default=0)
        rules = self.fields.items(policy, "escalation_rules", path)
        if (
            "escalation_rules" in policy
            and not rules
            and isinstance(policy.get("escalation_rules"), list)
        ):
            self.fields.fail(
                (*path, "escalation_rules"), "must hold at least one rule", with_value=False
            )
        steps = []
        for number, (where, item) in enumerate(rules, start=1):
            rule = self.fields.record(item, where, "an escalation rule")
            if rule is not None:
                step = self._step(rule, where, f"escalation policy {ident} ({name}) rule {number}")
                if step is not None:
                    steps.append(step)
        if ident is None or name is None or loops is None or len(steps) != len(rules):
            return None
        if self.settings["urgency"] == "low" and (len(steps) > 1 or loops):
            # The service settings page: "Low-urgency incidents will not escalate."
            self.notes.append(
                f"escalation policy {ident} ({name}): low-urgency incidents do not escalate "
                f"(setting urgency=low): read as its first rule only, without its {loops} loops "
                f"and {len(steps) - 1} later rules"
            )
            steps, loops = steps[:1], 0
        return Policy(ident, "", name, tuple(steps), loops, 0)

    def _step(self, rule: Record, path: FieldPath, what: str) -> Step | None:
        delay = self.fields.integer(rule, "escalation_delay_in_minutes", path, low=1)
        strategy = self._strategy(rule.get("escalation_rule_assignment_strategy"), path)
        listed = self.fields.items(rule, "targets", path)
        if isinstance(rule.get("targets"), list) and not 1 <= len(listed) <= 10:
            self.fields.fail((*path, "targets"), "must hold 1 to 10 targets", with_value=False)
        targets = []
        for where, item in listed:
            target = self._target(item, where)
            if target is not None:
                targets.append(target)
        if delay is None or strategy is None or len(targets) != len(listed) or not targets:
            return None
        if strategy == ROUND_ROBIN:
            self.notes.append(
                f"{what}: assigns round robin (one target per incident, in turn); kept as the "
                "step's round_robin"
            )
        return Step(delay, tuple(targets), strategy == ROUND_ROBIN)

    def _strategy(self, value: object, path: FieldPath) -> str | None:
        """The assignment strategy, as the API returns it (``{"type": ...}``) or as its schema
        and example also spell it (a bare string, a one-item list)."""
        where = (*path, "escalation_rule_assignment_strategy")
        if value is None:
            return "assign_to_everyone"
        if isinstance(value, list) and len(value) == 1:
            value = value[0]
        if isinstance(value, Mapping):
            value = value.get("type")
        if value not in STRATEGIES:
            self.fields.fail(where, f"must name a type of {' or '.join(STRATEGIES)}")
            return None
        assert isinstance(value, str)
        return value

    def _target(self, item: object, path: FieldPath) -> Target | None:
        target = self.fields.record(item, path, "a target")
        if target is None:
            return None
        kind = target.get("type")
        if kind == "schedule_v3_reference":
            self.fields.fail(
                (*path, "type"), "names a flexible (v3) schedule, which escsim does not read"
            )
            return None
        allowed = USER_TARGETS + SCHEDULE_TARGETS
        if kind not in allowed:
            self.fields.fail((*path, "type"), f"must be one of {', '.join(allowed)}")
            return None
        is_user = kind in USER_TARGETS
        known = self.user_ids if is_user else self.schedule_ids
        ident = self._reference(target, path, None, known, "user" if is_user else "schedule")
        if ident is None:
            return None
        return Target("person" if is_user else "schedule", ident)


def _has_dst(zone: dt.tzinfo, near: dt.datetime) -> bool:
    """Whether ``zone`` changes its UTC offset during the year of ``near``."""
    year = near.year
    winter = dt.datetime(year, 1, 1, tzinfo=dt.UTC).astimezone(zone).utcoffset()
    summer = dt.datetime(year, 7, 1, tzinfo=dt.UTC).astimezone(zone).utcoffset()
    return winter != summer


def read(source: Source, settings: Mapping[str, str]) -> OnCallSetup:
    """The PagerDuty export in ``source`` as an OnCallSetup, read under ``settings``."""
    chosen = resolve_settings(source.file, settings)
    reader = _Reader(source, chosen)
    root = reader.fields.record(source.data, (), "a PagerDuty export")
    if root is None:
        reader.fields.raise_if_any()
        raise AssertionError("unreachable: a problem was recorded")
    for key in root:
        if key not in TOP_KEYS and key not in _PAGING:
            reader.fields.fail(
                (key,), f"is not a key of a PagerDuty export ({', '.join(TOP_KEYS)})"
            )
    people = reader.users(root)
    schedules, rotations = reader.schedules(root)
    schedules = reader.overrides(root, schedules)
    policies = reader.policies(root)
    reader.fields.raise_if_any()
    return OnCallSetup(
        "pagerduty", people, policies, rotations, schedules, dict(chosen), tuple(reader.notes)
    )
