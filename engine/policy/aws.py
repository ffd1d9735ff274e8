"""AWS Incident Manager's organisation read into the neutral policy, and any policy written back.

:func:`read_organisation` turns the four AWS record lists of an
:class:`~engine.scenario.organisation.Organisation` into an :class:`OnCallSetup` without loss:
ids stay ARNs, a personal plan keeps its stages, a target keeps its ``IsEssential``.
:func:`write_organisation` turns any product's setup into those records for the engine; for a
setup read from AWS it gives the records back (the round trip is tested on every scenario), and
for another product's it mints ARNs from handles and says, in notes, what the engine does not
simulate as the product would. The rules that turn a product's constructs into AWS's:

* a delay longer than AWS's 30-minute stage is split into a stage and empty stages after it;
* a policy's repeats are its stages written out again, ``repeat_wait`` as an empty stage;
* a rotation's ``end`` is an override of nobody from then on;
* a schedule's own overrides are one more rotation, last in the schedule, of the people they
  put on call: on call only during those overrides (overrides of nobody fill the time between);
  a ``replace`` override also empties the schedule's other rotations over its window, a
  ``remove`` override keeps the other rotations' people but the removed one, shift by shift.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
import re
import unicodedata
import uuid
from collections.abc import Iterable, Mapping, Sequence
from typing import cast

from engine.arns import make_arn
from engine.arns import parse_arn as _parse_arn
from engine.oncall import iter_shifts
from engine.oncall.coverage import coverage_from_recurrence
from engine.oncall.rotation import Rotation as ShiftRotation
from engine.policy.model import (
    PAGED_KINDS,
    HandOff,
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
from engine.scenario.organisation import (
    CHANNEL_NAMESPACE,
    ROTATION_NAMESPACE,
    ChannelRecord,
    ContactRecord,
    Organisation,
    OverrideRecord,
    RotationRecord,
)
from engine.vocabulary import DAYS_OF_WEEK

__all__ = ["MAX_STAGE", "read_organisation", "write_organisation"]

MAX_STAGE = 30
"""AWS's longest stage, in minutes (DurationInMinutes 0..30)."""

_FOREVER = dt.timedelta(days=366 * 100)
_UUID = re.compile(r"[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}")
_PERIOD_KEYS = {"day": "DailySettings", "week": "WeeklySettings", "month": "MonthlySettings"}

# -- AWS -> neutral ----------------------------------------------------------------------------


def read_organisation(org: Organisation) -> OnCallSetup:
    """The AWS organisation ``org`` as a neutral setup, ids kept as ARNs."""
    types = {c["ContactArn"]: c["Type"] for c in org.contacts}
    kinds = {"PERSONAL": "person", "ONCALL_SCHEDULE": "schedule", "ESCALATION": "policy"}
    channels: dict[str, list[Method]] = {}
    for channel in org.channels:
        channels.setdefault(channel["ContactArn"], []).append(_method(channel))
    overrides: dict[str, list[Override]] = {}
    for record in org.overrides:
        overrides.setdefault(record["RotationArn"], []).append(_override(record))
    people, policies, schedules = [], [], []
    for contact in org.contacts:
        arn, alias, plan = contact["ContactArn"], contact["Alias"], contact["Plan"]
        name = contact.get("DisplayName", "")
        stages = cast(list[Mapping[str, object]], plan.get("Stages") or [])
        if contact["Type"] == "PERSONAL":
            people.append(_person(arn, alias, name, stages, channels.get(arn, [])))
        elif contact["Type"] == "ONCALL_SCHEDULE":
            rotation_ids = cast(list[str], plan.get("RotationIds") or [])
            schedules.append(Schedule(arn, alias, name, tuple(rotation_ids)))
        else:
            steps = tuple(_step(stage, types, kinds) for stage in stages)
            policies.append(Policy(arn, alias, name, steps))
    rotations = tuple(_rotation(r, overrides.get(r["RotationArn"], [])) for r in org.rotations)
    return OnCallSetup(
        "aws", tuple(people), tuple(policies), rotations, tuple(schedules), settings={}
    )


def _method(channel: ChannelRecord) -> Method:
    address = channel["DeliveryAddress"].get("SimpleAddress", "")
    active = channel.get("ActivationStatus", "NOT_ACTIVATED") == "ACTIVATED"
    return Method(channel["ContactChannelArn"], channel["Type"], address, channel["Name"], active)


def _person(
    arn: str, alias: str, name: str, stages: Sequence[Mapping[str, object]], methods: list[Method]
) -> Person:
    rules: list[NotifyRule] = []
    durations: list[int] = []
    offset = 0
    for index, stage in enumerate(stages):
        for target in cast(list[Mapping[str, Mapping[str, object]]], stage.get("Targets") or []):
            info = target.get("ChannelTargetInfo")
            if info is not None:
                retry = cast(int | None, info.get("RetryIntervalInMinutes"))
                method = cast(str, info.get("ContactChannelId"))
                rules.append(NotifyRule(method, offset, retry=retry, stage=index))
        duration = cast(int, stage.get("DurationInMinutes", 0))
        durations.append(duration)
        offset += duration
    return Person(arn, alias, name, tuple(methods), tuple(rules), stages=tuple(durations))


def _step(stage: Mapping[str, object], types: Mapping[str, str], kinds: Mapping[str, str]) -> Step:
    targets: list[Target] = []
    for target in cast(list[Mapping[str, Mapping[str, object]]], stage.get("Targets") or []):
        info = target.get("ContactTargetInfo")
        if info is None:
            continue
        contact = cast(str | None, info.get("ContactId"))
        kind = kinds.get(types.get(contact or "", ""), "person")
        essential = bool(info.get("IsEssential", False))
        targets.append(Target(kind, contact, stops_on_ack=essential))  # type: ignore[arg-type]
    return Step(cast(int, stage.get("DurationInMinutes", 0)), tuple(targets))


def _override(record: OverrideRecord) -> Override:
    return Override(
        record["StartTime"],
        record["EndTime"],
        tuple(record["NewContactIds"]),
        id=record["RotationOverrideId"],
        created=record.get("CreateTime"),
    )


def _time(value: Mapping[str, object]) -> dt.time:
    return dt.time(cast(int, value.get("HourOfDay", 0)), cast(int, value.get("MinuteOfHour", 0)))


def _rotation(record: RotationRecord, overrides: list[Override]) -> Rotation:
    recurrence = record["Recurrence"]
    period = "day"
    hand_offs: tuple[HandOff, ...]
    if "WeeklySettings" in recurrence:
        period = "week"
        weekly = cast(list[Mapping[str, Mapping[str, object]]], recurrence["WeeklySettings"])
        hand_offs = tuple(
            HandOff(_time(w["HandOffTime"]), DAYS_OF_WEEK.index(cast(str, w["DayOfWeek"])))
            for w in weekly
        )
    elif "MonthlySettings" in recurrence:
        period = "month"
        monthly = cast(list[Mapping[str, Mapping[str, object]]], recurrence["MonthlySettings"])
        hand_offs = tuple(
            HandOff(_time(m["HandOffTime"]), cast(int, m["DayOfMonth"])) for m in monthly
        )
    else:
        daily = cast(list[Mapping[str, object]], recurrence.get("DailySettings") or [])
        hand_offs = tuple(HandOff(_time(d)) for d in daily)
    return Rotation(
        record["RotationArn"],
        record["Name"],
        tuple(record["ContactIds"]),
        record["StartTime"],
        record["TimeZoneId"],
        period,  # type: ignore[arg-type]
        hand_offs,
        every=cast(int, recurrence.get("RecurrenceMultiplier", 1)),
        on_call=cast(int, recurrence.get("NumberOfOnCalls", 1)),
        windows=_windows(recurrence),
        overrides=tuple(overrides),
    )


def _windows(recurrence: Mapping[str, object]) -> tuple[Window, ...] | None:
    coverage = coverage_from_recurrence(recurrence)
    if coverage is None:
        return None
    windows = []
    for weekday, day in enumerate(coverage.by_weekday):
        for window in day:
            start = window.start.hour * 60 + window.start.minute
            end = window.end_day * 1440 + window.end.hour * 60 + window.end.minute
            windows.append(Window(window.start, end - start, weekday))
    return tuple(windows)


# -- neutral -> AWS ----------------------------------------------------------------------------


@dataclasses.dataclass
class Written:
    """A setup as the engine takes it: the organisation, the settings (knobs) its product's
    semantics need, and notes on what the engine does not simulate as the product would."""

    organisation: Organisation
    settings: dict[str, object]
    notes: list[str]


def write_organisation(setup: OnCallSetup, account: str, region: str) -> Written:
    """``setup`` as AWS records in ``account`` and ``region`` (ARNs kept when it came from AWS)."""
    return _Writer(setup, account, region).write()


class _Writer:
    def __init__(self, setup: OnCallSetup, account: str, region: str) -> None:
        self.setup = setup
        self.account, self.region = account, region
        self.org = Organisation()
        self.notes: list[str] = list(setup.notes)
        self.aliases: dict[str, str] = {}
        self.arns: dict[tuple[str, str], str] = {}
        self.urgency = str(setup.settings.get("urgency", "any"))
        # Rotation id -> overrides of that rotation naming people outside it (other products).
        self.outsiders: dict[str, list[tuple[dt.datetime, dt.datetime, tuple[str, ...]]]] = {}

    def _kept(self, key: str | None) -> bool:
        """Whether ``key`` is an ARN to keep: only in a setup read from AWS (another product's
        setup translated from AWS may carry ARNs as ids, but its aliases are its handles)."""
        return self.setup.product == "aws" and key is not None and _parse_arn(key) is not None

    def _name(self, text: str, label: str, *, ascii_only: bool = False) -> str:
        """A name as AWS takes it: as read for an AWS setup, else cleaned (:func:`_aws_name`),
        with a note naming ``label`` when cleaning changed it."""
        if self.setup.product == "aws":
            return text
        cleaned = _aws_name(text, ascii_only=ascii_only)
        if cleaned != text:
            allowed = "letters, digits, spaces" if ascii_only else "letters, numbers, spaces"
            self.notes.append(
                f"{label} {text!r} holds characters AWS names cannot ({allowed}, _ . -): "
                f"written as {cleaned!r}"
            )
        return cleaned

    # ARNs: kept when they already are AWS's, else minted from a unique alias.

    def _alias(self, handle: str) -> str:
        alias, n = handle, 1
        while alias in self.aliases:
            n += 1
            alias = f"{handle}-{n}"
        self.aliases[alias] = handle
        return alias

    def contact_arn(self, kind: str, key: str | None) -> str | None:
        if key is None:
            return None
        return self.arns.get((kind, key), key if self._kept(key) else None)

    def _mint_contact(self, kind: str, key: str, handle: str) -> tuple[str, str]:
        if self._kept(key):
            alias = handle
            self.aliases[alias] = handle
            arn = key
        else:
            alias = self._alias(handle)
            arn = make_arn(self.region, self.account, "contact", alias)
        self.arns[(kind, key)] = arn
        return arn, alias

    def write(self) -> Written:
        for person in self.setup.people:
            self._mint_contact("person", person.id, person.handle)
        for schedule in self.setup.schedules:
            self._mint_contact("schedule", schedule.id, schedule.handle)
        for policy in self.setup.policies:
            self._mint_contact("policy", policy.id, policy.handle)
        for person in self.setup.people:
            self._person(person)
        rotations = {rotation.id: rotation for rotation in self.setup.rotations}
        written: dict[str, str] = {}
        for rotation in self.setup.rotations:
            written[rotation.id] = self._rotation(rotation)
        for schedule in self.setup.schedules:
            self._schedule(schedule, rotations, written)
        for policy in self.setup.policies:
            self._policy(policy)
        settings: dict[str, object] = {}
        if any(schedule.layered for schedule in self.setup.schedules):
            settings["schedule_layers"] = "last_wins"
        if self.setup.product != "aws":
            # Every other product stops notifying everyone once an alert is acknowledged.
            settings["essential_ack"] = "stop_all"
        if self.setup.product == "pagerduty":
            # Escalating reassigns a PagerDuty incident: earlier responders' rules stop.
            settings["earlier_pages"] = "cancel"
        return Written(self.org, settings, self.notes)

    # People: channels and the personal plan.

    def _person(self, person: Person) -> None:
        arn = cast(str, self.contact_arn("person", person.id))
        alias = arn.rsplit("/", 1)[-1] if not self._kept(person.id) else person.handle
        channel_arns: dict[str, str] = {}
        for method in person.methods:
            if method.kind not in PAGED_KINDS:
                label = method.name or method.id
                self.notes.append(
                    f"person {person.handle}: {method.kind.lower()} method {label} is kept but "
                    "not paged (the engine delivers SMS, VOICE and EMAIL)"
                )
                continue
            channel_arn = method.id
            if not self._kept(method.id):
                minted = str(uuid.uuid5(CHANNEL_NAMESPACE, f"{alias}/{method.id}"))
                channel_arn = make_arn(self.region, self.account, "contact-channel", alias, minted)
            channel_arns[method.id] = channel_arn
            label = f"contact {alias}: channel name"
            name = self._name(method.name, label) or f"{method.kind.lower()}-{len(channel_arns)}"
            record: ChannelRecord = {
                "ContactChannelArn": channel_arn,
                "ContactArn": arn,
                "Name": name,
                "Type": method.kind,
                "DeliveryAddress": {"SimpleAddress": method.address},
                "ActivationStatus": "ACTIVATED" if method.active else "NOT_ACTIVATED",
            }
            self.org.channels.append(record)
            self.org.channel_names[channel_arn] = record["Name"]
        rules = [
            rule
            for rule in person.rules
            if rule.urgency in ("any", self.urgency) or self.urgency == "any"
        ]
        if person.stages is not None:
            stages = self._stages_as_read(person, rules, channel_arns)
        else:
            stages = self._stages_from_delays(person, rules, channel_arns)
        self._add_contact(arn, alias, "PERSONAL", {"Stages": stages}, person.name)

    def _stages_as_read(
        self, person: Person, rules: Sequence[NotifyRule], channels: Mapping[str, str]
    ) -> list[dict[str, object]]:
        stages: list[dict[str, object]] = []
        for index, duration in enumerate(person.stages or ()):
            targets = [
                _channel_target(channels.get(rule.method, rule.method), rule.retry)
                for rule in rules
                if rule.stage == index
            ]
            stages.append({"DurationInMinutes": duration, "Targets": targets})
        return stages

    def _stages_from_delays(
        self, person: Person, rules: Sequence[NotifyRule], channels: Mapping[str, str]
    ) -> list[dict[str, object]]:
        paged = [rule for rule in rules if rule.method in channels]
        delays = sorted({rule.delay for rule in paged})
        stages: list[dict[str, object]] = []
        if delays and delays[0] > 0:
            stages.extend(_waits(delays[0]))
        for position, delay in enumerate(delays):
            after = delays[position + 1] - delay if position + 1 < len(delays) else person.span or 0
            targets = [
                _channel_target(channels[rule.method], rule.retry)
                for rule in paged
                if rule.delay == delay
            ]
            first = min(after, MAX_STAGE)
            stages.append({"DurationInMinutes": first, "Targets": targets})
            stages.extend(_waits(after - first))
        return stages

    def _add_contact(
        self, arn: str, alias: str, kind: str, plan: dict[str, object], name: str
    ) -> None:
        contact: ContactRecord = {"ContactArn": arn, "Alias": alias, "Type": kind, "Plan": plan}
        display = self._name(name, f"contact {alias}: display name")
        if display:
            contact["DisplayName"] = display
        self.org.contacts.append(contact)
        self.org.aliases[alias] = arn

    # Rotations, schedules and their overrides.

    def _rotation_arn(self, key: str) -> str:
        if self._kept(key):
            return key
        return make_arn(
            self.region, self.account, "rotation", str(uuid.uuid5(ROTATION_NAMESPACE, key))
        )

    def _people_arns(self, ids: Iterable[str]) -> list[str]:
        return [self.contact_arn("person", i) or i for i in ids]

    def _rotation(self, rotation: Rotation) -> str:
        arn = self._rotation_arn(rotation.id)
        recurrence: dict[str, object] = {
            "NumberOfOnCalls": rotation.on_call,
            "RecurrenceMultiplier": rotation.every,
        }
        key = _PERIOD_KEYS[rotation.period]
        if rotation.period == "day":
            recurrence[key] = [_hand_off_time(h.time) for h in rotation.hand_offs]
        elif rotation.period == "week":
            recurrence[key] = [
                {"DayOfWeek": DAYS_OF_WEEK[h.day or 0], "HandOffTime": _hand_off_time(h.time)}
                for h in rotation.hand_offs
            ]
        else:
            recurrence[key] = [
                {"DayOfMonth": h.day or 1, "HandOffTime": _hand_off_time(h.time)}
                for h in rotation.hand_offs
            ]
        if rotation.windows is not None:
            recurrence["ShiftCoverages"] = _coverages(rotation.windows)
        name = rotation.name
        if self.setup.product != "aws":
            name = self._name(name, f"rotation {rotation.id}: name", ascii_only=True)
            name = name or f"rotation {len(self.org.rotations) + 1}"
        record: RotationRecord = {
            "RotationArn": arn,
            "Name": name,
            "ContactIds": self._people_arns(rotation.members),
            "StartTime": rotation.start,
            "TimeZoneId": rotation.time_zone,
            "Recurrence": recurrence,
        }
        self.org.rotations.append(record)
        self.org.rotation_names.setdefault(name, arn)
        for position, override in enumerate(rotation.overrides):
            if self.setup.product == "aws" or set(override.people) <= set(rotation.members):
                self._override(arn, override, f"{rotation.id}/override/{position}")
                continue
            # AWS overrides name members only: the rotation has nobody over the window, and
            # the schedules it is in have the override's people on call instead.
            self._nobody(arn, override.start, override.end, f"{rotation.id}/override/{position}")
            self.outsiders.setdefault(rotation.id, []).append(
                (override.start, override.end, override.people)
            )
        if rotation.end is not None:
            self._nobody(arn, rotation.end, rotation.end + _FOREVER, f"{rotation.id}/end")
        return arn

    def _override(self, rotation_arn: str, override: Override, key: str) -> None:
        override_id = override.id if _UUID.fullmatch(override.id) else ""
        override_id = override_id or str(uuid.uuid5(ROTATION_NAMESPACE, key))
        record: OverrideRecord = {
            "RotationOverrideId": override_id,
            "RotationArn": rotation_arn,
            "NewContactIds": self._people_arns(override.people),
            "StartTime": override.start,
            "EndTime": override.end,
        }
        if override.created is not None:
            record["CreateTime"] = override.created
        self.org.overrides.append(record)

    def _nobody(self, rotation_arn: str, start: dt.datetime, end: dt.datetime, key: str) -> None:
        self._override(rotation_arn, Override(start, end), key)

    def _schedule(
        self, schedule: Schedule, rotations: Mapping[str, Rotation], written: Mapping[str, str]
    ) -> None:
        arn = cast(str, self.contact_arn("schedule", schedule.id))
        alias = schedule.handle if self._kept(schedule.id) else arn.rsplit("/", 1)[-1]
        rotation_ids = [written.get(r, r) for r in schedule.rotations]
        if schedule.overrides or any(r in self.outsiders for r in schedule.rotations):
            extra = self._schedule_overrides(schedule, rotations, written)
            if extra is not None:
                rotation_ids.append(extra)
        plan: dict[str, object] = {"RotationIds": rotation_ids}
        self._add_contact(arn, alias, "ONCALL_SCHEDULE", plan, schedule.name)

    def _schedule_overrides(
        self, schedule: Schedule, rotations: Mapping[str, Rotation], written: Mapping[str, str]
    ) -> str | None:
        """The schedule's overrides in AWS terms: its rotations thinned or emptied where an
        override takes someone off, and one more rotation on call only where an override puts
        someone on (None when none does)."""
        added = [piece for r in schedule.rotations for piece in self.outsiders.get(r, [])]
        for override in schedule.overrides:
            if override.mode == "add" or (override.mode == "replace" and not override.replaces):
                added.append((override.start, override.end, override.people))
            if override.mode == "add":
                continue
            for rotation_id in schedule.rotations:
                if rotation_id in rotations:
                    pieces = self._thin(rotations[rotation_id], written[rotation_id], override)
                    if override.mode == "replace" and override.replaces:
                        added.extend((low, high, override.people) for low, high in pieces)
        added = [piece for piece in added if piece[0] < piece[1] and piece[2]]
        if not added:
            return None
        zone = schedule.time_zone or next(
            (rotations[r].time_zone for r in schedule.rotations if r in rotations), "UTC"
        )
        members: list[str] = []
        for _, _, who in added:
            members.extend(p for p in who if p not in members)
        key = f"{schedule.id}/overrides"
        bounds = sorted({instant for low, high, _ in added for instant in (low, high)})
        segments = []
        for low, high in itertools.pairwise(bounds):
            # Everyone an override puts on call over the whole of this stretch.
            on = [p for p in members if any(a <= low and high <= b and p in w for a, b, w in added)]
            segments.append(Override(low, high, tuple(on)))
        rotation = Rotation(
            key,
            f"{schedule.name or schedule.handle} overrides",
            tuple(members),
            bounds[0],
            zone,
            "day",
            (HandOff(dt.time(0, 0)),),
            overrides=(*segments, Override(bounds[-1], bounds[-1] + _FOREVER)),
        )
        return self._rotation(rotation)

    def _thin(
        self, rotation: Rotation, arn: str, override: Override
    ) -> list[tuple[dt.datetime, dt.datetime]]:
        """Over ``override``'s window: nobody (a replace of everyone), or the rotation's own
        people less the one removed or replaced, shift piece by shift piece; returns the pieces
        where someone was taken off."""
        if override.mode == "replace" and override.replaces is None:
            self._nobody(arn, override.start, override.end, f"{arn}/{override.start}")
            return [(override.start, override.end)]
        gone = {override.replaces} if override.mode == "replace" else set(override.people)
        gone_arns = set(self._people_arns(p for p in gone if p is not None))
        record = next(r for r in self.org.rotations if r["RotationArn"] == arn)
        mine = [o for o in self.org.overrides if o["RotationArn"] == arn]
        shifts = ShiftRotation(
            record["ContactIds"],
            record["StartTime"],
            record["TimeZoneId"],
            record["Recurrence"],
            [(o["StartTime"], o["EndTime"], o["NewContactIds"], n) for n, o in enumerate(mine)],
        )
        pieces = []
        for shift in iter_shifts(shifts, override.start, override.end):
            kept = tuple(c for c in shift.contact_ids if c not in gone_arns)
            if len(kept) == len(shift.contact_ids):
                continue
            low, high = max(shift.start, override.start), min(shift.end, override.end)
            self._override(arn, Override(low, high, kept), f"{arn}/{low}")
            pieces.append((low, high))
        return pieces

    # Policies.

    def _policy(self, policy: Policy) -> None:
        arn = cast(str, self.contact_arn("policy", policy.id))
        alias = policy.handle if self._kept(policy.id) else arn.rsplit("/", 1)[-1]
        stages: list[dict[str, object]] = []
        for number in range(policy.repeat + 1):
            if number and policy.repeat_wait:
                stages.extend(_waits(policy.repeat_wait))
            for step in policy.steps:
                stages.extend(self._stage(policy, step))
        if any(step.round_robin for step in policy.steps):
            self.notes.append(
                f"policy {policy.handle}: round robin is simulated as notifying every target of "
                "the step (the engine keeps no turn between incidents)"
            )
        self._add_contact(arn, alias, "ESCALATION", {"Stages": stages}, policy.name)

    def _stage(self, policy: Policy, step: Step) -> list[dict[str, object]]:
        targets: list[dict[str, object]] = []
        for target in step.targets:
            if target.kind == "policy" and self.setup.product != "aws":
                self.notes.append(
                    f"policy {policy.handle}: a step targets policy {target.id}, which AWS "
                    "plans cannot; left out"
                )
                continue
            contact = self.contact_arn(target.kind, target.id) if target.id else None
            info: dict[str, object] = {"IsEssential": target.stops_on_ack}
            if contact is not None or target.id is not None:
                info = {"ContactId": contact or target.id, **info}
            targets.append({"ContactTargetInfo": info})
        if self._kept(policy.id):
            return [{"DurationInMinutes": step.delay, "Targets": targets}]
        first = min(step.delay, MAX_STAGE)
        return [{"DurationInMinutes": first, "Targets": targets}, *_waits(step.delay - first)]


def _aws_name(text: str, *, ascii_only: bool = False) -> str:
    """``text`` as AWS takes a display or channel name (letters, numbers, spaces, ``_.-``) or,
    ``ascii_only``, a rotation name: every other character a space, runs of spaces one."""

    def kept(char: str) -> bool:
        if char in "_.-":
            return True
        if ascii_only:
            return char.isascii() and (char.isalnum() or char.isspace())
        return unicodedata.category(char)[0] in "LZN"

    cleaned = "".join(char if kept(char) else " " for char in text)
    return " ".join(cleaned.split())[:255]


def _waits(minutes: int) -> list[dict[str, object]]:
    """Empty stages that wait ``minutes`` in all, none longer than AWS allows."""
    out: list[dict[str, object]] = []
    while minutes > 0:
        chunk = min(minutes, MAX_STAGE)
        out.append({"DurationInMinutes": chunk, "Targets": []})
        minutes -= chunk
    return out


def _channel_target(channel_arn: str, retry: int | None) -> dict[str, object]:
    info: dict[str, object] = {"ContactChannelId": channel_arn}
    if retry is not None:
        info["RetryIntervalInMinutes"] = retry
    return {"ChannelTargetInfo": info}


def _hand_off_time(time: dt.time) -> dict[str, int]:
    return {"HourOfDay": time.hour, "MinuteOfHour": time.minute}


def _coverages(windows: Sequence[Window]) -> dict[str, list[dict[str, object]]]:
    """Windows as ShiftCoverages: one CoverageTime per weekday a window touches (AWS's windows
    start on their own day and last at most a day)."""
    by_day: dict[str, list[dict[str, object]]] = {}
    for window in windows:
        days = range(7) if window.weekday is None else (window.weekday,)
        for day in days:
            start = window.start.hour * 60 + window.start.minute
            remaining = window.minutes
            weekday = day
            while remaining > 0:
                length = min(remaining, 1440 - start)
                end = start + length
                by_day.setdefault(DAYS_OF_WEEK[weekday % 7], []).append(
                    {"Start": _minutes(start), "End": _minutes(end % 1440)}
                )
                remaining -= length
                start, weekday = 0, weekday + 1
    return {day: by_day[day] for day in DAYS_OF_WEEK if day in by_day}


def _minutes(value: int) -> dict[str, int]:
    return {"HourOfDay": value // 60, "MinuteOfHour": value % 60}
