"""Reading PagerDuty users: contact methods as neutral methods (phones as E.164), and
notification rules with their delays and urgencies."""

from __future__ import annotations

from engine.policy.model import Method, NotifyRule, Person
from engine.scenario.paths import FieldPath
from engine.vendors.fields import Record
from engine.vendors.handles import person_handles
from engine.vendors.pagerduty_shapes import KIND_OF_METHOD
from engine.vendors.pagerduty_state import USERS_HINT, ReadState
from engine.vendors.phones import join_phone

__all__ = ["PeopleReader"]


class PeopleReader(ReadState):
    """Reads ``users``."""

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
        hint = "" if "contact_methods" in user else USERS_HINT
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
        address = self.fields.text(method, "address", path, hint=USERS_HINT)
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
        delay = self.fields.integer(rule, "start_delay_in_minutes", path, low=0, hint=USERS_HINT)
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
