"""On-call rotations and their overrides: create, read, update, delete, list, and shifts (S1-S7)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from typing import Any

from engine.arns import make_arn
from engine.errors import ResourceNotFoundException, field_error
from engine.oncall import Override, Rotation, RotationError, iter_shifts
from engine.service.context import Context, bad_reference
from engine.service.handlers import handles
from engine.service.tags import tag_map
from engine.sim.state import OverrideState, RotationState

__all__ = ["build_schedule", "rotation_summary"]

MIN_OVERRIDE = dt.timedelta(minutes=30)  # docs/semantics.md S6


def build_schedule(
    contact_ids: Sequence[str],
    start: dt.datetime,
    time_zone_id: str,
    recurrence: dict[str, Any],
    overrides: Sequence[OverrideState] = (),
    path: str = "",
) -> Rotation:
    """The shift algorithm's rotation, or a ValidationException naming the field and value."""
    try:
        return Rotation(
            contact_ids,
            start,
            time_zone_id,
            recurrence,
            [Override(o.start, o.end, o.new_contact_ids, o.created) for o in overrides],
        )
    except RotationError as exc:
        name = f"{path}{exc.field}"
        raise field_error(name, f"Value {_show(exc.value)} at '{name}' {exc.problem}") from None


def _show(value: object) -> str:
    text = f"'{value}'" if isinstance(value, str) else repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


def _members(ctx: Context, contact_ids: Sequence[str], path: str) -> list[str]:
    """Rotation members as canonical ARNs: PERSONAL contacts that exist, no repeats."""
    members: list[str] = []
    for i, contact_id in enumerate(contact_ids):
        contact = ctx.contact(contact_id)
        if contact.type != "PERSONAL":
            raise bad_reference(
                f"{path}[{i}]",
                contact_id,
                f"is a {contact.type} contact; only PERSONAL contacts can be rotation members",
            )
        if contact.arn in members:
            raise bad_reference(f"{path}[{i}]", contact_id, "names a member twice")
        members.append(contact.arn)
    return members


def rotation_summary(rotation: RotationState) -> dict[str, Any]:
    """A ``Rotation`` list item (also GetRotation's answer)."""
    return {
        "RotationArn": rotation.arn,
        "Name": rotation.name,
        "ContactIds": list(rotation.contact_ids),
        "StartTime": rotation.start,
        "TimeZoneId": rotation.time_zone_id,
        "Recurrence": rotation.recurrence,
    }


def _override_item(override: OverrideState, ctx: Context) -> dict[str, Any]:
    return {
        "RotationOverrideId": override.id,
        "NewContactIds": list(override.new_contact_ids),
        "StartTime": override.start,
        "EndTime": override.end,
        "CreateTime": ctx.datetime(override.create_time),
    }


@handles("CreateRotation")
def create_rotation(ctx: Context, req: dict[str, Any]) -> dict[str, Any]:
    """CreateRotation: members in shift order; StartTime defaults to now (S1b)."""

    def create() -> dict[str, Any]:
        members = _members(ctx, req["ContactIds"], "ContactIds")
        start = req.get("StartTime") or ctx.datetime(ctx.engine.env.now)
        schedule = build_schedule(members, start, req["TimeZoneId"], req["Recurrence"])
        n = ctx.ns.next_count("rotation")
        uuid = ctx.engine.rng.uuid("rotation", ctx.ns.account, ctx.ns.region, str(n))
        arn = make_arn(ctx.ns.region, ctx.ns.account, "rotation", uuid)
        rotation = RotationState(
            arn, req["Name"], members, start, req["TimeZoneId"], req["Recurrence"], schedule
        )
        rotation.tags = tag_map(req.get("Tags", []))
        ctx.ns.rotations[arn] = rotation
        return {"RotationArn": arn}

    return ctx.idempotent(req, create)


@handles("GetRotation")
def get_rotation(ctx: Context, req: dict[str, Any]) -> dict[str, Any]:
    """GetRotation."""
    return rotation_summary(ctx.rotation(req["RotationId"]))


@handles("UpdateRotation")
def update_rotation(ctx: Context, req: dict[str, Any]) -> dict[str, Any]:
    """UpdateRotation: a new Recurrence, and optionally members, start and zone. Overrides stay."""
    rotation = ctx.rotation(req["RotationId"])
    members = (
        _members(ctx, req["ContactIds"], "ContactIds")
        if "ContactIds" in req
        else rotation.contact_ids
    )
    start = req.get("StartTime", rotation.start)
    zone = req.get("TimeZoneId", rotation.time_zone_id)
    schedule = build_schedule(
        members, start, zone, req["Recurrence"], list(rotation.overrides.values())
    )
    rotation.contact_ids = members
    rotation.start = start
    rotation.time_zone_id = zone
    rotation.recurrence = req["Recurrence"]
    rotation.schedule = schedule
    return {}


@handles("DeleteRotation")
def delete_rotation(ctx: Context, req: dict[str, Any]) -> dict[str, Any]:
    """DeleteRotation: also removed from every on-call schedule that lists it."""
    rotation = ctx.rotation(req["RotationId"])
    for contact in ctx.ns.contacts.values():
        rotation_ids = contact.plan.get("RotationIds")
        if rotation_ids and rotation.arn in rotation_ids:
            # Plans are replaced whole, never edited in place (see ContactState).
            contact.plan = {
                **contact.plan,
                "RotationIds": [r for r in rotation_ids if r != rotation.arn],
            }
    del ctx.ns.rotations[rotation.arn]
    return {}


@handles("ListRotations")
def list_rotations(ctx: Context, req: dict[str, Any]) -> dict[str, Any]:
    """ListRotations in creation order, filtered by RotationNamePrefix."""
    prefix = req.get("RotationNamePrefix", "")
    rotations = [r for r in ctx.ns.rotations.values() if r.name.startswith(prefix)]
    return ctx.paginate(req, rotations, "Rotations", rotation_summary)


def _window(
    ctx: Context, req: dict[str, Any], start_member: str = "StartTime"
) -> tuple[dt.datetime, dt.datetime]:
    start = req.get(start_member) or ctx.datetime(ctx.engine.env.now)
    end = req["EndTime"]
    if end <= start:
        raise field_error(
            "EndTime",
            f"Value '{end.isoformat()}' at 'EndTime' must be after the start of the window "
            f"({start.isoformat()})",
        )
    return start, end


def _list_shifts(ctx: Context, req: dict[str, Any], shifts: Iterator[Any]) -> dict[str, Any]:
    return ctx.paginate(req, [s.as_aws() for s in shifts], "RotationShifts", lambda item: item)


@handles("ListRotationShifts")
def list_rotation_shifts(ctx: Context, req: dict[str, Any]) -> dict[str, Any]:
    """ListRotationShifts: shifts overlapping [StartTime or now, EndTime), listed whole (S7)."""
    rotation = ctx.rotation(req["RotationId"])
    start, end = _window(ctx, req)
    return _list_shifts(ctx, req, iter_shifts(rotation.schedule, start, end))


@handles("ListPreviewRotationShifts")
def list_preview_rotation_shifts(ctx: Context, req: dict[str, Any]) -> dict[str, Any]:
    """ListPreviewRotationShifts: shifts of a rotation that does not exist, from its settings."""
    rotation_start = req.get("RotationStartTime") or ctx.datetime(ctx.engine.env.now)
    overrides = [
        OverrideState(
            str(i),
            list(o.get("NewMembers", ())),
            o.get("StartTime") or rotation_start,
            o.get("EndTime") or rotation_start,
            0.0,
            i,
        )
        for i, o in enumerate(req.get("Overrides", ()))
    ]
    schedule = build_schedule(
        req["Members"], rotation_start, req["TimeZoneId"], req["Recurrence"], overrides
    )
    start, end = _window(ctx, {**req, "StartTime": req.get("StartTime") or rotation_start})
    return _list_shifts(ctx, req, iter_shifts(schedule, start, end))


@handles("CreateRotationOverride")
def create_rotation_override(ctx: Context, req: dict[str, Any]) -> dict[str, Any]:
    """CreateRotationOverride: rotation members only, at least 30 minutes (S6)."""

    def create() -> dict[str, Any]:
        rotation = ctx.rotation(req["RotationId"])
        members = []
        for i, contact_id in enumerate(req["NewContactIds"]):
            key = ctx.canonical(contact_id, "contact")
            if key is None or key not in rotation.contact_ids:
                raise bad_reference(
                    f"NewContactIds[{i}]", contact_id, f"is not a member of rotation {rotation.arn}"
                )
            members.append(key)
        start, end = req["StartTime"], req["EndTime"]
        if end - start < MIN_OVERRIDE:
            raise field_error(
                "EndTime",
                f"Value '{end.isoformat()}' at 'EndTime' leaves the override shorter than 30 "
                f"minutes after its StartTime ({start.isoformat()})",
            )
        rotation.overrides_created += 1
        n = ctx.ns.next_count("rotation-override")
        override_id = ctx.engine.rng.uuid(
            "rotation-override", ctx.ns.account, ctx.ns.region, str(n)
        )
        override = OverrideState(
            override_id, members, start, end, ctx.engine.env.now, rotation.overrides_created
        )
        schedule = build_schedule(
            rotation.contact_ids,
            rotation.start,
            rotation.time_zone_id,
            rotation.recurrence,
            [*rotation.overrides.values(), override],
        )
        rotation.overrides[override_id] = override
        rotation.schedule = schedule
        return {"RotationOverrideId": override_id}

    return ctx.idempotent(req, create)


def _override(ctx: Context, rotation: RotationState, override_id: str) -> OverrideState:
    override = rotation.overrides.get(override_id.lower())
    if override is None:
        raise ResourceNotFoundException(
            f"Rotation override not found: {override_id!r} is not an override of {rotation.arn}",
            override_id,
            "ROTATION_OVERRIDE",
        )
    return override


@handles("GetRotationOverride")
def get_rotation_override(ctx: Context, req: dict[str, Any]) -> dict[str, Any]:
    """GetRotationOverride."""
    rotation = ctx.rotation(req["RotationId"])
    override = _override(ctx, rotation, req["RotationOverrideId"])
    item = _override_item(override, ctx)
    return {
        "RotationOverrideId": item["RotationOverrideId"],
        "RotationArn": rotation.arn,
        "NewContactIds": item["NewContactIds"],
        "StartTime": item["StartTime"],
        "EndTime": item["EndTime"],
        "CreateTime": item["CreateTime"],
    }


@handles("DeleteRotationOverride")
def delete_rotation_override(ctx: Context, req: dict[str, Any]) -> dict[str, Any]:
    """DeleteRotationOverride: the replaced contacts are on call again."""
    rotation = ctx.rotation(req["RotationId"])
    override = _override(ctx, rotation, req["RotationOverrideId"])
    remaining = [o for o in rotation.overrides.values() if o is not override]
    rotation.schedule = build_schedule(
        rotation.contact_ids, rotation.start, rotation.time_zone_id, rotation.recurrence, remaining
    )
    del rotation.overrides[override.id]
    return {}


@handles("ListRotationOverrides")
def list_rotation_overrides(ctx: Context, req: dict[str, Any]) -> dict[str, Any]:
    """ListRotationOverrides: overrides overlapping [StartTime, EndTime), in creation order."""
    rotation = ctx.rotation(req["RotationId"])
    start, end = _window(ctx, req)
    overrides = [o for o in rotation.overrides.values() if o.start < end and o.end > start]
    return ctx.paginate(req, overrides, "RotationOverrides", lambda o: _override_item(o, ctx))
