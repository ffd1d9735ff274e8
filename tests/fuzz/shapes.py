"""Requests for every operation, generated from botocore's input shapes, and ways to break them.

``world()`` builds a small organisation with an engagement under way, a rotation, an override
and a schedule, the same ARNs every time, so that generated requests can name resources that
exist. ``requests(operation)`` draws requests that fit the model (members, types, lengths,
ranges, enums, plausible values such as the world's ARNs and codes); ``mutated(request)`` breaks
one: a member dropped, a value of the wrong type, a string past its maximum, a malformed ARN or
an ARN of another account, odd unicode, a huge number, an unknown member, deep nesting.
"""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt
import json
import uuid
from collections import Counter
from functools import cache
from typing import Any

import botocore.session
from botocore.model import Shape
from hypothesis import strategies as st

from engine import Simulator
from tests.builders import PREFIX, REGION, START, Org, contact_arn

SERVICE = botocore.session.get_session().get_service_model("ssm-contacts")
OPERATIONS: tuple[str, ...] = tuple(sorted(SERVICE.operation_names))
START_TIME = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)

#: Cases run, by (front end, operation): the figures of the fuzz run.
CASES: Counter[tuple[str, str]] = Counter()


@dataclasses.dataclass
class World:
    """A simulator with a little of everything, and the identifiers it holds."""

    sim: Simulator
    arns: dict[str, list[str]]
    override_ids: list[str]
    codes: list[str]


def world() -> World:
    """The fuzz world: the seed's organisation, a schedule over a rotation with an override, two
    engagements under way, tags and a policy. Deterministic: the same ARNs every call."""
    sim = Simulator(seed=11, start=START, region=REGION)
    client = sim.client()
    org = Org(sim, client)
    org.seed()
    rotation = org.rotation("day", ["akuam", "alejr"], start="2025-12-31T09:00:00Z")
    org.schedule("oncall", [rotation])
    override = client.create_rotation_override(
        RotationId=rotation,
        NewContactIds=[contact_arn("alejr")],
        StartTime=dt.datetime(2026, 1, 1, 12, tzinfo=dt.UTC),
        EndTime=dt.datetime(2026, 1, 1, 13, tzinfo=dt.UTC),
    )["RotationOverrideId"]
    client.tag_resource(ResourceARN=contact_arn("akuam"), Tags=[{"Key": "team", "Value": "ops"}])
    client.put_contact_policy(ContactArn=contact_arn("akuam"), Policy='{"Statement":[]}')
    org.engage("example_escalation")
    org.engage("oncall")
    sim.advance(30)
    events = sim.events
    arns = {
        "contact": [c["ContactArn"] for c in client.list_contacts()["Contacts"]],
        "channel": [arn for owned in org.channels.values() for arn in owned.values()],
        "engagement": [e["EngagementArn"] for e in events if e["Type"] == "ENGAGEMENT_STARTED"],
        "page": [e["PageArn"] for e in events if e["Type"] == "PAGE_CREATED"],
        "rotation": [rotation],
    }
    codes = sorted({m["Code"] for m in sim.outbox})
    return World(sim, arns, [override], codes)


@cache
def _reference() -> World:
    return world()


def known_arns() -> list[str]:
    """Every ARN of the world, then ARNs that look right but name nothing or somewhere else."""
    arns = [arn for group in _reference().arns.values() for arn in group]
    first = arns[0]
    return [
        *arns,
        f"{PREFIX}contact/ghost",
        first.replace(f":{REGION}:", ":eu-west-1:"),
        first.replace(":111122223333:", ":444455556666:"),
    ]


BAD_ARNS: tuple[str, ...] = (
    "not-an-arn",
    "arn:",
    f"{PREFIX}contact/",
    f"{PREFIX}contact/akuam/extra/parts",
    f"{PREFIX}page/akuam",
    f"{PREFIX}rotation/",
    f"{PREFIX}contact-channel/akuam/{'0' * 36}",
    "arn:aws:ssm-contacts:::contact/akuam",
    f"arn:aws:ssm-contacts:{REGION}:{'9' * 1000}:contact/akuam",
    f"arn:aws-cn:ssm-contacts:{REGION}:111122223333:contact/akuam",
    f"arn:aws:sns:{REGION}:111122223333:contact/akuam",
    f"ARN:AWS:SSM-CONTACTS:{REGION.upper()}:111122223333:CONTACT/AKUAM",
    f"{PREFIX}contact/../akuam",
    f"{PREFIX}contact/akuam\x00",
    f"{PREFIX}contact/ak\u00fcam",
    f"{PREFIX}contact/{'a' * 3000}",
    f"{PREFIX}engagement/akuam/{'f' * 36}",
    f"{PREFIX}unknown-kind/akuam",
)

ODD_TEXT: tuple[str, ...] = (
    "",
    " ",
    "\x00",
    "\u202eevil",
    "e\u0301",
    "\U0001f600" * 3,
    "\uffff",
    "\ud800",
    "\n\r\t",
    "'; DROP TABLE journal; --",
    "${jndi:ldap://127.0.0.1/x}",
    "file:///etc/passwd",
    "%s%n%x",
    "\u0000\u0001\u001f",
)

HUGE_NUMBERS: tuple[object, ...] = (
    10**20,
    -(10**20),
    2**63,
    2**64,
    -(2**63) - 1,
    1e308,
    -1e308,
    5e-324,
    0.5,
    -0.0,
)

WRONG_TYPES: tuple[object, ...] = (0, -1, 1.5, True, False, None, "", "x", [], {}, [1], {"a": 1})


def _plausible(name: str) -> st.SearchStrategy[Any] | None:
    reference = _reference()
    arns = known_arns()
    texts = st.sampled_from(["cli", "disk full", "a b", "x" * 40])
    table: dict[str, st.SearchStrategy[Any]] = {
        "SsmContactsArn": st.sampled_from(arns),
        "AmazonResourceName": st.sampled_from(
            reference.arns["contact"] + reference.arns["rotation"]
        ),
        "Uuid": st.sampled_from([*reference.override_ids, str(uuid.UUID(int=7))]),
        "ContactAlias": st.sampled_from(["akuam", "newbie", "a-b_c", "z" * 255]),
        "ContactName": st.sampled_from(["", "Akua M", "renamed"]),
        "ChannelName": st.sampled_from(["sms", "pager 2"]),
        "RotationName": st.sampled_from(["day", "night shift"]),
        "SimpleAddress": st.sampled_from(["+15550100", "+15550177", "x@example.com"]),
        "AcceptCode": st.sampled_from([*reference.codes, "000000"]),
        "ActivationCode": st.sampled_from([*reference.codes, "000000"]),
        "TimeZoneId": st.sampled_from(["UTC", "Europe/Berlin", "America/New_York", "No/Where"]),
        "Member": st.sampled_from([*reference.arns["contact"], "akuam"]),
        "Policy": st.sampled_from(['{"Statement":[]}', "{}", "not json"]),
        "IdempotencyToken": st.sampled_from(["tok1", "tok2"]),
        "TagKey": st.sampled_from(["team", "tier"]),
        "TagValue": st.sampled_from(["ops", "1"]),
        "PaginationToken": st.sampled_from(["TGlzdENvbnRhY3RzLzE=", "bm9wZQ==", "%%%"]),
        "Sender": texts,
        "Subject": texts,
        "Content": texts,
        "PublicSubject": texts,
        "PublicContent": texts,
        "IncidentId": texts,
        "StopReason": texts,
        "ReceiptInfo": texts,
    }
    return table.get(name)


def _string(shape: Shape) -> st.SearchStrategy[Any]:
    if shape.enum:
        return st.sampled_from(shape.enum)
    plausible = _plausible(shape.name)
    if plausible is not None:
        return plausible
    low = shape.metadata.get("min", 0)
    high = max(low, min(shape.metadata.get("max", 20), 20))
    return st.text(min_size=low, max_size=high)


def _timestamp() -> st.SearchStrategy[dt.datetime]:
    return st.integers(-3 * 86400, 40 * 86400).map(
        lambda seconds: START_TIME + dt.timedelta(seconds=seconds)
    )


def requests(shape: Shape, depth: int = 0) -> st.SearchStrategy[Any]:
    """Values that fit ``shape``: required members always, optional ones sometimes."""
    kind = shape.type_name
    if kind == "structure":
        members = {name: requests(member, depth + 1) for name, member in shape.members.items()}
        required = {name: members[name] for name in shape.required_members}
        optional = {name: s for name, s in members.items() if name not in required}
        return st.fixed_dictionaries(required, optional=optional)
    if kind == "list":
        low = shape.metadata.get("min", 0)
        high = max(low, min(shape.metadata.get("max", 3), 3))
        return st.lists(requests(shape.member, depth + 1), min_size=low, max_size=high)
    if kind == "map":
        return st.dictionaries(
            requests(shape.key, depth + 1), requests(shape.value, depth + 1), max_size=2
        )
    if kind == "string":
        return _string(shape)
    if kind in ("integer", "long"):
        return st.integers(shape.metadata.get("min", 0), shape.metadata.get("max", 60))
    if kind == "boolean":
        return st.booleans()
    if kind == "timestamp":
        return _timestamp()
    raise AssertionError(f"shape {shape.name} of type {kind} has no strategy")


@cache
def request_strategy(operation: str) -> st.SearchStrategy[Any]:
    return requests(SERVICE.operation_model(operation).input_shape)


# -- breaking a request ---------------------------------------------------------------------------

Path = tuple[str | int, ...]


def _paths(value: object, path: Path = ()) -> list[Path]:
    found = [path]
    if isinstance(value, dict):
        for key, item in value.items():
            found += _paths(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found += _paths(item, (*path, index))
    return found


def _get(value: Any, path: Path) -> Any:
    for part in path:
        value = value[part]
    return value


def _replace(value: Any, path: Path, new: object) -> Any:
    # A copy: the samples are shared constants, and later mutations edit values in place.
    new = copy.deepcopy(new)
    if not path:
        return new
    parent = _get(value, path[:-1])
    parent[path[-1]] = new
    return value


def _drop(value: Any, path: Path) -> Any:
    if not path:
        return {}
    parent = _get(value, path[:-1])
    del parent[path[-1]]
    return value


def _nested(depth: int, leaf: object) -> object:
    value = leaf
    for level in range(depth):
        value = [value] if level % 2 else {"a": value}
    return value


MUTATIONS = (
    "drop",
    "wrong_type",
    "overlong",
    "bad_arn",
    "odd_text",
    "huge_number",
    "unknown_member",
    "deep",
    "timestamp_out_of_range",
)


@st.composite
def mutated(draw: st.DrawFn, request: object, *, deep_limit: int = 400) -> Any:
    """``request`` broken in one to three places (a fresh copy; the original is untouched)."""
    value: Any = json.loads(json.dumps(request, default=_json_default))
    for _ in range(draw(st.integers(1, 3))):
        paths = _paths(value)
        path = draw(st.sampled_from(paths))
        how = draw(st.sampled_from(MUTATIONS))
        if how == "drop":
            value = _drop(value, path)
        elif how == "wrong_type":
            value = _replace(value, path, draw(st.sampled_from(WRONG_TYPES)))
        elif how == "overlong":
            size = draw(st.sampled_from([256, 1025, 2049, 8193, 395_001]))
            unit = draw(st.sampled_from(["x", "\u00e9", "\U0001f600", "9"]))
            value = _replace(value, path, unit * size)
        elif how == "bad_arn":
            value = _replace(value, path, draw(st.sampled_from(BAD_ARNS)))
        elif how == "odd_text":
            text = draw(st.one_of(st.sampled_from(ODD_TEXT), st.text(max_size=8)))
            value = _replace(value, path, text)
        elif how == "huge_number":
            value = _replace(value, path, draw(st.sampled_from(HUGE_NUMBERS)))
        elif how == "unknown_member":
            target = _get(value, path)
            if isinstance(target, dict):
                target[draw(st.sampled_from(["Extra", "", "__type", "Alias\u00e9"]))] = 1
            else:
                value = _replace(value, path, {"Unknown": target})
        elif how == "deep":
            value = _replace(value, path, _nested(draw(st.integers(30, deep_limit)), "x"))
        else:
            instant = draw(
                st.sampled_from(
                    [
                        *(-1e12, 1e12, 0, 253402300800, "2026-13-45", "soon"),
                        # the edges of what escsim represents (1900 to before 9900) and beyond
                        *(-62135596800, -2208988801, 250246627200, 253402300799),
                        "1899-12-31T23:59:59Z",
                    ]
                )
            )
            value = _replace(value, path, instant)
    return value


def _json_default(value: object) -> object:
    if isinstance(value, dt.datetime):
        return value.timestamp()
    raise TypeError(f"{type(value).__name__} in a request")


def wire_body(params: object) -> bytes:
    """The request body a client would send: JSON, timestamps as epoch seconds."""
    return json.dumps(params, default=_json_default).encode("utf-8")
