"""The CloudFormation source (``cfn:``): a template's ssm-contacts resources as an organisation.

:func:`read` reads a template (YAML with short forms, or JSON; hand-written or ``cdk synth``
output), takes its parameters (``Default`` or ``--parameter NAME=VALUE``), pseudo parameters and
conditions, evaluates the intrinsic functions (:mod:`engine.sources.intrinsics`) and turns each
``AWS::SSMContacts::Contact``, ``ContactChannel``, ``Plan`` and ``Rotation`` into the record
``get-contact``, ``list-contact-channels`` and ``get-rotation`` print
(:mod:`engine.sources.cfn_resources`). Other resources (``AWS::CDK::Metadata``...) are passed
over; a resource whose ``Condition`` is false is skipped. ARNs are minted from the run's account
and region: a contact's from its alias, the others' from a uuid5 of their logical id, so a
template always gives the same ARNs.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from engine.arns import DEFAULT_ACCOUNT, DEFAULT_REGION, make_arn
from engine.scenario.errors import Problem, ScenarioError, unique
from engine.scenario.loader import Scenario
from engine.scenario.organisation import Organisation, contact_alias
from engine.scenario.paths import FieldPath
from engine.scenario.yamlsource import Source
from engine.sources import SourceOptions
from engine.sources.cfn_dependencies import cycles
from engine.sources.cfn_resources import SSM_TYPES, Converter
from engine.sources.cfn_template import read_template_text, template_source
from engine.sources.intrinsics import Resolver, Unresolved

__all__ = ["TEMPLATE_NAMESPACE", "is_template", "looks_like_template", "read"]

TEMPLATE_NAMESPACE = uuid.UUID("0c5f3e1a-7b42-4d86-a9e3-5d2b8c61f047")
"""Namespace of the uuid5s naming a template's channels and rotations by logical id."""

_SECTIONS = (
    "AWSTemplateFormatVersion",
    "Description",
    "Metadata",
    "Parameters",
    "Rules",
    "Mappings",
    "Conditions",
    "Transform",
    "Resources",
    "Outputs",
)


def looks_like_template(data: object) -> bool:
    """A mapping with ``AWSTemplateFormatVersion``, or ``Resources`` holding ``AWS::`` types."""
    if not isinstance(data, dict):
        return False
    if "AWSTemplateFormatVersion" in data:
        return True
    resources = data.get("Resources")
    if not isinstance(resources, dict):
        return False
    return any(
        isinstance(body, dict) and str(body.get("Type", "")).startswith("AWS::")
        for body in resources.values()
    )


_MARKS = re.compile(
    r"""^\s*["']?AWSTemplateFormatVersion["']?\s*:|["']?Type["']?\s*:\s*["']?AWS::SSMContacts::""",
    re.MULTILINE,
)


def is_template(path: str) -> bool:
    """Whether the file at ``path`` reads as a CloudFormation template; one that does not
    parse counts when its text has a template's marks, so its reader names the problem."""
    try:
        text = read_template_text(path)
    except ScenarioError:
        return False
    try:
        source = template_source(text, path)
    except ScenarioError:
        return _MARKS.search(text) is not None
    return looks_like_template(source.data)


def read(path: str, options: SourceOptions) -> list[Scenario]:
    """The template at ``path`` as one scenario with no steps. Raises ScenarioError naming the
    file, line, logical id and property path of every problem."""
    source = template_source(read_template_text(path), path)
    return [_TemplateReader(source, options).scenario()]


def _scalar(value: object) -> str:
    """A parameter value as text: YAML's unquoted ``true``/``yes`` as CloudFormation's
    ``true``, numbers as written."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _stack_name(file: str) -> str:
    """A stack name from the file name: letters, digits and hyphens, starting with a letter."""
    stem = Path(file).name.split(".")[0]
    name = "".join(c if c.isalnum() else "-" for c in stem).strip("-")
    return name if name[:1].isalpha() else f"stack-{name}"


class _TemplateReader:
    """Reads one template, collecting every problem before refusing it."""

    def __init__(self, source: Source, options: SourceOptions) -> None:
        self.source = source
        self.file = source.file
        self.options = options
        # Where the template's resources are read into: the options', else scenario files' default.
        self.account = options.account or DEFAULT_ACCOUNT
        self.region = options.region or DEFAULT_REGION
        self.problems: list[Problem] = []
        self.notes: list[str] = []
        self.stack = _stack_name(source.file)
        self.types: dict[str, str] = {}
        """Logical id -> Type, of every resource."""
        self.skipped: dict[str, str] = {}
        """Logical id -> the false Condition of an ssm-contacts resource not created."""
        self.unknown_parameters: dict[str, str] = {}
        """Parameter -> why its value cannot be known here."""
        self.resolver: Resolver
        self._arns: dict[str, str] = {}
        self._minting: list[str] = []

    def fail(self, path: FieldPath, message: str) -> None:
        self.problems.append(Problem(path, message, self.source.line_of(path)))

    def warn(self, path: FieldPath, message: str) -> None:
        problem = Problem(path, message, self.source.line_of(path))
        self.notes.append(f"warning: {problem.describe(self.file)}")

    def refuse(self) -> ScenarioError:
        # A resource whose ARN cannot be minted is reported once, however many refer to it.
        ordered = sorted(unique(self.problems, self.file), key=lambda problem: problem.line or 0)
        return ScenarioError(self.file, ordered)

    # -- the template's sections ---------------------------------------------------------------

    def scenario(self) -> Scenario:
        data = self.source.data
        if not isinstance(data, dict):
            problem = "a CloudFormation template is a mapping with a Resources section"
            raise ScenarioError(self.file, [Problem((), problem, 1)])
        for key in data:
            if key not in _SECTIONS:
                self.fail(
                    (key,), f"unknown template section {key!r} (allowed: {', '.join(_SECTIONS)})"
                )
        resources = data.get("Resources")
        if not isinstance(resources, dict):
            self.fail(("Resources",), "a template needs a Resources section (a mapping)")
            raise self.refuse()
        if "Transform" in data:
            self.warn(
                ("Transform",),
                "escsim does not expand transforms (macros); the resources "
                "they would add are not read",
            )
        self.types = self._resource_types(resources)
        for members in cycles(resources, self.types):
            self.fail(
                ("Resources", members[0]),
                f"circular dependency between {', '.join(members)}: CloudFormation refuses "
                "the template (a contact's plan that names its own channels belongs in an "
                "AWS::SSMContacts::Plan resource)",
            )
        if self.problems:
            raise self.refuse()
        resolver = Resolver(
            parameters=self._parameters(data.get("Parameters")),
            unknown_parameters=self.unknown_parameters,
            pseudo=self._pseudo(),
            conditions=self._section(data, "Conditions"),
            mappings=self._section(data, "Mappings"),
            resources=self.types,
            resource_value=self._resource_value,
        )
        self.resolver = resolver
        kept = self._kept(resources)
        organisation = Organisation()
        converter = Converter(resolver, organisation, self._resource_value, self.fail, self.warn)
        converter.convert(resources, kept, self.options.channels == "intended")
        if self.problems:
            raise self.refuse()
        if not kept:
            self.notes.append(f"{self.file}: the template declares no AWS::SSMContacts resources")
        channels = len(organisation.channels)
        if channels and self.options.channels == "intended":
            self.notes.append(
                f"{self.file}: {channels} contact channel{'s' if channels != 1 else ''} read as "
                "ACTIVATED, as the template intends; AWS creates them not activated until each "
                "person activates theirs (--channels as-deployed reads them so)"
            )
        description = data.get("Description")
        return Scenario(
            file=self.file,
            name=self.stack,
            description=description if isinstance(description, str) else "",
            start=None,
            seed=0,
            account=self.account,
            region=self.region,
            settings={},
            organisation=organisation,
            responders=[],
            steps=[],
            source=self.source,
            path=(),
            notes=tuple(self.notes),
        )

    def _section(self, data: Mapping[str, Any], name: str) -> Mapping[str, Any]:
        value = data.get(name, {})
        if value is None:
            return {}
        if not isinstance(value, dict):
            self.fail((name,), f"{name} must be a mapping")
            return {}
        return value

    def _resource_types(self, resources: Mapping[str, Any]) -> dict[str, str]:
        types: dict[str, str] = {}
        for logical_id, body in resources.items():
            at: FieldPath = ("Resources", logical_id)
            if not isinstance(body, dict):
                self.fail(at, "a resource is a mapping with Type and Properties")
                continue
            kind = body.get("Type")
            if not isinstance(kind, str):
                self.fail(at, "a resource needs a Type (text, such as AWS::SSMContacts::Contact)")
                continue
            types[str(logical_id)] = kind
        return types

    def _kept(self, resources: Mapping[str, Any]) -> list[str]:
        """The ssm-contacts resources the stack creates: those whose Condition holds."""
        kept = []
        for logical_id, kind in self.types.items():
            if kind not in SSM_TYPES:
                continue
            condition = resources[logical_id].get("Condition")
            if condition is not None:
                try:
                    holds = self.resolver.condition(
                        condition, ("Resources", logical_id, "Condition")
                    )
                except Unresolved as exc:
                    self.fail(exc.path, exc.message)
                    continue
                if not holds:
                    self.skipped[logical_id] = str(condition)
                    continue
            kept.append(logical_id)
        return kept

    def _parameters(self, declared: Any) -> dict[str, str | list[str]]:
        values: dict[str, str | list[str]] = {}
        given = dict(self.options.parameters)
        if declared is None:
            declared = {}
        if not isinstance(declared, dict):
            self.fail(("Parameters",), "Parameters must be a mapping")
            declared = {}
        for name, spec in declared.items():
            at: FieldPath = ("Parameters", name)
            if not isinstance(spec, dict) or not isinstance(spec.get("Type"), str):
                self.fail(at, "a parameter is a mapping with a Type (String, Number, ...)")
                continue
            kind = spec["Type"]
            raw = given.pop(name, None)
            if raw is None and "Default" in spec:
                default = spec["Default"]
                raw = (
                    ",".join(map(_scalar, default))
                    if isinstance(default, list)
                    else _scalar(default)
                )
            if (
                kind.startswith("AWS::SSM::Parameter::Value<")
                and name not in self.options.parameters
            ):
                self.unknown_parameters[name] = (
                    f"its value is read from SSM Parameter Store when the stack deploys; give it "
                    f"with --parameter {name}=VALUE"
                )
                continue
            if raw is None:
                self.fail(
                    at, f"parameter {name!r} has no Default: give it with --parameter {name}=VALUE"
                )
                continue
            allowed = spec.get("AllowedValues")
            if isinstance(allowed, list) and raw not in [_scalar(item) for item in allowed]:
                self.fail(
                    at,
                    f"parameter {name!r} is {raw!r}, not one of its AllowedValues "
                    f"({', '.join(map(_scalar, allowed))})",
                )
                continue
            if kind == "CommaDelimitedList" or kind.startswith("List<"):
                values[name] = [part.strip() for part in raw.split(",")]
            else:
                values[name] = raw
        for name in given:
            known = ", ".join(declared) or "none"
            problem = f"--parameter {name}: the template has no parameter {name!r}"
            self.problems.append(Problem((), f"{problem} (its parameters: {known})"))
        return values

    def _pseudo(self) -> dict[str, str]:
        region, account = self.region, self.account
        stack_id = f"{self.stack}/{uuid.uuid5(TEMPLATE_NAMESPACE, f'stack/{self.stack}')}"
        return {
            "AWS::Region": region,
            "AWS::AccountId": account,
            "AWS::Partition": "aws",
            "AWS::StackName": self.stack,
            "AWS::StackId": f"arn:aws:cloudformation:{region}:{account}:stack/{stack_id}",
            "AWS::URLSuffix": "amazonaws.com",
        }

    # -- what Ref and Fn::GetAtt give ----------------------------------------------------------

    def _resource_value(self, logical_id: str, attribute: str | None, at: FieldPath) -> Any:
        kind = self.types[logical_id]
        what = "Ref" if attribute is None else f"attribute {attribute!r}"
        if kind in SSM_TYPES:
            if logical_id in self.skipped:
                raise Unresolved(
                    at,
                    f"{logical_id} is not created: its Condition "
                    f"{self.skipped[logical_id]!r} is false",
                )
            if attribute not in (None, "Arn"):
                raise Unresolved(
                    at, f"{logical_id} ({kind}) has no attribute {attribute!r} (it has Arn)"
                )
            return self.arn_of(logical_id, at)
        if kind.startswith("Custom::") or kind == "AWS::CloudFormation::CustomResource":
            raise Unresolved(
                at,
                f"the {what} of custom resource {logical_id} is known only once the stack "
                "deploys: pass the value as a parameter instead",
            )
        raise Unresolved(
            at,
            f"escsim cannot know the {what} of {logical_id} ({kind}): it reads only "
            "AWS::SSMContacts resources",
        )

    def arn_of(self, logical_id: str, at: FieldPath) -> str:
        """The ARN the resource ``logical_id`` gets (minted once, on first use)."""
        if logical_id in self._arns:
            return self._arns[logical_id]
        if logical_id in self._minting:
            raise Unresolved(at, f"the ARN of {logical_id} depends on itself")
        self._minting.append(logical_id)
        try:
            arn = self._mint(logical_id)
        finally:
            self._minting.pop()
        self._arns[logical_id] = arn
        return arn

    def _mint(self, logical_id: str) -> str:
        kind = self.types[logical_id]
        properties = self.source.data["Resources"][logical_id].get("Properties") or {}
        at: FieldPath = ("Resources", logical_id, "Properties")
        region, account = self.region, self.account
        named = uuid.uuid5(TEMPLATE_NAMESPACE, f"{kind}/{logical_id}")
        if not isinstance(properties, dict):
            raise Unresolved(at, "Properties must be a mapping")
        if kind == "AWS::SSMContacts::Contact":
            alias = self.resolver.text(properties.get("Alias"), (*at, "Alias"), "Alias")
            return make_arn(region, account, "contact", alias)
        if kind == "AWS::SSMContacts::Rotation":
            return make_arn(region, account, "rotation", str(named))
        owner = self.resolver.text(properties.get("ContactId"), (*at, "ContactId"), "ContactId")
        if kind == "AWS::SSMContacts::Plan":
            return owner  # a plan's Arn is its contact's (the resource schema says so)
        return make_arn(region, account, "contact-channel", contact_alias(owner), str(named))
