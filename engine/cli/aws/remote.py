"""Commands sent to a running ``escsim serve`` (``--endpoint-url``) instead of a workspace.

Requests are AWS JSON 1.1 (``POST /``, ``X-Amz-Target: SSMContacts.<Operation>``), with the
region in an unsigned SigV4-style ``Authorization`` header, where the endpoint reads it. The
simulator's control paths (``/_escsim/clock``, ``/outbox``, ``/events``) serve ``escsim clock``,
``outbox`` and ``events``. Only the URL the user gives is ever contacted; AWS's own endpoints are
refused, so a simulated command can never reach a real account.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import ssl
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Mapping

from engine.cli.aws.wire import to_wire
from engine.sigv4 import sign

__all__ = ["EndpointError", "RemoteControl", "RemoteServiceError", "Transport", "check_endpoint"]

_AWS_HOST_SUFFIXES = (".amazonaws.com", ".amazonaws.com.cn", ".api.aws", ".amazonaws.eu")


class EndpointError(Exception):
    """The endpoint URL is unusable, or nothing answers there."""


class RemoteServiceError(Exception):
    """An AWS-shaped error answer: its code, message and other members."""

    def __init__(self, code: str, message: str, members: Mapping[str, object]) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.members = members


def check_endpoint(url: str) -> str:
    """``url`` if it is an http(s) URL of a host other than AWS's; else EndpointError."""
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise EndpointError(
            f'Bad value for --endpoint-url "{url}": scheme is missing or '
            "invalid (write e.g. http://127.0.0.1:4566)"
        )
    host = parts.hostname.lower()
    if host.endswith(_AWS_HOST_SUFFIXES) or host in {"amazonaws.com", "api.aws"}:
        raise EndpointError(
            f"--endpoint-url {url} is an AWS endpoint; escsim only talks to simulators "
            "(`escsim serve`), never to AWS"
        )
    return url


class Transport:
    """Sends requests to one endpoint."""

    def __init__(
        self,
        url: str,
        region: str,
        *,
        read_timeout: float | None = 60.0,
        verify: bool = True,
        ca_bundle: str | None = None,
    ) -> None:
        self.url = check_endpoint(url)
        self.region = region
        self.timeout = read_timeout
        self._context: ssl.SSLContext | None = None
        if urllib.parse.urlsplit(url).scheme == "https":
            self._context = ssl.create_default_context(cafile=ca_bundle)
            if not verify:
                self._context.check_hostname = False
                self._context.verify_mode = ssl.CERT_NONE

    def call(self, operation: str, params: Mapping[str, object]) -> dict[str, object]:
        """One AWS JSON 1.1 request; returns the decoded body or raises RemoteServiceError.

        With AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY set, the request is signed (SigV4), so
        a server started with ``--accounts`` accepts it; otherwise it only names the region.
        """
        body = json.dumps(to_wire(params)).encode("utf-8")
        headers = {
            "Content-Type": "application/x-amz-json-1.1",
            "X-Amz-Target": f"SSMContacts.{operation}",
        }
        parts = urllib.parse.urlsplit(self.url)
        root = urllib.parse.urlunsplit(
            (parts.scheme, parts.netloc, parts.path or "/", parts.query, "")
        )
        key, secret = os.environ.get("AWS_ACCESS_KEY_ID"), os.environ.get("AWS_SECRET_ACCESS_KEY")
        if key and secret:
            headers |= sign(
                "POST",
                parts.path or "/",
                {**headers, "Host": parts.netloc},
                body,
                access_key=key,
                secret=secret,
                region=self.region,
                now=dt.datetime.now(dt.UTC),
            )
        else:
            headers["Authorization"] = (
                f"AWS4-HMAC-SHA256 Credential=escsim/20210503/{self.region}/ssm-contacts/"
                "aws4_request, SignedHeaders=content-type;host;x-amz-target, Signature=unsigned"
            )
        return self._send(root, body, headers, "POST")

    def control(self, path: str, payload: Mapping[str, float] | None = None) -> dict[str, object]:
        """GET (no payload) or POST a simulator control path such as ``/_escsim/clock``."""
        parts = urllib.parse.urlsplit(self.url)
        target = urllib.parse.urlunsplit(
            (parts.scheme, parts.netloc, parts.path.rstrip("/") + path, "", "")
        )
        # A server started with --admin-token wants it on its control paths.
        token = os.environ.get("ESCSIM_ADMIN_TOKEN")
        auth = {"Authorization": f"Bearer {token}"} if token else {}
        if payload is None:
            return self._send(target, None, auth, "GET")
        body = json.dumps(payload).encode("utf-8")
        return self._send(target, body, {"Content-Type": "application/json", **auth}, "POST")

    def _send(
        self, url: str, body: bytes | None, headers: dict[str, str], method: str
    ) -> dict[str, object]:
        request = urllib.request.Request(url, data=body, headers=headers, method=method)
        try:
            with urllib.request.urlopen(
                request, timeout=self.timeout or None, context=self._context
            ) as answer:
                raw = answer.read()
        except urllib.error.HTTPError as exc:
            raise _service_error(exc.code, exc.read()) from None
        except (urllib.error.URLError, OSError) as exc:
            raise EndpointError(f'Could not connect to the endpoint URL: "{url}" ({exc})') from None
        if not raw.strip():
            return {}
        try:
            decoded = json.loads(raw)
        except ValueError:
            raise EndpointError(
                f"The endpoint {url} answered with something that is not JSON"
            ) from None
        if not isinstance(decoded, dict):
            raise EndpointError(f"The endpoint {url} answered with JSON that is not an object")
        return decoded


class RemoteControl:
    """The simulator's control paths on a running ``escsim serve``: its clock, outbox and log.

    Raises what :meth:`Transport.control` raises, and EndpointError for an answer without the
    member asked for.
    """

    def __init__(self, transport: Transport) -> None:
        self.transport = transport

    def clock(self, move: Mapping[str, float] | None = None) -> tuple[float, float | None]:
        """The clock as (now, start) in epoch seconds, after ``move`` (AdvanceSeconds or Until)
        when given; start is None when the endpoint does not say."""
        answer = self.transport.control("/_escsim/clock", move)
        now, start = answer.get("Now"), answer.get("Start")
        if not isinstance(now, int | float):
            raise EndpointError(f"the endpoint answered without a clock: {answer!r}")
        return now, start if isinstance(start, int | float) else None

    def records(self, kind: str) -> list[dict[str, object]]:
        """The ``outbox`` or the ``events`` log."""
        key = "Events" if kind == "events" else "Messages"
        answer = self.transport.control(f"/_escsim/{kind}")
        records = answer.get(key)
        if not isinstance(records, list):
            raise EndpointError(f"the endpoint answered without {key}: {answer!r}")
        return records


def _service_error(status: int, raw: bytes) -> RemoteServiceError:
    try:
        body = json.loads(raw) if raw.strip() else {}
    except ValueError:
        body = {}
    if not isinstance(body, dict):
        body = {}
    code = str(body.get("__type") or status).rsplit("#", 1)[-1]
    message = str(body.get("Message") or body.get("message") or raw.decode("utf-8", "replace"))
    members = {
        key: value for key, value in body.items() if key not in ("__type", "Message", "message")
    }
    return RemoteServiceError(code, message, members)
