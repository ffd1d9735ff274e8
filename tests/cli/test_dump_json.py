"""``dump_json`` writes exactly what ``json.dumps(value, indent=2, ensure_ascii=False)`` writes."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from engine.cli.output import dump_json
from engine.scenario.loader import load_file
from engine.scenario.runner import run_scenario

SCENARIOS = Path(__file__).resolve().parents[2] / "scenarios"

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(),
)
keys = st.one_of(st.text(), st.integers(), st.booleans(), st.none(), st.floats(allow_nan=False))
values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=5),
        st.tuples(inner, inner),
        st.dictionaries(keys, inner, max_size=5),
    ),
    max_leaves=30,
)


@settings(max_examples=300, deadline=None)
@given(values)
def test_the_same_text_as_json_dumps_for_any_value(value: Any) -> None:
    assert dump_json(value) == json.dumps(value, indent=2, ensure_ascii=False)


def test_the_same_text_as_json_dumps_for_every_scenario_result() -> None:
    for path in sorted(SCENARIOS.rglob("*.scenario.yaml")):
        for scenario in load_file(path):
            result = run_scenario(scenario).result()
            assert dump_json(result) == json.dumps(result, indent=2, ensure_ascii=False), path
