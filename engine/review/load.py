"""Per-person load and how fairly it is spread.

Load is counted from the forecast's pages: pages per week, the share of them at night and at
weekends on the person's own wall clock (the zone of the first rotation that lists them, else
the incident model's zone), and acknowledgements. On-call hours come exactly from the rotations'
shifts over the window, as Grafana OnCall's schedule quality report measures them.

Fairness figures, over the people who can be paged (members of a rotation, or reachable from an
incident target, or paged at all):

- Grafana OnCall's balance: the mean over every pair of people of min(a, b) / max(a, b) (two
  people with no load count as balanced), 1 for fewer than two people; Grafana treats 0.95 and
  above as balanced and otherwise lists the people above the average, each with how far above
  it they are in percent (``round(100 * load / average) - 100``).
- The Gini coefficient of the loads: 0 when everyone carries the same, towards 1 when one person
  carries all of it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING

from engine.oncall import iter_shifts
from engine.review.stats import bootstrap, estimate, total_interval

if TYPE_CHECKING:
    from engine.domain import Organisation
    from engine.simulator import State


BALANCED = 0.95
MEASURES = ("pages", "night", "weekend", "acks")
"""The per-person counts a replication returns, in this order."""

_WEEK = 7 * 86400.0
_PER_WEEK = tuple(
    f"{m}_per_week" for m in ("pages", "night_pages", "weekend_pages", "acknowledgements")
)


def grafana_balance(values: Sequence[float]) -> float:
    """Mean of min/max over all pairs (O(n log n) via prefix sums); 1 for fewer than two."""
    n = len(values)
    if n < 2:
        return 1.0
    ordered = sorted(values)
    pairs = n * (n - 1) // 2
    total = 0.0
    prefix = 0.0
    zeros = 0
    for value in ordered:
        if value <= 0:
            total += zeros  # every earlier zero pairs with this zero as balanced
            zeros += 1
        else:
            # Sum over earlier (smaller or equal) values of value_j / value.
            total += prefix / value
        prefix += value
    return total / pairs


def gini(values: Sequence[float]) -> float:
    """The Gini coefficient of non-negative values (0 for none or an all-zero list)."""
    n = len(values)
    ordered = sorted(values)
    total = sum(ordered)
    if n == 0 or total <= 0:
        return 0.0
    weighted = sum((2 * (i + 1) - n - 1) * value for i, value in enumerate(ordered))
    return weighted / (n * total)


def overloaded(loads: Mapping[str, float]) -> list[dict[str, object]]:
    """People above the average load, most loaded first, as Grafana lists them (empty when the
    balance is at least 0.95)."""
    values = list(loads.values())
    if not values or grafana_balance(values) >= BALANCED:
        return []
    average = sum(values) / len(values)
    if average <= 0:
        return []
    above = sorted(
        (-(round(100 * load / average) - 100), name)
        for name, load in loads.items()
        if load > average
    )
    return [{"contact": name, "percent_above_average": -minus} for minus, name in above]


def person_zones(org: Organisation, people: Iterable[str], default: str) -> list[str]:
    """The zone of each person: their first rotation's (creation order), else ``default``."""
    first: dict[str, str] = {}
    for rotation in org.rotations.values():
        for member in rotation.contact_ids:
            first.setdefault(member, rotation.time_zone_id)
    return [first.get(person, default) for person in people]


def on_call_seconds(
    state: State, start: dt.datetime, end: dt.datetime, *, layered: bool = False
) -> dict[str, float]:
    """Seconds each contact is on call over [start, end), summed over every rotation of an
    on-call schedule (a rotation no schedule uses pages nobody and is left out).

    ``layered`` (setting ``schedule_layers=last_wins``): in each schedule a rotation counts only
    where no later rotation of it has anyone on call, as the engine pages them."""
    seconds: dict[str, float] = {}
    counted: set[str] = set()
    for contact in state.organisation.contacts.values():
        if contact.type != "ONCALL_SCHEDULE":
            continue
        rotations = [r for r in contact.plan.rotations if r in state.schedules]
        if not layered:
            rotations = [r for r in rotations if r not in counted]
            counted.update(rotations)
        covered: list[tuple[dt.datetime, dt.datetime]] = []  # by later layers
        for rotation_id in reversed(rotations) if layered else rotations:
            pieces = []
            for shift in iter_shifts(state.schedules[rotation_id], start, end):
                low, high = max(shift.start, start), min(shift.end, end)
                for a, b in _minus((low, high), covered) if layered else [(low, high)]:
                    for person in shift.contact_ids:
                        seconds[person] = seconds.get(person, 0.0) + (b - a).total_seconds()
                if shift.contact_ids:
                    pieces.append((low, high))
            covered = sorted(covered + pieces)
    return seconds


def _minus(
    span: tuple[dt.datetime, dt.datetime], taken: Sequence[tuple[dt.datetime, dt.datetime]]
) -> list[tuple[dt.datetime, dt.datetime]]:
    """The parts of ``span`` outside every interval of ``taken`` (sorted by start)."""
    low, high = span
    out = []
    for a, b in taken:
        if b <= low or a >= high:
            continue
        if a > low:
            out.append((low, a))
        low = max(low, b)
        if low >= high:
            return out
    if low < high:
        out.append((low, high))
    return out


def _fairness(
    loads: Mapping[str, float], units: Sequence[Sequence[float]] | None, seed: int
) -> dict[str, object]:
    values = list(loads.values())
    if units is None:
        return {
            "grafana_balance": estimate(grafana_balance(values), None, None),
            "gini": estimate(gini(values), None, None),
            "overloaded": overloaded(loads),
        }

    def summed(chosen: Sequence[Sequence[float]]) -> list[float]:
        return [float(sum(column)) for column in zip(*chosen, strict=True)]

    return {
        "grafana_balance": bootstrap(units, lambda c: grafana_balance(summed(c)), seed),
        "gini": bootstrap(units, lambda c: gini(summed(c)), seed + 1),
        "overloaded": overloaded(loads),
    }


def load_summary(
    aliases: Sequence[str],
    zones: Sequence[str],
    population: Sequence[bool],
    units: Sequence[Sequence[Sequence[int]]],
    replications: int,
    window_seconds: float,
    on_call: Mapping[str, float],
    seed: int,
) -> dict[str, object]:
    """Per-person load and fairness. ``units[m][u][p]`` is measure ``m`` (see MEASURES) of
    person ``p`` in unit ``u``; ``on_call`` seconds by alias."""
    weeks = window_seconds / _WEEK
    scale = 1.0 / (replications * weeks) if weeks > 0 else 0.0
    people: list[dict[str, object]] = []
    chosen = [p for p in range(len(aliases)) if population[p]]
    for p in chosen:
        record: dict[str, object] = {"contact": aliases[p], "zone": zones[p]}
        for name, measure in zip(_PER_WEEK, units, strict=True):
            record[name] = total_interval([unit[p] for unit in measure], scale)
        hours = on_call.get(aliases[p])
        record["on_call_hours"] = None if hours is None else round(hours / 3600.0, 3)
        people.append(record)
    page_units = [[float(unit[p]) for p in chosen] for unit in units[0]]
    page_loads = {aliases[p]: float(sum(unit[p] for unit in units[0])) for p in chosen}
    members = {alias: seconds for alias, seconds in on_call.items() if seconds > 0}
    return {
        "weeks": round(weeks, 6),
        "people": people,
        "fairness": {
            "pages": _fairness(page_loads, page_units, seed),
            "on_call_hours": _fairness(
                {alias: members[alias] / 3600.0 for alias in sorted(members)}, None, seed
            ),
        },
    }
