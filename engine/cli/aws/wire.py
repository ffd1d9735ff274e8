"""Values converted by shape: requests to the model's types, responses to the model's order.

:func:`to_request` turns a checked request's timestamps (epoch seconds, ISO 8601) into aware
datetimes. As botocore does, :func:`shape_response` puts a response's members in the model's
order whatever order the service sent them in, leaves out null members, and turns epoch-seconds
timestamps (as they arrive from an ``--endpoint-url``) into aware datetimes. :func:`to_wire`
turns a request's datetimes into epoch seconds for the JSON body.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from engine.cli.aws.shapes import Shape
from engine.timeutil import to_datetime

__all__ = ["parse_timestamp", "shape_response", "shape_structure", "to_request", "to_wire"]


def parse_timestamp(value: object) -> dt.datetime:
    """An aware datetime from a datetime, epoch seconds or an ISO 8601 text; else ValueError."""
    if isinstance(value, dt.datetime):
        return value if value.tzinfo is not None else value.replace(tzinfo=dt.UTC)
    if isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day, tzinfo=dt.UTC)
    if isinstance(value, int | float | str):
        try:
            return to_datetime(value)
        except (ValueError, OverflowError, OSError) as exc:
            raise ValueError(str(exc)) from None
    raise ValueError(f"not a timestamp: {value!r}")


def to_request(params: object, shape: Shape) -> object:
    """Validated ``params`` with every timestamp member turned into an aware datetime."""
    kind = shape.type_name
    if kind == "timestamp":
        return parse_timestamp(params)
    if kind == "structure" and isinstance(params, dict):
        return {
            key: to_request(value, shape.members[key]) if key in shape.members else value
            for key, value in params.items()
        }
    if kind == "list" and isinstance(params, list | tuple):
        assert shape.member is not None
        return [to_request(item, shape.member) for item in params]
    if kind == "map" and isinstance(params, dict):
        assert shape.value is not None
        return {key: to_request(value, shape.value) for key, value in params.items()}
    return params


def shape_structure(value: Mapping[str, object], shape: Shape) -> dict[str, object]:
    """:func:`shape_response` of a structure (a whole response)."""
    shaped = shape_response(value, shape)
    assert isinstance(shaped, dict)
    return shaped


def shape_response(value: object, shape: Shape) -> object:
    """``value`` with structures in member order, nulls dropped and timestamps as datetimes."""
    kind = shape.type_name
    if kind == "structure" and isinstance(value, dict):
        ordered = {
            name: shape_response(value[name], member)
            for name, member in shape.members.items()
            if value.get(name) is not None
        }
        # Members the model does not know are kept, after the known ones, as botocore keeps
        # nothing of them: escsim prefers to show what its service sent.
        ordered.update({k: v for k, v in value.items() if k not in shape.members and v is not None})
        return ordered
    if kind == "list" and isinstance(value, list):
        assert shape.member is not None
        return [shape_response(item, shape.member) for item in value]
    if kind == "map" and isinstance(value, dict):
        assert shape.value is not None
        return {key: shape_response(item, shape.value) for key, item in value.items()}
    if kind == "timestamp":
        return _timestamp(value)
    return value


def _timestamp(value: object) -> object:
    if isinstance(value, dt.datetime):
        return value if value.tzinfo is not None else value.replace(tzinfo=dt.UTC)
    if isinstance(value, int | float) and not isinstance(value, bool):
        return dt.datetime.fromtimestamp(value, dt.UTC)
    if isinstance(value, str):
        try:
            return dt.datetime.fromtimestamp(float(value), dt.UTC)
        except ValueError:
            try:
                moment = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
            except ValueError:
                return value
            return moment if moment.tzinfo is not None else moment.replace(tzinfo=dt.UTC)
    return value


def to_wire(value: object) -> object:
    """``value`` with every datetime as epoch seconds (a number, millisecond precision)."""
    if isinstance(value, dt.datetime):
        moment = value if value.tzinfo is not None else value.replace(tzinfo=dt.UTC)
        seconds = round(moment.timestamp(), 3)
        return int(seconds) if seconds.is_integer() else seconds
    if isinstance(value, dict):
        return {key: to_wire(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [to_wire(item) for item in value]
    return value
