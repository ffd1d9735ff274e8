"""Who is calling: the ``--accounts`` credentials file and SigV4 signature verification.

The file maps access key ids to a secret and an account, in JSON or YAML (read with
``yaml.safe_load``, so no tag can build an object)::

    AKIAEXAMPLEALICE:
      secret: alice-secret
      account: "111122223333"
    AKIAEXAMPLEBOB: {secret: bob-secret, account: "444455556666"}

With it, every AWS request must carry a valid ``AWS4-HMAC-SHA256`` Authorization header for a
known key; the request then belongs to that key's account and to the region of its credential
scope. Verification follows AWS's documented Signature Version 4: the canonical request (method,
canonical URI, canonical query, the signed headers, the payload's SHA-256), the string to sign,
the signing key derived from the secret, date, region and service, and an HMAC-SHA256 compared
in constant time. The request date is not compared with the wall clock (the simulator keeps its
own time), so a captured request can be replayed; keys are for separating accounts, not for
fending off an attacker on the network.
"""

from __future__ import annotations

import dataclasses
import hashlib
import hmac
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Final
from urllib.parse import quote

from engine.errors import ServiceError
from engine.http.refusals import IncompleteSignatureException
from engine.http.sigv4 import SERVICE_NAME, region_from_authorization

__all__ = [
    "ALGORITHM",
    "Accounts",
    "AccountsFileError",
    "Caller",
    "Credential",
    "InvalidSignatureException",
    "MissingAuthenticationTokenException",
    "UnrecognizedClientException",
    "canonical_request",
    "load_accounts",
    "signature",
    "signing_key",
    "string_to_sign",
]

ALGORITHM: Final = "AWS4-HMAC-SHA256"
_ACCOUNT: Final = re.compile(r"\d{12}")
_ACCESS_KEY: Final = re.compile(r"[A-Za-z0-9_+=,.@-]{1,128}")
_AMZ_DATE: Final = re.compile(r"\d{8}T\d{6}Z")
_PARAMETER: Final = re.compile(r"(Credential|SignedHeaders|Signature)=([^,\s]*)")


class UnrecognizedClientException(ServiceError):
    """The access key id is not in the credentials file."""

    code = "UnrecognizedClientException"


class InvalidSignatureException(ServiceError):
    """The signature does not match the one computed with the key's secret."""

    code = "InvalidSignatureException"


class MissingAuthenticationTokenException(ServiceError):
    """The request carries no Authorization header although credentials are checked."""

    code = "MissingAuthenticationTokenException"


class AccountsFileError(Exception):
    """The credentials file cannot be used; the message names the file, the entry and why."""


@dataclasses.dataclass(frozen=True, slots=True)
class Credential:
    """One access key: its secret and the account its requests act in."""

    access_key: str
    secret: str
    account: str


@dataclasses.dataclass(frozen=True, slots=True)
class Caller:
    """A verified request's access key, account and region."""

    access_key: str
    account: str
    region: str


@dataclasses.dataclass(frozen=True)
class Accounts:
    """The known access keys, by id."""

    credentials: Mapping[str, Credential]

    def __len__(self) -> int:
        return len(self.credentials)

    @property
    def account_ids(self) -> list[str]:
        """The distinct accounts, in the file's order."""
        return list(dict.fromkeys(c.account for c in self.credentials.values()))

    def authenticate(
        self, method: str, path: str, headers: Mapping[str, str], body: bytes
    ) -> Caller:
        """The caller of a request whose SigV4 signature checks out.

        ``path`` is the request target as received (path and query, percent-encoded). Raises
        MissingAuthenticationTokenException, IncompleteSignatureException,
        UnrecognizedClientException or InvalidSignatureException, each saying what was wrong.
        """
        fields = {name.lower(): value for name, value in headers.items()}
        header = (fields.get("authorization") or "").strip()
        if not header:
            raise MissingAuthenticationTokenException(
                "Request is missing Authentication Token: this endpoint checks credentials "
                "(escsim serve --accounts), so requests must be signed with SigV4"
            )
        region = region_from_authorization(header, "")
        parameters = dict(_PARAMETER.findall(header))
        for name in ("Credential", "SignedHeaders", "Signature"):
            if not parameters.get(name):
                raise IncompleteSignatureException(
                    f"Authorization header requires '{name}' parameter"
                )
        access_key, date, _, _, _ = parameters["Credential"].split("/")
        amz_date = fields.get("x-amz-date", "").strip()
        if not _AMZ_DATE.fullmatch(amz_date):
            raise IncompleteSignatureException(
                "Authorization header requires existence of an 'X-Amz-Date' header of the "
                "form YYYYMMDDTHHMMSSZ"
            )
        credential = self.credentials.get(access_key)
        if credential is None:
            raise UnrecognizedClientException(
                f"The security token included in the request is invalid: access key "
                f"{access_key!r} is not in the credentials file"
            )
        if amz_date[:8] != date:
            raise InvalidSignatureException(
                f"Date in Credential scope does not match YYYYMMDD from ISO-8601 version of "
                f"date from HTTP: '{date}' != '{amz_date[:8]}'"
            )
        signed = parameters["SignedHeaders"].split(";")
        if "host" not in signed:
            raise InvalidSignatureException("'Host' must be a 'SignedHeader' in the Authorization")
        missing = [name for name in signed if name not in fields]
        if missing:
            raise InvalidSignatureException(
                f"Signed header {missing[0]!r} is not among the request's headers"
            )
        canonical = canonical_request(method, path, fields, signed, body)
        scope = f"{date}/{region}/{SERVICE_NAME}/aws4_request"
        expected = signature(
            signing_key(credential.secret, date, region, SERVICE_NAME),
            string_to_sign(amz_date, scope, canonical),
        )
        if not hmac.compare_digest(expected, parameters["Signature"]):
            raise InvalidSignatureException(
                "The request signature we calculated does not match the signature you "
                "provided. Check your AWS Secret Access Key and signing method."
            )
        return Caller(access_key, credential.account, region)


# -- SigV4, step by step --------------------------------------------------------------------------


def canonical_request(
    method: str, target: str, headers: Mapping[str, str], signed: list[str], body: bytes
) -> str:
    """The canonical request of SigV4: method, URI, query, signed headers and payload hash.

    ``headers`` are keyed by lower-case name. The URI's path has its dot segments and repeated
    slashes removed and is percent-encoded once more, as for every service but S3; a signed
    ``x-amz-content-sha256`` header stands for the payload's hash, as it does for botocore.
    """
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
    digest = hashlib.sha256(canonical.encode("utf-8")).hexdigest()
    return f"{ALGORITHM}\n{amz_date}\n{scope}\n{digest}"


def signing_key(secret: str, date: str, region: str, service: str) -> bytes:
    """The key derived from the secret by HMACs over date, region, service and 'aws4_request'."""
    key = _hmac(f"AWS4{secret}".encode(), date)
    for part in (region, service, "aws4_request"):
        key = _hmac(key, part)
    return key


def signature(key: bytes, text: str) -> str:
    """The hex HMAC-SHA256 of ``text`` under the signing key."""
    return hmac.new(key, text.encode("utf-8"), hashlib.sha256).hexdigest()


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


# -- the credentials file -------------------------------------------------------------------------


def load_accounts(path: str | Path) -> Accounts:
    """The credentials in ``path`` (JSON or YAML). Raises AccountsFileError naming the problem."""
    import yaml

    name = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise AccountsFileError(f"{name}: not UTF-8 text ({exc.reason})") from None
    except OSError as exc:
        raise AccountsFileError(f"{name}: cannot read it: {exc.strerror or exc}") from None
    try:
        data = yaml.safe_load(text)  # YAML is a superset of JSON: one reader for both
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark is not None else ""
        raise AccountsFileError(f"{name}: not JSON or YAML{where}") from None
    return parse_accounts(data, name)


def parse_accounts(data: Any, name: str = "<accounts>") -> Accounts:
    """Credentials from loaded data; AccountsFileError names the entry and field at fault."""
    if not isinstance(data, dict) or not data:
        raise AccountsFileError(
            f"{name}: expected a mapping of access key id -> {{secret, account}}, with at "
            "least one key"
        )
    credentials: dict[str, Credential] = {}
    for key, entry in data.items():
        if not isinstance(key, str) or not _ACCESS_KEY.fullmatch(key):
            raise AccountsFileError(
                f"{name}: access key id {key!r} must be 1 to 128 letters, digits or _+=,.@-"
            )
        if not isinstance(entry, dict):
            raise AccountsFileError(f"{name}: {key}: expected {{secret: ..., account: ...}}")
        unknown = sorted(str(field) for field in entry if field not in ("secret", "account"))
        if unknown:
            raise AccountsFileError(
                f"{name}: {key}.{unknown[0]}: unknown field (the fields are secret and account)"
            )
        secret = entry.get("secret")
        if not isinstance(secret, str) or not secret:
            raise AccountsFileError(f"{name}: {key}.secret: must be a non-empty string")
        account = entry.get("account")
        if not isinstance(account, str) or not _ACCOUNT.fullmatch(account):
            raise AccountsFileError(
                f"{name}: {key}.account: must be 12 digits as a string, such as "
                f'"111122223333" (got {account!r})'
            )
        credentials[key] = Credential(key, secret, account)
    return Accounts(credentials)
