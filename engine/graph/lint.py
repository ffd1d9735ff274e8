"""Untrusted AWS-shaped records to the typed organisation, every problem a finding.

Each record is checked against the wire model of what prints it (``get-contact``,
``get-contact-channel``, ``list-rotations``, ``get-rotation-override``) by
``engine.model.validation``, whose translated problems become findings ``G002`` (``G004`` for a
target). What no model can know is checked here: a record's own ARN (``G001``), a repeated one
(``G003``), an alias or owner that contradicts the ARN, and the members the graph cannot do
without. A record with a problem is left out of the organisation, as an import would leave it
out; the rest becomes domain objects for :class:`~engine.graph.contact_graph.ContactGraph`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from typing import TypeVar

from engine.arns import parse_arn
from engine.domain import Channel, Contact
from engine.errors import ValidationException
from engine.findings import CATALOGUE, Finding
from engine.graph.build import OverrideView, RotationView, alias_in, root
from engine.model.base import WireModel
from engine.model.results import (
    GetContactChannelResult,
    GetContactResult,
    GetRotationOverrideResult,
)
from engine.model.rotations import Rotation
from engine.model.validation import validate_shape

__all__ = ["read_records"]

Shape = TypeVar("Shape", bound=WireModel)
Records = tuple[
    dict[str, Contact], dict[str, Channel], list[RotationView], list[OverrideView], list[Finding]
]
_TARGET = re.compile(r"Targets\[[0-9]+\]$")


def _show(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


def read_records(
    contacts: object, channels: object, rotations: object, overrides: object
) -> Records:
    """The organisation the records describe, and the findings of every record it leaves out."""
    reader = _Reader()
    return (
        reader.contacts(contacts),
        reader.channels(channels),
        reader.rotations(rotations),
        reader.overrides(overrides),
        reader.findings,
    )


class _Reader:
    def __init__(self) -> None:
        self.findings: list[Finding] = []
        self._first_seen: dict[str, str] = {}

    def report(self, kind_id: str, path: str, subject: str, message: str) -> None:
        self.findings.append(CATALOGUE[kind_id].at(path, subject, message))

    def checked(
        self,
        model: type[Shape],
        record: Mapping[str, object],
        where: str,
        subject: str,
        required: tuple[str, ...] = (),
    ) -> Shape | None:
        """The record as the model reads it, or None with the model's problems reported, as
        with the ``required`` members (dotted paths) that the model leaves optional."""
        missing = [key for key in required if _missing(record, key)]
        for key in missing:
            self.report("G002", f"{where}.{key}", subject, f"{key.split('.')[-1]} is missing")
        try:
            checked = validate_shape(model, dict(record))
        except ValidationException as exc:
            for field in exc.members.get("Fields") or []:
                kind = "G004" if _TARGET.search(field["Name"]) else "G002"
                self.report(kind, f"{where}.{field['Name']}", subject, field["Message"])
            return None
        return None if missing else checked

    def records(self, value: object, label: str) -> Iterator[tuple[str, Mapping[str, object]]]:
        if isinstance(value, str | bytes | Mapping) or not isinstance(value, Iterable):
            self.report("G001", label, "", f"{label} must be a list of records, got {_show(value)}")
            return
        for index, item in enumerate(value):
            where = f"{label}[{index}]"
            if isinstance(item, Mapping):
                yield where, item
            else:
                message = f"{where} must be an object, got {_show(item)}; it is ignored"
                self.report("G001", where, "", message)

    def first(self, key: str, where: str, member: str, subject: str) -> bool:
        """Whether ``key`` (an ARN, or an override id, which is never one) is new."""
        if key not in self._first_seen:
            self._first_seen[key] = where
            return True
        message = f"{where} repeats {member} {key} of {self._first_seen[key]}; it is ignored"
        self.report("G003", f"{where}.{member}", subject, message)
        return False

    def identity(self, record: Mapping[str, object], key: str, kind: str, where: str) -> str | None:
        """The record's ARN under ``key`` when it is an ARN of ``kind``, else None, reported."""
        value = record.get(key)
        parsed = parse_arn(value) if isinstance(value, str) else None
        parts = 2 if kind == "contact-channel" else 1
        if parsed is not None and parsed.kind == kind and len(parsed.parts) == parts:
            return str(value)
        message = (
            f"{where} has no {key}; it is ignored"
            if value is None
            else f"{key} {_show(value)} is not a {kind} ARN; {where} is ignored"
        )
        self.report("G001", f"{where}.{key}", "", message)
        return None

    def identified(
        self, value: object, label: str, key: str, kind: str
    ) -> Iterator[tuple[str, Mapping[str, object]]]:
        """The records of ``value`` whose own ARN under ``key`` is usable, each ARN once."""
        for where, record in self.records(value, label):
            arn = self.identity(record, key, kind, where)
            if arn is not None and self.first(arn, where, key, arn):
                yield arn, record

    def contacts(self, value: object) -> dict[str, Contact]:
        found: dict[str, Contact] = {}
        for arn, record in self.identified(value, "contacts", "ContactArn", "contact"):
            alias, given = alias_in(arn), record.get("Alias")
            if isinstance(given, str) and given != alias:
                message = f"Alias {given!r} differs from the alias {alias!r} in ContactArn {arn}"
                self.report("G002", f"{root(arn)}.Alias", arn, message)
            checked = self.checked(GetContactResult, record, root(arn), arn)
            if checked is not None:
                plan = checked.plan.to_domain()
                found[arn] = Contact(arn, alias, checked.type, plan, checked.display_name)
        return found

    def channels(self, value: object) -> dict[str, Channel]:
        found: dict[str, Channel] = {}
        for arn, record in self.identified(
            value, "channels", "ContactChannelArn", "contact-channel"
        ):
            owner = record.get("ContactArn")
            parsed = parse_arn(owner) if isinstance(owner, str) else None
            if isinstance(owner, str) and (parsed is None or parsed.kind != "contact"):
                message = f"ContactArn {_show(owner)} is not a contact ARN"
                self.report("G002", f"{root(arn)}.ContactArn", arn, message)
            elif parsed is not None and parsed.parts[0] != alias_in(arn):
                message = (
                    f"ContactArn names contact {parsed.parts[0]!r} but the channel ARN {arn} "
                    f"carries alias {alias_in(arn)!r}"
                )
                self.report("G002", f"{root(arn)}.ContactArn", arn, message)
            required = ("DeliveryAddress.SimpleAddress",)
            checked = self.checked(GetContactChannelResult, record, root(arn), arn, required)
            if checked is not None:
                found[arn] = Channel(
                    arn,
                    checked.contact_arn,
                    checked.name,
                    checked.type,
                    str(checked.delivery_address.simple_address),
                    checked.activation_status == "ACTIVATED",  # absent means NOT_ACTIVATED
                )
        return found

    def rotations(self, value: object) -> list[RotationView]:
        found: list[RotationView] = []
        for arn, record in self.identified(value, "rotations", "RotationArn", "rotation"):
            checked = self.checked(Rotation, record, root(arn), arn, ("ContactIds",))
            if checked is not None:
                found.append(RotationView(arn, checked.name, tuple(checked.contact_ids or ())))
        return found

    def overrides(self, value: object) -> list[OverrideView]:
        found: list[OverrideView] = []
        for where, record in self.records(value, "overrides"):
            override_id = record.get("RotationOverrideId")
            if not isinstance(override_id, str) or not override_id:
                message = (
                    f"{where} has no usable RotationOverrideId (got {_show(override_id)}); "
                    "it is ignored"
                )
                self.report("G001", f"{where}.RotationOverrideId", "", message)
                continue
            rotation = self.identity(record, "RotationArn", "rotation", where)
            if rotation is None or not self.first(
                override_id, where, "RotationOverrideId", rotation
            ):
                continue
            required = ("NewContactIds", "StartTime", "EndTime")
            path = f"override/{override_id}"
            checked = self.checked(GetRotationOverrideResult, record, path, rotation, required)
            if checked is not None and checked.start_time and checked.end_time:
                members = tuple(checked.new_contact_ids or ())
                start, end = checked.start_time, checked.end_time
                found.append(OverrideView(override_id, rotation, members, start, end))
        return found


def _missing(record: Mapping[str, object], path: str) -> bool:
    """Whether the member at a dotted path is absent from a holder that is there."""
    *parents, last = path.split(".")
    holder: object = record
    for key in parents:
        holder = holder.get(key) if isinstance(holder, Mapping) else None
    return isinstance(holder, Mapping) and holder.get(last) is None
