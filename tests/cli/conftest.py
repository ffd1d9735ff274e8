"""Helpers for command-line tests: scenario files written to a temporary directory."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

SCENARIOS = Path(__file__).resolve().parents[2] / "scenarios"
PERSONAL = SCENARIOS / "seed-personal-engagement.scenario.yaml"
ESCALATION = SCENARIOS / "seed-escalation-engagement.scenario.yaml"

SMALL = """\
version: 1
name: small
description: one person, two channels
start: 2026-01-01T09:00:00Z
region: us-east-2
contacts:
  akuam:
    channels:
      sms: {type: SMS, address: "+15550100"}
      voice: {type: VOICE, address: "+15550101"}
    plan:
      - {duration: 5, targets: [{channel: sms, retry: 1}]}
      - {duration: 5, targets: [{channel: voice}]}
script:
  - at: 0m
    id: start1
    StartEngagement: {ContactId: akuam, Sender: cli, Subject: s, Content: c}
"""


@pytest.fixture(autouse=True)
def wide_console(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tables as wide as a large terminal, whatever the machine's COLUMNS says."""
    monkeypatch.setenv("COLUMNS", "220")


@pytest.fixture
def write(tmp_path: Path) -> Callable[[str, str], str]:
    """Write ``text`` to ``name`` in a temporary directory; returns the path as text."""

    def write_file(text: str, name: str = "test.scenario.yaml") -> str:
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return str(path)

    return write_file
