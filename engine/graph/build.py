"""Building the networkx graph of an organisation, and what the graph holds of rotations."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping

import networkx as nx

from engine.arns import parse_arn
from engine.domain import Channel, ChannelTarget, Contact


@dataclasses.dataclass(frozen=True, slots=True)
class RotationView:
    """What the graph needs of a rotation: its name and its members in shift order."""

    arn: str
    name: str
    members: tuple[str, ...]


@dataclasses.dataclass(frozen=True, slots=True)
class OverrideView:
    """What the graph needs of an override: whom it puts on call in which rotation, and when."""

    id: str
    rotation: str
    members: tuple[str, ...]
    start: dt.datetime
    end: dt.datetime


def root(arn: str) -> str:
    """The resource part of an ARN (``contact/akuam``), used as the root of finding paths."""
    return arn.split(":", 5)[-1]


def alias_in(arn: str) -> str:
    parsed = parse_arn(arn)
    return parsed.parts[0] if parsed is not None and parsed.parts else arn


def build_graph(
    contacts: Mapping[str, Contact],
    channels: Mapping[str, Channel],
    rotations: Mapping[str, RotationView],
    overrides: Mapping[str, OverrideView],
) -> nx.MultiDiGraph:
    """The graph of the package docstring: every node first, so that a reference resolves
    whatever the input order, then the edges."""
    graph = nx.MultiDiGraph()
    for contact in contacts.values():
        graph.add_node(
            contact.arn,
            kind="contact",
            contact_type=contact.type,
            alias=contact.alias,
            display_name=contact.display_name,
        )
    for channel in channels.values():
        graph.add_node(
            channel.arn,
            kind="channel",
            channel_type=channel.type,
            activation_status="ACTIVATED" if channel.activated else "NOT_ACTIVATED",
            owner=channel.contact_arn,
            name=channel.name,
        )
    for rotation in rotations.values():
        graph.add_node(rotation.arn, kind="rotation", name=rotation.name)
    for channel in channels.values():
        _add_edge(graph, channel.contact_arn, channel.arn, "owns", "channel", relation="owns")
    for contact in contacts.values():
        _add_plan_edges(graph, contact)
    for rotation in rotations.values():
        for index, member in enumerate(rotation.members):
            key = f"ContactIds[{index}]"
            _add_edge(graph, rotation.arn, member, key, "contact", relation="member", index=index)
    for override in overrides.values():
        if override.rotation not in rotations:
            continue  # reported by validate; there is no rotation to hang it on
        for index, member in enumerate(override.members):
            _add_edge(
                graph,
                override.rotation,
                member,
                f"Overrides[{override.id}].NewContactIds[{index}]",
                "contact",
                relation="override",
                override_id=override.id,
                index=index,
                start=override.start,
                end=override.end,
            )
    return graph


def _add_plan_edges(graph: nx.MultiDiGraph, contact: Contact) -> None:
    for s, stage in enumerate(contact.plan.stages or ()):
        for t, target in enumerate(stage.targets):
            if isinstance(target, ChannelTarget):
                ref: str | None = target.channel_arn
                info, extra = "channel", {"retry_interval": target.retry_interval or 0}
            else:
                ref, info, extra = target.contact_arn, "contact", {"essential": target.essential}
            if ref is None:
                continue
            _add_edge(
                graph,
                contact.arn,
                ref,
                f"Plan.Stages[{s}].Targets[{t}]",
                info,
                relation="plan",
                info=info,
                stage=s,
                target=t,
                duration=stage.duration,
                **extra,
            )
    for index, rotation_arn in enumerate(contact.plan.rotations):
        key = f"Plan.RotationIds[{index}]"
        _add_edge(
            graph, contact.arn, rotation_arn, key, "rotation", relation="rotation", index=index
        )


def _add_edge(
    graph: nx.MultiDiGraph, source: str, target: str, key: str, expected: str, /, **data: object
) -> None:
    """Add an edge, making a ``missing`` node for an ARN that was never given."""
    for arn, wanted in ((source, "contact"), (target, expected)):
        if not graph.has_node(arn):
            missing: dict[str, object] = {"kind": "missing", "expected": wanted}
            if wanted == "contact":
                missing["alias"] = alias_in(arn)
            graph.add_node(arn, **missing)
    graph.add_edge(source, target, key=key, **data)
