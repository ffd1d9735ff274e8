"""Building the networkx graph of the organisation from records the reader has checked."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import networkx as nx

from engine.graph.records import _alias_in, _Channel, _Contact, _Override, _Rotation


def _add_override_edges(
    graph: nx.MultiDiGraph, rotations: Mapping[str, _Rotation], overrides: Mapping[str, _Override]
) -> None:
    for override in overrides.values():
        if override.rotation not in rotations:
            continue  # reported by validate; there is no rotation to hang it on
        for index, member in override.members:
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


def _build_graph(
    contacts: Mapping[str, _Contact],
    channels: Mapping[str, _Channel],
    rotations: Mapping[str, _Rotation],
) -> nx.MultiDiGraph:
    graph = nx.MultiDiGraph()
    for contact in contacts.values():
        graph.add_node(
            contact.arn,
            kind="contact",
            contact_type=contact.contact_type,
            alias=contact.alias,
            display_name=contact.display_name,
        )
    for channel in channels.values():
        graph.add_node(
            channel.arn,
            kind="channel",
            channel_type=channel.channel_type,
            activation_status=channel.activation_status,
            owner=channel.owner,
            name=channel.name,
        )
    for rotation in rotations.values():
        graph.add_node(rotation.arn, kind="rotation", name=rotation.name)
    # Edges only once every node is known, so a reference resolves whatever the input order.
    for channel in channels.values():
        if channel.owner is not None:
            _add_edge(graph, channel.owner, channel.arn, "owns", "channel", relation="owns")
    for contact in contacts.values():
        _add_plan_edges(graph, contact)
    for rotation in rotations.values():
        for index, member in rotation.members:
            _add_edge(
                graph,
                rotation.arn,
                member,
                f"ContactIds[{index}]",
                "contact",
                relation="member",
                index=index,
            )
    return graph


def _add_plan_edges(graph: nx.MultiDiGraph, contact: _Contact) -> None:
    for stage in contact.stages:
        for target in stage.targets:
            if target.ref is None or target.info is None:
                continue
            details: dict[str, object] = (
                {"retry_interval": target.retry_interval}
                if target.info == "channel"
                else {"essential": target.essential}
            )
            _add_edge(
                graph,
                contact.arn,
                target.ref,
                f"Plan.Stages[{stage.index}].Targets[{target.index}]",
                target.info,
                relation="plan",
                info=target.info,
                stage=stage.index,
                target=target.index,
                duration=stage.duration,
                **details,
            )
    for index, rotation_arn in contact.rotation_ids:
        _add_edge(
            graph,
            contact.arn,
            rotation_arn,
            f"Plan.RotationIds[{index}]",
            "rotation",
            relation="rotation",
            index=index,
        )


def _add_edge(
    graph: nx.MultiDiGraph,
    source: str,
    target: str,
    key: str,
    expected: str,
    /,
    **attributes: Any,
) -> None:
    """Add an edge, making a ``missing`` node for a target that was never given."""
    for arn, wanted in ((source, "contact"), (target, expected)):
        if not graph.has_node(arn):
            missing: dict[str, object] = {"kind": "missing", "expected": wanted}
            if wanted == "contact":
                missing["alias"] = _alias_in(arn)
            graph.add_node(arn, **missing)
    graph.add_edge(source, target, key=key, **attributes)
