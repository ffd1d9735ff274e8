"""The project's example templates are valid CloudFormation, as cfn-lint judges (no network)."""

from __future__ import annotations

from pathlib import Path

import pytest
from cfnlint.api import lint_file

from tests.sources.conftest import EXAMPLES

TEMPLATES = sorted(EXAMPLES.glob("*.template.*"))


def test_the_examples_are_there() -> None:
    assert {path.name for path in TEMPLATES} >= {
        "payments-oncall.template.yaml",
        "cdk-oncall.template.json",
    }


@pytest.mark.parametrize("template", TEMPLATES, ids=[path.name for path in TEMPLATES])
def test_cfn_lint_finds_nothing(template: Path) -> None:
    matches = lint_file(template)
    assert [str(match) for match in matches] == []
