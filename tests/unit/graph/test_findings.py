"""The findings catalogue: stable ids and names, severities, ordering and the JSON shape."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from engine.findings import CATALOGUE, Finding, FindingKind, find_kind, has_errors


def test_catalogue_keys_are_the_ids_of_their_entries() -> None:
    assert all(key == kind.id for key, kind in CATALOGUE.items())


def test_catalogue_ids_and_names_are_well_formed_and_unique() -> None:
    ids = [kind.id for kind in CATALOGUE.values()]
    names = [kind.name for kind in CATALOGUE.values()]
    assert all(re.fullmatch(r"G[0-9]{3}", kind_id) for kind_id in ids)
    assert all(re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", name) for name in names)
    assert len(set(ids)) == len(ids)
    assert len(set(names)) == len(names)


def test_every_why_is_one_sentence() -> None:
    for kind in CATALOGUE.values():
        assert kind.why.endswith("."), kind.id
        assert kind.why[0].isupper(), kind.id
        assert ". " not in kind.why, kind.id


@pytest.mark.parametrize(
    ("name", "severity"),
    [
        ("malformed-resource", "error"),
        ("malformed-field", "error"),
        ("duplicate-resource", "error"),
        ("malformed-target", "error"),
        ("dangling-channel-reference", "error"),
        ("dangling-contact-reference", "error"),
        ("foreign-channel-reference", "error"),
        ("dangling-rotation-reference", "error"),
        ("dangling-rotation-member", "error"),
        ("orphan-channel", "warning"),
        ("contact-target-in-personal-plan", "error"),
        ("channel-target-in-escalation-plan", "error"),
        ("nested-escalation", "error"),
        ("schedule-with-stages", "error"),
        ("rotations-outside-schedule", "error"),
        ("inactive-channel", "warning"),
        ("unused-channel", "warning"),
        ("unreachable-engaged-contact", "error"),
        ("unreachable-contact", "warning"),
        ("empty-personal-plan", "warning"),
        ("dead-stage", "error"),
        ("empty-stage", "warning"),
        ("escalation-without-stages", "error"),
        ("no-essential-target", "warning"),
        ("schedule-without-rotations", "error"),
        ("rotation-member-not-personal", "warning"),
        ("rotation-member-unreachable", "warning"),
        ("empty-rotation", "error"),
    ],
)
def test_catalogue_severity(name: str, severity: str) -> None:
    assert find_kind(name).severity == severity


def test_catalogue_lists_exactly_the_documented_kinds() -> None:
    # docs/findings.md is the users' list of finding ids; it must match the catalogue.
    doc = (Path(__file__).resolve().parents[3] / "docs" / "findings.md").read_text()
    documented = re.findall(r"^\| (G\d{3}) \| `([a-z-]+)` \| (error|warning) \|", doc, re.M)
    assert documented == [(k.id, k.name, k.severity) for k in CATALOGUE.values()]


def test_find_kind_accepts_id_or_name() -> None:
    assert find_kind("G101") is find_kind("dangling-channel-reference")
    assert find_kind("G101").name == "dangling-channel-reference"


def test_find_kind_names_an_unknown_key() -> None:
    with pytest.raises(KeyError, match="no-such-thing"):
        find_kind("no-such-thing")


@pytest.mark.parametrize(
    ("kind_id", "name", "severity", "problem"),
    [
        ("101", "x", "error", "G123"),
        ("G101", "Not_Kebab", "error", "kebab-case"),
        ("G101", "fine-name", "fatal", "severity"),
    ],
)
def test_finding_kind_rejects_bad_fields(
    kind_id: str, name: str, severity: str, problem: str
) -> None:
    with pytest.raises(ValueError, match=problem):
        FindingKind(kind_id, name, severity, "Why.")  # type: ignore[arg-type]


def test_kind_at_builds_a_finding_with_the_kind_severity() -> None:
    finding = find_kind("inactive-channel").at("contact-channel/a/u", "arn:x", "off")
    assert finding == Finding("G301", "warning", "contact-channel/a/u", "arn:x", "off")
    assert finding.name == "inactive-channel"
    assert finding.why == find_kind("G301").why
    assert not finding.is_error


def test_finding_rejects_an_unknown_kind() -> None:
    with pytest.raises(ValueError, match="G999"):
        Finding("G999", "error", "p", "s", "m")


def test_finding_rejects_a_severity_other_than_its_kinds() -> None:
    with pytest.raises(ValueError, match="G301"):
        Finding("G301", "error", "p", "s", "m")


def test_findings_sort_by_path_with_numeric_indices_then_by_id() -> None:
    later = find_kind("G501").at("contact/a.Plan.Stages[10]", "s", "m")
    same_path_high_id = find_kind("G502").at("contact/a.Plan.Stages[2]", "s", "m")
    same_path_low_id = find_kind("G501").at("contact/a.Plan.Stages[2]", "s", "m")
    nested = find_kind("G101").at("contact/a.Plan.Stages[2].Targets[0]", "s", "m")
    other_contact = find_kind("G403").at("contact/b.Plan.Stages", "s", "m")
    shuffled = [other_contact, later, nested, same_path_high_id, same_path_low_id]
    assert sorted(shuffled) == [
        same_path_low_id,
        same_path_high_id,
        nested,
        later,
        other_contact,
    ]


def test_finding_as_dict_is_json_with_fixed_keys() -> None:
    finding = find_kind("G101").at(
        "contact/akuam.Plan.Stages[1].Targets[0].ChannelTargetInfo.ContactChannelId",
        "arn:aws:ssm-contacts:us-east-2:111122223333:contact/akuam",
        "names a channel that does not exist",
    )
    data = finding.as_dict()
    assert list(data) == ["Id", "Name", "Severity", "Path", "Subject", "Message"]
    assert data["Id"] == "G101"
    assert data["Name"] == "dangling-channel-reference"
    assert data["Severity"] == "error"
    assert json.loads(json.dumps(data)) == data


def test_has_errors_ignores_warnings() -> None:
    warning = find_kind("inactive-channel").at("p", "s", "m")
    error = find_kind("dead-stage").at("p", "s", "m")
    assert not has_errors([warning])
    assert has_errors([warning, error])
    assert not has_errors([])
