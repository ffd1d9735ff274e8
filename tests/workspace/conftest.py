"""Fixtures of the workspace tests: a command line on an isolated workspace, and a healthy one."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.workspace.cli_harness import Cli, make_cli
from tests.workspace.tamper import healthy_workspace


@pytest.fixture
def cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> Cli:
    """``escsim`` in process on ``tmp_path/ws``, the machine's AWS and escsim settings cleared."""
    return make_cli(tmp_path, monkeypatch, capsys)


@pytest.fixture
def database(cli: Cli) -> Path:
    """The database file of a healthy workspace (see ``healthy_workspace``) in ``cli``'s."""
    return healthy_workspace(cli.workspace)
