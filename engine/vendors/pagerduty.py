"""PagerDuty: its REST API v2 objects read into, and written from, the neutral on-call model.

The importer's whole surface (docs/vendors/pagerduty.md): :data:`SETTINGS`, :func:`looks_like`,
:func:`read` (``pagerduty_read``) and :func:`write` (``pagerduty_write``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from engine.vendors.pagerduty_read import read
from engine.vendors.pagerduty_shapes import KIND_OF_METHOD, SETTINGS, TOP_KEYS
from engine.vendors.pagerduty_write import write

__all__ = ["SETTINGS", "looks_like", "read", "write"]

#: Keys that make a document something else: a CloudFormation template, a scenario file.
_FOREIGN = ("AWSTemplateFormatVersion", "Resources", "contacts", "scenarios", "organisation")


def _records(data: Mapping[object, object], key: str) -> list[Mapping[object, object]]:
    value = data.get(key)
    if isinstance(value, str) or not isinstance(value, Sequence):
        return []
    return [item for item in value if isinstance(item, Mapping)]


def looks_like(data: object) -> bool:
    """Whether ``data`` (a parsed document) is a PagerDuty export: only its top-level keys, and
    at least one object in a shape only PagerDuty's API gives (an escalation policy with
    ``escalation_rules``, a schedule with ``schedule_layers``, a user whose contact methods or
    notification rules carry PagerDuty's type names)."""
    if not isinstance(data, Mapping) or any(key in data for key in _FOREIGN):
        return False
    if not any(key in data for key in TOP_KEYS[:3]):
        return False
    if any("escalation_rules" in p for p in _records(data, "escalation_policies")):
        return True
    if any("schedule_layers" in s for s in _records(data, "schedules")):
        return True
    for user in _records(data, "users"):
        methods = _records(user, "contact_methods")
        if any(m.get("type") in KIND_OF_METHOD for m in methods):
            return True
        rules = _records(user, "notification_rules")
        if any(r.get("type") == "assignment_notification_rule" for r in rules):
            return True
    return False
