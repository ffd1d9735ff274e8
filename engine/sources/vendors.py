"""Other products' organisations as sources (``pagerduty:``, ``opsgenie:``, ``goalert:``).

A vendor's export (one JSON or YAML document of its REST API's objects, docs/vendors/) is read
by its module in :mod:`engine.vendors` into the neutral policy, written for the engine by
:func:`engine.policy.aws.write_organisation` together with the settings its semantics need, and
handed on as a scenario with no steps, like every other source.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from pathlib import Path
from types import ModuleType

import yaml

from engine.arns import DEFAULT_ACCOUNT, DEFAULT_REGION
from engine.policy.aws import write_organisation
from engine.policy.model import OnCallSetup
from engine.scenario.errors import Problem, ScenarioError
from engine.scenario.loader import Scenario
from engine.scenario.yamlsource import Source, read_source
from engine.sources.options import SourceOptions

__all__ = ["VENDORS", "export_kind", "product_of", "read_setup", "reader", "scenario_of"]

VENDORS: Mapping[str, str] = {
    "pagerduty": "engine.vendors.pagerduty",
    "opsgenie": "engine.vendors.opsgenie",
    "goalert": "engine.vendors.goalert",
}
"""Source kind -> the module that reads and writes that product's documents."""


def vendor_module(kind: str) -> ModuleType:
    """The module of product ``kind`` (one of :data:`VENDORS`)."""
    return importlib.import_module(VENDORS[kind])


def product_of(data: object) -> str | None:
    """The product whose export ``data`` (a parsed document) is, or None."""
    for kind in VENDORS:
        if vendor_module(kind).looks_like(data):
            return kind
    return None


def export_kind(path: str) -> str | None:
    """The product whose export the file at ``path`` is, told from its top-level keys; None for
    a scenario file (``*.scenario.yaml``), a directory, or a file that does not parse."""
    file = Path(path)
    if not file.is_file() or file.name.endswith((".scenario.yaml", ".scenario.yml")):
        return None
    if file.suffix.lower() not in (".json", ".yaml", ".yml"):
        return None
    try:
        data = yaml.safe_load(file.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return None
    return product_of(data)


def read_setup(kind: str, path: str, options: SourceOptions) -> tuple[OnCallSetup, Source]:
    """The neutral setup of the ``kind`` export at ``path``. Raises ScenarioError."""
    try:
        source = read_source(path)
    except OSError as exc:
        raise ScenarioError(path, [Problem((), f"cannot read {path}: {exc.strerror}")]) from None
    setup: OnCallSetup = vendor_module(kind).read(source, dict(options.vendor_settings))
    return setup, source


def scenario_of(setup: OnCallSetup, source: Source, options: SourceOptions) -> Scenario:
    """``setup`` as a scenario with no steps: its organisation in AWS shapes, the settings its
    product's semantics need, and what the engine does not simulate as the product would."""
    account = options.account or DEFAULT_ACCOUNT
    region = options.region or DEFAULT_REGION
    written = write_organisation(setup, account, region)
    return Scenario(
        file=source.file,
        name=Path(source.file).stem,
        description=f"{setup.product} organisation read from {Path(source.file).name}",
        start=None,
        seed=0,
        account=account,
        region=region,
        settings=written.settings,
        organisation=written.organisation,
        responders=[],
        steps=[],
        source=source,
        path=(),
        notes=tuple(written.notes),
    )


def reader(kind: str) -> Callable[[str, SourceOptions], list[Scenario]]:
    """The source reader of product ``kind``, as :data:`engine.sources.READERS` names it."""

    def read(path: str, options: SourceOptions) -> list[Scenario]:
        setup, source = read_setup(kind, path, options)
        return [scenario_of(setup, source, options)]

    return read


read_pagerduty = reader("pagerduty")
read_opsgenie = reader("opsgenie")
read_goalert = reader("goalert")
