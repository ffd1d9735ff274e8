"""Finding one's way: ``escsim --help`` and ``escsim help`` name the operations, a mistyped
command gets close matches, and ``--workspace`` may come before any command."""

from __future__ import annotations

from pathlib import Path

import pytest

from engine.cli.aws.driver import operation_names
from engine.cli.main import COMMANDS
from tests.workspace.cli_harness import ESCALATION_SCENARIO, Cli, make_cli


@pytest.fixture
def cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> Cli:
    return make_cli(tmp_path, monkeypatch, capsys)


def test_help_names_every_operation_and_the_help_command(cli: Cli) -> None:
    shown = cli("--help")
    assert shown.code == 0
    text = " ".join(shown.out.split())  # argparse wraps lines
    for name in operation_names():
        assert name in text, name
    assert "`escsim help`" in text
    assert "escsim completion bash" in text
    assert "contacts: create-contact, delete-contact, get-contact, list-contacts" in text


def test_help_command_lists_operations_by_subject_and_the_commands(cli: Cli) -> None:
    listed = cli.ok("help").out
    assert "  channels:\n    activate-contact-channel\n" in listed
    assert "  engagements and pages:\n    accept-page\n" in listed
    for name in [*operation_names(), *COMMANDS]:
        assert f"  {name}\n" in listed


def test_a_mistyped_operation_gets_close_matches_not_every_choice(cli: Cli) -> None:
    typo = cli("start-engagment", "--contact-id", "x")
    assert typo.code == 252
    assert typo.err.endswith(
        "escsim: error: argument command: Invalid choice: 'start-engagment', maybe you meant:\n"
        "\n"
        "  * start-engagement\n"
        "  * stop-engagement\n"
    )
    assert "untag-resource" not in typo.err  # no dump of the 55 choices


def test_a_mistyped_escsim_command_gets_close_matches_too(cli: Cli) -> None:
    typo = cli("reviw", "x.scenario.yaml")
    assert typo.code == 252
    assert "maybe you meant:\n\n  * review\n" in typo.err


def test_a_word_like_nothing_points_to_escsim_help(cli: Cli) -> None:
    unknown = cli("frobnicate")
    assert unknown.code == 252
    assert "Invalid choice: 'frobnicate'; `escsim help` lists every operation and command" in (
        unknown.err
    )
    assert "maybe you meant" not in unknown.err and "list-contacts" not in unknown.err


def test_the_workspace_option_may_come_before_any_command(cli: Cli, tmp_path: Path) -> None:
    before = str(tmp_path / "before")
    created = cli.ok("--workspace", before, "workspace", "init", "--from", str(ESCALATION_SCENARIO))
    assert created.out.startswith(f"escsim workspace {before}:")
    assert cli.ok("--workspace", before, "clock", "advance", "5m").out.endswith("09:05:00+00:00\n")
    assert cli.ok("--workspace", before, "clock", "show").out == "2026-01-01T09:05:00+00:00\n"
    assert cli.ok("--workspace", before, "outbox").json() == []
    assert cli.ok("--workspace", before, "events", "--output", "jsonl").out.count("\n") > 0
    assert "example_escalation" in cli.ok("--workspace", before, "graph").out
    assert cli.ok("--workspace", before, "workspace", "show").json()["Region"] == "us-east-2"
    assert cli.ok("--workspace", before, "list-contacts", "--query", "length(Contacts)").out == (
        "4\n"
    )
    assert not cli.workspace.exists()  # the default ($ESCSIM_WORKSPACE) was never touched


def test_the_workspace_option_after_the_command_wins(cli: Cli, tmp_path: Path) -> None:
    first, second = str(tmp_path / "first"), str(tmp_path / "second")
    cli.ok("--workspace", first, "workspace", "init", "--start", "2026-01-01T00:00:00Z")
    cli.ok("workspace", "init", "--workspace", second, "--start", "2026-06-01T00:00:00Z")
    shown = cli.ok("--workspace", first, "clock", "show", "--workspace", second)
    assert shown.out == "2026-06-01T00:00:00+00:00\n"


def test_a_command_without_a_workspace_accepts_the_option(cli: Cli, tmp_path: Path) -> None:
    assert cli.ok("--workspace", str(tmp_path / "unused"), "schema").json()["title"]
