"""Which resources of a template depend on which, and the circular dependencies CloudFormation
refuses to deploy.

A resource depends on those its properties name through ``Ref``, ``Fn::GetAtt`` or ``Fn::Sub``,
and on those of its ``DependsOn``. The common cycle here is a contact whose inline ``Plan``
names its own channels, each of which names the contact: CloudFormation refuses that template,
so escsim does too, and says to write the plan as an ``AWS::SSMContacts::Plan`` resource.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

import networkx as nx

__all__ = ["cycles", "references"]

_SUB = re.compile(r"\$\{([^}!][^}]*)\}")


def references(value: Any, names: Mapping[str, object]) -> set[str]:
    """The resources of ``names`` that ``value`` refers to."""
    found: set[str] = set()
    pending = [value]
    while pending:
        item = pending.pop()
        if isinstance(item, list):
            pending.extend(item)
            continue
        if not isinstance(item, dict):
            continue
        if len(item) == 1:
            key, argument = next(iter(item.items()))
            if key == "Ref" and isinstance(argument, str):
                found.add(argument)
            elif key == "Fn::GetAtt":
                if isinstance(argument, str):
                    found.add(argument.partition(".")[0])
                elif isinstance(argument, list) and argument and isinstance(argument[0], str):
                    found.add(argument[0])
            elif key == "Fn::Sub":
                text, variables = argument, {}
                if isinstance(argument, list) and len(argument) == 2:
                    text, variables = argument
                    if isinstance(variables, dict):
                        pending.extend(variables.values())
                if isinstance(text, str):
                    for match in _SUB.finditer(text):
                        name = match.group(1).strip().partition(".")[0]
                        if not isinstance(variables, dict) or name not in variables:
                            found.add(name)
        pending.extend(item.values())
    return {name for name in found if name in names}


def cycles(resources: Mapping[str, Any], types: Mapping[str, str]) -> list[list[str]]:
    """Each set of resources that depend on each other in a circle, in template order."""
    order = {name: index for index, name in enumerate(types)}
    graph = nx.DiGraph()
    graph.add_nodes_from(types)
    for name in types:
        body = resources[name]
        depends = body.get("DependsOn", [])
        named = [depends] if isinstance(depends, str) else depends
        targets = references(body.get("Properties"), types)
        if isinstance(named, list):
            targets |= {item for item in named if isinstance(item, str) and item in types}
        graph.add_edges_from((name, target) for target in targets)
    found = []
    for component in nx.strongly_connected_components(graph):
        members = sorted(component, key=order.__getitem__)
        if len(members) > 1 or graph.has_edge(members[0], members[0]):
            found.append(members)
    return sorted(found, key=lambda members: order[members[0]])
