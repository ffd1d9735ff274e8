"""CloudFormation's intrinsic functions and conditions, evaluated over one template.

:class:`Resolver` turns a property value into plain data: ``Ref`` (parameters, pseudo
parameters, resources), ``Fn::GetAtt``, ``Fn::Sub`` (both forms), ``Fn::Join``, ``Fn::Select``,
``Fn::Split``, ``Fn::If``, ``Fn::FindInMap``, ``Fn::Base64``, and the condition functions
``Fn::Equals``, ``Fn::Not``, ``Fn::And``, ``Fn::Or`` and ``Condition``. ``Ref: AWS::NoValue``
removes the property or list item holding it. What cannot be known from the template alone
raises :class:`Unresolved` with the field path of the function, so the caller can name the
resource, the property and the line.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Callable, Mapping
from typing import Any

from engine.scenario.paths import FieldPath

__all__ = ["NO_VALUE", "Resolver", "Unresolved", "is_function"]


class _NoValue:
    def __repr__(self) -> str:
        return "AWS::NoValue"


NO_VALUE: Any = _NoValue()
"""What ``Ref: AWS::NoValue`` gives: the property or item holding it is left out."""


class Unresolved(Exception):
    """A value escsim cannot work out: ``path`` is where it is written, ``message`` why."""

    def __init__(self, path: FieldPath, message: str) -> None:
        super().__init__(message)
        self.path = path
        self.message = message


ResourceValue = Callable[[str, "str | None", FieldPath], Any]
"""``(logical id, attribute or None for Ref, path)`` -> the value; raises Unresolved."""

_SUB = re.compile(r"\$\{([^}]*)\}")


def is_function(value: object) -> bool:
    """Whether ``value`` is an intrinsic function call: a one-key mapping ``Ref``/``Fn::*``."""
    if not isinstance(value, dict) or len(value) != 1:
        return False
    key = next(iter(value))
    return isinstance(key, str) and (key == "Ref" or key.startswith("Fn::"))


def _shown(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


def _text(value: object) -> str | None:
    """A scalar as CloudFormation turns it into a string, or None for a list or mapping."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str | int | float):
        return str(value)
    return None


class Resolver:
    """Evaluates the intrinsic functions of one template."""

    def __init__(
        self,
        *,
        parameters: Mapping[str, str | list[str]],
        unknown_parameters: Mapping[str, str],
        pseudo: Mapping[str, str],
        conditions: Mapping[str, Any],
        mappings: Mapping[str, Any],
        resources: Mapping[str, str],
        resource_value: ResourceValue,
    ) -> None:
        self.parameters = parameters
        self.unknown_parameters = unknown_parameters
        """Parameter -> why its value cannot be known (an SSM parameter type)."""
        self.pseudo = pseudo
        self.conditions = conditions
        self.mappings = mappings
        self.resources = resources
        """Logical id -> resource type, of every resource of the template."""
        self.resource_value = resource_value
        self._decided: dict[str, bool] = {}
        self._deciding: list[str] = []

    # -- values --------------------------------------------------------------------------------

    def resolve(self, value: Any, path: FieldPath) -> Any:
        """``value`` with every function evaluated (NO_VALUE for ``Ref: AWS::NoValue``)."""
        if is_function(value):
            name, argument = next(iter(value.items()))
            return self._call(name, argument, (*path, name))
        if isinstance(value, dict):
            out = {}
            for key, item in value.items():
                resolved = self.resolve(item, (*path, key))
                if resolved is not NO_VALUE:
                    out[key] = resolved
            return out
        if isinstance(value, list):
            items = (self.resolve(item, (*path, n)) for n, item in enumerate(value))
            return [item for item in items if item is not NO_VALUE]
        return value

    def _call(self, name: str, argument: Any, at: FieldPath) -> Any:
        if name == "Ref":
            return self.ref(argument, at)
        handler = _HANDLERS.get(name)
        if handler is None:
            if name == "Fn::ImportValue":
                raise Unresolved(
                    at,
                    "Fn::ImportValue reads an output of another stack, which escsim cannot "
                    "see: pass the value as a parameter (--parameter NAME=VALUE) instead",
                )
            raise Unresolved(at, f"escsim does not evaluate {name}")
        return handler(self, argument, at)

    def ref(self, name: Any, at: FieldPath) -> Any:
        if not isinstance(name, str):
            raise Unresolved(
                at, f"Ref takes the name of a parameter or resource (got {_shown(name)})"
            )
        if name == "AWS::NoValue":
            return NO_VALUE
        if name in self.pseudo:
            return self.pseudo[name]
        if name.startswith("AWS::"):
            raise Unresolved(at, f"escsim does not know the pseudo parameter {name}")
        if name in self.parameters:
            return self.parameters[name]
        if name in self.unknown_parameters:
            raise Unresolved(at, f"parameter {name!r}: {self.unknown_parameters[name]}")
        if name in self.resources:
            return self.resource_value(name, None, at)
        raise Unresolved(
            at, f"Ref to {name!r}, which is neither a parameter nor a resource of this template"
        )

    def get_att(self, argument: Any, at: FieldPath) -> Any:
        if isinstance(argument, str):
            resource, dot, attribute = argument.partition(".")
            argument = [resource, attribute] if dot else [argument]
        if not isinstance(argument, list) or len(argument) != 2:
            raise Unresolved(at, f"Fn::GetAtt takes [resource, attribute] (got {_shown(argument)})")
        resource = argument[0]
        attribute = self.resolve(argument[1], (*at, 1))
        if not isinstance(resource, str) or not isinstance(attribute, str):
            raise Unresolved(at, f"Fn::GetAtt takes [resource, attribute] (got {_shown(argument)})")
        if resource not in self.resources:
            raise Unresolved(
                at, f"Fn::GetAtt names {resource!r}, which is not a resource of this template"
            )
        return self.resource_value(resource, attribute, at)

    def text(self, value: Any, at: FieldPath, what: str) -> str:
        resolved = self.resolve(value, at)
        text = _text(resolved)
        if text is None:
            raise Unresolved(at, f"{what} must be text (got {_shown(resolved)})")
        return text

    def text_list(self, value: Any, at: FieldPath, what: str) -> list[str]:
        resolved = self.resolve(value, at)
        if not isinstance(resolved, list):
            raise Unresolved(at, f"{what} must be a list (got {_shown(resolved)})")
        out = []
        for item in resolved:
            text = _text(item)
            if text is None:
                raise Unresolved(at, f"{what} must hold text (got {_shown(item)})")
            out.append(text)
        return out

    # -- conditions ----------------------------------------------------------------------------

    def condition(self, name: Any, at: FieldPath) -> bool:
        """The value of the template condition ``name``."""
        if not isinstance(name, str) or name not in self.conditions:
            known = ", ".join(map(str, self.conditions)) or "none"
            raise Unresolved(at, f"no condition named {_shown(name)} (the template's: {known})")
        if name in self._decided:
            return self._decided[name]
        if name in self._deciding:
            raise Unresolved(at, f"condition {name!r} depends on itself")
        self._deciding.append(name)
        try:
            value = self.truth(self.conditions[name], ("Conditions", name))
        finally:
            self._deciding.pop()
        self._decided[name] = value
        return value

    def truth(self, value: Any, at: FieldPath) -> bool:
        """A condition expression's value: a condition function, ``Condition``, or a boolean."""
        if isinstance(value, dict) and len(value) == 1 and "Condition" in value:
            return self.condition(value["Condition"], (*at, "Condition"))
        resolved = self.resolve(value, at)
        if isinstance(resolved, bool):
            return resolved
        if resolved in ("true", "false"):
            return bool(resolved == "true")
        raise Unresolved(at, f"a condition must be true or false (got {_shown(resolved)})")


def _pair(name: str, form: str, argument: Any, at: FieldPath, count: int) -> list[Any]:
    if not isinstance(argument, list) or len(argument) != count:
        raise Unresolved(at, f"{name} takes {form} (got {_shown(argument)})")
    return argument


def _join(resolver: Resolver, argument: Any, at: FieldPath) -> str:
    delimiter, values = _pair("Fn::Join", "[delimiter, [values]]", argument, at, 2)
    if not isinstance(delimiter, str):
        raise Unresolved((*at, 0), f"Fn::Join's delimiter must be text (got {_shown(delimiter)})")
    items = resolver.text_list(values, (*at, 1), "Fn::Join's values")
    return delimiter.join(items)


def _select(resolver: Resolver, argument: Any, at: FieldPath) -> Any:
    index, values = _pair("Fn::Select", "[index, [values]]", argument, at, 2)
    index = resolver.resolve(index, (*at, 0))
    text = _text(index)
    if text is None or not text.isdigit():
        raise Unresolved(
            (*at, 0), f"Fn::Select's index must be a whole number (got {_shown(index)})"
        )
    items = resolver.resolve(values, (*at, 1))
    if not isinstance(items, list):
        raise Unresolved((*at, 1), f"Fn::Select takes a list (got {_shown(items)})")
    if int(text) >= len(items):
        raise Unresolved(at, f"Fn::Select's index {text} is past the end of a list of {len(items)}")
    return items[int(text)]


def _split(resolver: Resolver, argument: Any, at: FieldPath) -> list[str]:
    delimiter, value = _pair("Fn::Split", "[delimiter, text]", argument, at, 2)
    if not isinstance(delimiter, str) or not delimiter:
        raise Unresolved((*at, 0), f"Fn::Split's delimiter must be text (got {_shown(delimiter)})")
    return resolver.text(value, (*at, 1), "Fn::Split's source").split(delimiter)


def _sub(resolver: Resolver, argument: Any, at: FieldPath) -> str:
    variables: dict[str, Any] = {}
    if isinstance(argument, list):
        template, given = _pair("Fn::Sub", "text or [text, {variables}]", argument, at, 2)
        if not isinstance(given, dict):
            raise Unresolved(
                (*at, 1), f"Fn::Sub's variables must be a mapping (got {_shown(given)})"
            )
        variables = dict(given)
        text_at: FieldPath = (*at, 0)
    else:
        template, text_at = argument, at
    if not isinstance(template, str):
        raise Unresolved(
            at, f"Fn::Sub takes text or [text, {{variables}}] (got {_shown(argument)})"
        )

    def replace(match: re.Match[str]) -> str:
        name = match.group(1).strip()
        if name.startswith("!"):  # ${!Literal} is written as ${Literal}
            return "${" + name[1:] + "}"
        if name in variables:
            return resolver.text(variables[name], (*at, 1, name), f"Fn::Sub variable {name!r}")
        if "." in name and name not in resolver.parameters and not name.startswith("AWS::"):
            resource, _, attribute = name.partition(".")
            value = resolver.get_att([resource, attribute], text_at)
        else:
            value = resolver.ref(name, text_at)
        text = _text(value)
        if text is None:
            raise Unresolved(text_at, f"Fn::Sub's ${{{name}}} must be text (got {_shown(value)})")
        return text

    return _SUB.sub(replace, template)


def _if(resolver: Resolver, argument: Any, at: FieldPath) -> Any:
    name, yes, no = _pair("Fn::If", "[condition, value if true, value if false]", argument, at, 3)
    if resolver.condition(name, (*at, 0)):
        return resolver.resolve(yes, (*at, 1))
    return resolver.resolve(no, (*at, 2))


def _equals(resolver: Resolver, argument: Any, at: FieldPath) -> bool:
    left, right = _pair("Fn::Equals", "[value, value]", argument, at, 2)
    left, right = resolver.resolve(left, (*at, 0)), resolver.resolve(right, (*at, 1))
    left_text, right_text = _text(left), _text(right)
    if left_text is not None and right_text is not None:
        return left_text == right_text
    return bool(left == right)


def _not(resolver: Resolver, argument: Any, at: FieldPath) -> bool:
    (inner,) = _pair("Fn::Not", "[condition]", argument, at, 1)
    return not resolver.truth(inner, (*at, 0))


def _all_or_any(name: str, combine: Callable[[list[bool]], bool]) -> Any:
    def handler(resolver: Resolver, argument: Any, at: FieldPath) -> bool:
        if not isinstance(argument, list) or not 2 <= len(argument) <= 10:
            raise Unresolved(
                at, f"{name} takes a list of 2 to 10 conditions (got {_shown(argument)})"
            )
        return combine([resolver.truth(item, (*at, n)) for n, item in enumerate(argument)])

    return handler


def _find_in_map(resolver: Resolver, argument: Any, at: FieldPath) -> Any:
    if not isinstance(argument, list) or len(argument) not in (3, 4):
        raise Unresolved(
            at,
            f"Fn::FindInMap takes [map, top-level key, second-level key] (got {_shown(argument)})",
        )
    keys = [
        resolver.text(item, (*at, n), "Fn::FindInMap's keys") for n, item in enumerate(argument[:3])
    ]
    found: Any = resolver.mappings
    for depth, key in enumerate(keys):
        if not isinstance(found, dict) or key not in found:
            if (
                len(argument) == 4
                and isinstance(argument[3], dict)
                and "DefaultValue" in argument[3]
            ):
                return resolver.resolve(argument[3]["DefaultValue"], (*at, 3, "DefaultValue"))
            where = "Mappings" if depth == 0 else ".".join(keys[:depth])
            raise Unresolved((*at, depth), f"Fn::FindInMap: {where} has no key {key!r}")
        found = found[key]
    return resolver.resolve(found, ("Mappings", *keys))


def _base64(resolver: Resolver, argument: Any, at: FieldPath) -> str:
    text = resolver.text(argument, at, "Fn::Base64's value")
    try:
        encoded = text.encode()
    except UnicodeEncodeError:  # a JSON escape of half a surrogate pair is not a character
        raise Unresolved(
            at, f"Fn::Base64's value is not valid Unicode text ({_shown(text)})"
        ) from None
    return base64.b64encode(encoded).decode()


_HANDLERS: dict[str, Callable[[Resolver, Any, FieldPath], Any]] = {
    "Fn::GetAtt": Resolver.get_att,
    "Fn::Join": _join,
    "Fn::Select": _select,
    "Fn::Split": _split,
    "Fn::Sub": _sub,
    "Fn::If": _if,
    "Fn::Equals": _equals,
    "Fn::Not": _not,
    "Fn::And": _all_or_any("Fn::And", all),
    "Fn::Or": _all_or_any("Fn::Or", any),
    "Fn::FindInMap": _find_in_map,
    "Fn::Base64": _base64,
}
