"""Reading the contact graph's input: AWS-shaped records, field by field, trusted for nothing.

A record that cannot be read becomes a finding, never an exception. The row classes are what
``ContactGraph.stage_table`` answers with.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any

from engine.arns import parse_arn
from engine.findings import CATALOGUE, Finding

CONTACT_TYPES = ("PERSONAL", "ESCALATION", "ONCALL_SCHEDULE")
CHANNEL_TYPES = ("SMS", "VOICE", "EMAIL")
ACTIVATION_STATUSES = ("ACTIVATED", "NOT_ACTIVATED")

# Contact types an escalation plan may engage (R2).
_ENGAGEABLE = ("PERSONAL", "ONCALL_SCHEDULE")
_KIND_BY_NAME = {kind.name: kind for kind in CATALOGUE.values()}
_SHOW_LIMIT = 80


@dataclasses.dataclass(frozen=True, slots=True)
class TargetRow:
    """One target of a stage as the engine would see it.

    ``info`` is ``channel`` or ``contact`` (None when the target is malformed); ``arn`` the
    referenced ARN; ``retry_interval_in_minutes`` for channel targets, ``essential`` for contact
    targets; ``can_page`` whether engaging it can reach an activated channel.
    """

    index: int
    info: str | None
    arn: str | None
    essential: bool | None
    retry_interval_in_minutes: int | None
    can_page: bool

    def as_dict(self) -> dict[str, object]:
        return dataclasses.asdict(self)


@dataclasses.dataclass(frozen=True, slots=True)
class StageRow:
    """One stage of a plan: when it starts (minutes after the plan starts) and what it targets.

    An unreadable ``DurationInMinutes`` counts as 0 here (and is reported by ``validate``).
    """

    index: int
    start_offset_minutes: int
    duration_in_minutes: int
    targets: tuple[TargetRow, ...]

    def as_dict(self) -> dict[str, object]:
        return {
            "index": self.index,
            "start_offset_minutes": self.start_offset_minutes,
            "duration_in_minutes": self.duration_in_minutes,
            "targets": [target.as_dict() for target in self.targets],
        }


@dataclasses.dataclass(frozen=True, slots=True)
class _Target:
    index: int
    info: str | None
    ref: str | None
    essential: bool
    retry_interval: int
    path: str


@dataclasses.dataclass(frozen=True, slots=True)
class _Stage:
    index: int
    duration: int
    targets: tuple[_Target, ...]
    targets_readable: bool
    path: str


@dataclasses.dataclass(frozen=True, slots=True)
class _Contact:
    arn: str
    root: str
    alias: str
    display_name: str | None
    contact_type: str | None
    stages: tuple[_Stage, ...]
    rotation_ids: tuple[tuple[int, str], ...]
    rotation_ids_given: bool


@dataclasses.dataclass(frozen=True, slots=True)
class _Channel:
    arn: str
    root: str
    owner: str | None
    name: str | None
    channel_type: str | None
    activation_status: str | None


@dataclasses.dataclass(frozen=True, slots=True)
class _Rotation:
    arn: str
    root: str
    name: str | None
    members: tuple[tuple[int, str], ...]
    members_readable: bool


@dataclasses.dataclass(frozen=True, slots=True)
class _Override:
    id: str
    root: str
    rotation: str
    members: tuple[tuple[int, str], ...]
    members_readable: bool
    start: dt.datetime | None
    end: dt.datetime | None


def _instant(value: object) -> dt.datetime | None:
    """A timestamp as the AWS CLI (ISO 8601), boto3 (datetime) or the wire (epoch) gives it."""
    if isinstance(value, bool):
        return None
    if isinstance(value, dt.datetime):
        return value if value.tzinfo is not None else value.replace(tzinfo=dt.UTC)
    if isinstance(value, int | float):
        try:
            return dt.datetime.fromtimestamp(float(value), dt.UTC)
        except (OverflowError, OSError, ValueError):
            return None
    if isinstance(value, str):
        try:
            moment = dt.datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
        except ValueError:
            return None
        return moment if moment.tzinfo is not None else moment.replace(tzinfo=dt.UTC)
    return None


def _show(value: object) -> str:
    text = repr(value)
    return text if len(text) <= _SHOW_LIMIT else text[: _SHOW_LIMIT - 3] + "..."


def _root(arn: str) -> str:
    """The resource part of an ARN (``contact/akuam``), used as the root of finding paths."""
    return arn.split(":", 5)[-1]


def _alias_in(arn: str) -> str:
    parsed = parse_arn(arn)
    return parsed.parts[0] if parsed is not None and parsed.parts else arn


class _Reader:
    """Reads AWS-shaped records field by field, reporting each one it cannot use."""

    def __init__(self) -> None:
        self.findings: list[Finding] = []
        self._first_seen: dict[str, str] = {}

    def report(self, name: str, path: str, subject: str, message: str) -> None:
        self.findings.append(_KIND_BY_NAME[name].at(path, subject, message))

    def records(self, value: object, label: str) -> list[tuple[int, Mapping[str, Any]]]:
        if isinstance(value, (str, bytes, Mapping)) or not isinstance(value, Iterable):
            self.report(
                "malformed-resource",
                label,
                "",
                f"{label} must be a list of records, got {_show(value)}",
            )
            return []
        readable: list[tuple[int, Mapping[str, Any]]] = []
        for index, item in enumerate(value):
            if isinstance(item, Mapping):
                readable.append((index, item))
            else:
                self.report(
                    "malformed-resource",
                    f"{label}[{index}]",
                    "",
                    f"{label}[{index}] must be an object, got {_show(item)}; it is ignored",
                )
        return readable

    def identified(
        self, value: object, label: str, key: str, kind: str, parts: int
    ) -> Iterator[tuple[str, Mapping[str, Any]]]:
        """The records of ``value`` with a usable ARN under ``key``, each ARN once."""
        for index, record in self.records(value, label):
            where = f"{label}[{index}]"
            arn = self.identity(record, key, kind, parts, where)
            if arn is None:
                continue
            if arn in self._first_seen:
                self.report(
                    "duplicate-resource",
                    f"{where}.{key}",
                    arn,
                    f"{where} repeats {key} {arn} of {self._first_seen[arn]}; it is ignored",
                )
                continue
            self._first_seen[arn] = where
            yield arn, record

    def identity(
        self, record: Mapping[str, Any], key: str, kind: str, parts: int, where: str
    ) -> str | None:
        """The record's own ARN, when it is an ARN of ``kind`` with ``parts`` path segments."""
        value = record.get(key)
        path = f"{where}.{key}"
        if value is None:
            self.report("malformed-resource", path, "", f"{where} has no {key}; it is ignored")
            return None
        parsed = parse_arn(value) if isinstance(value, str) else None
        if parsed is None or parsed.kind != kind or len(parsed.parts) != parts:
            self.report(
                "malformed-resource",
                path,
                "",
                f"{key} {_show(value)} is not a {kind} ARN; {where} is ignored",
            )
            return None
        return str(value)

    def _field(
        self, record: Mapping[str, Any], key: str, where: str, subject: str, required: bool
    ) -> Any:
        value = record.get(key)
        if value is None and required:
            self.report("malformed-field", f"{where}.{key}", subject, f"{key} is missing")
        return value

    def _wrong(self, key: str, where: str, subject: str, expected: str, value: object) -> None:
        self.report(
            "malformed-field",
            f"{where}.{key}",
            subject,
            f"{key} must be {expected}, got {_show(value)}",
        )

    def text(
        self,
        record: Mapping[str, Any],
        key: str,
        where: str,
        subject: str,
        required: bool = True,
    ) -> str | None:
        value = self._field(record, key, where, subject, required)
        if value is None or isinstance(value, str):
            return value
        self._wrong(key, where, subject, "a string", value)
        return None

    def choice(
        self, record: Mapping[str, Any], key: str, where: str, subject: str, options: Sequence[str]
    ) -> str | None:
        value = self._field(record, key, where, subject, True)
        if value is None or value in options:
            return value if isinstance(value, str) else None
        self._wrong(key, where, subject, "one of " + ", ".join(options), value)
        return None

    def integer(
        self,
        record: Mapping[str, Any],
        key: str,
        where: str,
        subject: str,
        bounds: tuple[int, int],
        required: bool = True,
    ) -> int | None:
        value = self._field(record, key, where, subject, required)
        low, high = bounds
        if value is None:
            return None
        # bool is an int to Python but not to the AWS model.
        if isinstance(value, int) and not isinstance(value, bool) and low <= value <= high:
            return value
        self._wrong(key, where, subject, f"an integer in {low}..{high}", value)
        return None

    def boolean(self, record: Mapping[str, Any], key: str, where: str, subject: str) -> bool | None:
        value = self._field(record, key, where, subject, True)
        if value is None or isinstance(value, bool):
            return value
        self._wrong(key, where, subject, "true or false", value)
        return None

    def mapping(
        self,
        record: Mapping[str, Any],
        key: str,
        where: str,
        subject: str,
        required: bool = True,
    ) -> Mapping[str, Any] | None:
        value = self._field(record, key, where, subject, required)
        if value is None or isinstance(value, Mapping):
            return value
        self._wrong(key, where, subject, "an object", value)
        return None

    def sequence(
        self,
        record: Mapping[str, Any],
        key: str,
        where: str,
        subject: str,
        required: bool = True,
    ) -> list[Any] | None:
        value = self._field(record, key, where, subject, required)
        if value is None:
            return None
        if isinstance(value, (list, tuple)):
            return list(value)
        self._wrong(key, where, subject, "a list", value)
        return None

    def arn_list(
        self, record: Mapping[str, Any], key: str, where: str, subject: str, required: bool
    ) -> tuple[tuple[int, str], ...] | None:
        """The strings of a list of ARNs with their indices; entries of other types reported."""
        items = self.sequence(record, key, where, subject, required)
        if items is None:
            return None
        kept: list[tuple[int, str]] = []
        for index, item in enumerate(items):
            if isinstance(item, str):
                kept.append((index, item))
            else:
                self.report(
                    "malformed-field",
                    f"{where}.{key}[{index}]",
                    subject,
                    f"{key}[{index}] must be an ARN string, got {_show(item)}",
                )
        return tuple(kept)

    def contact(self, arn: str, record: Mapping[str, Any]) -> _Contact:
        root = _root(arn)
        arn_alias = _alias_in(arn)
        alias = self.text(record, "Alias", root, arn)
        if alias is not None and alias != arn_alias:
            self.report(
                "malformed-field",
                f"{root}.Alias",
                arn,
                f"Alias {alias!r} differs from the alias {arn_alias!r} in ContactArn {arn}",
            )
        display_name = self.text(record, "DisplayName", root, arn, required=False)
        contact_type = self.choice(record, "Type", root, arn, CONTACT_TYPES)
        plan = self.mapping(record, "Plan", root, arn)
        stages: tuple[_Stage, ...] = ()
        rotation_ids: tuple[tuple[int, str], ...] | None = None
        if plan is not None:
            plan_path = f"{root}.Plan"
            raw_stages = self.sequence(plan, "Stages", plan_path, arn, required=False) or []
            stages = tuple(
                self.stage(raw, index, plan_path, arn) for index, raw in enumerate(raw_stages)
            )
            rotation_ids = self.arn_list(plan, "RotationIds", plan_path, arn, required=False)
        return _Contact(
            arn,
            root,
            arn_alias,
            display_name,
            contact_type,
            stages,
            rotation_ids or (),
            rotation_ids is not None,
        )

    def stage(self, raw: object, index: int, plan_path: str, subject: str) -> _Stage:
        path = f"{plan_path}.Stages[{index}]"
        if not isinstance(raw, Mapping):
            self.report(
                "malformed-field",
                path,
                subject,
                f"stage {index} must be an object, got {_show(raw)}",
            )
            return _Stage(index, 0, (), False, path)
        duration = self.integer(raw, "DurationInMinutes", path, subject, (0, 30))
        raw_targets = self.sequence(raw, "Targets", path, subject)
        targets = tuple(
            self.target(item, position, path, subject)
            for position, item in enumerate(raw_targets or [])
        )
        if duration == 0 and raw_targets is not None and not targets:
            self.report(
                "malformed-field",
                f"{path}.DurationInMinutes",
                subject,
                f"stage {index} has DurationInMinutes 0 and no targets; "
                "0 is allowed only on a stage with targets",
            )
        return _Stage(index, duration or 0, targets, raw_targets is not None, path)

    def target(self, raw: object, index: int, stage_path: str, subject: str) -> _Target:
        path = f"{stage_path}.Targets[{index}]"
        if not isinstance(raw, Mapping):
            self.report(
                "malformed-target", path, subject, f"target must be an object, got {_show(raw)}"
            )
            return _Target(index, None, None, False, 0, path)
        has_channel = raw.get("ChannelTargetInfo") is not None
        has_contact = raw.get("ContactTargetInfo") is not None
        if has_channel == has_contact:
            which = "both" if has_channel else "neither"
            self.report(
                "malformed-target",
                path,
                subject,
                f"target {index} has {which} of ChannelTargetInfo and ContactTargetInfo",
            )
            return _Target(index, None, None, False, 0, path)
        if has_channel:
            info = self.mapping(raw, "ChannelTargetInfo", path, subject)
            if info is None:
                return _Target(index, "channel", None, False, 0, path)
            info_path = f"{path}.ChannelTargetInfo"
            ref = self.text(info, "ContactChannelId", info_path, subject)
            retry = self.integer(
                info, "RetryIntervalInMinutes", info_path, subject, (0, 60), required=False
            )
            # A missing retry interval means "never retry" (semantics E8).
            return _Target(index, "channel", ref, False, retry or 0, path)
        info = self.mapping(raw, "ContactTargetInfo", path, subject)
        if info is None:
            return _Target(index, "contact", None, False, 0, path)
        info_path = f"{path}.ContactTargetInfo"
        ref = self.text(info, "ContactId", info_path, subject)
        essential = self.boolean(info, "IsEssential", info_path, subject)
        return _Target(index, "contact", ref, bool(essential), 0, path)

    def channel(self, arn: str, record: Mapping[str, Any]) -> _Channel:
        root = _root(arn)
        owner = self.text(record, "ContactArn", root, arn)
        if owner is not None:
            parsed = parse_arn(owner)
            if parsed is None or parsed.kind != "contact" or len(parsed.parts) != 1:
                self.report(
                    "malformed-field",
                    f"{root}.ContactArn",
                    arn,
                    f"ContactArn {_show(owner)} is not a contact ARN",
                )
            elif parsed.parts[0] != _alias_in(arn):
                self.report(
                    "malformed-field",
                    f"{root}.ContactArn",
                    arn,
                    f"ContactArn names contact {parsed.parts[0]!r} but the channel ARN {arn} "
                    f"carries alias {_alias_in(arn)!r}",
                )
        name = self.text(record, "Name", root, arn)
        channel_type = self.choice(record, "Type", root, arn, CHANNEL_TYPES)
        address = self.mapping(record, "DeliveryAddress", root, arn)
        if address is not None:
            self.text(address, "SimpleAddress", f"{root}.DeliveryAddress", arn)
        # Absent means NOT_ACTIVATED, as the import treats it.
        status = (
            self.choice(record, "ActivationStatus", root, arn, ACTIVATION_STATUSES)
            if "ActivationStatus" in record
            else "NOT_ACTIVATED"
        )
        return _Channel(arn, root, owner, name, channel_type, status)

    def rotation(self, arn: str, record: Mapping[str, Any]) -> _Rotation:
        root = _root(arn)
        name = self.text(record, "Name", root, arn)
        members = self.arn_list(record, "ContactIds", root, arn, required=True)
        return _Rotation(arn, root, name, members or (), members is not None)

    def overrides(self, value: object) -> dict[str, _Override]:
        """Override records by id; records without a usable id or rotation ARN are reported."""
        found: dict[str, _Override] = {}
        first_seen: dict[str, str] = {}
        for index, record in self.records(value, "overrides"):
            where = f"overrides[{index}]"
            override_id = record.get("RotationOverrideId")
            if not isinstance(override_id, str) or not override_id:
                self.report(
                    "malformed-resource",
                    f"{where}.RotationOverrideId",
                    "",
                    f"{where} has no usable RotationOverrideId (got {_show(override_id)}); "
                    "it is ignored",
                )
                continue
            rotation = self.identity(record, "RotationArn", "rotation", 1, where)
            if rotation is None:
                continue
            if override_id in first_seen:
                self.report(
                    "duplicate-resource",
                    f"{where}.RotationOverrideId",
                    rotation,
                    f"{where} repeats RotationOverrideId {override_id} of "
                    f"{first_seen[override_id]}; it is ignored",
                )
                continue
            first_seen[override_id] = where
            found[override_id] = self.override(override_id, rotation, record)
        return found

    def override(self, override_id: str, rotation: str, record: Mapping[str, Any]) -> _Override:
        root = f"override/{override_id}"
        members = self.arn_list(record, "NewContactIds", root, rotation, required=True)
        times: list[dt.datetime | None] = []
        for key in ("StartTime", "EndTime"):
            value = self._field(record, key, root, rotation, True)
            moment = _instant(value) if value is not None else None
            if value is not None and moment is None:
                self._wrong(key, root, rotation, "a timestamp", value)
            times.append(moment)
        return _Override(
            override_id, root, rotation, members or (), members is not None, times[0], times[1]
        )
