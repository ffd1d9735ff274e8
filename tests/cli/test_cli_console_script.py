"""The installed ``escsim`` console script, run as a separate process on the seed scenarios."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.cli.conftest import ESCALATION, PERSONAL

VENV_SCRIPT = Path(sys.executable).with_name("escsim")
ESCSIM = str(VENV_SCRIPT) if VENV_SCRIPT.exists() else shutil.which("escsim")

pytestmark = pytest.mark.skipif(ESCSIM is None, reason="the escsim console script is not installed")


def escsim(*args: str) -> subprocess.CompletedProcess[str]:
    assert ESCSIM is not None
    env = {**os.environ, "COLUMNS": "220"}
    return subprocess.run(
        [ESCSIM, *args], capture_output=True, text=True, timeout=120, check=False, env=env
    )


@pytest.mark.parametrize("path", [PERSONAL, ESCALATION])
def test_seed_scenarios_run_to_identical_json(path: Path) -> None:
    first = escsim("run", str(path), "--output", "json")
    second = escsim("run", str(path), "--output", "json")
    assert (first.returncode, first.stderr) == (0, "")
    assert first.stdout == second.stdout
    assert json.loads(first.stdout)["scenario"]["name"] == path.name.removesuffix(".scenario.yaml")


def test_human_output_and_a_bad_file(tmp_path: Path) -> None:
    shown = escsim("run", str(ESCALATION))
    assert shown.returncode == 0
    assert "acknowledged by akuam at 7m" in shown.stdout
    bad = tmp_path / "bad.scenario.yaml"
    bad.write_text("version: 1\nname: bad\nsettings: {repeat: 99}\n", encoding="utf-8")
    failed = escsim("run", str(bad))
    assert failed.returncode == 252
    assert failed.stderr == (
        f"{bad}:3: settings.repeat: must be an integer from 0 to 10 (got 99)\n"
    )


def test_version() -> None:
    done = escsim("--version")
    assert (done.returncode, done.stdout) == (0, "escsim 0.2.0\n")
