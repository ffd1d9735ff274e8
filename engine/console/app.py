"""The console's HTTP side: its pages, its actions, its assets and its live event stream, as ASGI
handlers that :func:`mount` adds to an :class:`engine.http.app.EscsimApp`'s route table.

Every page reads through :mod:`engine.console.views`; every action is one call of the endpoint
(``Endpoint.call`` for AWS operations, ``Endpoint.advance``/``advance_to`` for the clock), so it is
journaled and announced exactly as the same request from any other client. Actions answer 303 to
the page they came from. ``GET /_escsim/console/events`` is a Server-Sent Events stream: a
``change`` event carrying the count of accepted changes whenever it moves, a ``tick`` each second
under a realtime clock, and a comment every 15 seconds otherwise, so proxies keep it open.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Mapping
from typing import Final
from urllib.parse import parse_qsl, urlencode

from engine.console import views
from engine.console.forms import MAX_FORM_BYTES, FormError, choice, optional, parse_form, required
from engine.console.guard import Refused, admitted, host_allowed, same_origin, set_cookie
from engine.console.render import ASSETS, asset, render
from engine.errors import ServiceError
from engine.http.app import Asgi, EscsimApp, Receive, Scope, Send
from engine.http.changes import TooManySubscriptions
from engine.http.endpoint import Endpoint
from engine.simulator import Simulator

ROOT: Final = "/_escsim/console"
#: Page path -> (template, title).
PAGES: Final = {
    ROOT: ("inboxes.html", "Inboxes"),
    f"{ROOT}/engagements": ("engagements.html", "Engagements"),
    f"{ROOT}/oncall": ("oncall.html", "On call"),
}
#: The clock buttons: form value -> seconds (``next``: to the next scheduled work).
STEPS: Final = {"60": 60.0, "300": 300.0, "900": 900.0}
KEEPALIVE_SECONDS: Final = 15.0
TICK_SECONDS: Final = 1.0
_HTML: Final = "text/html; charset=utf-8"
#: Sent with every page: scripts, styles and forms only from here; never framed elsewhere.
_SECURITY: Final = (
    (
        "content-security-policy",
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
    ),
    ("x-content-type-options", "nosniff"),
    ("referrer-policy", "same-origin"),
    ("cache-control", "no-store"),
)
Headers = list[tuple[str, str]]
_Action = Callable[[views.Place, Mapping[str, str]], None]


class Console:
    """The console of one endpoint; ``listening`` is the address the server is bound to."""

    def __init__(self, endpoint: Endpoint, *, listening: str = "127.0.0.1") -> None:
        self.endpoint = endpoint
        self.listening = listening
        self.actions: dict[str, _Action] = {
            f"{ROOT}/acknowledge": self._acknowledge,
            f"{ROOT}/deliver": self._deliver,
            f"{ROOT}/stop": self._stop,
            f"{ROOT}/start": self._start,
            f"{ROOT}/clock": self._clock,
        }

    def routes(self) -> dict[str, Asgi]:
        """Path -> handler, for EscsimApp's route table."""
        table: dict[str, Asgi] = dict.fromkeys(PAGES, self._page)
        table.update(dict.fromkeys(self.actions, self._action))
        table.update({f"{ROOT}/static/{name}": self._asset for name in ASSETS})
        table[f"{ROOT}/events"] = self._events
        table[f"{ROOT}/login"] = self._login
        return table

    # -- pages -------------------------------------------------------------------------------

    async def _page(self, scope: Scope, receive: Receive, send: Send) -> None:
        headers = _headers(scope)
        path = _path(scope)
        try:
            host_allowed(headers, self.listening)
            _method(scope, ("GET", "HEAD"))
            admitted(self.endpoint.admin, headers)
            place = self.place(dict(parse_qsl(bytes(scope.get("query_string", b"")).decode())))
        except (Refused, ServiceError) as refusal:
            await self._refused(send, refusal, path)
            return
        await _answer(send, 200, self.page(path, place), head=scope["method"] == "HEAD")

    def place(self, given: Mapping[str, str]) -> views.Place:
        """The account and region named by ``given`` (its ``account`` and ``region``; each
        defaults to the simulator's own); Refused (404) when nothing is kept there."""
        own, known = self._namespaces()
        account = given.get("account") or own[0]
        region = given.get("region") or own[1]
        if (account, region) not in known:
            listed = ", ".join(f"{a} {r}" for a, r in known)
            raise Refused(
                404, f"Nothing is kept for account {account!r} in region {region!r}: see {listed}"
            )
        return views.Place(self.endpoint, account, region)

    def _namespaces(self) -> tuple[tuple[str, str], list[tuple[str, str]]]:
        """The simulator's own account and region, and every one a view may show (its own
        first, then those requests or imports have touched)."""

        def read(sim: Simulator) -> tuple[tuple[str, str], list[tuple[str, str]]]:
            own = (sim.account, sim.region)
            return own, [own, *(n for n in sim.namespaces() if n != own)]

        return self.endpoint.read(read)

    def page(self, path: str, place: views.Place, error: str | None = None) -> bytes:
        """The HTML of the page at ``path`` for ``place``, with ``error`` shown at its top."""
        template, title = PAGES[path]
        # Read the count first: a change made while the page is built makes it stale at once.
        version = self.endpoint.changes.version
        known = views.contacts(place)
        clock = views.clock(self.endpoint)
        values: dict[str, object] = {}
        if template == "inboxes.html":
            values["inboxes"] = views.inboxes(place, known)
        elif template == "engagements.html":
            values["engagements"] = views.engagements(place, known)
            values["contacts"] = known
        else:
            values["rotations"] = views.on_call(place, clock.now, known)
        own, namespaces = self._namespaces()
        return render(
            template,
            root=ROOT,
            path=path,
            title=title,
            pages=PAGES,
            version=version,
            clock=clock,
            error=error,
            place=place,
            here=_suffix(place, own),
            places=[(n, _suffix(views.Place(self.endpoint, *n), own)) for n in namespaces],
            **values,
        )

    async def _refused(self, send: Send, refusal: Refused | ServiceError, path: str) -> None:
        """The answer to a refused request: the sign-in form when the admin token would let it
        through (with the reason when a wrong one was given), else a page saying why."""
        if isinstance(refusal, ServiceError) and self.endpoint.admin.needs_token:
            why = None if refusal.http_status == 401 else refusal.message
            body = render("login.html", root=ROOT, back=path, error=why)
            await _answer(send, refusal.http_status, body)
            return
        if isinstance(refusal, Refused):
            status, why_text = refusal.status, refusal.why
        else:
            status, why_text = refusal.http_status, refusal.message
        await _answer(send, status, render("refused.html", root=ROOT, status=status, why=why_text))

    # -- actions -----------------------------------------------------------------------------

    async def _action(self, scope: Scope, receive: Receive, send: Send) -> None:
        headers = _headers(scope)
        path = _path(scope)
        try:
            host = host_allowed(headers, self.listening)
            _method(scope, ("POST",))
            same_origin(headers, host)
            admitted(self.endpoint.admin, headers)
            body = await _read_form(receive, headers)
            fields = parse_form(body, headers.get("content-type", ""))
        except (Refused, ServiceError) as refusal:
            await self._refused(send, refusal, ROOT)
            return
        except FormError as exc:
            await self._refused(send, Refused(400, str(exc)), ROOT)
            return
        back = fields.get("back", ROOT)
        back = back if back in PAGES else ROOT
        try:
            place = self.place(fields)
        except Refused as refusal:
            await self._refused(send, refusal, ROOT)
            return
        try:
            self.actions[path](place, fields)
        except (FormError, ServiceError) as exc:
            why = exc.message if isinstance(exc, ServiceError) else str(exc)
            status = exc.http_status if isinstance(exc, ServiceError) else 400
            await _answer(send, status, self.page(back, place, error=why))
            return
        here = _suffix(place, self._namespaces()[0])
        await _answer(send, 303, b"", extra=[("location", back + here)])

    def _acknowledge(self, place: views.Place, fields: Mapping[str, str]) -> None:
        self._accept(place, fields, "READ")

    def _deliver(self, place: views.Place, fields: Mapping[str, str]) -> None:
        self._accept(place, fields, "DELIVERED")

    def _accept(self, place: views.Place, fields: Mapping[str, str], accept_type: str) -> None:
        """AcceptPage as the person: READ acknowledges, DELIVERED marks the message received."""
        params: dict[str, object] = {
            "PageId": required(fields, "page"),
            "AcceptType": accept_type,
            "AcceptCode": required(fields, "code"),
            # The person replies with the code they were sent: a wrong one must not count.
            "AcceptCodeValidation": "ENFORCE",
        }
        if optional(fields, "channel"):
            params["ContactChannelId"] = required(fields, "channel")
        if accept_type == "READ" and optional(fields, "note"):
            params["Note"] = required(fields, "note")
        place.call("AcceptPage", params)

    def _stop(self, place: views.Place, fields: Mapping[str, str]) -> None:
        params: dict[str, object] = {"EngagementId": required(fields, "engagement")}
        reason = optional(fields, "reason")
        if reason is not None:
            params["Reason"] = reason
        place.call("StopEngagement", params)

    def _start(self, place: views.Place, fields: Mapping[str, str]) -> None:
        params: dict[str, object] = {
            "ContactId": required(fields, "contact"),
            "Sender": required(fields, "sender"),
            "Subject": required(fields, "subject"),
            "Content": required(fields, "content"),
        }
        for field, member in (
            ("public_subject", "PublicSubject"),
            ("public_content", "PublicContent"),
        ):
            value = optional(fields, field)
            if value is not None:
                params[member] = value
        place.call("StartEngagement", params)

    def _clock(self, place: views.Place, fields: Mapping[str, str]) -> None:
        step = choice(fields, "advance", (*STEPS, "next"))
        if step != "next":
            self.endpoint.advance(STEPS[step])
            return
        due = views.clock(self.endpoint).next_due
        if due is None:
            raise FormError("Nothing is scheduled: there is no next event to advance to")
        self.endpoint.advance_to(due)

    # -- login, assets, events ---------------------------------------------------------------

    async def _login(self, scope: Scope, receive: Receive, send: Send) -> None:
        headers = _headers(scope)
        try:
            host = host_allowed(headers, self.listening)
            if scope["method"] == "GET":
                await _answer(send, 200, render("login.html", root=ROOT, back=ROOT, error=None))
                return
            _method(scope, ("GET", "POST"))
            same_origin(headers, host)
            fields = parse_form(await _read_form(receive, headers), headers.get("content-type", ""))
            token = required(fields, "token")
            self.endpoint.admin.check({"authorization": f"Bearer {token}"})
        except (Refused, ServiceError) as refusal:
            await self._refused(send, refusal, ROOT)
            return
        except FormError as exc:
            await _answer(send, 400, render("login.html", root=ROOT, back=ROOT, error=str(exc)))
            return
        back = fields.get("back", ROOT)
        cookie = [("set-cookie", set_cookie(token))] if not self.endpoint.admin.open else []
        await _answer(
            send, 303, b"", extra=[("location", back if back in PAGES else ROOT), *cookie]
        )

    async def _asset(self, scope: Scope, receive: Receive, send: Send) -> None:
        name = _path(scope).rsplit("/", 1)[-1]
        try:
            host_allowed(_headers(scope), self.listening)
            _method(scope, ("GET", "HEAD"))
        except Refused as refusal:
            await self._refused(send, refusal, ROOT)
            return
        await _answer(send, 200, asset(name), media=ASSETS[name], head=scope["method"] == "HEAD")

    async def _events(self, scope: Scope, receive: Receive, send: Send) -> None:
        headers = _headers(scope)
        changes = self.endpoint.changes
        try:
            host_allowed(headers, self.listening)
            _method(scope, ("GET",))
            admitted(self.endpoint.admin, headers)
            subscription = changes.subscribe()
        except (Refused, ServiceError) as refusal:
            await self._refused(send, refusal, ROOT)
            return
        except TooManySubscriptions as exc:
            await self._refused(send, Refused(503, str(exc)), ROOT)
            return
        start: Headers = [
            ("content-type", "text/event-stream; charset=utf-8"),
            ("cache-control", "no-store"),
            ("x-content-type-options", "nosniff"),
        ]
        gone = asyncio.ensure_future(_disconnected(receive))
        try:
            await send({"type": "http.response.start", "status": 200, "headers": _raw(start)})
            await _frame(send, f"retry: 2000\n\n{change_frame(changes.version)}")
            pace = self.endpoint.clock.factor
            interval = TICK_SECONDS if pace is not None else KEEPALIVE_SECONDS
            while not changes.closed:
                waiting = asyncio.ensure_future(subscription.wait(interval))
                await asyncio.wait({waiting, gone}, return_when=asyncio.FIRST_COMPLETED)
                if gone.done():
                    waiting.cancel()
                    return
                if changes.closed:
                    break
                if waiting.result():
                    await _frame(send, change_frame(changes.version))
                elif pace is not None:
                    await _frame(send, f"event: tick\ndata: {self.endpoint.now()}\n\n")
                else:
                    await _frame(send, ": keep-alive\n\n")
            await send({"type": "http.response.body", "body": b"", "more_body": False})
        finally:
            subscription.close()
            gone.cancel()


def mount(app: EscsimApp, *, listening: str = "127.0.0.1") -> Console:
    """Serve the console of ``app``'s endpoint from ``app`` under /_escsim/console."""
    console = Console(app.endpoint, listening=listening)
    app.routes.update(console.routes())
    return console


def _suffix(place: views.Place, own: tuple[str, str]) -> str:
    """The query naming ``place`` in a link: empty for the simulator's own account and region."""
    if (place.account, place.region) == own:
        return ""
    return "?" + urlencode({"account": place.account, "region": place.region})


def change_frame(version: int) -> str:
    """The Server-Sent Event saying that ``version`` changes have been accepted."""
    return f"event: change\nid: {version}\ndata: {version}\n\n"


async def _disconnected(receive: Receive) -> None:
    while (await receive())["type"] != "http.disconnect":
        pass


async def _frame(send: Send, text: str) -> None:
    await send({"type": "http.response.body", "body": text.encode("utf-8"), "more_body": True})


async def _read_form(receive: Receive, headers: Mapping[str, str]) -> bytes:
    declared = headers.get("content-length", "")
    if declared.isdigit() and int(declared) > MAX_FORM_BYTES:
        raise Refused(
            413, f"The form is {declared} bytes; the console reads forms of up to {MAX_FORM_BYTES}"
        )
    parts: list[bytes] = []
    total = 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            raise Refused(400, "The client hung up before sending the whole form")
        chunk = bytes(message.get("body", b""))
        total += len(chunk)
        if total > MAX_FORM_BYTES:
            raise Refused(
                413, f"The form is over {MAX_FORM_BYTES} bytes, the most the console reads"
            )
        parts.append(chunk)
        if not message.get("more_body", False):
            return b"".join(parts)


def _method(scope: Scope, allowed: tuple[str, ...]) -> None:
    if scope["method"] not in allowed:
        raise Refused(405, f"{_path(scope)} takes {' or '.join(allowed)}, not {scope['method']}")


def _headers(scope: Scope) -> dict[str, str]:
    return {
        name.decode("latin-1").lower(): value.decode("latin-1") for name, value in scope["headers"]
    }


def _path(scope: Scope) -> str:
    raw = scope.get("raw_path") or scope["path"].encode("utf-8")
    return bytes(raw).decode("latin-1").split("?", 1)[0].rstrip("/") or "/"


def _raw(headers: Headers) -> list[tuple[bytes, bytes]]:
    return [(name.encode("latin-1"), value.encode("latin-1")) for name, value in headers]


async def _answer(
    send: Send,
    status: int,
    body: bytes,
    *,
    media: str = _HTML,
    head: bool = False,
    extra: Headers | None = None,
) -> None:
    headers: Headers = [("content-type", media), ("content-length", str(len(body))), *_SECURITY]
    headers.extend(extra or ())
    await send({"type": "http.response.start", "status": status, "headers": _raw(headers)})
    await send({"type": "http.response.body", "body": b"" if head else body, "more_body": False})
