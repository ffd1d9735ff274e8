"""Compiling a scenario's script: times, step ids, references and contact aliases.

Checked before anything runs: steps in time order, unique step ids, ``${id...}`` and an
``acknowledge``'s engagement naming earlier steps. A bare alias where a contact ARN is expected
(``ContactId``, ``ContactArn``, ``ContactIds``, ``NewContactIds``; ``ResourceARN`` when it is an
alias of the scenario) becomes ``contact/<alias>``; a ``RotationOverrideId`` may be the id of an
earlier CreateRotationOverride step or of a declared override. Rotation names become ARNs when
the step runs (see the runner).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import time
from collections.abc import Mapping
from typing import Any

from engine.arns import make_arn
from engine.scenario.errors import Problem
from engine.scenario.expect.model import ExpectedError
from engine.scenario.model import Step
from engine.scenario.organisation import ALIAS
from engine.scenario.paths import FieldPath, map_strings
from engine.scenario.references import ReferenceError, find_references
from engine.scenario.yamlsource import Source
from engine.timeutil import representable

__all__ = ["Acknowledgement", "CompiledStep", "compile_script", "script_aliases"]

_CONTACT_MEMBERS = frozenset({"ContactId", "ContactArn", "ContactIds", "NewContactIds"})


@dataclasses.dataclass(frozen=True, slots=True)
class Acknowledgement:
    """The ``acknowledge`` convenience: accept the latest page of a contact in an engagement."""

    contact_arn: str
    engagement: str
    """``${step.EngagementArn}`` or an engagement ARN."""
    accept_type: str
    note: str | None


@dataclasses.dataclass(frozen=True, slots=True)
class CompiledStep:
    """One step, ready to run: ``request`` may still hold ``${...}`` references."""

    index: int
    path: FieldPath
    line: int | None
    at: float | dt.datetime
    id: str | None
    expect_error: str | None
    operation: str
    """The AWS operation called (AcceptPage for ``acknowledge``)."""
    request: dict[str, Any]
    acknowledgement: Acknowledgement | None = None
    expect_error_detail: ExpectedError | None = None
    """``expect_error`` written as a mapping: message and members to match besides the code."""


def script_aliases(steps: list[Step]) -> list[str]:
    """Aliases of contacts that the script itself creates (CreateContact)."""
    aliases = [step.request().get("Alias") for step in steps if step.action == "CreateContact"]
    return [alias for alias in aliases if isinstance(alias, str)]


def compile_script(
    steps: list[Step],
    *,
    at: FieldPath,
    start: dt.datetime | None,
    account: str,
    region: str,
    aliases: dict[str, str],
    source: Source,
    override_ids: Mapping[str, str] | None = None,
) -> tuple[list[CompiledStep], list[Problem]]:
    """Every step compiled, and every problem found. ``aliases``: alias -> contact ARN;
    ``override_ids``: id of a declared override -> its RotationOverrideId."""
    compiled: list[CompiledStep] = []
    problems: list[Problem] = []
    known_aliases = set(aliases) | set(script_aliases(steps))
    earlier_ids: set[str] = set()
    overrides: dict[str, str] = dict(override_ids or {})
    previous: tuple[float | dt.datetime, FieldPath] | None = None

    def contact_arn(alias: str) -> str:
        return make_arn(region, account, "contact", alias)

    def convert(member: str, text: str) -> str:
        """A contact alias where a contact is expected as its ARN; an override or step id
        given as RotationOverrideId as the override's id."""
        names_contact = member in _CONTACT_MEMBERS or (
            member == "ResourceARN" and text in known_aliases
        )
        if names_contact and ALIAS.match(text):
            return contact_arn(text)
        if member == "RotationOverrideId":
            return overrides.get(text, text)
        return text

    for index, step in enumerate(steps):
        step_at = (*at, index)
        problems.extend(_check_order(step.at, previous, start, step_at, source))
        previous = (step.at, step_at)
        action = step.action
        payload_at = (*step_at, action)
        acknowledgement = None
        if step.acknowledge is not None:
            operation = "AcceptPage"
            request: dict[str, Any] = {}
            ack = step.acknowledge
            engagement = ack.engagement
            if engagement.startswith("${"):
                problems.extend(
                    _check_references(engagement, (*payload_at, "engagement"), earlier_ids, source)
                )
            elif not engagement.startswith("arn:"):
                if engagement not in earlier_ids:
                    problems.append(
                        source.problem(
                            (*payload_at, "engagement"),
                            f"no earlier step has id {engagement!r} (write the id of the step "
                            "that started the engagement, a ${...} reference or an ARN)",
                        )
                    )
                engagement = f"${{{engagement}.EngagementArn}}"
            contact = ack.contact
            if ALIAS.match(contact):
                if contact not in known_aliases:
                    problems.append(
                        source.problem(
                            (*payload_at, "contact"),
                            f"no contact named {contact!r} in this scenario",
                        )
                    )
                contact = contact_arn(contact)
            acknowledgement = Acknowledgement(contact, engagement, ack.accept_type, ack.note)
        else:
            operation = action
            request = map_strings(step.request(), convert)
            problems.extend(_check_references(request, payload_at, earlier_ids, source))
        if step.id is not None:
            if step.id in earlier_ids:
                problems.append(
                    source.problem((*step_at, "id"), f"step id {step.id!r} is used twice")
                )
            earlier_ids.add(step.id)
            if operation == "CreateRotationOverride":
                overrides[step.id] = f"${{{step.id}.RotationOverrideId}}"
        compiled.append(
            CompiledStep(
                index=index,
                path=step_at,
                line=source.line_of(step_at),
                at=step.at,
                id=step.id,
                expect_error=(
                    step.expect_error.code
                    if isinstance(step.expect_error, ExpectedError)
                    else step.expect_error
                ),
                operation=operation,
                request=request,
                acknowledgement=acknowledgement,
                expect_error_detail=(
                    step.expect_error if isinstance(step.expect_error, ExpectedError) else None
                ),
            )
        )
    return compiled, problems


def _check_order(
    when: float | dt.datetime,
    previous: tuple[float | dt.datetime, FieldPath] | None,
    start: dt.datetime | None,
    at: FieldPath,
    source: Source,
) -> list[Problem]:
    problems = []
    here = _comparable(when, start)
    if not isinstance(when, dt.datetime):
        # Without a start the run begins at the wall clock: judge the offset from now.
        base = start.timestamp() if start is not None else time.time()
        if not representable(base + when):
            problems.append(
                source.problem(
                    (*at, "at"),
                    "the step falls after the year 9999, past the last instant escsim can "
                    "represent",
                    with_value=True,
                )
            )
    if isinstance(when, dt.datetime) and start is not None and when < start:
        problems.append(
            source.problem(
                (*at, "at"),
                f"{when.isoformat()} is before the scenario's start {start.isoformat()}",
            )
        )
    if previous is not None:
        before = _comparable(previous[0], start)
        if here is not None and before is not None and here < before:
            problems.append(
                source.problem(
                    (*at, "at"),
                    "steps run in time order: this step comes before the step above it",
                    with_value=True,
                )
            )
    return problems


def _comparable(when: float | dt.datetime, start: dt.datetime | None) -> float | None:
    if isinstance(when, dt.datetime):
        return (when - start).total_seconds() if start is not None else None
    return when


def _check_references(
    value: Any, at: FieldPath, earlier: set[str], source: Source
) -> list[Problem]:
    problems: list[Problem] = []
    if isinstance(value, dict):
        for key, item in value.items():
            problems.extend(_check_references(item, (*at, str(key)), earlier, source))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            problems.extend(_check_references(item, (*at, index), earlier, source))
    elif isinstance(value, str) and "$" in value:
        try:
            references = find_references(value)
        except ReferenceError as exc:
            return [source.problem(at, str(exc))]
        for reference in references:
            if reference.step not in earlier:
                problems.append(
                    source.problem(
                        at,
                        f"{reference.text} refers to no earlier step with id {reference.step!r}",
                    )
                )
    return problems
