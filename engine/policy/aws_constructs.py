"""What an AWS organisation cannot hold of a setup written for the engine.

:func:`engine.policy.aws.write_organisation` gives AWS records plus the engine settings (knobs)
the source product's semantics need and notes on what was read a certain way. A real AWS
account has no escsim settings, so a translation to AWS lists each non-default one, and every
note, as a construct the target cannot express together with what it became. The scenario and
CloudFormation writers share these lines.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from engine.knobs import Knobs
from engine.policy.aws import Written
from engine.policy.model import OnCallSetup

__all__ = ["PRODUCT_NAMES", "setting_constructs", "written_constructs"]

PRODUCT_NAMES: Mapping[str, str] = {
    "aws": "AWS Incident Manager",
    "pagerduty": "PagerDuty",
    "opsgenie": "Opsgenie",
    "goalert": "GoAlert",
}


def written_constructs(setup: OnCallSetup, written: Written) -> list[str]:
    """One line per setting and note of ``written`` that an AWS account cannot hold, then,
    for a setup read from AWS itself, the escsim settings the source ran under."""
    lines = setting_constructs(setup, written.settings)
    lines.extend(written.notes)
    if setup.product == "aws":
        for name, value in setup.settings.items():
            lines.append(
                f"setting {name}={_text(value)}: an escsim setting of the source, not part of "
                f"an AWS organisation: left out (give it to escsim run with --set "
                f"{name}={_text(value)})"
            )
    return lines


def setting_constructs(setup: OnCallSetup, settings: Mapping[str, object]) -> list[str]:
    """The settings ``setup``'s product needs that differ from the engine's AWS defaults, each
    as what the product does, what AWS does instead, and what was written."""
    defaults = Knobs()
    product = PRODUCT_NAMES.get(setup.product, setup.product)
    lines: list[str] = []
    for name, value in settings.items():
        if _text(getattr(defaults, name, None)) == _text(value):
            continue
        if name == "schedule_layers" and value == "last_wins":
            lines.extend(_layered(setup))
        elif name == "essential_ack" and value == "stop_all":
            lines.append(
                f"organisation: in {product} an acknowledgement stops every notification of "
                "the incident; in AWS it stops only later stages (and only an essential "
                "target's does): written as AWS's rule"
            )
        elif name == "earlier_pages" and value == "cancel":
            lines.append(
                f"organisation: when {product} escalates, the responders of earlier steps are "
                "unassigned and their remaining notification rules stop; in AWS each engaged "
                "contact's plan runs on: written as AWS's rule"
            )
        else:
            lines.append(
                f"setting {name}={_text(value)}: {product}'s semantics, which AWS has no "
                "setting for: left out"
            )
    return lines


def _layered(setup: OnCallSetup) -> Sequence[str]:
    return [
        f"schedule {schedule.handle}: its rotations are layers (the last with anyone on call "
        "pages); AWS engages every rotation's on-call: written as one schedule of rotations"
        for schedule in setup.schedules
        if schedule.layered
    ]


def _text(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)
