"""What changed in an organisation between two versions: the cause before the effects.

Each version is described as subjects (a contact, a channel, a rotation) with fields written
the way a person reads them: a plan stage is ``5m: akuam (essential), alejr``, a personal stage
``5m: sms (SMS, retry 1m)``, a rotation's members ``akuam, alejr``. Contacts are matched by
alias, channels by their owner's alias and their name, rotations by name, so ARNs (which differ
between two files) never show as changes. The rows say which subject was added, removed or
changed, and for a change the field with its old and new value.
"""

from __future__ import annotations

import json

from engine.domain import ChannelTarget, Stage
from engine.review.inputs import ReviewInput
from engine.timeutil import format_duration, isoformat

Description = dict[tuple[str, str], dict[str, str]]
"""(kind, name) -> field -> value."""


def describe(review: ReviewInput) -> Description:
    """The organisation of ``review`` as subjects and their fields."""
    ns = review.organisation
    contacts = {arn: contact.alias for arn, contact in ns.contacts.items()}
    channels = {arn: channel.name for arn, channel in ns.channels.items()}
    rotations = {arn: rotation.name for arn, rotation in ns.rotations.items()}
    found: Description = {}
    for contact in ns.contacts.values():
        fields = {"type": contact.type, "name": contact.display_name or ""}
        if contact.type == "ONCALL_SCHEDULE":
            ids = contact.plan.rotations
            fields["rotations"] = ", ".join(rotations.get(i, i) for i in ids)
        stages = contact.plan.stages or ()
        if contact.type != "ONCALL_SCHEDULE" or stages:
            fields["stages"] = str(len(stages))
        for index, stage in enumerate(stages):
            fields[f"stage {index}"] = _stage(stage, contacts, channels)
        found[("contact", contact.alias)] = fields
    for channel in ns.channels.values():
        owner = contacts.get(channel.contact_arn, channel.contact_arn)
        found[("channel", f"{owner}/{channel.name}")] = {
            "type": channel.type,
            "address": channel.address,
            "activated": "yes" if channel.activated else "no",
        }
    for rotation in ns.rotations.values():
        found[("rotation", rotation.name)] = {
            "members": ", ".join(contacts.get(arn, arn) for arn in rotation.contact_ids),
            "zone": rotation.time_zone_id,
            "start": isoformat(rotation.start.timestamp()),
            "recurrence": json.dumps(rotation.recurrence, sort_keys=True, separators=(",", ":")),
            "overrides": "; ".join(
                f"{isoformat(o.start.timestamp())} to {isoformat(o.end.timestamp())}: "
                + ", ".join(contacts.get(arn, arn) for arn in o.contact_ids)
                for o in sorted(rotation.overrides, key=lambda o: o.start)
            ),
        }
    return found


def _stage(stage: Stage, contacts: dict[str, str], channels: dict[str, str]) -> str:
    targets = []
    for target in stage.targets:
        if isinstance(target, ChannelTarget):
            arn, retry = target.channel_arn, target.retry_interval
            targets.append(channels.get(arn, arn) + (f" (retry {retry}m)" if retry else ""))
        else:
            arn = target.contact_arn or ""
            essential = " (essential)" if target.essential else ""
            targets.append(contacts.get(arn, arn) + essential)
    return f"{format_duration(stage.duration * 60)}: {', '.join(targets) or 'nobody'}"


def organisation_changes(old: ReviewInput, new: ReviewInput) -> list[dict[str, str]]:
    """Subjects added, removed and changed from ``old`` to ``new``, sorted by kind and name."""
    before, after = describe(old), describe(new)
    order = {"contact": 0, "channel": 1, "rotation": 2}
    rows: list[dict[str, str]] = []
    for key in sorted(set(before) | set(after), key=lambda k: (order[k[0]], k[1])):
        kind, name = key
        was, now = before.get(key), after.get(key)
        if was is None or now is None:
            present = now if now is not None else was
            assert present is not None
            summary = _summary(kind, present)
            old_value, new_value = ("", summary) if was is None else (summary, "")
            changes = [("added" if was is None else "removed", "", old_value, new_value)]
        else:
            changes = [
                ("changed", field, was.get(field, ""), now.get(field, ""))
                for field in [*was, *(f for f in now if f not in was)]
                if was.get(field, "") != now.get(field, "")
            ]
        rows.extend(
            {"kind": kind, "name": name, "change": change, "field": field, "old": old, "new": new}
            for change, field, old, new in changes
        )
    return rows


def _summary(kind: str, fields: dict[str, str]) -> str:
    """One line for a subject added or removed."""
    if kind == "contact":
        stages = fields.get("stages")
        return f"{fields['type']}" + (f", {stages} stage(s)" if stages else "")
    if kind == "channel":
        return f"{fields['type']} {fields['address']}"
    return f"members {fields['members']} ({fields['zone']})"
