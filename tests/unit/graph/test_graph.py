"""The contact graph: its nodes and edges, its queries, and every finding ``validate`` reports."""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from engine.arns import make_arn
from engine.findings import Finding
from engine.graph import ContactGraph, StageRow, TargetRow

REGION = "us-east-2"
ACCOUNT = "111122223333"

Record = dict[str, Any]


def contact_arn(alias: str) -> str:
    return make_arn(REGION, ACCOUNT, "contact", alias)


def channel_arn(alias: str, number: int) -> str:
    return make_arn(
        REGION, ACCOUNT, "contact-channel", alias, f"{number:08d}-46b2-48b7-87b2-93e2f225b90d"
    )


def rotation_arn(number: int) -> str:
    return make_arn(REGION, ACCOUNT, "rotation", f"{number:08d}-1111-4222-8333-444455556666")


def root(arn: str) -> str:
    """The resource part of an ARN, where finding paths start."""
    return arn.split(":", 5)[-1]


AKUAM = contact_arn("akuam")
ALEJR = contact_arn("alejr")
ANASI = contact_arn("anasi")
ESCALATION = contact_arn("example_escalation")
SCHEDULE = contact_arn("primary_oncall")
ROTATION = rotation_arn(1)
AKUAM_CHANNELS = [channel_arn("akuam", n) for n in range(3)]


def channel(
    alias: str, number: int, status: str = "ACTIVATED", channel_type: str = "SMS"
) -> Record:
    return {
        "ContactChannelArn": channel_arn(alias, number),
        "ContactArn": contact_arn(alias),
        "Name": f"{alias}-{channel_type.lower()}-{number}",
        "Type": channel_type,
        "DeliveryAddress": {"SimpleAddress": f"+1555010{number:04d}"},
        "ActivationStatus": status,
    }


def channel_stage(channel_id: str, minutes: int = 5, retry: int | None = 1) -> Record:
    info: Record = {"ContactChannelId": channel_id}
    if retry is not None:
        info["RetryIntervalInMinutes"] = retry
    return {"DurationInMinutes": minutes, "Targets": [{"ChannelTargetInfo": info}]}


def contact_target(contact_id: str, essential: bool) -> Record:
    return {"ContactTargetInfo": {"ContactId": contact_id, "IsEssential": essential}}


def personal(alias: str, channel_ids: list[str]) -> Record:
    return {
        "ContactArn": contact_arn(alias),
        "Alias": alias,
        "DisplayName": alias.title(),
        "Type": "PERSONAL",
        "Plan": {"Stages": [channel_stage(arn) for arn in channel_ids]},
    }


def escalation(alias: str, stages: list[tuple[int, list[tuple[str, bool]]]]) -> Record:
    return {
        "ContactArn": contact_arn(alias),
        "Alias": alias,
        "Type": "ESCALATION",
        "Plan": {
            "Stages": [
                {
                    "DurationInMinutes": minutes,
                    "Targets": [contact_target(arn, essential) for arn, essential in targets],
                }
                for minutes, targets in stages
            ]
        },
    }


def schedule(alias: str, rotation_ids: list[str]) -> Record:
    return {
        "ContactArn": contact_arn(alias),
        "Alias": alias,
        "Type": "ONCALL_SCHEDULE",
        "Plan": {"Stages": [], "RotationIds": rotation_ids},
    }


def rotation(number: int, members: list[str]) -> Record:
    return {
        "RotationArn": rotation_arn(number),
        "Name": f"rotation-{number}",
        "ContactIds": members,
        "TimeZoneId": "UTC",
    }


class Org:
    """A clean organisation from the seed's examples, plus an on-call schedule; tests edit it."""

    def __init__(self) -> None:
        self.akuam = personal("akuam", AKUAM_CHANNELS)
        self.alejr = personal("alejr", [channel_arn("alejr", 0)])
        self.anasi = personal("anasi", [channel_arn("anasi", 0)])
        self.escalation = escalation(
            "example_escalation",
            [(5, [(AKUAM, True)]), (5, [(ALEJR, False)]), (0, [(ANASI, False)])],
        )
        self.schedule = schedule("primary_oncall", [ROTATION])
        self.contacts = [self.akuam, self.alejr, self.anasi, self.escalation, self.schedule]
        self.channels = [
            channel("akuam", 0, channel_type="SMS"),
            channel("akuam", 1, channel_type="VOICE"),
            channel("akuam", 2, channel_type="EMAIL"),
            channel("alejr", 0),
            channel("anasi", 0),
        ]
        self.rotations = [rotation(1, [ALEJR, ANASI])]

    def channel(self, arn: str) -> Record:
        return next(c for c in self.channels if c["ContactChannelArn"] == arn)

    def graph(self) -> ContactGraph:
        return ContactGraph.from_resources(self.contacts, self.channels, self.rotations)

    def findings(self) -> list[Finding]:
        return self.graph().validate()


def named(findings: list[Finding], name: str) -> list[Finding]:
    return [finding for finding in findings if finding.name == name]


def single(findings: list[Finding], name: str) -> Finding:
    matching = named(findings, name)
    assert len(matching) == 1, [f.as_dict() for f in findings]
    return matching[0]


@pytest.fixture
def org() -> Org:
    return Org()


# A clean organisation --------------------------------------------------------------------


def test_clean_organisation_has_no_findings(org: Org) -> None:
    assert org.findings() == []


def test_rotations_are_optional() -> None:
    graph = ContactGraph.from_resources(
        [personal("akuam", AKUAM_CHANNELS)], [channel("akuam", n) for n in range(3)]
    )
    assert graph.validate() == []


# Nodes and edges -------------------------------------------------------------------------


def test_nodes_carry_kind_and_attributes(org: Org) -> None:
    nodes = org.graph().nx_graph.nodes
    assert nodes[AKUAM]["kind"] == "contact"
    assert nodes[AKUAM]["contact_type"] == "PERSONAL"
    assert nodes[AKUAM]["alias"] == "akuam"
    assert nodes[ESCALATION]["contact_type"] == "ESCALATION"
    assert nodes[AKUAM_CHANNELS[1]]["kind"] == "channel"
    assert nodes[AKUAM_CHANNELS[1]]["channel_type"] == "VOICE"
    assert nodes[AKUAM_CHANNELS[1]]["activation_status"] == "ACTIVATED"
    assert nodes[AKUAM_CHANNELS[1]]["owner"] == AKUAM
    assert nodes[ROTATION]["kind"] == "rotation"
    assert nodes[ROTATION]["name"] == "rotation-1"


def test_personal_plan_edges_carry_stage_target_duration_and_retry(org: Org) -> None:
    graph = org.graph().nx_graph
    edge = graph.edges[AKUAM, AKUAM_CHANNELS[1], "Plan.Stages[1].Targets[0]"]
    assert edge == {
        "relation": "plan",
        "info": "channel",
        "stage": 1,
        "target": 0,
        "duration": 5,
        "retry_interval": 1,
    }


def test_contact_owns_its_channels(org: Org) -> None:
    graph = org.graph().nx_graph
    for arn in AKUAM_CHANNELS:
        assert graph.edges[AKUAM, arn, "owns"] == {"relation": "owns"}


def test_escalation_edges_carry_essential_and_duration(org: Org) -> None:
    graph = org.graph().nx_graph
    edges = {
        target: data
        for _, target, data in graph.out_edges(ESCALATION, data=True)
        if data["relation"] == "plan"
    }
    assert edges[AKUAM] == {
        "relation": "plan",
        "info": "contact",
        "stage": 0,
        "target": 0,
        "duration": 5,
        "essential": True,
    }
    assert (edges[ALEJR]["stage"], edges[ALEJR]["essential"], edges[ALEJR]["duration"]) == (
        1,
        False,
        5,
    )
    assert (edges[ANASI]["stage"], edges[ANASI]["essential"], edges[ANASI]["duration"]) == (
        2,
        False,
        0,
    )


def test_missing_retry_interval_means_zero_on_the_edge(org: Org) -> None:
    del org.akuam["Plan"]["Stages"][0]["Targets"][0]["ChannelTargetInfo"]["RetryIntervalInMinutes"]
    edge = org.graph().nx_graph.edges[AKUAM, AKUAM_CHANNELS[0], "Plan.Stages[0].Targets[0]"]
    assert edge["retry_interval"] == 0


def test_schedule_and_rotation_edges(org: Org) -> None:
    graph = org.graph().nx_graph
    assert graph.edges[SCHEDULE, ROTATION, "Plan.RotationIds[0]"] == {
        "relation": "rotation",
        "index": 0,
    }
    assert graph.edges[ROTATION, ANASI, "ContactIds[1]"] == {"relation": "member", "index": 1}


def test_parallel_plan_edges_stay_apart(org: Org) -> None:
    org.akuam["Plan"]["Stages"].append(channel_stage(AKUAM_CHANNELS[0]))
    graph = org.graph().nx_graph
    edges = graph.get_edge_data(AKUAM, AKUAM_CHANNELS[0])
    assert sorted(edges) == ["Plan.Stages[0].Targets[0]", "Plan.Stages[3].Targets[0]", "owns"]
    assert edges["Plan.Stages[3].Targets[0]"]["stage"] == 3


def test_reference_to_an_unknown_arn_keeps_the_edge_to_a_missing_node(org: Org) -> None:
    ghost = contact_arn("ghost")
    org.escalation["Plan"]["Stages"][1]["Targets"].append(contact_target(ghost, False))
    graph = org.graph().nx_graph
    assert graph.nodes[ghost] == {"kind": "missing", "expected": "contact", "alias": "ghost"}
    assert graph.edges[ESCALATION, ghost, "Plan.Stages[1].Targets[1]"]["essential"] is False


def test_edges_resolve_whatever_the_input_order(org: Org) -> None:
    forward = org.graph().nx_graph
    backward = ContactGraph.from_resources(
        list(reversed(org.contacts)), list(reversed(org.channels)), org.rotations
    ).nx_graph
    assert sorted(forward.edges(keys=True)) == sorted(backward.edges(keys=True))
    assert all(data["kind"] != "missing" for _, data in backward.nodes(data=True))


# Queries ---------------------------------------------------------------------------------


def test_reachable_channels_in_plan_order_not_arn_order(org: Org) -> None:
    org.akuam["Plan"]["Stages"].reverse()
    assert org.graph().reachable_channels(AKUAM) == list(reversed(AKUAM_CHANNELS))


def test_reachable_channels_skip_inactive_foreign_and_repeated(org: Org) -> None:
    org.channel(AKUAM_CHANNELS[1])["ActivationStatus"] = "NOT_ACTIVATED"
    org.akuam["Plan"]["Stages"].append(channel_stage(AKUAM_CHANNELS[0]))
    org.akuam["Plan"]["Stages"].append(channel_stage(channel_arn("alejr", 0)))
    graph = org.graph()
    assert graph.reachable_channels(AKUAM) == [AKUAM_CHANNELS[0], AKUAM_CHANNELS[2]]


def test_reachable_channels_of_non_personal_contacts_are_empty(org: Org) -> None:
    graph = org.graph()
    assert graph.reachable_channels(ESCALATION) == []
    assert graph.reachable_channels(SCHEDULE) == []


def test_engaged_contacts_of_escalation_in_plan_order(org: Org) -> None:
    zed = personal("zed", [channel_arn("zed", 0)])
    org.contacts.append(zed)
    org.channels.append(channel("zed", 0))
    org.escalation["Plan"]["Stages"][0]["Targets"].insert(
        0, contact_target(zed["ContactArn"], False)
    )
    org.escalation["Plan"]["Stages"][2]["Targets"].append(contact_target(AKUAM, False))
    org.escalation["Plan"]["Stages"][2]["Targets"].append(contact_target(SCHEDULE, False))
    org.escalation["Plan"]["Stages"][2]["Targets"].append(
        contact_target(contact_arn("gone"), False)
    )
    assert org.graph().engaged_contacts(ESCALATION) == [
        zed["ContactArn"],
        AKUAM,
        ALEJR,
        ANASI,
        SCHEDULE,
    ]


def test_engaged_contacts_of_schedule_are_its_personal_members(org: Org) -> None:
    org.rotations.append(rotation(2, [ESCALATION, ANASI, AKUAM]))
    org.schedule["Plan"]["RotationIds"].append(rotation_arn(2))
    assert org.graph().engaged_contacts(SCHEDULE) == [ALEJR, ANASI, AKUAM]


def test_engaged_contacts_of_a_person_is_the_person(org: Org) -> None:
    assert org.graph().engaged_contacts(AKUAM) == [AKUAM]


def test_stage_table_gives_start_offsets_and_targets(org: Org) -> None:
    table = org.graph().stage_table(ESCALATION)
    assert [(row.index, row.start_offset_minutes, row.duration_in_minutes) for row in table] == [
        (0, 0, 5),
        (1, 5, 5),
        (2, 10, 0),
    ]
    assert table[0].targets == (
        TargetRow(
            index=0,
            info="contact",
            arn=AKUAM,
            essential=True,
            retry_interval_in_minutes=None,
            can_page=True,
        ),
    )


def test_stage_table_of_personal_plan_marks_unpageable_targets(org: Org) -> None:
    org.channel(AKUAM_CHANNELS[2])["ActivationStatus"] = "NOT_ACTIVATED"
    table = org.graph().stage_table(AKUAM)
    assert [row.start_offset_minutes for row in table] == [0, 5, 10]
    assert [row.targets[0].can_page for row in table] == [True, True, False]
    assert table[1].targets[0].retry_interval_in_minutes == 1
    assert table[1].targets[0].essential is None
    assert json.loads(json.dumps(table[1].as_dict()))["targets"][0]["arn"] == AKUAM_CHANNELS[1]


def test_stage_table_of_a_missing_contact_is_empty(org: Org) -> None:
    org.escalation["Plan"]["Stages"][0]["Targets"].append(contact_target(contact_arn("x"), True))
    assert org.graph().stage_table(contact_arn("x")) == []


@pytest.mark.parametrize("method", ["reachable_channels", "engaged_contacts", "stage_table"])
def test_queries_name_an_arn_the_graph_never_saw(org: Org, method: str) -> None:
    unknown = contact_arn("nobody")
    with pytest.raises(KeyError, match="nobody"):
        getattr(org.graph(), method)(unknown)


def test_stage_row_is_exported() -> None:
    assert StageRow(0, 0, 5, ()).as_dict() == {
        "index": 0,
        "start_offset_minutes": 0,
        "duration_in_minutes": 5,
        "targets": [],
    }


# References ------------------------------------------------------------------------------


def test_dangling_channel_reference(org: Org) -> None:
    gone = channel_arn("akuam", 9)
    org.akuam["Plan"]["Stages"][1]["Targets"][0]["ChannelTargetInfo"]["ContactChannelId"] = gone
    finding = single(org.findings(), "dangling-channel-reference")
    assert finding.kind == "G101"
    assert finding.severity == "error"
    assert finding.path == (
        "contact/akuam.Plan.Stages[1].Targets[0].ChannelTargetInfo.ContactChannelId"
    )
    assert finding.subject == AKUAM
    assert gone in finding.message
    assert "does not exist" in finding.message
    assert "stage 1" in finding.message


def test_channel_target_naming_a_contact_is_dangling(org: Org) -> None:
    org.akuam["Plan"]["Stages"][0]["Targets"][0]["ChannelTargetInfo"]["ContactChannelId"] = ALEJR
    finding = single(org.findings(), "dangling-channel-reference")
    assert "is a contact, not a channel" in finding.message


def test_dangling_contact_reference(org: Org) -> None:
    org.contacts.remove(org.alejr)
    org.channels.remove(org.channel(channel_arn("alejr", 0)))
    org.rotations[0]["ContactIds"] = [ANASI]
    findings = org.findings()
    finding = single(findings, "dangling-contact-reference")
    assert (finding.kind, finding.severity) == ("G102", "error")
    assert finding.path == (
        "contact/example_escalation.Plan.Stages[1].Targets[0].ContactTargetInfo.ContactId"
    )
    assert ALEJR in finding.message
    # Its stage has nothing else, so the stage pages nobody.
    assert single(findings, "dead-stage").path == "contact/example_escalation.Plan.Stages[1]"


def test_foreign_channel_reference(org: Org) -> None:
    theirs = channel_arn("alejr", 0)
    org.akuam["Plan"]["Stages"][2]["Targets"].append(
        {"ChannelTargetInfo": {"ContactChannelId": theirs}}
    )
    finding = single(org.findings(), "foreign-channel-reference")
    assert (finding.kind, finding.severity) == ("G103", "error")
    assert finding.path == (
        "contact/akuam.Plan.Stages[2].Targets[1].ChannelTargetInfo.ContactChannelId"
    )
    assert theirs in finding.message
    assert "belongs to alejr" in finding.message


def test_dangling_rotation_reference(org: Org) -> None:
    gone = rotation_arn(7)
    org.schedule["Plan"]["RotationIds"].append(gone)
    finding = single(org.findings(), "dangling-rotation-reference")
    assert (finding.kind, finding.severity) == ("G104", "error")
    assert finding.path == "contact/primary_oncall.Plan.RotationIds[1]"
    assert finding.subject == SCHEDULE
    assert gone in finding.message


def test_dangling_rotation_member(org: Org) -> None:
    gone = contact_arn("left_the_company")
    org.rotations[0]["ContactIds"].append(gone)
    finding = single(org.findings(), "dangling-rotation-member")
    assert (finding.kind, finding.severity) == ("G105", "error")
    assert finding.path == f"{root(ROTATION)}.ContactIds[2]"
    assert finding.subject == ROTATION
    assert gone in finding.message


def test_orphan_channel(org: Org) -> None:
    orphan = channel("ghost", 0)
    org.channels.append(orphan)
    finding = single(org.findings(), "orphan-channel")
    assert (finding.kind, finding.severity) == ("G106", "warning")
    assert finding.path == f"{root(channel_arn('ghost', 0))}.ContactArn"
    assert contact_arn("ghost") in finding.message


# Target kinds ----------------------------------------------------------------------------


def test_contact_target_in_personal_plan(org: Org) -> None:
    org.akuam["Plan"]["Stages"][0]["Targets"].append(contact_target(ALEJR, False))
    finding = single(org.findings(), "contact-target-in-personal-plan")
    assert (finding.kind, finding.severity) == ("G201", "error")
    assert finding.path == "contact/akuam.Plan.Stages[0].Targets[1].ContactTargetInfo"
    assert ALEJR in finding.message


def test_channel_target_in_escalation_plan(org: Org) -> None:
    org.escalation["Plan"]["Stages"][2]["Targets"].append(
        {"ChannelTargetInfo": {"ContactChannelId": AKUAM_CHANNELS[0]}}
    )
    finding = single(org.findings(), "channel-target-in-escalation-plan")
    assert (finding.kind, finding.severity) == ("G202", "error")
    assert finding.path == "contact/example_escalation.Plan.Stages[2].Targets[1].ChannelTargetInfo"
    assert AKUAM_CHANNELS[0] in finding.message


def test_nested_escalation(org: Org) -> None:
    inner = escalation("inner", [(5, [(AKUAM, True)])])
    org.contacts.append(inner)
    org.escalation["Plan"]["Stages"][2]["Targets"].append(
        contact_target(inner["ContactArn"], False)
    )
    finding = single(org.findings(), "nested-escalation")
    assert (finding.kind, finding.severity) == ("G203", "error")
    assert finding.path == (
        "contact/example_escalation.Plan.Stages[2].Targets[1].ContactTargetInfo.ContactId"
    )
    assert "inner" in finding.message


def test_schedule_with_stages(org: Org) -> None:
    org.schedule["Plan"]["Stages"] = [channel_stage(AKUAM_CHANNELS[0])]
    finding = single(org.findings(), "schedule-with-stages")
    assert (finding.kind, finding.severity) == ("G204", "error")
    assert finding.path == "contact/primary_oncall.Plan.Stages"
    assert "primary_oncall" in finding.message


def test_rotations_outside_schedule(org: Org) -> None:
    org.escalation["Plan"]["RotationIds"] = [ROTATION]
    finding = single(org.findings(), "rotations-outside-schedule")
    assert (finding.kind, finding.severity) == ("G205", "error")
    assert finding.path == "contact/example_escalation.Plan.RotationIds"
    assert "example_escalation" in finding.message


# Channels --------------------------------------------------------------------------------


def test_inactive_channel(org: Org) -> None:
    org.akuam["Plan"]["Stages"][0]["Targets"].append(
        {"ChannelTargetInfo": {"ContactChannelId": AKUAM_CHANNELS[1]}}
    )
    org.channel(AKUAM_CHANNELS[1])["ActivationStatus"] = "NOT_ACTIVATED"
    findings = org.findings()
    finding = single(findings, "inactive-channel")
    assert (finding.kind, finding.severity) == ("G301", "warning")
    assert finding.path.endswith(".ActivationStatus")
    assert finding.path.startswith("contact-channel/akuam/00000001-")
    assert finding.subject == AKUAM_CHANNELS[1]
    assert AKUAM_CHANNELS[1] in finding.message
    # Stage 0 still pages channel 0; stage 1 has only the inactive channel.
    assert [f.path for f in named(findings, "dead-stage")] == ["contact/akuam.Plan.Stages[1]"]


def test_unused_channel(org: Org) -> None:
    org.akuam["Plan"]["Stages"].pop()
    finding = single(org.findings(), "unused-channel")
    assert (finding.kind, finding.severity) == ("G302", "warning")
    assert finding.subject == AKUAM_CHANNELS[2]
    assert finding.path == root(AKUAM_CHANNELS[2])
    assert "akuam" in finding.message


def test_inactive_unused_channel_is_reported_once_as_inactive(org: Org) -> None:
    org.akuam["Plan"]["Stages"].pop()
    org.channel(AKUAM_CHANNELS[2])["ActivationStatus"] = "NOT_ACTIVATED"
    findings = org.findings()
    assert [f.name for f in findings] == ["inactive-channel"]


def test_channel_of_an_escalation_plan_is_unused(org: Org) -> None:
    stray = channel("example_escalation", 0)
    org.channels.append(stray)
    finding = single(org.findings(), "unused-channel")
    assert "ESCALATION contact example_escalation" in finding.message


# Personal contacts -----------------------------------------------------------------------


def test_unreachable_contact_engaged_by_escalation_is_an_error(org: Org) -> None:
    org.channel(channel_arn("anasi", 0))["ActivationStatus"] = "NOT_ACTIVATED"
    org.rotations[0]["ContactIds"] = [ALEJR]
    findings = org.findings()
    finding = single(findings, "unreachable-engaged-contact")
    assert (finding.kind, finding.severity) == ("G401", "error")
    assert finding.path == "contact/anasi.Plan"
    assert finding.subject == ANASI
    assert "anasi" in finding.message
    assert "example_escalation" in finding.message
    assert named(findings, "unreachable-contact") == []


def test_unreachable_contact_nobody_escalates_to_is_a_warning(org: Org) -> None:
    lone = personal("lone", [channel_arn("lone", 0)])
    org.contacts.append(lone)
    org.channels.append(channel("lone", 0, status="NOT_ACTIVATED"))
    finding = single(org.findings(), "unreachable-contact")
    assert (finding.kind, finding.severity) == ("G402", "warning")
    assert finding.path == "contact/lone.Plan"
    assert "lone" in finding.message


def test_empty_personal_plan(org: Org) -> None:
    lone = personal("lone", [])
    org.contacts.append(lone)
    findings = org.findings()
    finding = single(findings, "empty-personal-plan")
    assert (finding.kind, finding.severity) == ("G403", "warning")
    assert finding.path == "contact/lone.Plan.Stages"
    assert "lone" in finding.message
    # The empty plan is the whole story for a contact nobody engages.
    assert [f.name for f in findings] == ["empty-personal-plan"]


def test_empty_personal_plan_engaged_by_escalation_is_also_an_error(org: Org) -> None:
    org.anasi["Plan"]["Stages"] = []
    org.rotations[0]["ContactIds"] = [ALEJR]
    names = {f.name for f in org.findings()}
    assert {"empty-personal-plan", "unreachable-engaged-contact", "unused-channel"} <= names


# Plans and stages ------------------------------------------------------------------------


def test_dead_personal_stage(org: Org) -> None:
    org.channel(AKUAM_CHANNELS[0])["ActivationStatus"] = "NOT_ACTIVATED"
    finding = single(org.findings(), "dead-stage")
    assert (finding.kind, finding.severity) == ("G501", "error")
    assert finding.path == "contact/akuam.Plan.Stages[0]"
    assert "stage 0 of akuam" in finding.message


def test_dead_escalation_stage_whose_person_is_unreachable(org: Org) -> None:
    org.channel(channel_arn("alejr", 0))["ActivationStatus"] = "NOT_ACTIVATED"
    org.rotations[0]["ContactIds"] = [ANASI]
    findings = org.findings()
    dead = [f.path for f in named(findings, "dead-stage")]
    assert dead == ["contact/alejr.Plan.Stages[0]", "contact/example_escalation.Plan.Stages[1]"]


def test_escalation_stage_targeting_a_schedule_nobody_can_cover_is_dead(org: Org) -> None:
    org.rotations[0]["ContactIds"] = [ESCALATION]
    org.escalation["Plan"]["Stages"].append(
        {"DurationInMinutes": 5, "Targets": [contact_target(SCHEDULE, False)]}
    )
    dead = single(org.findings(), "dead-stage")
    assert dead.path == "contact/example_escalation.Plan.Stages[3]"


def test_escalation_stage_targeting_a_covered_schedule_is_alive(org: Org) -> None:
    org.escalation["Plan"]["Stages"].append(
        {"DurationInMinutes": 5, "Targets": [contact_target(SCHEDULE, False)]}
    )
    assert org.findings() == []


def test_empty_stage(org: Org) -> None:
    org.escalation["Plan"]["Stages"].insert(1, {"DurationInMinutes": 10, "Targets": []})
    finding = single(org.findings(), "empty-stage")
    assert (finding.kind, finding.severity) == ("G502", "warning")
    assert finding.path == "contact/example_escalation.Plan.Stages[1].Targets"
    assert "10 minute" in finding.message


def test_escalation_without_stages(org: Org) -> None:
    org.escalation["Plan"]["Stages"] = []
    findings = org.findings()
    finding = single(findings, "escalation-without-stages")
    assert (finding.kind, finding.severity) == ("G503", "error")
    assert finding.path == "contact/example_escalation.Plan.Stages"
    assert "example_escalation" in finding.message
    assert named(findings, "no-essential-target") == []


def test_no_essential_target(org: Org) -> None:
    org.escalation["Plan"]["Stages"][0]["Targets"][0]["ContactTargetInfo"]["IsEssential"] = False
    finding = single(org.findings(), "no-essential-target")
    assert (finding.kind, finding.severity) == ("G504", "warning")
    assert finding.path == "contact/example_escalation.Plan"
    assert "example_escalation" in finding.message


def test_essential_target_that_does_not_exist_does_not_count(org: Org) -> None:
    org.escalation["Plan"]["Stages"][0]["Targets"] = [contact_target(contact_arn("gone"), True)]
    names = [f.name for f in org.findings()]
    assert "no-essential-target" in names


def test_schedule_without_rotations(org: Org) -> None:
    org.schedule["Plan"]["RotationIds"] = []
    finding = single(org.findings(), "schedule-without-rotations")
    assert (finding.kind, finding.severity) == ("G505", "error")
    assert finding.path == "contact/primary_oncall.Plan.RotationIds"
    assert "primary_oncall" in finding.message


def test_schedule_without_rotation_ids_key(org: Org) -> None:
    del org.schedule["Plan"]["RotationIds"]
    assert single(org.findings(), "schedule-without-rotations").kind == "G505"


# Rotations -------------------------------------------------------------------------------


def test_rotation_member_not_personal(org: Org) -> None:
    org.rotations[0]["ContactIds"].append(ESCALATION)
    finding = single(org.findings(), "rotation-member-not-personal")
    assert (finding.kind, finding.severity) == ("G601", "warning")
    assert finding.path.endswith(".ContactIds[2]")
    assert finding.subject == ROTATION
    assert "example_escalation" in finding.message
    assert "ESCALATION" in finding.message


def test_rotation_member_unreachable(org: Org) -> None:
    lone = personal("lone", [channel_arn("lone", 0)])
    org.contacts.append(lone)
    org.channels.append(channel("lone", 0, status="NOT_ACTIVATED"))
    org.rotations[0]["ContactIds"].insert(0, lone["ContactArn"])
    finding = single(org.findings(), "rotation-member-unreachable")
    assert (finding.kind, finding.severity) == ("G602", "warning")
    assert finding.path.endswith(".ContactIds[0]")
    assert "lone" in finding.message


def test_empty_rotation(org: Org) -> None:
    org.rotations[0]["ContactIds"] = []
    finding = single(org.findings(), "empty-rotation")
    assert (finding.kind, finding.severity) == ("G603", "error")
    assert finding.path.endswith(".ContactIds")
    assert "rotation-1" in finding.message


# Malformed input -------------------------------------------------------------------------


@pytest.mark.parametrize("contacts", [None, "contacts", 42, {"Contacts": []}])
def test_input_that_is_not_a_list_is_a_finding(contacts: Any) -> None:
    finding = single(ContactGraph.from_resources(contacts, []).validate(), "malformed-resource")
    assert (finding.kind, finding.severity, finding.path) == ("G001", "error", "contacts")


def test_record_that_is_not_an_object_is_ignored(org: Org) -> None:
    org.channels.insert(1, ["not", "a", "dict"])
    finding = single(org.findings(), "malformed-resource")
    assert finding.path == "channels[1]"
    assert "['not', 'a', 'dict']" in finding.message


@pytest.mark.parametrize(
    ("value", "shown"),
    [(None, "has no ContactArn"), (7, "7"), (AKUAM_CHANNELS[0], "not a contact ARN")],
)
def test_record_without_a_usable_arn_is_ignored(org: Org, value: Any, shown: str) -> None:
    if value is None:
        del org.alejr["ContactArn"]
    else:
        org.alejr["ContactArn"] = value
    graph = org.graph()
    finding = single(graph.validate(), "malformed-resource")
    assert finding.path == "contacts[1].ContactArn"
    assert finding.subject == ""
    assert shown in finding.message
    assert graph.nx_graph.nodes[ALEJR]["kind"] == "missing"


def test_duplicate_resource_keeps_the_first(org: Org) -> None:
    twin = copy.deepcopy(org.akuam)
    twin["Type"] = "ESCALATION"
    org.contacts.append(twin)
    graph = org.graph()
    finding = single(graph.validate(), "duplicate-resource")
    assert (finding.kind, finding.severity) == ("G003", "error")
    assert finding.path == "contacts[5].ContactArn"
    assert "contacts[0]" in finding.message
    assert graph.nx_graph.nodes[AKUAM]["contact_type"] == "PERSONAL"


@pytest.mark.parametrize(
    ("edit", "path", "shown"),
    [
        (lambda o: o.akuam.update(Type="ROBOT"), "contact/akuam.Type", "'ROBOT'"),
        (lambda o: o.akuam.pop("Alias"), "contact/akuam.Alias", "Member must not be null"),
        (lambda o: o.akuam.update(Alias="someone"), "contact/akuam.Alias", "'someone'"),
        (lambda o: o.akuam.update(Plan=[]), "contact/akuam.Plan", "a structure"),
        (
            lambda o: o.akuam["Plan"].update(Stages="all of them"),
            "contact/akuam.Plan.Stages",
            "'all of them'",
        ),
        (
            lambda o: o.akuam["Plan"]["Stages"][1].update(DurationInMinutes="5"),
            "contact/akuam.Plan.Stages[1].DurationInMinutes",
            "'5'",
        ),
        (
            lambda o: o.akuam["Plan"]["Stages"][1].update(DurationInMinutes=31),
            "contact/akuam.Plan.Stages[1].DurationInMinutes",
            "Value '31' at 'Plan.Stages[1].DurationInMinutes' failed to satisfy constraint: "
            "Member must have value less than or equal to 30",
        ),
        (
            lambda o: o.akuam["Plan"]["Stages"][1].update(DurationInMinutes=True),
            "contact/akuam.Plan.Stages[1].DurationInMinutes",
            "Value 'true'",
        ),
        (
            lambda o: o.akuam["Plan"]["Stages"][1]["Targets"][0]["ChannelTargetInfo"].update(
                RetryIntervalInMinutes=61
            ),
            "contact/akuam.Plan.Stages[1].Targets[0].ChannelTargetInfo.RetryIntervalInMinutes",
            "61",
        ),
        (
            lambda o: o.escalation["Plan"]["Stages"][1]["Targets"][0]["ContactTargetInfo"].pop(
                "IsEssential"
            ),
            "contact/example_escalation.Plan.Stages[1].Targets[0].ContactTargetInfo.IsEssential",
            "Member must not be null",
        ),
        (
            lambda o: o.escalation["Plan"]["Stages"][1]["Targets"][0]["ContactTargetInfo"].update(
                IsEssential="yes"
            ),
            "contact/example_escalation.Plan.Stages[1].Targets[0].ContactTargetInfo.IsEssential",
            "'yes'",
        ),
        (
            lambda o: o.schedule["Plan"]["RotationIds"].append(5),
            "contact/primary_oncall.Plan.RotationIds[1]",
            "Value '5'",
        ),
        (
            lambda o: o.channels[0].update(ActivationStatus="MAYBE"),
            f"{root(AKUAM_CHANNELS[0])}.ActivationStatus",
            "'MAYBE'",
        ),
        (
            lambda o: o.channels[0].update(Type="PIGEON"),
            f"{root(AKUAM_CHANNELS[0])}.Type",
            "'PIGEON'",
        ),
        (
            lambda o: o.channels[0].update(DeliveryAddress="+15550100"),
            f"{root(AKUAM_CHANNELS[0])}.DeliveryAddress",
            "'+15550100'",
        ),
        (
            lambda o: o.channels[0]["DeliveryAddress"].pop("SimpleAddress"),
            f"{root(AKUAM_CHANNELS[0])}.DeliveryAddress.SimpleAddress",
            "missing",
        ),
        (
            lambda o: o.channels[0].update(ContactArn=ALEJR),
            f"{root(AKUAM_CHANNELS[0])}.ContactArn",
            "'alejr'",
        ),
        (
            lambda o: o.rotations[0].pop("ContactIds"),
            f"{root(ROTATION)}.ContactIds",
            "missing",
        ),
    ],
)
def test_malformed_field_is_a_finding_naming_path_and_value(
    org: Org, edit: Any, path: str, shown: str
) -> None:
    edit(org)
    findings = named(org.findings(), "malformed-field")
    assert [f.path for f in findings] == [path]
    assert findings[0].severity == "error"
    assert shown in findings[0].message


def test_zero_duration_stage_without_targets_is_malformed(org: Org) -> None:
    org.escalation["Plan"]["Stages"].append({"DurationInMinutes": 0, "Targets": []})
    finding = single(org.findings(), "malformed-field")
    assert finding.path == "contact/example_escalation.Plan.Stages[3].DurationInMinutes"
    assert "DurationInMinutes may be 0 only when" in finding.message


@pytest.mark.parametrize(
    ("target", "shown"),
    [
        ({}, "neither"),
        (
            {
                "ChannelTargetInfo": {"ContactChannelId": AKUAM_CHANNELS[0]},
                "ContactTargetInfo": {"ContactId": ALEJR, "IsEssential": True},
            },
            "both",
        ),
        ("akuam", "'akuam'"),
    ],
)
def test_malformed_target(org: Org, target: Any, shown: str) -> None:
    org.akuam["Plan"]["Stages"][0]["Targets"].append(target)
    finding = single(org.findings(), "malformed-target")
    assert (finding.kind, finding.severity) == ("G004", "error")
    assert finding.path == "contact/akuam.Plan.Stages[0].Targets[1]"
    assert shown in finding.message


def _mutations(value: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    """Every key or index path inside a record."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield (*path, key)
            yield from _mutations(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield (*path, index)
            yield from _mutations(item, (*path, index))


_JUNK: list[Any] = [None, 0, -1, "x", [], {}, [None], {"x": 1}, True, 3.5]


def _with(value: Any, path: tuple[Any, ...], junk: Any) -> Any:
    result = copy.deepcopy(value)
    holder = result
    for step in path[:-1]:
        holder = holder[step]
    holder[path[-1]] = junk
    return result


def test_every_field_replaced_by_junk_gives_findings_not_exceptions() -> None:
    base = Org()
    for group in ("contacts", "channels", "rotations"):
        records = getattr(base, group)
        for path in _mutations(records):
            for junk in _JUNK:
                org = Org()
                setattr(org, group, _with(records, path, junk))
                findings = org.findings()
                assert all(isinstance(f, Finding) for f in findings)
                assert findings == sorted(findings)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-5, 40) | st.sampled_from(["", "PERSONAL", AKUAM]),
    lambda children: (
        st.lists(children, max_size=3)
        | st.dictionaries(
            st.sampled_from(
                [
                    "ContactArn",
                    "Alias",
                    "Type",
                    "Plan",
                    "Stages",
                    "Targets",
                    "ChannelTargetInfo",
                    "ContactTargetInfo",
                    "ContactId",
                    "ContactChannelId",
                    "IsEssential",
                    "DurationInMinutes",
                    "RotationIds",
                    "ContactIds",
                    "RotationArn",
                ]
            ),
            children,
            max_size=4,
        )
    ),
    max_leaves=12,
)


@settings(max_examples=150, deadline=None)
@given(contacts=json_values, channels=json_values, rotations=json_values)
def test_arbitrary_json_never_raises(contacts: Any, channels: Any, rotations: Any) -> None:
    graph = ContactGraph.from_resources(contacts, channels, rotations)
    findings = graph.validate()
    assert findings == sorted(findings)
    for node in sorted(graph.nx_graph.nodes):
        graph.reachable_channels(node)
        graph.engaged_contacts(node)
        graph.stage_table(node)


# Ordering --------------------------------------------------------------------------------


def _broken_org() -> Org:
    org = Org()
    org.channel(AKUAM_CHANNELS[1])["ActivationStatus"] = "NOT_ACTIVATED"
    org.escalation["Plan"]["Stages"][1]["Targets"].append(contact_target(contact_arn("x"), False))
    org.schedule["Plan"]["RotationIds"].append(rotation_arn(9))
    org.rotations[0]["ContactIds"].append(ESCALATION)
    org.contacts.append(personal("lone", []))
    return org


def test_validate_reports_every_problem_at_once() -> None:
    names = {f.name for f in _broken_org().findings()}
    assert names == {
        "inactive-channel",
        "dead-stage",
        "dangling-contact-reference",
        "dangling-rotation-reference",
        "rotation-member-not-personal",
        "empty-personal-plan",
    }


def test_findings_do_not_depend_on_input_order() -> None:
    org = _broken_org()
    forward = org.findings()
    backward = ContactGraph.from_resources(
        list(reversed(org.contacts)), list(reversed(org.channels)), list(reversed(org.rotations))
    ).validate()
    assert forward == backward
    assert forward == sorted(forward)
    assert forward == _broken_org().findings()


def test_a_channel_without_activation_status_counts_as_not_activated(org: Org) -> None:
    org.channels[0].pop("ActivationStatus")
    findings = org.findings()
    assert not named(findings, "malformed-field")
    inactive = named(findings, "inactive-channel")
    assert [f.path for f in inactive] == [f"{root(AKUAM_CHANNELS[0])}.ActivationStatus"]
