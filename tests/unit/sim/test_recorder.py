"""Recorders: the streaming encoders write exactly what json.dumps would, in batches; a
recorder may take pages through a hook and decline pages' own stages."""

from __future__ import annotations

import io
import json
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from engine.sim import records
from engine.sim.recorder import MemoryRecorder, StreamRecorder, json_line_encoder
from engine.vocabulary import ReceiptType

scalars = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text()
values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=12,
)


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(st.text(), values, max_size=6))
def test_json_line_encoder_is_byte_identical_to_json_dumps(record: dict[str, Any]) -> None:
    assert json_line_encoder()(record) == json.dumps(record)


def test_stream_recorder_writes_only_the_types_asked_for() -> None:
    sink = io.StringIO()
    recorder = StreamRecorder(sink, frozenset({"RECEIPT"}))
    assert recorder.wants("RECEIPT") and not recorder.wants("MESSAGE")
    assert not recorder.keeps_messages
    recorder.event({"Time": 1.5, "Type": "MESSAGE"})
    recorder.event({"Time": 2.0, "Type": "RECEIPT", "ReceiptType": "SENT"})
    recorder.message({"Kind": "PAGE"})
    recorder.receipt(3.0, "e", "p", None, "READ", None)
    assert sink.getvalue() == ""  # held back until a batch fills or the run flushes
    recorder.flush()
    assert sink.getvalue() == (
        '{"Time": 2.0, "Type": "RECEIPT", "ReceiptType": "SENT"}\n'
        '{"Time": 3.0, "Type": "RECEIPT", "EngagementArn": "e", "PageArn": "p", '
        '"ReceiptType": "READ"}\n'
    )


def test_stream_recorder_writes_a_full_batch_at_once() -> None:
    sink = io.StringIO()
    recorder = StreamRecorder(sink)
    for i in range(StreamRecorder.BATCH):
        recorder.receipt(float(i), "e", "p", "c", "SENT", "m")
    assert sink.getvalue().count("\n") == StreamRecorder.BATCH


@settings(max_examples=200, deadline=None)
@given(
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(),
    st.text(),
    st.none() | st.text(),
    st.sampled_from(["SENT", "DELIVERED", "READ", "ERROR", "STOP"]),
    st.none() | st.text(),
)
def test_receipt_line_is_json_dumps_of_the_receipt_record(
    time: float,
    engagement: str,
    page: str,
    channel: str | None,
    kind: ReceiptType,
    info: str | None,
) -> None:
    record = records.receipt(time, engagement, page, channel, kind, info)
    sink = io.StringIO()
    stream = StreamRecorder(sink)
    stream.receipt(time, engagement, page, channel, kind, info)
    stream.receipt(time, engagement, page, channel, kind, info)  # quoted ARNs reused
    stream.flush()
    assert sink.getvalue() == 2 * (json.dumps(record) + "\n")
    # The base recorder builds the record itself.
    memory = MemoryRecorder()
    memory.receipt(time, engagement, page, channel, kind, info)
    assert memory.events == [record]


def test_memory_recorder_keeps_everything_in_order() -> None:
    recorder = MemoryRecorder()
    recorder.event({"Type": "A"})
    recorder.message({"Kind": "PAGE"})
    recorder.event({"Type": "B"})
    assert [e["Type"] for e in recorder.events] == ["A", "B"]
    assert recorder.outbox == [{"Kind": "PAGE"}]
    recorder.clear()
    assert recorder.events == [] and recorder.outbox == []


class _PlanStagesAndPageCounts(MemoryRecorder):
    """Declines pages' own stages and takes pages through the ``page`` hook."""

    page_stages = False

    def __init__(self) -> None:
        super().__init__()
        self.pages: list[records.PageCreated] = []

    def page(self, time: float, engagement: str, page: str, contact: str) -> None:
        self.pages.append(records.page_created(time, engagement, page, contact))


def test_a_recorder_can_decline_pages_own_stages_and_take_pages_through_a_hook() -> None:
    from pathlib import Path

    from engine.review.inputs import scenario_input

    seed = Path(__file__).parents[3] / "scenarios" / "seed-escalation-engagement.scenario.yaml"
    review = scenario_input(str(seed))
    plan = review.contact_arn("example_escalation")
    full, hooked = MemoryRecorder(), _PlanStagesAndPageCounts()
    for recorder in (full, hooked):
        sim = review.simulator.fork(seed=1, recorder=recorder)
        sim.call(
            "StartEngagement", {"ContactId": plan, "Sender": "t", "Subject": "s", "Content": "c"}
        )
        sim.run()

    def of_type(events: list[Any], kind: str) -> list[Any]:
        return [event for event in events if event["Type"] == kind]

    stages = of_type(full.events, "STAGE_STARTED")
    assert any("PageArn" in stage for stage in stages)  # the run has pages' own stages
    assert of_type(hooked.events, "STAGE_STARTED") == [s for s in stages if "PageArn" not in s]
    assert hooked.pages == of_type(full.events, "PAGE_CREATED") != []
    assert of_type(hooked.events, "PAGE_CREATED") == []
    untouched = [e for e in full.events if e["Type"] not in ("STAGE_STARTED", "PAGE_CREATED")]
    assert [e for e in hooked.events if e["Type"] != "STAGE_STARTED"] == untouched
