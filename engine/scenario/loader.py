"""Loading a scenario file: parse, check the shape, merge defaults, compile.

:func:`load_file` is the one entry point. It returns every scenario of the file ready to run,
or raises :class:`~engine.scenario.errors.ScenarioError` listing every problem found, each with
file, line, field path and value. Problems with settings alone exit 252 (as ``--set`` does);
any other problem makes the file unusable (253). The ``expect:`` block is kept as written: the
checks it compiles to sit above the runner (:mod:`engine.scenario.expect`), so front ends compile
it right after loading.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import difflib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from engine.arns import DEFAULT_ACCOUNT, DEFAULT_REGION
from engine.knobs import KnobError, Knobs, flatten
from engine.scenario.errors import Problem, ScenarioError, unique
from engine.scenario.expect.model import Expectations
from engine.scenario.model import (
    UNION_TAGS,
    ProbabilisticResponderSpec,
    ScenarioBody,
    ScenarioFile,
    ScriptedResponderSpec,
    allowed_keys,
)
from engine.scenario.organisation import Organisation, compile_organisation
from engine.scenario.paths import FieldPath, lookup
from engine.scenario.script import CompiledStep, compile_script, script_aliases
from engine.scenario.yamlsource import Source, parse_source, read_source

__all__ = [
    "ResponderEntry",
    "Scenario",
    "load_file",
    "load_text",
]

ResponderModel = ScriptedResponderSpec | ProbabilisticResponderSpec


@dataclasses.dataclass(frozen=True, slots=True)
class ResponderEntry:
    """``responders.<contact>``: who (alias or ARN as written) and how they answer."""

    contact: str
    model: ResponderModel
    path: FieldPath


@dataclasses.dataclass(frozen=True)
class Scenario:
    """One scenario of a file, compiled and ready to run."""

    file: str
    name: str
    description: str
    start: dt.datetime | None
    seed: int
    account: str
    region: str
    settings: dict[str, object]
    """Knob values as written, with dotted names (``latency.SMS``)."""
    organisation: Organisation
    responders: list[ResponderEntry]
    steps: list[CompiledStep]
    source: Source
    path: FieldPath
    """Where the scenario sits in its file: ``()``, or ``("scenarios", 2)``."""
    expect: Expectations | None = None
    """What ``expect:`` asks of the run, as written; front ends compile it right after loading
    (:func:`engine.scenario.expect.compile.compile_checks`)."""
    expect_at: FieldPath = ()
    """Where that ``expect:`` sits in the file."""
    notes: tuple[str, ...] = ()
    """What the source says once in a command's output about how it was read (a template's
    channels read as activated, values that do not matter to paging left out); not findings."""

    def problem(self, path: FieldPath, message: str) -> Problem:
        return self.source.problem(path, message)


def load_file(path: str | Path) -> list[Scenario]:
    """Every scenario in the file at ``path``. Raises ScenarioError."""
    return _load(read_source(path))


def load_text(text: str, file: str = "<string>") -> list[Scenario]:
    """Every scenario in YAML ``text`` (named ``file`` in errors). Raises ScenarioError."""
    return _load(parse_source(text, file))


def _load(source: Source) -> list[Scenario]:
    if source.data is None:
        raise ScenarioError(
            source.file, [Problem((), "the file is empty; a scenario starts with 'version: 1'")]
        )
    if not isinstance(source.data, dict):
        raise ScenarioError(
            source.file,
            [Problem((), "a scenario file is a mapping of keys, starting with 'version: 1'", 1)],
        )
    try:
        document = ScenarioFile.model_validate(source.data)
    except ValidationError as exc:
        raise ScenarioError(source.file, _shape_problems(exc, source)) from None
    scenarios: list[Scenario] = []
    problems: list[Problem] = []
    # Settings are checked where they are written, once, even when several scenarios share them.
    setting_problems = _settings_problems(document.settings or {}, (), source)
    for index, entry in enumerate(document.scenarios or []):
        setting_problems += _settings_problems(entry.settings or {}, ("scenarios", index), source)
    for body, origin, at in _expand(document, source, problems):
        scenario = _compile(body, origin, at, source, problems)
        if scenario is not None:
            scenarios.append(scenario)
    if problems:
        raise ScenarioError(source.file, unique(problems + setting_problems, source.file))
    if setting_problems:
        raise ScenarioError(source.file, setting_problems, settings=True)
    return scenarios


def _expand(
    document: ScenarioFile, source: Source, problems: list[Problem]
) -> list[tuple[ScenarioBody, dict[str, FieldPath], FieldPath]]:
    """(the scenario, where each of its keys sits, its path) for each scenario of the file."""
    shared = {name: getattr(document, name) for name in document.model_fields_set}
    shared.pop("version", None)
    shared.pop("scenarios", None)
    if document.scenarios is None:
        if document.name is None:
            problems.append(Problem((), "missing required key 'name' (a scenario has a name)", 1))
            return []
        return [(ScenarioBody.model_construct(**shared), dict.fromkeys(shared, ()), ())]
    expanded = []
    seen: dict[str, int] = {}
    for index, entry in enumerate(document.scenarios):
        at: FieldPath = ("scenarios", index)
        if entry.name in seen:
            problems.append(
                source.problem(
                    (*at, "name"),
                    f"scenario name {entry.name!r} is already used by "
                    f"scenarios[{seen[entry.name]}]",
                )
            )
        seen.setdefault(entry.name, index)
        values = {}
        origin: dict[str, FieldPath] = {}
        for name in ScenarioBody.model_fields:
            if name in entry.model_fields_set:
                values[name], origin[name] = getattr(entry, name), at
            elif name in shared and name not in ("name", "description"):
                values[name], origin[name] = shared[name], ()
        if "settings" in shared and "settings" in entry.model_fields_set:
            values["settings"] = {
                **flatten(shared["settings"]),
                **flatten(entry.settings or {}),
            }
        expanded.append((ScenarioBody.model_construct(**values), origin, at))
    return expanded


def _compile(
    body: ScenarioBody,
    origin: dict[str, FieldPath],
    at: FieldPath,
    source: Source,
    problems: list[Problem],
) -> Scenario | None:
    count = len(problems)
    account = body.account or DEFAULT_ACCOUNT
    region = body.region or DEFAULT_REGION
    start = body.start
    organisation, found = compile_organisation(
        body.contacts,
        body.channels,
        contacts_at=(*origin.get("contacts", at), "contacts"),
        channels_at=(*origin.get("channels", at), "channels"),
        account=account,
        region=region,
        source=source,
        rotations=body.rotations,
        overrides=body.overrides,
        rotations_at=(*origin.get("rotations", at), "rotations"),
        overrides_at=(*origin.get("overrides", at), "overrides"),
        start=start,
    )
    problems.extend(found)
    script = body.script or []
    known = set(organisation.aliases) | set(script_aliases(script))
    responders = []
    responders_at = (*origin.get("responders", at), "responders")
    for contact, model in (body.responders or {}).items():
        entry_at = (*responders_at, contact)
        if not contact.startswith("arn:") and contact not in known:
            problems.append(
                source.problem(entry_at, f"no contact named {contact!r} in this scenario")
            )
        responders.append(ResponderEntry(contact, model, entry_at))
    steps, found = compile_script(
        script,
        at=(*origin.get("script", at), "script"),
        start=start,
        account=account,
        region=region,
        aliases=organisation.aliases,
        source=source,
        override_ids=organisation.override_ids,
    )
    problems.extend(found)
    if len(problems) > count:
        return None
    return Scenario(
        file=source.file,
        name=body.name or "",
        description=body.description or "",
        start=start,
        seed=body.seed or 0,
        account=account,
        region=region,
        settings=flatten(body.settings or {}),
        organisation=organisation,
        responders=responders,
        steps=steps,
        source=source,
        path=at,
        expect=body.expect,
        expect_at=(*origin.get("expect", at), "expect"),
    )


def _settings_problems(
    settings: Mapping[str, Any], prefix: FieldPath, source: Source
) -> list[Problem]:
    """Each knob checked on its own, so every bad one is reported with its own line."""
    problems = []
    for name, value in flatten(settings).items():
        try:
            Knobs.from_mapping({name: value})
        except KnobError as exc:
            kind, _, sub = name.partition(".")
            path: FieldPath = (*prefix, "settings", name)
            if sub and lookup(source.data, (*prefix, "settings", kind, sub))[0]:
                path = (*prefix, "settings", kind, sub)
            problems.append(Problem(path, exc.why, source.line_of(path), value))
    return problems


_MESSAGE_PREFIXES = ("Value error, ", "Assertion failed, ")
_TYPE_MESSAGES = {
    "model_type": "must be a mapping of keys",
    "model_attributes_type": "must be a mapping of keys",
    "dict_type": "must be a mapping of keys",
    "list_type": "must be a list",
    "string_type": "must be text",
}


def _shape_problems(error: ValidationError, source: Source) -> list[Problem]:
    problems = []
    for detail in error.errors():
        loc = tuple(detail["loc"])
        path = tuple(part for part in loc if not (isinstance(part, str) and part in UNION_TAGS))
        kind = detail["type"]
        message = _TYPE_MESSAGES.get(kind) or str(detail["msg"])
        for prefix in _MESSAGE_PREFIXES:
            message = message.removeprefix(prefix)
        message = message.replace("Input should be", "must be")
        if kind == "extra_forbidden":
            hint = _key_hint(str(path[-1]), allowed_keys(loc[:-1]))
            problems.append(source.problem(path, f"unknown key {path[-1]!r}{hint}"))
            continue
        if kind == "missing":
            problems.append(source.problem(path[:-1], f"missing required key {path[-1]!r}"))
            continue
        value = detail.get("input")
        if isinstance(value, dt.date):  # YAML read it as a date: show it as written
            value = value.isoformat()
        if isinstance(value, dict | list) or value is None:
            problems.append(source.problem(path, message))
        else:
            problems.append(Problem(path, message, source.line_of(path), value))
    return sorted(problems, key=lambda problem: problem.line or 0)


def _key_hint(key: str, allowed: list[str]) -> str:
    close = difflib.get_close_matches(key, allowed, n=1, cutoff=0.75)
    if close:
        return f" (did you mean {close[0]!r}?)"
    if allowed and len(allowed) <= 16:
        return f" (allowed here: {', '.join(allowed)})"
    return " (escsim schema lists the keys)" if allowed else ""
