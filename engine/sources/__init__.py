"""Organisation sources: where an organisation to simulate comes from (docs/sources.md).

A source is a scenario file, a CloudFormation template, a Terraform configuration, a live
account, another on-call product's export (``pagerduty:``, ``opsgenie:``, ``goalert:``), or
another kind a reader is registered for. :func:`load_organisation` takes a spec
(``cfn:stack.yaml``, or a path whose kind is told from its content) and returns
:class:`~engine.scenario.loader.Scenario` objects, so every command that reads a scenario's
organisation reads any source the same way. A source that is not a scenario gives one scenario
with no steps: its organisation in AWS shapes, and a
:class:`~engine.scenario.yamlsource.Source` of the source file, so findings and errors name the
source's own file and lines.

Adding a kind is one entry in :data:`READERS` and one rule in :func:`detect`.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from engine.scenario.errors import Problem, ScenarioError
from engine.sources.options import ChannelReading, SourceOptions

if TYPE_CHECKING:
    from engine.scenario.loader import Scenario

__all__ = [
    "READERS",
    "ChannelReading",
    "SourceOptions",
    "SourceUnavailable",
    "detect",
    "is_live",
    "load_organisation",
    "split_spec",
]


class SourceUnavailable(ScenarioError):
    """A source read from a service that could not be read; ``cause`` says what failed, so a
    front end can answer as the AWS CLI does: ``arguments`` (the spec), ``configuration`` (no
    credentials, profile or region), ``service`` (an error the service answered) or
    ``connection`` (the endpoint could not be reached, or answered in another shape)."""

    def __init__(self, spec: str, problem: str, cause: str) -> None:
        super().__init__(spec, [Problem((), problem)])
        self.cause = cause


Reader = Callable[[str, SourceOptions], "list[Scenario]"]

READERS: dict[str, str] = {
    "scenario": "engine.sources.scenario:read",
    "cfn": "engine.sources.cloudformation:read",
    "tf": "engine.sources.terraform:read",
    "account": "engine.sources.account:read",
    "pagerduty": "engine.sources.vendors:read_pagerduty",
    "opsgenie": "engine.sources.vendors:read_opsgenie",
    "goalert": "engine.sources.vendors:read_goalert",
}
"""Source kind -> ``module:function`` of its reader, imported when a source of the kind is read."""

LIVE_KINDS = frozenset({"account"})
"""Kinds read from a service, not a file: their findings have no file or line."""

_PREFIX = re.compile(r"^([a-z]+):(?!//)(.*)$", re.DOTALL)


def split_spec(spec: str) -> tuple[str | None, str]:
    """``(kind, path)`` of ``spec``: the kind its prefix forces (``cfn:a.yaml``), or None.

    A prefix counts when it names a registered kind, or when no file has the spec's whole name
    (so ``vault:`` in a build without such a reader is refused, not looked for as a file)."""
    match = _PREFIX.match(spec)
    if match is None:
        return None, spec
    kind, rest = match.groups()
    if kind in READERS or not Path(spec).exists():
        return kind, rest
    return None, spec


def is_live(spec: str) -> bool:
    """Whether ``spec`` names a source read from a service (``account:``), not a file."""
    return split_spec(spec)[0] in LIVE_KINDS


def detect(path: str) -> str:
    """The kind of the source at ``path``, told from its content (docs/sources.md): Terraform
    (a directory, a ``.tf`` file, ``terraform show -json``), a CloudFormation template (YAML or
    JSON), another product's export, else a scenario file."""
    from engine.sources.cloudformation import is_template
    from engine.sources.terraform import is_terraform
    from engine.sources.vendors import export_kind

    if is_terraform(path):
        return "tf"
    if is_template(path):
        return "cfn"
    return export_kind(path) or "scenario"


def load_organisation(spec: str, options: SourceOptions | None = None) -> list[Scenario]:
    """The scenarios of the source ``spec`` (one for a source that is not a scenario file).

    Raises ScenarioError naming the file, line and field of every problem."""
    kind, path = split_spec(spec)
    if kind is None:
        kind = detect(path)
    target = READERS.get(kind)
    if target is None:
        known = ", ".join(f"{name}:" for name in READERS)
        problem = f"unknown source kind {kind!r}: this build reads {known}"
        raise ScenarioError(spec, [Problem((), problem)])
    module, _, function = target.partition(":")
    reader: Reader = getattr(importlib.import_module(module), function)
    return reader(path, options or SourceOptions())
