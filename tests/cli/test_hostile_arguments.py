"""Command lines that used to end in "unexpected error" get the AWS CLI's wording and exit code.

Regions that are not region names (``--region``, ``AWS_REGION``, ``AWS_DEFAULT_REGION``, the
profile's) exit 255 with the AWS CLI's sentence, checked against the real ``aws``; account ids
that are not 12 digits exit 252. Values nested too deeply (shorthand, JSON, ``--cli-input-json``
and ``--cli-input-yaml``), ``file://`` values too large for any request and ``--query``
expressions that fail are each refused naming what was wrong; a workspace directory that is a
file exits 253. Nothing is written to the workspace by any of them.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from engine.workspace import DATABASE_FILE
from tests.workspace.awscli_oracle import ask
from tests.workspace.cli_harness import Cli, make_cli

BAD_REGION = "../../x"
AWS_WORDS = f"Provided region_name '{BAD_REGION}' doesn't match a supported format."
CREATE = ("create-contact", "--alias", "x", "--type", "PERSONAL")


@pytest.fixture
def cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> Cli:
    cli = make_cli(tmp_path, monkeypatch, capsys)
    cli.ok("create-contact", "--alias", "akuam", "--type", "PERSONAL", "--plan", "Stages=[]")
    return cli


def journal_bytes(cli: Cli) -> bytes:
    return (cli.workspace / DATABASE_FILE).read_bytes()


def refused(cli: Cli, code: int, *argv: str) -> str:
    """Run ``argv``, which must exit ``code`` with no output, no traceback and nothing written;
    returns stderr without its surrounding blank lines."""
    before = journal_bytes(cli)
    result = cli(*argv)
    assert result.code == code, (result.code, result.err)
    assert result.out == ""
    assert "Traceback" not in result.err and "unexpected error" not in result.err
    assert journal_bytes(cli) == before
    return result.err.strip()


# -- regions and accounts --------------------------------------------------------------------------


def test_the_aws_cli_refuses_the_region_with_these_words_and_255(tmp_path: Path) -> None:
    env = {
        key: value for key, value in os.environ.items() if not key.startswith(("AWS_", "ESCSIM_"))
    }
    env.update(
        AWS_ACCESS_KEY_ID="testing",
        AWS_SECRET_ACCESS_KEY="testing",
        AWS_CONFIG_FILE=os.devnull,
        AWS_SHARED_CREDENTIALS_FILE=os.devnull,
    )
    done = subprocess.run(
        [sys.executable, "-m", "awscli", "ssm-contacts", "list-contacts", "--region", BAD_REGION,
         "--endpoint-url", "http://127.0.0.1:1"],
        capture_output=True, text=True, env=env, timeout=120, check=False,
    )  # fmt: skip
    assert (done.returncode, done.stderr.strip()) == (255, AWS_WORDS)


def test_a_region_option_that_is_not_a_region_exits_255(cli: Cli) -> None:
    assert refused(cli, 255, "list-contacts", "--region", BAD_REGION) == AWS_WORDS
    assert refused(cli, 255, *CREATE, "--plan", "Stages=[]", "--region", BAD_REGION) == AWS_WORDS
    assert "../../x" not in cli.ok("list-contacts").out


@pytest.mark.parametrize("variable", ["AWS_REGION", "AWS_DEFAULT_REGION"])
def test_a_region_from_the_environment_is_checked_too(
    cli: Cli, monkeypatch: pytest.MonkeyPatch, variable: str
) -> None:
    monkeypatch.setenv(variable, BAD_REGION)
    assert refused(cli, 255, "list-contacts") == AWS_WORDS


def test_a_region_from_the_profile_is_checked_too(
    cli: Cli, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    config = tmp_path / "aws-config"
    config.write_text(f"[default]\nregion = {BAD_REGION}\n")
    monkeypatch.setenv("AWS_CONFIG_FILE", str(config))
    assert refused(cli, 255, "list-contacts") == AWS_WORDS


def test_an_account_that_is_not_12_digits_exits_252(cli: Cli) -> None:
    message = refused(cli, 252, "list-contacts", "--account", "x")
    assert message.startswith("Provided account id 'x'") and "12 digits" in message


def test_workspace_init_checks_region_account_and_seed(cli: Cli, tmp_path: Path) -> None:
    where = ("--workspace", str(tmp_path / "fresh"))
    cases = [
        (255, ("--region", BAD_REGION), AWS_WORDS),
        (252, ("--account", "x"), "--account 'x' is not an AWS account id (12 digits)"),
        (252, ("--seed", str(2**64)), "--seed must be a whole number from 0 to"),
    ]
    for code, option, words in cases:
        result = cli("workspace", "init", *where, *option)
        assert result.code == code, result.err
        assert result.err.startswith("escsim workspace init: ") and words in result.err
        assert not (tmp_path / "fresh").exists()


# -- depth and size --------------------------------------------------------------------------------


def test_shorthand_nested_too_deeply_names_the_option(cli: Cli) -> None:
    lists = "Stages=" + "[" * 3000 + "]" * 3000
    braces = "Stages=[" + "{a=" * 2000 + "1" + "}" * 2000 + "]"
    for plan in (lists, braces):
        message = refused(cli, 252, *CREATE, "--plan", plan)
        assert message.startswith(
            "Error parsing parameter '--plan': the value nests deeper than 100 levels"
        )
        assert len(message.splitlines()) == 1


def test_shorthand_at_the_depth_limit_is_still_read(cli: Cli) -> None:
    plan = "Stages=[" + "[" * 99 + "]" * 99 + "]"
    message = refused(cli, 252, *CREATE, "--plan", plan)
    assert message.startswith("Parameter validation failed:")


@pytest.mark.parametrize("depth", [101, 3000, 100_000])
def test_json_nested_too_deeply_names_the_option(cli: Cli, depth: int) -> None:
    plan = '{"Stages": ' + "[" * depth + "]" * depth + "}"
    message = refused(cli, 252, *CREATE, "--plan", plan)
    assert message.startswith("Error parsing parameter '--plan': Invalid JSON: the value nests")
    document = '{"NextToken": ' + "[" * depth + "]" * depth + "}"
    message = refused(cli, 252, "list-contacts", "--cli-input-json", document)
    assert message.startswith("Error parsing parameter 'cli-input-json': Invalid JSON:")


def test_cli_input_yaml_nested_too_deeply_names_the_option(cli: Cli, tmp_path: Path) -> None:
    deep = "[" * 5000
    message = refused(cli, 252, "list-contacts", "--cli-input-yaml", deep)
    assert message == (
        "Error parsing parameter 'cli-input-yaml': Invalid YAML: the document nests deeper "
        "than 100 levels"
    )
    path = tmp_path / "deep.yaml"
    path.write_text("NextToken: " + "[" * 3000 + "]" * 3000)
    assert "nests deeper than 100 levels" in refused(
        cli, 252, "list-contacts", "--cli-input-yaml", f"file://{path}"
    )


def test_a_file_value_larger_than_any_request_is_not_read_to_its_end(cli: Cli) -> None:
    for value in ("file:///dev/zero", "fileb:///dev/zero"):
        message = refused(cli, 253, *CREATE, "--plan", value)
        assert message == (
            f"Unable to load paramfile {value}: it holds more than 4 MiB, more than any "
            "request may carry"
        )


# -- --query ---------------------------------------------------------------------------------------


def test_a_query_that_fails_on_the_response_exits_255_in_the_aws_cli_words(cli: Cli) -> None:
    response = cli.ok("list-contacts").json()
    queries = ["nosuch(Contacts)", "abs(Contacts)", "length(`1`)", "Contacts[0].Alias.foo(@)"]
    expected = ask(
        [
            {"op": "query_error", "output": "json", "command": "ListContacts",
             "data": response, "query": query}
            for query in queries
        ]
    )  # fmt: skip
    for query, words in zip(queries, expected, strict=True):
        assert words, query
        result = cli("list-contacts", "--query", query)
        assert (result.code, result.err, result.out) == (255, f"\n{words}\n", ""), query


def test_a_query_nested_too_deeply_is_a_bad_value(cli: Cli) -> None:
    query = "(" * 3000 + "Contacts" + ")" * 3000
    message = refused(cli, 252, "list-contacts", "--query", query)
    assert message == f"Bad value for --query {query}: maximum recursion depth exceeded"


# -- the workspace option --------------------------------------------------------------------------


def test_a_workspace_that_is_a_file_exits_253(cli: Cli, tmp_path: Path) -> None:
    named = tmp_path / "in.json"
    named.write_text("{}")
    for argv in (("list-contacts",), (*CREATE, "--plan", "Stages=[]")):
        message = refused(cli, 253, *argv, "--workspace", str(named))
        assert message == (
            f"escsim: {named} is a file, not a workspace directory (a workspace is a "
            f"directory holding {DATABASE_FILE})"
        )
    assert named.read_text() == "{}"
