"""Review responder models: a person reacts to the messages that reach them, channel by channel.

:class:`MessageResponder` is an engine responder that reacts to messages (docs/semantics.md
E15): the engine tells it of each message of a page as it reaches the person (after the channel
type's latency, whatever ``delivery_receipts`` records) and schedules the acknowledgement it
answers with; the earliest one wins, and a page closed first cancels the rest. So the review
follows the engine's own sends, retries and failures rather than predicting them.

The person is available for a page with the model's probability (the sleep probability when the
page is created within their sleep hours, in their zone): one keyed draw per page. An available
person reacts to each message after a delay drawn for that message (keyed by its channel, stage
and attempt) from the channel type's distribution. A page none of whose messages arrives is never
acknowledged.
"""

from __future__ import annotations

import datetime as dt

from engine.oncall.zones import load_zone
from engine.review.incidents import ResponderModel
from engine.sim.rng import KeyedRandom
from engine.vocabulary import ChannelType


class MessageResponder:
    """An engine responder acknowledging on the earliest reaction to a delivered message.

    ``zone`` is the person's zone, for sleep hours that name none.
    """

    __slots__ = ("_model", "_sleep_zone")

    accept_type = "READ"
    channel_type = None  # the acknowledgement names the page's latest message

    def __init__(self, model: ResponderModel, zone: str) -> None:
        self._model = model
        sleep = model.sleep
        self._sleep_zone = load_zone(sleep.zone or zone) if sleep is not None else None

    def acknowledgement_delay(self, rng: KeyedRandom, key: tuple[str, ...]) -> float | None:
        return None  # nothing is decided at creation but availability

    def reacts_to_messages(self, rng: KeyedRandom, key: tuple[str, ...], instant: float) -> bool:
        """Whether the person is available for this page (E15)."""
        probability = self._model.probability
        sleep = self._model.sleep
        if sleep is not None and self._sleep_zone is not None:
            local = dt.datetime.fromtimestamp(instant, self._sleep_zone)
            if sleep.contains(local.hour * 60 + local.minute):
                probability = sleep.probability
        return rng.uniform("available", *key) < probability

    def reaction_delay(
        self, rng: KeyedRandom, key: tuple[str, ...], channel_type: ChannelType
    ) -> float | None:
        """Seconds from the message's arrival to the acknowledgement."""
        return self._model.delay_for(channel_type).draw(rng, key)
