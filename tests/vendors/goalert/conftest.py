"""Shared helpers for the GoAlert importer's tests: the fixture and reading documents."""

from __future__ import annotations

import copy
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest

from engine.policy.model import OnCallSetup
from engine.scenario.yamlsource import parse_source, read_source
from engine.vendors import goalert

FIXTURE = Path(__file__).parent / "fixtures" / "org.json"


def read_document(document: object, settings: Mapping[str, str] | None = None) -> OnCallSetup:
    """``document`` (a parsed GoAlert document) read as if from a JSON file."""
    return goalert.read(parse_source(json.dumps(document), "org.json"), settings or {})


@pytest.fixture
def org() -> OnCallSetup:
    """The fixture organisation, read with the default settings."""
    return goalert.read(read_source(FIXTURE), {})


@pytest.fixture
def document() -> dict[str, Any]:
    """A fresh copy of the fixture document, to break in a test."""
    loaded: dict[str, Any] = json.loads(FIXTURE.read_text(encoding="utf-8"))
    return copy.deepcopy(loaded)
