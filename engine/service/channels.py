"""Contact channels: create, update, delete, list, and the activation code handshake (R3, R3b)."""

from __future__ import annotations

import re
from typing import Any

from engine.arns import make_arn
from engine.errors import ConflictException, ValidationException, field_error
from engine.service.context import Context, bad_reference
from engine.service.handlers import handles
from engine.service.render import channel_detail, channel_summary
from engine.sim.state import ChannelState

__all__ = ["address_problem"]

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
def create_contact_channel(ctx: Context, req: dict[str, Any]) -> dict[str, Any]:
    """CreateContactChannel: NOT_ACTIVATED, and a code goes out unless DeferActivation."""

    def create() -> dict[str, Any]:
        contact_key = ctx.canonical(req["ContactId"], "contact")
        contact = ctx.ns.contacts.get(contact_key) if contact_key else None
        # CreateContactChannel may not answer ResourceNotFoundException (docs/semantics.md X1b).
        if contact is None:
            raise bad_reference("ContactId", req["ContactId"], "names no existing contact")
        if contact.type != "PERSONAL":
            raise bad_reference(
                "ContactId",
                req["ContactId"],
                f"is a {contact.type} contact; only PERSONAL contacts have channels",
            )
        address = req["DeliveryAddress"].get("SimpleAddress")
        if address is None:
            raise field_error(
                "DeliveryAddress.SimpleAddress",
                "Value null at 'DeliveryAddress.SimpleAddress' failed to satisfy constraint: "
                "Member must not be null",
            )
        _check_address(req["Type"], address, "DeliveryAddress.SimpleAddress")
        _check_unique(ctx, contact.arn, req["Type"], address)
        n = ctx.ns.next_count("contact-channel")
        uuid = ctx.engine.rng.uuid("contact-channel", ctx.ns.account, ctx.ns.region, str(n))
        arn = make_arn(ctx.ns.region, ctx.ns.account, "contact-channel", contact.alias, uuid)
        channel = ChannelState(arn, contact.arn, req["Name"], req["Type"], address)
        ctx.ns.channels[arn] = channel
        ctx.engine.channel_event("CHANNEL_CREATED", channel)
        if not req.get("DeferActivation", False):
            ctx.engine.send_activation_code(channel)
        return {"ContactChannelArn": arn}

    return ctx.idempotent(req, create)


@handles("GetContactChannel")
def get_contact_channel(ctx: Context, req: dict[str, Any]) -> dict[str, Any]:
    """GetContactChannel."""
    return channel_detail(ctx.channel(req["ContactChannelId"]))


@handles("UpdateContactChannel")
def update_contact_channel(ctx: Context, req: dict[str, Any]) -> dict[str, Any]:
    """UpdateContactChannel: a new address needs activating again (R3b)."""
    channel = ctx.channel(req["ContactChannelId"])
    address = channel.address
    if "DeliveryAddress" in req:
        new_address = req["DeliveryAddress"].get("SimpleAddress")
        if new_address is not None:
            _check_address(channel.type, new_address, "DeliveryAddress.SimpleAddress")
            _check_unique(ctx, channel.contact_arn, channel.type, new_address, ignore=channel.arn)
            address = new_address
    if "Name" in req:
        channel.name = req["Name"]
    if address != channel.address:
        channel.address = address
        was_active = channel.activated
        channel.activated = False
        if was_active:
            ctx.engine.channel_event("CHANNEL_DEACTIVATED", channel)
        ctx.engine.send_activation_code(channel)
    return {}


@handles("DeleteContactChannel")
def delete_contact_channel(ctx: Context, req: dict[str, Any]) -> dict[str, Any]:
    """DeleteContactChannel: the owner's plan keeps naming it; sends to it are skipped (R4)."""
    channel = ctx.channel(req["ContactChannelId"])
    del ctx.ns.channels[channel.arn]
    ctx.engine.channel_event("CHANNEL_DELETED", channel)
    return {}


@handles("ListContactChannels")
def list_contact_channels(ctx: Context, req: dict[str, Any]) -> dict[str, Any]:
    """ListContactChannels, in creation order."""
    contact = ctx.contact(req["ContactId"])
    return ctx.paginate(req, ctx.ns.channels_of(contact.arn), "ContactChannels", channel_summary)


@handles("ActivateContactChannel")
def activate_contact_channel(ctx: Context, req: dict[str, Any]) -> dict[str, Any]:
    """ActivateContactChannel: the code must be the last one sent to the channel (R3)."""
    channel = ctx.channel(req["ContactChannelId"])
    code = req["ActivationCode"]
    if channel.activation_code is None:
        raise ValidationException(
            f"No activation code has been sent to {channel.arn}; call SendActivationCode first"
        )
    if code != channel.activation_code:
        raise field_error(
            "ActivationCode",
            f"Value '{code}' at 'ActivationCode' is not the activation code last sent to "
            f"{channel.arn}",
        )
    if not channel.activated:
        channel.activated = True
        ctx.engine.channel_event("CHANNEL_ACTIVATED", channel)
    return {}


@handles("DeactivateContactChannel")
def deactivate_contact_channel(ctx: Context, req: dict[str, Any]) -> dict[str, Any]:
    """DeactivateContactChannel: the channel is no longer paged."""
    channel = ctx.channel(req["ContactChannelId"])
    if channel.activated:
        channel.activated = False
        ctx.engine.channel_event("CHANNEL_DEACTIVATED", channel)
    return {}


@handles("SendActivationCode")
def send_activation_code(ctx: Context, req: dict[str, Any]) -> dict[str, Any]:
    """SendActivationCode: a fresh code replaces the previous one."""
    ctx.engine.send_activation_code(ctx.channel(req["ContactChannelId"]))
    return {}
