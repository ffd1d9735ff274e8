"""How an organisation source is read: values for its inputs, how channels count, where it lives.

One :class:`SourceOptions` serves every kind of source: ``parameters`` fill CloudFormation
Parameters, ``variables`` Terraform variables (``--var NAME=VALUE``), ``channels`` says whether
channels a template declares count as activated (what the team intends) or as AWS leaves them
(not activated until each person activates theirs), and ``account``/``region`` place the
organisation (None: the defaults scenario files use, :data:`engine.arns.DEFAULT_ACCOUNT` and
:data:`engine.arns.DEFAULT_REGION`, unless the source names its own region).

The live account source (``account:``) also takes ``profile`` and ``endpoint_url`` (where boto3
connects), ``redact`` (placeholders for delivery addresses and names) and the review window as
the command wrote it (``window_from``/``window_to``), which bounds the overrides it reads.
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
    profile: str | None = None
    """The AWS profile of the account source (None: the standard credential chain's)."""
    endpoint_url: str | None = None
    """Where the account source connects (None: AWS's endpoint for the region)."""
    redact: bool = False
    """The account source replaces delivery addresses and names with stable placeholders."""
    window_from: str | None = None
    """``--from`` as written (an instant); the account source reads overrides from it."""
    window_to: str | None = None
    """``--to`` as written (an instant or a duration after ``--from``)."""
    vendor_settings: Mapping[str, str] = field(default_factory=dict)
    """Another product's named settings (``--vendor-setting NAME=VALUE``, docs/vendors/)."""

    def __post_init__(self) -> None:
        if self.channels not in ("intended", "as-deployed"):
            raise ValueError(
                f"channels must be 'intended' or 'as-deployed' (got {self.channels!r})"
            )
