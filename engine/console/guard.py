"""Who may use the console, and which requests may change anything.

- Host: the ``Host`` header must name a loopback address or the address the server listens on,
  so a page of another site reached through DNS rebinding is refused.
- Token: where the endpoint's control paths need the admin token (``--admin-token``), so does
  the console; a browser gives it once in the login form, which keeps it in an HttpOnly,
  SameSite=Strict cookie; a script may send ``Authorization: Bearer TOKEN`` instead. The check
  itself is the endpoint's own :class:`engine.http.admin.AdminGuard`.
- Same origin: every state change is a POST whose ``Origin`` (or, without one, ``Referer``) is
  this very server; anything else is refused.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final
from urllib.parse import quote, unquote, urlsplit

from engine.http.admin import AdminGuard
from engine.http.server import is_loopback

COOKIE: Final = "escsim_console"


class Refused(Exception):
    """A console request refused: ``status`` and a sentence saying why."""

    def __init__(self, status: int, why: str) -> None:
        super().__init__(why)
        self.status = status
        self.why = why


def host_allowed(headers: Mapping[str, str], listening: str) -> str:
    """The request's ``Host`` header when it names loopback or ``listening``; Refused (403)
    otherwise."""
    host = headers.get("host", "").strip()
    name = urlsplit(f"http://{host}").hostname or ""
    if not host or not (is_loopback(name) or name == "localhost" or name == listening):
        raise Refused(403, f"The console answers only at its own address, not at host {host!r}")
    return host


def same_origin(headers: Mapping[str, str], host: str) -> None:
    """Refused (403) unless ``Origin`` or, without it, ``Referer`` is ``http://<host>``."""
    own = f"http://{host}"
    origin = headers.get("origin")
    if origin is not None:
        if origin.strip() != own:
            raise Refused(403, f"Changes are accepted only from {own}, not from {origin!r}")
        return
    referer = headers.get("referer")
    if referer is None:
        raise Refused(403, "Changes need an Origin or Referer header naming this console")
    if referer.strip() != own and not referer.strip().startswith(own + "/"):
        raise Refused(403, f"Changes are accepted only from {own}, not from {referer!r}")


def token_given(headers: Mapping[str, str]) -> str | None:
    """The token the request carries: its ``Authorization`` header, else the console's cookie."""
    authorization = headers.get("authorization")
    if authorization is not None:
        return authorization
    cookie = cookie_token(headers.get("cookie", ""))
    return None if cookie is None else f"Bearer {cookie}"


def cookie_token(header: str) -> str | None:
    """The console cookie's value in a ``Cookie`` header, if any."""
    for part in header.split(";"):
        name, sep, value = part.strip().partition("=")
        if sep and name == COOKIE and value:
            return unquote(value)
    return None


def set_cookie(token: str) -> str:
    """The ``Set-Cookie`` value keeping ``token`` for the console's paths only."""
    return f"{COOKIE}={quote(token, safe='')}; Path=/_escsim/console; HttpOnly; SameSite=Strict"


def admitted(admin: AdminGuard, headers: Mapping[str, str]) -> None:
    """Raise the admin guard's refusal unless the request carries what the control paths need."""
    given = token_given(headers)
    admin.check({} if given is None else {"authorization": given})
