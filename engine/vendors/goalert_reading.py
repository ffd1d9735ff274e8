"""What reading a GoAlert document shares between its parts: the settings, the state of one
reading (problems, notes, what has been read so far) and the ids made for schedule targets."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping

from engine.policy.model import Person, Rotation
from engine.vendors.goalert_fields import Fields

__all__ = ["ONE_MEMBER_START", "SETTINGS", "Reading", "derived_id"]

SETTINGS: Mapping[str, tuple[str, tuple[str, ...]]] = {
    "rotation-state": ("active-user", ("active-user", "start")),
    "Twilio.Enable": ("true", ("true", "false")),
    "SMTP.Enable": ("true", ("true", "false")),
}
"""Name -> (default, allowed values); each explained in docs/vendors/goalert.md."""

ONE_MEMBER_START = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
"""Start of the one-member rotation a schedule's user target becomes (any past instant)."""


def derived_id(target_id: str, schedule_id: str) -> str:
    """The id of the rotation a schedule target with rules becomes: ``<target>@<schedule>``."""
    return f"{target_id}@{schedule_id}"


@dataclasses.dataclass
class Reading:
    """One reading under way: its fields reader (and problems), the settings chosen, the notes,
    and the people, rotations and schedule ids read so far."""

    fields: Fields
    settings: dict[str, str]
    notes: list[str] = dataclasses.field(default_factory=list)
    people: dict[str, Person] = dataclasses.field(default_factory=dict)
    rotations: dict[str, Rotation] = dataclasses.field(default_factory=dict)
    schedule_ids: set[str] = dataclasses.field(default_factory=set)
    empty_rotations: set[str] = dataclasses.field(default_factory=set)
