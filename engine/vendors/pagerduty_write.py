"""Writing a neutral :class:`OnCallSetup` as a PagerDuty export (the document ``read`` takes).

Reading the written document back gives the same setup for a setup read from PagerDuty. For a
setup from another product, each construct PagerDuty cannot hold is written as the nearest thing
it can, and one line says what it became: a schedule whose rotations add up, or a rotation with
several people on call at once, becomes several schedules (PagerDuty puts one person on call per
schedule); an acknowledgement that does not stop the policy, a wait between passes, a rule
without urgency, and so on.
"""

from __future__ import annotations

import datetime as dt
import math

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
    Window,
)
from engine.vendors.handles import person_handle_base
from engine.vendors.pagerduty_shapes import METHOD_OF_KIND, ROUND_ROBIN
from engine.vendors.pagerduty_turns import layer_timing
from engine.vendors.phones import split_phone

__all__ = ["write"]

Json = dict[str, object]
_MAX_TARGETS = 10


def _instant(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")


def _email(person: Person) -> str:
    """The login e-mail: an EMAIL method whose local part gives the handle, else
    ``<handle>@<domain of the first EMAIL method, or example.com>``."""
    emails = [m.address for m in person.methods if m.kind == "EMAIL" and "@" in m.address]
    for address in emails:
        if person_handle_base(address, "") == person.handle:
            return address
    domain = emails[0].rsplit("@", 1)[1] if emails else "example.com"
    return f"{person.handle}@{domain}"


class _Writer:
    def __init__(self, setup: OnCallSetup) -> None:
        self.setup = setup
        self.lines: list[str] = []
        self.rotations = {r.id: r for r in setup.rotations}
        #: A neutral schedule id -> the PagerDuty schedules written for it.
        self.parts: dict[str, list[str]] = {}
        self.overrides: dict[str, list[Json]] = {}

    # -- users ------------------------------------------------------------------------------

    def user(self, person: Person) -> Json:
        who = f"person {person.handle}"
        methods: list[Json] = []
        written: dict[str, str] = {}
        for method in person.methods:
            entry = self._method(method, who)
            if entry is not None:
                methods.append(entry)
                written[method.id] = str(entry["type"])
        rules: list[Json] = []
        any_urgency = False
        for rule in person.rules:
            kind = written.get(rule.method)
            if kind is None:
                continue
            if rule.retry is not None:
                self.lines.append(
                    f"{who}: a rule retries every {rule.retry} minutes; PagerDuty rules do not "
                    "retry: written without the retry"
                )
            urgencies = (rule.urgency,) if rule.urgency in ("high", "low") else ("high", "low")
            any_urgency = any_urgency or len(urgencies) == 2
            rules.extend(
                self._rule(person, rule, kind, u, len(rules) + n) for n, u in enumerate(urgencies)
            )
        if any_urgency:
            self.lines.append(
                f"{who}: rules without urgency written as both a high- and a low-urgency rule"
            )
        if person.span is not None:
            self.lines.append(
                f"{who}: personal rules run {person.span} minutes after the last one; PagerDuty "
                "has no such span: written without it"
            )
        user: Json = {
            "id": person.id,
            "type": "user",
            "name": person.name or person.handle,
            "email": _email(person),
        }
        if person.time_zone:
            user["time_zone"] = person.time_zone
        user["contact_methods"] = methods
        user["notification_rules"] = rules
        return user

    def _method(self, method: Method, who: str) -> Json | None:
        kind = METHOD_OF_KIND.get(method.kind)
        if kind is None or (method.kind == "CHAT" and self.setup.product != "pagerduty"):
            self.lines.append(
                f"{who}: {method.kind} method {method.id} has no PagerDuty contact method type: "
                "left out, with the rules that use it"
            )
            return None
        entry: Json = {"id": method.id, "type": kind, "label": method.name}
        if method.kind in ("SMS", "VOICE"):
            split = split_phone(method.address)
            if split is None:
                self.lines.append(
                    f"{who}: {method.kind} method {method.id} is not an E.164 number: written "
                    "without a country_code"
                )
                entry["address"] = method.address
            else:
                entry["country_code"], entry["address"] = split
        else:
            entry["address"] = method.address
        if not method.active:
            entry["enabled" if method.kind == "EMAIL" else "blacklisted"] = method.kind != "EMAIL"
        return entry

    @staticmethod
    def _rule(person: Person, rule: NotifyRule, kind: str, urgency: str, number: int) -> Json:
        return {
            "id": f"{person.id}-R{number + 1}",
            "type": "assignment_notification_rule",
            "start_delay_in_minutes": rule.delay,
            "contact_method": {"id": rule.method, "type": f"{kind}_reference"},
            "urgency": urgency,
        }

    # -- schedules --------------------------------------------------------------------------

    def schedules(self) -> list[Json]:
        out: list[Json] = []
        for schedule in self.setup.schedules:
            rotations = [self.rotations[r] for r in schedule.rotations if r in self.rotations]
            slots = [(r, j) for r in rotations for j in range(min(r.on_call, len(r.members)))]
            if schedule.layered:
                for rotation in rotations:
                    if rotation.on_call > 1:
                        self.lines.append(
                            f"schedule {schedule.handle}: layer {rotation.name} has "
                            f"{rotation.on_call} people on call; a PagerDuty layer holds one: "
                            "written with the first"
                        )
                groups = [[(r, 0) for r in rotations]]
            elif len(slots) <= 1:
                groups = [slots]
            else:
                self.lines.append(
                    f"schedule {schedule.handle}: {len(slots)} people on call at once (its "
                    "rotations add up); a PagerDuty schedule has one: written as "
                    f"{len(slots)} schedules, each step targeting all of them"
                )
                groups = [[slot] for slot in slots]
            ids = []
            for number, group in enumerate(groups, start=1):
                ident = schedule.id if number == 1 else f"{schedule.id}-{number}"
                name = schedule.name or schedule.handle
                if len(groups) > 1:
                    name = f"{name} ({number})"
                ids.append(ident)
                out.append(self._schedule(schedule, ident, name, group))
                self._schedule_overrides(schedule, ident, number - 1, len(groups))
            self.parts[schedule.id] = ids
        return out

    def _schedule(
        self, schedule: Schedule, ident: str, name: str, group: list[tuple[Rotation, int]]
    ) -> Json:
        zones = {r.time_zone for r, _ in group}
        zone = schedule.time_zone or (next(iter(zones)) if len(zones) == 1 else "UTC")
        layers: list[Json] = []
        for rotation, slot in group:
            layer = self._layer(schedule, rotation, slot, zone)
            if layer is not None:
                layers.append(layer)
            self._rotation_overrides(schedule, ident, rotation, slot)
        layers.reverse()  # GET lists the top layer, the one that wins, first
        return {
            "id": ident,
            "type": "schedule",
            "name": name,
            "time_zone": zone,
            "schedule_layers": layers,
        }

    def _layer(self, schedule: Schedule, rotation: Rotation, slot: int, zone: str) -> Json | None:
        what = f"schedule {schedule.handle} rotation {rotation.name}"
        if rotation.windows == ():
            self.lines.append(f"{what}: has no on-call window at all: left out")
            return None
        if rotation.time_zone != zone:
            self.lines.append(
                f"{what}: hands off in {rotation.time_zone} but PagerDuty layers use their "
                f"schedule's zone {zone}: written at the same instants, DST changes follow {zone}"
            )
        timing = layer_timing(rotation, load_zone(rotation.time_zone))
        if not timing.exact:
            self.lines.append(
                f"{what}: {rotation.period}ly hand-offs that are not evenly spaced; PagerDuty "
                f"turns have one length: written as turns of {timing.length // 60} minutes"
            )
        count, step = len(rotation.members), min(rotation.on_call, len(rotation.members))
        cycle = count // math.gcd(count, step)
        users = [rotation.members[(i * step + slot) % count] for i in range(cycle)]
        return {
            "id": rotation.id if slot == 0 else f"{rotation.id}-{slot + 1}",
            "name": rotation.name,
            "start": _instant(rotation.start),
            "end": None if rotation.end is None else _instant(rotation.end),
            "rotation_virtual_start": _instant(timing.virtual_start),
            "rotation_turn_length_seconds": timing.length,
            "users": [{"user": {"id": u, "type": "user_reference"}} for u in users],
            "restrictions": [self._restriction(w, what) for w in rotation.windows or ()],
        }

    def _restriction(self, window: Window, what: str) -> Json:
        longest = 1440 if window.weekday is None else 7 * 1440
        minutes = window.minutes
        if minutes > longest:
            self.lines.append(f"{what}: a window of {minutes} minutes written as {longest}")
            minutes = longest
        restriction: Json = {
            "type": "daily_restriction" if window.weekday is None else "weekly_restriction",
            "start_time_of_day": window.start.strftime("%H:%M:%S"),
            "duration_seconds": minutes * 60,
        }
        if window.weekday is not None:
            restriction["start_day_of_week"] = window.weekday + 1
        return restriction

    def _add_override(self, ident: str, override: Override, person: str) -> None:
        listed = self.overrides.setdefault(ident, [])
        listed.append(
            {
                "id": override.id or f"{ident}-O{len(listed) + 1}",
                "start": _instant(override.start),
                "end": _instant(override.end),
                "user": {"id": person, "type": "user_reference"},
            }
        )

    def _rotation_overrides(
        self, schedule: Schedule, ident: str, rotation: Rotation, slot: int
    ) -> None:
        for override in rotation.overrides:
            when = override.start.isoformat()
            what = f"schedule {schedule.handle} rotation {rotation.name}: override from {when}"
            if slot >= len(override.people):
                if slot == 0:
                    self.lines.append(
                        f"{what} names nobody; PagerDuty overrides name a user: left out"
                    )
                continue
            if rotation.windows is not None and slot == 0:
                self.lines.append(
                    f"{what}: PagerDuty overrides also apply outside the layer's restrictions"
                )
            self._add_override(ident, override, override.people[slot])

    def _schedule_overrides(self, schedule: Schedule, ident: str, slot: int, parts: int) -> None:
        for override in schedule.overrides:
            when = override.start.isoformat()
            what = f"schedule {schedule.handle}: {override.mode} override from {when}"
            if override.mode != "replace":
                if slot == 0:
                    self.lines.append(f"{what}; PagerDuty overrides only replace: left out")
                continue
            if override.replaces is not None and slot == 0:
                self.lines.append(
                    f"{what} replaces one person; PagerDuty's replaces whoever is on call"
                )
            if slot < len(override.people):
                self._add_override(ident, override, override.people[slot])
            elif slot == 0 or slot == len(override.people):
                self.lines.append(
                    f"{what} names {len(override.people)} people for {parts} schedule(s): the "
                    "schedules without one keep their own on-call person"
                )

    # -- escalation policies -----------------------------------------------------------------

    def _cut_rules(self, what: str, number: int, step: Step, delay: int) -> None:
        """List the notification rules of the step's people that PagerDuty never fires: as late
        as the step's timeout, when escalating unassigns them (docs/vendors/pagerduty.md)."""
        people = {person.id: person for person in self.setup.people}
        rotations = {rotation.id: rotation for rotation in self.setup.rotations}
        schedules = {schedule.id: schedule for schedule in self.setup.schedules}
        reached: list[str] = []
        for target in step.targets:
            if target.kind == "person" and target.id is not None:
                reached.append(target.id)
            elif target.kind == "schedule" and target.id in schedules:
                schedule = schedules[target.id]
                for rotation_id in schedule.rotations:
                    if rotation_id in rotations:
                        reached.extend(rotations[rotation_id].members)
                for override in schedule.overrides:
                    reached.extend(override.people)
        for person_id in dict.fromkeys(reached):
            person = people.get(person_id)
            if person is None:
                continue
            late = sorted({rule.delay for rule in person.rules if rule.delay >= delay})
            if late:
                minutes = ", ".join(f"+{m}m" for m in late)
                self.lines.append(
                    f"{what}: step {number} escalates after {delay} minutes, and escalating "
                    f"unassigns {person.handle}: their rules at {minutes} never fire in PagerDuty"
                )

    def policy(self, policy: Policy) -> Json:
        what = f"policy {policy.handle}"
        rules: list[Json] = []
        for number, step in enumerate(policy.steps, start=1):
            targets: list[Json] = []
            for target in step.targets:
                if not target.stops_on_ack:
                    self.lines.append(
                        f"{what}: step {number} keeps paging after {target.kind} {target.id} "
                        "acknowledges; any PagerDuty acknowledgement stops the policy"
                    )
                if target.kind == "person" and target.id is not None:
                    targets.append({"id": target.id, "type": "user_reference"})
                elif target.kind == "schedule" and target.id is not None:
                    for part in self.parts.get(target.id, [target.id]):
                        targets.append({"id": part, "type": "schedule_reference"})
                else:
                    self.lines.append(
                        f"{what}: step {number} targets a {target.kind}, which PagerDuty rules "
                        "cannot: left out"
                    )
            if len(targets) > _MAX_TARGETS:
                self.lines.append(
                    f"{what}: step {number} has {len(targets)} targets; PagerDuty takes "
                    f"{_MAX_TARGETS}: the first {_MAX_TARGETS} written"
                )
                targets = targets[:_MAX_TARGETS]
            delay = step.delay
            if not targets:
                self.lines.append(
                    f"{what}: step {number} reaches nobody; PagerDuty rules need a target: its "
                    f"{delay} minutes added to the step before it"
                )
                if rules:
                    previous = rules[-1]["escalation_delay_in_minutes"]
                    assert isinstance(previous, int)
                    rules[-1]["escalation_delay_in_minutes"] = previous + delay
                continue
            if delay < 1:
                self.lines.append(f"{what}: step {number} lasts {delay} minutes; written as 1")
                delay = 1
            if self.setup.product != "pagerduty" and (number < len(policy.steps) or policy.repeat):
                self._cut_rules(what, number, step, delay)
            strategy = ROUND_ROBIN if step.round_robin else "assign_to_everyone"
            rules.append(
                {
                    "id": f"{policy.id}-E{number}",
                    "escalation_delay_in_minutes": delay,
                    "targets": targets,
                    "escalation_rule_assignment_strategy": {"type": strategy},
                }
            )
        if policy.repeat_wait:
            self.lines.append(
                f"{what}: waits {policy.repeat_wait} minutes between passes; PagerDuty loops "
                "at once: written without the wait"
            )
        return {
            "id": policy.id,
            "type": "escalation_policy",
            "name": policy.name or policy.handle,
            "num_loops": policy.repeat,
            "escalation_rules": rules,
        }


def write(setup: OnCallSetup) -> tuple[dict[str, object], list[str]]:
    """``setup`` as a PagerDuty export, and one line per construct written differently."""
    writer = _Writer(setup)
    users = [writer.user(person) for person in setup.people]
    schedules = writer.schedules()
    policies = [writer.policy(policy) for policy in setup.policies]
    document: dict[str, object] = {
        "users": users,
        "escalation_policies": policies,
        "schedules": schedules,
        "overrides": {key: writer.overrides[key] for key in sorted(writer.overrides)},
    }
    return document, writer.lines
