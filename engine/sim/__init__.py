"""The simulation core: virtual clock, keyed draws, runtime state and escalation processes.

Nothing here prints, parses wire shapes or knows about front ends (architecture.md). It runs on
the domain (``engine.domain``); the service layer drives it; records leave through a recorder.
"""
