"""Reading the JSON of ``terraform show -json``: a plan (``planned_values``) or a state.

Resources of the paging types are taken from the root module and every child module (a plan's
data sources from ``prior_state`` too), keeping only the attributes
:data:`~engine.sources.terraform_model.SCHEMAS` lists. A value a plan knows only after apply
(``resource_changes[].change.after_unknown``) is filled in: a contact's ARN from its alias, a
channel's or rotation's from its address, and an attribute that refers to another resource
(``contact_id = aws_ssmcontacts_contact.lead.arn``) by following the ``references`` of its
expression in ``configuration`` to that resource's ARN. Lines come from reading the JSON text
a second time with the scenario loader's line-aware reader.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

from engine.scenario.errors import Problem, ScenarioError
from engine.scenario.organisation import contact_alias
from engine.scenario.paths import FieldPath, format_path
from engine.scenario.yamlsource import parse_source
from engine.sources.terraform_model import (
    CHANNEL,
    CONTACT,
    PAGING_TYPES,
    ROTATION,
    SCHEMAS,
    Schema,
    TfResource,
    Value,
    channel_arn,
    contact_arn,
    rotation_arn,
)

__all__ = ["JsonDocument", "read_json"]

_REFERENCE = re.compile(
    r'^(?P<resource>(?:data\.)?aws_ssmcontacts_\w+\.[\w-]+)(?:\[(?P<key>\d+|"[^"]*")\])?'
    r"(?:\.(?P<attribute>\w+))?$"
)
_INDEX_WORDS = ("count.index", "each.key", "each.value")
_LIST_ATTRIBUTES = ("contact_ids", "rotation_ids")


class JsonDocument:
    """A parsed ``terraform show -json`` document, with the line of each of its values."""

    def __init__(self, text: str, file: str) -> None:
        self.file = file
        try:
            self.data: Any = json.loads(text)
        except json.JSONDecodeError as exc:
            problem = Problem((), f"not valid JSON: {exc.msg} (column {exc.colno})", exc.lineno)
            raise ScenarioError(file, [problem]) from None
        except RecursionError:
            raise ScenarioError(file, [Problem((), "the JSON nests too deeply")]) from None
        try:
            self.lines = parse_source(text, file).lines
        except ScenarioError:  # JSON that YAML reads differently: no lines, same values
            self.lines = {}

    def line(self, path: FieldPath) -> int | None:
        for end in range(len(path), -1, -1):
            line = self.lines.get(path[:end])
            if line is not None:
                return line
        return None

    def problem(self, path: FieldPath, message: str) -> Problem:
        return Problem(path, message, self.line(path))


def read_json(
    document: JsonDocument, account: str, region: str
) -> tuple[list[TfResource], list[Problem]]:
    """The paging resources of a plan or state, and every problem found."""
    reader = _Reader(document, account, region)
    return reader.read(), reader.problems


def provider_region(data: Any) -> str | None:
    """The region a plan's ``provider "aws"`` block sets as a constant, if any."""
    found: Any = data
    for key in ("configuration", "provider_config", "aws", "expressions", "region"):
        found = found.get(key) if isinstance(found, dict) else None
    value = found.get("constant_value") if isinstance(found, dict) else None
    return value if isinstance(value, str) else None


class _Reader:
    def __init__(self, document: JsonDocument, account: str, region: str) -> None:
        self.document = document
        self.account = account
        self.region = region
        self.problems: list[Problem] = []
        self.unknown: dict[str, Any] = {}
        self.configs: dict[str, Mapping[str, Any]] = {}
        self.by_address: dict[str, TfResource] = {}

    def read(self) -> list[TfResource]:
        data = self.document.data
        if not isinstance(data, dict):
            self.problems.append(
                self.document.problem((), "the JSON of terraform show -json is an object")
            )
            return []
        if "planned_values" in data:
            roots: list[FieldPath] = [("planned_values", "root_module")]
            if isinstance(data.get("prior_state"), dict):
                roots.append(("prior_state", "values", "root_module"))
            self.index_changes(data.get("resource_changes"))
            self.index_configuration(data.get("configuration"))
        elif "values" in data:
            roots = [("values", "root_module")]
        elif "format_version" in data:
            return []  # the state of a configuration never applied: nothing is deployed
        else:
            self.problems.append(
                self.document.problem(
                    (),
                    "not the JSON of terraform show -json: it has neither planned_values "
                    "(a plan) nor values (a state)",
                )
            )
            return []
        resources: list[TfResource] = []
        for position, root in enumerate(roots):
            for at, raw in self.walk(root):
                resource = self.resource(at, raw, data_only=position > 0)
                if resource is not None and resource.address not in self.by_address:
                    self.by_address[resource.address] = resource
                    resources.append(resource)
        self.fill_unknowns(resources)
        return resources

    # -- the document's shape -------------------------------------------------------------------

    def at(self, path: FieldPath) -> Any:
        current: Any = self.document.data
        for part in path:
            if isinstance(part, int):
                current = current[part] if isinstance(current, list) else None
            else:
                current = current.get(part) if isinstance(current, dict) else None
        return current

    def walk(self, module_at: FieldPath) -> list[tuple[FieldPath, Any]]:
        """(path, resource) of every resource in the module at ``module_at`` and below it."""
        found: list[tuple[FieldPath, Any]] = []
        pending = [module_at]
        while pending:
            at = pending.pop(0)
            module = self.at(at)
            if module is None:
                continue
            if not isinstance(module, dict):
                self.problems.append(self.document.problem(at, "a module must be an object"))
                continue
            for key in ("resources", "child_modules"):
                items = module.get(key, [])
                if not isinstance(items, list):
                    self.problems.append(self.document.problem((*at, key), "must be a list"))
                    continue
                for index, item in enumerate(items):
                    if key == "resources":
                        found.append(((*at, key, index), item))
                    else:
                        pending.append((*at, key, index))
        return found

    def resource(self, at: FieldPath, raw: Any, *, data_only: bool) -> TfResource | None:
        if not isinstance(raw, dict):
            self.problems.append(self.document.problem(at, "a resource must be an object"))
            return None
        kind = raw.get("type")
        if kind not in PAGING_TYPES:
            return None  # not paging: other resource types are not read
        address, mode, values = raw.get("address"), raw.get("mode"), raw.get("values")
        if data_only and mode != "data":
            return None
        for name, value, wanted in (
            ("address", address, str),
            ("mode", mode, str),
            ("values", values, dict),
        ):
            if not isinstance(value, wanted):
                shown = "an object" if wanted is dict else "text"
                message = (
                    f"missing required key {name!r}"
                    if value is None
                    else f"{name!r} must be {shown}"
                )
                self.problems.append(self.document.problem((*at, name), message))
                return None
        if mode not in ("managed", "data"):
            self.problems.append(
                self.document.problem((*at, "mode"), f"mode must be managed or data (got {mode!r})")
            )
            return None
        lines: dict[FieldPath, int] = {}
        kept = _keep(values, SCHEMAS[kind], (*at, "values"), (), self.document, lines)
        line = self.document.line(at)
        if line is not None:
            lines[()] = line
        assert isinstance(kept, dict) and isinstance(address, str)
        return TfResource(address, mode, kind, kept, address, lines)

    # -- values known after apply ---------------------------------------------------------------

    def index_changes(self, changes: Any) -> None:
        for change in changes if isinstance(changes, list) else []:
            if not isinstance(change, dict) or not isinstance(change.get("address"), str):
                continue
            detail = change.get("change")
            if isinstance(detail, dict):
                self.unknown[change["address"]] = detail.get("after_unknown")

    def index_configuration(self, configuration: Any) -> None:
        module = configuration.get("root_module") if isinstance(configuration, dict) else None
        pending: list[tuple[str, Any]] = [("", module)]
        while pending:
            prefix, module = pending.pop()
            if not isinstance(module, dict):
                continue
            listed = module.get("resources")
            for resource in listed if isinstance(listed, list) else []:
                if isinstance(resource, dict) and isinstance(resource.get("address"), str):
                    self.configs[prefix + resource["address"]] = resource
            calls = module.get("module_calls")
            for name, call in (calls if isinstance(calls, dict) else {}).items():
                if isinstance(call, dict):
                    pending.append((f"{prefix}module.{name}.", call.get("module")))

    def fill_unknowns(self, resources: list[TfResource]) -> None:
        # Contacts first (their ARN is their alias), rotations, then channels (under their
        # contact's alias), and last the attributes that refer to any of them.
        order = {CONTACT: 0, ROTATION: 1, CHANNEL: 2}
        # A state records every ARN; one it lacks is minted as a plan's would be.
        for resource in sorted(resources, key=lambda r: order.get(r.type, 3)):
            if resource.type == CHANNEL:
                self.follow(resource, ("contact_id",))
            if resource.type in order:
                self.mint(resource)
        for resource in resources:
            unknown = self.unknown.get(resource.address)
            for path in _unknown_paths(unknown, SCHEMAS[resource.type], ()):
                if path != ("arn",) and (resource.type, path) != (CHANNEL, ("contact_id",)):
                    self.follow(resource, path)

    def mint(self, resource: TfResource) -> None:
        if isinstance(resource.values.get("arn"), str):
            return
        values = resource.values
        if resource.type == CONTACT:
            alias = values.get("alias")
            if isinstance(alias, str):
                values["arn"] = contact_arn(self.region, self.account, alias)
        elif resource.type == ROTATION:
            values["arn"] = rotation_arn(self.region, self.account, resource.address)
        else:
            owner = values.get("contact_id")
            if isinstance(owner, str):
                alias = contact_alias(owner)
                values["arn"] = channel_arn(self.region, self.account, alias, resource.address)

    def follow(self, resource: TfResource, path: FieldPath) -> None:
        """Fill the value at ``path``, which the plan knows only after apply, from the
        resources its expression refers to."""
        if not _get(self.unknown.get(resource.address), path):
            return  # known, or missing: the shapes say what is missing
        current = _get(resource.values, path)
        config_address, key = _config_address(resource.address)
        config = self.configs.get(config_address)
        expression = _get(config.get("expressions") if config else None, path)
        references = expression.get("references") if isinstance(expression, dict) else None
        targets = self.targets(resource.address, key, references)
        if path[-1] in _LIST_ATTRIBUTES:
            items: list[Value] = list(current) if isinstance(current, list) else []
            items = items or [None] * len(targets)
            gaps = [n for n, item in enumerate(items) if item is None]
            if len(gaps) == len(targets) and None not in targets:
                for n, target in zip(gaps, targets, strict=True):
                    items[n] = target
                _set(resource.values, path, items)
                return
        elif len(targets) == 1 and targets[0] is not None:
            _set(resource.values, path, targets[0])
            return
        shown = ", ".join(map(str, references)) if isinstance(references, list) else "none"
        self.problems.append(
            Problem(
                (resource.root, *path),
                f"{format_path(path)} is known only after apply and its expression does not "
                f"lead to resources read here (references: {shown or 'none'})",
                _nearest(resource.lines, path),
            )
        )

    def targets(self, address: str, key: str | None, references: Any) -> list[Value]:
        """The ARN of each resource ``references`` names, in order, once each."""
        if not isinstance(references, list):
            return []
        words = {item for item in references if item in _INDEX_WORDS}
        module = (
            address[: address.find("aws_ssmcontacts_")] if "aws_ssmcontacts_" in address else ""
        )
        module = module.removesuffix("data.")
        found: dict[str, Value] = {}
        named = [m for m in (_REFERENCE.match(str(item)) for item in references) if m]
        # Terraform lists `x["k"].arn`, then `x["k"]`, then `x`: keep the most precise.
        precise = {m["resource"] for m in named if m["key"] is not None or m["attribute"]}
        for match in named:
            if match["attribute"] is None and (
                match["key"] is not None or match["resource"] in precise
            ):
                continue  # the same reference again, less precisely
            target = module + match["resource"]
            if match["key"] is not None:
                target += f"[{match['key']}]"
            elif target not in self.by_address and key is not None and words:
                target += f"[{key}]"  # indexed by the referring instance's own key
            resource = self.by_address.get(target)
            attribute = match["attribute"] or "arn"
            if resource is None:
                found.setdefault(target, None)
                continue
            value = resource.values.get("arn" if attribute == "id" else attribute)
            found.setdefault(target, value)
        return list(found.values())


def _keep(
    value: Any,
    schema: Schema,
    at: FieldPath,
    path: FieldPath,
    document: JsonDocument,
    lines: dict[FieldPath, int],
) -> Value:
    """Only the attributes ``schema`` lists, recording the line of each."""
    if not isinstance(value, dict):
        return _plain(value)
    kept: dict[str, Value] = {}
    for name, nested in schema.items():
        if name not in value:
            continue
        line = document.line((*at, name))
        if line is not None:
            lines[(*path, name)] = line
        item = value[name]
        if nested is not None and isinstance(item, list):
            kept[name] = [
                _keep(block, nested, (*at, name, n), (*path, name, n), document, lines)
                for n, block in enumerate(item)
            ]
            for n in range(len(item)):
                line = document.line((*at, name, n))
                if line is not None:
                    lines[(*path, name, n)] = line
        else:
            kept[name] = _plain(item)
    return kept


def _plain(value: Any) -> Value:
    if value is None or isinstance(value, str | int | float | bool):
        return value
    if isinstance(value, list):
        return [_plain(item) for item in value]
    if isinstance(value, dict):
        return {str(key): _plain(item) for key, item in value.items()}
    return str(value)


def _unknown_paths(unknown: Any, schema: Schema, path: FieldPath) -> list[FieldPath]:
    """Paths of the attributes ``after_unknown`` marks, as far as ``schema`` reads them."""
    if not isinstance(unknown, dict):
        return []
    paths: list[FieldPath] = []
    for name, nested in schema.items():
        mark = unknown.get(name)
        if mark is True or (nested is None and isinstance(mark, list) and True in mark):
            paths.append((*path, name))
        elif nested is not None and isinstance(mark, list):
            for n, item in enumerate(mark):
                paths.extend(_unknown_paths(item, nested, (*path, name, n)))
    return paths


def _get(values: Any, path: FieldPath) -> Any:
    """What lies at ``path`` in nested dicts and lists (values, unknown marks, expressions), or
    None where the path leaves them."""
    current = values
    for part in path:
        if isinstance(part, int):
            current = current[part] if isinstance(current, list) and part < len(current) else None
        else:
            current = current.get(part) if isinstance(current, dict) else None
    return current


def _set(values: dict[str, Value], path: FieldPath, value: Value) -> None:
    """Put ``value`` at ``path`` where the blocks above it exist (else the shapes report the
    missing block)."""
    parent = _get(values, path[:-1])
    last = path[-1]
    if isinstance(parent, dict) and isinstance(last, str):
        parent[last] = value
        return
    if isinstance(parent, list) and isinstance(last, int) and last < len(parent):
        parent[last] = value


def _config_address(address: str) -> tuple[str, str | None]:
    """The configuration's address of a resource instance (no instance keys), and its key."""
    key = None
    match = re.search(r"\[(\d+|\"[^\"]*\")\]$", address)
    if match:
        key = match[1]
        address = address[: match.start()]
    return re.sub(r"\[(\d+|\"[^\"]*\")\]", "", address), key


def _nearest(lines: Mapping[FieldPath, int], path: FieldPath) -> int | None:
    for end in range(len(path), -1, -1):
        line = lines.get(path[:end])
        if line is not None:
            return line
    return None
