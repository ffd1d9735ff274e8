"""Generated templates, however wrong, are read or refused with a ScenarioError: never another
exception (the command line would show it as an unexpected error)."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from engine.scenario.errors import ScenarioError
from engine.scenario.runner import build_simulator
from engine.sources import SourceOptions, load_organisation
from tests.sources.conftest import CDK_TEMPLATE

NAMES = [
    "AkuaContact1F3A2B4C",
    "AkuaSms3C4D5E6F",
    "WeekdayRotation8E2F1A3B",
    "Team",
    "Missing",
    "AWS::Region",
    "AWS::NoValue",
]
FUNCTIONS = [
    "Fn::GetAtt",
    "Fn::Sub",
    "Fn::Join",
    "Fn::Select",
    "Fn::Split",
    "Fn::If",
    "Fn::Equals",
    "Fn::Not",
    "Fn::And",
    "Fn::Or",
    "Fn::FindInMap",
    "Fn::Base64",
    "Fn::ImportValue",
    "Fn::GetAZs",
]

scalars = st.one_of(
    st.sampled_from(["person", "SMS", "PERSONAL", "09:00", "2026-01-05T09:00:00", "UTC", "true"]),
    st.sampled_from(NAMES),
    st.integers(min_value=-2, max_value=40),
    st.booleans(),
    st.none(),
    st.text(max_size=8),
)


def _extend(children: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.one_of(
        st.lists(children, max_size=4),
        st.dictionaries(
            st.sampled_from(
                [
                    "DurationInMinutes",
                    "Targets",
                    "ChannelTargetInfo",
                    "ContactTargetInfo",
                    "ChannelId",
                    "ContactId",
                    "IsEssential",
                    "RetryIntervalInMinutes",
                    "RotationIds",
                    "NumberOfOnCalls",
                    "RecurrenceMultiplier",
                    "DailySettings",
                    "WeeklySettings",
                    "ShiftCoverages",
                    "DayOfWeek",
                    "CoverageTimes",
                    "HandOffTime",
                    "Condition",
                ]
            ),
            children,
            max_size=3,
        ),
        st.builds(lambda name: {"Ref": name}, st.sampled_from(NAMES)),
        st.builds(lambda fn, arg: {fn: arg}, st.sampled_from(FUNCTIONS), children),
    )


values = st.recursive(scalars, _extend, max_leaves=12)


BASE: dict[str, Any] = json.loads(CDK_TEMPLATE.read_text(encoding="utf-8"))
BASE["Parameters"]["Team"] = {"Type": "String", "Default": "ops"}
BASE["Conditions"]["On"] = {"Fn::Equals": [{"Ref": "Team"}, "ops"]}
BASE["Mappings"] = {"M": {"k": {"v": "x"}}}


def _places(value: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every path inside ``value``, containers and leaves."""
    found = [path]
    if isinstance(value, dict):
        for key, item in value.items():
            found += _places(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found += _places(item, (*path, index))
    return found


PLACES = [place for place in _places(BASE) if len(place) > 2 and place[0] == "Resources"]


@st.composite
def templates(draw: st.DrawFn) -> dict[str, Any]:
    """The CDK example with one to three of its values replaced by generated ones."""
    template = json.loads(json.dumps(BASE))
    for place in draw(st.lists(st.sampled_from(PLACES), min_size=1, max_size=3)):
        holder: Any = template
        for part in place[:-1]:
            if not isinstance(holder, dict | list):
                break
            if isinstance(holder, dict) and part not in holder:
                break
            if isinstance(holder, list) and not (isinstance(part, int) and part < len(holder)):
                break
            holder = holder[part]
        else:
            last = place[-1]
            in_list = isinstance(holder, list) and isinstance(last, int) and last < len(holder)
            if isinstance(holder, dict) or in_list:
                holder[last] = draw(values)
    return template


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(templates())
def test_a_generated_template_is_read_or_refused_with_a_scenario_error(
    template: dict[str, Any],
) -> None:
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "stack.json"
        path.write_text(json.dumps(template, default=str), encoding="utf-8")
        try:
            scenarios = load_organisation(f"cfn:{path}", SourceOptions())
        except ScenarioError as exc:
            assert exc.lines()
            return
        for scenario in scenarios:
            try:
                build_simulator(scenario)
            except ScenarioError as exc:
                assert exc.lines()
