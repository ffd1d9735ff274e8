"""The vendor-neutral on-call policy (:mod:`engine.policy.model`) and its way into the engine.

Products' organisations are read into :class:`~engine.policy.model.OnCallSetup` and compiled
from it into the engine's organisation, so one engine simulates every product's policies.
"""
