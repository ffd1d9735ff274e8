"""Running a compiled scenario on a :class:`~engine.simulator.Simulator`.

Build the simulator, import the organisation (``sim.import_resources``, both forms), set the
responders, then for each step ``advance_to`` its time and call its operation, and ``run`` to
quiescence. A failed step is recorded, not raised. Where a request expects a rotation
(``RotationId``, ``RotationIds``, ``ResourceARN``), the name of a rotation the scenario declares
or an earlier step created stands for its ARN.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from engine.errors import ResourceNotFoundException, ServiceError, error_line
from engine.knobs import Knobs, flatten
from engine.scenario.errors import Problem, ScenarioError, unique
from engine.scenario.expect.values import error_problems
from engine.scenario.loader import Scenario
from engine.scenario.organisation import contact_alias
from engine.scenario.paths import format_path, map_strings, parse_path
from engine.scenario.references import ReferenceError, resolve
from engine.scenario.script import CompiledStep
from engine.timeutil import UTC, epoch_seconds
from engine.workspace.responders import responder_from_spec

if TYPE_CHECKING:
    from engine.simulator import Simulator

__all__ = [
    "RunOutcome",
    "StepOutcome",
    "build_simulator",
    "jsonable",
    "rewrite_arns",
    "run_scenario",
]

_IMPORT_PREFIX = "organisation"
_NO_CODE = "000000"


@dataclasses.dataclass
class StepOutcome:
    """What one step did: the request sent, and the response, the error or why it was skipped."""

    step: CompiledStep
    time: float
    """Epoch seconds when the step ran."""
    offset: float
    """Seconds after the start."""
    events_before: int
    """How many events the log held when the step ran (to place it in a timeline)."""
    request: dict[str, object] | None = None
    response: dict[str, object] | None = None
    error: dict[str, object] | None = None
    """``{"Code", "Message", **members}`` of an AWS error."""
    skipped: str | None = None

    @property
    def ok(self) -> bool:
        """Did the step do what the scenario says (succeed, or fail with ``expect_error``)?"""
        if self.skipped is not None:
            return False
        expected = self.step.expect_error
        if self.error is None:
            return expected is None
        if expected is None or self.error["Code"] != expected:
            return False
        return not self.error_detail_problems()

    def error_detail_problems(self) -> list[str]:
        """How the error differs from a detailed ``expect_error`` (message, members)."""
        detail = self.step.expect_error_detail
        if detail is None or self.error is None:
            return []
        start = dt.datetime.fromtimestamp(self.time - self.offset, UTC)
        return error_problems(detail, self.error, start)

    def failure(self) -> str | None:
        """Why the step counts as failed, in the AWS CLI's words where it was an AWS error."""
        if self.ok:
            return None
        operation = self.step.operation
        if self.skipped is not None:
            return f"skipped: {self.skipped}"
        if self.error is None:
            return f"expected {self.step.expect_error}, but the {operation} call succeeded"
        said = error_line(str(self.error["Code"]), operation, str(self.error["Message"]))
        if self.step.expect_error is not None and self.error["Code"] == self.step.expect_error:
            return f"{'; '.join(self.error_detail_problems())}; the error was: {said}"
        if self.step.expect_error is not None:
            return f"expected {self.step.expect_error}, but: {said}"
        return said

    def as_dict(self) -> dict[str, object]:
        record: dict[str, object] = {
            "Index": self.step.index,
            "Path": format_path(self.step.path),
            "At": round(self.offset, 3),
            "Time": self.time,
            "Operation": self.step.operation,
        }
        optional = {
            "Id": self.step.id,
            "Acknowledge": True if self.step.acknowledgement is not None else None,
            "Request": jsonable(self.request),
            "Response": jsonable(self.response),
            "Error": jsonable(self.error),
            "ExpectError": self.step.expect_error,
            "Skipped": self.skipped,
        }
        record.update({key: value for key, value in optional.items() if value is not None})
        record["Ok"] = self.ok
        return record


@dataclasses.dataclass
class RunOutcome:
    """A finished run: the scenario, its simulator, each step, and the import's ARN map."""

    scenario: Scenario
    simulator: Simulator
    steps: list[StepOutcome]
    arns: dict[str, str]
    """ARN as written in the file -> ARN in the run."""
    import_events: int = 0
    """How many events the import of the organisation recorded (they open the log)."""

    @property
    def failures(self) -> list[StepOutcome]:
        return [step for step in self.steps if not step.ok]

    def result(self) -> dict[str, object]:
        """``sim.result()`` with the scenario's name and every step: the ``--output json``."""
        result = self.simulator.result()
        out: dict[str, object] = {"escsim": result.pop("escsim")}
        out["scenario"] = {
            "name": self.scenario.name,
            "description": self.scenario.description,
        }
        out.update(result)
        # The simulator's result is JSON-ready and each step converts its own request and
        # response: no second walk over the (possibly huge) event log.
        out["steps"] = [step.as_dict() for step in self.steps]
        return out

    def channel_names(self) -> dict[str, str]:
        """Channel ARN in the run -> its name, for the channels the scenario declared."""
        names = self.scenario.organisation.channel_names
        return {self.arns.get(arn, arn): name for arn, name in names.items()}


def build_simulator(
    scenario: Scenario,
    *,
    seed: int | None = None,
    settings: Mapping[str, Any] | None = None,
) -> tuple[Simulator, dict[str, str]]:
    """A simulator holding the scenario's organisation and responders, at its start instant.

    ``seed`` and ``settings`` (dotted names allowed) override the file's. Raises KnobError for a bad
    setting, ScenarioError when the organisation does not import."""
    from engine.simulator import Simulator

    merged = {**scenario.settings, **flatten(settings or {})}
    knobs = Knobs.from_mapping(merged)
    sim = Simulator(
        seed=scenario.seed if seed is None else seed,
        start=scenario.start,
        account=scenario.account,
        region=scenario.region,
        settings=knobs,
    )
    organisation = scenario.organisation
    try:
        arns = sim.import_resources(
            organisation.contacts,
            organisation.channels,
            organisation.rotations,
            organisation.overrides,
            path=_IMPORT_PREFIX,
        )
    except ServiceError as exc:
        raise ScenarioError(scenario.file, _import_problems(scenario, exc)) from None
    for entry in scenario.responders:
        contact = arns.get(entry.contact, entry.contact)
        sim.set_responder(contact, responder_from_spec(entry.model.model_dump(mode="json")))
    return sim, arns


def run_scenario(
    scenario: Scenario,
    *,
    seed: int | None = None,
    settings: Mapping[str, Any] | None = None,
) -> RunOutcome:
    """Build the simulator, run every step, then run to quiescence. Raises KnobError and
    ScenarioError as :func:`build_simulator` does, and for a step time before the current time."""
    sim, arns = build_simulator(scenario, seed=seed, settings=settings)
    import_events = len(sim.events)
    client = sim.client()
    responses: dict[str, dict[str, object]] = {}
    outcomes: list[StepOutcome] = []
    rotations = {
        name: arns.get(arn, arn) for name, arn in scenario.organisation.rotation_names.items()
    }
    for step in scenario.steps:
        _advance(sim, scenario, step)
        outcome = StepOutcome(
            step=step,
            time=epoch_seconds(sim.now),
            offset=sim.elapsed,
            events_before=len(sim.events),
        )
        outcomes.append(outcome)
        try:
            request = rewrite_arns(resolve(step.request, responses), arns)
            request = _rotation_arns(request, rotations)
            if step.acknowledgement is not None:
                engagement = rewrite_arns(resolve(step.acknowledgement.engagement, responses), arns)
                request = _acknowledgement_request(sim, client, step, str(engagement), arns)
            outcome.request = request
            response = client.call(step.operation, request)
        except ReferenceError as exc:
            outcome.skipped = str(exc)
            continue
        except ServiceError as exc:
            outcome.error = exc.response["Error"] | {
                k: v for k, v in exc.response.items() if k != "Error"
            }
            continue
        outcome.response = response
        if step.operation == "CreateRotation" and isinstance(request.get("Name"), str):
            rotations.setdefault(request["Name"], str(response["RotationArn"]))
        if step.id is not None:
            responses[step.id] = response
    sim.run()
    return RunOutcome(scenario, sim, outcomes, arns, import_events)


def _advance(sim: Simulator, scenario: Scenario, step: CompiledStep) -> None:
    if isinstance(step.at, dt.datetime):
        when = step.at
    else:
        when = sim.start + dt.timedelta(seconds=step.at)
    if when < sim.now:
        raise ScenarioError(
            scenario.file,
            [
                scenario.problem(
                    (*step.path, "at"),
                    f"{when.isoformat()} is before the run's current time {sim.now.isoformat()}",
                )
            ],
        )
    sim.advance_to(when)


def _acknowledgement_request(
    sim: Simulator, client: Any, step: CompiledStep, engagement: str, arns: dict[str, str]
) -> dict[str, object]:
    """AcceptPage for the latest page of the contact, with the code its message carried."""
    ack = step.acknowledgement
    assert ack is not None
    contact = arns.get(ack.contact_arn, ack.contact_arn)
    # ListPagesByEngagement lists newest first (docs/semantics.md L1): the first match is latest.
    latest = next(
        (
            item["PageArn"]
            for page in client.get_paginator("list_pages_by_engagement").paginate(
                EngagementId=engagement
            )
            for item in page.get("Pages", [])
            if item.get("ContactArn") == contact
        ),
        None,
    )
    if latest is None:
        raise ResourceNotFoundException(
            f"Contact {contact_alias(contact)} has no page in engagement {engagement}",
            contact,
            "PAGE",
        )
    code = next(
        (
            message["Code"]
            for message in reversed(sim.outbox)
            if message.get("PageArn") == latest and message.get("Code")
        ),
        _NO_CODE,
    )
    request: dict[str, object] = {
        "PageId": latest,
        "AcceptType": ack.accept_type,
        "AcceptCode": code,
    }
    if ack.note is not None:
        request["Note"] = ack.note
    return request


def rewrite_arns(value: Any, arns: Mapping[str, str]) -> Any:
    """ARNs written in the file become the run's (account and region rewritten by the import)."""
    return map_strings(value, lambda _, text: arns.get(text, text))


def _rotation_arns(value: Any, names: Mapping[str, str]) -> Any:
    """Rotation names where a rotation is expected, as the rotations' ARNs."""

    def change(member: str, text: str) -> str:
        expects_rotation = member in ("RotationId", "RotationIds", "ResourceARN")
        return names[text] if expects_rotation and text in names else text

    return map_strings(value, change)


def _import_problems(scenario: Scenario, error: ServiceError) -> list[Problem]:
    fields = error.members.get("Fields") or []
    organisation = scenario.organisation
    compiled_paths = [
        parse_path(str(field.get("Name", "")).removeprefix(_IMPORT_PREFIX).lstrip("."))
        for field in fields
    ]
    # An override of a rotation the import refused is refused too, for naming "no rotation";
    # the rotation's own problems say what is wrong.
    refused = {
        organisation.rotations[path[1]]["RotationArn"]
        for path in compiled_paths
        if len(path) > 1
        and path[0] == "rotations"
        and isinstance(path[1], int)
        and path[1] < len(organisation.rotations)
    }
    problems: list[Problem] = []
    for field, compiled in zip(fields, compiled_paths, strict=True):
        name = str(field.get("Name", ""))
        if (
            compiled[:1] == ("overrides",)
            and compiled[2:] == ("RotationArn",)
            and isinstance(compiled[1], int)
            and compiled[1] < len(organisation.overrides)
            and organisation.overrides[compiled[1]].get("RotationArn") in refused
        ):
            continue
        source_path = scenario.organisation.paths.to_source(compiled)
        # The import's message quotes the compiled path; quote the file's path instead.
        quoted = f"'{format_path(source_path)}'"
        message = str(field.get("Message", "")).replace(f"'{name}'", quoted)
        problems.append(scenario.problem(source_path, message))
    problems = unique(problems, scenario.file)
    if not problems:
        problems.append(scenario.problem((*scenario.path, "contacts"), error.message))
    return problems


def jsonable(value: Any) -> Any:
    """``value`` with datetimes as epoch seconds (as the result records times), recursively."""
    if isinstance(value, dt.datetime):
        return epoch_seconds(value)
    if isinstance(value, Mapping):
        return {str(key): jsonable(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(item) for item in value]
    return value
