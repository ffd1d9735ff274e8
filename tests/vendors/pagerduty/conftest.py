"""The Acme fixture (a PagerDuty export written from the REST API v2 reference) and helpers to
read it, or a changed copy of it, the way a source is read."""

from __future__ import annotations

import copy
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest

from engine.policy.model import OnCallSetup
from engine.scenario.yamlsource import parse_source, read_source
from engine.vendors import pagerduty

FIXTURE = Path(__file__).parent / "fixtures" / "acme.json"


def acme_document() -> dict[str, Any]:
    """A fresh copy of the fixture's document, free to change."""
    return copy.deepcopy(json.loads(FIXTURE.read_text(encoding="utf-8")))


def read_document(document: object, settings: Mapping[str, str] | None = None) -> OnCallSetup:
    """``document`` written as JSON and read back as a PagerDuty export."""
    source = parse_source(json.dumps(document, indent=1), "export.json")
    return pagerduty.read(source, settings or {})


@pytest.fixture
def acme() -> OnCallSetup:
    return pagerduty.read(read_source(FIXTURE), {})


@pytest.fixture
def document() -> dict[str, Any]:
    return acme_document()
