"""Contacts, their channels and plans: the shapes an escalation is built from.

Besides the model's constraints, Target and Stage enforce the stateless rules of
docs/semantics.md R2 (exactly one target info; a 0-minute stage needs a target); see
``rules.py``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self

from pydantic import model_validator

from engine import domain
from engine.model.base import ListOf, WireModel
from engine.model.common import SsmContactsArnList
from engine.model.constraints import (
    ChannelName,
    ContactAlias,
    ContactName,
    IsEssential,
    RetryIntervalInMinutes,
    SimpleAddress,
    SsmContactsArn,
    StageDurationInMins,
)
from engine.model.rules import stage_problems, target_problems
from engine.vocabulary import ActivationStatus, ChannelType, ContactType


class ContactChannelAddress(WireModel):
    """Where a channel delivers: ``+`` and a phone number for SMS and VOICE, an email address."""

    simple_address: SimpleAddress | None = None


class ChannelTargetInfo(WireModel):
    """A stage target that pages one contact channel, retried after an interval on failure."""

    contact_channel_id: SsmContactsArn
    retry_interval_in_minutes: RetryIntervalInMinutes | None = None


class ContactTargetInfo(WireModel):
    """A stage target that engages a contact; an essential one's acknowledgement ends escalation."""

    contact_id: SsmContactsArn | None = None
    is_essential: IsEssential


class Target(WireModel):
    """What a stage engages: a contact channel or a contact (exactly one of the two)."""

    channel_target_info: ChannelTargetInfo | None = None
    contact_target_info: ContactTargetInfo | None = None

    @classmethod
    def rule_problems(cls, data: Mapping[str, Any], path: str) -> list[dict[str, str]]:
        return target_problems(data, path)

    @model_validator(mode="after")
    def _exactly_one_info(self) -> Self:
        return self._enforce_rules("Target")

    def to_domain(self) -> domain.Target:
        """The engine's target, its reference as given."""
        channel, contact = self.channel_target_info, self.contact_target_info
        if channel is not None:
            return domain.ChannelTarget(
                channel.contact_channel_id, channel.retry_interval_in_minutes
            )
        assert contact is not None  # validation left exactly one of the two (semantics.md R2)
        return domain.ContactTarget(contact.contact_id, contact.is_essential)


class Stage(WireModel):
    """A step of a plan: its targets are engaged together, then the next stage waits its minutes."""

    duration_in_minutes: StageDurationInMins
    targets: ListOf[Target]

    @classmethod
    def rule_problems(cls, data: Mapping[str, Any], path: str) -> list[dict[str, str]]:
        return stage_problems(data, path)

    @model_validator(mode="after")
    def _zero_minutes_needs_a_target(self) -> Self:
        return self._enforce_rules("Stage")


class Plan(WireModel):
    """A contact's stages, or for an on-call schedule the rotations it is made of."""

    stages: ListOf[Stage] | None = None
    rotation_ids: SsmContactsArnList | None = None

    def to_domain(self) -> domain.Plan:
        """The engine's plan (compiled once, when made), its references as given."""
        stages = None
        if self.stages is not None:
            stages = tuple(
                domain.Stage(s.duration_in_minutes, tuple(t.to_domain() for t in s.targets))
                for s in self.stages
            )
        rotations = None if self.rotation_ids is None else tuple(self.rotation_ids)
        return domain.Plan(stages, rotations)


class Contact(WireModel):
    """A contact as lists show it: a person, an escalation plan or an on-call schedule."""

    contact_arn: SsmContactsArn
    alias: ContactAlias
    display_name: ContactName | None = None
    type: ContactType


class ContactChannel(WireModel):
    """A way to reach a personal contact, and whether it has been activated."""

    contact_channel_arn: SsmContactsArn
    contact_arn: SsmContactsArn
    name: ChannelName
    type: ChannelType | None = None
    delivery_address: ContactChannelAddress
    activation_status: ActivationStatus
