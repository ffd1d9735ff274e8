"""GoAlert (target/goalert) organisations: its GraphQL query results, read and written.

The document is one JSON or YAML object holding the ``nodes`` of GoAlert's GraphQL list queries
under ``users``, ``escalationPolicies``, ``rotations``, ``schedules`` and ``userOverrides``
(docs/vendors/goalert.md gives the queries). :func:`read` makes an
:class:`~engine.policy.model.OnCallSetup` of it under the :data:`SETTINGS`; :func:`write` makes
such a document of any setup, with a line for each construct GoAlert cannot express.
"""

from __future__ import annotations

from collections.abc import Mapping

from engine.vendors.goalert_read import SETTINGS, read
from engine.vendors.goalert_write import write

__all__ = ["SETTINGS", "looks_like", "read", "write"]

_OWN_KEYS = ("escalationPolicies", "userOverrides")


def looks_like(data: object) -> bool:
    """Whether ``data`` is a GoAlert document: an object with GoAlert's camel-case list keys
    (``escalationPolicies`` or ``userOverrides``), or top-level ``rotations`` whose items carry
    GoAlert's ``shiftLength``. PagerDuty's ``escalation_policies``, Opsgenie's rotations nested
    in schedules, CloudFormation templates and scenario files have none of these."""
    if not isinstance(data, Mapping) or "Resources" in data:
        return False
    if any(isinstance(data.get(key), list) for key in _OWN_KEYS):
        return True
    rotations = data.get("rotations")
    return (
        isinstance(rotations, list)
        and bool(rotations)
        and all(isinstance(r, Mapping) and "shiftLength" in r for r in rotations)
    )
