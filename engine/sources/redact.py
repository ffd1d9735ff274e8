"""Placeholders for what identifies people in an organisation, so a review can be shared.

:func:`redact` replaces each channel's delivery address, each channel's name and each contact's
display name with a placeholder made from a keyed hash (HMAC-SHA256) of the value: the same
value always gives the same placeholder, so two channels sharing a number still share one, and a
review of the redacted organisation reads as the original's. Placeholders keep the shapes AWS
accepts: ``+1555`` and ten digits for SMS and VOICE (E.164), ``person-<hex>@example.invalid``
for EMAIL (a domain that never delivers). Aliases and ARNs are kept: they name the resources
findings point at.

The key is ``$ESCSIM_REDACT_KEY`` when set, else a fixed one. A phone number has few enough
possible values that, with the fixed key, anyone can find it again by hashing every number;
set a secret key to prevent that.
"""

from __future__ import annotations

import hashlib
import hmac
import os

from engine.scenario.organisation import ChannelRecord, ContactRecord, Organisation

__all__ = ["KEY_VARIABLE", "placeholder", "redact"]

KEY_VARIABLE = "ESCSIM_REDACT_KEY"
_DEFAULT_KEY = b"escsim redact v1"


def _digest(kind: str, value: str) -> str:
    key = os.environ.get(KEY_VARIABLE, "").encode() or _DEFAULT_KEY
    return hmac.new(key, f"{kind}\0{value}".encode(), hashlib.sha256).hexdigest()


def placeholder(kind: str, value: str) -> str:
    """The placeholder of ``value``: ``kind`` is a channel type (its address), ``name`` (a
    contact's display name) or ``channel`` (a channel's name)."""
    if kind in ("SMS", "VOICE"):
        # Keyed by the number alone: an SMS and a VOICE channel on one number stay one number.
        digits = int(_digest("phone", value), 16) % 10**10
        return f"+1555{digits:010d}"
    if kind == "EMAIL":
        return f"person-{_digest('email', value.lower())[:10]}@example.invalid"
    if kind == "name":
        return f"Person {_digest('name', value)[:8]}"
    return f"channel-{_digest('channel', value)[:8]}"


def _contact(record: ContactRecord) -> ContactRecord:
    redacted = ContactRecord(**record)
    if "DisplayName" in record:
        redacted["DisplayName"] = placeholder("name", record["DisplayName"])
    return redacted


def _channel(record: ChannelRecord) -> ChannelRecord:
    redacted = ChannelRecord(**record)
    redacted["Name"] = placeholder("channel", record["Name"])
    redacted["DeliveryAddress"] = {
        key: placeholder(record["Type"], value) for key, value in record["DeliveryAddress"].items()
    }
    return redacted


def redact(organisation: Organisation) -> None:
    """Replace, in place, the display names, channel names and delivery addresses."""
    organisation.contacts = [_contact(record) for record in organisation.contacts]
    organisation.channels = [_channel(record) for record in organisation.channels]
    organisation.channel_names = {
        arn: placeholder("channel", name) for arn, name in organisation.channel_names.items()
    }
