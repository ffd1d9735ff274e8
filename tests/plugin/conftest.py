"""Helpers for the pytest plugin's tests: scenario texts and a pytester run with the plugin.

The pytester plugin is requested by each test module (``pytest_plugins = ["pytester"]``):
pytest refuses ``pytest_plugins`` in a conftest.py below the rootdir. The escsim plugin is
loaded with ``-p engine.scenario.plugin`` so the tests pass whether or not the ``pytest11``
entry point also registers it.
"""

from __future__ import annotations

from pathlib import Path

import pytest

PLUGIN = (
    "-p",
    "engine.scenario.plugin",
    "-p",
    "no:unraisableexception",
    "-W",
    "ignore::pytest.PytestAssertRewriteWarning",
    "-o",
    "addopts=",
)
"""Load the plugin (already imported by this process when the entry point registered it, hence
the rewrite warning to ignore); skip the unraisable-exception plugin, whose garbage collection
after each run costs more than the run itself in a process this size. Runs on the project's own
files would read its pytest options, whose ``-n auto`` needs xdist, which autoload-free runs
lack: no addopts."""
SCENARIOS = Path(__file__).resolve().parents[2] / "scenarios"

ORGANISATION = """\
start: 2026-01-01T09:00:00Z
region: us-east-2
contacts:
  akuam:
    channels:
      sms: {type: SMS, address: "+15550100"}
      voice: {type: VOICE, address: "+15550100"}
    plan:
      - {duration: 5, targets: [{channel: sms}]}
      - {duration: 5, targets: [{channel: voice}]}
script:
  - at: 0m
    id: page
    StartEngagement: {ContactId: akuam, Sender: ops, Subject: s, Content: c}
"""
"""One contact paged by SMS at 0m and VOICE at 5m: the part of a file after version and name."""

GOOD = (
    "version: 1\nname: sms-then-voice\n"
    + ORGANISATION
    + """\
expect:
  messages:
    - {at: 0m, channel: SMS}
    - {at: 5m, channel: VOICE}
"""
)
"""A scenario that passes."""

WRONG_TIME = GOOD.replace("{at: 5m, channel: VOICE}", "{at: 5m30s, channel: VOICE}")
"""The same with the VOICE message expected 30 seconds late (messages at line 18, the VOICE
row at line 20)."""

TWO = (
    "version: 1\n"
    + ORGANISATION
    + """\
scenarios:
  - name: first-one
    expect:
      counts: [{messages: 2}]
  - name: second-one
    expect:
      counts: [{messages: 1, channel: VOICE}]
"""
)
"""A file holding two scenarios that both pass."""


def run(pytester: pytest.Pytester, *args: str) -> pytest.RunResult:
    """pytest in pytester's folder with the escsim plugin loaded and no other plugin
    installed in the environment (entry points would re-import their modules on every run)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("PYTEST_DISABLE_PLUGIN_AUTOLOAD", "1")
        return pytester.runpytest(*PLUGIN, *args)
