"""Contacts, escalation plans and on-call schedules: create, read, update, delete and list."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

from engine.arns import make_arn
from engine.domain import ChannelTarget, Contact, Plan
from engine.errors import ConflictException, ResourceNotFoundException, ValidationException
from engine.model import requests as rq
from engine.model.contacts import Plan as WirePlan
from engine.model.rules import plan_problems
from engine.service.context import Context, bad_reference
from engine.service.handlers import Answer, handles
from engine.service.tags import tag_map
from engine.service.translate import contact_detail, contact_summary, rewritten

#: Builds the error for a plan reference to nothing: (field path, ARN, resource type) -> error.
Missing = Callable[[str, str, str], Exception]


@handles("CreateContact")
def create_contact(ctx: Context, req: rq.CreateContactRequest) -> Answer:
    """CreateContact: a new contact, escalation plan or on-call schedule (R1, R2)."""
    alias = req.alias
    arn = make_arn(ctx.ns.region, ctx.ns.account, "contact", alias)

    def create() -> Answer:
        if arn in ctx.ns.contacts:
            raise ConflictException(
                f"A contact with alias '{alias}' already exists: {arn}", arn, "CONTACT"
            )
        # The request model has checked the plan against the type (R1-R2).
        plan = canonical_plan(ctx, req.plan)
        check_references(ctx, arn, plan, missing=_missing_as_validation)
        tags = tag_map(req.tags or [])
        ctx.ns.contacts[arn] = Contact(arn, alias, req.type, plan, req.display_name or None)
        ctx.ns.tags[arn] = tags
        return {"ContactArn": arn}

    return ctx.idempotent(req, req.idempotency_token, create)


@handles("GetContact")
def get_contact(ctx: Context, req: rq.GetContactRequest) -> Answer:
    """GetContact."""
    return contact_detail(ctx.contact(req.contact_id))


@handles("UpdateContact")
def update_contact(ctx: Context, req: rq.UpdateContactRequest) -> Answer:
    """UpdateContact: DisplayName ("" unsets it) and/or a whole new Plan. Alias and Type stay."""
    contact = ctx.contact(req.contact_id)
    plan = contact.plan
    if req.plan is not None:
        problems = plan_problems(contact.type, req.plan, "Plan")
        if problems:
            raise ValidationException.for_fields(problems)
        plan = canonical_plan(ctx, req.plan)
        check_references(ctx, contact.arn, plan, missing=_missing_as_not_found)
    # Everything is checked: now change state (plans are replaced whole, never edited).
    name = contact.display_name if req.display_name is None else req.display_name or None
    ctx.ns.contacts[contact.arn] = dataclasses.replace(contact, plan=plan, display_name=name)
    return {}


@handles("DeleteContact")
def delete_contact(ctx: Context, req: rq.DeleteContactRequest) -> Answer:
    """DeleteContact: its channels go with it; plans that name it keep the reference (R3b, R4)."""
    contact = ctx.contact(req.contact_id)
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
        ctx.ns.forget(channel.arn)
        ctx.engine.channel_event("CHANNEL_DELETED", channel)
    del ctx.ns.contacts[contact.arn]
    ctx.ns.forget(contact.arn)
    return {}


@handles("ListContacts")
def list_contacts(ctx: Context, req: rq.ListContactsRequest) -> Answer:
    """ListContacts, ordered by alias (L1), filtered by AliasPrefix and Type."""
    prefix = req.alias_prefix or ""
    contacts = sorted(
        (
            c
            for c in ctx.ns.contacts.values()
            if c.alias.startswith(prefix) and (req.type is None or c.type == req.type)
        ),
        key=lambda c: c.alias,
    )
    return ctx.paginate((req.next_token, req.max_results), contacts, "Contacts", contact_summary)


@handles("PutContactPolicy")
def put_contact_policy(ctx: Context, req: rq.PutContactPolicyRequest) -> Answer:
    """PutContactPolicy: store the resource policy text as given."""
    ctx.ns.policies[ctx.contact(req.contact_arn).arn] = req.policy
    return {}


@handles("GetContactPolicy")
def get_contact_policy(ctx: Context, req: rq.GetContactPolicyRequest) -> Answer:
    """GetContactPolicy: the stored policy, or only the ARN when none was put."""
    contact = ctx.contact(req.contact_arn)
    out: Answer = {"ContactArn": contact.arn}
    policy = ctx.ns.policies.get(contact.arn)
    if policy is not None:
        out["Policy"] = policy
    return out


# -- plans --------------------------------------------------------------------------------------


def canonical_plan(ctx: Context, plan: WirePlan) -> Plan:
    """The domain plan, every ARN of this namespace written canonically so lookups by key work."""
    return rewritten(plan.to_domain(), lambda arn, kind: ctx.canonical(arn, kind) or arn)


def _missing_as_validation(path: str, arn: str, resource_type: str) -> Exception:
    # CreateContact may not answer ResourceNotFoundException (docs/semantics.md X1b).
    return bad_reference(path, arn, f"names no existing {resource_type.lower().replace('_', ' ')}")


def _missing_as_not_found(path: str, arn: str, resource_type: str) -> Exception:
    return ResourceNotFoundException(
        f"{path} names {arn!r}, which does not exist", arn, resource_type
    )


def check_references(
    ctx: Context,
    contact_arn: str,
    plan: Plan,
    *,
    missing: Missing | None,
    path: str = "Plan",
) -> None:
    """Raise unless the references of ``plan`` hold in this namespace (R1, R2). ``missing``
    builds the error for a reference to nothing; without it (imports) such references stay."""
    for s, stage in enumerate(plan.stages or ()):
        for t, target in enumerate(stage.targets):
            where = f"{path}.Stages[{s}].Targets[{t}]"
            if isinstance(target, ChannelTarget):
                field = f"{where}.ChannelTargetInfo.ContactChannelId"
                channel = ctx.ns.channels.get(target.channel_arn)
                if channel is None:
                    if missing is not None:
                        raise missing(field, target.channel_arn, "CONTACT_CHANNEL")
                elif channel.contact_arn != contact_arn:
                    raise bad_reference(
                        field,
                        target.channel_arn,
                        f"is a channel of {channel.contact_arn}; a contact's plan may only "
                        "name its own channels",
                    )
                continue
            field = f"{where}.ContactTargetInfo.ContactId"
            if target.contact_arn is None:
                raise bad_reference(field, "", "must name the contact to engage")
            engaged = ctx.ns.contacts.get(target.contact_arn)
            if engaged is None:
                if missing is not None:
                    raise missing(field, target.contact_arn, "CONTACT")
            elif engaged.type == "ESCALATION":
                raise bad_reference(
                    field,
                    target.contact_arn,
                    "is an escalation plan; an escalation plan may only engage personal "
                    "contacts and on-call schedules",
                )
    for r, rotation_id in enumerate(plan.rotations):
        if rotation_id not in ctx.ns.rotations and missing is not None:
            raise missing(f"{path}.RotationIds[{r}]", rotation_id, "ROTATION")
