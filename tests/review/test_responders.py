"""Review responders: reactions to the messages that arrive, sleep hours, delays per channel."""

from __future__ import annotations

from collections.abc import Callable

from engine.review.document import ReviewRun
from engine.review.incidents import ResponderModel, SleepHours
from engine.review.responders import MessageRaceResponder, planned_sends
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


def test_the_model_predicts_exactly_which_sends_fail_as_the_engine_draws_them() -> None:
    # Reacting at once to the first message that arrives: the acknowledgement must land on
    # the first SENT message's delivery instant, which needs the model to know every failure.
    sim = Simulator(seed=11, start=START, fail_probability=0.6)
    _person(sim)
    ns = sim.service.namespace(sim.account, sim.region)
    model = ResponderModel(1.0, Fixed(0.0))
    start = sim.start.timestamp()
    responder = MessageRaceResponder(
        model,
        ARN,
        planned_sends(ns.contacts[ARN], ns.channels),
        sim.knobs,
        lambda: start + sim.elapsed,
        "UTC",
    )
    sim.set_responder(ARN, responder)
    client = sim.client()
    for _ in range(40):
        client.start_engagement(ContactId=ARN, Sender="t", Subject="s", Content="c")
        sim.advance(3600)
    sim.run()
    latency = {"SMS": 5.0, "VOICE": 20.0, "EMAIL": 30.0}
    channel_type = {ch.arn: ch.type for ch in ns.channels.values()}
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
    ns = sim.service.namespace(sim.account, sim.region)
    slow_sms = ResponderModel(1.0, Fixed(3600.0), (("VOICE", Fixed(30.0)),))
    start = sim.start.timestamp()
    sim.set_responder(
        ARN,
        MessageRaceResponder(
            slow_sms,
            ARN,
            planned_sends(ns.contacts[ARN], ns.channels),
            sim.knobs,
            lambda: start + sim.elapsed,
            "UTC",
        ),
    )
    sim.client().start_engagement(ContactId=ARN, Sender="t", Subject="s", Content="c")
    sim.run()
    read = [e for e in sim.events if e["Type"] == "RECEIPT" and e["ReceiptType"] == "READ"]
    # VOICE goes out at 5 min, arrives 20 s later, and is answered 30 s after that.
    assert [round(e["Time"] - start, 3) for e in read] == [350.0]


def test_a_model_asleep_at_page_creation_uses_the_sleep_probability() -> None:
    window = SleepHours(22 * 60, 6 * 60, 0.0, None)
    assert window.contains(23 * 60) and window.contains(5 * 60)
    assert not window.contains(6 * 60) and not window.contains(12 * 60)
