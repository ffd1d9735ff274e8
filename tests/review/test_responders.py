"""Review responders: reactions to the messages the engine delivers, sleep hours, delays per
channel type (docs/semantics.md E15)."""

from __future__ import annotations

from collections.abc import Callable

from engine.review.document import ReviewRun
from engine.review.incidents import ResponderModel, SleepHours
from engine.review.responders import MessageResponder
from engine.sim.responders import Fixed
from engine.simulator import Simulator
from tests.review.conftest import people, scenario

START = "2026-01-05T00:00:00Z"
ARN = "arn:aws:ssm-contacts:us-east-1:111122223333:contact/akuam"


def _person(sim: Simulator) -> None:
    channels = []
    stages = []
    for i, (kind, minutes, retry) in enumerate((("SMS", 5, 1), ("VOICE", 5, 2), ("EMAIL", 0, 0))):
        uuid = f"0000000{i}-0000-4000-8000-000000000000"
        arn = f"arn:aws:ssm-contacts:us-east-1:111122223333:contact-channel/akuam/{uuid}"
        channels.append(
            {
                "ContactChannelArn": arn,
                "ContactArn": ARN,
                "Name": kind.lower(),
                "Type": kind,
                "DeliveryAddress": {"SimpleAddress": "+15550100" if kind != "EMAIL" else "a@b.c"},
                "ActivationStatus": "ACTIVATED",
            }
        )
        target = {"ContactChannelId": arn, "RetryIntervalInMinutes": retry}
        stages.append({"DurationInMinutes": minutes, "Targets": [{"ChannelTargetInfo": target}]})
    contact = {"ContactArn": ARN, "Alias": "akuam", "Type": "PERSONAL", "Plan": {"Stages": stages}}
    sim.import_resources([contact], channels)


def test_the_engine_tells_the_responder_of_every_message_that_arrives() -> None:
    # Reacting at once to a message: the acknowledgement lands on the first SENT message's
    # arrival, whichever sends failed before it.
    sim = Simulator(seed=11, start=START, fail_probability=0.6)
    _person(sim)
    sim.set_responder(ARN, MessageResponder(ResponderModel(1.0, Fixed(0.0)), "UTC"))
    client = sim.client()
    for _ in range(40):
        client.start_engagement(ContactId=ARN, Sender="t", Subject="s", Content="c")
        sim.advance(3600)
    sim.run()
    latency = {"SMS": 5.0, "VOICE": 20.0, "EMAIL": 30.0}
    channel_type = {ch.arn: ch.type for ch in sim.state().organisation.channels.values()}
    first_arrival: dict[str, float] = {}
    reads: dict[str, float] = {}
    for event in sim.events:
        if event["Type"] != "RECEIPT":
            continue
        page = event["PageArn"]
        if event["ReceiptType"] == "SENT":
            arrival = event["Time"] + latency[channel_type[event["ContactChannelArn"]]]
            first_arrival[page] = min(first_arrival.get(page, arrival), arrival)
        elif event["ReceiptType"] == "READ":
            reads[page] = event["Time"]
    assert len(first_arrival) > 30  # most pages got a message through
    assert {page: round(t, 3) for page, t in first_arrival.items()} == reads
    # Arrivals are scheduled for the responder only: no DELIVERED receipt is recorded.
    assert not [e for e in sim.events if e.get("ReceiptType") == "DELIVERED"]


def test_an_unavailable_person_changes_nothing_in_the_run() -> None:
    # A responder that never reacts to a page asks for no arrivals: the run is the run without
    # it (no work is left pending by messages nobody reads, E12).
    runs = []
    for responder in (None, MessageResponder(ResponderModel(0.0, Fixed(0.0)), "UTC")):
        sim = Simulator(seed=3, start=START)
        _person(sim)
        sim.set_responder(ARN, responder)
        sim.client().start_engagement(ContactId=ARN, Sender="t", Subject="s", Content="c")
        sim.run()
        runs.append(sim.events)
    assert runs[0] == runs[1]


def test_sleep_hours_lower_the_chance_of_an_acknowledgement(
    reviewed: Callable[..., ReviewRun],
) -> None:
    text = scenario(
        "contacts:\n"
        + people("sleepy")
        + """
incidents:
  count: 400
  default_responder:
    probability: 1
    delay: {fixed: 1m}
    sleep: {start: "00:00", end: "12:00", probability: 0}
"""
    )
    tta = reviewed(text, replications=1, end="7d").document["forecast"]["time_to_acknowledge"]
    low, high = tta["no_acknowledgement"]["ci"]
    assert low <= 0.5 <= high  # asleep half of every day, never answering then


def test_delays_per_channel_type_apply_to_messages_of_that_type() -> None:
    sim = Simulator(seed=2, start=START)
    _person(sim)
    slow_sms = ResponderModel(1.0, Fixed(3600.0), (("VOICE", Fixed(30.0)),))
    start = sim.start.timestamp()
    sim.set_responder(ARN, MessageResponder(slow_sms, "UTC"))
    sim.client().start_engagement(ContactId=ARN, Sender="t", Subject="s", Content="c")
    sim.run()
    read = [e for e in sim.events if e["Type"] == "RECEIPT" and e["ReceiptType"] == "READ"]
    # VOICE goes out at 5 min, arrives 20 s later, and is answered 30 s after that.
    assert [round(e["Time"] - start, 3) for e in read] == [350.0]


def test_a_model_asleep_at_page_creation_uses_the_sleep_probability() -> None:
    window = SleepHours(22 * 60, 6 * 60, 0.0, None)
    assert window.contains(23 * 60) and window.contains(5 * 60)
    assert not window.contains(6 * 60) and not window.contains(12 * 60)
