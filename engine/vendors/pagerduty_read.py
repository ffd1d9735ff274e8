"""Reading a PagerDuty export (REST API v2 objects) into the neutral :class:`OnCallSetup`.

The document and every mapping are described in docs/vendors/pagerduty.md. Every problem is
collected and raised together as one ScenarioError naming the place and the value; nothing in a
bad document raises anything else.
"""

from __future__ import annotations

from collections.abc import Mapping

from engine.policy.model import OnCallSetup
from engine.scenario.errors import Problem, ScenarioError
from engine.scenario.yamlsource import Source
from engine.vendors.pagerduty_people import PeopleReader
from engine.vendors.pagerduty_policies import PolicyReader
from engine.vendors.pagerduty_schedules import ScheduleReader
from engine.vendors.pagerduty_shapes import SETTINGS, TOP_KEYS

__all__ = ["read", "resolve_settings"]

#: Keys of a list response that may be left in a gathered document and mean nothing here.
_PAGING = ("limit", "offset", "more", "total")


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


class _Reader(PeopleReader, ScheduleReader, PolicyReader):
    """One pass over the document, gathering the neutral objects, notes and problems."""


def read(source: Source, settings: Mapping[str, str]) -> OnCallSetup:
    """The PagerDuty export in ``source`` as an OnCallSetup, read under ``settings``."""
    chosen = resolve_settings(source.file, settings)
    reader = _Reader(source, chosen)
    root = reader.fields.record(source.data, (), "a PagerDuty export")
    if root is None:
        raise reader.fields.error()
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
