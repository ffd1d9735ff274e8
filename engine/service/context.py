"""What every operation handler works with: the namespace, the engine, and shared helpers.

Lookups turn a caller's ARN into state or raise the AWS error the operation may return;
pagination and idempotency behave the same for every operation that has them.
"""

from __future__ import annotations

import base64
import binascii
import dataclasses
import datetime as dt
import sys
from collections.abc import Callable, Mapping, Sequence
from typing import TypeVar

from engine.arns import make_arn, parse_arn
from engine.domain import Channel, Contact, Rotation
from engine.errors import ResourceNotFoundException, ValidationException, field_error
from engine.model.base import WireModel
from engine.sim.escalation import EscalationEngine
from engine.sim.state import EngagementState, Namespace, PageState

T = TypeVar("T")

DEFAULT_PAGE_SIZE = 50  # docs/semantics.md L1


@dataclasses.dataclass(slots=True)
class Context:
    """One request's view: its operation, namespace and the engine that runs the clock."""

    operation: str
    ns: Namespace
    engine: EscalationEngine

    # -- time --------------------------------------------------------------------------------

    def datetime(self, virtual: float) -> dt.datetime:
        """A virtual instant as an aware UTC datetime, millisecond precision."""
        epoch = round(self.engine.start_epoch + virtual, 3)
        return dt.datetime.fromtimestamp(epoch, dt.UTC)

    def virtual(self, moment: dt.datetime) -> float:
        """An aware datetime as virtual seconds since the run's start."""
        return moment.timestamp() - self.engine.start_epoch

    # -- lookups -----------------------------------------------------------------------------

    def canonical(self, arn: str, kind: str) -> str | None:
        """``arn`` rewritten in this namespace's canonical form, or None if it names elsewhere."""
        parts = parse_arn(arn)
        if (
            parts is None
            or parts.kind != kind
            or parts.partition != "aws"
            or parts.account != self.ns.account
            or parts.region != self.ns.region
        ):
            return None
        return make_arn(self.ns.region, self.ns.account, kind, *parts.parts)

    def find(self, table: Mapping[str, T], arn: str, kind: str, resource_type: str) -> T:
        """The entry of ``table`` that ``arn`` (of ARN kind ``kind``) names, or
        ResourceNotFoundException of ``resource_type``."""
        found = table.get(arn)  # tables are keyed by canonical ARNs: most callers give one
        if found is not None:
            return found
        key = self.canonical(arn, kind)
        found = table.get(key) if key else None
        if found is None:
            noun = resource_type.replace("_", " ").lower()
            raise ResourceNotFoundException(
                f"{noun.capitalize()} not found: {arn!r} does not name a {noun} in account "
                f"{self.ns.account}, region {self.ns.region}",
                arn,
                resource_type,
            )
        return found

    def contact(self, arn: str) -> Contact:
        """The contact ``arn`` names, or ResourceNotFoundException (CONTACT)."""
        return self.find(self.ns.contacts, arn, "contact", "CONTACT")

    def channel(self, arn: str) -> Channel:
        """The channel ``arn`` names, or ResourceNotFoundException (CONTACT_CHANNEL)."""
        return self.find(self.ns.channels, arn, "contact-channel", "CONTACT_CHANNEL")

    def engagement(self, arn: str) -> EngagementState:
        """The engagement ``arn`` names, or ResourceNotFoundException (ENGAGEMENT)."""
        return self.find(self.ns.engagements, arn, "engagement", "ENGAGEMENT")

    def page(self, arn: str) -> PageState:
        """The page ``arn`` names, or ResourceNotFoundException (PAGE)."""
        return self.find(self.ns.pages, arn, "page", "PAGE")

    def rotation(self, arn: str) -> Rotation:
        """The rotation ``arn`` names, or ResourceNotFoundException (ROTATION)."""
        return self.find(self.ns.rotations, arn, "rotation", "ROTATION")

    # -- idempotency (docs/semantics.md E13) -------------------------------------------------------

    def idempotent(
        self, req: WireModel, token: str | None, create: Callable[[], dict[str, object]]
    ) -> dict[str, object]:
        """Run ``create`` once per (operation, IdempotencyToken), then replay its result; the
        other members given must be the same each time."""
        if token is None:
            return create()
        details = req.model_dump(
            by_alias=True, exclude_unset=True, exclude_none=True, exclude={"idempotency_token"}
        )
        key = (self.operation, token)
        seen = self.ns.idempotency.get(key)
        if seen is not None:
            if seen[0] != details:
                raise field_error(
                    "IdempotencyToken",
                    f"Value '{token}' at 'IdempotencyToken' was already used for a "
                    f"{self.operation} request with different parameters",
                )
            return dict(seen[1])
        result = create()
        self.ns.idempotency[key] = (details, dict(result))
        return result

    # -- pagination (docs/semantics.md L1) ---------------------------------------------------------

    def paginate(
        self,
        page: tuple[str | None, int | None],
        items: Sequence[T],
        result_key: str,
        render: Callable[[T], object],
        *,
        newest_first: bool = False,
    ) -> dict[str, object]:
        """One page of ``items`` (in creation order) per (NextToken, MaxResults), rendered, with
        NextToken if more. ``newest_first`` lists them backwards; its token counts from the oldest
        end, so a walk goes on without repeats when items are created meanwhile."""
        token, max_results = page
        size = max_results or DEFAULT_PAGE_SIZE
        total = len(items)
        position = self._read_token(token, total)
        out: dict[str, object] = {}
        if newest_first:
            end = total if token is None else position
            chunk = list(reversed(items[max(end - size, 0) : end]))
            if end - size > 0:
                out["NextToken"] = self._make_token(end - size)
        else:
            chunk = list(items[position : position + size])
            if position + size < total:
                out["NextToken"] = self._make_token(position + size)
        out[result_key] = [render(item) for item in chunk]
        return out

    def token_offset(self, token: str | None) -> int:
        """Where a NextToken of this operation resumes (0 without one); paginate checks the
        offset against the items again."""
        return self._read_token(token, sys.maxsize)

    def _make_token(self, offset: int) -> str:
        return base64.b64encode(f"{self.operation}/{offset}".encode()).decode()

    def _read_token(self, token: str | None, total: int) -> int:
        if token is None:
            return 0
        try:
            operation, _, offset = base64.b64decode(token, validate=True).decode().partition("/")
            position = int(offset)
        except (binascii.Error, UnicodeDecodeError, ValueError):
            position = -1
            operation = ""
        if operation != self.operation or not 0 <= position <= total:
            raise field_error(
                "NextToken",
                f"Value '{token}' at 'NextToken' is not a pagination token this "
                f"{self.operation} request issued",
            )
        return position


def bad_reference(path: str, value: str, why: str) -> ValidationException:
    """A ValidationException naming a reference that cannot be used (docs/semantics.md X1b)."""
    return field_error(path, f"Value '{value}' at '{path}' {why}")
