"""On-call rotations and their overrides: create, read, update, delete, list, and shifts (S1-S7)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterator, Sequence
from itertools import islice

from engine.arns import make_arn
from engine.domain import Override, Plan, Rotation
from engine.errors import ResourceNotFoundException, field_error
from engine.model import requests as rq
from engine.oncall import Rotation as Schedule
from engine.oncall import RotationError, Shift, iter_shifts
from engine.service.context import DEFAULT_PAGE_SIZE, Context, bad_reference
from engine.service.handlers import Answer, handles
from engine.service.tags import tag_map
from engine.service.translate import override_item, recurrence_of, rotation_summary
from engine.sim.state import schedule_of

MIN_OVERRIDE = dt.timedelta(minutes=30)  # docs/semantics.md S6


def checked_schedule(rotation: Rotation, path: str = "") -> Schedule:
    """The shift algorithm's rotation, or a ValidationException naming the field and value."""
    try:
        return schedule_of(rotation)
    except RotationError as exc:
        name = f"{path}{exc.field}"
        raise field_error(name, f"Value {shown(exc.value)} at '{name}' {exc.problem}") from None


def next_order(rotation: Rotation) -> int:
    """The creation number of a new override of ``rotation``: after every one it has."""
    return max((o.order for o in rotation.overrides), default=0) + 1


def shown(value: object) -> str:
    """A value as field messages quote it, cut to 80 characters."""
    text = f"'{value}'" if isinstance(value, str) else repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


def _members(ctx: Context, contact_ids: Sequence[str], path: str) -> tuple[str, ...]:
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
    return tuple(members)


def _now(ctx: Context) -> dt.datetime:
    return ctx.datetime(ctx.engine.env.now)


@handles("CreateRotation")
def create_rotation(ctx: Context, req: rq.CreateRotationRequest) -> Answer:
    """CreateRotation: members in shift order; StartTime defaults to now (S1b)."""

    def create() -> Answer:
        members = _members(ctx, req.contact_ids, "ContactIds")
        start = req.start_time or _now(ctx)
        recurrence = recurrence_of(req.recurrence)
        rotation = Rotation("", req.name, members, start, req.time_zone_id, recurrence)
        schedule = checked_schedule(rotation)
        n = ctx.ns.next_count("rotation")
        uuid = ctx.engine.rng.uuid("rotation", ctx.ns.account, ctx.ns.region, str(n))
        arn = make_arn(ctx.ns.region, ctx.ns.account, "rotation", uuid)
        tags = tag_map(req.tags or [])
        ctx.ns.put_rotation(dataclasses.replace(rotation, arn=arn), schedule)
        ctx.ns.tags[arn] = tags
        return {"RotationArn": arn}

    return ctx.idempotent(req, req.idempotency_token, create)


@handles("GetRotation")
def get_rotation(ctx: Context, req: rq.GetRotationRequest) -> Answer:
    """GetRotation."""
    return rotation_summary(ctx.rotation(req.rotation_id))


@handles("UpdateRotation")
def update_rotation(ctx: Context, req: rq.UpdateRotationRequest) -> Answer:
    """UpdateRotation: a new Recurrence, and optionally members, start and zone. Overrides stay."""
    rotation = ctx.rotation(req.rotation_id)
    members = rotation.contact_ids
    if req.contact_ids is not None:
        members = _members(ctx, req.contact_ids, "ContactIds")
    updated = dataclasses.replace(
        rotation,
        contact_ids=members,
        start=req.start_time or rotation.start,
        time_zone_id=req.time_zone_id or rotation.time_zone_id,
        recurrence=recurrence_of(req.recurrence),
    )
    ctx.ns.put_rotation(updated, checked_schedule(updated))
    return {}


@handles("DeleteRotation")
def delete_rotation(ctx: Context, req: rq.DeleteRotationRequest) -> Answer:
    """DeleteRotation: also removed from every on-call schedule that lists it."""
    rotation = ctx.rotation(req.rotation_id)
    for contact in list(ctx.ns.contacts.values()):
        rotation_ids = contact.plan.rotations
        if rotation.arn in rotation_ids:
            # Plans are replaced whole, never edited in place.
            kept = tuple(r for r in rotation_ids if r != rotation.arn)
            plan = Plan(contact.plan.stages, kept)
            ctx.ns.contacts[contact.arn] = dataclasses.replace(contact, plan=plan)
    del ctx.ns.rotations[rotation.arn]
    del ctx.ns.schedules[rotation.arn]
    ctx.ns.forget(rotation.arn)
    return {}


@handles("ListRotations")
def list_rotations(ctx: Context, req: rq.ListRotationsRequest) -> Answer:
    """ListRotations in creation order, filtered by RotationNamePrefix."""
    prefix = req.rotation_name_prefix or ""
    rotations = [r for r in ctx.ns.rotations.values() if r.name.startswith(prefix)]
    return ctx.paginate((req.next_token, req.max_results), rotations, "Rotations", rotation_summary)


def _window(
    start: dt.datetime | None, end: dt.datetime, ctx: Context
) -> tuple[dt.datetime, dt.datetime]:
    start = start or _now(ctx)
    if end <= start:
        raise field_error(
            "EndTime",
            f"Value '{end.isoformat()}' at 'EndTime' must be after the start of the window "
            f"({start.isoformat()})",
        )
    return start, end


def _list_shifts(
    ctx: Context, page: tuple[str | None, int | None], shifts: Iterator[Shift]
) -> Answer:
    # Shifts are generated only up to one past the page asked for: a window of centuries would
    # otherwise be computed whole for every page (and stall a server meanwhile).
    token, max_results = page
    needed = ctx.token_offset(token) + (max_results or DEFAULT_PAGE_SIZE) + 1
    return ctx.paginate(page, list(islice(shifts, needed)), "RotationShifts", Shift.as_aws)


@handles("ListRotationShifts")
def list_rotation_shifts(ctx: Context, req: rq.ListRotationShiftsRequest) -> Answer:
    """ListRotationShifts: shifts overlapping [StartTime or now, EndTime), listed whole (S7)."""
    rotation = ctx.rotation(req.rotation_id)
    start, end = _window(req.start_time, req.end_time, ctx)
    shifts = iter_shifts(ctx.ns.schedules[rotation.arn], start, end)
    return _list_shifts(ctx, (req.next_token, req.max_results), shifts)


@handles("ListPreviewRotationShifts")
def list_preview_rotation_shifts(ctx: Context, req: rq.ListPreviewRotationShiftsRequest) -> Answer:
    """ListPreviewRotationShifts: shifts of a rotation that does not exist, from its settings."""
    rotation_start = req.rotation_start_time or _now(ctx)
    overrides = tuple(
        Override(
            str(i),
            tuple(o.new_members or ()),
            o.start_time or rotation_start,
            o.end_time or rotation_start,
            rotation_start,
            i,
        )
        for i, o in enumerate(req.overrides or ())
    )
    preview = Rotation(
        "",
        "",
        tuple(req.members),
        rotation_start,
        req.time_zone_id,
        recurrence_of(req.recurrence),
        overrides,
    )
    schedule = checked_schedule(preview)
    start, end = _window(req.start_time or rotation_start, req.end_time, ctx)
    return _list_shifts(ctx, (req.next_token, req.max_results), iter_shifts(schedule, start, end))


@handles("CreateRotationOverride")
def create_rotation_override(ctx: Context, req: rq.CreateRotationOverrideRequest) -> Answer:
    """CreateRotationOverride: rotation members only, at least 30 minutes (S6)."""

    def create() -> Answer:
        rotation = ctx.rotation(req.rotation_id)
        members = []
        for i, contact_id in enumerate(req.new_contact_ids):
            key = ctx.canonical(contact_id, "contact")
            if key is None or key not in rotation.contact_ids:
                raise bad_reference(
                    f"NewContactIds[{i}]", contact_id, f"is not a member of rotation {rotation.arn}"
                )
            members.append(key)
        start, end = req.start_time, req.end_time
        if end - start < MIN_OVERRIDE:
            raise field_error(
                "EndTime",
                f"Value '{end.isoformat()}' at 'EndTime' leaves the override shorter than 30 "
                f"minutes after its StartTime ({start.isoformat()})",
            )
        n = ctx.ns.next_count("rotation-override")
        override_id = ctx.engine.rng.uuid(
            "rotation-override", ctx.ns.account, ctx.ns.region, str(n)
        )
        override = Override(
            override_id, tuple(members), start, end, _now(ctx), next_order(rotation)
        )
        updated = dataclasses.replace(rotation, overrides=(*rotation.overrides, override))
        ctx.ns.put_rotation(updated, checked_schedule(updated))
        return {"RotationOverrideId": override_id}

    return ctx.idempotent(req, req.idempotency_token, create)


def _override(rotation: Rotation, override_id: str) -> Override:
    wanted = override_id.lower()
    override = next((o for o in rotation.overrides if o.id == wanted), None)
    if override is None:
        raise ResourceNotFoundException(
            f"Rotation override not found: {override_id!r} is not an override of {rotation.arn}",
            override_id,
            "ROTATION_OVERRIDE",
        )
    return override


@handles("GetRotationOverride")
def get_rotation_override(ctx: Context, req: rq.GetRotationOverrideRequest) -> Answer:
    """GetRotationOverride."""
    rotation = ctx.rotation(req.rotation_id)
    item = override_item(_override(rotation, req.rotation_override_id))
    return {
        "RotationOverrideId": item["RotationOverrideId"],
        "RotationArn": rotation.arn,
        **item,
    }


@handles("DeleteRotationOverride")
def delete_rotation_override(ctx: Context, req: rq.DeleteRotationOverrideRequest) -> Answer:
    """DeleteRotationOverride: the replaced contacts are on call again."""
    rotation = ctx.rotation(req.rotation_id)
    override = _override(rotation, req.rotation_override_id)
    remaining = tuple(o for o in rotation.overrides if o is not override)
    updated = dataclasses.replace(rotation, overrides=remaining)
    ctx.ns.put_rotation(updated, checked_schedule(updated))
    return {}


@handles("ListRotationOverrides")
def list_rotation_overrides(ctx: Context, req: rq.ListRotationOverridesRequest) -> Answer:
    """ListRotationOverrides: overrides overlapping [StartTime, EndTime), in creation order."""
    rotation = ctx.rotation(req.rotation_id)
    start, end = _window(req.start_time, req.end_time, ctx)
    overrides = [o for o in rotation.overrides if o.start < end and o.end > start]
    page = (req.next_token, req.max_results)
    return ctx.paginate(page, overrides, "RotationOverrides", override_item)
