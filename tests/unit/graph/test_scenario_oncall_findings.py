"""Findings about rotations, schedules and overrides: the graph's checks and ``escsim validate``."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from engine.cli.main import main
from engine.graph import ContactGraph
from tests.builders import Org, contact_arn

PREFIX = "arn:aws:ssm-contacts:us-east-2:111122223333:"
ROTATION = f"{PREFIX}rotation/11111111-2222-3333-4444-555555555555"
OVERRIDE = "22222222-2222-3333-4444-555555555555"


def person(alias: str) -> dict[str, Any]:
    return {
        "ContactArn": contact_arn(alias),
        "Alias": alias,
        "Type": "PERSONAL",
        "Plan": {"Stages": []},
    }


def rotation(members: list[str]) -> dict[str, Any]:
    return {"RotationArn": ROTATION, "Name": "primary", "ContactIds": members}


def override(**fields: Any) -> dict[str, Any]:
    record = {
        "RotationOverrideId": OVERRIDE,
        "RotationArn": ROTATION,
        "NewContactIds": [contact_arn("akuam")],
        "StartTime": "2026-01-02T00:00:00Z",
        "EndTime": "2026-01-02T01:00:00Z",
    }
    record.update(fields)
    return record


def findings(overrides: list[Any], members: tuple[str, ...] = ("akuam",)) -> list[dict[str, str]]:
    graph = ContactGraph.from_resources(
        [person("akuam"), person("alejr")],
        [],
        [rotation([contact_arn(m) for m in members])],
        overrides,
    )
    return [
        f.as_dict()
        for f in graph.validate()
        if f.kind.startswith("G7") or f.kind in ("G001", "G002", "G003")
    ]


def test_an_override_naming_a_member_is_fine() -> None:
    assert findings([override()]) == []


def test_an_override_naming_a_non_member_is_an_error() -> None:
    (found,) = findings([override(NewContactIds=[contact_arn("alejr")])])
    assert found["Id"] == "G701" and found["Severity"] == "error"
    assert found["Path"] == f"override/{OVERRIDE}.NewContactIds[0]"
    assert found["Subject"] == ROTATION
    assert "puts alejr on call from 2026-01-02T00:00:00+00:00" in found["Message"]
    assert "(members: akuam)" in found["Message"]


def test_an_override_naming_nobody_is_a_warning() -> None:
    (found,) = findings([override(NewContactIds=[])])
    assert (found["Id"], found["Severity"]) == ("G702", "warning")
    assert found["Path"] == f"override/{OVERRIDE}.NewContactIds"


def test_an_override_of_a_missing_rotation_is_a_warning() -> None:
    other = f"{PREFIX}rotation/99999999-2222-3333-4444-555555555555"
    (found,) = findings([override(RotationArn=other)])
    assert (found["Id"], found["Subject"]) == ("G703", other)


def test_an_override_ending_before_it_starts_covers_no_time() -> None:
    (found,) = findings([override(EndTime="2026-01-01T00:00:00Z")])
    assert found["Id"] == "G704"
    assert found["Path"] == f"override/{OVERRIDE}.EndTime"


@pytest.mark.parametrize(
    ("record", "kind", "path"),
    [
        (override(RotationOverrideId=None), "G001", "overrides[0].RotationOverrideId"),
        (override(RotationArn="rotation/x"), "G001", "overrides[0].RotationArn"),
        (override(StartTime="soon"), "G002", f"override/{OVERRIDE}.StartTime"),
        (override(NewContactIds="akuam"), "G002", f"override/{OVERRIDE}.NewContactIds"),
    ],
)
def test_unreadable_override_records_are_reported(
    record: dict[str, Any], kind: str, path: str
) -> None:
    assert [(f["Id"], f["Path"]) for f in findings([record])] == [(kind, path)]


def test_a_repeated_override_id_is_reported_once_and_ignored() -> None:
    found = findings([override(), override(NewContactIds=[contact_arn("alejr")])])
    assert [(f["Id"], f["Path"]) for f in found] == [("G003", "overrides[1].RotationOverrideId")]


def test_timestamps_are_read_as_the_cli_boto3_and_the_wire_give_them() -> None:
    import datetime as dt

    moments: list[Any] = [
        "2026-01-02T00:00:00Z",
        dt.datetime(2026, 1, 2, tzinfo=dt.UTC),
        1767312000.0,
    ]
    for moment in moments:
        assert findings([override(StartTime=moment)]) == []


def test_overrides_are_edges_from_their_rotation_to_whom_they_put_on_call() -> None:
    graph = ContactGraph.from_resources(
        [person("akuam")], [], [rotation([contact_arn("akuam")])], [override()]
    )
    edges = [
        (source, target, data["override_id"])
        for source, target, data in graph.nx_graph.edges(data=True)
        if data["relation"] == "override"
    ]
    assert edges == [(ROTATION, contact_arn("akuam"), OVERRIDE)]


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=5),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner),
    max_leaves=8,
)


@given(
    st.lists(
        json_values
        | st.fixed_dictionaries(
            {
                "RotationOverrideId": json_values,
                "RotationArn": json_values,
                "NewContactIds": json_values,
                "StartTime": json_values,
                "EndTime": json_values,
            }
        ),
        max_size=3,
    )
)
def test_any_override_records_give_findings_never_an_exception(records: list[Any]) -> None:
    graph = ContactGraph.from_resources([], [], [], records)
    graph.validate()


def test_a_member_removed_after_its_override_is_found_in_an_export(org: Org) -> None:
    for alias in ("akuam", "alejr"):
        org.person(alias)
    arn = org.rotation("primary", ["akuam", "alejr"])
    org.client.create_rotation_override(
        RotationId=arn,
        NewContactIds=[contact_arn("alejr")],
        StartTime="2026-01-02T00:00:00Z",
        EndTime="2026-01-02T01:00:00Z",
    )
    current = org.client.get_rotation(RotationId=arn)
    org.client.update_rotation(
        RotationId=arn, ContactIds=[contact_arn("akuam")], Recurrence=current["Recurrence"]
    )
    rotations = [org.client.get_rotation(RotationId=arn)]
    listed = org.client.list_rotation_overrides(
        RotationId=arn, StartTime="2026-01-01T00:00:00Z", EndTime="2026-02-01T00:00:00Z"
    )["RotationOverrides"]
    overrides = [{**item, "RotationArn": arn} for item in listed]
    contacts = [org.client.get_contact(ContactId=contact_arn(a)) for a in ("akuam", "alejr")]
    graph = ContactGraph.from_resources(contacts, [], rotations, overrides)
    assert [f.kind for f in graph.validate() if f.kind.startswith("G7")] == ["G701"]


SCENARIO = """\
version: 1
name: oncall
start: 2026-01-01T00:00:00Z
contacts:
  akuam:
    channels: {sms: {type: SMS, address: "+15550100"}}
    plan: [{duration: 5, targets: [{channel: sms}]}]
  mute:
    channels: {sms: {type: SMS, address: "+15550101", activated: false}}
    plan: [{duration: 5, targets: [{channel: sms}]}]
  team:
    plan: [{duration: 5, targets: [{contact: akuam, essential: true}]}]
  primary_oncall:
    rotations: [primary]
rotations:
  primary:
    members: [akuam, mute]
    daily: ["09:00"]
    overrides:
      - {start: 2026-01-02T00:00:00Z, end: 2026-01-02T01:00:00Z, members: []}
"""


def validate(tmp_path: Path, text: str, *options: str) -> tuple[int, str]:
    """Exit code of ``escsim validate`` on ``text``, and the file's path (in a wide console, so
    that a long temporary path does not wrap the findings table)."""
    before = os.environ.get("COLUMNS")
    os.environ["COLUMNS"] = "250"
    path = tmp_path / "oncall.scenario.yaml"
    path.write_text(text, encoding="utf-8")
    try:
        return main(["validate", str(path), *options]), str(path)
    finally:
        if before is None:
            del os.environ["COLUMNS"]
        else:
            os.environ["COLUMNS"] = before


def test_validate_reports_rotation_findings_with_their_lines(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _ = validate(tmp_path, SCENARIO, "--output", "json")
    document = json.loads(capsys.readouterr().out)
    found = {
        (f["Id"], f["Location"], f["Line"])
        for f in document["scenarios"][0]["findings"]
        if f["Id"].startswith(("G6", "G7"))
    }
    assert found == {
        ("G602", "rotations.primary.members[1]", 17),
        ("G702", "rotations.primary.overrides[0].members", 20),
    }
    assert code == 1  # mute's own dead stage is an error


def test_validate_lists_findings_before_the_import_refuses_an_override(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = SCENARIO.replace("members: []}", "members: [team]}")
    code, path = validate(tmp_path, text)
    captured = capsys.readouterr()
    assert code == 253
    assert "G701 override-names-non-member" in captured.out
    assert "rotations.primary.overrides[0].members[0] (line 20)" in captured.out
    assert captured.err.startswith(f"{path}:20: rotations.primary.overrides[0].members[0]: ")


def test_validate_reports_a_member_that_is_not_a_person(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = SCENARIO.replace("members: [akuam, mute]", "members: [akuam, team]")
    code, _ = validate(tmp_path, text)
    captured = capsys.readouterr()
    assert code == 253
    assert "G601 rotation-member-not-personal" in captured.out
    assert "is not a PERSONAL contact" in captured.err


def test_validate_reports_a_schedule_without_rotations(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = SCENARIO.replace("rotations: [primary]", "rotations: []")
    code, _ = validate(tmp_path, text)
    captured = capsys.readouterr()
    assert code == 253
    assert "G505 schedule-without-rotations" in captured.out
    assert "contacts.primary_oncall.rotations (line 14)" in captured.out
