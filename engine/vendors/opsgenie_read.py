"""Reading an Opsgenie export (docs/vendors/opsgenie.md) into a neutral on-call setup.

The document is one JSON or YAML object with the list endpoints' keys: ``users`` (each with
its ``contacts`` and ``notificationRules``), ``teams`` (for their members), ``schedules`` (each
with its ``rotations`` and ``overrides``) and ``escalations``. Every problem in it is collected
and raised together as one
ScenarioError naming each place and value.
"""

from __future__ import annotations

from collections.abc import Mapping

from engine.policy.model import OnCallSetup
from engine.scenario.yamlsource import Source
from engine.vendors.opsgenie_escalations import read_escalations
from engine.vendors.opsgenie_fields import Fields
from engine.vendors.opsgenie_people import read_people
from engine.vendors.opsgenie_schedules import read_schedules
from engine.vendors.opsgenie_settings import resolve_settings
from engine.vendors.opsgenie_teams import read_teams

__all__ = ["TOP_KEYS", "looks_like", "read"]

TOP_KEYS = ("users", "teams", "schedules", "escalations")


def looks_like(data: object) -> bool:
    """Whether ``data`` is an Opsgenie export: an object whose keys are only the export's,
    holding escalations with ``rules``, or users with a ``username``, or schedules with a
    ``timezone`` (PagerDuty's users have no username, its schedules say ``time_zone``)."""
    if not isinstance(data, Mapping) or not data or any(key not in TOP_KEYS for key in data):
        return False

    def items(key: str) -> list[Mapping[str, object]]:
        value = data.get(key)
        if not isinstance(value, list):
            return []
        return [item for item in value if isinstance(item, Mapping)]

    return (
        any("rules" in item for item in items("escalations"))
        or any("username" in item for item in items("users"))
        or any("timezone" in item for item in items("schedules"))
    )


def read(source: Source, settings: Mapping[str, str]) -> OnCallSetup:
    """The setup ``source`` describes, read under ``settings`` (defaults for those not given).
    Raises ScenarioError with every problem found."""
    values = resolve_settings(settings, source.file)
    fields = Fields(source)
    root = fields.obj(source.data, ())
    if root is None:
        raise fields.error()
    for key in root:
        if key not in TOP_KEYS:
            fields.fail((key,), f"is not a key of an Opsgenie export ({', '.join(TOP_KEYS)})")
    people = read_people(fields, fields.objects(root, "users", ()), values)
    teams = read_teams(fields, fields.objects(root, "teams", ()), people)
    schedules = read_schedules(fields, fields.objects(root, "schedules", ()), people)
    escalations = read_escalations(
        fields, fields.objects(root, "escalations", ()), people, schedules, teams
    )
    fields.raise_if_any()
    return OnCallSetup(
        "opsgenie",
        tuple(people.people),
        tuple(escalations.policies),
        tuple(schedules.rotations),
        tuple(schedules.schedules),
        dict(values),
        (*people.notes, *schedules.notes, *escalations.notes),
    )
