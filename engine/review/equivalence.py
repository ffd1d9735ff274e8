"""The exact part of ``escsim equivalence A B``: does every incident page the same under both?

For each pair of policies, the window is cut where any consulted rotation of either organisation
changes who is on call (``equivalence_intervals``); over each piece both organisations are
constant, so one incident per piece, run through the engine (``equivalence_eval``, cached by
signature), decides it. Pieces that differ in the same way and for the same reasons are merged
into one :class:`Difference`, whose causes name the rotation, override, channel, plan or setting
behind it where it can be told. The first difference, at its shortest offset, is the
counterexample (``equivalence_report``).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Sequence

from engine.domain import Contact
from engine.review.equivalence_eval import Oracle, Paged, PageSet
from engine.review.equivalence_intervals import Probe, elementary, probe, signature
from engine.review.inputs import InputError, ReviewInput
from engine.review.orgdiff import describe
from engine.safetext import escape_controls
from engine.timeutil import format_duration
from engine.vendors.handles import slug


@dataclasses.dataclass(frozen=True)
class Difference:
    """[start, end): what only A pages, what only B pages, and why, where it can be told."""

    start: dt.datetime
    end: dt.datetime
    only_a: PageSet
    only_b: PageSet
    causes: tuple[str, ...]
    zone: str


@dataclasses.dataclass(frozen=True)
class PolicyResult:
    """One pair of policies compared over the window; a side is None when the policy is missing
    from that organisation."""

    a: str | None
    b: str | None
    kind: str
    intervals: int
    differences: tuple[Difference, ...]


@dataclasses.dataclass(frozen=True)
class Equivalence:
    """Every pair compared, with the engine runs it took."""

    start: dt.datetime
    end: dt.datetime
    policies: tuple[PolicyResult, ...]
    engine_runs: int

    @property
    def equivalent(self) -> bool:
        return not any(p.differences for p in self.policies)

    @property
    def intervals(self) -> int:
        return sum(p.intervals for p in self.policies)

    def first(self) -> tuple[PolicyResult, Difference] | None:
        """The earliest difference (by start, then policy order)."""
        found = [(d.start, n, p, d) for n, p in enumerate(self.policies) for d in p.differences]
        if not found:
            return None
        _, _, policy, difference = min(found, key=lambda item: (item[0], item[1]))
        return policy, difference


Pair = tuple[str | None, str | None]


def pairs(a: ReviewInput, b: ReviewInput, asked: Sequence[str] = ()) -> list[Pair]:
    """The policy pairs to compare, by alias. ``asked`` holds ``A_ALIAS[=B_ALIAS]`` items
    (--policy); without them, every escalation plan by alias, or every on-call schedule when
    neither organisation has an escalation plan. Raises InputError for an unknown alias."""
    if asked:
        chosen: list[Pair] = []
        for item in asked:
            left, equals, right = item.partition("=")
            right = right if equals else left
            for alias, review, side in ((left, a, "A"), (right, b, "B")):
                if not alias or review.organisation.contact_named(alias) is None:
                    raise InputError(
                        f"--policy {escape_controls(item)!r}: no contact "
                        f"{escape_controls(alias)!r} in {side} ({review.label})"
                    )
            chosen.append((left, right))
        return chosen

    def aliases(review: ReviewInput, kind: str) -> set[str]:
        return {c.alias for c in review.organisation.contacts.values() if c.type == kind}

    plans = aliases(a, "ESCALATION") | aliases(b, "ESCALATION")
    kind = "ESCALATION" if plans else "ONCALL_SCHEDULE"
    in_a, in_b = aliases(a, kind), aliases(b, kind)
    found: list[Pair] = [(alias, alias) for alias in sorted(in_a & in_b)]
    by_name = _paired_by_name(a, b, sorted(in_a - in_b), sorted(in_b - in_a))
    found += by_name
    alone_a = in_a - in_b - {x for x, _ in by_name}
    alone_b = in_b - in_a - {y for _, y in by_name}
    found += [(alias, None) for alias in alone_a] + [(None, alias) for alias in alone_b]
    return sorted(found, key=lambda pair: (pair[0] or pair[1] or "", pair[1] or ""))


def _paired_by_name(
    a: ReviewInput, b: ReviewInput, only_a: Sequence[str], only_b: Sequence[str]
) -> list[Pair]:
    """Policies whose aliases differ but whose names read the same: another product keeps no
    AWS alias, so a translated policy's alias is its name's handle (docs/vendors/). A name
    (display name, else alias, as a handle) that more than one policy of a side has pairs
    nothing."""

    def names(review: ReviewInput, aliases: Sequence[str]) -> dict[str, str]:
        keys: dict[str, list[str]] = {}
        for alias in aliases:
            contact = review.organisation.contact_named(alias)
            display = contact.display_name if contact is not None else None
            keys.setdefault(slug(display or alias), []).append(alias)
        return {key: found[0] for key, found in keys.items() if len(found) == 1 and key}

    left, right = names(a, only_a), names(b, only_b)
    return [(left[key], right[key]) for key in sorted(left.keys() & right.keys())]


class _Side:
    """One organisation as the comparison reads it."""

    def __init__(self, review: ReviewInput, oracle: Oracle) -> None:
        self.review = review
        self.oracle = oracle
        self.described = describe(review)

    def contact(self, alias: str | None) -> Contact | None:
        return None if alias is None else self.review.organisation.contact_named(alias)

    def probe(self, contact: Contact) -> Probe:
        state = self.review.state
        return probe(state.organisation, state.schedules, contact, self.oracle.knobs)

    def rotation_name(self, arn: str) -> str:
        rotation = self.review.organisation.rotations.get(arn)
        return arn if rotation is None else rotation.name

    def alias(self, arn: str) -> str:
        return self.review.alias_of(arn)


def compare(
    a: ReviewInput,
    b: ReviewInput,
    start: dt.datetime,
    end: dt.datetime,
    asked: Sequence[str] = (),
) -> Equivalence:
    """Compare every pair of policies of ``a`` and ``b`` over [start, end)."""
    left, right = _Side(a, Oracle(a)), _Side(b, Oracle(b))
    results = [_compare_pair(left, right, pair, start, end) for pair in pairs(a, b, asked)]
    runs = left.oracle.runs + right.oracle.runs
    return Equivalence(start, end, tuple(results), runs)


def _compare_pair(
    left: _Side, right: _Side, pair: Pair, start: dt.datetime, end: dt.datetime
) -> PolicyResult:
    contact_a, contact_b = left.contact(pair[0]), right.contact(pair[1])
    present = contact_a or contact_b
    assert present is not None
    kind = present.type
    if contact_a is None or contact_b is None:
        return _missing(left if contact_a else right, present, pair, start, end)
    probe_a, probe_b = left.probe(contact_a), right.probe(contact_b)
    pieces = elementary(start, end, (probe_a, probe_b))
    merged: list[Difference] = []
    for low, high in pieces:
        pages_a = left.oracle.pages(contact_a.arn, signature(probe_a, low), low)
        pages_b = right.oracle.pages(contact_b.arn, signature(probe_b, low), low)
        if pages_a == pages_b:
            continue
        only_a, only_b = pages_a - pages_b, pages_b - pages_a
        causes, zone = _causes(left, right, probe_a, probe_b, low, only_a, only_b)
        last = merged[-1] if merged else None
        if (
            last is not None
            and last.end == low
            and (last.only_a, last.only_b, last.causes) == (only_a, only_b, causes)
        ):
            merged[-1] = dataclasses.replace(last, end=high)
        else:
            merged.append(Difference(low, high, only_a, only_b, causes, zone))
    return PolicyResult(pair[0], pair[1], kind, len(pieces), tuple(merged))


def _missing(
    side: _Side, contact: Contact, pair: Pair, start: dt.datetime, end: dt.datetime
) -> PolicyResult:
    """A policy only one organisation has: a difference over the whole window."""
    which = "A" if pair[0] is not None else "B"
    other = "B" if which == "A" else "A"
    found = side.probe(contact)
    pages = side.oracle.pages(contact.arn, signature(found, start), start)
    kind = _KIND_NAMES.get(contact.type, contact.type.lower())
    cause = f"{kind} {contact.alias} exists only in {which}: {other} has no contact of that alias"
    only_a, only_b = (pages, frozenset[Paged]()) if which == "A" else (frozenset(), pages)
    zone = _zone_of(found, found.consultations[0][0]) if found.consultations else "UTC"
    difference = Difference(start, end, only_a, only_b, (cause,), zone)
    return PolicyResult(pair[0], pair[1], contact.type, 1, (difference,))


_KIND_NAMES = {"ESCALATION": "escalation plan", "ONCALL_SCHEDULE": "on-call schedule"}


def _zone_of(found: Probe, rotation_arn: str) -> str:
    return found.rotation(rotation_arn).time_zone_id


def _causes(
    left: _Side,
    right: _Side,
    probe_a: Probe,
    probe_b: Probe,
    instant: dt.datetime,
    only_a: PageSet,
    only_b: PageSet,
) -> tuple[tuple[str, ...], str]:
    """Why an incident at ``instant`` pages differently, most specific first, and the zone of
    the schedule involved (UTC when none is)."""
    causes: list[str] = []
    decisive = False  # someone else on call, or another channel, explains the difference
    rotations: set[str] = set()  # whose on-call differs: their hand-offs or overrides say why
    zone: str | None = None
    # Who is on call, per rotation (matched by name) and offset.
    seen_a = _on_call(left, probe_a, instant)
    seen_b = _on_call(right, probe_b, instant)
    for key in sorted(set(seen_a) | set(seen_b), key=lambda k: (k[1], k[0])):
        name, offset = key
        was, now = seen_a.get(key), seen_b.get(key)
        at = f"+{format_duration(offset)}"
        if was is None or now is None:
            which = "A" if now is None else "B"
            causes.append(f"rotation {name} is consulted at {at} only under {which}")
        elif was[0] != now[0] or was[1] != now[1]:
            decisive = True
            rotations.add(name)
            causes.append(
                f"rotation {name} at {at}: {_people(was[0])}{_overridden(was[1])} on call under A,"
                f" {_people(now[0])}{_overridden(now[1])} under B"
            )
        else:
            continue
        if zone is None:
            zone = (was or now or ("", False, "UTC"))[2]
    for name in sorted(rotations):
        causes.extend(_field_causes(left, right, ("rotation", name)))
    channels = _channel_causes(only_a, only_b)
    causes.extend(channels)
    if not decisive and not channels:
        # A rotation asked at an offset only one side reaches (another plan or repeat) is a
        # clue, not the reason: the plans and settings are.
        causes.extend(_plan_causes(left, right, probe_a, probe_b, only_a | only_b))
    if zone is None:
        first = probe_a.consultations or probe_b.consultations
        owner = probe_a if probe_a.consultations else probe_b
        zone = _zone_of(owner, first[0][0]) if first else "UTC"
    return tuple(causes), zone


def _on_call(
    side: _Side, found: Probe, instant: dt.datetime
) -> dict[tuple[str, float], tuple[tuple[str, ...], bool, str]]:
    """(rotation name, offset) -> (aliases on call, whether an override decides it, zone)."""
    seen = {}
    for (arn, offset), people in zip(found.consultations, signature(found, instant), strict=True):
        rotation = found.rotation(arn)
        moment = instant + dt.timedelta(seconds=offset)
        overridden = any(o.covers(moment) for o in rotation.overrides_by_age)
        aliases = tuple(side.alias(p) for p in people)
        seen[(side.rotation_name(arn), offset)] = (aliases, overridden, rotation.time_zone_id)
    return seen


def _people(aliases: tuple[str, ...]) -> str:
    return ", ".join(aliases) if aliases else "nobody"


def _overridden(flag: bool) -> str:
    return " (override)" if flag else ""


def _channel_causes(only_a: PageSet, only_b: PageSet) -> list[str]:
    """A person paged at the same times under both, on other channel types at some of them.
    (A person paged at other times is a timing difference, told by the plan causes.)"""
    causes = []
    for person in sorted({p for p, _, _ in only_a} & {p for p, _, _ in only_b}):
        by_a: dict[float, list[str]] = {}
        by_b: dict[float, list[str]] = {}
        for side, found in ((only_a, by_a), (only_b, by_b)):
            for who, channel, offset in sorted(side):
                if who == person:
                    found.setdefault(offset, []).append(channel)
        if sorted(by_a) != sorted(by_b):
            continue
        for offset in sorted(by_a):
            causes.append(
                f"{person} at +{format_duration(offset)}: channel {', '.join(by_a[offset])} "
                f"under A, {', '.join(by_b[offset])} under B"
            )
    return causes


def _field_causes(
    left: _Side, right: _Side, subject: tuple[str, str], in_b: tuple[str, str] | None = None
) -> list[str]:
    """The fields of a contact or rotation that differ, as ``escsim diff`` describes them;
    ``in_b`` names B's counterpart when it has another name (a policy paired by name)."""
    was = left.described.get(subject, {})
    now = right.described.get(in_b or subject, {})
    label = subject[1] if in_b is None or in_b == subject else f"{subject[1]} / {in_b[1]}"
    return [
        f"{subject[0]} {label} {field}: {was.get(field) or '(none)'} under A, "
        f"{now.get(field) or '(none)'} under B"
        for field in [*was, *(f for f in now if f not in was)]
        if was.get(field, "") != now.get(field, "")
    ]


def _plan_causes(
    left: _Side, right: _Side, probe_a: Probe, probe_b: Probe, paged: PageSet
) -> list[str]:
    """The plans and settings that differ: the policy's own contact, the people paged, and
    settings other than the send failures this comparison turns off."""
    causes = []
    policy_a, policy_b = ("contact", probe_a.contact.alias), ("contact", probe_b.contact.alias)
    causes.extend(_field_causes(left, right, policy_a, policy_b))
    for person in sorted({p for p, _, _ in paged}):
        causes.extend(_field_causes(left, right, ("contact", person)))
    settings_a, settings_b = left.oracle.knobs.as_dict(), right.oracle.knobs.as_dict()
    for name in settings_a:
        if name.startswith("fail_probability"):
            continue
        if settings_a[name] != settings_b.get(name):
            causes.append(f"setting {name}: {settings_a[name]} under A, {settings_b[name]} under B")
    return causes
