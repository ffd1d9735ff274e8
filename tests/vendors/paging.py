"""Run an incident on an organisation source and list what it pages, for the products' tests."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import subprocess
import sys

from engine.scenario.runner import build_simulator
from engine.sources import SourceOptions, load_organisation

Page = tuple[str, str, float]
"""(person alias, channel type, minutes after the incident)."""


def pages(spec: str, at: dt.datetime, alias: str, **settings: str) -> list[Page]:
    """What an incident on ``alias`` of the source ``spec`` started at ``at`` sends when nobody
    acknowledges, in time order (then person, then channel type)."""
    scenario = load_organisation(spec, SourceOptions(vendor_settings=settings))[0]
    sim, _ = build_simulator(dataclasses.replace(scenario, start=at))
    arns = scenario.organisation.aliases
    sim.call(
        "StartEngagement", {"ContactId": arns[alias], "Sender": "s", "Subject": "s", "Content": "c"}
    )
    sim.run()
    aliases = {arn: name for name, arn in arns.items()}
    out = [
        (aliases[m["ContactArn"]], str(m["ChannelType"]), (m["Time"] - at.timestamp()) / 60)
        for m in sim.outbox
        if m["Kind"] == "PAGE"
    ]
    return sorted(out, key=lambda row: (row[2], row[0], row[1]))


def on_call_people(spec: str, at: dt.datetime, alias: str, **settings: str) -> list[str]:
    """Who an incident on the schedule ``alias`` started at ``at`` pages (its on-call people)."""
    return sorted({person for person, _, _ in pages(spec, at, alias, **settings)})


def coverage(spec: str, start: str, end: str) -> dict[str, float]:
    """``escsim coverage``'s covered percentage of each subject, by name, over [start, end)."""
    command = [sys.executable, "-m", "engine.cli.main", "coverage", spec]
    command += ["--from", start, "--to", end, "--output", "json"]
    done = subprocess.run(command, capture_output=True, text=True, check=True)
    subjects = json.loads(done.stdout)["scenarios"][0]["subjects"]
    return {str(s["Name"]): float(s["CoveredPercent"]) for s in subjects}
