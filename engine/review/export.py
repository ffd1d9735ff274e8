"""The contact graph as Graphviz dot or Mermaid text, for documentation.

Nodes are the graph's contacts (by type), channels, rotations and missing references, named by
the resource part of their ARN; edges are plan targets (labelled with stage, duration and the
essential flag or retry interval), schedule rotations, rotation members, and channels no stage
pages (dotted ``owns``). Output is sorted, so the same organisation always gives the same text.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from engine.graph import ContactGraph
from engine.safetext import escape_controls

FORMATS = ("dot", "mermaid")

_LAYER = {"ESCALATION": 0, "ONCALL_SCHEDULE": 1, "PERSONAL": 3}


def _resource(arn: str) -> str:
    return arn.split(":", 5)[-1]


def _layer(data: Mapping[str, object]) -> int:
    kind = data.get("kind")
    if kind == "contact":
        return _LAYER.get(str(data.get("contact_type")), 3)
    return {"rotation": 2, "channel": 4}.get(str(kind), 5)


def _owner_alias(data: Mapping[str, object]) -> str:
    owner = data.get("owner")
    return _resource(str(owner)).rsplit("/", 1)[-1] if owner else ""


def _sort_key(item: tuple[str, Mapping[str, object]]) -> tuple[int, str, str, str]:
    arn, data = item
    if data.get("kind") == "channel":
        return (_layer(data), _owner_alias(data), str(data.get("name")), _resource(arn))
    return (_layer(data), _resource(arn), "", "")


def _nodes(graph: ContactGraph) -> list[tuple[str, Mapping[str, object]]]:
    return sorted(graph.nx_graph.nodes(data=True), key=_sort_key)


def _label_lines(arn: str, data: Mapping[str, object]) -> list[str]:
    kind = data.get("kind")
    if kind == "contact":
        lines = [str(data.get("alias"))]
        if data.get("display_name"):
            lines.append(str(data["display_name"]))
        lines.append(str(data.get("contact_type") or "unknown type"))
        return lines
    if kind == "channel":
        status = "activated" if data.get("activation_status") == "ACTIVATED" else "not activated"
        return [
            f"{_owner_alias(data)}: {data.get('name')}",
            f"{data.get('channel_type')}, {status}",
        ]
    if kind == "rotation":
        return [f"rotation {data.get('name')}"]
    return [_resource(arn), f"missing {data.get('expected', 'resource')}"]


def _edges(graph: ContactGraph) -> Iterator[tuple[str, str, str, Mapping[str, object]]]:
    nx_graph = graph.nx_graph
    targeted = {
        target
        for _source, target, data in nx_graph.edges(data=True)
        if data.get("relation") == "plan"
    }
    layer = {arn: _layer(data) for arn, data in nx_graph.nodes(data=True)}
    edges = sorted(
        nx_graph.edges(keys=True, data=True),
        key=lambda e: (layer[e[0]], _resource(e[0]), str(e[2]), _resource(e[1])),
    )
    for source, target, key, data in edges:
        relation = data.get("relation")
        if relation == "owns" and target in targeted:
            continue  # the plan edge already shows this channel
        yield source, target, str(key), data


def _edge_label(data: Mapping[str, object]) -> str:
    relation = data.get("relation")
    if relation == "plan":
        parts = [f"stage {data.get('stage')}", f"{data.get('duration')} min"]
        if data.get("info") == "contact":
            parts.append("essential" if data.get("essential") else "not essential")
        elif data.get("retry_interval"):
            parts.append(f"retry {data.get('retry_interval')} min")
        return ", ".join(parts)
    if relation == "rotation":
        return f"rotation {data.get('index')}"
    if relation == "member":
        return f"member {data.get('index')}"
    return "owns"


def _dot_escape(text: str) -> str:
    # Control characters are written escaped: the text may be printed on a terminal.
    return escape_controls(text, one_line=True).replace("\\", "\\\\").replace('"', '\\"')


def _dot_text(text: str) -> str:
    return '"' + _dot_escape(text) + '"'


_DOT_SHAPES = {0: "box", 1: "hexagon", 2: "circle", 3: "ellipse", 4: "note", 5: "octagon"}


def to_dot(graph: ContactGraph, name: str = "escsim") -> str:
    """The graph in Graphviz dot."""
    lines = [f"digraph {_dot_text(name)} {{", "  rankdir=LR;", '  node [fontname="Helvetica"];']
    for arn, data in _nodes(graph):
        layer = _layer(data)
        label = "\\n".join(_dot_escape(line) for line in _label_lines(arn, data))
        attributes = [f'label="{label}"', f"shape={_DOT_SHAPES[layer]}"]
        if layer == 5:
            attributes.append("color=red")
        elif data.get("kind") == "channel" and data.get("activation_status") != "ACTIVATED":
            attributes.append("style=dashed")
        lines.append(f"  {_dot_text(_resource(arn))} [{', '.join(attributes)}];")
    for source, target, _key, data in _edges(graph):
        attributes = [f"label={_dot_text(_edge_label(data))}"]
        if data.get("relation") == "owns":
            attributes.append("style=dotted")
        elif data.get("relation") == "plan" and data.get("essential"):
            attributes.append("penwidth=2")
        lines.append(
            f"  {_dot_text(_resource(source))} -> {_dot_text(_resource(target))} "
            f"[{', '.join(attributes)}];"
        )
    lines.append("}")
    return "\n".join(lines) + "\n"


def _mermaid_text(text: str) -> str:
    return '"' + escape_controls(text, one_line=True).replace('"', "#quot;") + '"'


_MERMAID_SHAPES = {
    0: ("[", "]"),
    1: ("{{", "}}"),
    2: ("((", "))"),
    3: ("(", ")"),
    4: ("([", "])"),
    5: (">", "]"),
}


def to_mermaid(graph: ContactGraph) -> str:
    """The graph as a Mermaid flowchart."""
    ids: dict[str, str] = {}
    lines = ["flowchart LR"]
    for number, (arn, data) in enumerate(_nodes(graph)):
        ids[arn] = f"n{number}"
        opening, closing = _MERMAID_SHAPES[_layer(data)]
        label = _mermaid_text("<br/>".join(_label_lines(arn, data)))
        lines.append(f"  {ids[arn]}{opening}{label}{closing}")
    for source, target, _key, data in _edges(graph):
        arrow = "-.->" if data.get("relation") == "owns" else "-->"
        label = _mermaid_text(_edge_label(data))
        lines.append(f"  {ids[source]} {arrow}|{label}| {ids[target]}")
    return "\n".join(lines) + "\n"


def export(graph: ContactGraph, kind: str, name: str = "escsim") -> str:
    """``to_dot`` or ``to_mermaid`` by ``kind``; ValueError for another."""
    if kind == "dot":
        return to_dot(graph, name)
    if kind == "mermaid":
        return to_mermaid(graph)
    raise ValueError(f"format must be one of {', '.join(FORMATS)} (got {kind!r})")
