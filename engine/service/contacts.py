"""Contacts, escalation plans and on-call schedules: create, read, update, delete and list."""

from __future__ import annotations

from typing import Any

from engine.arns import make_arn
from engine.errors import ConflictException, ResourceNotFoundException, ValidationException
from engine.model.rules import plan_problems
from engine.service.context import Context, bad_reference
from engine.service.handlers import handles
from engine.service.render import contact_detail, contact_summary
from engine.service.tags import tag_map
from engine.sim.state import ContactState

__all__ = ["canonical_plan", "check_plan"]


@handles("CreateContact")
def create_contact(ctx: Context, req: dict[str, Any]) -> dict[str, Any]:
    """CreateContact: a new contact, escalation plan or on-call schedule (R1, R2)."""
    alias = req["Alias"]
    arn = make_arn(ctx.ns.region, ctx.ns.account, "contact", alias)

    def create() -> dict[str, Any]:
        if arn in ctx.ns.contacts:
            raise ConflictException(
                f"A contact with alias '{alias}' already exists: {arn}", arn, "CONTACT"
            )
        plan = canonical_plan(ctx, req["Plan"])
        check_plan(ctx, arn, req["Type"], plan, missing=_missing_as_validation)
        contact = ContactState(arn, alias, req["Type"], plan, req.get("DisplayName") or None)
        contact.tags = tag_map(req.get("Tags", []))
        ctx.ns.contacts[arn] = contact
        return {"ContactArn": arn}

    return ctx.idempotent(req, create)


@handles("GetContact")
def get_contact(ctx: Context, req: dict[str, Any]) -> dict[str, Any]:
    """GetContact."""
    return contact_detail(ctx.contact(req["ContactId"]))


@handles("UpdateContact")
def update_contact(ctx: Context, req: dict[str, Any]) -> dict[str, Any]:
    """UpdateContact: DisplayName ("" unsets it) and/or a whole new Plan. Alias and Type stay."""
    contact = ctx.contact(req["ContactId"])
    plan = None
    if "Plan" in req:
        plan = canonical_plan(ctx, req["Plan"])
        check_plan(ctx, contact.arn, contact.type, plan, missing=_missing_as_not_found)
    # Everything is checked: now change state.
    if "DisplayName" in req:
        contact.display_name = req["DisplayName"] or None
    if plan is not None:
        contact.plan = plan
    return {}


@handles("DeleteContact")
def delete_contact(ctx: Context, req: dict[str, Any]) -> dict[str, Any]:
    """DeleteContact: its channels go with it; plans that name it keep the reference (R3b, R4)."""
    contact = ctx.contact(req["ContactId"])
    rotations = [r.arn for r in ctx.ns.rotations.values() if contact.arn in r.contact_ids]
    if rotations:
        raise ConflictException(
            f"Contact {contact.arn} is a member of {len(rotations)} rotation(s) and cannot be "
            "deleted; remove it from them first",
            contact.arn,
            "CONTACT",
            [{"RelationType": "RotationMember", "DependentResourceIds": rotations}],
        )
    for channel in ctx.ns.channels_of(contact.arn):
        del ctx.ns.channels[channel.arn]
        ctx.engine.channel_event("CHANNEL_DELETED", channel)
    del ctx.ns.contacts[contact.arn]
    return {}


@handles("ListContacts")
def list_contacts(ctx: Context, req: dict[str, Any]) -> dict[str, Any]:
    """ListContacts, ordered by alias (L1), filtered by AliasPrefix and Type."""
    prefix = req.get("AliasPrefix", "")
    kind = req.get("Type")
    contacts = sorted(
        (
            c
            for c in ctx.ns.contacts.values()
            if c.alias.startswith(prefix) and (kind is None or c.type == kind)
        ),
        key=lambda c: c.alias,
    )
    return ctx.paginate(req, contacts, "Contacts", contact_summary)


@handles("PutContactPolicy")
def put_contact_policy(ctx: Context, req: dict[str, Any]) -> dict[str, Any]:
    """PutContactPolicy: store the resource policy text as given."""
    ctx.contact(req["ContactArn"]).policy = req["Policy"]
    return {}


@handles("GetContactPolicy")
def get_contact_policy(ctx: Context, req: dict[str, Any]) -> dict[str, Any]:
    """GetContactPolicy: the stored policy, or only the ARN when none was put."""
    contact = ctx.contact(req["ContactArn"])
    out: dict[str, Any] = {"ContactArn": contact.arn}
    if contact.policy is not None:
        out["Policy"] = contact.policy
    return out


# -- plans --------------------------------------------------------------------------------------


def canonical_plan(ctx: Context, plan: dict[str, Any]) -> dict[str, Any]:
    """The plan with every ARN of this namespace written canonically, so lookups by key work."""
    out: dict[str, Any] = {}
    if "Stages" in plan:
        stages = []
        for stage in plan["Stages"]:
            targets = []
            for target in stage.get("Targets", ()):
                new_target: dict[str, Any] = {}
                if "ChannelTargetInfo" in target:
                    info = dict(target["ChannelTargetInfo"])
                    channel_id = info["ContactChannelId"]
                    info["ContactChannelId"] = (
                        ctx.canonical(channel_id, "contact-channel") or channel_id
                    )
                    new_target["ChannelTargetInfo"] = info
                if "ContactTargetInfo" in target:
                    info = dict(target["ContactTargetInfo"])
                    if "ContactId" in info:
                        contact_id = info["ContactId"]
                        info["ContactId"] = ctx.canonical(contact_id, "contact") or contact_id
                    new_target["ContactTargetInfo"] = info
                targets.append(new_target)
            stages.append({**stage, "Targets": targets})
        out["Stages"] = stages
    if "RotationIds" in plan:
        out["RotationIds"] = [ctx.canonical(r, "rotation") or r for r in plan["RotationIds"]]
    return out


def _missing_as_validation(path: str, arn: str, resource_type: str) -> Exception:
    # CreateContact may not answer ResourceNotFoundException (docs/semantics.md X1b).
    return bad_reference(path, arn, f"names no existing {resource_type.lower().replace('_', ' ')}")


def _missing_as_not_found(path: str, arn: str, resource_type: str) -> Exception:
    return ResourceNotFoundException(
        f"{path} names {arn!r}, which does not exist", arn, resource_type
    )


def check_plan(
    ctx: Context,
    contact_arn: str,
    contact_type: str,
    plan: dict[str, Any],
    *,
    missing: Any,
    path: str = "Plan",
    allow_dangling: bool = False,
) -> None:
    """Raise unless ``plan`` suits a contact of ``contact_type`` and its references hold (R1, R2).

    ``missing(path, arn, resource_type)`` builds the error for a reference to nothing; with
    ``allow_dangling`` (imports) such references are kept, as AWS keeps them after deletions.
    """
    problems = plan_problems(contact_type, plan, path)
    if problems:
        raise ValidationException.for_fields(problems)
    for s, stage in enumerate(plan.get("Stages", ())):
        for t, target in enumerate(stage.get("Targets", ())):
            where = f"{path}.Stages[{s}].Targets[{t}]"
            if "ChannelTargetInfo" in target:
                channel_id = target["ChannelTargetInfo"]["ContactChannelId"]
                channel = ctx.ns.channels.get(channel_id)
                field = f"{where}.ChannelTargetInfo.ContactChannelId"
                if channel is None:
                    if not allow_dangling:
                        raise missing(field, channel_id, "CONTACT_CHANNEL")
                elif channel.contact_arn != contact_arn:
                    raise bad_reference(
                        field,
                        channel_id,
                        f"is a channel of {channel.contact_arn}; a contact's plan may only "
                        "name its own channels",
                    )
            if "ContactTargetInfo" in target:
                info = target["ContactTargetInfo"]
                field = f"{where}.ContactTargetInfo.ContactId"
                if "ContactId" not in info:
                    raise bad_reference(field, "", "must name the contact to engage")
                target_contact = ctx.ns.contacts.get(info["ContactId"])
                if target_contact is None:
                    if not allow_dangling:
                        raise missing(field, info["ContactId"], "CONTACT")
                elif target_contact.type == "ESCALATION":
                    raise bad_reference(
                        field,
                        info["ContactId"],
                        "is an escalation plan; an escalation plan may only engage personal "
                        "contacts and on-call schedules",
                    )
    for r, rotation_id in enumerate(plan.get("RotationIds", ())):
        if rotation_id not in ctx.ns.rotations and not allow_dangling:
            raise missing(f"{path}.RotationIds[{r}]", rotation_id, "ROTATION")
