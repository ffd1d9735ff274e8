"""The settings an Opsgenie document is read under (docs/vendors/opsgenie.md explains each).

Opsgenie decides some things from an alert's content or from state its API reference does not
pin down; a simulated incident has no content, so each such choice is a named setting with a
stated default, given by the caller (``--vendor-setting NAME=VALUE``).
"""

from __future__ import annotations

from collections.abc import Mapping

from engine.scenario.errors import Problem, ScenarioError

__all__ = ["SETTINGS", "resolve_settings"]

SETTINGS: Mapping[str, tuple[str, tuple[str, ...]]] = {
    # A New Alert rule whose criteria test the alert's fields: a simulated alert has none, so
    # either the rule is passed over (the catch-all rule below it applies) or assumed to match.
    "notification-criteria": ("skip", ("skip", "match")),
    # A New Alert rule limited by a timeRestriction: the neutral model has no time-dependent
    # personal rules, so it is either passed over or read as applying at all times.
    "notification-time-restriction": ("skip", ("skip", "apply")),
    # What an object without an ``enabled`` field (contact status, rule, step) is read as.
    "absent-enabled": ("enabled", ("enabled", "disabled")),
}
"""Setting name -> (default, allowed values)."""


def resolve_settings(given: Mapping[str, str], file: str) -> dict[str, str]:
    """Every setting's value: ``given`` over the defaults. An unknown name or a value not
    allowed is a ScenarioError (a settings error) naming it and the allowed values."""
    problems: list[Problem] = []
    values = {name: default for name, (default, _) in SETTINGS.items()}
    for name, value in given.items():
        if name not in SETTINGS:
            known = ", ".join(SETTINGS)
            problems.append(
                Problem((), f"unknown Opsgenie setting {name!r}; the settings are {known}")
            )
            continue
        allowed = SETTINGS[name][1]
        if value not in allowed:
            problems.append(
                Problem(
                    (),
                    f"Opsgenie setting {name} must be one of {', '.join(allowed)}",
                    None,
                    value,
                )
            )
            continue
        values[name] = value
    if problems:
        raise ScenarioError(file, problems, settings=True)
    return values
