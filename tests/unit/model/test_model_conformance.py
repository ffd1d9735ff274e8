"""The pydantic shapes and validate_request against botocore's ssm-contacts model.

First the shapes themselves: every request, result and structure has the model's members in the
model's order, the same required members and the same constraints, recursively. Then behaviour,
driven by the botocore shapes: for every member path of every request, boundary values are
accepted and values one step outside the model (length, range, pattern, enum, type, missing,
unknown member) are rejected with a ValidationException naming that path. Where the service rules
of docs/semantics.md R1-R2 would reject a model-valid value, the generated requests satisfy them (a
Stage keeps a target, a CreateContact plan matches its Type); the rules have their own tests in
test_model_rules.py.
"""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import botocore.session
import pytest
from botocore.model import ListShape, MapShape, OperationModel, Shape, StructureShape

from engine.api.registry import OPERATIONS
from engine.errors import ValidationException
from engine.model import (
    REQUEST_MODELS,
    RESULT_MODELS,
    common,
    contacts,
    engagements,
    rotations,
)
from engine.model import validate_request as typed_request

#: Where the structures that are neither a request nor a result live.
STRUCTURE_MODULES = (common, contacts, engagements, rotations)

SERVICE = botocore.session.get_session().get_service_model("ssm-contacts")
OPERATION_NAMES = list(SERVICE.operation_names)
UTC = dt.UTC


def validate_request(operation: str, params: object) -> dict[str, Any]:
    """The members a validated request holds (those given, null ones left out), by AWS name in
    the model's order, as the typed request returned by ``engine.model.validate_request`` has
    them."""
    request = typed_request(operation, params)
    return request.model_dump(by_alias=True, exclude_unset=True, exclude_none=True)


ARN_PREFIX = "arn:aws:ssm-contacts:us-east-1:111122223333:contact/"
UUID = "0123abcd-0123-4567-89ab-0123456789ab"

# For each model pattern: a prefix any matching value starts with, the character that pads it to
# a length, and a value of allowed length that breaks the pattern (None: nothing breaks it).
PATTERN_SAMPLES: dict[str, tuple[str, str, str | None]] = {
    r"arn:(aws|aws-cn|aws-us-gov):ssm-contacts:[-\w+=\/,.@]*:[0-9]+:([\w+=\/,.@:-]+)*": (
        ARN_PREFIX,
        "a",
        "urn:aws:ssm-contacts:us-east-1:111122223333:contact/akuam",
    ),
    r"^[a-z0-9_\-]*$": ("", "a", "Not Valid"),
    r"^[\p{L}\p{Z}\p{N}_.\-]*$": ("", "ü", "a/b"),
    r"^[\\\/a-zA-Z0-9_+=\-]*$": ("", "a", "a b"),
    r"^[\\a-zA-Z0-9_@#%*+=:?.\/!\s-]*$": ("", "a", "a$b"),
    r"^[.\s\S]*$": ("", "a", None),
    r".*\S.*": ("", "a", "   "),
    r"^[0-9]*$": ("", "1", "12345a"),
    r"^[a-zA-Z0-9_\-\s\.]*$": ("", "a", "a/b"),
    r"^[:a-zA-Z0-9_\-\s\.\\/]*$": ("", "a", "Europe*Berlin"),
    r"^[\p{L}\p{Z}\p{N}_.:\/=+\-@]*$": ("", "a", "a*b"),
    r"([a-fA-Z0-9]{8,11}-[a-fA-F0-9]{4}-[a-fA-F0-9]{4}-[a-fA-F0-9]{4}-[a-fA-F0-9]{12}){1}": (
        UUID,
        "0",
        "g" * 36,
    ),
}

Path = tuple[str | int, ...]


# -- reading our shapes through their JSON schema ------------------------------------------------


def _schema_of(model: type[Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    schema = model.model_json_schema(by_alias=True)
    return schema, schema.get("$defs", {})


def _deref(node: dict[str, Any], defs: dict[str, Any]) -> dict[str, Any]:
    if "$ref" in node:
        return defs[node["$ref"].rsplit("/", 1)[-1]]
    return node


def _without_null(node: dict[str, Any]) -> dict[str, Any]:
    options = node.get("anyOf")
    if options is None:
        return node
    present = [option for option in options if option.get("type") != "null"]
    if len(present) == 1:
        return present[0]
    return {"anyOf": present}


def _compare(shape: Shape, node: dict[str, Any], defs: dict[str, Any], where: str) -> list[str]:
    """Differences between a botocore shape and our JSON schema node for it."""
    node = _deref(_without_null(node), defs)
    meta = shape.metadata
    kind = shape.type_name
    problems: list[str] = []

    def expect(label: str, ours: object, theirs: object) -> None:
        if ours != theirs:
            problems.append(f"{where}: {label} is {ours!r}, the model says {theirs!r}")

    if kind == "string" and shape.enum:
        expect("enum", node.get("enum"), list(shape.enum))
    elif kind == "string":
        expect("type", node.get("type"), "string")
        expect("min length", node.get("minLength"), meta.get("min"))
        expect("max length", node.get("maxLength"), meta.get("max"))
        expect("pattern", node.get("pattern"), meta.get("pattern"))
    elif kind == "integer":
        expect("type", node.get("type"), "integer")
        expect("minimum", node.get("minimum"), meta.get("min"))
        expect("maximum", node.get("maximum"), meta.get("max"))
    elif kind == "boolean":
        expect("type", node.get("type"), "boolean")
    elif kind == "timestamp":
        formats = [option.get("format") for option in node.get("anyOf", [node])]
        expect("timestamp format", "date-time" in formats, True)
    elif kind == "list":
        assert isinstance(shape, ListShape)
        expect("type", node.get("type"), "array")
        # JSON schema leaves out a minimum of 0 items, which is no constraint at all.
        expect("min items", node.get("minItems", 0), meta.get("min", 0))
        expect("max items", node.get("maxItems"), meta.get("max"))
        problems += _compare(shape.member, node.get("items", {}), defs, f"{where}[]")
    elif kind == "map":
        assert isinstance(shape, MapShape)
        expect("type", node.get("type"), "object")
        expect("key enum", node.get("propertyNames", {}).get("enum"), list(shape.key.enum))
        problems += _compare(
            shape.value, node.get("additionalProperties", {}), defs, f"{where}{{}}"
        )
    elif kind == "structure":
        assert isinstance(shape, StructureShape)
        properties = node.get("properties", {})
        expect("members", list(properties), list(shape.members))
        expect("required", sorted(node.get("required", [])), sorted(shape.required_members))
        expect("unknown members allowed", node.get("additionalProperties"), False)
        for name, member in shape.members.items():
            if name in properties:
                problems += _compare(member, properties[name], defs, f"{where}.{name}")
    else:
        problems.append(f"{where}: unexpected shape type {kind}")
    return problems


def _compare_model(model: type[Any], shape: StructureShape) -> list[str]:
    schema, defs = _schema_of(model)
    return _compare(shape, schema, defs, shape.name)


def _structure_shapes() -> list[StructureShape]:
    found: dict[str, StructureShape] = {}

    def visit(shape: Shape) -> None:
        if shape.name in found:
            return
        if isinstance(shape, StructureShape):
            found[shape.name] = shape
            for member in shape.members.values():
                visit(member)
        elif isinstance(shape, ListShape):
            visit(shape.member)
        elif isinstance(shape, MapShape):
            visit(shape.value)

    for name in OPERATION_NAMES:
        operation = SERVICE.operation_model(name)
        for root in (operation.input_shape, operation.output_shape):
            assert isinstance(root, StructureShape)
            for member in root.members.values():
                visit(member)
        for error in operation.error_shapes:
            for member in error.members.values():
                visit(member)
    return list(found.values())


@pytest.mark.parametrize("operation", OPERATION_NAMES)
def test_request_shape_matches_botocore(operation: str) -> None:
    """Members (names, order), required members and constraints equal the model's, recursively."""
    shape = SERVICE.operation_model(operation).input_shape
    assert isinstance(shape, StructureShape)
    assert _compare_model(REQUEST_MODELS[operation], shape) == []


@pytest.mark.parametrize("operation", OPERATION_NAMES)
def test_result_shape_matches_botocore(operation: str) -> None:
    """Each operation's result shape has the model's output members and constraints."""
    shape = SERVICE.operation_model(operation).output_shape
    assert isinstance(shape, StructureShape)
    assert _compare_model(RESULT_MODELS[operation], shape) == []


@pytest.mark.parametrize("shape", _structure_shapes(), ids=lambda shape: shape.name)
def test_every_structure_has_a_matching_model(shape: StructureShape) -> None:
    """Every structure of the model (Contact, Plan, Stage, ...) has a shape of its name as-is."""
    found = [getattr(module, shape.name, None) for module in STRUCTURE_MODULES]
    model = next((model for model in found if model is not None), None)
    assert model is not None, f"engine.model has no {shape.name}"
    assert _compare_model(model, shape) == []


def test_request_and_result_maps_follow_the_model_order() -> None:
    """REQUEST_MODELS / RESULT_MODELS hold all 39 operations, in the model's order."""
    assert list(REQUEST_MODELS) == OPERATION_NAMES
    assert list(RESULT_MODELS) == OPERATION_NAMES
    assert len(OPERATION_NAMES) == 39
    for name in OPERATION_NAMES:
        assert REQUEST_MODELS[name].__name__ == f"{name}Request"
        assert RESULT_MODELS[name].__name__ == f"{name}Result"
        assert OPERATIONS[name].request_model is REQUEST_MODELS[name]


# -- generating values from the botocore shapes ---------------------------------------------------


@dataclass(frozen=True)
class Variant:
    """A value to put at a member path, and what validate_request should make of it."""

    label: str
    value: Any
    valid: bool
    phrase: str = ""  # part of the expected message when invalid
    expected: Any = None  # the normalised value when it differs from ``value``


def _string(shape: Shape, length: int) -> str:
    pattern = shape.metadata.get("pattern")
    prefix, fill, _ = PATTERN_SAMPLES[pattern] if pattern else ("", "a", None)
    return (prefix + fill * length)[: max(length, len(prefix))]


def _string_bounds(shape: Shape) -> tuple[int, int]:
    pattern = shape.metadata.get("pattern")
    prefix = PATTERN_SAMPLES[pattern][0] if pattern else ""
    low = max(shape.metadata.get("min", 0), len(prefix))
    return low, shape.metadata.get("max", max(low, 16))


def _sample(shape: Shape, path: Path, pinned: Path) -> Any:
    """One valid value for a shape, with every optional member present.

    A Target gets exactly one info: ContactTargetInfo when the pinned path runs through it,
    else ChannelTargetInfo. Integers avoid 0, so a Stage never lasts 0 minutes by accident.
    """
    kind = shape.type_name
    meta = shape.metadata
    if kind == "string" and shape.enum:
        return shape.enum[0]
    if kind == "string":
        low, high = _string_bounds(shape)
        return _string(shape, min(max(low, 5), high))
    if kind == "integer":
        return max(meta.get("min", 1), 1) if meta.get("max", 1) >= 1 else meta["max"]
    if kind == "boolean":
        return True
    if kind == "timestamp":
        return 1735722000
    if isinstance(shape, ListShape):
        count = max(meta.get("min", 1), 1)
        return [_sample(shape.member, (*path, index), pinned) for index in range(count)]
    if isinstance(shape, MapShape):
        key = shape.key.enum[0]
        return {key: _sample(shape.value, (*path, key), pinned)}
    assert isinstance(shape, StructureShape)
    members = dict(shape.members)
    if shape.name == "Target":
        through_contact = pinned[: len(path) + 1] == (*path, "ContactTargetInfo")
        members.pop("ChannelTargetInfo" if through_contact else "ContactTargetInfo")
    return {name: _sample(member, (*path, name), pinned) for name, member in members.items()}


def _variants(shape: Shape, path: Path) -> Iterator[Variant]:
    """Valid boundary values and invalid values one step outside the model, for one member."""
    kind = shape.type_name
    meta = shape.metadata
    if kind == "string" and shape.enum:
        for value in shape.enum:
            yield Variant(f"enum {value}", value, True)
        enum_phrase = f"Member must satisfy enum value set: [{', '.join(shape.enum)}]"
        yield Variant("not in enum", "BOGUS", False, enum_phrase)
        yield Variant("wrong type", 5, False, "Member must satisfy enum value set")
    elif kind == "string":
        low, high = _string_bounds(shape)
        yield Variant(f"length {low}", _string(shape, low), True)
        yield Variant(f"length {high}", _string(shape, high), True)
        if "max" in meta:
            yield Variant(
                f"length {high + 1}",
                _string(shape, high + 1),
                False,
                f"Member must have length less than or equal to {high}",
            )
        if meta.get("min", 0) > 0:
            short = PATTERN_SAMPLES.get(meta.get("pattern", ""), ("", "a", None))[1]
            yield Variant(
                f"length {meta['min'] - 1}",
                short * (meta["min"] - 1),
                False,
                f"Member must have length greater than or equal to {meta['min']}",
            )
        if meta.get("pattern"):
            breaking = PATTERN_SAMPLES[meta["pattern"]][2]
            if breaking is not None:
                yield Variant(
                    "breaks pattern",
                    breaking,
                    False,
                    f"Member must satisfy regular expression pattern: {meta['pattern']}",
                )
        yield Variant("wrong type", 5, False, "Member must be a string")
    elif kind == "integer":
        low = meta.get("min")
        high = meta.get("max")
        if low is not None:
            yield Variant(f"value {low}", low, True)
            yield Variant(
                f"value {low - 1}",
                low - 1,
                False,
                f"Member must have value greater than or equal to {low}",
            )
        if high is not None:
            yield Variant(f"value {high}", high, True)
            yield Variant(
                f"value {high + 1}",
                high + 1,
                False,
                f"Member must have value less than or equal to {high}",
            )
        yield Variant("text", "5", False, "Member must be an integer")
        yield Variant("boolean", True, False, "Member must be an integer")
        yield Variant("float", 5.0, False, "Member must be an integer")
    elif kind == "boolean":
        yield Variant("true", True, True)
        yield Variant("false", False, True)
        yield Variant("text", "true", False, "Member must be a boolean")
        yield Variant("integer", 1, False, "Member must be a boolean")
    elif kind == "timestamp":
        moment = dt.datetime(2025, 1, 1, 9, 0, tzinfo=UTC)
        yield Variant("aware datetime", moment, True, expected=moment)
        yield Variant("naive datetime", moment.replace(tzinfo=None), True, expected=moment)
        offset = dt.timezone(dt.timedelta(hours=2))
        yield Variant("other offset", moment.astimezone(offset), True, expected=moment)
        yield Variant("epoch int", 1735722000, True, expected=moment)
        half = moment + dt.timedelta(milliseconds=500)
        yield Variant("epoch float", 1735722000.5, True, expected=half)
        yield Variant("ISO 8601 Z", "2025-01-01T09:00:00Z", True, expected=moment)
        yield Variant("ISO 8601 naive", "2025-01-01T09:00:00", True, expected=moment)
        yield Variant("not a time", "yesterday", False, "Member must be a timestamp")
        yield Variant("boolean", True, False, "Member must be a timestamp")
        yield Variant("list", [], False, "Member must be a timestamp")
    elif isinstance(shape, ListShape):
        low = meta.get("min", 0)
        high = meta.get("max")
        item = _sample(shape.member, (*path, 0), (*path, 0))
        yield Variant(f"{low} items", [item] * low, True)
        yield Variant(f"{high or 2} items", [item] * (high or 2), True)
        if high is not None:
            yield Variant(
                f"{high + 1} items",
                [item] * (high + 1),
                False,
                f"Member must have length less than or equal to {high}",
            )
        if low > 0:
            yield Variant(
                f"{low - 1} items",
                [item] * (low - 1),
                False,
                f"Member must have length greater than or equal to {low}",
            )
        yield Variant("not a list", "x", False, "Member must be a list")
    elif isinstance(shape, MapShape):
        yield Variant("empty map", {}, True)
        full = {key: _sample(shape.value, (*path, key), ()) for key in shape.key.enum}
        yield Variant("every key", full, True)
        yield Variant("not a map", [], False, "Member must be a map")
    else:
        assert isinstance(shape, StructureShape)
        minimal = _sample(shape, path, path)
        for name in list(minimal):
            if name not in shape.required_members:
                del minimal[name]
        if shape.name == "Target":
            # R2: a target needs exactly one info, though the model requires neither.
            info = shape.members["ChannelTargetInfo"]
            minimal = {"ChannelTargetInfo": _sample(info, (*path, "ChannelTargetInfo"), ())}
        yield Variant("required members only", minimal, True)
        yield Variant("every member", _sample(shape, path, path), True)
        yield Variant("not a structure", "x", False, "Member must be a structure")


def _member_paths(shape: Shape, path: Path) -> Iterator[tuple[Path, Shape]]:
    """Every member path below ``path`` with its shape (lists at index 0, maps at a first key)."""
    if isinstance(shape, StructureShape):
        for name, member in shape.members.items():
            yield (*path, name), member
            yield from _member_paths(member, (*path, name))
    elif isinstance(shape, ListShape):
        yield from _member_paths(shape.member, (*path, 0))
    elif isinstance(shape, MapShape):
        yield from _member_paths(shape.value, (*path, shape.key.enum[0]))


def _path_text(path: Path) -> str:
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text


def _put(request: dict[str, Any], path: Path, value: Any) -> None:
    target: Any = request
    for part in path[:-1]:
        target = target[part]
    target[path[-1]] = value


def _get(response: Any, path: Path) -> Any:
    for part in path:
        response = response[part]
    return response


def _baseline(operation: OperationModel, pinned: Path) -> dict[str, Any]:
    """A valid request for ``operation`` with every member present, fit for the pinned path."""
    shape = operation.input_shape
    assert isinstance(shape, StructureShape)
    request: dict[str, Any] = _sample(shape, (), pinned)
    return request


def _request_with(operation: OperationModel, path: Path, value: Any) -> Any:
    """The baseline request with ``value`` at ``path`` (the whole request for the empty path)."""
    if path:
        request = _baseline(operation, path)
        _put(request, path, copy.deepcopy(value))
    else:
        request = copy.deepcopy(value)
    if operation.name == "CreateContact" and isinstance(request, dict):
        _fit_plan_to_type(request, path)
    return request


def _fit_plan_to_type(request: dict[str, Any], pinned: Path) -> None:
    """R1-R2: make the plan suit the contact type, leaving the pinned member as it is."""
    plan = request.get("Plan")
    if pinned[:2] == ("Plan", "RotationIds"):
        contact_type = "ONCALL_SCHEDULE"
    elif "ContactTargetInfo" in pinned:
        contact_type = "ESCALATION"
    elif pinned == ("Type",):
        contact_type = request["Type"]
    else:
        contact_type = "PERSONAL"
    if pinned != ("Type",):
        request["Type"] = contact_type
    if not isinstance(plan, dict):
        return
    if contact_type == "ONCALL_SCHEDULE":
        plan.pop("Stages", None)
        return
    if pinned[:2] != ("Plan", "RotationIds"):
        plan.pop("RotationIds", None)
    stages = plan.get("Stages")
    if contact_type != "ESCALATION" or not isinstance(stages, list):
        return
    contact_target = {"ContactId": ARN_PREFIX + "someone", "IsEssential": True}
    for stage in stages:
        if isinstance(stage, dict) and isinstance(stage.get("Targets"), list):
            stage["Targets"] = [
                target
                if not isinstance(target, dict) or "ContactTargetInfo" in target
                else {"ContactTargetInfo": dict(contact_target)}
                for target in stage["Targets"]
            ]


def _normalised(shape: Shape, value: Any) -> Any:
    """What validate_request should give back for a valid value of a shape."""
    if shape.type_name == "timestamp":
        if isinstance(value, dt.datetime):
            return value if value.tzinfo else value.replace(tzinfo=UTC)
        return dt.datetime.fromtimestamp(value, UTC)
    if isinstance(shape, ListShape) and isinstance(value, list):
        return [_normalised(shape.member, item) for item in value]
    if isinstance(shape, MapShape) and isinstance(value, dict):
        return {key: _normalised(shape.value, item) for key, item in value.items()}
    if isinstance(shape, StructureShape) and isinstance(value, dict):
        return {
            name: _normalised(member, value[name])
            for name, member in shape.members.items()
            if name in value
        }
    return value


def _rule_rejection(operation: str, path: Path, value: Any) -> str | None:
    """The member path the service rules reject a model-valid value at, if they do.

    An on-call schedule lists 1 to 8 rotations, a cap no model-valid list length can dodge.
    """
    rotations = operation == "CreateContact" and path == ("Plan", "RotationIds")
    if rotations and isinstance(value, list) and not 1 <= len(value) <= 8:
        return "Plan.RotationIds"
    return None


def _cases(operation_name: str) -> Iterator[tuple[Path, Shape, Variant]]:
    operation = SERVICE.operation_model(operation_name)
    shape = operation.input_shape
    assert isinstance(shape, StructureShape)
    for variant in _variants(shape, ()):
        yield (), shape, variant
    for path, member in _member_paths(shape, ()):
        for variant in _variants(member, path):
            yield path, member, variant


def _call(operation: str, request: dict[str, Any]) -> dict[str, Any] | ValidationException:
    try:
        return validate_request(operation, request)
    except ValidationException as error:
        return error


def _fields(error: ValidationException) -> list[dict[str, str]]:
    fields: list[dict[str, str]] = error.members.get("Fields", [])
    return fields


@pytest.mark.parametrize("operation", OPERATION_NAMES)
def test_generated_values_are_judged_as_the_model_says(operation: str) -> None:
    """Every boundary value is accepted and every value one step out is rejected at its path."""
    model = SERVICE.operation_model(operation)
    failures: list[str] = []
    checked = 0
    for path, shape, variant in _cases(operation):
        request = _request_with(model, path, variant.value)
        outcome = _call(operation, request)
        checked += 1
        where = f"{_path_text(path) or '<request>'} = {variant.label}"
        rule_path = _rule_rejection(operation, path, variant.value)
        if variant.valid and rule_path is None:
            if isinstance(outcome, ValidationException):
                failures.append(f"{where}: rejected: {_fields(outcome)}")
                continue
            sent = _get(request, path)
            expected = variant.expected if variant.expected is not None else sent
            if _get(outcome, path) != _normalised(shape, expected):
                failures.append(f"{where}: normalised to {_get(outcome, path)!r}")
        elif variant.valid:
            names = [f["Name"] for f in _fields(outcome)] if isinstance(outcome, Exception) else []
            if rule_path not in names:
                failures.append(f"{where}: the rules should reject it at {rule_path}")
        elif path:
            failures += _check_rejection(where, outcome, _path_text(path), variant.phrase)
        elif not isinstance(outcome, ValidationException):
            failures.append(f"{where}: accepted")
    assert checked > 0
    assert failures == []


def _check_rejection(where: str, outcome: object, name: str, phrase: str) -> list[str]:
    if not isinstance(outcome, ValidationException):
        return [f"{where}: accepted"]
    if outcome.members.get("Reason") != "FIELD_VALIDATION_FAILED":
        return [f"{where}: reason {outcome.members.get('Reason')}"]
    for field in _fields(outcome):
        if (
            field["Name"] == name
            and phrase in field["Message"]
            and f"at '{name}'" in field["Message"]
        ):
            return []
    return [f"{where}: no field {name!r} saying {phrase!r}: {_fields(outcome)}"]


@pytest.mark.parametrize("operation", OPERATION_NAMES)
def test_every_missing_required_member_is_named(operation: str) -> None:
    """Leaving out any required member, at any depth, is 'Member must not be null' at its path."""
    model = SERVICE.operation_model(operation)
    shape = model.input_shape
    assert isinstance(shape, StructureShape)
    failures: list[str] = []
    holders: list[tuple[Path, StructureShape]] = [((), shape)]
    holders += [(p, s) for p, s in _member_paths(shape, ()) if isinstance(s, StructureShape)]
    for holder_path, holder in holders:
        for member in holder.required_members:
            path = (*holder_path, member)
            request = _request_with(model, path, _sample(holder.members[member], path, path))
            parent = _get(request, holder_path)
            del parent[member]
            outcome = _call(operation, request)
            failures += _check_rejection(
                f"without {_path_text(path)}", outcome, _path_text(path), "Member must not be null"
            )
    assert failures == []


@pytest.mark.parametrize("operation", OPERATION_NAMES)
def test_every_unknown_member_is_named(operation: str) -> None:
    """An extra member in any structure is an 'Unknown parameter' naming it and the valid ones."""
    model = SERVICE.operation_model(operation)
    shape = model.input_shape
    assert isinstance(shape, StructureShape)
    failures: list[str] = []
    holders: list[tuple[Path, StructureShape]] = [((), shape)]
    holders += [(p, s) for p, s in _member_paths(shape, ()) if isinstance(s, StructureShape)]
    for holder_path, holder in holders:
        request = _request_with(model, (*holder_path, "Bogus"), 1)
        outcome = _call(operation, request)
        name = _path_text((*holder_path, "Bogus"))
        expected = f"Unknown parameter '{name}'; valid members: {', '.join(holder.members)}"
        if not isinstance(outcome, ValidationException) or {
            "Name": name,
            "Message": expected,
        } not in _fields(outcome):
            failures.append(f"{name}: {outcome}")
    assert failures == []


def test_full_requests_come_back_in_model_member_order() -> None:
    """The normalised request lists members in the model's order, whatever order they came in."""
    for operation in OPERATION_NAMES:
        model = SERVICE.operation_model(operation)
        request = _request_with(model, (), _baseline(model, ()))
        shuffled = dict(reversed(list(request.items())))
        outcome = validate_request(operation, shuffled)
        assert list(outcome) == [name for name in model.input_shape.members if name in request]
