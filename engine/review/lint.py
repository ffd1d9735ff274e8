"""Lint of an organisation: the contact graph's findings plus the review's own (G8xx).

Every finding comes from the one catalogue in ``engine.findings``, with its stable id, its path
(``contact/akuam.Plan.Stages[1].Targets[0]``) and why it matters. The review adds:

- G801 retries the settings never let fire (``retry_mode: until_ack`` with an interval not
  shorter than the stage, ``max_retries: 0``);
- G802 personal stages that start only after the contact's responder model has certainly
  acknowledged (a scripted READ, or probability 1 with a bounded delay);
- G803 personal stages that start only once the escalation plan that engaged the contact has
  moved on to its next stage;
- G804 contacts paged through a single channel type, G805 those paged by SMS only, who never
  receive the secure Subject and Content;
- G806, G807, G808 from the coverage proof: first stages that page nobody at times, schedules
  with nobody on call at times, escalation plans that reach nobody at all at times.

For a scenario file every finding also carries where it sits in the file (``Location``, and
``Line`` when known).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING

from engine.domain import ChannelTarget, Contact, ContactTarget, Organisation, Stage
from engine.findings import CATALOGUE, Finding, find_kind
from engine.graph import ContactGraph, StageRow
from engine.scenario.paths import format_path, parse_path
from engine.sim.responders import Fixed, ProbabilisticResponder, ScriptedResponder, Uniform
from engine.timeutil import format_duration, isoformat

if TYPE_CHECKING:
    from engine.coverage import Gap
    from engine.review.gaps import SubjectCoverage
    from engine.review.inputs import ReviewInput


def _at(name: str, path: str, subject: str, message: str) -> Finding:
    return find_kind(name).at(path, subject, message)


def _root(arn: str) -> str:
    return arn.split(":", 5)[-1]


def lint(review: ReviewInput, coverage: Sequence[SubjectCoverage] = ()) -> list[Finding]:
    """Every finding about ``review``'s organisation, sorted by path then id."""
    graph = review.graph
    findings = list(graph.validate())
    ns = review.organisation
    knobs = review.simulator.knobs
    findings.extend(_retry_findings(ns, knobs.retry_mode, knobs.max_retries))
    findings.extend(_acknowledged_stage_findings(ns, graph, review.responders))
    findings.extend(_next_tier_findings(ns, graph, knobs.repeat))
    findings.extend(_channel_type_findings(ns, graph))
    findings.extend(_coverage_findings(coverage))
    return sorted(findings)


def _stages(contact: Contact) -> tuple[Stage, ...]:
    return contact.plan.stages or ()


def _channel_kinds(ns: Organisation, row: StageRow) -> list[str]:
    """The types of the channels a person's stage pages (the graph's rule: activated, own)."""
    return [ns.channels[t.arn].type for t in row.targets if t.can_page and t.arn is not None]


def _retry_findings(ns: Organisation, retry_mode: str, max_retries: int) -> list[Finding]:
    found: list[Finding] = []
    for contact in ns.contacts.values():
        if contact.type != "PERSONAL":
            continue
        for i, stage in enumerate(_stages(contact)):
            duration = stage.duration
            for j, target in enumerate(stage.targets):
                interval = (target.retry_interval or 0) if isinstance(target, ChannelTarget) else 0
                if interval <= 0:
                    continue
                path = (
                    f"{_root(contact.arn)}.Plan.Stages[{i}].Targets[{j}]"
                    ".ChannelTargetInfo.RetryIntervalInMinutes"
                )
                if retry_mode == "until_ack" and interval >= duration:
                    why = (
                        f"with retry_mode until_ack a re-send must start before stage {i} ends, "
                        f"but its retry interval of {interval} min is not shorter than the "
                        f"stage's {duration} min"
                    )
                elif retry_mode == "on_failure" and max_retries == 0:
                    why = f"max_retries is 0, so the retry interval of {interval} min never fires"
                else:
                    continue
                found.append(_at("retry-never-sent", path, contact.arn, f"{contact.alias}: {why}"))
    return found


def certain_acknowledgement(model: object) -> float | None:
    """Seconds after page creation by which ``model`` has surely acknowledged (READ), or None
    when it may not acknowledge at all or its delay has no upper bound."""
    if isinstance(model, ScriptedResponder):
        return model.delay if model.accept_type == "READ" else None
    if isinstance(model, ProbabilisticResponder):
        if model.accept_type != "READ" or model.probability < 1.0:
            return None
        if isinstance(model.delay, Fixed):
            return model.delay.seconds
        if isinstance(model.delay, Uniform):
            return model.delay.high
    return None


def _acknowledged_stage_findings(
    ns: Organisation, graph: ContactGraph, responders: Mapping[str, object]
) -> list[Finding]:
    found: list[Finding] = []
    for arn, model in sorted(responders.items()):
        contact = ns.contacts.get(arn)
        bound = certain_acknowledgement(model)
        if contact is None or contact.type != "PERSONAL" or bound is None:
            continue
        for i, offset in enumerate(row.start_offset_minutes for row in graph.stage_table(arn)):
            # The acknowledgement was scheduled when the page was created, before any later
            # stage, so at the same instant it comes first (docs/semantics.md T1c).
            if i >= 1 and offset * 60.0 >= bound:
                found.append(
                    _at(
                        "stage-after-certain-acknowledgement",
                        f"{_root(arn)}.Plan.Stages[{i}]",
                        arn,
                        f"stage {i} of {contact.alias} starts {offset} min after the page, but "
                        f"the responder model acknowledges within {format_duration(bound)}",
                    )
                )
    return found


def _next_tier_findings(ns: Organisation, graph: ContactGraph, repeat: int) -> list[Finding]:
    found: list[Finding] = []
    for plan in ns.contacts.values():
        if plan.type != "ESCALATION":
            continue
        stages = _stages(plan)
        for j, stage in enumerate(stages):
            if j == len(stages) - 1 and repeat == 0:
                continue  # nothing follows the last stage
            duration = stage.duration
            for t, target in enumerate(stage.targets):
                engaged = target.contact_arn if isinstance(target, ContactTarget) else None
                person = ns.contacts.get(engaged or "")
                if person is None or person.type != "PERSONAL":
                    continue
                late = [
                    f"stage {row.index} ({'/'.join(_channel_kinds(ns, row)) or 'no channel'} at "
                    f"{row.start_offset_minutes} min)"
                    for row in graph.stage_table(person.arn)
                    if row.index >= 1 and row.start_offset_minutes >= duration
                ]
                if late:
                    found.append(
                        _at(
                            "stage-after-next-tier",
                            f"{_root(plan.arn)}.Plan.Stages[{j}].Targets[{t}]",
                            plan.arn,
                            f"{plan.alias} moves on from stage {j} {duration} min after "
                            f"engaging {person.alias}, by the time {person.alias}'s own plan "
                            "reaches " + ", ".join(late),
                        )
                    )
    return found


def _channel_type_findings(ns: Organisation, graph: ContactGraph) -> list[Finding]:
    found: list[Finding] = []
    for contact in ns.contacts.values():
        if contact.type != "PERSONAL":
            continue
        kinds = sorted(
            {k for row in graph.stage_table(contact.arn) for k in _channel_kinds(ns, row)}
        )
        path = f"{_root(contact.arn)}.Plan"
        if len(kinds) == 1:
            found.append(
                _at(
                    "single-channel-type",
                    path,
                    contact.arn,
                    f"{contact.alias} is paged through {kinds[0]} only",
                )
            )
        if kinds == ["SMS"]:
            found.append(
                _at(
                    "secure-content-never-delivered",
                    path,
                    contact.arn,
                    f"{contact.alias} is paged by SMS only, which never carries Subject or Content",
                )
            )
    return found


def _describe(gaps: Sequence[Gap]) -> str:
    total = sum(gap.seconds for gap in gaps)
    first = gaps[0]
    return (
        f"{len(gaps)} stretch(es) totalling {format_duration(total)}; the first from "
        f"{isoformat(first.start.timestamp())} to {isoformat(first.end.timestamp())} "
        f"({first.reason})"
    )


def _coverage_findings(coverage: Iterable[SubjectCoverage]) -> list[Finding]:
    found: list[Finding] = []
    for subject in coverage:
        path, alias = f"{_root(subject.arn)}.Plan", subject.alias
        if subject.kind == "escalation":
            checks = [
                (
                    "first-stage-gap",
                    f"{path}.Stages[0]",
                    subject.first_stage,
                    f"the first stage of {alias} pages nobody for ",
                ),
                ("escalation-gap", path, subject.nobody, f"{alias} reaches nobody at all for "),
            ]
        else:
            checks = [
                (
                    "schedule-gap",
                    f"{path}.RotationIds",
                    subject.nobody,
                    f"nobody on {alias} can be paged for ",
                ),
            ]
        found.extend(
            _at(name, where, subject.arn, text + _describe(gaps))
            for name, where, gaps, text in checks
            if gaps
        )
    return found


def lint_document(review: ReviewInput, findings: Sequence[Finding]) -> dict[str, object]:
    """The lint section: findings as JSON (with file locations for a scenario), and counts."""
    roots = _scenario_roots(review)
    records = []
    for finding in findings:
        record: dict[str, object] = dict(finding.as_dict())
        record["Why"] = CATALOGUE[finding.kind].why
        _locate(review, roots, finding.path, record)
        records.append(record)
    return {
        "findings": records,
        "errors": sum(1 for f in findings if f.is_error),
        "warnings": sum(1 for f in findings if not f.is_error),
    }


def _scenario_roots(review: ReviewInput) -> dict[str, tuple[str | int, ...]]:
    """Resource part of each ARN the scenario file declares -> where it sits in the file."""
    roots: dict[str, tuple[str | int, ...]] = {}
    if review.scenario is None:
        return roots
    organisation = review.scenario.organisation
    for index, contact in enumerate(organisation.contacts):
        roots[_root(contact["ContactArn"])] = ("contacts", index)
    for index, channel in enumerate(organisation.channels):
        roots[_root(channel["ContactChannelArn"])] = ("channels", index)
    return roots


def _locate(
    review: ReviewInput,
    roots: dict[str, tuple[str | int, ...]],
    path: str,
    record: dict[str, object],
) -> None:
    scenario = review.scenario
    root, _, rest = path.partition(".")
    compiled = roots.get(root)
    if scenario is None or compiled is None:
        return
    source_path = scenario.organisation.paths.to_source((*compiled, *parse_path(rest)))
    record["Location"] = format_path(source_path)
    line = scenario.source.line_of(source_path)
    if line is not None:
        record["Line"] = line
