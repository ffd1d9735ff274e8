"""Opsgenie teams, read only for their members: an escalation rule may notify all members of a
team, its admins, its users or one member at random (``notifyType`` all, admins, users, random).
A team's routing rules (``notifyType: default``) are not part of the export.
"""

from __future__ import annotations

import dataclasses

from engine.scenario.paths import FieldPath
from engine.vendors.opsgenie_fields import Fields, Obj
from engine.vendors.opsgenie_people import People

__all__ = ["Teams", "read_teams"]


@dataclasses.dataclass
class Teams:
    """Each team's members as (person id, role), by the team's id and by its name."""

    members: dict[str, tuple[tuple[str, str], ...]] = dataclasses.field(default_factory=dict)
    ids: dict[str, str] = dataclasses.field(default_factory=dict)


def read_teams(fields: Fields, items: list[tuple[FieldPath, Obj]], people: People) -> Teams:
    """Every team of the document (problems recorded in ``fields``)."""
    out = Teams()
    for path, item in items:
        team_id = fields.text(item, "id", path)
        name = fields.text(item, "name", path, required=False)
        members: list[tuple[str, str]] = []
        for where, member in fields.objects(item, "members", path):
            user = fields.obj(member.get("user"), (*where, "user"))
            role = fields.text(member, "role", where, required=False) or "user"
            person = (
                None if user is None else people.find(fields, user, (*where, "user"), "a member")
            )
            if person is not None:
                members.append((person, role))
        if team_id is None:
            continue
        for key in (team_id, name):
            if key and key in out.ids:
                fields.fail(path, f"a second team with id or name {key!r}")
        out.members[team_id] = tuple(members)
        out.ids.setdefault(team_id, team_id)
        if name:
            out.ids.setdefault(name, team_id)
    return out
