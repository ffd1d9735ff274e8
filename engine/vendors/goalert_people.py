"""GoAlert users, with their contact methods and notification rules, as neutral people."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence

from engine.policy.model import Method, NotifyRule, Person
from engine.scenario.paths import FieldPath
from engine.vendors.goalert_fields import Fields
from engine.vendors.goalert_reading import Reading
from engine.vendors.handles import numbered, person_handle_base

__all__ = ["METHOD_KINDS", "read_people"]

METHOD_KINDS = {
    "SMS": "SMS",
    "VOICE": "VOICE",
    "EMAIL": "EMAIL",
    "WEBHOOK": "WEBHOOK",
    "SLACK_DM": "CHAT",
}
"""GoAlert's ContactMethodType -> the neutral kind."""

_DEST_TYPES = {
    "builtin-twilio-sms": "SMS",
    "builtin-twilio-voice": "VOICE",
    "builtin-smtp-email": "EMAIL",
    "builtin-webhook": "WEBHOOK",
    "builtin-slack-dm": "SLACK_DM",
}
"""GoAlert's newer ``dest.type`` -> ContactMethodType, for documents without ``type``."""


def read_people(reading: Reading, items: Sequence[object]) -> tuple[Person, ...]:
    fields = reading.fields
    found: list[tuple[Person, str]] = []
    for position, item in enumerate(items):
        path: FieldPath = ("users", position)
        user = fields.obj(item, path)
        if user is None:
            continue
        user_id = fields.text(user, "id", path)
        name = fields.text(user, "name", path) or ""
        email = fields.text(user, "email", path, required=False) or ""
        methods = _methods(reading, user, path, name)
        rules = _rules(reading, user, path, {m.id for m in methods})
        if user_id is not None and any(p.id == user_id for p, _ in found):
            fields.fail((*path, "id"), "repeats the id of an earlier user")
        elif user_id is not None:
            person = Person(id=user_id, handle="", name=name, methods=methods, rules=rules)
            found.append((person, person_handle_base(email, name) or "user"))
    unique = numbered([base for _, base in found])
    return tuple(dataclasses.replace(p, handle=h) for (p, _), h in zip(found, unique, strict=True))


def _methods(
    reading: Reading, user: Mapping[str, object], path: FieldPath, who: str
) -> tuple[Method, ...]:
    fields = reading.fields
    methods: list[Method] = []
    for position, item in enumerate(fields.items(user, "contactMethods", path)):
        at: FieldPath = (*path, "contactMethods", position)
        method = fields.obj(item, at)
        if method is None:
            continue
        method_id = fields.text(method, "id", at)
        kind = _method_type(fields, method, at)
        value = fields.text(method, "value", at, required=False)
        if value is None:
            dest = method.get("dest")
            value = _dest_value(dest)
        name = fields.text(method, "name", at, required=False) or ""
        disabled = fields.flag(method, "disabled", at)
        if method_id is None or kind is None or disabled is None:
            continue
        active = not disabled
        switch = {"SMS": "Twilio.Enable", "VOICE": "Twilio.Enable", "EMAIL": "SMTP.Enable"}
        setting = switch.get(kind)
        if active and setting is not None and reading.settings[setting] == "false":
            active = False
            reading.notes.append(
                f"user {who} ({method_id}): {kind} contact method {name!r} is not paged: "
                f"{setting} is false"
            )
        elif kind in ("WEBHOOK", "SLACK_DM"):
            reading.notes.append(
                f"user {who}: {kind} contact method {name!r} ({method_id}) is kept but "
                "not simulated"
            )
        methods.append(Method(method_id, METHOD_KINDS[kind], value or "", name, active))
    return tuple(methods)


def _method_type(fields: Fields, method: Mapping[str, object], at: FieldPath) -> str | None:
    kind = method.get("type")
    if kind is None:
        dest = method.get("dest")
        if isinstance(dest, Mapping) and isinstance(dest.get("type"), str):
            found = _DEST_TYPES.get(str(dest["type"]))
            if found is not None:
                return found
            fields.fail((*at, "dest", "type"), f"must be one of {', '.join(_DEST_TYPES)}")
            return None
    if isinstance(kind, str) and kind in METHOD_KINDS:
        return kind
    fields.fail((*at, "type"), f"must be one of {', '.join(METHOD_KINDS)}")
    return None


def _dest_value(dest: object) -> str | None:
    """The address of a ``dest`` (its first arg, e.g. ``phone_number``), if there is one."""
    if isinstance(dest, Mapping):
        args = dest.get("args")
        if isinstance(args, Mapping):
            for value in args.values():
                if isinstance(value, str):
                    return value
    return None


def _rules(
    reading: Reading, user: Mapping[str, object], path: FieldPath, method_ids: set[str]
) -> tuple[NotifyRule, ...]:
    fields = reading.fields
    rules: list[NotifyRule] = []
    for position, item in enumerate(fields.items(user, "notificationRules", path)):
        at: FieldPath = (*path, "notificationRules", position)
        rule = fields.obj(item, at)
        if rule is None:
            continue
        delay = fields.integer(rule, "delayMinutes", at, 0, 9000)
        method = fields.text(rule, "contactMethodID", at)
        if method is not None and method not in method_ids:
            fields.fail((*at, "contactMethodID"), "names no contact method of this user")
            continue
        if delay is not None and method is not None:
            rules.append(NotifyRule(method, delay))
    return tuple(rules)
