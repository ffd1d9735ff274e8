"""Recorders: the streaming encoder writes exactly what json.dumps would."""

from __future__ import annotations

import io
import json
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from engine.sim.recorder import MemoryRecorder, StreamRecorder, json_line_encoder

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
    assert sink.getvalue() == '{"Time": 2.0, "Type": "RECEIPT", "ReceiptType": "SENT"}\n'


def test_memory_recorder_keeps_everything_in_order() -> None:
    recorder = MemoryRecorder()
    recorder.event({"Type": "A"})
    recorder.message({"Kind": "PAGE"})
    recorder.event({"Type": "B"})
    assert [e["Type"] for e in recorder.events] == ["A", "B"]
    assert recorder.outbox == [{"Kind": "PAGE"}]
    recorder.clear()
    assert recorder.events == [] and recorder.outbox == []
