"""Running ``escsim`` in tests: in-process with captured output, or as a child process.

The environment is cleared of everything that would make a result depend on the machine:
AWS region, profile and output settings, the user's AWS config file, ``ESCSIM_*`` variables.
"""

from __future__ import annotations

import dataclasses
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from engine.cli.main import main

__all__ = [
    "ESCALATION_SCENARIO",
    "PERSONAL_SCENARIO",
    "Cli",
    "Result",
    "clean_environment",
    "run_child",
]

ROOT = Path(__file__).resolve().parents[2]
PERSONAL_SCENARIO = ROOT / "scenarios" / "seed-personal-engagement.scenario.yaml"
ESCALATION_SCENARIO = ROOT / "scenarios" / "seed-escalation-engagement.scenario.yaml"

_CLEARED = (
    "AWS_REGION",
    "AWS_DEFAULT_REGION",
    "AWS_PROFILE",
    "AWS_DEFAULT_PROFILE",
    "AWS_DEFAULT_OUTPUT",
    "ESCSIM_ACCOUNT_ID",
    "ESCSIM_WORKSPACE",
)


@dataclasses.dataclass
class Result:
    """Exit code, stdout and stderr of one command."""

    code: int
    out: str
    err: str

    def json(self) -> Any:
        return json.loads(self.out)


def clean_environment(workspace: Path) -> dict[str, str]:
    """The process environment without AWS/escsim settings, using ``workspace``."""
    env = {key: value for key, value in os.environ.items() if key not in _CLEARED}
    env["AWS_CONFIG_FILE"] = str(workspace.parent / "no-aws-config")
    env["ESCSIM_WORKSPACE"] = str(workspace)
    return env


class Cli:
    """Calls ``escsim`` in-process; ``cli("list-contacts", "--output", "text")``."""

    def __init__(self, capsys: pytest.CaptureFixture[str], workspace: Path) -> None:
        self._capsys = capsys
        self.workspace = workspace

    def __call__(self, *argv: str) -> Result:
        self._capsys.readouterr()
        code = main(list(argv))
        captured = self._capsys.readouterr()
        return Result(code, captured.out, captured.err)

    def ok(self, *argv: str) -> Result:
        """Run and require exit 0 (the assertion message shows stderr)."""
        result = self(*argv)
        assert result.code == 0, result.err
        return result


def make_cli(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> Cli:
    """A :class:`Cli` on a fresh workspace under ``tmp_path``, environment isolated."""
    workspace = tmp_path / "ws"
    for key in _CLEARED:
        monkeypatch.delenv(key, raising=False)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "no-aws-config"))
    monkeypatch.setenv("ESCSIM_WORKSPACE", str(workspace))
    return Cli(capsys, workspace)


def run_child(
    argv: list[str], env: dict[str, str], *, timeout: float = 120, cwd: Path | None = None
) -> Result:
    """``escsim argv`` in a child process (``python -m engine.cli.main``)."""
    done = subprocess.run(
        [sys.executable, "-m", "engine.cli.main", *argv],
        capture_output=True,
        text=True,
        env=env,
        timeout=timeout,
        cwd=cwd,
        check=False,
    )
    return Result(done.returncode, done.stdout, done.stderr)
