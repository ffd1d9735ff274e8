"""``escsim shifts FILE ROTATION``: a rotation's shifts over a window, as a calendar for people.

Shifts are those ListRotationShifts gives (whole, not cut at the window's edges), in the
rotation's zone and in UTC, with who is on call and whom an override replaces; the time nobody is
on call is listed between them. ``--output json`` gives AWS RotationShift records plus that
uncovered time. The window is read as for ``escsim coverage``, a week by default. Exit 0; 252 for
bad arguments or an unknown rotation; 253 for a file that cannot be used.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt

from rich.console import Console
from rich.table import Table
from rich.text import Text

from engine.cli import exits
from engine.cli.coverage import (
    add_window_arguments,
    chosen_scenarios,
    format_length,
    format_local,
    format_utc,
    window_of,
)
from engine.cli.output import dump_json
from engine.cli.render import console
from engine.cli.sources import SOURCE_HELP, read_scenarios
from engine.coverage import CoverageError, can_be_paged, find_subject, subjects
from engine.domain import Rotation
from engine.oncall import Rotation as Schedule
from engine.oncall import Shift, iter_shifts, load_zone
from engine.safetext import safe_text
from engine.scenario.organisation import contact_alias
from engine.scenario.runner import build_simulator
from engine.simulator import Simulator

__all__ = ["CalendarRow", "add_arguments", "calendar_rows", "handle"]

SHIFTS_DAYS = 7
"""A calendar shows a week unless told otherwise (a year of shifts is too long to read)."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", metavar="SOURCE", help=SOURCE_HELP)
    parser.add_argument("rotation", metavar="ROTATION", help="the rotation's name or ARN")
    add_window_arguments(parser, default_days=SHIFTS_DAYS)


@dataclasses.dataclass(frozen=True, slots=True)
class CalendarRow:
    """A shift, or a stretch of the window in which nobody is on call (``shift`` None)."""

    start: dt.datetime
    end: dt.datetime
    shift: Shift | None
    reason: str = ""
    """For uncovered time: ``not started`` or ``nobody on call``."""


def calendar_rows(schedule: Schedule, start: dt.datetime, end: dt.datetime) -> list[CalendarRow]:
    """The shifts overlapping [start, end), whole, with the uncovered time between them."""
    rows: list[CalendarRow] = []

    def uncovered(low: dt.datetime, high: dt.datetime) -> None:
        if low < schedule.start:
            cut = min(high, schedule.start)
            rows.append(CalendarRow(low, cut, None, "not started"))
            low = cut
        if low < high:
            rows.append(CalendarRow(low, high, None, "nobody on call"))

    reached = start
    for shift in iter_shifts(schedule, start, end):
        if shift.start > reached:
            uncovered(reached, shift.start)
        rows.append(CalendarRow(shift.start, shift.end, shift))
        reached = max(reached, shift.end)
    if reached < end:
        uncovered(reached, end)
    return rows


def _rotation(sim: Simulator, key: str) -> tuple[Rotation, Schedule]:
    try:
        subject = find_subject(sim, key)
    except CoverageError as exc:
        raise exits.CommandError(f"escsim shifts: {exc}", exits.BAD_ARGUMENTS) from None
    state = sim.state()
    rotation = state.organisation.rotations.get(subject.arn)
    if rotation is None:
        names = ", ".join(s.name for s in subjects(sim) if s.kind == "rotation") or "none"
        raise exits.CommandError(
            f"escsim shifts: {key!r} is a {subject.kind} contact, not a rotation "
            f"(rotations: {names})",
            exits.BAD_ARGUMENTS,
        )
    return rotation, state.schedules[rotation.arn]


def handle(args: argparse.Namespace) -> int:
    command = "escsim shifts"
    scenarios = chosen_scenarios(read_scenarios(args.file, args, command), args.scenario, command)
    if len(scenarios) > 1:
        names = ", ".join(scenario.name for scenario in scenarios)
        raise exits.CommandError(
            f"escsim shifts: {args.file} holds several scenarios; pick one with --scenario "
            f"(it has: {names})",
            exits.BAD_ARGUMENTS,
        )
    scenario = scenarios[0]
    start, end = window_of(args, scenario, "shifts")
    sim, arns = build_simulator(scenario)
    rotation, schedule = _rotation(sim, arns.get(args.rotation, args.rotation))
    rows = calendar_rows(schedule, start, end)
    if args.output == "json":
        print(dump_json(_document(args.file, scenario.name, rotation, start, end, rows)))
        return exits.OK
    _render(console(), sim, rotation, start, end, rows)
    return exits.OK


def _document(
    file: str,
    scenario: str,
    rotation: Rotation,
    start: dt.datetime,
    end: dt.datetime,
    rows: list[CalendarRow],
) -> dict[str, object]:
    shifts: list[dict[str, object]] = []
    uncovered: list[dict[str, object]] = []
    for row in rows:
        times = {"StartTime": row.start.isoformat(), "EndTime": row.end.isoformat()}
        if row.shift is None:
            uncovered.append({**times, "Reason": row.reason})
        else:
            shifts.append({**row.shift.as_aws(), **times})
    return {
        "file": file,
        "scenario": scenario,
        "Rotation": {
            "RotationArn": rotation.arn,
            "Name": rotation.name,
            "TimeZoneId": rotation.time_zone_id,
            "ContactIds": list(rotation.contact_ids),
        },
        "from": start.isoformat(),
        "to": end.isoformat(),
        "RotationShifts": shifts,
        "Uncovered": uncovered,
    }


def _render(
    out: Console,
    sim: Simulator,
    rotation: Rotation,
    start: dt.datetime,
    end: dt.datetime,
    rows: list[CalendarRow],
) -> None:
    zone = rotation.time_zone_id
    members = ", ".join(contact_alias(arn) for arn in rotation.contact_ids)
    out.print(
        safe_text(
            f"Rotation {rotation.name} ({zone}): members {members}; shifts from "
            f"{format_utc(start)} to {format_utc(end)}",
            style="bold",
        )
    )
    table = Table(title_justify="left")
    for column in ("day", "from (local)", "to (local)", "from (UTC)"):
        table.add_column(column, no_wrap=True)
    table.add_column("length", justify="right", no_wrap=True)
    table.add_column("on call", no_wrap=True)
    table.add_column("type", no_wrap=True)
    table.add_column("note")
    shown_day = ""
    local_zone = load_zone(zone)
    for row in rows:
        day = row.start.astimezone(local_zone).strftime("%a %Y-%m-%d")
        cells = [
            day if day != shown_day else "",
            format_local(row.start, zone),
            format_local(row.end, zone),
            format_utc(row.start),
            format_length((row.end - row.start).total_seconds()),
        ]
        shown_day = day
        shift = row.shift
        if shift is None:
            table.add_row(*cells, Text("nobody", style="red"), "UNCOVERED", row.reason, style="dim")
            continue
        on_call = ", ".join(contact_alias(arn) for arn in shift.contact_ids)
        notes = []
        if shift.type == "OVERRIDDEN":
            replaced = ", ".join(contact_alias(arn) for arn in shift.overridden_contact_ids)
            notes.append(f"replaces {replaced}")
        unreachable = [arn for arn in shift.contact_ids if not can_be_paged(sim, arn)]
        if shift.contact_ids and len(unreachable) == len(shift.contact_ids):
            notes.append("nobody here can be paged (no activated channel)")
        elif unreachable:
            names = ", ".join(contact_alias(arn) for arn in unreachable)
            notes.append(f"no activated channel: {names}")
        style = "yellow" if shift.type == "OVERRIDDEN" else None
        table.add_row(
            *cells,
            Text(on_call or "nobody", style="red" if not on_call else ""),
            Text(shift.type, style=style or ""),
            "; ".join(notes),
        )
    out.print(table)
    listed = sum(1 for row in rows if row.shift is not None)
    overridden = sum(1 for row in rows if row.shift is not None and row.shift.type == "OVERRIDDEN")
    uncovered = sum(
        (min(row.end, end) - max(row.start, start)).total_seconds()
        for row in rows
        if row.shift is None or not row.shift.contact_ids
    )
    out.print(
        f"{listed} shift(s), {overridden} overridden; nobody on call for "
        f"{format_length(uncovered)} of the window"
    )
