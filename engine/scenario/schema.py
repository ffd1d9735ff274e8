"""The JSON Schema of the scenario format, for editors that complete and check YAML files."""

from __future__ import annotations

from engine.scenario.model import ScenarioFile

__all__ = ["scenario_schema"]


def scenario_schema() -> dict[str, object]:
    """The schema of a ``*.scenario.yaml`` file (JSON Schema draft 2020-12)."""
    schema = ScenarioFile.model_json_schema()
    schema.pop("description", None)
    ordered: dict[str, object] = {
        "$schema": schema.pop("$schema", "https://json-schema.org/draft/2020-12/schema"),
        "title": schema.pop("title", "escsim scenario file"),
        "description": "A scenario for escsim: run settings, an organisation of contacts and "
        "channels (AWS form or short form), responders and a timed script of AWS requests.",
    }
    ordered.update(schema)
    return ordered
