"""The failing cases the fuzzers found, kept as plain tests of the fixes.

1. A request body escaping a lone UTF-16 surrogate (``"\\ud800"``) made ``Endpoint.handle`` raise
   UnicodeEncodeError while writing the error that quoted it (the server dropped the connection),
   and a value the model let through would have reached the journal and failed there.
2. A scenario file holding a control character (``\\x08``) escaped the loader as a yaml
   ReaderError, which the command line reported as an unexpected error (255).
3. A scenario file nested a few hundred levels deep escaped as RecursionError (255).
4. An instant far out of range (``start: "999...9"`` in a scenario file, epoch 1e300 anywhere
   an instant is read) raised OverflowError from ``engine.timeutil.to_datetime``, whose
   contract is ValueError, and a scenario file carrying one crashed the loader.
5. A damaged workspace file (a byte changed in a journal entry, a page cut short, an entry's JSON
   broken, a header's start not a number, an entry of the wrong shape) escaped as sqlite3,
   JSON or attribute errors (255) instead of one line and exit 253; see
   ``tests/security/test_workspace_files.py`` for every kind of damage.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from engine import Simulator
from engine.http.endpoint import Endpoint
from engine.scenario.errors import ScenarioError
from engine.scenario.loader import load_text
from tests.builders import REGION, START
from tests.workspace.cli_harness import make_cli

AWS = {"Content-Type": "application/x-amz-json-1.1", "X-Amz-Target": "SSMContacts.CreateContact"}


@pytest.mark.parametrize(
    "body",
    [
        b'{"Alias": "\\udc80", "Type": "PERSONAL", "Plan": {"Stages": []}}',
        b'{"Alias": "ok", "Type": "PERSONAL", "Plan": {"Stages": []}, "DisplayName": "\\ud800"}',
        b'{"\\ud800": 1}',
    ],
)
def test_a_lone_surrogate_escape_is_a_serialization_exception(body: bytes) -> None:
    endpoint = Endpoint(Simulator(seed=0, start=START, region=REGION))
    reply = endpoint.handle("POST", "/", AWS, body)
    assert reply.status == 400
    assert json.loads(reply.body)["__type"] == "SerializationException"
    assert endpoint.simulator.client().list_contacts()["Contacts"] == []


def test_a_surrogate_pair_escape_is_ordinary_text() -> None:
    endpoint = Endpoint(Simulator(seed=0, start=START, region=REGION))
    created = b'{"Alias": "a", "Type": "PERSONAL", "Plan": {"Stages": []}}'
    arn = json.loads(endpoint.handle("POST", "/", AWS, created).body)["ContactArn"]
    start = {**AWS, "X-Amz-Target": "SSMContacts.StartEngagement"}
    body = json.dumps({"ContactId": arn, "Sender": "s", "Subject": "s"})[:-1].encode()
    body += b', "Content": "\\ud83d\\ude00"}'
    reply = endpoint.handle("POST", "/", start, body)
    assert reply.status == 200, reply.body
    engagement = endpoint.simulator.client().list_engagements()["Engagements"][0]
    detail = endpoint.simulator.client().describe_engagement(
        EngagementId=engagement["EngagementArn"]
    )
    assert detail["Content"] == "\U0001f600"


def test_a_control_character_in_a_scenario_file_is_a_scenario_error() -> None:
    with pytest.raises(ScenarioError) as caught:
        load_text("\x08# comment\nversion: 1\n", "x.scenario.yaml")
    assert caught.value.lines() == [
        "x.scenario.yaml:1: invalid YAML: character #x0008 is not allowed in YAML text"
    ]


def test_a_deeply_nested_scenario_file_is_a_scenario_error() -> None:
    with pytest.raises(ScenarioError, match="nests deeper than 100 levels"):
        load_text("version: 1\nname: x\ndescription: " + "[" * 900 + "]" * 900, "x.yaml")


def test_the_command_line_reports_both_with_253(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    cli = make_cli(tmp_path, monkeypatch, capsys)
    for name, text in (("control", "version: 1\x08\n"), ("deep", "a: " + "[" * 3000)):
        path = tmp_path / f"{name}.scenario.yaml"
        path.write_text(text, encoding="utf-8")
        result = cli("run", str(path))
        assert result.code == 253, result.err
        assert result.err.startswith(str(path)) and len(result.err.splitlines()) == 1


@pytest.mark.parametrize("start", ['"' + "9" * 300 + '"', "1.0e+300", "-1.0e+300"])
def test_an_instant_out_of_range_in_a_scenario_file_is_a_scenario_error(start: str) -> None:
    with pytest.raises(ScenarioError) as caught:
        load_text(f"version: 1\nname: x\nstart: {start}\n", "x.scenario.yaml")
    (line,) = caught.value.lines()
    assert line.startswith("x.scenario.yaml:3: start: ")


@pytest.mark.parametrize("instant", [1e300, 10**30, "9" * 300, float("inf")])
def test_to_datetime_answers_an_instant_out_of_range_with_value_error(instant: object) -> None:
    from engine.timeutil import to_datetime

    with pytest.raises(ValueError, match="not an instant"):
        to_datetime(instant)  # type: ignore[arg-type]
