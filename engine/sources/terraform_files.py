"""Reading ``.tf`` files (one, or every ``*.tf`` of a directory) into paging resources.

The files form one root module: ``variable`` blocks (a default, or ``--var NAME=VALUE``; a
variable with neither is an error naming it), ``locals``, ``provider "aws" { region }`` and the
``resource`` and ``data`` blocks of the paging types, expanded by ``count`` or ``for_each`` into
instances (``aws_ssmcontacts_contact.team["ana"]``). Each instance's attributes that escsim
reads are evaluated (:mod:`engine.sources.terraform_eval`); an expression it cannot evaluate is
a problem naming the file, the line, the address and the attribute. Blocks of other kinds
(other resources, outputs, modules, terraform settings) are not read.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path

from lark import Token, Tree

from engine.arns import DEFAULT_REGION
from engine.scenario.errors import Problem, ScenarioError
from engine.scenario.paths import FieldPath
from engine.sources.terraform_eval import EvalError, Instance, Module, Scope
from engine.sources.terraform_hcl import Attribute, Block, parse_expression, parse_hcl
from engine.sources.terraform_model import PAGING_TYPES, SCHEMAS, Schema, TfResource, Value

__all__ = ["TfFiles", "read_files"]

_NOT_STRING_TYPES = ("number", "bool", "list", "set", "map", "tuple", "object")


class TfFiles:
    """The blocks of the ``.tf`` files at a path, and how to name a place in them."""

    def __init__(self, path: Path, texts: Mapping[Path, str]) -> None:
        self.path = path
        self.several = path.is_dir()
        self.blocks: list[Block] = []
        problems: list[Problem] = []
        for file, text in sorted(texts.items()):
            try:
                self.blocks.extend(parse_hcl(text, str(file)))
            except ScenarioError as exc:
                for problem in exc.problems:
                    root = self.root_of(str(file), "")
                    path_in = (root,) if root else ()
                    problems.append(
                        Problem((*path_in, *problem.path), problem.message, problem.line)
                    )
        if problems:
            raise ScenarioError(str(path), problems)

    def root_of(self, file: str, address: str) -> str:
        """The first path part that names ``address`` in ``file``: with the file's name when
        a directory is read, so that each place names its file."""
        if not self.several:
            return address
        name = Path(file).relative_to(self.path).as_posix()
        return f"{name}:{address}" if address else name


def read_files(
    files: TfFiles, variables: Mapping[str, str], account: str, region: str | None
) -> tuple[list[TfResource], str | None, list[Problem]]:
    """The paging resources, the region the provider block sets, and every problem found."""
    reader = _Reader(files, account)
    return reader.read(variables, region)


class _Reader:
    def __init__(self, files: TfFiles, account: str) -> None:
        self.files = files
        self.account = account
        self.problems: list[Problem] = []

    def problem(self, block: Block, address: str, path: FieldPath, message: str, line: int) -> None:
        root = self.files.root_of(block.file, address)
        self.problems.append(Problem((root, *path), message, line))

    def read(
        self, given: Mapping[str, str], region: str | None
    ) -> tuple[list[TfResource], str | None, list[Problem]]:
        module = Module(self.account, region or DEFAULT_REGION)
        own_region = self.provider_region(module)
        module.region = region or own_region or DEFAULT_REGION
        self.declare(module, given)
        if self.problems:  # every later value may depend on them: stop here
            return [], own_region, self.problems
        managed: list[Instance] = []
        for block in self.blocks("resource", "data"):
            managed.extend(self.expand(module, block))
        if self.problems:
            return [], own_region, self.problems
        resources = [self.resource(instance) for instance in managed]
        return resources, own_region, self.problems

    def blocks(self, *kinds: str) -> list[Block]:
        return [block for block in self.files.blocks if block.type in kinds]

    # -- variables, locals, provider -----------------------------------------------------------

    def declare(self, module: Module, given: Mapping[str, str]) -> None:
        declared: dict[str, Block] = {}
        for block in self.blocks("variable"):
            name = block.labels[0] if block.labels else ""
            address = f"var.{name}"
            if name in declared:
                self.problem(block, address, (), f"variable {name!r} is declared twice", block.line)
                continue
            declared[name] = block
            default = block.attributes.get("default")
            try:
                if name in given:
                    module.variables[name] = self.given_value(module, block, given[name])
                elif default is not None:
                    module.variables[name] = module.evaluate(default.expression, Scope())
                else:
                    self.problem(
                        block,
                        address,
                        (),
                        f"variable {name!r} has no default: give its value with --var {name}=VALUE",
                        block.line,
                    )
            except EvalError as exc:
                at: FieldPath = () if name in given else ("default",)
                line = block.line if name in given else exc.line or block.line
                self.problem(block, address, at, exc.message, line)
        for name in given:
            if name not in declared:
                known = f" (declared: {', '.join(declared)})" if declared else ""
                self.problems.append(
                    Problem(
                        (f"var.{name}",), f"--var {name}: no variable {name!r} is declared{known}"
                    )
                )
        for block in self.blocks("locals"):
            for name, attribute in block.attributes.items():
                if name in module.locals:
                    self.problem(
                        block, f"local.{name}", (), f"local {name!r} is set twice", attribute.line
                    )
                    continue
                module.locals[name] = (attribute.expression, attribute.line)
        self.check_locals(module)

    def check_locals(self, module: Module) -> None:
        """Locals are evaluated when used; one that cannot be is reported where it is set."""
        for block in self.blocks("locals"):
            for name, attribute in block.attributes.items():
                try:
                    module.local(name, attribute.line)
                except EvalError as exc:
                    line = exc.line or attribute.line
                    self.problem(block, f"local.{name}", (), exc.message, line)

    def given_value(self, module: Module, block: Block, text: str) -> Value:
        """``--var`` text as the variable's type reads it (an HCL value for a non-string)."""
        kind = block.attributes.get("type")
        type_name = _type_name(kind) if kind is not None else "string"
        if type_name not in _NOT_STRING_TYPES:
            return text
        expression = parse_expression(text)
        value: Value = None
        try:
            value = None if expression is None else module.evaluate(expression, Scope())
        except EvalError:  # a word where a value was expected, say
            expression = None
        fits = {
            "number": isinstance(value, int | float) and not isinstance(value, bool),
            "bool": isinstance(value, bool),
            "list": isinstance(value, list),
            "set": isinstance(value, list),
            "tuple": isinstance(value, list),
            "map": isinstance(value, dict),
            "object": isinstance(value, dict),
        }
        if expression is None or not fits[type_name]:
            raise EvalError(f"--var {block.labels[0]}={text}: not a {type_name} value", block.line)
        return value

    def provider_region(self, module: Module) -> str | None:
        for block in self.blocks("provider"):
            if block.labels[:1] != ("aws",) or "alias" in block.attributes:
                continue
            region = block.attributes.get("region")
            if region is None:
                return None
            try:
                value = module.evaluate(region.expression, Scope())
            except EvalError as exc:
                self.problem(block, "provider.aws", ("region",), exc.message, region.line)
                return None
            if isinstance(value, str):
                return value
            self.problem(block, "provider.aws", ("region",), "region must be text", region.line)
        return None

    # -- resources -----------------------------------------------------------------------------

    def expand(self, module: Module, block: Block) -> list[Instance]:
        """The instances of a resource or data block (recorded in ``module``); the managed
        ones of paging types are returned."""
        if len(block.labels) != 2:
            self.problem(block, block.type, (), f"a {block.type} block has two labels", block.line)
            return []
        kind, name = block.labels
        address = f"{kind}.{name}" if block.type == "resource" else f"data.{kind}.{name}"
        mode = "managed" if block.type == "resource" else "data"
        if kind not in PAGING_TYPES:
            module.others.add(address)
            return []
        count = block.attributes.get("count")
        for_each = block.attributes.get("for_each")
        try:
            if count is not None and for_each is not None:
                raise EvalError("count and for_each cannot both be set", count.line)
            if count is not None:
                number = module.evaluate(count.expression, Scope())
                if isinstance(number, str) and number.isdigit():
                    number = int(number)  # Terraform converts "2" (an untyped --var) too
                if not isinstance(number, int) or isinstance(number, bool) or number < 0:
                    raise EvalError(f"count must be a whole number (got {number!r})", count.line)
                instances: list[Instance] | dict[str, Instance] | Instance = [
                    Instance(module, block, f"{address}[{n}]", Scope(index=n), mode)
                    for n in range(number)
                ]
            elif for_each is not None:
                instances = self.each(module, block, address, for_each, mode)
            else:
                instances = Instance(module, block, address, Scope(), mode)
        except EvalError as exc:
            at = "count" if count is not None else "for_each"
            self.problem(block, address, (at,), exc.message, exc.line or block.line)
            return []
        module.instances[address] = instances
        if mode == "data":
            return []
        if isinstance(instances, Instance):
            return [instances]
        return list(instances.values()) if isinstance(instances, dict) else instances

    def each(
        self, module: Module, block: Block, address: str, attribute: Attribute, mode: str
    ) -> dict[str, Instance]:
        collection = module.evaluate(attribute.expression, Scope())
        if isinstance(collection, dict):
            pairs: list[tuple[str, Value]] = list(collection.items())
        elif isinstance(collection, list) and all(isinstance(item, str) for item in collection):
            pairs = [(str(item), item) for item in collection]
        else:
            raise EvalError(
                "for_each takes a map, or a set of strings (toset([...]))", attribute.line
            )
        return {
            key: Instance(
                module,
                block,
                f"{address}[{json.dumps(key)}]",
                Scope(key=key, value=value, each=True),
                mode,
            )
            for key, value in pairs
        }

    def resource(self, instance: Instance) -> TfResource:
        block = instance.block
        root = self.files.root_of(block.file, instance.address)
        lines: dict[FieldPath, int] = {(): block.line}
        values = self.values(instance, block, SCHEMAS[instance.type], (), lines)
        if "arn" in SCHEMAS[instance.type]:
            try:
                values["arn"] = instance.arn(block.line)
            except EvalError as exc:
                self.problem(block, instance.address, (), exc.message, exc.line or block.line)
        return TfResource(instance.address, "managed", instance.type, values, root, lines)

    def values(
        self,
        instance: Instance,
        block: Block,
        schema: Schema,
        path: FieldPath,
        lines: dict[FieldPath, int],
    ) -> dict[str, Value]:
        values: dict[str, Value] = {}
        for name, nested in schema.items():
            if nested is None:
                attribute = block.attributes.get(name)
                if attribute is None or name == "arn":
                    continue
                lines[(*path, name)] = attribute.line
                try:
                    values[name] = instance.module.evaluate(attribute.expression, instance.scope)
                except EvalError as exc:
                    self.problem(
                        instance.block,
                        instance.address,
                        (*path, name),
                        exc.message,
                        exc.line or attribute.line,
                    )
                continue
            for inner in block.blocks:
                if inner.type == "dynamic" and inner.labels[:1] == (name,):
                    self.problem(
                        instance.block,
                        instance.address,
                        (*path, name),
                        f"dynamic {name!r} blocks are not read by escsim; write each block",
                        inner.line,
                    )
            found = [inner for inner in block.blocks if inner.type == name]
            if found:
                items: list[Value] = []
                for n, inner in enumerate(found):
                    lines[(*path, name, n)] = inner.line
                    items.append(self.values(instance, inner, nested, (*path, name, n), lines))
                values[name] = items
        return values


def _type_name(attribute: Attribute) -> str:
    expression: Tree[Token] = attribute.expression
    text = " ".join(
        str(token.value) for token in expression.scan_values(lambda v: isinstance(v, Token))
    )
    return text.split("(")[0].split()[0] if text.split() else "string"
