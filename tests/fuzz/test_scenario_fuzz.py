"""Random and broken scenario files: a run's result, or a clean error naming file and field.

The behaviour library's scenario files are broken in one to three places (the mutations of
``tests/fuzz/shapes.py`` applied to the loaded YAML: a key dropped, a value of the wrong type, an
overlong or odd string, a bad ARN, a huge number, an unknown key, deep nesting), or their text is
cut and spliced; documents are also drawn from scratch. Loading and running each must give a
result whose records keep the engine's invariants, or a ScenarioError whose every line starts
with the file name (and names the line and field path when it is about one field), or a
KnobError naming the setting; nothing else, and never an exception escaping from elsewhere.
"""

from __future__ import annotations

import glob
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from engine.check import check_result
from engine.knobs import KnobError
from engine.scenario.errors import ScenarioError
from engine.scenario.loader import load_text
from engine.scenario.runner import run_scenario
from tests.fuzz.shapes import CASES, mutated

ROOT = Path(__file__).resolve().parents[2]
FILE = "fuzzed.scenario.yaml"
FAST = settings(
    max_examples=150,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
LONG = settings(FAST, max_examples=5000, derandomize=False)


def library_paths() -> list[str]:
    pattern = str(ROOT / "scenarios" / "**" / "*.scenario.yaml")
    return sorted(glob.glob(pattern, recursive=True))


@cache
def library() -> list[tuple[str, Any]]:
    """(name, loaded YAML) of every scenario file in the repository's library."""
    found = []
    for path in library_paths():
        text = Path(path).read_text(encoding="utf-8")
        found.append((Path(path).name, yaml.safe_load(text)))
    return found


def load_and_run(text: str) -> None:
    """Load ``text`` as a scenario file and run every scenario in it; judge what comes out."""
    CASES[("scenario", "load-and-run")] += 1
    try:
        scenarios = load_text(text, FILE)
        for scenario in scenarios:
            outcome = run_scenario(scenario)
            findings = [f for f in check_result(outcome.result()) if f.is_error]
            assert not findings, [f.as_dict() for f in findings]
    except ScenarioError as error:
        lines = error.lines()
        assert lines, "a ScenarioError must say what is wrong"
        for line in lines:
            assert line.startswith(FILE), line
            assert "Traceback" not in line and "\n" not in line, line
        for problem in error.problems:
            if problem.path:
                assert problem.line is not None or not text.strip(), problem
    except KnobError as error:
        assert error.name and error.why, error


def documents() -> st.SearchStrategy[Any]:
    """A library file's YAML, broken."""
    return st.sampled_from(range(len(library()))).flatmap(
        lambda index: mutated(library()[index][1], deep_limit=60)
    )


def dump(document: Any) -> str:
    return yaml.safe_dump(document, sort_keys=False, allow_unicode=True)


@FAST
@given(document=documents())
def test_a_broken_scenario_file_runs_or_fails_cleanly(document: Any) -> None:
    load_and_run(dump(document))


@pytest.mark.slow
@LONG
@given(document=documents())
def test_broken_scenario_files_in_a_long_fuzz(document: Any) -> None:
    load_and_run(dump(document))


@st.composite
def spliced_text(draw: st.DrawFn) -> str:
    """A library file's text with a slice cut out and something YAML-ish put in its place."""
    text = Path(draw(st.sampled_from(library_paths()))).read_text(encoding="utf-8")
    start = draw(st.integers(0, len(text)))
    end = draw(st.integers(start, min(len(text), start + 40)))
    insert = draw(
        st.one_of(
            st.sampled_from(
                [
                    "",
                    ":",
                    "- ",
                    "\t",
                    "&a ",
                    "*a",
                    "!!python/object/apply:os.system ['true']",
                    "{",
                    "? ",
                    "%YAML 1.1\n",
                    "\x00",
                    "\ufeff",
                ]
            ),
            st.text(max_size=6),
        )
    )
    return text[:start] + insert + text[end:]


@FAST
@given(text=spliced_text())
def test_a_scenario_file_with_spliced_text_runs_or_fails_cleanly(text: str) -> None:
    load_and_run(text)


scalars = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.text(max_size=8)
)
keys = st.sampled_from(
    [
        "version",
        "name",
        "start",
        "seed",
        "settings",
        "contacts",
        "channels",
        "script",
        "responders",
        "expect",
        "scenarios",
        "account",
        "region",
        "at",
        "alias",
        "type",
        "plan",
        "stages",
    ]
)
from_scratch = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(keys, inner, max_size=4),
    max_leaves=12,
).map(lambda body: {"version": 1, **body} if isinstance(body, dict) else body)


@FAST
@given(document=from_scratch)
def test_a_scenario_document_drawn_from_scratch_runs_or_fails_cleanly(document: Any) -> None:
    load_and_run(dump(document))
