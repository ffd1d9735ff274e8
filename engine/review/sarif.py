"""Findings as SARIF 2.1.0, for code scanning (``--output sarif`` of validate, review and diff).

One run whose tool driver is escsim, with every kind of the findings catalogue
(``engine.findings``) as a rule: its id, kebab-case name, severity as the default level, and its
reason as the help text. Each finding is a result of its rule with level ``error`` or
``warning`` (the catalogue has no lower severity, so ``note`` is not used), its message, and a
location: the input file (or the finding's own ``File``) relative to the working directory, the
line of the finding when the input is a file that says where it sits, and the organisation path
(``contact/akuam.Plan``) as a logical location. A partial fingerprint of rule and path lets code
scanning follow a finding across commits. Output is deterministic: rules in catalogue order,
results in the findings' order.
"""

from __future__ import annotations

import hashlib
import os
import urllib.parse
from collections.abc import Mapping, Sequence
from typing import TypedDict

from engine import __version__
from engine.findings import CATALOGUE
from engine.sources import is_live, split_spec

__all__ = ["SCHEMA_URI", "artifact_uri", "sarif_log", "sarif_log_of_files"]

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
_RULE_INDEX = {kind_id: index for index, kind_id in enumerate(CATALOGUE)}


class _Text(TypedDict):
    text: str


class _Rule(TypedDict):
    id: str
    name: str
    shortDescription: _Text
    fullDescription: _Text
    help: _Text
    defaultConfiguration: dict[str, str]
    properties: dict[str, list[str]]


def artifact_uri(path: str) -> str | None:
    """The input file as a URI reference relative to the working directory (as code scanning
    reads it, from the repository's top); a path outside it stays as given. A source's kind
    prefix (``cfn:``) is not part of the file's name; a source that is no file (``account:``)
    has none, and its findings name their resource's ARN as a logical location."""
    if is_live(path):
        return None
    _kind, path = split_spec(path)
    relative = os.path.relpath(path) if os.path.isabs(path) else os.path.normpath(path)
    if relative.startswith(".."):
        relative = path
    return urllib.parse.quote(relative.replace(os.sep, "/"))


def _rules() -> list[_Rule]:
    return [
        {
            "id": kind.id,
            "name": kind.name,
            "shortDescription": {"text": kind.name.replace("-", " ")},
            "fullDescription": {"text": kind.why},
            "help": {"text": f"{kind.why} See docs/findings.md ({kind.id})."},
            "defaultConfiguration": {"level": kind.severity},
            "properties": {"tags": ["escsim", kind.id[:2] + "xx"]},
        }
        for kind in CATALOGUE.values()
    ]


def _uri(finding: Mapping[str, object], uri: str | None) -> str | None:
    """Where a finding sits: its own ``File`` when it names one (a source of several files),
    else the input's."""
    own = finding.get("File")
    return artifact_uri(own) if isinstance(own, str) and own else uri


def _result(finding: Mapping[str, object], uri: str | None) -> dict[str, object]:
    uri = _uri(finding, uri)
    kind_id = str(finding.get("Id"))
    path = str(finding.get("Path", ""))
    location: dict[str, object] = {}
    if uri is not None:
        physical: dict[str, object] = {"artifactLocation": {"uri": uri}}
        line = finding.get("Line")
        if isinstance(line, int) and line >= 1:
            physical["region"] = {"startLine": line}
        location["physicalLocation"] = physical
    # Without a file, a located finding (a live account's) names its resource by full ARN.
    where = finding.get("Location") if uri is None else None
    name = where if isinstance(where, str) and where else path
    if name:
        location["logicalLocations"] = [{"fullyQualifiedName": name, "kind": "resource"}]
    digest = hashlib.sha256(f"{kind_id}\0{path}".encode()).hexdigest()[:32]
    result: dict[str, object] = {
        "ruleId": kind_id,
        "ruleIndex": _RULE_INDEX[kind_id],
        "level": "error" if finding.get("Severity") == "error" else "warning",
        "message": {"text": str(finding.get("Message", ""))},
        "partialFingerprints": {"escsimFinding/v1": digest},
    }
    if location:
        result["locations"] = [location]
    return result


def sarif_log(findings: Sequence[Mapping[str, object]], uri: str | None) -> dict[str, object]:
    """A SARIF 2.1.0 log of ``findings`` (records as the JSON outputs write them: ``Id``,
    ``Severity``, ``Message``, ``Path``, ``Line``, and ``File`` when a finding names its own
    file) found in the file at ``uri`` (None for an input that is no file, such as a
    workspace)."""
    return sarif_log_of_files([(uri, findings)])


def sarif_log_of_files(
    files: Sequence[tuple[str | None, Sequence[Mapping[str, object]]]],
) -> dict[str, object]:
    """One SARIF run over several inputs: each file's URI (or None) with its findings."""
    uris: list[str] = []  # every input, then any other file a finding names, in order
    for uri, findings in files:
        for found in (uri, *(_uri(finding, uri) for finding in findings)):
            if found is not None and found not in uris:
                uris.append(found)
    run: dict[str, object] = {
        "tool": {
            "driver": {
                "name": "escsim",
                "version": __version__,
                "rules": _rules(),
            }
        },
        "results": [_result(finding, uri) for uri, findings in files for finding in findings],
    }
    if uris:
        run["artifacts"] = [{"location": {"uri": uri}} for uri in uris]
    return {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}
