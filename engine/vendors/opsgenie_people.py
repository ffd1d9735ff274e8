"""Opsgenie users, their contact methods and their New Alert notification rules, as people.

A user reached by an escalation is notified by the first of their enabled ``create-alert`` rules
(in ``order``) that matches the alert (Opsgenie: "the first matched rule" applies and the rules
below it are not tried). Each enabled step of that rule pages its contact ``sendAfter`` after the
user is reached. Which rules a simulated alert matches is up to the settings
(:mod:`engine.vendors.opsgenie_settings`).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping

from engine.oncall.zones import UnknownTimeZone, load_zone
from engine.policy.model import Method, NotifyRule, Person
from engine.scenario.paths import FieldPath
from engine.vendors.handles import numbered, person_handle_base
from engine.vendors.opsgenie_fields import Fields, Obj
from engine.vendors.phones import dashed_to_e164

__all__ = ["CONTACT_KINDS", "TIME_UNITS", "People", "read_people", "to_minutes"]

CONTACT_KINDS = {"email": "EMAIL", "sms": "SMS", "voice": "VOICE", "mobile": "PUSH"}
"""Opsgenie contact ``method`` -> neutral method kind."""

TIME_UNITS = {"minutes": 1, "hours": 60, "days": 1440}
_LONGEST = 10 * 365 * 1440  # minutes; far beyond any delay a product allows


@dataclasses.dataclass
class People:
    """The people read, and how the document names them (id and username -> person id)."""

    people: list[Person] = dataclasses.field(default_factory=list)
    by_name: dict[str, str] = dataclasses.field(default_factory=dict)
    notes: list[str] = dataclasses.field(default_factory=list)

    def find(self, fields: Fields, ref: Obj, path: FieldPath, what: str) -> str | None:
        """The person id a ``{type: user, id | username}`` reference names, else a problem."""
        key = ref.get("id") if ref.get("id") is not None else ref.get("username")
        if not isinstance(key, str) or not key:
            fields.fail(path, f"{what} must give the user's id or username")
            return None
        found = self.by_name.get(key)
        if found is None:
            field = "id" if ref.get("id") is not None else "username"
            fields.fail((*path, field), f"{what} names a user the document does not list")
        return found


def to_minutes(fields: Fields, holder: Obj, key: str, path: FieldPath) -> int | None:
    """A ``{timeAmount, timeUnit}`` duration (unit minutes when absent) in minutes."""
    value = fields.obj(holder.get(key), (*path, key)) if key in holder else None
    if value is None:
        if key not in holder:
            fields.fail((*path, key), "is required: {timeAmount, timeUnit}")
        return None
    where = (*path, key)
    amount = fields.integer(value, "timeAmount", where, 0, _LONGEST)
    unit = fields.choice(value, "timeUnit", where, tuple(TIME_UNITS), "minutes")
    if amount is None or unit is None:
        return None
    minutes = amount * TIME_UNITS[unit]
    if minutes > _LONGEST:
        fields.fail(where, f"must be at most {_LONGEST} minutes")
        return None
    return minutes


def read_people(
    fields: Fields, users: list[tuple[FieldPath, Obj]], settings: Mapping[str, str]
) -> People:
    """Every user of the document as a person (problems recorded in ``fields``)."""
    out = People()
    absent = settings["absent-enabled"] == "enabled"
    drafts: list[tuple[Person, str]] = []
    for path, user in users:
        user_id = fields.text(user, "id", path)
        username = fields.text(user, "username", path)
        full_name = fields.text(user, "fullName", path, required=False) or ""
        zone = fields.text(user, "timeZone", path, required=False)
        if zone is not None:
            try:
                load_zone(zone)
            except UnknownTimeZone:
                fields.fail((*path, "timeZone"), "is not an IANA time zone known to tzdata")
                zone = None
        if user_id is None or username is None:
            continue
        for key in (user_id, username):
            if key in out.by_name:
                fields.fail(path, f"a second user with id or username {key!r}")
        out.by_name.setdefault(user_id, user_id)
        out.by_name.setdefault(username, user_id)
        for key, call in (("contacts", "contacts"), ("notificationRules", "notification-rules")):
            if key not in user:
                message = f"is required: the user's GET /v2/users/{{id}}/{call} list"
                fields.fail((*path, key), message)
        methods = _methods(fields, user, path, absent)
        label = f"user {user_id} ({username})"
        rules = _rules(fields, user, path, methods, settings, label, out.notes)
        if not rules:
            out.notes.append(f"{label}: no New Alert notification rule applies; never paged")
        person = Person(user_id, "", full_name, tuple(methods), tuple(rules), None, zone)
        drafts.append((person, person_handle_base(username, full_name)))
    handles = numbered([wanted for _, wanted in drafts])
    out.people = [
        dataclasses.replace(p, handle=h) for (p, _), h in zip(drafts, handles, strict=True)
    ]
    return out


def _methods(fields: Fields, user: Obj, path: FieldPath, absent: bool) -> list[Method]:
    methods: list[Method] = []
    seen: set[str] = set()
    for where, contact in fields.objects(user, "contacts", path):
        contact_id = fields.text(contact, "id", where)
        method = fields.choice(contact, "method", where, tuple(CONTACT_KINDS), None)
        address = fields.text(contact, "to", where)
        status = contact.get("status")
        active = absent
        if status is not None:
            checked = fields.obj(status, (*where, "status"))
            if checked is not None:
                active = fields.flag(checked, "enabled", (*where, "status"), absent)
        if contact_id is None or method is None or address is None:
            continue
        if contact_id in seen:
            fields.fail((*where, "id"), "a second contact with this id")
            continue
        seen.add(contact_id)
        kind = CONTACT_KINDS[method]
        if kind in ("SMS", "VOICE"):
            address = dashed_to_e164(address)
        methods.append(Method(contact_id, kind, address, method, active))
    return methods


def _rules(
    fields: Fields,
    user: Obj,
    path: FieldPath,
    methods: list[Method],
    settings: Mapping[str, str],
    label: str,
    notes: list[str],
) -> list[NotifyRule]:
    """The steps of the New Alert rule that applies, as notification rules. The steps of every
    New Alert rule are checked, so a problem in a rule passed over is reported too."""
    absent = settings["absent-enabled"] == "enabled"
    candidates: list[tuple[int, int, Obj, list[NotifyRule]]] = []
    renotified = False
    for position, (where, rule) in enumerate(fields.objects(user, "notificationRules", path)):
        action = fields.text(rule, "actionType", where)
        order = fields.integer(rule, "order", where, 0, 1_000_000, required=False)
        enabled = fields.flag(rule, "enabled", where, absent)
        _check_rule_shape(fields, rule, where)
        if action == "create-alert":
            steps = _steps(fields, user, rule, where, methods, absent)
            if enabled:
                candidates.append((position if order is None else order, position, rule, steps))
        if action == "renotified-alert" and enabled:
            renotified = True
    if renotified:
        notes.append(
            f"{label}: Re-Notified Alert rules (an alert reaching the user again) are not "
            "simulated; the New Alert rule pages the user each time they are reached"
        )
    for _, _, rule, steps in sorted(candidates, key=lambda c: (c[0], c[1])):
        name = f"{label}: New Alert rule {rule.get('id', '?')} ({rule.get('name', '')})"
        skip, reason = _passed_over(rule, settings)
        if reason is not None:
            notes.append(f"{name}: {reason}")
        if skip:
            continue
        repeat = rule.get("repeat")
        if isinstance(repeat, Mapping) and repeat.get("enabled", absent) is True:
            notes.append(
                f"{label}: New Alert rule {rule.get('id', '?')} repeats its steps "
                "(repeat.loopAfter); only the first round is simulated"
            )
        return steps
    return []


def _steps(
    fields: Fields,
    user: Obj,
    rule: Obj,
    where: FieldPath,
    methods: list[Method],
    absent: bool,
) -> list[NotifyRule]:
    """A rule's enabled steps as notification rules on the user's contacts."""
    by_contact = {(m.name, m.address): m.id for m in methods}
    rules: list[NotifyRule] = []
    for step_path, step in fields.objects(rule, "steps", where):
        contact = fields.obj(step.get("contact"), (*step_path, "contact"))
        delay = to_minutes(fields, step, "sendAfter", step_path)
        if not fields.flag(step, "enabled", step_path, absent) or contact is None:
            continue
        at = (*step_path, "contact")
        method = fields.choice(contact, "method", at, tuple(CONTACT_KINDS), None)
        address = fields.text(contact, "to", at)
        if method is None or address is None or delay is None:
            continue
        if CONTACT_KINDS[method] in ("SMS", "VOICE"):
            address = dashed_to_e164(address)
        found = by_contact.get((method, address))
        if found is None and address in _addresses(user):
            continue  # the contact is there but unreadable: its own problem says why
        if found is None:
            fields.fail(
                (*at, "to"),
                f"names a {method} contact {address!r} the user does not have",
            )
            continue
        rules.append(NotifyRule(found, delay))
    return rules


def _addresses(user: Obj) -> set[str]:
    """The ``to`` of every contact of the user as written, read or not."""
    raw = user.get("contacts")
    items = raw if isinstance(raw, list) else []
    found = [item.get("to") for item in items if isinstance(item, dict)]
    return {dashed_to_e164(to) for to in found if isinstance(to, str)}


def _passed_over(rule: Obj, settings: Mapping[str, str]) -> tuple[bool, str | None]:
    """Whether the settings pass over this rule for a simulated alert, and what to note."""
    criteria = rule.get("criteria")
    conditional = isinstance(criteria, Mapping) and criteria.get("type", "match-all") != "match-all"
    if conditional and settings["notification-criteria"] == "skip":
        return True, "has criteria a simulated alert is not tested against; passed over"
    restricted = rule.get("timeRestriction") is not None
    if restricted and settings["notification-time-restriction"] == "skip":
        return True, "has a time restriction; passed over"
    said = []
    if conditional:
        said.append("its criteria are taken to match every alert")
    if restricted:
        said.append("its time restriction is read as applying at all times")
    return False, "; ".join(said) or None


def _check_rule_shape(fields: Fields, rule: Obj, where: FieldPath) -> None:
    """Problems for a criteria or timeRestriction that is not an Opsgenie shape."""
    criteria = rule.get("criteria")
    if criteria is not None:
        checked = fields.obj(criteria, (*where, "criteria"))
        if checked is not None:
            matches = ("match-all", "match-any-condition", "match-all-conditions")
            fields.choice(checked, "type", (*where, "criteria"), matches, None)
    restriction = rule.get("timeRestriction")
    if restriction is not None:
        checked = fields.obj(restriction, (*where, "timeRestriction"))
        if checked is not None:
            kinds = ("time-of-day", "weekday-and-time-of-day")
            fields.choice(checked, "type", (*where, "timeRestriction"), kinds, None)
