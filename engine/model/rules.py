"""Plan rules beyond the model's constraints (docs/semantics.md R1-R2) that need no stored state.

- A Target has exactly one of ChannelTargetInfo and ContactTargetInfo.
- A Stage's DurationInMinutes may be 0 only when the stage has at least one target.
- By contact type: a PERSONAL plan targets only contact channels, an ESCALATION plan only contacts,
  and neither lists RotationIds; an ONCALL_SCHEDULE plan lists 1 to 8 RotationIds and no stages.

Every check reads plain AWS-shaped mappings (or shape instances) and tolerates malformed input:
what it cannot read it skips, since the field constraints report that. Each returns
``ValidationExceptionField`` dicts, ``{"Name": <member path>, "Message": ...}``.
Which contacts a target names, and what kind they are, needs state: that is the service's job.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any, Final

from pydantic import BaseModel

from engine.model.messages import field_problem, index_path, member_path, violation

#: Rotations an on-call schedule may list (the user guide's limit; the model allows 25).
MAX_ROTATIONS_PER_SCHEDULE: Final = 8

_INFOS: Final = ("ChannelTargetInfo", "ContactTargetInfo")
# Per contact type: the target info its plan may not use, and how to say what it may use.
_FORBIDDEN_INFO: Final = {
    "PERSONAL": ("ContactTargetInfo", "only contact channels (ChannelTargetInfo)"),
    "ESCALATION": ("ChannelTargetInfo", "only contacts (ContactTargetInfo)"),
}

Problem = dict[str, str]


def target_problems(target: object, path: str) -> list[Problem]:
    """A target that has both or neither of ChannelTargetInfo and ContactTargetInfo."""
    data = _as_mapping(target)
    if data is None:
        return []
    given = [name for name in _INFOS if data.get(name) is not None]
    if len(given) == 1:
        return []
    which = "both" if given else "neither"
    rule = f"A target must have exactly one of ChannelTargetInfo and ContactTargetInfo ({which})"
    return [_problem(data, path, rule)]


def stage_problems(stage: object, path: str) -> list[Problem]:
    """A stage whose DurationInMinutes is 0 although it has no target."""
    data = _as_mapping(stage)
    if data is None:
        return []
    duration = data.get("DurationInMinutes")
    targets = data.get("Targets")
    no_targets = targets is None or (isinstance(targets, list | tuple) and not targets)
    if duration == 0 and not isinstance(duration, bool) and no_targets:
        rule = "DurationInMinutes may be 0 only when the stage has at least one target"
        return [_problem(duration, member_path(path, "DurationInMinutes"), rule)]
    return []


def plan_problems(
    contact_type: str, plan: Mapping[str, Any] | BaseModel, path: str = "Plan"
) -> list[Problem]:
    """What a plan (at member path ``path``) may hold for a contact of ``contact_type`` (R1-R2),
    as field problems; an unknown contact type gives none (its enum check reports it)."""
    data = _as_mapping(plan)
    if data is None:
        return []
    stages = data.get("Stages")
    rotation_ids = data.get("RotationIds")
    rotations_path = member_path(path, "RotationIds")
    problems: list[Problem] = []
    if contact_type in _FORBIDDEN_INFO:
        forbidden, allowed = _FORBIDDEN_INFO[contact_type]
        rule = f"The plan of a {contact_type} contact may target {allowed}"
        for stage_path, stage in _stages(data, path):
            for target_path, target in _targets(stage, stage_path):
                info = _as_mapping(target)
                if info is not None and info.get(forbidden) is not None:
                    info_path = member_path(target_path, forbidden)
                    problems.append(_problem(info[forbidden], info_path, rule))
        if isinstance(rotation_ids, list | tuple) and rotation_ids:
            rule = f"The plan of a {contact_type} contact may not list RotationIds"
            problems.append(_problem(rotation_ids, rotations_path, rule))
    elif contact_type == "ONCALL_SCHEDULE":
        if isinstance(stages, list | tuple) and stages:
            rule = "The plan of an ONCALL_SCHEDULE contact may not have Stages"
            problems.append(_problem(stages, member_path(path, "Stages"), rule))
        count = len(rotation_ids) if isinstance(rotation_ids, list | tuple) else None
        in_range = count is not None and 1 <= count <= MAX_ROTATIONS_PER_SCHEDULE
        if rotation_ids is None or (count is not None and not in_range):
            rule = (
                "The plan of an ONCALL_SCHEDULE contact must list 1 to "
                f"{MAX_ROTATIONS_PER_SCHEDULE} RotationIds (it lists {count or 0})"
            )
            problems.append(_problem(rotation_ids, rotations_path, rule))
    return problems


def _problem(value: object, path: str, rule: str) -> Problem:
    return field_problem(path, violation(value, path, rule))


def _as_mapping(value: object) -> Mapping[str, Any] | None:
    if isinstance(value, BaseModel):
        return value.model_dump(by_alias=True, exclude_none=True)
    if isinstance(value, Mapping):
        return value
    return None


def _items(value: object, path: str) -> Iterator[tuple[str, object]]:
    if isinstance(value, list | tuple):
        for index, item in enumerate(value):
            yield index_path(path, index), item


def _stages(plan: object, path: str) -> Iterator[tuple[str, object]]:
    data = _as_mapping(plan)
    if data is not None:
        yield from _items(data.get("Stages"), member_path(path, "Stages"))


def _targets(stage: object, path: str) -> Iterator[tuple[str, object]]:
    data = _as_mapping(stage)
    if data is not None:
        yield from _items(data.get("Targets"), member_path(path, "Targets"))
