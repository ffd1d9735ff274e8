"""The region of a request, read from the credential scope of its SigV4 ``Authorization`` header.

``AWS4-HMAC-SHA256 Credential=<key>/<yyyymmdd>/<region>/ssm-contacts/aws4_request, ...``: AWS
keys state by the region a client signs for, and so does escsim. Signatures are not verified;
an unsigned request (no header) belongs to the endpoint's default region.
"""

from __future__ import annotations

import re
from typing import Final

from engine.http.refusals import IncompleteSignatureException

__all__ = ["SERVICE_NAME", "region_from_authorization"]

SERVICE_NAME: Final = "ssm-contacts"
_SCHEME: Final = "AWS4-HMAC-SHA256"
_CREDENTIAL: Final = re.compile(r"Credential=([^,\s]*)")
_REGION: Final = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_DATE: Final = re.compile(r"\d{8}")


def region_from_authorization(header: str | None, default: str) -> str:
    """The signing region of ``header``, or ``default`` when the request is unsigned.

    Raises ``IncompleteSignatureException`` naming the problem when the header is present but
    is not SigV4, or its credential scope is not
    ``<key>/<date>/<region>/ssm-contacts/aws4_request``.
    """
    if header is None or not header.strip():
        return default
    text = header.strip()
    scheme = text.split(None, 1)[0]
    if scheme != _SCHEME:
        raise IncompleteSignatureException(
            f"Authorization header scheme '{scheme}' is not supported: sign requests with "
            f"SigV4 ({_SCHEME}) or send them unsigned"
        )
    match = _CREDENTIAL.search(text)
    if match is None:
        raise IncompleteSignatureException(
            "Authorization header requires a 'Credential' parameter: "
            "Credential=<key>/<date>/<region>/ssm-contacts/aws4_request"
        )
    scope = match.group(1)
    parts = scope.split("/")
    if len(parts) != 5 or parts[4] != "aws4_request" or not _DATE.fullmatch(parts[1]):
        raise IncompleteSignatureException(
            f"Credential scope '{scope}' is malformed: expected "
            "<key>/<yyyymmdd>/<region>/ssm-contacts/aws4_request"
        )
    region, service = parts[2], parts[3]
    if service != SERVICE_NAME:
        raise IncompleteSignatureException(
            f"Credential should be scoped to correct service: '{SERVICE_NAME}' "
            f"(the scope names '{service}')"
        )
    if len(region) > 64 or not _REGION.fullmatch(region):
        raise IncompleteSignatureException(
            f"Credential scope region '{region}' is not a region name such as us-east-2"
        )
    return region
