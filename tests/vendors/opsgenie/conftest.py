"""Fixtures for the Opsgenie importer tests: the Acme export and a way to read edited copies."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import pytest

from engine.policy.model import OnCallSetup
from engine.scenario.yamlsource import parse_source, read_source
from engine.vendors import opsgenie

FIXTURE = Path(__file__).parent / "fixtures" / "acme.json"


@pytest.fixture(scope="module")
def acme() -> OnCallSetup:
    """The Acme export read under the default settings."""
    return opsgenie.read(read_source(FIXTURE), {})


@pytest.fixture
def acme_doc() -> dict[str, Any]:
    """A fresh copy of the Acme export's document, to edit."""
    return copy.deepcopy(json.loads(FIXTURE.read_text(encoding="utf-8")))


Reader = Callable[..., OnCallSetup]


@pytest.fixture
def read_doc() -> Reader:
    """Read a document (dumped as JSON, as a user's file would be) under ``settings``."""

    def read(doc: object, settings: Mapping[str, str] | None = None) -> OnCallSetup:
        return opsgenie.read(parse_source(json.dumps(doc), "export.json"), settings or {})

    return read
