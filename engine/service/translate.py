"""The service's edge: validated requests (pydantic wire shapes) to domain objects, and domain
objects and engine state back to AWS answers.

Answers keep the AWS model's member order and leave absent members out, as AWS does; times are
aware UTC datetimes (the front ends encode them). Nothing else in the service reads or writes an
AWS member name of a contact, plan or rotation.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from engine.domain import (
    Channel,
    ChannelTarget,
    Contact,
    ContactTarget,
    Override,
    Plan,
    Receipt,
    ResolutionStep,
    Rotation,
    Stage,
    Target,
)
from engine.model.rotations import RecurrenceSettings
from engine.sim.state import EngagementState, PageState

#: Rewrites a referenced ARN (its argument, and the kind it must be) to the form state keys it by.
Rewrite = Callable[[str, str], str]
#: Virtual seconds to an aware datetime.
Clock = Callable[[float], dt.datetime]


# -- wire -> domain -------------------------------------------------------------------------------


def rewritten(plan: Plan, rewrite: Rewrite) -> Plan:
    """``plan`` with every referenced ARN passed through ``rewrite``."""
    stages = None
    if plan.stages is not None:
        stages = tuple(
            Stage(
                stage.duration,
                tuple(
                    ChannelTarget(rewrite(t.channel_arn, "contact-channel"), t.retry_interval)
                    if isinstance(t, ChannelTarget)
                    else ContactTarget(
                        None if t.contact_arn is None else rewrite(t.contact_arn, "contact"),
                        t.essential,
                    )
                    for t in stage.targets
                ),
            )
            for stage in plan.stages
        )
    rotations = None
    if plan.rotation_ids is not None:
        rotations = tuple(rewrite(r, "rotation") for r in plan.rotation_ids)
    return Plan(stages, rotations)


def recurrence_of(recurrence: RecurrenceSettings) -> dict[str, object]:
    """RecurrenceSettings as the members given, for the shift algorithm and for answers."""
    return recurrence.model_dump(by_alias=True, exclude_unset=True, exclude_none=True)


# -- domain -> wire -------------------------------------------------------------------------------


def contact_summary(contact: Contact) -> dict[str, object]:
    """A ``Contact`` list item."""
    out: dict[str, object] = {"ContactArn": contact.arn, "Alias": contact.alias}
    if contact.display_name is not None:
        out["DisplayName"] = contact.display_name
    out["Type"] = contact.type
    return out


def contact_detail(contact: Contact) -> dict[str, object]:
    """GetContact's answer."""
    out = contact_summary(contact)
    out["Plan"] = plan_answer(contact.plan)
    return out


def plan_answer(plan: Plan) -> dict[str, object]:
    """A Plan in AWS member names, members given and only those."""
    out: dict[str, object] = {}
    if plan.stages is not None:
        out["Stages"] = [
            {
                "DurationInMinutes": stage.duration,
                "Targets": [_target_answer(t) for t in stage.targets],
            }
            for stage in plan.stages
        ]
    if plan.rotation_ids is not None:
        out["RotationIds"] = list(plan.rotation_ids)
    return out


def _target_answer(target: Target) -> dict[str, object]:
    if isinstance(target, ChannelTarget):
        info: dict[str, object] = {"ContactChannelId": target.channel_arn}
        if target.retry_interval is not None:
            info["RetryIntervalInMinutes"] = target.retry_interval
        return {"ChannelTargetInfo": info}
    return {"ContactTargetInfo": {"ContactId": target.contact_arn, "IsEssential": target.essential}}


def channel_summary(channel: Channel) -> dict[str, object]:
    """A ``ContactChannel`` list item."""
    return {
        "ContactChannelArn": channel.arn,
        "ContactArn": channel.contact_arn,
        "Name": channel.name,
        "Type": channel.type,
        "DeliveryAddress": {"SimpleAddress": channel.address},
        "ActivationStatus": "ACTIVATED" if channel.activated else "NOT_ACTIVATED",
    }


def channel_detail(channel: Channel) -> dict[str, object]:
    """GetContactChannel's answer."""
    # The same members as a list item, with ContactArn moved first as the model orders them.
    return {"ContactArn": channel.contact_arn, **channel_summary(channel)}


def rotation_summary(rotation: Rotation) -> dict[str, object]:
    """A ``Rotation`` list item (also GetRotation's answer)."""
    return {
        "RotationArn": rotation.arn,
        "Name": rotation.name,
        "ContactIds": list(rotation.contact_ids),
        "StartTime": rotation.start,
        "TimeZoneId": rotation.time_zone_id,
        "Recurrence": rotation.recurrence,
    }


def override_item(override: Override) -> dict[str, object]:
    """A ``RotationOverride``."""
    return {
        "RotationOverrideId": override.id,
        "NewContactIds": list(override.contact_ids),
        "StartTime": override.start,
        "EndTime": override.end,
        "CreateTime": override.create_time,
    }


def engagement_summary(clock: Clock, engagement: EngagementState) -> dict[str, object]:
    """An ``Engagement`` list item."""
    out: dict[str, object] = {
        "EngagementArn": engagement.arn,
        "ContactArn": engagement.contact_arn,
        "Sender": engagement.sender,
    }
    if engagement.incident_id is not None:
        out["IncidentId"] = engagement.incident_id
    _times(out, clock, (("StartTime", engagement.start), ("StopTime", engagement.stop)))
    return out


def engagement_detail(clock: Clock, engagement: EngagementState) -> dict[str, object]:
    """DescribeEngagement's answer."""
    out: dict[str, object] = {
        "ContactArn": engagement.contact_arn,
        "EngagementArn": engagement.arn,
        "Sender": engagement.sender,
        "Subject": engagement.subject,
        "Content": engagement.content,
    }
    _texts(out, engagement)
    _times(out, clock, (("StartTime", engagement.start), ("StopTime", engagement.stop)))
    return out


def _page_head(page: PageState) -> dict[str, object]:
    return {
        "PageArn": page.arn,
        "EngagementArn": page.engagement.arn,
        "ContactArn": page.contact_arn,
        "Sender": page.engagement.sender,
    }


def page_summary(clock: Clock, page: PageState) -> dict[str, object]:
    """A ``Page`` list item."""
    engagement = page.engagement
    out = _page_head(page)
    if engagement.incident_id is not None:
        out["IncidentId"] = engagement.incident_id
    times = (("SentTime", page.sent_time), ("DeliveryTime", page.delivery_time))
    _times(out, clock, (*times, ("ReadTime", page.read_time)))
    return out


def page_detail(clock: Clock, page: PageState) -> dict[str, object]:
    """DescribePage's answer."""
    engagement = page.engagement
    out = _page_head(page)
    out["Subject"] = engagement.subject
    out["Content"] = engagement.content
    _texts(out, engagement)
    times = (("SentTime", page.sent_time), ("ReadTime", page.read_time))
    _times(out, clock, (*times, ("DeliveryTime", page.delivery_time)))
    return out


def receipt(clock: Clock, item: Receipt) -> dict[str, object]:
    """A ``Receipt``."""
    out: dict[str, object] = {}
    if item.channel_arn is not None:
        out["ContactChannelArn"] = item.channel_arn
    out["ReceiptType"] = item.type
    if item.info is not None:
        out["ReceiptInfo"] = item.info
    out["ReceiptTime"] = clock(item.time)
    return out


def resolution_step(step: ResolutionStep) -> dict[str, object]:
    """A ``ResolutionContact``."""
    arn, kind, stage = step
    out: dict[str, object] = {"ContactArn": arn, "Type": kind}
    if stage is not None:
        out["StageIndex"] = stage
    return out


def _times(
    out: dict[str, object], clock: Clock, times: tuple[tuple[str, float | None], ...]
) -> None:
    for name, value in times:
        if value is not None:
            out[name] = clock(value)


def _texts(out: dict[str, object], engagement: EngagementState) -> None:
    if engagement.public_subject is not None:
        out["PublicSubject"] = engagement.public_subject
    if engagement.public_content is not None:
        out["PublicContent"] = engagement.public_content
    if engagement.incident_id is not None:
        out["IncidentId"] = engagement.incident_id
