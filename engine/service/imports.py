"""Importing an organisation given in AWS shapes, as get-contact and list-contact-channels print it.

ARNs keep their uuids and aliases but take the run's account and region, so plans that name them
keep resolving. The import is all or nothing: everything is checked against a trial copy of the
namespace, and only a fully valid import replaces the namespace's tables.
"""

from __future__ import annotations

from typing import Any

from engine.arns import make_arn, parse_arn
from engine.errors import ServiceError, ValidationException
from engine.model.validation import validate_request
from engine.service.channels import address_problem
from engine.service.contacts import canonical_plan, check_plan
from engine.service.context import Context
from engine.sim.state import ChannelState, ContactState, Namespace

__all__ = ["import_resources"]


def import_resources(
    ctx: Context,
    contacts: list[dict[str, Any]],
    channels: list[dict[str, Any]],
    path: str = "organisation",
) -> dict[str, str]:
    """Add ``contacts`` and ``channels`` to ``ctx.ns``; returns {ARN as given: ARN in the run}.

    Raises ValidationException whose field names start with ``path``.
    """
    ns = ctx.ns
    trial = Namespace(
        ns.account,
        ns.region,
        contacts=dict(ns.contacts),
        channels=dict(ns.channels),
        rotations=ns.rotations,
    )
    trial_ctx = Context("CreateContact", trial, ctx.engine)
    arn_map: dict[str, str] = {}
    problems: list[dict[str, str]] = []
    new_contacts: list[tuple[str, ContactState]] = []
    for i, item in enumerate(_as_list(contacts, f"{path}.contacts", problems)):
        where = f"{path}.contacts[{i}]"
        contact = _contact(ns, item, where, arn_map, problems)
        if contact is not None:
            if contact.arn in trial.contacts:
                problems.append(
                    _field(f"{where}.Alias", contact.alias, "names a contact that already exists")
                )
                continue
            trial.contacts[contact.arn] = contact
            new_contacts.append((where, contact))
    new_channels: list[ChannelState] = []
    for i, item in enumerate(_as_list(channels, f"{path}.channels", problems)):
        channel = _channel(ns, trial, item, f"{path}.channels[{i}]", arn_map, problems)
        if channel is not None:
            trial.channels[channel.arn] = channel
            new_channels.append(channel)
    # Plans last: they may name channels and contacts anywhere in the import.
    for where, contact in new_contacts:
        contact.plan = _rewrite_plan(ns, contact.plan, arn_map)
        contact.plan = canonical_plan(trial_ctx, contact.plan)
        try:
            check_plan(
                trial_ctx,
                contact.arn,
                contact.type,
                contact.plan,
                missing=None,
                path=f"{where}.Plan",
                allow_dangling=True,
            )
        except ValidationException as exc:
            problems.extend(exc.members.get("Fields") or [{"Name": where, "Message": exc.message}])
    if problems:
        raise ValidationException.for_fields(problems)
    ns.contacts = trial.contacts
    ns.channels = trial.channels
    for channel in new_channels:
        ctx.engine.channel_event("CHANNEL_CREATED", channel)
        if channel.activated:
            ctx.engine.channel_event("CHANNEL_ACTIVATED", channel)
    return arn_map


def _contact(
    ns: Namespace,
    item: Any,
    where: str,
    arn_map: dict[str, str],
    problems: list[dict[str, str]],
) -> ContactState | None:
    if not isinstance(item, dict):
        problems.append(_field(where, item, "must be a contact as get-contact prints it"))
        return None
    request = {k: item[k] for k in ("Alias", "DisplayName", "Type", "Plan") if k in item}
    try:
        checked = validate_request("CreateContact", request)
    except ServiceError as exc:
        problems.extend(_prefixed(exc, where))
        return None
    alias = checked["Alias"]
    arn = make_arn(ns.region, ns.account, "contact", alias)
    given = item.get("ContactArn")
    if given is not None:
        parts = parse_arn(given) if isinstance(given, str) else None
        if parts is None or parts.kind != "contact" or parts.parts != (alias,):
            problems.append(
                _field(
                    f"{where}.ContactArn", given, f"must be a contact ARN ending in contact/{alias}"
                )
            )
            return None
        arn_map[given] = arn
    arn_map.setdefault(arn, arn)
    return ContactState(
        arn, alias, checked["Type"], checked["Plan"], checked.get("DisplayName") or None
    )


def _channel(
    ns: Namespace,
    trial: Namespace,
    item: Any,
    where: str,
    arn_map: dict[str, str],
    problems: list[dict[str, str]],
) -> ChannelState | None:
    if not isinstance(item, dict):
        problems.append(_field(where, item, "must be a channel as list-contact-channels prints it"))
        return None
    owner_given = item.get("ContactArn")
    request = {
        "ContactId": owner_given,
        **{k: item[k] for k in ("Name", "Type", "DeliveryAddress") if k in item},
    }
    try:
        checked = validate_request("CreateContactChannel", request)
    except ServiceError as exc:
        problems.extend(_prefixed(exc, where, rename={"ContactId": "ContactArn"}))
        return None
    owner_arn = _rewrite_arn(ns, checked["ContactId"], arn_map)
    owner = trial.contacts.get(owner_arn)
    if owner is None or owner.type != "PERSONAL":
        why = (
            "names no contact in the import or the run"
            if owner is None
            else (f"is a {owner.type} contact; only PERSONAL contacts have channels")
        )
        problems.append(_field(f"{where}.ContactArn", owner_given, why))
        return None
    given_arn = item.get("ContactChannelArn")
    parts = parse_arn(given_arn) if isinstance(given_arn, str) else None
    if parts is None or parts.kind != "contact-channel" or len(parts.parts) != 2:
        problems.append(
            _field(f"{where}.ContactChannelArn", given_arn, "must be a contact-channel ARN")
        )
        return None
    arn = make_arn(ns.region, ns.account, "contact-channel", owner.alias, parts.parts[1])
    if arn in trial.channels:
        problems.append(_field(f"{where}.ContactChannelArn", given_arn, "names a channel twice"))
        return None
    address = checked["DeliveryAddress"].get("SimpleAddress", "")
    address_why = address_problem(checked["Type"], address)
    if address_why is not None:
        problems.append(_field(f"{where}.DeliveryAddress.SimpleAddress", address, address_why))
        return None
    status = item.get("ActivationStatus", "NOT_ACTIVATED")
    if status not in ("ACTIVATED", "NOT_ACTIVATED"):
        problems.append(
            _field(f"{where}.ActivationStatus", status, "must be ACTIVATED or NOT_ACTIVATED")
        )
        return None
    arn_map[str(given_arn)] = arn
    channel = ChannelState(arn, owner.arn, checked["Name"], checked["Type"], address)
    channel.activated = status == "ACTIVATED"
    return channel


def _rewrite_arn(ns: Namespace, arn: str, arn_map: dict[str, str]) -> str:
    """An ARN of the import in the run's account and region, uuids and aliases kept."""
    if arn in arn_map:
        return arn_map[arn]
    parts = parse_arn(arn)
    if parts is None:
        return arn
    return make_arn(ns.region, ns.account, parts.kind, *parts.parts)


def _rewrite_plan(ns: Namespace, plan: dict[str, Any], arn_map: dict[str, str]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if "Stages" in plan:
        stages = []
        for stage in plan["Stages"]:
            targets = []
            for target in stage.get("Targets", ()):
                new = {}
                for key, member in (
                    ("ChannelTargetInfo", "ContactChannelId"),
                    ("ContactTargetInfo", "ContactId"),
                ):
                    if key in target:
                        info = dict(target[key])
                        if member in info:
                            info[member] = _rewrite_arn(ns, info[member], arn_map)
                        new[key] = info
                targets.append(new)
            stages.append({**stage, "Targets": targets})
        out["Stages"] = stages
    if "RotationIds" in plan:
        out["RotationIds"] = [_rewrite_arn(ns, r, arn_map) for r in plan["RotationIds"]]
    return out


def _as_list(value: Any, where: str, problems: list[dict[str, str]]) -> list[Any]:
    if isinstance(value, list | tuple):
        return list(value)
    problems.append(_field(where, value, "must be a list"))
    return []


def _field(path: str, value: Any, why: str) -> dict[str, str]:
    return {"Name": path, "Message": f"Value {_show(value)} at '{path}' {why}"}


def _show(value: Any) -> str:
    text = repr(value) if not isinstance(value, str) else f"'{value}'"
    return text if len(text) <= 80 else text[:77] + "..."


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
