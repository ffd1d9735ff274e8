"""A workspace made by escsim 0.1 meets escsim 0.2, whose defaults and rules changed: it is refused
whole (exit 253, both versions named, the file untouched), as docs/semantics.md says."""

from __future__ import annotations

import sqlite3
import tomllib
from pathlib import Path

import pytest

from engine import __version__
from engine.cli.main import main
from engine.workspace import DATABASE_FILE


def made_by(version: str, directory: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    assert main(["workspace", "init", "--workspace", str(directory)]) == 0
    capsys.readouterr()
    database = directory / DATABASE_FILE
    with sqlite3.connect(database) as connection:
        connection.execute("UPDATE header SET escsim = ?", (version,))
    connection.close()
    return database


@pytest.mark.parametrize(
    "command",
    [["list-contacts"], ["workspace", "show"], ["workspace", "export"], ["clock", "show"]],
    ids=" ".join,
)
def test_a_0_1_workspace_is_refused_whole_naming_both_versions(
    command: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    database = made_by("0.1.0", tmp_path / "ws", capsys)
    before = database.read_bytes()
    assert main([*command, "--workspace", str(tmp_path / "ws")]) == 253
    err = capsys.readouterr().err
    assert "escsim 0.1.0" in err and f"escsim {__version__}" in err
    assert database.read_bytes() == before


def test_the_package_and_its_metadata_name_the_same_version() -> None:
    root = Path(__file__).resolve().parents[2]
    pyproject = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))
    assert pyproject["project"]["version"] == __version__ == "0.2.0"
