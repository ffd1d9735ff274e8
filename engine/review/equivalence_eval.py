"""What an incident pages, asked of the engine: one run per policy and distinct signature.

Each run starts a copy of the organisation's simulator at the incident's instant (nobody
responds, no send fails: ``fail_probability`` 0, every other setting the organisation's own),
starts an engagement on the policy, runs until it ends and reads the first attempt of every
page message from the outbox. The engine is the only place escalation rules live: stages,
targets, personal plans, repeats and deduplication are all its own.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

from engine.knobs import Knobs
from engine.review.equivalence_intervals import Signature
from engine.review.inputs import ReviewInput
from engine.simulator import Simulator

Paged = tuple[str, str, float]
"""(person alias, channel type, seconds after the incident) of one first send."""

PageSet = frozenset[Paged]

_REQUEST = {"Sender": "escsim equivalence", "Subject": "equivalence", "Content": "equivalence"}


def quiet_knobs(knobs: Knobs) -> Knobs:
    """The settings of ``knobs`` with no send failing."""
    kept = {k: v for k, v in knobs.as_dict().items() if not k.startswith("fail_probability")}
    return Knobs.from_mapping({**kept, "fail_probability": 0.0})


class Oracle:
    """Page sets of one organisation's policies, each computed once per signature."""

    def __init__(self, review: ReviewInput) -> None:
        sim = review.simulator
        self.knobs = sim.knobs
        snapshot = sim.snapshot()
        self._snapshot = dataclasses.replace(snapshot, knobs=quiet_knobs(sim.knobs), responders=())
        # The compiled shift schedules are shared by every run rather than rebuilt.
        self._schedules = {key: sim.state(*key).schedules for key in sim.namespaces()}
        self._aliases = {arn: c.alias for arn, c in review.organisation.contacts.items()}
        self._cache: dict[tuple[str, Signature], PageSet] = {}
        self.runs = 0

    def pages(self, policy_arn: str, signature: Signature, instant: dt.datetime) -> PageSet:
        """What an incident on ``policy_arn`` at ``instant`` pages; ``signature`` is who is on
        call at its consultations then, the key under which the answer is kept."""
        key = (policy_arn, signature)
        found = self._cache.get(key)
        if found is None:
            found = self._cache[key] = self._run(policy_arn, instant)
        return found

    def _run(self, policy_arn: str, instant: dt.datetime) -> PageSet:
        self.runs += 1
        sim = Simulator.restore(
            dataclasses.replace(self._snapshot, start=instant), schedules=self._schedules
        )
        sim.call("StartEngagement", {"ContactId": policy_arn, **_REQUEST})
        sim.run()
        origin = round(instant.timestamp(), 3)
        return frozenset(
            (
                self._aliases.get(str(m["ContactArn"]), str(m["ContactArn"])),
                str(m["ChannelType"]),
                round(float(m["Time"]) - origin, 3),
            )
            for m in sim.outbox
            if m["Kind"] == "PAGE" and m["Attempt"] == 1
        )
