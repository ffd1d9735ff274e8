"""Every timestamp member of every operation takes exactly the instants escsim represents.

The members are found by walking the request models (every datetime field, at any depth) and
checked against botocore's timestamp members, so a new one cannot be missed. Each is set, in an
otherwise valid request of its operation, to instants at the edges of
``engine.timeutil.EARLIEST_INSTANT`` to before ``LATEST_INSTANT``: just inside (never a 500,
never refused for its range), just outside, year 1, 9999-12-31T23:59:59, +-1e12, 253402300800,
1e308 (a ValidationException whose ``Fields`` name the member's path and value), and values that
are no instant at all, NaN-like text among them (a 4xx). Both fronts run every case: the
in-process client and a real server over HTTP. ``-m slow`` draws many more instants around the
edges.
"""

from __future__ import annotations

import copy
import datetime as dt
import http.client
import json
import math
import types
from collections.abc import Iterator
from typing import Annotated, Any, Union, get_args, get_origin

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import BaseModel

from engine.errors import ServiceError
from engine.http import RunningServer, start_server
from engine.model.requests import REQUEST_MODELS
from engine.timeutil import EARLIEST_INSTANT, LATEST_INSTANT
from tests.builders import contact_arn
from tests.fuzz.shapes import CASES, SERVICE, World, world

Path = tuple[str | int, ...]

LOW = EARLIEST_INSTANT.timestamp()
HIGH = LATEST_INSTANT.timestamp()
DAY = 86400.0
RANGE_WORDS = "Member must be an instant from 1900-01-01T00:00:00Z to before 9900-01-01T00:00:00Z"

#: Instants escsim represents, at its edges.
INSIDE: tuple[object, ...] = (
    LOW,
    LOW + 0.001,
    LOW + 1,
    HIGH - 1,
    HIGH - 0.001,
    int(HIGH) - 1,
    "1900-01-01T00:00:00Z",
    "1900-01-01T01:00:00+01:00",
    "9899-12-31T23:59:59Z",
    "9899-12-31T23:59:59.999Z",
)
#: Instants it does not: just outside, far outside, and beyond what datetime can hold.
OUTSIDE: tuple[object, ...] = (
    LOW - 0.001,
    LOW - 1,
    HIGH,
    HIGH + 0.001,
    -62135596800,  # 0001-01-01T00:00:00Z
    253402300799,  # 9999-12-31T23:59:59Z
    253402300800,
    -1e12,
    1e12,
    1e308,
    -1e308,
    10**30,
    -(10**30),
    "1e12",
    "0001-01-01T00:00:00Z",
    "1899-12-31T23:59:59Z",
    "1900-01-01T00:30:00+01:00",
    "9900-01-01T00:00:00Z",
    "9999-12-31T23:59:59Z",
)
#: Values that are no instant at all.
NOT_INSTANTS: tuple[object, ...] = ("NaN", "nan", "Infinity", "-Infinity", "", "soon", True)
#: Python values only the in-process client can be given.
PYTHON_ONLY: tuple[tuple[object, bool], ...] = (
    (dt.datetime(1, 1, 1, tzinfo=dt.UTC), False),
    (dt.datetime(9999, 12, 31, 23, 59, 59, tzinfo=dt.UTC), False),
    (dt.datetime.min, False),
    (dt.datetime.max.replace(tzinfo=dt.timezone(dt.timedelta(hours=-14))), False),
    (dt.datetime(1900, 1, 1, tzinfo=dt.UTC), True),
    (dt.datetime(9899, 12, 31, 23, 59, 59, tzinfo=dt.UTC), True),
    (float("nan"), None),
    (float("inf"), None),
    (float("-inf"), None),
)


# -- finding the members --------------------------------------------------------------------------


def timestamp_members() -> list[tuple[str, Path]]:
    """(operation, member path) of every timestamp in every request model, list items as 0."""
    found: list[tuple[str, Path]] = []
    for operation, model in sorted(REQUEST_MODELS.items()):
        found += [(operation, path) for path in _model_timestamps(model, ())]
    return found


def _model_timestamps(model: type[BaseModel], prefix: Path) -> Iterator[Path]:
    for name, field in model.model_fields.items():
        yield from _annotation_timestamps(field.annotation, (*prefix, field.alias or name))


def _annotation_timestamps(annotation: object, path: Path) -> Iterator[Path]:
    origin = get_origin(annotation)
    if annotation is dt.datetime:
        yield path
    elif origin is Annotated:
        yield from _annotation_timestamps(get_args(annotation)[0], path)
    elif origin is Union or origin is types.UnionType:
        for option in get_args(annotation):
            yield from _annotation_timestamps(option, path)
    elif origin is list:
        yield from _annotation_timestamps(get_args(annotation)[0], (*path, 0))
    elif origin is dict:
        yield from _annotation_timestamps(get_args(annotation)[1], (*path, "*"))
    elif isinstance(annotation, type) and issubclass(annotation, BaseModel):
        yield from _model_timestamps(annotation, path)


def botocore_timestamp_members() -> list[tuple[str, Path]]:
    found: list[tuple[str, Path]] = []

    def walk(operation: str, shape: Any, path: Path) -> None:
        if shape.type_name == "structure":
            for name, member in shape.members.items():
                walk(operation, member, (*path, name))
        elif shape.type_name == "list":
            walk(operation, shape.member, (*path, 0))
        elif shape.type_name == "map":
            walk(operation, shape.value, (*path, "*"))
        elif shape.type_name == "timestamp":
            found.append((operation, path))

    for operation in SERVICE.operation_names:
        walk(operation, SERVICE.operation_model(operation).input_shape, ())
    return sorted(found)


MEMBERS = timestamp_members()


def path_text(path: Path) -> str:
    """``("Overrides", 0, "StartTime")`` -> ``Overrides[0].StartTime``, as validation names it."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text


# -- requests -------------------------------------------------------------------------------------

JAN_1 = 1767225600.0  # 2026-01-01T00:00:00Z, the world's start
DAILY = {
    "NumberOfOnCalls": 1,
    "RecurrenceMultiplier": 1,
    "DailySettings": [{"HourOfDay": 9, "MinuteOfHour": 0}],
}


def base_requests(of: World) -> dict[str, dict[str, Any]]:
    """A valid request of each operation that has a timestamp member, every such member set."""
    rotation = of.arns["rotation"][0]
    window = {"StartTime": JAN_1 + DAY, "EndTime": JAN_1 + 2 * DAY}
    return {
        "CreateRotation": {
            "Name": "edges",
            "ContactIds": [contact_arn("akuam")],
            "TimeZoneId": "UTC",
            "Recurrence": DAILY,
            "StartTime": JAN_1,
        },
        "UpdateRotation": {"RotationId": rotation, "Recurrence": DAILY, "StartTime": JAN_1},
        "CreateRotationOverride": {
            "RotationId": rotation,
            "NewContactIds": [contact_arn("alejr")],
            **window,
        },
        "ListRotationOverrides": {"RotationId": rotation, **window},
        "ListRotationShifts": {"RotationId": rotation, **window},
        "ListPreviewRotationShifts": {
            "Members": ["akuam", "alejr"],
            "TimeZoneId": "UTC",
            "Recurrence": DAILY,
            "RotationStartTime": JAN_1,
            "Overrides": [{"NewMembers": ["alejr"], **window}],
            **window,
        },
        "ListEngagements": {"TimeRangeValue": dict(window)},
    }


def request_with(base: dict[str, Any], operation: str, path: Path, value: object) -> Any:
    """``base`` with ``value`` at ``path``; when ``value`` is an instant escsim represents, the
    operation's other timestamps move to within an hour of it, so every window stays short."""
    request = copy.deepcopy(base)
    epoch = _epoch(value)
    if epoch is not None:
        for operation_of, other in MEMBERS:
            if operation_of == operation and other != path:
                late = str(other[-1]) == "EndTime"
                moved = min(epoch + 3600, HIGH - 1) if late else max(epoch - 3600, LOW)
                _set(request, other, moved)
    _set(request, path, value)
    return request


def _epoch(value: object) -> float | None:
    """Epoch seconds of an instant escsim represents, or None."""
    if isinstance(value, bool):
        return None
    try:
        if isinstance(value, dt.datetime):
            moment = value if value.tzinfo else value.replace(tzinfo=dt.UTC)
        elif isinstance(value, str):
            moment = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
        elif isinstance(value, int | float) and math.isfinite(value):
            moment = dt.datetime.fromtimestamp(value, dt.UTC)
        else:
            return None
    except (ValueError, OverflowError, OSError):
        return None
    return moment.timestamp() if EARLIEST_INSTANT <= moment < LATEST_INSTANT else None


def _set(request: Any, path: Path, value: object) -> None:
    holder = request
    for part in path[:-1]:
        holder = holder[part]
    holder[path[-1]] = value


# -- what must come back --------------------------------------------------------------------------


def check_answer(
    path: Path, value: object, inside: bool | None, code: str | None, body: dict[str, Any]
) -> None:
    """``code`` is None for a result. Inside: anything but a 500 or a range refusal of the
    member; outside: a ValidationException naming the member and the value; None: a 4xx."""
    assert code != "InternalServerException", body
    named = path_text(path)
    refusals = [field for field in body.get("Fields", []) if field.get("Name") == named]
    if inside:
        assert not any(RANGE_WORDS in field["Message"] for field in refusals), body
    elif inside is False:
        assert code == "ValidationException", (named, value, body)
        assert any(RANGE_WORDS in field["Message"] for field in refusals), (named, value, body)
        shown = str(value) if not isinstance(value, dt.datetime) else value.isoformat()
        assert any(shown[:20] in field["Message"] for field in refusals), (shown, refusals)
    else:
        assert code in ("ValidationException", "SerializationException"), (named, value, body)


def in_process(the_world: World, operation: str, request: Any) -> tuple[str | None, dict[str, Any]]:
    CASES[("timestamp-client", operation)] += 1
    try:
        the_world.sim.client().call(operation, request)
    except ServiceError as error:
        return error.code, {"__type": error.code, "Message": error.message, **error.members}
    return None, {}


def over_http(
    connection: http.client.HTTPConnection, operation: str, request: Any
) -> tuple[str | None, dict[str, Any]]:
    CASES[("timestamp-http", operation)] += 1
    body = json.dumps(request, default=lambda moment: moment.timestamp()).encode()
    headers = {
        "Content-Type": "application/x-amz-json-1.1",
        "X-Amz-Target": f"SSMContacts.{operation}",
    }
    connection.request("POST", "/", body=body, headers=headers)
    answer = connection.getresponse()
    decoded = json.loads(answer.read())
    assert answer.status != 500, decoded
    return (None if answer.status == 200 else decoded["__type"]), decoded


# -- fixtures -------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def client_world() -> World:
    return world()


@pytest.fixture(scope="module")
def served() -> Iterator[tuple[RunningServer, World]]:
    the_world = world()
    with start_server(the_world.sim) as running:
        yield running, the_world


@pytest.fixture
def connection(
    served: tuple[RunningServer, World],
) -> Iterator[http.client.HTTPConnection]:
    connection = http.client.HTTPConnection("127.0.0.1", served[0].port, timeout=60)
    yield connection
    connection.close()


# -- tests ----------------------------------------------------------------------------------------


def test_the_members_found_in_the_models_are_botocores_timestamp_members() -> None:
    assert sorted(MEMBERS) == botocore_timestamp_members()
    assert len(MEMBERS) >= 15


def test_every_operation_with_a_timestamp_has_a_valid_base_request() -> None:
    the_world = world()
    bases = base_requests(the_world)
    assert {operation for operation, _ in MEMBERS} == set(bases)
    for operation, request in bases.items():
        assert in_process(the_world, operation, request)[0] is None, operation


CASES_BY_VALUE = [
    *[(value, True) for value in INSIDE],
    *[(value, False) for value in OUTSIDE],
    *[(value, None) for value in NOT_INSTANTS],
]


@pytest.mark.parametrize(("operation", "path"), MEMBERS, ids=lambda v: path_text(v) or v)
def test_the_client_takes_exactly_the_representable_instants(
    client_world: World, operation: str, path: Path
) -> None:
    bases = base_requests(client_world)
    for value, inside in [*CASES_BY_VALUE, *PYTHON_ONLY]:
        request = request_with(bases[operation], operation, path, value)
        code, body = in_process(client_world, operation, request)
        check_answer(path, value, inside, code, body)


@pytest.mark.parametrize(("operation", "path"), MEMBERS, ids=lambda v: path_text(v) or v)
def test_the_endpoint_takes_exactly_the_representable_instants(
    served: tuple[RunningServer, World],
    connection: http.client.HTTPConnection,
    operation: str,
    path: Path,
) -> None:
    bases = base_requests(served[1])
    for value, inside in CASES_BY_VALUE:
        request = request_with(bases[operation], operation, path, value)
        code, body = over_http(connection, operation, request)
        check_answer(path, value, inside, code, body)


# Around each edge: seconds and fractions of a second either side, as numbers or ISO 8601 text
# with an offset.
near_edges = st.builds(
    lambda edge, offset: edge + offset,
    st.sampled_from([LOW, HIGH]),
    st.one_of(
        st.floats(-3 * DAY, 3 * DAY, allow_nan=False),
        st.integers(-1000, 1000).map(float),
        st.sampled_from([-0.001, 0.0, 0.001, -1.0, 1.0]),
    ),
)


def _as_text(epoch: float, minutes: int) -> str:
    zone = dt.timezone(dt.timedelta(minutes=minutes))
    return dt.datetime.fromtimestamp(epoch, dt.UTC).astimezone(zone).isoformat()


def _instant_forms(epoch: float) -> st.SearchStrategy[object]:
    texts = st.integers(-14 * 60, 14 * 60).map(lambda minutes: _as_text(epoch, minutes))
    try:
        _as_text(epoch, 0)
    except (ValueError, OverflowError):
        return st.just(epoch)
    return st.one_of(st.just(epoch), texts)


@pytest.mark.slow
@settings(max_examples=3000, deadline=None)
@given(member=st.sampled_from(MEMBERS), value=near_edges.flatmap(_instant_forms))
def test_instants_near_the_edges_in_a_long_fuzz(member: tuple[str, Path], value: object) -> None:
    the_world = _long_world()
    operation, path = member
    request = request_with(base_requests(the_world)[operation], operation, path, value)
    code, body = in_process(the_world, operation, request)
    epoch = _epoch(value)
    check_answer(path, value, epoch is not None, code, body)


_WORLDS: list[World] = []


def _long_world() -> World:
    if not _WORLDS:
        _WORLDS.append(world())
    return _WORLDS[0]
