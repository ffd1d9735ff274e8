"""Contact channels: create, update, delete, list, and the activation code handshake (R3, R3b)."""

from __future__ import annotations

import dataclasses
import re

from engine.arns import make_arn
from engine.domain import Channel
from engine.errors import ConflictException, ValidationException, field_error
from engine.model import requests as rq
from engine.model.messages import must_not_be_null, violation
from engine.service.context import Context, bad_reference
from engine.service.handlers import Answer, handles
from engine.service.translate import channel_detail, channel_summary

_PHONE = re.compile(r"^\+[1-9][0-9]{1,14}$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def address_problem(channel_type: str, address: str) -> str | None:
    """Why ``address`` cannot be a ``channel_type`` address, or None when it can."""
    if channel_type in ("SMS", "VOICE") and not _PHONE.match(address):
        return "must be '+' followed by the country code and number (E.164), e.g. +15550100"
    if channel_type == "EMAIL" and not _EMAIL.match(address):
        return "must be an email address such as someone@example.com"
    return None


def _check_address(channel_type: str, address: str, path: str) -> None:
    why = address_problem(channel_type, address)
    if why is not None:
        raise field_error(path, f"Value '{address}' at '{path}' {why} for a {channel_type} channel")


def _check_unique(
    ctx: Context, contact_arn: str, channel_type: str, address: str, ignore: str | None = None
) -> None:
    for other in ctx.ns.channels_of(contact_arn):
        if other.arn != ignore and other.type == channel_type and other.address == address:
            raise ConflictException(
                f"Contact {contact_arn} already has a {channel_type} channel to {address}: "
                f"{other.arn}",
                other.arn,
                "CONTACT_CHANNEL",
            )


@handles("CreateContactChannel")
def create_contact_channel(ctx: Context, req: rq.CreateContactChannelRequest) -> Answer:
    """CreateContactChannel: NOT_ACTIVATED, and a code goes out unless DeferActivation."""

    def create() -> Answer:
        contact_key = ctx.canonical(req.contact_id, "contact")
        contact = ctx.ns.contacts.get(contact_key) if contact_key else None
        # CreateContactChannel may not answer ResourceNotFoundException (docs/semantics.md X1b).
        if contact is None:
            raise bad_reference("ContactId", req.contact_id, "names no existing contact")
        if contact.type != "PERSONAL":
            raise bad_reference(
                "ContactId",
                req.contact_id,
                f"is a {contact.type} contact; only PERSONAL contacts have channels",
            )
        address = req.delivery_address.simple_address
        if address is None:
            path = "DeliveryAddress.SimpleAddress"
            raise field_error(path, violation(None, path, must_not_be_null()))
        _check_address(req.type, address, "DeliveryAddress.SimpleAddress")
        _check_unique(ctx, contact.arn, req.type, address)
        n = ctx.ns.next_count("contact-channel")
        uuid = ctx.engine.rng.uuid("contact-channel", ctx.ns.account, ctx.ns.region, str(n))
        arn = make_arn(ctx.ns.region, ctx.ns.account, "contact-channel", contact.alias, uuid)
        channel = Channel(arn, contact.arn, req.name, req.type, address)
        ctx.ns.channels[arn] = channel
        ctx.engine.channel_event("CHANNEL_CREATED", channel)
        if not req.defer_activation:
            ctx.engine.send_activation_code(ctx.ns, channel)
        return {"ContactChannelArn": arn}

    return ctx.idempotent(req, req.idempotency_token, create)


@handles("GetContactChannel")
def get_contact_channel(ctx: Context, req: rq.GetContactChannelRequest) -> Answer:
    """GetContactChannel."""
    return channel_detail(ctx.channel(req.contact_channel_id))


@handles("UpdateContactChannel")
def update_contact_channel(ctx: Context, req: rq.UpdateContactChannelRequest) -> Answer:
    """UpdateContactChannel: a new address needs activating again (R3b)."""
    channel = ctx.channel(req.contact_channel_id)
    address = channel.address
    new_address = None if req.delivery_address is None else req.delivery_address.simple_address
    if new_address is not None:
        _check_address(channel.type, new_address, "DeliveryAddress.SimpleAddress")
        _check_unique(ctx, channel.contact_arn, channel.type, new_address, ignore=channel.arn)
        address = new_address
    moved = address != channel.address
    updated = dataclasses.replace(
        channel,
        name=channel.name if req.name is None else req.name,
        address=address,
        activated=channel.activated and not moved,
    )
    ctx.ns.channels[channel.arn] = updated
    if moved:
        if channel.activated:
            ctx.engine.channel_event("CHANNEL_DEACTIVATED", updated)
        ctx.engine.send_activation_code(ctx.ns, updated)
    return {}


@handles("DeleteContactChannel")
def delete_contact_channel(ctx: Context, req: rq.DeleteContactChannelRequest) -> Answer:
    """DeleteContactChannel: the owner's plan keeps naming it; sends to it are skipped (R4)."""
    channel = ctx.channel(req.contact_channel_id)
    del ctx.ns.channels[channel.arn]
    ctx.ns.forget(channel.arn)
    ctx.engine.channel_event("CHANNEL_DELETED", channel)
    return {}


@handles("ListContactChannels")
def list_contact_channels(ctx: Context, req: rq.ListContactChannelsRequest) -> Answer:
    """ListContactChannels, in creation order."""
    contact = ctx.contact(req.contact_id)
    channels = ctx.ns.channels_of(contact.arn)
    return ctx.paginate(
        (req.next_token, req.max_results), channels, "ContactChannels", channel_summary
    )


@handles("ActivateContactChannel")
def activate_contact_channel(ctx: Context, req: rq.ActivateContactChannelRequest) -> Answer:
    """ActivateContactChannel: the code must be the last one sent to the channel (R3)."""
    channel = ctx.channel(req.contact_channel_id)
    code = req.activation_code
    sent = ctx.ns.codes.get(channel.arn, (None, 0))[0]
    if sent is None:
        raise ValidationException(
            f"No activation code has been sent to {channel.arn}; call SendActivationCode first"
        )
    if code != sent:
        raise field_error(
            "ActivationCode",
            f"Value '{code}' at 'ActivationCode' is not the activation code last sent to "
            f"{channel.arn}",
        )
    _set_activated(ctx, channel, True)
    return {}


@handles("DeactivateContactChannel")
def deactivate_contact_channel(ctx: Context, req: rq.DeactivateContactChannelRequest) -> Answer:
    """DeactivateContactChannel: the channel is no longer paged."""
    _set_activated(ctx, ctx.channel(req.contact_channel_id), False)
    return {}


def _set_activated(ctx: Context, channel: Channel, activated: bool) -> None:
    if channel.activated != activated:
        changed = dataclasses.replace(channel, activated=activated)
        ctx.ns.channels[channel.arn] = changed
        ctx.engine.channel_event(
            "CHANNEL_ACTIVATED" if activated else "CHANNEL_DEACTIVATED", changed
        )


@handles("SendActivationCode")
def send_activation_code(ctx: Context, req: rq.SendActivationCodeRequest) -> Answer:
    """SendActivationCode: a fresh code replaces the previous one."""
    ctx.engine.send_activation_code(ctx.ns, ctx.channel(req.contact_channel_id))
    return {}
