"""Helpers for the organisation-source tests: the example templates and a template writer."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).resolve().parents[2] / "scenarios" / "cloudformation"
PAYMENTS_TEMPLATE = EXAMPLES / "payments-oncall.template.yaml"
PAYMENTS_SCENARIO = EXAMPLES / "payments-oncall.aws-form.yaml"
CDK_TEMPLATE = EXAMPLES / "cdk-oncall.template.json"

Write = Callable[..., str]


@pytest.fixture(autouse=True)
def wide_console(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tables as wide as a large terminal, whatever the machine's COLUMNS says."""
    monkeypatch.setenv("COLUMNS", "220")


@pytest.fixture
def write(tmp_path: Path) -> Write:
    """Write ``text`` to ``name`` in a temporary directory; returns the path as text."""

    def write_file(text: str, name: str = "stack.yaml") -> str:
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return str(path)

    return write_file
