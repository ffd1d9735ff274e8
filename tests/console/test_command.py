"""``escsim console SOURCE`` and the console of ``escsim serve``, as child processes."""

from __future__ import annotations

import re
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from engine.cli import exits
from engine.cli.main import main
from tests.console.conftest import SEED, get, start_engagement

ESCSIM = (sys.executable, "-m", "engine.cli.main")
CONSOLE_LINE = re.compile(r"escsim console at (http://127\.0\.0\.1:\d+)/_escsim/console\n")
LISTENING = re.compile(r"escsim listening on (http://127\.0\.0\.1:\d+)\n")


def _spawn(pattern: re.Pattern[str], *args: str) -> tuple[subprocess.Popen[str], str]:
    """The command started, once it has printed its address line; and the server's URL."""
    process = subprocess.Popen(
        [*ESCSIM, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    assert process.stdout is not None
    line = process.stdout.readline()
    match = pattern.fullmatch(line)
    if match is None:
        process.kill()
        _, err = process.communicate(timeout=30)
        raise AssertionError((line, err))
    return process, match.group(1)


def _stop(process: subprocess.Popen[str]) -> int:
    process.send_signal(signal.SIGTERM)
    process.communicate(timeout=30)
    return process.returncode


def test_console_serves_a_scenario_and_prints_its_address() -> None:
    process, url = _spawn(CONSOLE_LINE, "console", str(SEED), "--port", "0", "--quiet")
    try:
        start_engagement(url, PublicContent="from the command line")
        page = get(url)
        assert page.status == 200
        assert ">akuam</h2>" in page.text
        assert '<p class="bubble">from the command line</p>' in page.text
        assert '<time class="now" datetime="2026-01-01T09:00:00Z">' in page.text  # its start
    finally:
        assert _stop(process) == exits.OK


def test_console_serves_a_workspace(tmp_path: Path) -> None:
    workspace = tmp_path / "ws"
    init = subprocess.run(
        [*ESCSIM, "workspace", "init", "--from", str(SEED), "--workspace", str(workspace)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert init.returncode == 0, init.stderr
    process, url = _spawn(CONSOLE_LINE, "console", "--workspace", str(workspace), "--port", "0")
    try:
        assert ">anasi</h2>" in get(url).text
    finally:
        assert _stop(process) == exits.OK


def test_serve_has_the_console_too() -> None:
    process, url = _spawn(LISTENING, "serve", "--port", "0", "--quiet")
    try:
        page = get(url)
        assert page.status == 200
        assert "Nobody here yet" in page.text
    finally:
        assert _stop(process) == exits.OK


@pytest.mark.parametrize(
    "args",
    [["console"], ["console", str(SEED), "--workspace", "somewhere"]],
    ids=["no-source", "two-sources"],
)
def test_console_needs_exactly_one_source(
    args: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(args) == exits.BAD_ARGUMENTS
    assert "give a scenario file or --workspace DIR" in capsys.readouterr().err


def test_a_scenario_brings_its_own_start_account_and_region(
    capsys: pytest.CaptureFixture[str],
) -> None:
    argv = ["console", str(SEED), "--start", "2026-02-01T00:00:00Z", "--region", "eu-west-1"]
    assert main(argv) == exits.BAD_ARGUMENTS
    assert "--start, --region cannot be given with a scenario file" in capsys.readouterr().err


def test_a_missing_scenario_file_is_a_bad_file(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["console", "no-such.scenario.yaml"]) == exits.BAD_FILE
    assert "no-such.scenario.yaml" in capsys.readouterr().err


def test_a_remote_host_needs_allow_remote(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["console", str(SEED), "--host", "0.0.0.0"]) == exits.BAD_ARGUMENTS
    assert "--allow-remote" in capsys.readouterr().err


def test_console_serves_an_organisation_source(tmp_path: Path) -> None:
    template = SEED.parent / "cloudformation" / "payments-oncall.template.yaml"
    process, url = _spawn(CONSOLE_LINE, "console", f"cfn:{template}", "--port", "0", "--quiet")
    try:
        page = get(url)
        assert page.status == 200
        # One inbox per person of the template.
        assert page.text.count("</h2>") >= 10
    finally:
        assert _stop(process) == exits.OK


@pytest.mark.parametrize(
    ("product", "fixture"),
    [("pagerduty", "acme.json"), ("opsgenie", "acme.json"), ("goalert", "org.json")],
)
def test_console_serves_another_products_export(product: str, fixture: str) -> None:
    export = Path(__file__).resolve().parents[1] / "vendors" / product / "fixtures" / fixture
    process, url = _spawn(CONSOLE_LINE, "console", f"{product}:{export}", "--port", "0", "--quiet")
    try:
        page = get(url)
        assert page.status == 200
        # One inbox per person of the export (each fixture has six).
        assert page.text.count("</h2>") >= 6
    finally:
        assert _stop(process) == exits.OK
