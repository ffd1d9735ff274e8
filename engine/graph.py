"""The contact graph: who pages whom, built from AWS-shaped records and checked all at once.

Input is what ``aws ssm-contacts get-contact``, ``list-contact-channels``, ``get-rotation`` and
``get-rotation-override`` (with its RotationArn) print, as plain dicts, trusted for nothing: a
record that cannot be read becomes a finding, never an exception. The graph is a networkx
``MultiDiGraph`` keyed by ARN:

- nodes carry ``kind`` (``contact``, ``channel``, ``rotation``, or ``missing`` for an ARN that is
  referenced but not given, with ``expected`` saying what the reference wanted), and per kind
  ``contact_type``, ``alias``, ``display_name``; ``channel_type``, ``activation_status``,
  ``owner``, ``name``; ``name``;
- edges carry ``relation``: ``owns`` (contact -> its channel), ``plan`` (contact -> the channel or
  contact a stage targets, with ``stage``, ``target``, ``duration`` and either ``retry_interval``
  or ``essential``), ``rotation`` (contact -> a rotation of its plan, with ``index``),
  ``member`` (rotation -> contact, with ``index``) and ``override`` (rotation -> a contact an
  override of it puts on call, with ``override_id``, ``index``, ``start`` and ``end``). Edge
  keys are the field path below the source (``Plan.Stages[1].Targets[0]``,
  ``Overrides[<id>].NewContactIds[0]``), so parallel edges stay apart.

:meth:`ContactGraph.validate` reports every problem of the catalogue in ``engine.findings``.
Reachability ignores time: an on-call schedule counts as able to page when any member of any of
its rotations can be paged, whoever is on call at a given instant.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any

import networkx as nx

from engine.arns import parse_arn
from engine.findings import CATALOGUE, Finding

__all__ = [
    "ACTIVATION_STATUSES",
    "CHANNEL_TYPES",
    "CONTACT_TYPES",
    "ContactGraph",
    "StageRow",
    "TargetRow",
]

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

    def as_dict(self) -> dict[str, Any]:
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

    def as_dict(self) -> dict[str, Any]:
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


class ContactGraph:
    """The organisation's contacts, channels and rotations as one graph, with its checks.

    Build it with :meth:`from_resources`; the constructor takes records it has already read.
    The graph is read-only once built: the answers of ``reachable_channels`` and friends are
    cached.
    """

    def __init__(
        self,
        graph: nx.MultiDiGraph,
        contacts: Mapping[str, _Contact],
        channels: Mapping[str, _Channel],
        rotations: Mapping[str, _Rotation],
        input_findings: Sequence[Finding],
        overrides: Mapping[str, _Override] | None = None,
    ) -> None:
        self._graph = graph
        self._contacts = dict(contacts)
        self._channels = dict(channels)
        self._rotations = dict(rotations)
        self._overrides = dict(overrides or {})
        self._input_findings = tuple(input_findings)
        self._reachable: dict[str, tuple[str, ...]] = {}

    @classmethod
    def from_resources(
        cls,
        contacts: Iterable[object],
        channels: Iterable[object],
        rotations: Iterable[object] = (),
        overrides: Iterable[object] = (),
    ) -> ContactGraph:
        """Build the graph from ``get-contact``, ``list-contact-channels``, ``get-rotation`` and
        ``get-rotation-override`` records (plain dicts; an override names its rotation with
        RotationArn). Never raises on bad records: they become findings that :meth:`validate`
        returns with the rest.
        """
        reader = _Reader()
        read_contacts = {
            arn: reader.contact(arn, record)
            for arn, record in reader.identified(contacts, "contacts", "ContactArn", "contact", 1)
        }
        read_channels = {
            arn: reader.channel(arn, record)
            for arn, record in reader.identified(
                channels, "channels", "ContactChannelArn", "contact-channel", 2
            )
        }
        read_rotations = {
            arn: reader.rotation(arn, record)
            for arn, record in reader.identified(
                rotations, "rotations", "RotationArn", "rotation", 1
            )
        }
        read_overrides = reader.overrides(overrides)
        graph = _build_graph(read_contacts, read_channels, read_rotations)
        _add_override_edges(graph, read_rotations, read_overrides)
        return cls(
            graph, read_contacts, read_channels, read_rotations, reader.findings, read_overrides
        )

    @property
    def nx_graph(self) -> nx.MultiDiGraph:
        """The underlying networkx graph (treat it as read-only)."""
        return self._graph

    def validate(self) -> list[Finding]:
        """Every problem of the organisation at once, sorted by path then kind id."""
        findings = list(self._input_findings)
        for arn in sorted(self._contacts):
            findings.extend(self._check_contact(self._contacts[arn]))
        for arn in sorted(self._channels):
            findings.extend(self._check_channel(self._channels[arn]))
        for arn in sorted(self._rotations):
            findings.extend(self._check_rotation(self._rotations[arn]))
        for override_id in sorted(self._overrides):
            findings.extend(self._check_override(self._overrides[override_id]))
        return sorted(findings)

    def reachable_channels(self, contact_arn: str) -> list[str]:
        """The activated channels of its own that a PERSONAL contact's plan pages, in plan order.

        Empty for other contact types and for ARNs that are referenced but missing; KeyError
        for an ARN the graph has never seen.
        """
        self._require_node(contact_arn)
        return list(self._reachable_of(contact_arn))

    def engaged_contacts(self, plan_arn: str) -> list[str]:
        """The existing contacts that engaging ``plan_arn`` engages, in plan order, each once.

        An escalation plan engages the PERSONAL and ONCALL_SCHEDULE contacts its stages target;
        an on-call schedule engages the PERSONAL members of its rotations (rotation order, then
        member order); a PERSONAL contact engages itself. Empty for anything else; KeyError for
        an ARN the graph has never seen.
        """
        self._require_node(plan_arn)
        contact = self._contacts.get(plan_arn)
        if contact is None:
            return []
        if contact.contact_type == "PERSONAL":
            return [plan_arn]
        engaged: list[str] = []
        if contact.contact_type == "ESCALATION":
            for stage in contact.stages:
                for target in stage.targets:
                    if target.info == "contact" and self._type_of(target.ref) in _ENGAGEABLE:
                        engaged.append(str(target.ref))
        elif contact.contact_type == "ONCALL_SCHEDULE":
            engaged = [m for m in self._schedule_members(contact) if self._is_personal(m)]
        return list(dict.fromkeys(engaged))

    def stage_table(self, contact_arn: str) -> list[StageRow]:
        """The stages of a contact's plan with their start offsets and targets.

        Empty for anything that is not a given contact; KeyError for an ARN the graph has never
        seen.
        """
        self._require_node(contact_arn)
        contact = self._contacts.get(contact_arn)
        if contact is None:
            return []
        rows: list[StageRow] = []
        offset = 0
        for stage in contact.stages:
            targets = tuple(
                TargetRow(
                    index=target.index,
                    info=target.info,
                    arn=target.ref,
                    essential=target.essential if target.info == "contact" else None,
                    retry_interval_in_minutes=(
                        target.retry_interval if target.info == "channel" else None
                    ),
                    can_page=self._target_pages(contact, target),
                )
                for target in stage.targets
            )
            rows.append(StageRow(stage.index, offset, stage.duration, targets))
            offset += stage.duration
        return rows

    # Lookups ---------------------------------------------------------------------------

    def _require_node(self, arn: str) -> None:
        if not self._graph.has_node(arn):
            raise KeyError(f"{arn!r} is not in the contact graph")

    def _kind_of(self, arn: str | None) -> str | None:
        if arn is None or not self._graph.has_node(arn):
            return None
        kind: str = self._graph.nodes[arn]["kind"]
        return kind

    def _type_of(self, arn: str | None) -> str | None:
        contact = self._contacts.get(arn) if arn is not None else None
        return contact.contact_type if contact is not None else None

    def _is_personal(self, arn: str) -> bool:
        return self._type_of(arn) == "PERSONAL"

    def _alias(self, arn: str) -> str:
        contact = self._contacts.get(arn)
        return contact.alias if contact is not None else _alias_in(arn)

    def _reachable_of(self, arn: str) -> tuple[str, ...]:
        if arn not in self._reachable:
            contact = self._contacts.get(arn)
            found: list[str] = []
            if contact is not None and contact.contact_type == "PERSONAL":
                for stage in contact.stages:
                    found.extend(
                        str(target.ref)
                        for target in stage.targets
                        if self._target_pages(contact, target)
                    )
            self._reachable[arn] = tuple(dict.fromkeys(found))
        return self._reachable[arn]

    def _channel_pages(self, owner: _Contact, target: _Target) -> bool:
        channel = self._channels.get(target.ref) if target.ref is not None else None
        return (
            owner.contact_type == "PERSONAL"
            and target.info == "channel"
            and channel is not None
            and channel.owner == owner.arn
            and channel.activation_status == "ACTIVATED"
        )

    def _target_pages(self, owner: _Contact, target: _Target) -> bool:
        """Whether engaging this target of ``owner``'s plan can reach an activated channel."""
        if owner.contact_type == "PERSONAL":
            return self._channel_pages(owner, target)
        if owner.contact_type != "ESCALATION" or target.info != "contact":
            return False
        return target.ref is not None and self._contact_can_page(target.ref)

    def _contact_can_page(self, arn: str) -> bool:
        contact_type = self._type_of(arn)
        if contact_type == "PERSONAL":
            return bool(self._reachable_of(arn))
        if contact_type == "ONCALL_SCHEDULE":
            return any(
                self._is_personal(member) and self._reachable_of(member)
                for member in self._schedule_members(self._contacts[arn])
            )
        return False

    def _schedule_members(self, schedule: _Contact) -> Iterator[str]:
        for _, rotation_arn in schedule.rotation_ids:
            rotation = self._rotations.get(rotation_arn)
            if rotation is not None:
                yield from (member for _, member in rotation.members)

    def _engaged_by_escalation(self, arn: str) -> list[str]:
        """The escalation plans with a contact target naming ``arn``, sorted by ARN."""
        sources = {
            source
            for source, _, data in self._graph.in_edges(arn, data=True)
            if data["relation"] == "plan"
            and data["info"] == "contact"
            and self._type_of(source) == "ESCALATION"
        }
        return sorted(sources)

    # Checks ----------------------------------------------------------------------------

    def _report(self, name: str, path: str, subject: str, message: str) -> Finding:
        return _KIND_BY_NAME[name].at(path, subject, message)

    def _check_contact(self, contact: _Contact) -> list[Finding]:
        if contact.contact_type == "PERSONAL":
            findings = self._check_personal(contact)
        elif contact.contact_type == "ESCALATION":
            findings = self._check_escalation(contact)
        elif contact.contact_type == "ONCALL_SCHEDULE":
            findings = self._check_schedule(contact)
        else:
            # The unreadable Type is already reported; rules per type cannot apply.
            return []
        if contact.contact_type != "ONCALL_SCHEDULE" and contact.rotation_ids:
            findings.append(
                self._report(
                    "rotations-outside-schedule",
                    f"{contact.root}.Plan.RotationIds",
                    contact.arn,
                    f"{contact.contact_type} contact {contact.alias} lists "
                    f"{len(contact.rotation_ids)} rotation(s), which only an on-call schedule "
                    "uses",
                )
            )
        return findings

    def _check_stages(self, contact: _Contact) -> list[Finding]:
        """Stages that page nobody: empty ones, and ones whose every target fails."""
        findings: list[Finding] = []
        for stage in contact.stages:
            if stage.targets_readable and not stage.targets:
                findings.append(
                    self._report(
                        "empty-stage",
                        f"{stage.path}.Targets",
                        contact.arn,
                        f"stage {stage.index} of {contact.alias} has no targets; it only waits "
                        f"{stage.duration} minute(s)",
                    )
                )
            elif stage.targets and not any(
                self._target_pages(contact, target) for target in stage.targets
            ):
                findings.append(
                    self._report(
                        "dead-stage",
                        stage.path,
                        contact.arn,
                        f"none of the {len(stage.targets)} target(s) of stage {stage.index} of "
                        f"{contact.alias} can page anyone",
                    )
                )
        return findings

    def _check_personal(self, contact: _Contact) -> list[Finding]:
        findings = self._check_stages(contact)
        for stage in contact.stages:
            for target in stage.targets:
                where = f"stage {stage.index} target {target.index} of {contact.alias}"
                if target.info == "contact":
                    findings.append(
                        self._report(
                            "contact-target-in-personal-plan",
                            f"{target.path}.ContactTargetInfo",
                            contact.arn,
                            f"{where} names contact {target.ref or '(no ContactId)'}, but a "
                            "personal plan pages only channels",
                        )
                    )
                elif target.info == "channel" and target.ref is not None:
                    findings.extend(self._check_channel_target(contact, target, where))
        if not contact.stages:
            findings.append(
                self._report(
                    "empty-personal-plan",
                    f"{contact.root}.Plan.Stages",
                    contact.arn,
                    f"personal contact {contact.alias} has no engagement plan stages",
                )
            )
        if not self._reachable_of(contact.arn):
            escalations = self._engaged_by_escalation(contact.arn)
            if escalations:
                names = ", ".join(self._alias(arn) for arn in escalations)
                findings.append(
                    self._report(
                        "unreachable-engaged-contact",
                        f"{contact.root}.Plan",
                        contact.arn,
                        f"the plan of {contact.alias} pages no activated channel, yet "
                        f"escalation plan(s) {names} engage it",
                    )
                )
            elif contact.stages:
                findings.append(
                    self._report(
                        "unreachable-contact",
                        f"{contact.root}.Plan",
                        contact.arn,
                        f"the plan of {contact.alias} pages no activated channel",
                    )
                )
        return findings

    def _check_channel_target(
        self, contact: _Contact, target: _Target, where: str
    ) -> list[Finding]:
        ref = str(target.ref)
        path = f"{target.path}.ChannelTargetInfo.ContactChannelId"
        kind = self._kind_of(ref)
        if kind != "channel":
            what = "does not exist" if kind == "missing" else f"is a {kind}, not a channel"
            return [
                self._report(
                    "dangling-channel-reference",
                    path,
                    contact.arn,
                    f"{where} names channel {ref}, which {what}",
                )
            ]
        owner = self._channels[ref].owner
        if owner != contact.arn:
            owner_name = self._alias(owner) if owner is not None else "no contact"
            return [
                self._report(
                    "foreign-channel-reference",
                    path,
                    contact.arn,
                    f"{where} names channel {ref}, which belongs to {owner_name}",
                )
            ]
        return []

    def _check_escalation(self, contact: _Contact) -> list[Finding]:
        plan = f"{contact.root}.Plan"
        if not contact.stages:
            return [
                self._report(
                    "escalation-without-stages",
                    f"{plan}.Stages",
                    contact.arn,
                    f"escalation plan {contact.alias} has no stages",
                )
            ]
        findings = self._check_stages(contact)
        has_essential = False
        for stage in contact.stages:
            for target in stage.targets:
                where = f"stage {stage.index} target {target.index} of {contact.alias}"
                if target.info == "channel":
                    findings.append(
                        self._report(
                            "channel-target-in-escalation-plan",
                            f"{target.path}.ChannelTargetInfo",
                            contact.arn,
                            f"{where} names channel {target.ref or '(no ContactChannelId)'}, "
                            "but an escalation plan engages only contacts",
                        )
                    )
                elif target.info == "contact" and target.ref is not None:
                    findings.extend(self._check_contact_target(contact, target, where))
                    engageable = self._type_of(target.ref) in _ENGAGEABLE
                    has_essential = has_essential or (engageable and target.essential)
        if not has_essential:
            findings.append(
                self._report(
                    "no-essential-target",
                    plan,
                    contact.arn,
                    f"no engageable target of escalation plan {contact.alias} is essential, so "
                    "no acknowledgement stops it",
                )
            )
        return findings

    def _check_contact_target(
        self, contact: _Contact, target: _Target, where: str
    ) -> list[Finding]:
        ref = str(target.ref)
        path = f"{target.path}.ContactTargetInfo.ContactId"
        kind = self._kind_of(ref)
        if kind != "contact":
            what = "does not exist" if kind == "missing" else f"is a {kind}, not a contact"
            return [
                self._report(
                    "dangling-contact-reference",
                    path,
                    contact.arn,
                    f"{where} names contact {ref}, which {what}",
                )
            ]
        if self._type_of(ref) == "ESCALATION":
            return [
                self._report(
                    "nested-escalation",
                    path,
                    contact.arn,
                    f"{where} names escalation plan {self._alias(ref)} ({ref})",
                )
            ]
        return []

    def _check_schedule(self, contact: _Contact) -> list[Finding]:
        plan = f"{contact.root}.Plan"
        findings: list[Finding] = []
        if contact.stages:
            findings.append(
                self._report(
                    "schedule-with-stages",
                    f"{plan}.Stages",
                    contact.arn,
                    f"on-call schedule {contact.alias} has {len(contact.stages)} stage(s), "
                    "which never run",
                )
            )
        if not contact.rotation_ids:
            findings.append(
                self._report(
                    "schedule-without-rotations",
                    f"{plan}.RotationIds",
                    contact.arn,
                    f"on-call schedule {contact.alias} has no rotations",
                )
            )
        for index, rotation_arn in contact.rotation_ids:
            kind = self._kind_of(rotation_arn)
            if kind != "rotation":
                what = "does not exist" if kind == "missing" else f"is a {kind}, not a rotation"
                findings.append(
                    self._report(
                        "dangling-rotation-reference",
                        f"{plan}.RotationIds[{index}]",
                        contact.arn,
                        f"RotationIds[{index}] of {contact.alias} names rotation "
                        f"{rotation_arn}, which {what}",
                    )
                )
        return findings

    def _check_channel(self, channel: _Channel) -> list[Finding]:
        label = f"channel {channel.name!r} ({channel.arn})"
        findings: list[Finding] = []
        owner_given = channel.owner is not None
        owner = self._contacts.get(channel.owner) if channel.owner is not None else None
        if owner_given and owner is None:
            findings.append(
                self._report(
                    "orphan-channel",
                    f"{channel.root}.ContactArn",
                    channel.arn,
                    f"{label} belongs to {channel.owner}, which does not exist",
                )
            )
        if channel.activation_status == "NOT_ACTIVATED":
            findings.append(
                self._report(
                    "inactive-channel",
                    f"{channel.root}.ActivationStatus",
                    channel.arn,
                    f"{label} is NOT_ACTIVATED and is skipped when paged",
                )
            )
        elif channel.activation_status == "ACTIVATED" and owner is not None:
            findings.extend(self._check_channel_use(channel, owner, label))
        return findings

    def _check_channel_use(self, channel: _Channel, owner: _Contact, label: str) -> list[Finding]:
        if owner.contact_type is None:
            # The owner's Type is unreadable (already reported): whether it pages is unknown.
            return []
        if owner.contact_type != "PERSONAL":
            why = (
                f"belongs to {owner.contact_type} contact {owner.alias}, "
                "whose plan pages no channel"
            )
        elif any(
            target.info == "channel" and target.ref == channel.arn
            for stage in owner.stages
            for target in stage.targets
        ):
            return []
        else:
            why = f"is in no stage of the engagement plan of {owner.alias}"
        return [self._report("unused-channel", channel.root, channel.arn, f"{label} {why}")]

    def _check_rotation(self, rotation: _Rotation) -> list[Finding]:
        label = f"rotation {rotation.name or rotation.arn}"
        if rotation.members_readable and not rotation.members:
            return [
                self._report(
                    "empty-rotation",
                    f"{rotation.root}.ContactIds",
                    rotation.arn,
                    f"{label} has no members",
                )
            ]
        findings: list[Finding] = []
        for index, member in rotation.members:
            path = f"{rotation.root}.ContactIds[{index}]"
            where = f"member {index} of {label}"
            kind = self._kind_of(member)
            member_type = self._type_of(member)
            if kind != "contact":
                what = "does not exist" if kind == "missing" else f"is a {kind}, not a contact"
                findings.append(
                    self._report(
                        "dangling-rotation-member",
                        path,
                        rotation.arn,
                        f"{where} is {member}, which {what}",
                    )
                )
            elif member_type != "PERSONAL":
                findings.append(
                    self._report(
                        "rotation-member-not-personal",
                        path,
                        rotation.arn,
                        f"{where} is {self._alias(member)}, a {member_type} contact",
                    )
                )
            elif not self._reachable_of(member):
                findings.append(
                    self._report(
                        "rotation-member-unreachable",
                        path,
                        rotation.arn,
                        f"{where} is {self._alias(member)}, whose plan pages no activated channel",
                    )
                )
        return findings

    def _check_override(self, override: _Override) -> list[Finding]:
        rotation = self._rotations.get(override.rotation)
        label = f"override {override.id}"
        if rotation is None:
            return [
                self._report(
                    "dangling-override-rotation",
                    f"{override.root}.RotationArn",
                    override.rotation,
                    f"{label} belongs to rotation {override.rotation}, which does not exist",
                )
            ]
        name = rotation.name or rotation.arn
        if (
            override.start is not None
            and override.end is not None
            and override.end <= override.start
        ):
            return [
                self._report(
                    "override-covers-no-time",
                    f"{override.root}.EndTime",
                    rotation.arn,
                    f"{label} of rotation {name} ends at {override.end.isoformat()}, not "
                    f"after it starts at {override.start.isoformat()}",
                )
            ]
        findings: list[Finding] = []
        if override.members_readable and not override.members:
            findings.append(
                self._report(
                    "override-names-nobody",
                    f"{override.root}.NewContactIds",
                    rotation.arn,
                    f"{label} of rotation {name} names nobody, so nobody is on call from it "
                    f"{self._span(override)}",
                )
            )
        members = {member for _, member in rotation.members}
        known = ", ".join(self._alias(m) for _, m in rotation.members) or "none"
        for index, contact in override.members:
            if contact not in members:
                findings.append(
                    self._report(
                        "override-names-non-member",
                        f"{override.root}.NewContactIds[{index}]",
                        rotation.arn,
                        f"{label} of rotation {name} puts {self._alias(contact)} on call "
                        f"{self._span(override)}, who is not a member of it (members: {known})",
                    )
                )
        return findings

    @staticmethod
    def _span(override: _Override) -> str:
        if override.start is None or override.end is None:
            return "during it"
        return f"from {override.start.isoformat()} to {override.end.isoformat()}"


def _add_override_edges(
    graph: nx.MultiDiGraph, rotations: Mapping[str, _Rotation], overrides: Mapping[str, _Override]
) -> None:
    for override in overrides.values():
        if override.rotation not in rotations:
            continue  # reported by validate; there is no rotation to hang it on
        for index, member in override.members:
            _add_edge(
                graph,
                override.rotation,
                member,
                f"Overrides[{override.id}].NewContactIds[{index}]",
                "contact",
                relation="override",
                override_id=override.id,
                index=index,
                start=override.start,
                end=override.end,
            )


def _build_graph(
    contacts: Mapping[str, _Contact],
    channels: Mapping[str, _Channel],
    rotations: Mapping[str, _Rotation],
) -> nx.MultiDiGraph:
    graph = nx.MultiDiGraph()
    for contact in contacts.values():
        graph.add_node(
            contact.arn,
            kind="contact",
            contact_type=contact.contact_type,
            alias=contact.alias,
            display_name=contact.display_name,
        )
    for channel in channels.values():
        graph.add_node(
            channel.arn,
            kind="channel",
            channel_type=channel.channel_type,
            activation_status=channel.activation_status,
            owner=channel.owner,
            name=channel.name,
        )
    for rotation in rotations.values():
        graph.add_node(rotation.arn, kind="rotation", name=rotation.name)
    # Edges only once every node is known, so a reference resolves whatever the input order.
    for channel in channels.values():
        if channel.owner is not None:
            _add_edge(graph, channel.owner, channel.arn, "owns", "channel", relation="owns")
    for contact in contacts.values():
        _add_plan_edges(graph, contact)
    for rotation in rotations.values():
        for index, member in rotation.members:
            _add_edge(
                graph,
                rotation.arn,
                member,
                f"ContactIds[{index}]",
                "contact",
                relation="member",
                index=index,
            )
    return graph


def _add_plan_edges(graph: nx.MultiDiGraph, contact: _Contact) -> None:
    for stage in contact.stages:
        for target in stage.targets:
            if target.ref is None or target.info is None:
                continue
            details: dict[str, Any] = (
                {"retry_interval": target.retry_interval}
                if target.info == "channel"
                else {"essential": target.essential}
            )
            _add_edge(
                graph,
                contact.arn,
                target.ref,
                f"Plan.Stages[{stage.index}].Targets[{target.index}]",
                target.info,
                relation="plan",
                info=target.info,
                stage=stage.index,
                target=target.index,
                duration=stage.duration,
                **details,
            )
    for index, rotation_arn in contact.rotation_ids:
        _add_edge(
            graph,
            contact.arn,
            rotation_arn,
            f"Plan.RotationIds[{index}]",
            "rotation",
            relation="rotation",
            index=index,
        )


def _add_edge(
    graph: nx.MultiDiGraph,
    source: str,
    target: str,
    key: str,
    expected: str,
    /,
    **attributes: Any,
) -> None:
    """Add an edge, making a ``missing`` node for a target that was never given."""
    for arn, wanted in ((source, "contact"), (target, expected)):
        if not graph.has_node(arn):
            missing: dict[str, Any] = {"kind": "missing", "expected": wanted}
            if wanted == "contact":
                missing["alias"] = _alias_in(arn)
            graph.add_node(arn, **missing)
    graph.add_edge(source, target, key=key, **attributes)
