"""The JSON Schema of scenario files: complete enough for editors, strict about unknown keys."""

from __future__ import annotations

import json
from typing import Any

from engine.knobs import KNOB_NAMES
from engine.scenario.model import OPERATION_NAMES
from engine.scenario.schema import scenario_schema


def _objects(node: Any) -> list[dict[str, Any]]:
    found = []
    if isinstance(node, dict):
        if node.get("type") == "object" and "properties" in node:
            found.append(node)
        for value in node.values():
            found.extend(_objects(value))
    elif isinstance(node, list):
        for value in node:
            found.extend(_objects(value))
    return found


def test_schema_is_json_with_a_draft_and_a_title() -> None:
    schema = scenario_schema()
    assert json.loads(json.dumps(schema)) == schema
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["title"] == "escsim scenario file"
    assert schema["required"] == ["version"]


def test_every_object_of_the_format_rejects_unknown_keys() -> None:
    objects = _objects(scenario_schema())
    assert len(objects) > 20
    assert all(node.get("additionalProperties") is False for node in objects)


def test_top_level_keys_are_offered() -> None:
    properties = scenario_schema()["properties"]
    for key in (
        "version",
        "name",
        "description",
        "start",
        "seed",
        "account",
        "region",
        "settings",
        "contacts",
        "channels",
        "responders",
        "script",
        "scenarios",
    ):
        assert key in properties


def test_steps_offer_every_operation() -> None:
    step = scenario_schema()["$defs"]["Step"]["properties"]
    assert set(OPERATION_NAMES) <= set(step)
    assert {"at", "id", "expect_error", "acknowledge"} <= set(step)
    assert len(OPERATION_NAMES) == 39


def test_settings_offer_every_knob_name() -> None:
    settings = scenario_schema()["properties"]["settings"]
    names = settings["anyOf"][0]["propertyNames"]["enum"]
    assert set(KNOB_NAMES) <= set(names)


def test_contacts_are_either_form() -> None:
    contacts = scenario_schema()["properties"]["contacts"]["anyOf"][0]
    kinds = {json.dumps(option, sort_keys=True) for option in contacts["oneOf"]}
    assert any('"$ref": "#/$defs/AwsContact"' in kind for kind in kinds)
    assert any('"$ref": "#/$defs/ShortContact"' in kind for kind in kinds)
