"""Where records go: the event log and the outbox.

The core hands every record (built by ``engine.sim.records``) to a recorder. The in-memory
recorder keeps them for queries and results; a streaming recorder writes them to a sink as they
happen instead of holding a long run in memory.
"""

from __future__ import annotations

import json
import json.encoder
from collections.abc import Callable
from json.encoder import encode_basestring_ascii as json_string
from typing import IO, Any, Literal

from engine.sim import records
from engine.sim.records import EventRecord, MessageRecord
from engine.vocabulary import ChannelType, ReceiptType


class Recorder:
    """Receives records as they happen. Subclasses decide what to keep.

    ``wants(type)``, ``keeps_messages`` and ``page_stages`` let the core skip building records
    nobody keeps.
    """

    keeps_messages = True
    page_stages = True
    """Whether the STAGE_STARTED records of pages' own plans are wanted (when STAGE_STARTED is):
    a recorder that follows only escalation plans' stages says False."""

    def wants(self, event_type: str) -> bool:
        """Whether events of ``event_type`` are kept or written. The engine asks once, when it is
        made, and does not build the records of a frequent type nobody wants."""
        return True

    def event(self, record: EventRecord) -> None:
        """One event-log record."""

    def message(self, record: MessageRecord) -> None:
        """One outbox message."""

    def receipt(
        self,
        time: float,
        engagement: str,
        page: str,
        channel: str | None,
        kind: ReceiptType,
        info: str | None,
    ) -> None:
        """One RECEIPT, the commonest record: a recorder may write it without building it."""
        self.event(records.receipt(time, engagement, page, channel, kind, info))

    def page(self, time: float, engagement: str, page: str, contact: str) -> None:
        """One PAGE_CREATED: a recorder that only counts pages may do so without building it."""
        self.event(records.page_created(time, engagement, page, contact))

    def stage(
        self, time: float, engagement: str, contact: str, index: int, page: str | None
    ) -> None:
        """One STAGE_STARTED (of a page's own plan when ``page`` is given): a recorder that
        reads only some of them may skip building the rest."""
        self.event(records.stage_started(time, engagement, contact, index, page))

    def send(
        self,
        time: float,
        engagement: str,
        page: str,
        channel: str,
        kind: ChannelType,
        attempt: int,
        outcome: Literal["SENT", "ERROR"],
    ) -> None:
        """One MESSAGE event, a send attempt: a recorder may count it without building it."""
        self.event(records.message(time, engagement, page, channel, kind, attempt, outcome))

    def flush(self) -> None:
        """Write out anything held back; a run calls it when it is over."""


class MemoryRecorder(Recorder):
    """Keeps every event and message in lists, in the order they happened."""

    def __init__(self) -> None:
        self.events: list[EventRecord] = []
        self.outbox: list[MessageRecord] = []
        # Bound once: the core calls these on every record.
        self.event = self.events.append  # type: ignore[method-assign,assignment]
        self.message = self.outbox.append  # type: ignore[method-assign,assignment]

    def clear(self) -> None:
        """Forget everything recorded so far."""
        self.events.clear()
        self.outbox.clear()


def json_line_encoder() -> Callable[[Any], str]:
    """``json.dumps(record)``, byte for byte, reusing one C encoder instead of one per call."""
    make = getattr(json.encoder, "c_make_encoder", None)
    if make is None:  # an interpreter without the C accelerator
        return json.dumps
    encoder = json.JSONEncoder()
    iterencode = make(
        None,
        encoder.default,
        json.encoder.encode_basestring_ascii,
        None,
        ": ",
        ", ",
        False,
        False,
        True,
    )

    def dumps(record: Any) -> str:
        return "".join(iterencode(record, 0))

    return dumps


class StreamRecorder(Recorder):
    """Writes events (optionally only some types) to a text sink as JSON Lines; keeps nothing.

    Lines are written in batches (one sink write per ``BATCH`` lines): call :meth:`flush` when
    the run is over.
    """

    keeps_messages = False
    BATCH = 512

    def __init__(self, sink: IO[str], types: frozenset[str] | None = None) -> None:
        self._sink = sink
        self._dumps = json_line_encoder()
        self._types = types
        self._lines: list[str] = []
        self._add = self._lines.append
        self._receipts = types is None or "RECEIPT" in types
        # ARNs come back receipt after receipt: a channel ARN is JSON-quoted, and a page's
        # engagement and page members built, once while in use.
        self._quoted: dict[str, str] = {}
        self._pairs: dict[str, str] = {}

    def wants(self, event_type: str) -> bool:
        return self._types is None or event_type in self._types

    def event(self, record: EventRecord) -> None:
        if self._types is None or record["Type"] in self._types:
            self._line(self._dumps(record) + "\n")

    def receipt(
        self,
        time: float,
        engagement: str,
        page: str,
        channel: str | None,
        kind: ReceiptType,
        info: str | None,
    ) -> None:
        if self._receipts:
            quoted = self._quoted
            self._add(
                records.receipt_line(
                    time,
                    self._pairs.get(page) or self._pair(engagement, page),
                    None if channel is None else quoted.get(channel) or self._quote(channel),
                    kind,
                    info,
                )
            )
            if len(self._lines) >= self.BATCH:
                self.flush()

    def _quote(self, text: str) -> str:
        if len(self._quoted) >= 4 * self.BATCH:  # bounded: memory stays flat over a long run
            self._quoted.clear()
        quoted = self._quoted[text] = json_string(text)
        return quoted

    def _pair(self, engagement: str, page: str) -> str:
        # Keyed by the page alone: a page belongs to one engagement.
        if len(self._pairs) >= 4 * self.BATCH:
            self._pairs.clear()
        pair = self._pairs[page] = records.receipt_pair(json_string(engagement), json_string(page))
        return pair

    def _line(self, line: str) -> None:
        self._add(line)
        if len(self._lines) >= self.BATCH:
            self.flush()

    def flush(self) -> None:
        self._sink.write("".join(self._lines))
        self._lines.clear()
