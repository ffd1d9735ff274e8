"""A layered drawing of the contact graph: boxes in columns, edges that never cross a box.

The report's ``graph.png`` is drawn from this plan (pure geometry, no matplotlib here). Plans,
schedules, rotations and people are boxes; each person's channels are listed inside the
person's box, named by it and by the stages that page them, so channels sit under their owner.
Edges are plan targets (labelled with stage, duration and essential), schedule rotations and
rotation members.

The layout is Sugiyama's in its simplest form. Every node gets a column: one more than the
furthest of the nodes that point at it (edges closing a cycle are set aside first), so every
edge runs from left to right. An edge that spans several columns passes through each column in
between in a slot of its own (a "dummy" node), so it runs horizontally inside a column only
where no box is, and diagonally only in the gaps between columns, where there are no boxes at
all. Nodes are ordered inside their column by the mean position of their neighbours (a few
sweeps), which keeps most edges short and uncrossed. Units are character cells across and text
lines down.
"""

from __future__ import annotations

import dataclasses
import itertools
from collections import defaultdict
from collections.abc import Mapping, Sequence
from typing import Any

_GAP = 28.0  # cells between columns, room for an edge label
_PAD = 2.0  # cells of padding inside a box
_SLOT_GAP = 1.0  # lines between two slots of a column
_DUMMY = 1.0  # lines a passing edge takes in a column
_KIND_ORDER = {"ESCALATION": 0, "ONCALL_SCHEDULE": 1, "rotation": 2, "PERSONAL": 3, "missing": 4}


@dataclasses.dataclass(frozen=True, slots=True)
class Box:
    """A node drawn as a box: ``x``, ``y`` is its top-left corner (y grows downwards)."""

    node: str
    kind: str
    lines: tuple[str, ...]
    x: float
    y: float
    width: float
    height: float

    def contains(self, px: float, py: float) -> bool:
        """Is the point strictly inside the box (its border excluded)?"""
        return self.x < px < self.x + self.width and self.y < py < self.y + self.height


@dataclasses.dataclass(frozen=True, slots=True)
class Edge:
    """An edge as a polyline from its source box to its target box, with its label."""

    source: str
    target: str
    points: tuple[tuple[float, float], ...]
    label: str
    label_at: tuple[float, float]
    """Where the label goes: on the gap the edge crosses first, a little past its middle."""
    style: str
    """``essential``, ``plan``, ``rotation``, ``member`` or ``override``."""


@dataclasses.dataclass(frozen=True, slots=True)
class GraphLayout:
    """Boxes and edges, the drawing's size, and how many plans were left out of it."""

    boxes: tuple[Box, ...]
    edges: tuple[Edge, ...]
    width: float
    height: float
    left_out: int
    """Starting points (plans and schedules nothing targets) not drawn, when there are too many."""
    roots: int


def _kind(data: Mapping[str, object]) -> str:
    if data.get("kind") == "contact":
        return str(data.get("contact_type") or "PERSONAL")
    return str(data.get("kind"))


def _duration(minutes: object) -> str:
    total = int(minutes) if isinstance(minutes, int | float) else 0
    hours, rest = divmod(total, 60)
    if hours and rest:
        return f"{hours}h{rest:02d}m"
    return f"{hours}h" if hours else f"{rest}m"


def _edge_label(data: Mapping[str, object]) -> tuple[str, str]:
    relation = data.get("relation")
    if relation == "plan":
        essential = bool(data.get("essential"))
        parts = [f"stage {data.get('stage')}", _duration(data.get("duration"))]
        parts.append("essential" if essential else "not essential")
        return " · ".join(parts), "essential" if essential else "plan"
    if relation == "rotation":
        return "", "rotation"
    if relation == "override":
        return "override", "override"
    return "", "member"


def _channel_lines(graph: Any, person: str) -> list[str]:
    """``sms SMS: stage 0 (5m)`` for each channel of ``person``, in the order its plan pages
    them (channels no stage pages last)."""
    stages: dict[str, list[str]] = defaultdict(list)
    first: dict[str, int] = {}
    for _src, channel, data in graph.out_edges(person, data=True):
        if data.get("relation") == "plan" and data.get("info") == "channel":
            retry = data.get("retry_interval")
            stage = int(data.get("stage") or 0)
            first[channel] = min(first.get(channel, stage), stage)
            when = f"stage {stage} ({_duration(data.get('duration'))}"
            stages[channel].append(when + (f", retry {retry}m)" if retry else ")"))
    lines = []
    owned = [
        target
        for _src, target, data in graph.out_edges(person, data=True)
        if data.get("relation") == "owns"
    ]
    unused = len(owned) + 1  # channels no stage pages come last
    for channel in sorted(
        set(owned), key=lambda c: (first.get(c, unused), str(graph.nodes[c].get("name")), c)
    ):
        data = graph.nodes[channel]
        inactive = "" if data.get("activation_status") == "ACTIVATED" else ", not activated"
        used = "; ".join(stages.get(channel, [])) or "in no stage"
        lines.append(f"{data.get('name')} {data.get('channel_type')}{inactive}: {used}")
    return lines


def _box_lines(graph: Any, node: str) -> list[str]:
    data = graph.nodes[node]
    kind = _kind(data)
    if kind == "ESCALATION":
        return [str(data.get("alias")), "escalation plan"]
    if kind == "ONCALL_SCHEDULE":
        return [str(data.get("alias")), "on-call schedule"]
    if kind == "rotation":
        return [f"rotation {data.get('name')}"]
    if kind == "PERSONAL":
        return [str(data.get("alias")), *_channel_lines(graph, node)]
    return [str(data.get("alias") or node.rsplit("/", 1)[-1]), f"missing {data.get('expected')}"]


def _drawn_edges(graph: Any) -> list[tuple[str, str, Mapping[str, object]]]:
    """Edges between drawn nodes (channels are inside their owners' boxes), sorted."""
    found = []
    for source, target, key, data in graph.edges(keys=True, data=True):
        if graph.nodes[target].get("kind") == "channel" or data.get("relation") == "owns":
            continue
        found.append((source, target, str(key), data))
    found.sort(key=lambda e: (e[0], e[2], e[1]))
    return [(source, target, data) for source, target, _key, data in found]


def _select(
    graph: Any, nodes: list[str], edges: list[tuple[str, str, Mapping[str, object]]], limit: int
) -> tuple[set[str], int, int]:
    """The nodes to draw: everything, or what the first roots reach while under ``limit``."""
    successors: dict[str, list[str]] = defaultdict(list)
    targeted = set()
    for source, target, _data in edges:
        successors[source].append(target)
        targeted.add(target)
    # Start from what an engagement starts from: plans and schedules nothing else targets
    # (people on their own only when there is nothing else).
    untargeted = [n for n in nodes if n not in targeted]
    roots = [n for n in untargeted if _kind(graph.nodes[n]) != "PERSONAL"] or untargeted
    roots = roots or nodes[:1]
    if len(nodes) <= limit:
        return set(nodes), 0, len(roots)
    chosen: set[str] = set()
    taken = 0
    for root in roots:
        reach = {root}
        stack = [root]
        while stack:
            for nxt in successors[stack.pop()]:
                if nxt not in reach:
                    reach.add(nxt)
                    stack.append(nxt)
        if taken and len(chosen | reach) > limit:
            break
        chosen |= reach
        taken += 1
    return chosen, len(roots) - taken, len(roots)


def _layers(nodes: list[str], edges: list[tuple[str, str]]) -> tuple[dict[str, int], set[int]]:
    """Column of each node (longest path from a source), and the indices of the edges set aside
    as closing a cycle."""
    out: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for index, (source, target) in enumerate(edges):
        out[source].append((index, target))
    state: dict[str, int] = {}  # 1 on the stack, 2 done
    back: set[int] = set()
    order: list[str] = []
    for start in nodes:
        if start in state:
            continue
        state[start] = 1
        stack = [(start, iter(out[start]))]
        while stack:
            node, todo = stack[-1]
            step = next(todo, None)
            if step is None:
                state[node] = 2
                order.append(node)
                stack.pop()
                continue
            index, target = step
            if state.get(target) == 1:
                back.add(index)
            elif target not in state:
                state[target] = 1
                stack.append((target, iter(out[target])))
    layer = dict.fromkeys(nodes, 0)
    for node in reversed(order):  # a topological order of the edges kept
        for index, target in out[node]:
            if index not in back:
                layer[target] = max(layer[target], layer[node] + 1)
    return layer, back


def layout_graph(graph: Any, limit: int = 60) -> GraphLayout:
    """The layered layout of ``graph`` (a ContactGraph's networkx graph), at most ``limit``
    boxes: when there are more, the first plans (by alias) and what they reach."""
    drawn = [n for n, data in graph.nodes(data=True) if data.get("kind") != "channel"]
    drawn.sort(key=lambda n: (_KIND_ORDER.get(_kind(graph.nodes[n]), 5), _box_lines(graph, n)[0]))
    edges = _drawn_edges(graph)
    chosen, left_out, roots = _select(graph, drawn, edges, limit)
    nodes = [n for n in drawn if n in chosen]
    edges = [(s, t, d) for s, t, d in edges if s in chosen and t in chosen and s != t]
    layer, back = _layers(nodes, [(s, t) for s, t, _d in edges])
    # Columns hold real nodes and, for each edge spanning columns, a dummy per column crossed.
    columns: dict[int, list[str]] = defaultdict(list)
    for node in nodes:
        columns[layer[node]].append(node)
    routes: list[list[str]] = []
    for index, (source, target, _data) in enumerate(edges):
        low, high = sorted((layer[source], layer[target]))
        route = [source if index not in back else target]
        for column in range(low + 1, high):
            dummy = f"\x00{index}:{column}"
            columns[column].append(dummy)
            route.append(dummy)
        route.append(target if index not in back else source)
        routes.append(route)
    _order(columns, routes)
    lines = {n: _box_lines(graph, n) for n in nodes}
    width = {n: max(len(line) for line in lines[n]) + 2 * _PAD for n in nodes}
    height = {n: float(len(lines[n])) + 1.0 for n in nodes}
    count = max(columns) + 1 if columns else 0
    column_width = [
        max([width[n] for n in columns[c] if n in width], default=_PAD) for c in range(count)
    ]
    left = [sum(column_width[:c]) + _GAP * c for c in range(count)]
    sizes = {c: _stack(columns[c], height) for c in range(count)}
    tallest = max((total for _pos, total in sizes.values()), default=0.0)
    top: dict[str, float] = {}
    for c in range(count):
        positions, total = sizes[c]
        offset = (tallest - total) / 2
        for node, y in positions.items():
            top[node] = y + offset
    boxes = tuple(
        Box(n, _kind(graph.nodes[n]), tuple(lines[n]), left[layer[n]], top[n], width[n], height[n])
        for n in nodes
    )
    by_node = {box.node: box for box in boxes}
    drawn_edges = []
    for index, (source, target, data) in enumerate(edges):
        points, gaps = _route(routes[index], by_node, layer, left, column_width, top)
        (x0, y0), (x1, y1) = gaps[0] if index not in back else gaps[-1][::-1]
        if index in back:
            points.reverse()
        label, style = _edge_label(data)
        label_at = (x0 + 0.55 * (x1 - x0), y0 + 0.55 * (y1 - y0))
        drawn_edges.append(Edge(source, target, tuple(points), label, label_at, style))
    total_width = (left[-1] + column_width[-1]) if count else 0.0
    return GraphLayout(boxes, tuple(drawn_edges), total_width, tallest, left_out, roots)


def _stack(column: Sequence[str], height: dict[str, float]) -> tuple[dict[str, float], float]:
    """Top of each slot of a column, stacked downwards, and the column's height."""
    positions: dict[str, float] = {}
    y = 0.0
    for node in column:
        positions[node] = y
        y += height.get(node, _DUMMY) + _SLOT_GAP
    return positions, max(0.0, y - _SLOT_GAP)


def _order(columns: dict[int, list[str]], routes: list[list[str]]) -> None:
    """Order each column by the mean position of its neighbours, sweeping right then left."""
    before: dict[str, list[str]] = defaultdict(list)
    after: dict[str, list[str]] = defaultdict(list)
    for route in routes:
        for a, b in itertools.pairwise(route):
            before[b].append(a)
            after[a].append(b)
    count = max(columns) + 1 if columns else 0
    for _sweep in range(4):
        for c in range(1, count):
            _by_mean(columns, c, columns[c - 1], before)
        for c in range(count - 2, -1, -1):
            _by_mean(columns, c, columns[c + 1], after)


def _by_mean(
    columns: dict[int, list[str]], c: int, other: list[str], links: dict[str, list[str]]
) -> None:
    rank = {node: i for i, node in enumerate(other)}
    current = columns[c]

    def key(item: tuple[int, str]) -> tuple[float, int]:
        index, node = item
        near = [rank[n] for n in links[node] if n in rank]
        return (sum(near) / len(near) if near else float(index), index)

    columns[c] = [node for _i, node in sorted(enumerate(current), key=key)]


def _route(
    route: list[str],
    boxes: dict[str, Box],
    layer: dict[str, int],
    left: list[float],
    column_width: list[float],
    top: dict[str, float],
) -> tuple[list[tuple[float, float]], list[tuple[tuple[float, float], tuple[float, float]]]]:
    """Points of an edge from the left end of its route to the right end: out of the first box
    on its right, across each column crossed at its own slot, into the last box on its left.
    Also the segments that cross the gaps between columns, left to right."""
    first, last = boxes[route[0]], boxes[route[-1]]
    column = layer[first.node]
    y = first.y + first.height / 2
    points = [(first.x + first.width, y), (left[column] + column_width[column], y)]
    gaps = []
    for dummy in route[1:-1]:
        column += 1
        y = top[dummy] + _DUMMY / 2
        gaps.append((points[-1], (left[column], y)))
        points.append((left[column], y))
        points.append((left[column] + column_width[column], y))
    gaps.append((points[-1], (last.x, last.y + last.height / 2)))
    points.append((last.x, last.y + last.height / 2))
    return [p for i, p in enumerate(points) if i == 0 or p != points[i - 1]], gaps
