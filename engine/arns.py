"""ARNs of ssm-contacts resources: building them, and reading the parts of one a caller passes.

Formats (partition ``aws``): ``contact/<alias>``, ``contact-channel/<alias>/<uuid>``,
``engagement/<alias>/<uuid>``, ``page/<alias>/<uuid>``, ``rotation/<uuid>``.
"""

from __future__ import annotations

import dataclasses
import re

DEFAULT_ACCOUNT = "111122223333"
DEFAULT_REGION = "us-east-1"

#: A region name as botocore accepts one: a DNS label of lower-case letters, digits and hyphens.
REGION_PATTERN = re.compile(r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?")
#: An AWS account id: twelve digits.
ACCOUNT_PATTERN = re.compile(r"[0-9]{12}")

_ARN = re.compile(
    r"^arn:(?P<partition>aws|aws-cn|aws-us-gov):ssm-contacts:(?P<region>[^:]*):(?P<account>[0-9]+):"
    r"(?P<kind>[a-z-]+)/(?P<rest>.+)$"
)


@dataclasses.dataclass(frozen=True, slots=True)
class Arn:
    """The parts of an ssm-contacts ARN. ``parts`` are the path segments after the kind."""

    partition: str
    region: str
    account: str
    kind: str
    parts: tuple[str, ...]

    def __str__(self) -> str:
        return make_arn(self.region, self.account, self.kind, *self.parts, partition=self.partition)


def make_arn(region: str, account: str, kind: str, *parts: str, partition: str = "aws") -> str:
    """``arn:aws:ssm-contacts:<region>:<account>:<kind>/<part>/<part>...``."""
    return f"arn:{partition}:ssm-contacts:{region}:{account}:{kind}/{'/'.join(parts)}"


def parse_arn(text: str) -> Arn | None:
    """The parts of ``text``, or None when it is not an ssm-contacts resource ARN."""
    match = _ARN.match(text)
    if match is None:
        return None
    return Arn(
        match["partition"],
        match["region"],
        match["account"],
        match["kind"],
        tuple(match["rest"].split("/")),
    )


def is_region(text: object) -> bool:
    """Whether ``text`` is a well-formed region name (``us-east-2``), not ``../..`` or ``""``."""
    return isinstance(text, str) and REGION_PATTERN.fullmatch(text) is not None


def is_account(text: object) -> bool:
    """Whether ``text`` is a twelve-digit account id."""
    return isinstance(text, str) and ACCOUNT_PATTERN.fullmatch(text) is not None
