"""What escsim exposes: loopback by default and a loud warning beyond it, a request size limit,
YAML read without building objects or expanding without bound, and ``file://`` reading only the
file named."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from engine import Simulator
from engine.cli.main import build_parser, main
from engine.http.endpoint import Endpoint
from engine.http.wire import MAX_BODY_BYTES
from engine.scenario.errors import ScenarioError
from engine.scenario.loader import load_file, load_text
from tests.builders import REGION, START
from tests.http.conftest import StandInServer
from tests.workspace.cli_harness import Cli, make_cli

MARKER = "SECRET-MARKER-4711"

# -- binding --------------------------------------------------------------------------------------


def test_serve_binds_loopback_unless_told_otherwise() -> None:
    assert build_parser().parse_args(["serve"]).host == "127.0.0.1"


@pytest.mark.parametrize(
    ("options", "expected", "absent"),
    [
        ([], ["checks NO credentials", "control paths are OPEN"], []),
        (
            ["--admin-token", "t0ken"],
            ["checks NO credentials", "control paths need the admin token"],
            ["OPEN"],
        ),
        (
            ["--accounts", "ACCOUNTS", "--admin-token", "t0ken"],
            ["need a key from --accounts", "plain HTTP", "control paths need the admin token"],
            ["NO credentials", "OPEN"],
        ),
    ],
)
def test_binding_beyond_loopback_warns_loudly_about_what_is_open(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    options: list[str],
    expected: list[str],
    absent: list[str],
) -> None:
    accounts = tmp_path / "accounts.json"
    accounts.write_text('{"AKIDA": {"secret": "s", "account": "111122223333"}}', "utf-8")
    monkeypatch.setattr("engine.http.serve.EscsimHTTPServer", StandInServer)
    monkeypatch.delenv("ESCSIM_ADMIN_TOKEN", raising=False)
    argv = ["--host", "0.0.0.0", "--port", "4566", "--allow-remote"]
    argv += [str(accounts) if word == "ACCOUNTS" else word for word in options]
    assert main(["serve", *argv]) == 0
    err = capsys.readouterr().err
    warnings = [line for line in err.splitlines() if "WARNING" in line]
    assert len(warnings) >= 4, err
    assert "0.0.0.0" in warnings[0]
    for text in expected:
        assert text in err
    for text in absent:
        assert text not in err


# -- request size ---------------------------------------------------------------------------------


def test_a_body_over_the_limit_is_refused_before_anything_reads_it() -> None:
    endpoint = Endpoint(Simulator(seed=0, start=START, region=REGION))
    headers = {"X-Amz-Target": "SSMContacts.CreateContact"}
    reply = endpoint.handle("POST", "/", headers, b" " * (MAX_BODY_BYTES + 1))
    assert reply.status == 413
    assert json.loads(reply.body)["__type"] == "RequestEntityTooLargeException"
    control = endpoint.handle("POST", "/_escsim/clock", {}, b" " * (MAX_BODY_BYTES + 1))
    assert control.status == 413


# -- YAML -----------------------------------------------------------------------------------------


def test_a_scenario_file_cannot_make_yaml_build_python_objects(tmp_path: Path) -> None:
    pwned = tmp_path / "pwned"
    path = tmp_path / "evil.scenario.yaml"
    path.write_text(
        f"version: 1\nname: !!python/object/apply:os.system ['touch {pwned}']\n", "utf-8"
    )
    with pytest.raises(ScenarioError) as caught:
        load_file(path)
    assert caught.value.lines()[0].startswith(f"{path}:2: invalid YAML")
    assert not pwned.exists()


def test_cli_input_yaml_cannot_make_yaml_build_python_objects(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    cli = make_cli(tmp_path, monkeypatch, capsys)
    pwned = tmp_path / "pwned"
    result = cli(
        "create-contact",
        "--cli-input-yaml",
        f"Alias: !!python/object/apply:os.system ['touch {pwned}']\nType: PERSONAL\n",
    )
    assert result.code == 252 and "Invalid YAML" in result.err
    assert not pwned.exists()


def billion_laughs(levels: int) -> str:
    lines = ["version: 1", "name: laughs", 'l0: &l0 ["ha", "ha", "ha", "ha", "ha", "ha", "ha"]']
    for level in range(1, levels):
        lines.append(f"l{level}: &l{level} [" + ", ".join([f"*l{level - 1}"] * 9) + "]")
    lines.append(f"description: *l{levels - 1}")
    return "\n".join(lines) + "\n"


def test_a_scenario_file_expanding_without_bound_is_refused_at_once() -> None:
    with pytest.raises(ScenarioError) as caught:
        load_text(billion_laughs(9), "laughs.scenario.yaml")  # 9**8 * 7 values once expanded
    (line,) = caught.value.lines()
    assert line.startswith("laughs.scenario.yaml:")  # the line of the value that grew too big
    assert line.endswith(": the document expands through YAML aliases to more than 1000000 values")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("version: 1\nname: x\ndescription: " + "[" * 5000 + "]" * 5000 + "\n", "nests deeper"),
        ("version: 1\nname: x\ndescription: " + "[" * 150 + "]" * 150 + "\n", "nests deeper"),
        ("version: 1\nname: x\nscript: &loop\n  - *loop\n", "refers to a value that contains"),
        ("version: 1\nname: x\x08\n", "character #x0008 is not allowed"),
    ],
)
def test_a_scenario_file_too_deep_circular_or_unprintable_is_one_clean_error(
    text: str, message: str
) -> None:
    with pytest.raises(ScenarioError) as caught:
        load_text(text, "odd.scenario.yaml")
    (line,) = caught.value.lines()
    assert line.startswith("odd.scenario.yaml") and message in line


# -- file:// --------------------------------------------------------------------------------------


@pytest.fixture
def cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> Cli:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "secret.txt").write_text(MARKER, "utf-8")
    return make_cli(tmp_path, monkeypatch, capsys)


def test_file_reads_the_file_named_and_nothing_it_names(cli: Cli, tmp_path: Path) -> None:
    (tmp_path / "alias.txt").write_text("file://secret.txt", "utf-8")
    result = cli("create-contact", "--alias", "file://alias.txt", "--type", "PERSONAL",
                 "--plan", "Stages=[]")  # fmt: skip
    assert result.code == 254
    assert "'file://secret.txt'" in result.err and MARKER not in result.err + result.out


def test_file_values_inside_json_are_sent_as_written(cli: Cli, tmp_path: Path) -> None:
    plan = {
        "Stages": [
            {
                "DurationInMinutes": 1,
                "Targets": [{"ChannelTargetInfo": {"ContactChannelId": "file://secret.txt"}}],
            }
        ]
    }
    (tmp_path / "plan.json").write_text(json.dumps(plan), "utf-8")
    result = cli("create-contact", "--alias", "a", "--type", "PERSONAL",
                 "--plan", "file://plan.json")  # fmt: skip
    assert result.code == 254
    assert "file://secret.txt" in result.err and MARKER not in result.err + result.out
    tags = [{"Key": "k", "Value": "file://secret.txt"}]
    document = {"Alias": "b", "Type": "PERSONAL", "Plan": {"Stages": []}, "Tags": tags}
    (tmp_path / "input.json").write_text(json.dumps(document), "utf-8")
    arn = json.loads(cli.ok("create-contact", "--cli-input-json", "file://input.json").out)
    shown = cli.ok("list-tags-for-resource", "--resource-arn", arn["ContactArn"]).out
    assert json.loads(shown)["Tags"] == tags and MARKER not in shown


def test_urls_are_never_fetched(cli: Cli) -> None:
    result = cli("create-contact", "--alias", "http://127.0.0.1:9/x", "--type", "PERSONAL",
                 "--plan", "Stages=[]")  # fmt: skip
    assert result.code == 254 and "'http://127.0.0.1:9/x'" in result.err
