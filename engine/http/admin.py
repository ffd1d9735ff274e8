"""The admin token that guards the simulator's control paths (``escsim serve --admin-token``).

Control paths move the clock, read every account's outbox and event log, and reset the state,
so once an endpoint checks AWS credentials (``--accounts``) or is given a token, they answer only
requests carrying ``Authorization: Bearer <token>``. Tokens are compared in constant time.
"""

from __future__ import annotations

import hmac
from collections.abc import Mapping
from typing import Final

from engine.errors import ServiceError

BEARER: Final = "Bearer"


class ControlUnauthorizedException(ServiceError):
    """A control request without the admin token (HTTP 401)."""

    code = "UnauthorizedException"
    http_status = 401


class ControlForbiddenException(ServiceError):
    """A control request with a wrong token, or to an endpoint that has none (HTTP 403)."""

    code = "AccessDeniedException"
    http_status = 403


class AdminGuard:
    """Decides whether a control request may run: with a token, only ``Authorization: Bearer
    <token>`` passes; without, control paths are open, or refused when ``closed``."""

    def __init__(self, token: str | None, *, closed: bool = False) -> None:
        if token is not None and not token.strip():
            raise ValueError("the admin token must not be empty")
        self._token = token
        self._closed = closed

    @property
    def open(self) -> bool:
        """Whether control requests run without a token."""
        return self._token is None and not self._closed

    @property
    def needs_token(self) -> bool:
        """Whether a token opens the control paths (False: open, or closed to everyone)."""
        return self._token is not None

    def check(self, headers: Mapping[str, str]) -> None:
        """Raise ControlUnauthorizedException or ControlForbiddenException unless allowed."""
        if self.open:
            return
        if self._token is None:
            raise ControlForbiddenException(
                "Control paths are closed: this endpoint checks credentials (--accounts) and "
                "was started without --admin-token"
            )
        fields = {name.lower(): value for name, value in headers.items()}
        scheme, _, given = (fields.get("authorization") or "").strip().partition(" ")
        if scheme.lower() != BEARER.lower() or not given.strip():
            raise ControlUnauthorizedException(
                "Control paths need the admin token: send 'Authorization: Bearer <token>'"
            )
        if not hmac.compare_digest(given.strip().encode(), self._token.encode()):
            raise ControlForbiddenException("The admin token given is not this endpoint's")
