"""What a review reads: an organisation, its responders and settings, and an incident model.

A :class:`ReviewInput` holds a template :class:`~engine.simulator.Simulator` with the organisation
imported (contacts, channels, rotations, overrides, responder models, settings): the coverage
proof and the contact graph read it, and each forecast replication starts from a fork of it
rather than importing the organisation again. It comes from a scenario file (built as
``escsim run`` builds it, with the file's ``incidents:`` section) or from a workspace (its
journal replayed; the review starts at the workspace's current virtual time).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
from collections.abc import Mapping
from typing import TYPE_CHECKING

from engine.review.incidents import DEFAULT_MODEL, IncidentModel, parse_incident_model
from engine.scenario.errors import Problem, ScenarioError
from engine.scenario.paths import lookup

if TYPE_CHECKING:
    from engine.domain import Organisation
    from engine.graph import ContactGraph
    from engine.scenario.loader import Scenario
    from engine.sim.responders import Responder
    from engine.simulator import Simulator, State
    from engine.sources import SourceOptions


class InputError(Exception):
    """A review input that cannot be used (not a scenario file problem: those are
    ScenarioErrors); the message says why and what to do. ``unreadable`` marks a workspace or
    file that cannot be read, as opposed to arguments that do not fit."""

    def __init__(self, message: str, *, unreadable: bool = False) -> None:
        super().__init__(message)
        self.unreadable = unreadable


@dataclasses.dataclass
class ReviewInput:
    """An organisation to review. ``simulator`` holds it at ``start`` with its settings;
    ``incidents`` is the model the forecast uses. The review never changes the simulator."""

    label: str
    name: str
    simulator: Simulator
    seed: int
    incidents: IncidentModel
    scenario: Scenario | None = None

    @property
    def start(self) -> dt.datetime:
        """The instant the organisation is read at (the review window's default start)."""
        return self.simulator.now

    @functools.cached_property
    def state(self) -> State:
        """The simulator's own account and region, as the review reads it."""
        return self.simulator.state()

    @functools.cached_property
    def graph(self) -> ContactGraph:
        """The organisation's contact graph, built once for lint, forecast and report."""
        return self.simulator.graph()

    @property
    def organisation(self) -> Organisation:
        """The organisation under review."""
        return self.state.organisation

    @property
    def responders(self) -> Mapping[str, Responder]:
        """Responder models of the input by contact ARN (scenario ``responders:``)."""
        return self.simulator.responders

    def alias_of(self, arn: str) -> str:
        """The alias of a contact ARN of the organisation (the ARN's own alias part else)."""
        contact = self.organisation.contacts.get(arn)
        if contact is not None:
            return contact.alias
        return arn.rsplit("/", 1)[-1]

    def contact_arn(self, name: str) -> str | None:
        """The contact named by ``name`` (alias or ARN), or None when there is none."""
        contact = self.organisation.contact_named(name)
        return None if contact is None else contact.arn


def load_input(
    file: str | None,
    *,
    workspace: str | None = None,
    scenario_name: str | None = None,
    incidents_file: str | None = None,
    options: SourceOptions | None = None,
) -> ReviewInput:
    """An organisation source's input (a scenario file, a template...: docs/sources.md, read
    with ``options``), or a workspace's when ``workspace`` is given.

    Raises ScenarioError for a file that cannot be used, InputError otherwise.
    """
    model = load_incident_file(incidents_file) if incidents_file else None
    if workspace is not None:
        return workspace_input(workspace, model)
    if file is None:
        raise InputError("name a scenario file, or a workspace with --workspace DIR")
    return scenario_input(file, scenario_name, model, options)


def load_incident_file(path: str) -> IncidentModel:
    """The incident model of a YAML or JSON file (its keys at the top level, or under
    ``incidents:``). Raises ScenarioError naming the file, line and field."""
    from engine.scenario.yamlsource import read_source

    source = read_source(path)
    data = source.data
    at: tuple[str, ...] = ()
    if isinstance(data, dict) and set(data) == {"incidents"}:
        data, at = data["incidents"], ("incidents",)
    if not isinstance(data, dict):
        raise ScenarioError(path, [Problem((), "an incident model is a mapping of keys", 1)])
    return parse_incident_model(data, source, at, label=path)


def scenario_input(
    file: str,
    scenario_name: str | None = None,
    model: IncidentModel | None = None,
    options: SourceOptions | None = None,
) -> ReviewInput:
    """The input of one scenario of the source ``file`` (the only one, or the one named)."""
    from engine.scenario.runner import build_simulator
    from engine.sources import load_organisation

    scenarios = load_organisation(file, options)
    names = [scenario.name for scenario in scenarios]
    if scenario_name is None and len(scenarios) > 1:
        raise InputError(
            f"{file} holds {len(scenarios)} scenarios ({', '.join(names)}); choose one with "
            "--scenario NAME"
        )
    chosen = scenarios[0] if scenario_name is None else None
    for scenario in scenarios:
        if scenario.name == scenario_name:
            chosen = scenario
    if chosen is None:
        raise InputError(f"{file} has no scenario named {scenario_name!r} ({', '.join(names)})")
    sim, _ = build_simulator(chosen)
    if model is None:
        model = _section_model(chosen) or DEFAULT_MODEL
    return ReviewInput(file, chosen.name, sim, chosen.seed, model, chosen)


def _section_model(scenario: Scenario) -> IncidentModel | None:
    source = scenario.source
    for at in ((*scenario.path, "incidents"), ("incidents",)):
        found, data = lookup(source.data, at)
        if found and data is not None:
            return parse_incident_model(data, source, at, label=f"{scenario.file}:incidents")
    return None


def workspace_input(directory: str, model: IncidentModel | None = None) -> ReviewInput:
    """The input of a workspace: its journal replayed, read at its current virtual time."""
    from engine.workspace import (
        Workspace,
        WorkspaceError,
        WorkspaceHeld,
        replay,
        shared,
        workspace_directory,
    )

    path = workspace_directory(directory)
    try:
        # Opened once before taking the shared lock, which would create the directory.
        Workspace.open(path).close()
        with shared(path):
            workspace = Workspace.open(path)
            try:
                header = workspace.header
                entries = workspace.entries()
            finally:
                workspace.close()
        sim = replay(header, entries)
    except (WorkspaceError, WorkspaceHeld) as exc:
        raise InputError(str(exc), unreadable=True) from None
    name = str(directory)
    return ReviewInput(name, name, sim, header.seed, model or DEFAULT_MODEL)
