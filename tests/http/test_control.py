"""The simulator's control endpoints: clock, outbox, events and reset, and their refusals."""

from __future__ import annotations

import json
from typing import Any

import pytest

from engine import Simulator
from engine.http import Endpoint, RunningServer
from tests.builders import REGION, START, START_EPOCH, contact_arn
from tests.http.conftest import Raw, aws_request, control, raw_request


def create_person(url: str, alias: str = "akuam") -> None:
    body = json.dumps({"Alias": alias, "Type": "PERSONAL", "Plan": {"Stages": []}}).encode()
    assert aws_request(url, "SSMContacts.CreateContact", body).status == 200


def add_sms_channel(url: str, alias: str = "akuam") -> str:
    body = json.dumps(
        {
            "ContactId": contact_arn(alias),
            "Name": "sms",
            "Type": "SMS",
            "DeliveryAddress": {"SimpleAddress": "+15550100"},
        }
    ).encode()
    return str(aws_request(url, "SSMContacts.CreateContactChannel", body).json["ContactChannelArn"])


def now(url: str) -> float:
    raw = control(url, "GET", "/_escsim/clock")
    assert raw.status == 200
    return float(raw.json["Now"])


def assert_validation(raw: Raw) -> dict[str, Any]:
    assert raw.status == 400, raw.body
    assert raw.headers["x-amzn-requestid"]
    body = raw.json
    assert body["__type"] == "ValidationException"
    return dict(body)


def test_the_clock_starts_at_the_start_instant(fresh_server: RunningServer) -> None:
    assert now(fresh_server.url) == START_EPOCH


def test_advance_seconds_moves_the_clock_and_answers_the_new_instant(
    fresh_server: RunningServer,
) -> None:
    raw = control(fresh_server.url, "POST", "/_escsim/clock", {"AdvanceSeconds": 90})
    assert raw.status == 200
    assert raw.headers["content-type"] == "application/json"
    assert raw.json == {"Now": START_EPOCH + 90}
    assert now(fresh_server.url) == START_EPOCH + 90


def test_advance_seconds_also_takes_a_duration(fresh_server: RunningServer) -> None:
    raw = control(fresh_server.url, "POST", "/_escsim/clock", {"AdvanceSeconds": "15m"})
    assert raw.json == {"Now": START_EPOCH + 900}


@pytest.mark.parametrize("until", [START_EPOCH + 3600, "2026-01-01T01:00:00Z"])
def test_until_moves_the_clock_to_an_instant(fresh_server: RunningServer, until: object) -> None:
    raw = control(fresh_server.url, "POST", "/_escsim/clock", {"Until": until})
    assert raw.json == {"Now": START_EPOCH + 3600}


def test_moving_the_clock_runs_what_falls_due(fresh_server: RunningServer) -> None:
    url = fresh_server.url
    create_person(url)
    channel = add_sms_channel(url)
    code = control(url, "GET", "/_escsim/outbox").json["Messages"][0]["Code"]
    activate = json.dumps({"ContactChannelId": channel, "ActivationCode": code}).encode()
    assert aws_request(url, "SSMContacts.ActivateContactChannel", activate).status == 200
    plan = {
        "Plan": {
            "Stages": [
                {
                    "DurationInMinutes": 1,
                    "Targets": [{"ChannelTargetInfo": {"ContactChannelId": channel}}],
                }
            ]
            * 2
        },
        "ContactId": contact_arn("akuam"),
    }
    assert aws_request(url, "SSMContacts.UpdateContact", json.dumps(plan).encode()).status == 200
    engage = {"ContactId": contact_arn("akuam"), "Sender": "s", "Subject": "t", "Content": "c"}
    aws_request(url, "SSMContacts.StartEngagement", json.dumps(engage).encode())

    def receipts() -> list[str]:
        events = control(url, "GET", "/_escsim/events").json["Events"]
        return [e["ReceiptType"] for e in events if e["Type"] == "RECEIPT"]

    assert receipts() == ["SENT"]
    control(url, "POST", "/_escsim/clock", {"AdvanceSeconds": 59})
    assert receipts() == ["SENT"]
    control(url, "POST", "/_escsim/clock", {"AdvanceSeconds": 1})
    assert receipts() == ["SENT", "SENT"]  # the second stage, due at exactly 60 s


def test_outbox_and_events_answer_in_their_documented_shapes(fresh_server: RunningServer) -> None:
    url = fresh_server.url
    create_person(url)
    channel = add_sms_channel(url)
    messages = control(url, "GET", "/_escsim/outbox").json["Messages"]
    assert [(m["Kind"], m["ContactChannelArn"], m["Time"]) for m in messages] == [
        ("ACTIVATION", channel, START_EPOCH)
    ]
    assert messages[0]["Code"].isdigit()
    events = control(url, "GET", "/_escsim/events").json["Events"]
    assert [(e["Type"], e["ContactChannelArn"]) for e in events] == [("CHANNEL_CREATED", channel)]


def test_reset_empties_the_state_and_rewinds_the_clock(fresh_server: RunningServer) -> None:
    url = fresh_server.url
    create_person(url)
    add_sms_channel(url)
    control(url, "POST", "/_escsim/clock", {"AdvanceSeconds": 600})
    raw = control(url, "POST", "/_escsim/reset")
    assert raw.json == {"Now": START_EPOCH}
    assert now(url) == START_EPOCH
    assert aws_request(url, "SSMContacts.ListContacts", b"{}").json == {"Contacts": []}
    assert control(url, "GET", "/_escsim/outbox").json == {"Messages": []}
    assert control(url, "GET", "/_escsim/events").json == {"Events": []}


def test_reset_keeps_the_seed_so_a_replay_gives_the_same_arns(fresh_server: RunningServer) -> None:
    url = fresh_server.url
    create_person(url)
    first = add_sms_channel(url)
    control(url, "POST", "/_escsim/reset")
    create_person(url)
    assert add_sms_channel(url) == first


@pytest.mark.parametrize(
    ("payload", "words"),
    [
        ({}, "exactly one of AdvanceSeconds"),
        ({"AdvanceSeconds": 1, "Until": START_EPOCH}, "exactly one of AdvanceSeconds"),
        ({"AdvanceSeconds": -5}, "AdvanceSeconds"),
        ({"AdvanceSeconds": True}, "AdvanceSeconds"),
        ({"AdvanceSeconds": "soon"}, "AdvanceSeconds"),
        ({"AdvanceSeconds": 1e12}, "AdvanceSeconds"),
        ({"Until": "yesterday"}, "Until"),
        ({"Until": 1e300}, "Until"),
        ({"Until": [1]}, "Until"),
        ({"Seconds": 5}, "Unknown member 'Seconds'"),
    ],
)
def test_bad_clock_input_is_a_400_naming_the_member(
    fresh_server: RunningServer, payload: dict[str, Any], words: str
) -> None:
    body = assert_validation(control(fresh_server.url, "POST", "/_escsim/clock", payload))
    assert words in body["Message"]
    assert now(fresh_server.url) == START_EPOCH


def test_the_clock_never_moves_backwards(fresh_server: RunningServer) -> None:
    control(fresh_server.url, "POST", "/_escsim/clock", {"AdvanceSeconds": 60})
    raw = control(fresh_server.url, "POST", "/_escsim/clock", {"Until": START_EPOCH})
    assert "backwards" in assert_validation(raw)["Message"]
    assert now(fresh_server.url) == START_EPOCH + 60


def test_a_control_body_that_is_not_json_is_a_serialization_exception(
    fresh_server: RunningServer,
) -> None:
    raw = raw_request(fresh_server.url, "POST", "/_escsim/clock", b"advance please")
    assert raw.status == 400
    assert raw.json["__type"] == "SerializationException"


def test_reset_with_members_is_refused(fresh_server: RunningServer) -> None:
    assert_validation(control(fresh_server.url, "POST", "/_escsim/reset", {"Seed": 3}))


def test_a_control_path_with_the_wrong_method_is_405_with_allow(
    fresh_server: RunningServer,
) -> None:
    raw = control(fresh_server.url, "GET", "/_escsim/reset")
    assert raw.status == 405
    assert raw.json["__type"] == "MethodNotAllowedException"
    assert raw.headers["allow"] == "POST"


def test_an_unknown_control_path_is_404(fresh_server: RunningServer) -> None:
    raw = control(fresh_server.url, "GET", "/_escsim/nothing")
    assert raw.status == 404
    assert raw.json["__type"] == "NotFoundException"


@pytest.mark.parametrize(
    "target",
    [
        "SSMContacts._escsim/reset",
        "SSMContacts._escsim.reset",
        "SSMContacts./_escsim/reset",
        "SSMContacts.Reset",
        "_escsim.reset",
        "SSMContacts._escsim/clock",
    ],
)
def test_control_endpoints_are_unreachable_through_x_amz_target(
    fresh_server: RunningServer, target: str
) -> None:
    url = fresh_server.url
    create_person(url)
    raw = aws_request(url, target, json.dumps({"AdvanceSeconds": 60}).encode())
    assert raw.status == 400
    assert raw.json["__type"] == "UnknownOperationException"
    assert [
        c["Alias"] for c in aws_request(url, "SSMContacts.ListContacts", b"").json["Contacts"]
    ] == ["akuam"]
    assert now(url) == START_EPOCH


def test_reset_keeps_the_settings_of_the_run() -> None:
    sim = Simulator(seed=4, start=START, region=REGION, latency={"SMS": 3}, max_retries=5)
    endpoint = Endpoint(sim)
    endpoint.reset()
    fresh = endpoint.simulator
    assert fresh is not sim
    assert (fresh.seed, fresh.start, fresh.region, fresh.account) == (
        4,
        sim.start,
        REGION,
        sim.account,
    )
    assert fresh.knobs == sim.knobs
