"""Naming an account: ``account:``, ``account:PROFILE`` or ``account:NAME=VALUE,...``, the
command line's ``--profile``/``--region``/``--endpoint-url``, and ``workspace init
--from-account``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from engine.cli.main import main
from engine.sources import SourceOptions, load_organisation
from engine.sources.account import parse_spec
from tests.sources.account.conftest import WINDOW, Served


@pytest.mark.parametrize(
    ("rest", "settings"),
    [
        ("", {}),
        ("prod", {"profile": "prod"}),
        ("profile=prod", {"profile": "prod"}),
        (
            "profile=prod,region=eu-west-1,endpoint-url=http://127.0.0.1:4566",
            {"profile": "prod", "region": "eu-west-1", "endpoint-url": "http://127.0.0.1:4566"},
        ),
    ],
)
def test_spec_forms(rest: str, settings: dict[str, str]) -> None:
    assert parse_spec(rest) == settings


def test_the_spec_wins_over_the_command_line(served: Served) -> None:
    # The command line names a closed port and another region; the spec's own settings win.
    options = SourceOptions(region="eu-west-1", endpoint_url="http://127.0.0.1:9")
    (read,) = load_organisation(served.spec(), options)
    assert read.region == "us-east-1"
    assert len(read.organisation.contacts) == 15


def test_the_command_line_options(served: Served, capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["validate", "account:", "--region", "us-east-1", "--endpoint-url", served.url]
    assert main([*argv, "--output", "json"]) in (0, 1)
    captured = capsys.readouterr()
    document = json.loads(captured.out)
    assert document["scenarios"][0]["scenario"] == "account-111122223333-us-east-1"
    # The note says once what was read, and that channels keep the account's status.
    assert captured.err.count("read account 111122223333, region us-east-1") == 1
    assert "1 not activated, as the account has them; --channels does not apply" in captured.err


def test_a_profile(served: Served, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config, credentials = tmp_path / "config", tmp_path / "credentials"
    config.write_text("[profile oncall]\nregion = us-east-1\n", encoding="utf-8")
    credentials.write_text(
        "[oncall]\naws_access_key_id = AKIDPROFILE\naws_secret_access_key = s\n",
        encoding="utf-8",
    )
    monkeypatch.setenv("AWS_CONFIG_FILE", str(config))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(credentials))
    monkeypatch.delenv("AWS_ACCESS_KEY_ID")
    monkeypatch.delenv("AWS_SECRET_ACCESS_KEY")
    (read,) = load_organisation("account:oncall", SourceOptions(endpoint_url=served.url))
    assert read.region == "us-east-1"
    assert len(read.organisation.contacts) == 15


def test_workspace_init_from_account(
    served: Served, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    workspace = tmp_path / "ws"
    argv = ["workspace", "init", "--workspace", str(workspace), "--from-account"]
    where = ["--region", "us-east-1", "--endpoint-url", served.url, "--start", WINDOW[1]]
    assert main([*argv, *where]) == 0
    out = capsys.readouterr().out
    assert "account 111122223333, region us-east-1" in out
    assert "15 contacts, 24 channels, 2 rotations" in out
    # The window starts at --start: the three overrides of the first sixty days, and June's.
    code = main(["--workspace", str(workspace), "list-rotations"])
    rotations = json.loads(capsys.readouterr().out)["Rotations"]
    assert code == 0 and len(rotations) == 2
    for rotation in rotations:
        listed = [
            "--workspace", str(workspace), "list-rotation-overrides",
            "--rotation-id", rotation["RotationArn"],
            "--start-time", "2026-01-01T00:00:00Z", "--end-time", "2026-12-31T00:00:00Z",
        ]  # fmt: skip
        assert main(listed) == 0
        overrides = json.loads(capsys.readouterr().out)["RotationOverrides"]
        assert len(overrides) == 2


def test_from_and_from_account_exclude_each_other(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["workspace", "init", "--workspace", str(tmp_path), "--from", "x", "--from-account"]
    assert main(argv) == 252
    assert "not allowed with argument" in capsys.readouterr().err


def test_diff_an_account_against_its_scenario_file(
    served: Served, organisation_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run = ["diff", *WINDOW, "--replications", "2", "--no-progress", "--output", "json"]
    code = main([*run, str(organisation_file), served.spec(), "--fail-on-regression"])
    document = json.loads(capsys.readouterr().out)
    assert code == 0, document


FROM = "2026-01-05T00:00:00Z"


@pytest.mark.parametrize(
    ("argv", "window"),
    [
        (["validate", "S"], (None, None)),
        (["review", "S", "--from", FROM, "--to", "60d"], (FROM, "60d")),
        (["diff", "S", "S", "--from", FROM], (FROM, None)),
        (["equivalence", "S", "S", "--from", FROM, "--window", "2y"], (FROM, "730d")),
        (["equivalence", "S", "S", "--from", FROM, "--window", "90d"], (FROM, "90d")),
        (["coverage", "S", "--from", FROM, "--to", "7d"], (FROM, "7d")),
        (["shifts", "S", "R", "--from", FROM], (FROM, None)),
        (["graph", "S"], (None, None)),
        (["workspace", "init", "--from-account", "--start", FROM], (FROM, None)),
    ],
)
def test_every_source_command_takes_the_account_options(
    argv: list[str], window: tuple[str | None, str | None]
) -> None:
    from engine.cli.main import build_parser
    from engine.cli.sources import source_options

    given = ["--profile", "oncall", "--endpoint-url", "http://127.0.0.1:9", "--redact"]
    if argv[0] != "workspace":  # whose own --region is the source's too
        given += ["--region", "eu-west-1"]
    args = build_parser([argv[0]]).parse_args([*argv, *given])
    options = source_options(args, "escsim")
    assert (options.profile, options.endpoint_url, options.redact) == (
        "oncall",
        "http://127.0.0.1:9",
        True,
    )
    assert options.region == (None if argv[0] == "workspace" else "eu-west-1")
    assert (options.window_from, options.window_to) == window


def test_equivalence_of_an_account_and_its_scenario_file(
    served: Served, organisation_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # A year from FROM holds all four overrides, the June one too: the account reads them all.
    run = ["equivalence", "--from", FROM, "--window", "1y", "--no-statistics", "--output", "json"]
    code = main([*run, str(organisation_file), served.spec()])
    document = json.loads(capsys.readouterr().out)
    assert (code, document["equivalent"]) == (0, True)
    assert document["checked"]["policies"] == 3
