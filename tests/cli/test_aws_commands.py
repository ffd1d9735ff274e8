"""Operation commands against a workspace: the seed's examples, lists, input forms, settings."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.workspace.awscli_oracle import ask
from tests.workspace.cli_harness import (
    ESCALATION_SCENARIO,
    PERSONAL_SCENARIO,
    Cli,
    clean_environment,
    make_cli,
    run_child,
)

# The two examples of the seed page (start-engagement, AWS CLI v2 reference), verbatim.
SEED_EXAMPLE_1 = """\
aws ssm-contacts start-engagement \\
    --contact-id  "arn:aws:ssm-contacts:us-east-2:111122223333:contact/akuam" \\
    --sender "cli" \\
    --subject "cli-test" \\
    --content "Testing engagements via CLI" \\
    --public-subject "cli-test" \\
    --public-content "Testing engagements va CLI"
"""
SEED_EXAMPLE_2 = """\
aws ssm-contacts start-engagement \\
    --contact-id  "arn:aws:ssm-contacts:us-east-2:111122223333:contact/example_escalation" \\
    --sender "cli" \\
    --subject "cli-test" \\
    --content "Testing engagements via CLI" \\
    --public-subject "cli-test" \\
    --public-content "Testing engagements va CLI"
"""
HERE = "arn:aws:ssm-contacts:us-east-1:111122223333"


@pytest.fixture
def cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> Cli:
    return make_cli(tmp_path, monkeypatch, capsys)


def _shell(example: str, env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    bin_dir = Path(sys.executable).parent
    script = example.replace("aws ssm-contacts", "escsim")
    return subprocess.run(
        ["bash", "-c", script],
        env={**env, "PATH": f"{bin_dir}{os.pathsep}{env.get('PATH', '')}"},
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.mark.parametrize(
    ("scenario", "example", "alias"),
    [
        (PERSONAL_SCENARIO, SEED_EXAMPLE_1, "akuam"),
        (ESCALATION_SCENARIO, SEED_EXAMPLE_2, "example_escalation"),
    ],
)
def test_seed_example_runs_verbatim_against_a_workspace(
    tmp_path: Path, scenario: Path, example: str, alias: str
) -> None:
    workspace = tmp_path / "ws"
    env = clean_environment(workspace)
    init = run_child(["workspace", "init", "--from", str(scenario)], env)
    assert init.code == 0, init.err
    done = _shell(example, env, tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    assert re.fullmatch(
        r'\{\n    "EngagementArn": "arn:aws:ssm-contacts:us-east-2:111122223333:engagement/'
        + alias
        + r'/[0-9a-f-]{36}"\n\}\n',
        done.stdout,
    )
    pages = run_child(
        ["list-pages-by-contact", "--contact-id",
         "arn:aws:ssm-contacts:us-east-2:111122223333:contact/akuam",
         "--query", "Pages[].EngagementArn", "--output", "text"],
        env,
    )  # fmt: skip
    assert pages.code == 0, pages.err
    assert pages.out.strip() == json.loads(done.stdout)["EngagementArn"]


def test_escalation_example_escalates_in_virtual_time(tmp_path: Path) -> None:
    env = clean_environment(tmp_path / "ws")
    assert run_child(["workspace", "init", "--from", str(ESCALATION_SCENARIO)], env).code == 0
    started = _shell(SEED_EXAMPLE_2, env, tmp_path)
    engagement = json.loads(started.stdout)["EngagementArn"]
    assert run_child(["clock", "advance", "20m"], env).code == 0
    pages = run_child(
        ["list-pages-by-engagement", "--engagement-id", engagement, "--query",
         "Pages[].[ContactArn,ReadTime]", "--output", "text"],
        env,
    )  # fmt: skip
    rows = [line.split("\t") for line in pages.out.splitlines()]
    # akuam (essential) reads at 7m, so anasi's stage never starts; alejr was paged at 5m.
    # Pages list newest first.
    assert [row[0].rsplit("/", 1)[-1] for row in rows] == ["alejr", "akuam"]
    assert rows[0][1] == "None"
    assert rows[1][1] == "2026-01-01T09:07:00+00:00"


@pytest.fixture
def seven_contacts(cli: Cli) -> Cli:
    for alias in ["g", "a", "e", "c", "b", "f", "d"]:
        cli.ok("create-contact", "--alias", alias, "--type", "PERSONAL", "--plan", "Stages=[]")
    return cli


def _aliases(result: object) -> list[str]:
    return [item["Alias"] for item in result.json()["Contacts"]]  # type: ignore[attr-defined]


def test_list_commands_follow_next_token_and_merge_pages(seven_contacts: Cli) -> None:
    merged = seven_contacts.ok("list-contacts", "--page-size", "2")
    assert _aliases(merged) == ["a", "b", "c", "d", "e", "f", "g"]
    assert "NextToken" not in merged.json()


def test_max_items_hands_out_a_token_that_starting_token_resumes(seven_contacts: Cli) -> None:
    first = seven_contacts.ok("list-contacts", "--max-items", "3", "--page-size", "2")
    assert _aliases(first) == ["a", "b", "c"]
    token = first.json()["NextToken"]
    rest = seven_contacts.ok("list-contacts", "--starting-token", token, "--page-size", "2")
    assert _aliases(rest) == ["d", "e", "f", "g"]


def test_no_paginate_makes_one_call_and_shows_the_service_token(seven_contacts: Cli) -> None:
    page = seven_contacts.ok("list-contacts", "--no-paginate", "--max-results", "2").json()
    assert [c["Alias"] for c in page["Contacts"]] == ["a", "b"]
    following = seven_contacts.ok(
        "list-contacts", "--max-results", "2", "--next-token", page["NextToken"]
    ).json()
    assert [c["Alias"] for c in following["Contacts"]] == ["c", "d"]


def test_list_output_in_text_table_and_yaml_matches_the_aws_cli(seven_contacts: Cli) -> None:
    import yaml

    data = seven_contacts.ok("list-contacts").json()
    queried = seven_contacts.ok("list-contacts", "--query", "Contacts[?Alias>'c'].Alias").json()
    assert queried == ["d", "e", "f", "g"]
    theirs = ask(
        [
            {"op": "format", "output": output, "command": "ListContacts", "data": data}
            for output in ("text", "table")
        ]
        + [
            {"op": "format", "output": "text", "command": "ListContacts", "data": data,
             "query": "Contacts[].[Alias,Type]"}
        ]
    )  # fmt: skip
    assert seven_contacts.ok("list-contacts", "--output", "text").out == theirs[0]
    assert seven_contacts.ok("list-contacts", "--output", "table").out == theirs[1]
    assert (
        seven_contacts.ok(
            "list-contacts", "--output", "text", "--query", "Contacts[].[Alias,Type]"
        ).out
        == theirs[2]
    )
    assert yaml.safe_load(seven_contacts.ok("list-contacts", "--output", "yaml").out) == data


def test_defer_activation_and_its_negation(cli: Cli) -> None:
    cli.ok("create-contact", "--alias", "akuam", "--type", "PERSONAL", "--plan", "Stages=[]")
    contact = f"{HERE}:contact/akuam"
    cli.ok(
        "create-contact-channel", "--contact-id", contact, "--name", "sms", "--type", "SMS",
        "--delivery-address", "SimpleAddress=+15005550100", "--defer-activation",
    )  # fmt: skip
    assert cli.ok("outbox").json() == []
    cli.ok(
        "create-contact-channel", "--contact-id", contact, "--name", "mail", "--type", "EMAIL",
        "--delivery-address", "SimpleAddress=akuam@example.com", "--no-defer-activation",
    )  # fmt: skip
    sent = cli.ok("outbox").json()
    assert [(m["Kind"], m["DeliveryAddress"]) for m in sent] == [
        ("ACTIVATION", "akuam@example.com")
    ]


def test_activation_code_read_from_the_outbox_activates_the_channel(cli: Cli) -> None:
    cli.ok("create-contact", "--alias", "akuam", "--type", "PERSONAL", "--plan", "Stages=[]")
    channel = cli.ok(
        "create-contact-channel", "--contact-id", f"{HERE}:contact/akuam", "--name", "sms",
        "--type", "SMS", "--delivery-address", "SimpleAddress=+15005550100",
    ).json()["ContactChannelArn"]  # fmt: skip
    code = cli.ok("outbox", "--output", "jsonl").out.splitlines()[-1]
    cli.ok(
        "activate-contact-channel", "--contact-channel-id", channel,
        "--activation-code", json.loads(code)["Code"],
    )  # fmt: skip
    status = cli.ok(
        "get-contact-channel", "--contact-channel-id", channel, "--query", "ActivationStatus",
        "--output", "text",
    )  # fmt: skip
    assert status.out == "ACTIVATED\n"


def test_timestamps_are_taken_in_iso_8601_or_epoch_seconds(cli: Cli) -> None:
    cli.ok("workspace", "init", "--start", "2026-01-01T09:00:00Z")
    cli.ok("create-contact", "--alias", "akuam", "--type", "PERSONAL", "--plan", "Stages=[]")
    cli.ok(
        "start-engagement", "--contact-id", f"{HERE}:contact/akuam", "--sender", "s",
        "--subject", "s", "--content", "c",
    )  # fmt: skip
    inside = "StartTime=2026-01-01T08:00:00Z,EndTime=1767261600"
    outside = "StartTime=1767261600,EndTime=2026-01-01T11:00:00+00:00"
    assert len(cli.ok("list-engagements", "--time-range-value", inside).json()["Engagements"]) == 1
    assert cli.ok("list-engagements", "--time-range-value", outside).json()["Engagements"] == []
    bad = cli("list-engagements", "--time-range-value", "StartTime=yesterday")
    assert bad.code == 252
    assert "Invalid type for parameter TimeRangeValue.StartTime, value: yesterday" in bad.err


def test_command_line_values_override_cli_input_json(cli: Cli, tmp_path: Path) -> None:
    document = {"Alias": "fromfile", "Type": "PERSONAL", "Plan": {"Stages": []}}
    path = tmp_path / "input.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    created = cli.ok("create-contact", "--cli-input-json", f"file://{path}", "--alias", "override")
    assert created.json()["ContactArn"] == f"{HERE}:contact/override"
    inline = cli.ok("create-contact", "--cli-input-json", json.dumps(document))
    assert inline.json()["ContactArn"] == f"{HERE}:contact/fromfile"


def test_region_comes_from_option_environment_profile_then_workspace(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = tmp_path / "aws-config"
    config.write_text(
        "[default]\nregion = eu-west-1\n\n[profile other]\nregion = ap-south-1\noutput = text\n",
        encoding="utf-8",
    )
    monkeypatch.setenv("AWS_CONFIG_FILE", str(config))
    create = [
        "create-contact",
        "--type",
        "PERSONAL",
        "--plan",
        "Stages=[]",
        "--query",
        "ContactArn",
    ]
    assert ":eu-west-1:" in cli.ok(*create, "--alias", "a").out
    assert "ap-south-1" in cli.ok(*create, "--alias", "b", "--profile", "other").out
    monkeypatch.setenv("AWS_PROFILE", "other")
    assert cli.ok(*create, "--alias", "c").out.startswith("arn:aws:ssm-contacts:ap-south-1:")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-west-1")
    assert ":us-west-1:" in cli.ok(*create, "--alias", "d").out
    monkeypatch.setenv("AWS_REGION", "ca-central-1")
    assert ":ca-central-1:" in cli.ok(*create, "--alias", "e").out
    assert ":sa-east-1:" in cli.ok(*create, "--alias", "f", "--region", "sa-east-1").out


def test_region_defaults_to_the_workspace_then_account_from_option(cli: Cli) -> None:
    cli.ok("workspace", "init", "--region", "us-east-2", "--account", "444455556666")
    arn = cli.ok(
        "create-contact", "--alias", "a", "--type", "PERSONAL", "--plan", "Stages=[]"
    ).json()["ContactArn"]
    assert arn == "arn:aws:ssm-contacts:us-east-2:444455556666:contact/a"
    other = cli.ok(
        "create-contact", "--alias", "a", "--type", "PERSONAL", "--plan", "Stages=[]",
        "--account", "777788889999",
    ).json()["ContactArn"]  # fmt: skip
    assert other == "arn:aws:ssm-contacts:us-east-2:777788889999:contact/a"


@pytest.mark.parametrize("form", [["help"], ["--help"]])
def test_help_describes_each_option_from_the_registry(cli: Cli, form: list[str]) -> None:
    result = cli.ok("create-contact-channel", *form)
    text = result.out
    assert text.startswith("create-contact-channel\n======================\n")
    assert "Adds an SMS, voice or email channel to a personal contact." in text
    assert "  --contact-id (string, required)" in text
    assert "  --defer-activation | --no-defer-activation (boolean, optional)" in text
    assert "Limits: one of SMS, VOICE, EMAIL" in text
    assert "SimpleAddress=string" in text
    assert "--no-verify-ssl" in text


def test_version_prints_the_escsim_version(cli: Cli) -> None:
    from engine import __version__

    assert cli.ok("list-contacts", "--version").out == f"escsim {__version__}\n"


def test_debug_logs_to_stderr_only(tmp_path: Path) -> None:
    env = clean_environment(tmp_path / "ws")
    result = run_child(["list-contacts", "--debug"], env)
    assert result.code == 0
    assert json.loads(result.out) == {"Contacts": []}
    assert "replayed 0 journal entries" in result.err


def test_network_only_options_are_accepted_and_change_nothing(cli: Cli) -> None:
    plain = cli.ok("list-contacts").out
    assert (
        cli.ok(
            "list-contacts", "--no-verify-ssl", "--ca-bundle", "/nonexistent", "--no-sign-request",
            "--cli-read-timeout", "5", "--cli-connect-timeout", "5", "--no-cli-pager",
            "--cli-binary-format", "base64", "--color", "off",
        ).out
        == plain
    )  # fmt: skip


def test_global_options_may_come_before_the_operation(cli: Cli) -> None:
    cli.ok("create-contact", "--alias", "a", "--type", "PERSONAL", "--plan", "Stages=[]")
    result = cli.ok("--output", "text", "--query", "Contacts[].Alias", "list-contacts")
    assert result.out == "a\n"


def test_empty_output_operations_print_nothing(cli: Cli) -> None:
    cli.ok("create-contact", "--alias", "a", "--type", "PERSONAL", "--plan", "Stages=[]")
    assert cli.ok("delete-contact", "--contact-id", f"{HERE}:contact/a").out == ""


def test_reads_do_not_write_the_journal(cli: Cli) -> None:
    cli.ok("create-contact", "--alias", "a", "--type", "PERSONAL", "--plan", "Stages=[]")
    cli.ok("list-contacts")
    cli.ok("get-contact", "--contact-id", f"{HERE}:contact/a")
    assert cli.ok("workspace", "show").json()["Journal"] == {"request": 1}


def test_help_alone_lists_the_operations_and_commands(cli: Cli) -> None:
    text = cli.ok("help").out
    assert "  start-engagement\n" in text and "  workspace\n" in text


_IMPORTS = """
import sys
from engine.cli.main import main
code = main(sys.argv[1:])
heavy = sorted(m for m in sys.modules
               if m.split(".")[0] in ("rich", "networkx") or m.startswith("engine.scenario"))
print("HEAVY", heavy)
sys.exit(code)
"""


def test_an_operation_command_imports_neither_rich_networkx_nor_scenarios(tmp_path: Path) -> None:
    env = clean_environment(tmp_path / "ws")
    assert run_child(["workspace", "init", "--from", str(PERSONAL_SCENARIO)], env).code == 0
    done = subprocess.run(
        [sys.executable, "-c", _IMPORTS, "start-engagement", "--contact-id",
         "arn:aws:ssm-contacts:us-east-2:111122223333:contact/akuam", "--sender", "cli",
         "--subject", "s", "--content", "c"],
        env=env, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "HEAVY []" in done.stdout
