"""Tiny organisations for review tests, written as scenario files, and a helper to review them."""

from __future__ import annotations

import datetime as dt
import textwrap
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from engine.review.document import ReviewRun, review, window
from engine.review.executors import InProcess
from engine.review.inputs import ReviewInput, scenario_input

SEED_ESCALATION = (
    Path(__file__).resolve().parents[2] / "scenarios" / "seed-escalation-engagement.scenario.yaml"
)

PERSON = """\
  {alias}:
    channels:
      sms: {{type: SMS, address: "+1555{number:07d}"}}
      voice: {{type: VOICE, address: "+1555{number:07d}"}}
    plan:
      - {{duration: 5, targets: [{{channel: sms, retry: 1}}]}}
      - {{duration: 5, targets: [{{channel: voice, retry: 1}}]}}
"""


def people(*aliases: str) -> str:
    """Short-form personal contacts with SMS then VOICE stages of 5 minutes each."""
    return "".join(PERSON.format(alias=a, number=i) for i, a in enumerate(aliases))


def scenario(body: str, *, name: str = "tiny", start: str = "2026-01-05T00:00:00Z") -> str:
    """A scenario file: header lines, then ``body`` (dedented) as the rest."""
    header = f"version: 1\nname: {name}\nstart: {start}\nseed: 3\n"
    return header + textwrap.dedent(body)


@pytest.fixture
def write(tmp_path: Path) -> Callable[..., str]:
    """Write a scenario file; returns its path."""

    def write_file(text: str, name: str = "org.scenario.yaml") -> str:
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return str(path)

    return write_file


def run_review(
    review_input: ReviewInput,
    replications: int = 2,
    seed: int = 1,
    start: str | None = None,
    end: str | None = None,
    executor: Any = None,
) -> ReviewRun:
    """Review in this process over the given window (default: a year from the file's start)."""
    low, high = window(review_input, start, end)
    return review(review_input, low, high, replications, seed, executor or InProcess())


@pytest.fixture
def reviewed(write: Callable[..., str]) -> Callable[..., ReviewRun]:
    """Write ``text`` and review it: ``reviewed(text, replications=..., end=...)``."""

    def go(text: str, **options: Any) -> ReviewRun:
        return run_review(scenario_input(write(text)), **options)

    return go


Run = Callable[..., tuple[int, str, str]]
"""``escsim(*argv)``: the command's exit code, stdout and stderr."""


@pytest.fixture
def escsim(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Run:
    """Run ``escsim`` in this process on a wide console."""
    from engine.cli.main import main

    monkeypatch.setenv("COLUMNS", "200")

    def run(*argv: str) -> tuple[int, str, str]:
        code = main(list(argv))
        captured = capsys.readouterr()
        return code, captured.out, captured.err

    return run


def utc(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
