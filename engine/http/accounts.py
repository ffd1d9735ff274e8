"""Who is calling: the ``--accounts`` credentials file, and the caller of a signed request.

The file maps access key ids to a secret and an account, in JSON or YAML (``yaml.safe_load``)::

    AKIAEXAMPLEALICE:
      secret: alice-secret
      account: "111122223333"
    AKIAEXAMPLEBOB: {secret: bob-secret, account: "444455556666"}

With it, every AWS request must carry a valid SigV4 signature (:mod:`engine.sigv4`) of a known
key, and belongs to that key's account and the region of its credential scope. The request date
is not compared with the wall clock (the simulator keeps its own time): keys separate accounts,
they do not fend off an attacker on the network.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Final

from engine.sigv4 import (
    MissingAuthenticationTokenException,
    UnrecognizedClientException,
    parse_authorization,
    verify,
)

_ACCOUNT: Final = re.compile(r"\d{12}")
_ACCESS_KEY: Final = re.compile(r"[A-Za-z0-9_+=,.@-]{1,128}")


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
        """The caller of a request whose SigV4 signature checks out (``path``: the target as
        received); else the AWS error saying what is wrong, the header read before any key."""
        fields = {name.lower(): value for name, value in headers.items()}
        header = (fields.get("authorization") or "").strip()
        if not header:
            raise MissingAuthenticationTokenException(
                "Request is missing Authentication Token: this endpoint checks credentials "
                "(escsim serve --accounts), so requests must be signed with SigV4"
            )
        authorization = parse_authorization(header)
        credential = self.credentials.get(authorization.access_key)
        if credential is None:
            raise UnrecognizedClientException(
                "The security token included in the request is invalid: access key "
                f"'{authorization.access_key}' is not in the credentials file"
            )
        verify(authorization, credential.secret, method, path, fields, body)
        return Caller(authorization.access_key, credential.account, authorization.region)


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
