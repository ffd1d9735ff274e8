"""How an organisation source is read: values for its inputs, how channels count, where it lives.

One :class:`SourceOptions` serves every kind of source: ``parameters`` fill CloudFormation
Parameters, ``variables`` Terraform variables (``--var NAME=VALUE``), ``channels`` says whether
channels a template declares count as activated (what the team intends) or as AWS leaves them
(not activated until each person activates theirs), and ``account``/``region`` place the
organisation (None: the defaults scenario files use, :data:`engine.arns.DEFAULT_ACCOUNT` and
:data:`engine.arns.DEFAULT_REGION`, unless the source names its own region).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

__all__ = ["ChannelReading", "SourceOptions"]

ChannelReading = Literal["intended", "as-deployed"]


@dataclass(frozen=True)
class SourceOptions:
    """What a source reader needs beyond the source itself."""

    parameters: Mapping[str, str] = field(default_factory=dict)
    """CloudFormation parameter values (``--parameter NAME=VALUE``)."""
    variables: Mapping[str, str] = field(default_factory=dict)
    """Terraform variable values (``--var NAME=VALUE``)."""
    channels: ChannelReading = "intended"
    """``intended``: declared channels read as activated; ``as-deployed``: as AWS creates them,
    not activated."""
    account: str | None = None
    region: str | None = None

    def __post_init__(self) -> None:
        if self.channels not in ("intended", "as-deployed"):
            raise ValueError(
                f"channels must be 'intended' or 'as-deployed' (got {self.channels!r})"
            )
