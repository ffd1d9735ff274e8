"""AWS Signature Version 4 for ssm-contacts: reading an Authorization header, signing, verifying.

One implementation for both ends: the endpoint reads each request's region from the credential
scope and, with ``escsim serve --accounts``, verifies the signature; the command line signs the
requests it sends to ``--endpoint-url``. The header is ``AWS4-HMAC-SHA256
Credential=<key>/<yyyymmdd>/<region>/ssm-contacts/aws4_request, SignedHeaders=<name>;...,
Signature=<hex>``, read strictly: a header that breaks a rule is refused with
``IncompleteSignatureException`` naming the rule, before any key is looked at. Signing follows
AWS's documented steps; verification recomputes the signature and compares in constant time.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import hmac
import re
from collections.abc import Mapping
from typing import Final
from urllib.parse import quote

from engine.arns import is_region
from engine.errors import ServiceError

ALGORITHM: Final = "AWS4-HMAC-SHA256"
SERVICE_NAME: Final = "ssm-contacts"
_TERMINATOR: Final = "aws4_request"
_PARAMETERS: Final = ("Credential", "SignedHeaders", "Signature")
_DATE: Final = re.compile(r"[0-9]{8}")
_AMZ_DATE: Final = re.compile(r"[0-9]{8}T[0-9]{6}Z")
_HEADER_NAME: Final = re.compile(r"[!#$%&'*+.^_`|~0-9a-z-]+")
_ACCESS_KEY: Final = re.compile(r"[\x21-\x7e]{1,128}")
_SHOWN: Final = 60


class IncompleteSignatureException(ServiceError):
    """The ``Authorization`` header is not a SigV4 header that can be read."""

    code = "IncompleteSignatureException"


class InvalidSignatureException(ServiceError):
    """The signature does not match the one computed with the key's secret."""

    code = "InvalidSignatureException"


class UnrecognizedClientException(ServiceError):
    """The access key id is not a known one."""

    code = "UnrecognizedClientException"


class MissingAuthenticationTokenException(ServiceError):
    """The request carries no ``Authorization`` header although credentials are checked."""

    code = "MissingAuthenticationTokenException"


@dataclasses.dataclass(frozen=True, slots=True)
class Authorization:
    """The parts of a well-formed SigV4 ``Authorization`` header."""

    access_key: str
    date: str
    region: str
    signed_headers: tuple[str, ...]
    signature: str

    @property
    def scope(self) -> str:
        """``<yyyymmdd>/<region>/ssm-contacts/aws4_request``."""
        return f"{self.date}/{self.region}/{SERVICE_NAME}/{_TERMINATOR}"


def parse_authorization(header: str) -> Authorization:
    """The parts of ``header``; IncompleteSignatureException saying what is wrong otherwise."""
    scheme, _, rest = header.strip().replace("\t", " ").partition(" ")
    if scheme != ALGORITHM:
        raise IncompleteSignatureException(
            f"Authorization header scheme '{_show(scheme)}' is not supported: sign requests "
            f"with SigV4 ({ALGORITHM}) or send them unsigned"
        )
    found: dict[str, str] = {}
    unknown: list[str] = []
    for item in rest.split(","):
        name, equals, value = item.strip().partition("=")
        if not equals or name not in _PARAMETERS:
            unknown.append(item.strip())
        elif name in found:
            raise IncompleteSignatureException(
                f"Authorization header gives the '{name}' parameter more than once"
            )
        else:
            found[name] = value
    for name in _PARAMETERS:
        if not found.get(name):
            raise IncompleteSignatureException(f"Authorization header requires '{name}' parameter")
    if unknown:
        raise IncompleteSignatureException(
            f"Authorization header parameter '{_show(unknown[0])}' is not one of "
            "Credential=..., SignedHeaders=..., Signature=..."
        )
    access_key, date, region = _scope(found["Credential"])
    signed = tuple(found["SignedHeaders"].split(";"))
    if not all(_HEADER_NAME.fullmatch(name) for name in signed):
        raise IncompleteSignatureException(
            f"SignedHeaders '{_show(found['SignedHeaders'])}' must be lower-case header names "
            "separated by ';'"
        )
    return Authorization(access_key, date, region, signed, found["Signature"])


def _scope(credential: str) -> tuple[str, str, str]:
    parts = credential.split("/")
    if len(parts) != 5:
        raise IncompleteSignatureException(
            f"Credential '{_show(credential)}' is malformed: expected "
            f"<key>/<yyyymmdd>/<region>/{SERVICE_NAME}/{_TERMINATOR}"
        )
    access_key, date, region, service, terminator = parts
    if not _ACCESS_KEY.fullmatch(access_key):
        raise IncompleteSignatureException(
            f"Credential access key '{_show(access_key)}' must be 1 to 128 printable ASCII "
            "characters"
        )
    if not _DATE.fullmatch(date):
        raise IncompleteSignatureException(
            f"Credential date '{_show(date)}' must be the request's date as YYYYMMDD"
        )
    if not is_region(region):
        raise IncompleteSignatureException(
            f"Credential should be scoped to a valid region: '{_show(region)}' is not a region "
            "name such as us-east-2"
        )
    if service != SERVICE_NAME:
        raise IncompleteSignatureException(
            f"Credential should be scoped to correct service: '{SERVICE_NAME}' (the scope "
            f"names '{_show(service)}')"
        )
    if terminator != _TERMINATOR:
        raise IncompleteSignatureException(
            f"Credential should be scoped with a valid terminator: '{_TERMINATOR}', not "
            f"'{_show(terminator)}'"
        )
    return access_key, date, region


def region_from_authorization(header: str | None, default: str) -> str:
    """The signing region of ``header``, or ``default`` for an unsigned request."""
    if header is None or not header.strip():
        return default
    return parse_authorization(header).region


def verify(
    authorization: Authorization,
    secret: str,
    method: str,
    target: str,
    headers: Mapping[str, str],
    body: bytes,
) -> None:
    """Check a request's signature against ``secret`` (``target`` as received, ``headers`` keyed
    by lower-case name): IncompleteSignatureException or InvalidSignatureException if not."""
    amz_date = headers.get("x-amz-date", "").strip()
    if not _AMZ_DATE.fullmatch(amz_date):
        raise IncompleteSignatureException(
            "Authorization header requires existence of an 'X-Amz-Date' header of the "
            "form YYYYMMDDTHHMMSSZ"
        )
    if amz_date[:8] != authorization.date:
        raise InvalidSignatureException(
            "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date "
            f"from HTTP: '{authorization.date}' != '{amz_date[:8]}'"
        )
    signed = list(authorization.signed_headers)
    if "host" not in signed:
        raise InvalidSignatureException("'Host' must be a 'SignedHeader' in the Authorization")
    missing = [name for name in signed if name not in headers]
    if missing:
        raise InvalidSignatureException(
            f"Signed header '{missing[0]}' is not among the request's headers"
        )
    canonical = canonical_request(method, target, headers, signed, body)
    expected = signature(
        signing_key(secret, authorization.date, authorization.region),
        string_to_sign(amz_date, authorization.scope, canonical),
    )
    given = authorization.signature.encode("utf-8", "surrogatepass")
    if not hmac.compare_digest(expected.encode("ascii"), given):
        raise InvalidSignatureException(
            "The request signature we calculated does not match the signature you provided. "
            "Check your AWS Secret Access Key and signing method."
        )


def sign(
    method: str,
    target: str,
    headers: Mapping[str, str],
    body: bytes,
    *,
    access_key: str,
    secret: str,
    region: str,
    now: dt.datetime,
) -> dict[str, str]:
    """The ``X-Amz-Date`` and ``Authorization`` headers signing a request as botocore would;
    every header given is signed, and ``host`` must be one."""
    amz_date = now.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    lower = {name.lower(): value for name, value in headers.items()}
    lower["x-amz-date"] = amz_date
    signed = sorted(lower)
    scope = f"{amz_date[:8]}/{region}/{SERVICE_NAME}/{_TERMINATOR}"
    canonical = canonical_request(method, target, lower, signed, body)
    mac = signature(
        signing_key(secret, amz_date[:8], region), string_to_sign(amz_date, scope, canonical)
    )
    return {
        "X-Amz-Date": amz_date,
        "Authorization": (
            f"{ALGORITHM} Credential={access_key}/{scope}, "
            f"SignedHeaders={';'.join(signed)}, Signature={mac}"
        ),
    }


def canonical_request(
    method: str, target: str, headers: Mapping[str, str], signed: list[str], body: bytes
) -> str:
    """The canonical request of SigV4: method, URI (normalised and encoded again, as for all
    services but S3), query, signed headers, payload hash (or ``x-amz-content-sha256``)."""
    # Split by hand: urlsplit would read a path starting with // as a host name.
    path, _, query = target.partition("?")
    canonical_headers = "".join(
        f"{name}:{' '.join(headers[name].split())}\n" for name in sorted(signed)
    )
    payload = headers.get("x-amz-content-sha256") or hashlib.sha256(body).hexdigest()
    return "\n".join(
        (
            method.upper(),
            quote(_normalise_path(path), safe="/~"),
            _canonical_query(query),
            canonical_headers,
            ";".join(sorted(signed)),
            payload,
        )
    )


def string_to_sign(amz_date: str, scope: str, canonical: str) -> str:
    """``AWS4-HMAC-SHA256``, the request time, the credential scope and the canonical hash."""
    digest = hashlib.sha256(canonical.encode("utf-8", "surrogatepass")).hexdigest()
    return f"{ALGORITHM}\n{amz_date}\n{scope}\n{digest}"


def signing_key(secret: str, date: str, region: str, service: str = SERVICE_NAME) -> bytes:
    """The key derived from the secret by HMACs over date, region, service and 'aws4_request'."""
    key = _hmac(f"AWS4{secret}".encode(), date)
    for part in (region, service, _TERMINATOR):
        key = _hmac(key, part)
    return key


def signature(key: bytes, text: str) -> str:
    """The hex HMAC-SHA256 of ``text`` under the signing key."""
    return _hmac(key, text).hex()


def _hmac(key: bytes, text: str) -> bytes:
    return hmac.new(key, text.encode("utf-8"), hashlib.sha256).digest()


def _normalise_path(path: str) -> str:
    if not path:
        return "/"
    kept: list[str] = []
    for segment in path.split("/"):
        if segment in ("", "."):
            continue
        if segment == "..":
            if kept:
                kept.pop()
        else:
            kept.append(segment)
    lead = "/" if path.startswith("/") else ""
    trail = "/" if path.endswith("/") and kept else ""
    return lead + "/".join(kept) + trail


def _canonical_query(query: str) -> str:
    if not query:
        return ""
    pairs = sorted(pair.partition("=")[::2] for pair in query.split("&"))
    return "&".join(f"{key}={value}" for key, value in pairs)


def _show(text: str) -> str:
    """``text`` fit to quote in a message: printable, and cut short."""
    shown = "".join(c if c.isprintable() else f"\\x{ord(c):02x}" for c in text[:_SHOWN])
    return shown + ("..." if len(text) > _SHOWN else "")
