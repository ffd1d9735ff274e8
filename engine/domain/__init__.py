"""The domain: the organisation and its engagements as plain typed objects every layer shares.

Slotted, frozen dataclasses with no pydantic and no simpy. The service builds them from validated
requests (``engine.service.translate``) and turns them back into AWS shapes; the escalation core
runs on them; the contact graph is a view of them; front ends read them through
``Simulator.state()``. Being immutable, one object can be shared by a simulator and its forks.
"""

from engine.domain.engagements import Engagement, Page, Receipt, Resolution, ResolutionStep
from engine.domain.organisation import (
    Channel,
    ChannelStep,
    ChannelTarget,
    Contact,
    ContactStep,
    ContactTarget,
    Organisation,
    Override,
    Plan,
    Rotation,
    Stage,
    Target,
)

__all__ = [
    "Channel",
    "ChannelStep",
    "ChannelTarget",
    "Contact",
    "ContactStep",
    "ContactTarget",
    "Engagement",
    "Organisation",
    "Override",
    "Page",
    "Plan",
    "Receipt",
    "Resolution",
    "ResolutionStep",
    "Rotation",
    "Stage",
    "Target",
]
