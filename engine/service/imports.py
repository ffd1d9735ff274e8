"""Importing an organisation given in AWS shapes, as get-contact and list-contact-channels print it.

ARNs keep their uuids and aliases but take the run's account and region, so plans that name them
keep resolving. The import is all or nothing: everything is checked against a trial copy of the
namespace, and only a fully valid import replaces the namespace's tables.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping, Sequence
from typing import TypeVar

from engine.arns import make_arn, parse_arn
from engine.domain import Channel, Contact, Override, Plan, Rotation
from engine.errors import ServiceError, ValidationException
from engine.model import requests as rq
from engine.model.base import WireModel
from engine.model.validation import validate_request
from engine.service.channels import address_problem
from engine.service.contacts import check_references
from engine.service.context import Context
from engine.service.rotations import checked_schedule, next_order, shown
from engine.service.translate import recurrence_of, rewritten
from engine.sim.state import Namespace
from engine.timeutil import to_datetime

Request = TypeVar("Request", bound=WireModel)
Problems = list[dict[str, str]]

_UUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")


def import_resources(
    ctx: Context,
    contacts: Sequence[object],
    channels: Sequence[object],
    path: str = "organisation",
    rotations: Sequence[object] = (),
    overrides: Sequence[object] = (),
) -> dict[str, str]:
    """Add contacts, channels, rotations and overrides to ``ctx.ns``.

    Shapes: get-contact, list-contact-channels, get-rotation and get-rotation-override (an
    override names its rotation with RotationArn). Returns {ARN as given: ARN in the run}.
    Raises ValidationException whose field names start with ``path``.
    """
    ns = ctx.ns
    trial = Namespace(
        ns.account,
        ns.region,
        contacts=dict(ns.contacts),
        channels=dict(ns.channels),
        rotations=dict(ns.rotations),
        schedules=dict(ns.schedules),
    )
    trial_ctx = Context("CreateContact", trial, ctx.engine)
    arn_map: dict[str, str] = {}
    problems: Problems = []
    new_contacts: list[tuple[str, Contact]] = []
    rejected: set[str] = set()
    for i, item in enumerate(_as_list(contacts, f"{path}.contacts", problems)):
        where = f"{path}.contacts[{i}]"
        contact = _contact(ns, item, where, arn_map, problems, rejected)
        if contact is not None:
            if contact.arn in trial.contacts:
                problems.append(
                    _field(f"{where}.Alias", contact.alias, "names a contact that already exists")
                )
                continue
            trial.contacts[contact.arn] = contact
            new_contacts.append((where, contact))
    new_channels: list[Channel] = []
    # Each channel's (owner, type, address) once: an import of thousands of channels would
    # otherwise compare every pair.
    addresses: dict[tuple[str, str, str], Channel] = {}
    for existing in trial.channels.values():
        addresses.setdefault((existing.contact_arn, existing.type, existing.address), existing)
    for i, item in enumerate(_as_list(channels, f"{path}.channels", problems)):
        where = f"{path}.channels[{i}]"
        channel = _channel(ns, trial, item, where, arn_map, problems, rejected, addresses)
        if channel is not None:
            trial.channels[channel.arn] = channel
            addresses[(channel.contact_arn, channel.type, channel.address)] = channel
            new_channels.append(channel)
    for i, item in enumerate(_as_list(rotations, f"{path}.rotations", problems)):
        _rotation(ns, trial, item, f"{path}.rotations[{i}]", arn_map, problems)
    for i, item in enumerate(_as_list(overrides, f"{path}.overrides", problems)):
        _override(ctx, trial, item, f"{path}.overrides[{i}]", arn_map, problems)
    # Plans last: they may name channels, contacts and rotations anywhere in the import.
    for where, contact in new_contacts:
        domain_plan = _plan(trial_ctx, contact.plan, arn_map)
        trial.contacts[contact.arn] = dataclasses.replace(contact, plan=domain_plan)
        try:
            path = f"{where}.Plan"
            check_references(trial_ctx, contact.arn, domain_plan, missing=None, path=path)
        except ValidationException as exc:
            problems.extend(exc.members.get("Fields") or [{"Name": where, "Message": exc.message}])
    if problems:
        raise ValidationException.for_fields(problems)
    ns.contacts = trial.contacts
    ns.channels = trial.channels
    ns.rotations = trial.rotations
    ns.schedules = trial.schedules
    for channel in new_channels:
        ctx.engine.channel_event("CHANNEL_CREATED", channel)
        if channel.activated:
            ctx.engine.channel_event("CHANNEL_ACTIVATED", channel)
    return arn_map


def _checked(
    model: type[Request],
    operation: str,
    request: dict[str, object],
    found: Problems,
    where: str,
    rename: dict[str, str] | None = None,
) -> Request | None:
    """``request`` validated as ``operation``'s, or None with its problems (moved under
    ``where``, members renamed by ``rename``) added to ``found``."""
    try:
        checked = validate_request(operation, request)
    except ServiceError as exc:
        found.extend(_prefixed(exc, where, rename))
        return None
    if not isinstance(checked, model):
        raise TypeError(f"{operation} validated into {type(checked).__name__}")
    return checked


def _contact(
    ns: Namespace,
    item: object,
    where: str,
    arn_map: dict[str, str],
    problems: Problems,
    rejected: set[str],
) -> Contact | None:
    """The contact ``item`` describes (plan references as given), or None with its problems.

    A rejected contact's ARN goes into ``rejected``: its channels are not blamed for it.
    """
    if not isinstance(item, dict):
        problems.append(_field(where, item, "must be a contact as get-contact prints it"))
        return None
    found: Problems = []
    request = {k: item[k] for k in ("Alias", "DisplayName", "Type", "Plan") if k in item}
    checked = _checked(rq.CreateContactRequest, "CreateContact", request, found, where)
    given = item.get("ContactArn")
    parts = parse_arn(given) if isinstance(given, str) else None
    alias = item.get("Alias")
    if parts is None or parts.kind != "contact" or len(parts.parts) != 1:
        found.append(_field(f"{where}.ContactArn", given, "must be a contact ARN"))
    elif isinstance(alias, str) and parts.parts != (alias,):
        found.append(
            _field(f"{where}.ContactArn", given, f"must be a contact ARN ending in contact/{alias}")
        )
    elif checked is None:
        rejected.add(make_arn(ns.region, ns.account, "contact", parts.parts[0]))
    if found or checked is None:
        problems.extend(found)
        return None
    arn = make_arn(ns.region, ns.account, "contact", checked.alias)
    arn_map[str(given)] = arn
    plan = checked.plan.to_domain()
    return Contact(arn, checked.alias, checked.type, plan, checked.display_name or None)


def _channel(
    ns: Namespace,
    trial: Namespace,
    item: object,
    where: str,
    arn_map: dict[str, str],
    problems: Problems,
    rejected: set[str],
    addresses: Mapping[tuple[str, str, str], Channel],
) -> Channel | None:
    """The channel ``item`` describes, or None with every problem it has added."""
    if not isinstance(item, dict):
        problems.append(_field(where, item, "must be a channel as list-contact-channels prints it"))
        return None
    found: Problems = []
    owner_given = item.get("ContactArn")
    request = {
        "ContactId": owner_given,
        **{k: item[k] for k in ("Name", "Type", "DeliveryAddress") if k in item},
    }
    checked = _checked(
        rq.CreateContactChannelRequest,
        "CreateContactChannel",
        request,
        found,
        where,
        rename={"ContactId": "ContactArn"},
    )
    owner = None
    if isinstance(owner_given, str):
        owner_arn = _rewrite_arn(ns, owner_given, arn_map)
        owner = trial.contacts.get(owner_arn)
        why = None
        if owner is None:
            why = "names no contact in the import or the run"
        elif owner.type != "PERSONAL":
            why = f"is a {owner.type} contact; only PERSONAL contacts have channels"
        # A rejected owner's own problems are reported where the owner is.
        if why is not None and owner_arn not in rejected:
            found.append(_field(f"{where}.ContactArn", owner_given, why))
    given_arn = item.get("ContactChannelArn")
    parts = parse_arn(given_arn) if isinstance(given_arn, str) else None
    if parts is None or parts.kind != "contact-channel" or len(parts.parts) != 2:
        found.append(
            _field(f"{where}.ContactChannelArn", given_arn, "must be a contact-channel ARN")
        )
    status = item.get("ActivationStatus", "NOT_ACTIVATED")
    if status not in ("ACTIVATED", "NOT_ACTIVATED"):
        found.append(
            _field(f"{where}.ActivationStatus", status, "must be ACTIVATED or NOT_ACTIVATED")
        )
    address = ""
    if checked is not None:
        address = checked.delivery_address.simple_address or ""
        address_why = address_problem(checked.type, address)
        if address_why is not None:
            found.append(_field(f"{where}.DeliveryAddress.SimpleAddress", address, address_why))
    if found or checked is None or owner is None or parts is None or owner.type != "PERSONAL":
        problems.extend(found)
        return None
    arn = make_arn(ns.region, ns.account, "contact-channel", owner.alias, parts.parts[1])
    if arn in trial.channels:
        problems.append(_field(f"{where}.ContactChannelArn", given_arn, "names a channel twice"))
        return None
    other = addresses.get((owner.arn, checked.type, address))
    if other is not None:
        problems.append(
            _field(
                f"{where}.DeliveryAddress.SimpleAddress",
                address,
                f"is already the address of {owner.alias}'s {other.type} channel {other.arn}",
            )
        )
        return None
    arn_map[str(given_arn)] = arn
    return Channel(
        arn, owner.arn, checked.name, checked.type, address, activated=status == "ACTIVATED"
    )


def _rotation(
    ns: Namespace,
    trial: Namespace,
    item: object,
    where: str,
    arn_map: dict[str, str],
    problems: Problems,
) -> None:
    """Add the rotation ``item`` describes to ``trial``, or its problems to ``problems``."""
    if not isinstance(item, dict):
        problems.append(_field(where, item, "must be a rotation as get-rotation prints it"))
        return
    request = {
        k: item[k]
        for k in ("Name", "ContactIds", "StartTime", "TimeZoneId", "Recurrence")
        if k in item
    }
    checked = _checked(rq.CreateRotationRequest, "CreateRotation", request, problems, where)
    if checked is None:
        return
    given = item.get("RotationArn")
    parts = parse_arn(given) if isinstance(given, str) else None
    if parts is None or parts.kind != "rotation" or len(parts.parts) != 1:
        problems.append(_field(f"{where}.RotationArn", given, "must be a rotation ARN"))
        return
    arn = make_arn(ns.region, ns.account, "rotation", parts.parts[0])
    if arn in trial.rotations:
        problems.append(_field(f"{where}.RotationArn", given, "names a rotation that exists"))
        return
    members = []
    for j, member in enumerate(checked.contact_ids):
        member_arn = _rewrite_arn(ns, member, arn_map)
        contact = trial.contacts.get(member_arn)
        if contact is None or contact.type != "PERSONAL":
            why = "names no contact" if contact is None else "is not a PERSONAL contact"
            problems.append(_field(f"{where}.ContactIds[{j}]", member, why))
            return
        members.append(member_arn)
    if checked.start_time is None:
        problems.append(_field(f"{where}.StartTime", None, "is required in an import"))
        return
    rotation = Rotation(
        arn,
        checked.name,
        tuple(members),
        checked.start_time,
        checked.time_zone_id,
        recurrence_of(checked.recurrence),
    )
    if _put_rotation(trial, rotation, where, problems):
        arn_map[str(given)] = arn


def _override(
    ctx: Context,
    trial: Namespace,
    item: object,
    where: str,
    arn_map: dict[str, str],
    problems: Problems,
) -> None:
    if not isinstance(item, dict):
        problems.append(
            _field(where, item, "must be an override as get-rotation-override prints it")
        )
        return
    rotation_given = item.get("RotationArn")
    rotation = (
        trial.rotations.get(_rewrite_arn(trial, rotation_given, arn_map))
        if isinstance(rotation_given, str)
        else None
    )
    if rotation is None:
        problems.append(_field(f"{where}.RotationArn", rotation_given, "names no rotation"))
        return
    request = {
        "RotationId": rotation.arn,
        **{k: item[k] for k in ("NewContactIds", "StartTime", "EndTime") if k in item},
    }
    checked = _checked(
        rq.CreateRotationOverrideRequest, "CreateRotationOverride", request, problems, where
    )
    if checked is None:
        return
    override_id = item.get("RotationOverrideId")
    if not isinstance(override_id, str) or not _UUID.fullmatch(override_id):
        problems.append(_field(f"{where}.RotationOverrideId", override_id, "must be a uuid"))
        return
    members = [_rewrite_arn(trial, m, arn_map) for m in checked.new_contact_ids]
    for j, member in enumerate(members):
        if member not in rotation.contact_ids:
            problems.append(
                _field(f"{where}.NewContactIds[{j}]", member, f"is not a member of {rotation.arn}")
            )
            return
    created = item.get("CreateTime")
    create_time = 0.0
    if created is not None:
        try:
            create_time = min(0.0, to_datetime(created).timestamp() - ctx.engine.start_epoch)
        except ValueError as exc:
            problems.append(_field(f"{where}.CreateTime", created, str(exc)))
            return
    override = Override(
        override_id.lower(),
        tuple(members),
        checked.start_time,
        checked.end_time,
        ctx.datetime(create_time),
        next_order(rotation),
    )
    # The trial holds a new rotation: a failed import leaves the run's untouched.
    updated = dataclasses.replace(rotation, overrides=(*rotation.overrides, override))
    _put_rotation(trial, updated, where, problems)


def _put_rotation(trial: Namespace, rotation: Rotation, where: str, problems: Problems) -> bool:
    """Store ``rotation`` in ``trial`` with its shift schedule, or add why it cannot be."""
    try:
        schedule = checked_schedule(rotation, path=f"{where}.")
    except ValidationException as exc:
        problems.extend(exc.members.get("Fields") or [])
        return False
    trial.put_rotation(rotation, schedule)
    return True


def _rewrite_arn(ns: Namespace, arn: str, arn_map: dict[str, str]) -> str:
    """An ARN of the import in the run's account and region, uuids and aliases kept."""
    if arn in arn_map:
        return arn_map[arn]
    parts = parse_arn(arn)
    if parts is None:
        return arn
    return make_arn(ns.region, ns.account, parts.kind, *parts.parts)


def _plan(ctx: Context, plan: Plan, arn_map: dict[str, str]) -> Plan:
    """An imported plan: references in the run's account and region, written canonically."""

    def rewrite(arn: str, kind: str) -> str:
        moved = _rewrite_arn(ctx.ns, arn, arn_map)
        return ctx.canonical(moved, kind) or moved

    return rewritten(plan, rewrite)


def _as_list(value: object, where: str, problems: Problems) -> list[object]:
    if isinstance(value, list | tuple):
        return list(value)
    problems.append(_field(where, value, "must be a list"))
    return []


def _field(path: str, value: object, why: str) -> dict[str, str]:
    return {"Name": path, "Message": f"Value {shown(value)} at '{path}' {why}"}


def _prefixed(
    exc: ServiceError, where: str, rename: dict[str, str] | None = None
) -> list[dict[str, str]]:
    """The exception's field problems with paths moved under ``where``."""
    fields = exc.members.get("Fields") or [{"Name": "", "Message": exc.message}]
    out = []
    for f in fields:
        name = f["Name"]
        for old, new in (rename or {}).items():
            if name == old or name.startswith(old + "."):
                name = new + name[len(old) :]
        full = f"{where}.{name}" if name else where
        out.append({"Name": full, "Message": f["Message"].replace(f"'{f['Name']}'", f"'{full}'")})
    return out
