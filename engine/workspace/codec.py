"""Journal values as JSON text: request parameters with their timestamps kept exact.

Parameters may hold aware datetimes (timestamp members); they are written as
``{"$datetime": "<ISO 8601>"}``, a key no AWS member or map key can have, and read back as the
same instants. Keys keep their order, so a replayed request is the request that was accepted.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

_TAG = "$datetime"


def _encode(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        moment = value if value.tzinfo is not None else value.replace(tzinfo=dt.UTC)
        return {_TAG: moment.isoformat()}
    if isinstance(value, dict):
        return {str(key): _encode(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_encode(item) for item in value]
    return value


def _decode(obj: dict[str, object]) -> object:
    if len(obj) == 1 and isinstance(tagged := obj.get(_TAG), str):
        return dt.datetime.fromisoformat(tagged)
    return obj


def dumps(value: Any) -> str:
    """Compact JSON for ``value``, datetimes tagged; raises TypeError for other non-JSON values."""
    return json.dumps(_encode(value), ensure_ascii=False, separators=(",", ":"), allow_nan=False)


_DECODER = json.JSONDecoder(object_hook=_decode)


def loads(text: str) -> Any:
    """The value :func:`dumps` wrote."""
    return _DECODER.decode(text)
