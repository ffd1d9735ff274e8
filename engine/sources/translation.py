"""A neutral setup written as another product's document: what ``escsim translate`` prints.

AWS gets a scenario file or a CloudFormation template (:mod:`engine.policy.scenario_writer`,
:mod:`engine.policy.cloudformation_writer`); PagerDuty, Opsgenie and GoAlert get their own
export document from their module's ``write`` (:data:`engine.sources.vendors.VENDORS`), as
indented JSON in the writer's key order. Each comes with one line per construct the target
cannot express, saying what it became instead.
"""

from __future__ import annotations

import datetime as dt
import json

from engine.arns import DEFAULT_ACCOUNT, DEFAULT_REGION, parse_arn
from engine.policy.cloudformation_writer import write_template
from engine.policy.model import OnCallSetup
from engine.policy.scenario_writer import Document, write_scenario
from engine.sources.vendors import VENDORS, vendor_module

__all__ = ["FORMATS", "TARGETS", "translate"]

TARGETS = ("aws", *VENDORS)
"""Every product ``translate`` writes."""

FORMATS = ("scenario", "cloudformation")
"""The forms an AWS organisation is written in; other products have one document each."""


def translate(
    setup: OnCallSetup,
    target: str,
    origin: str,
    *,
    form: str = "scenario",
    account: str | None = None,
    region: str | None = None,
) -> Document:
    """``setup`` as ``target``'s document (``form`` for AWS); ``origin`` names the source in
    what is written. Raises ValueError for an unknown target or form."""
    if target not in TARGETS:
        raise ValueError(f"unknown target {target!r} (one of {', '.join(TARGETS)})")
    if form not in FORMATS or (target != "aws" and form != "scenario"):
        raise ValueError(f"{target} has no {form!r} form")
    if target == "aws":
        home_account, home_region = _home(setup)
        account, region = account or home_account, region or home_region
        writer = write_template if form == "cloudformation" else write_scenario
        return writer(setup, origin, account, region)
    document, lines = vendor_module(target).write(setup)
    text = json.dumps(document, indent=2, ensure_ascii=False, default=_instant) + "\n"
    return Document(text, tuple(str(line) for line in lines))


def _home(setup: OnCallSetup) -> tuple[str, str]:
    """The account and region of a setup whose ids are ARNs (an AWS source's, kept), so the
    written organisation stays where its ARNs say; else escsim's defaults."""
    ids = [p.id for p in setup.people] + [p.id for p in setup.policies]
    ids += [s.id for s in setup.schedules]
    for arn in filter(None, (parse_arn(i) for i in ids)):
        return arn.account, arn.region
    return DEFAULT_ACCOUNT, DEFAULT_REGION


def _instant(value: object) -> str:
    """A time a writer left as a ``datetime``, ``date`` or ``time``: ISO 8601 text, ``Z`` for
    UTC, as the products' APIs print them."""
    if isinstance(value, (dt.datetime, dt.date, dt.time)):
        return value.isoformat().replace("+00:00", "Z")
    raise TypeError(f"a {type(value).__name__} has no JSON form")
