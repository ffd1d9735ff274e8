"""The catalogue of findings: every problem escsim can report about an organisation's contacts.

One table serves ``validate``, ``coverage``, ``review`` and ``check``. Each kind has a stable id
(``G101``), a kebab-case name, a severity and a one-sentence reason written for the person on
call. A :class:`Finding` is one occurrence: which kind, where in the organisation (a path such as
``contact/akuam.Plan.Stages[1].Targets[0]``), which resource, and a message naming the value.

Ids by family: ``G0xx`` input that is not AWS-shaped, ``G1xx`` references, ``G2xx`` targets of the
wrong kind, ``G3xx`` channels, ``G4xx`` personal contacts, ``G5xx`` plans and stages, ``G6xx``
rotations, ``G7xx`` overrides, ``G8xx`` policy review, ``G9xx`` a run's records. Severity rule:
anything that makes a page silently go nowhere at run time is an error; anything that only wastes
or weakens coverage is a warning.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable
from typing import Literal, cast

__all__ = [
    "CATALOGUE",
    "SEVERITIES",
    "Finding",
    "FindingKind",
    "Severity",
    "find_kind",
    "has_errors",
]

Severity = Literal["error", "warning"]
SEVERITIES: tuple[Severity, ...] = ("error", "warning")

_ID = re.compile(r"^G[0-9]{3}$")
_NAME = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
_DIGITS = re.compile(r"([0-9]+)")
# A catalogue entry: "id name severity" on one line, its reason on the indented lines below.
_ENTRY = re.compile(r"^(G[0-9]{3}) (\S+) (\S+)\n((?:    .*\n)+)", re.MULTILINE)


@dataclasses.dataclass(frozen=True, slots=True)
class FindingKind:
    """One entry of the catalogue. ``why`` says, in one sentence, why it matters on call."""

    id: str
    name: str
    severity: Severity
    why: str

    def __post_init__(self) -> None:
        if not _ID.match(self.id):
            raise ValueError(f"finding id {self.id!r} is not of the form G123")
        if not _NAME.match(self.name):
            raise ValueError(f"finding name {self.name!r} is not kebab-case")
        if self.severity not in SEVERITIES:
            raise ValueError(f"finding severity {self.severity!r} is not one of {SEVERITIES}")

    def at(self, path: str, subject: str, message: str) -> Finding:
        """A finding of this kind at ``path`` about the resource ``subject``."""
        return Finding(self.id, self.severity, path, subject, message)


_TABLE = """
# G0xx: input that is not shaped as AWS prints it.
G001 malformed-resource error
    A record without a usable ARN is left out entirely, so nothing it describes can be
    paged.
G002 malformed-field error
    A missing or mistyped field means the plan does not run the way its author meant.
G003 duplicate-resource error
    Two records with one ARN cannot both be true; the later one is ignored.
G004 malformed-target error
    A target needs exactly one of ChannelTargetInfo and ContactTargetInfo, otherwise nobody
    knows whom it pages.
# G1xx: references to things that are not there.
G101 dangling-channel-reference error
    The stage silently skips a channel that does not exist, so that page is never sent.
G102 dangling-contact-reference error
    The escalation silently skips a contact that does not exist, so that person is never
    engaged.
G103 foreign-channel-reference error
    A personal plan may page only its own contact's channels; another contact's channel is
    never paged through it.
G104 dangling-rotation-reference error
    The schedule silently skips a rotation that does not exist, so its shifts page nobody.
G105 dangling-rotation-member error
    During the shifts of a member that does not exist nobody is on call from that rotation.
G106 orphan-channel warning
    A channel whose contact does not exist belongs to no plan and can never be paged.
# G2xx: targets of the wrong kind.
G201 contact-target-in-personal-plan error
    A personal plan pages only channels; a contact target in it is skipped and pages nobody.
G202 channel-target-in-escalation-plan error
    An escalation plan engages only contacts; a channel target in it is skipped and pages
    nobody.
G203 nested-escalation error
    An escalation plan cannot engage another escalation plan, so that target pages nobody.
G204 schedule-with-stages error
    An on-call schedule pages through its rotations only; stages written on it never run.
G205 rotations-outside-schedule error
    Only on-call schedules use rotations; rotations listed on another contact are never
    consulted.
# G3xx: channels that can never be paged.
G301 inactive-channel warning
    A channel that is not activated is skipped, so its owner is not reached there.
G302 unused-channel warning
    An activated channel in no stage of its owner's plan is never paged.
# G4xx: personal contacts nobody can reach.
G401 unreachable-engaged-contact error
    An escalation plan counts on this contact, but their plan pages no activated channel, so
    the escalation reaches nobody there.
G402 unreachable-contact warning
    The contact's plan pages no activated channel, so engaging them reaches nobody.
G403 empty-personal-plan warning
    A contact without engagement plan stages cannot be paged at all.
# G5xx: plans and stages that can never page anyone.
G501 dead-stage error
    Every target of this stage is missing, inactive or unreachable, so the stage pages
    nobody while the incident waits.
G502 empty-stage warning
    A stage without targets pages nobody and only delays the stages after it.
G503 escalation-without-stages error
    Engaging an escalation plan without stages pages nobody.
G504 no-essential-target warning
    Without an essential target no acknowledgement stops the escalation; only StopEngagement
    does, so every later stage pages people anyway.
G505 schedule-without-rotations error
    An on-call schedule without rotations never has anyone on call.
# G6xx: rotations.
G601 rotation-member-not-personal warning
    Rotations hold people; a member that is not a personal contact is paged for nobody
    during their shifts.
G602 rotation-member-unreachable warning
    A member whose plan pages no activated channel leaves the rotation uncovered during
    their shifts.
G603 empty-rotation error
    A rotation without members never puts anyone on call.
# G7xx: rotation overrides.
G701 override-names-non-member error
    An override may only hand shifts to members of its rotation; one naming someone else
    (say a member since removed) puts a person on call the rotation no longer lists.
G702 override-names-nobody warning
    An override without contacts leaves its rotation with nobody on call for its whole span.
G703 dangling-override-rotation warning
    An override of a rotation that does not exist changes nobody's shifts.
G704 override-covers-no-time warning
    An override that ends before it starts covers no time and changes nobody's shifts.
# G8xx: policy review (escsim review): timing, reach and coverage over a window.
G801 retry-never-sent warning
    A retry interval that the settings never let fire gives false comfort: a failed message
    to this channel is not sent again.
G802 stage-after-certain-acknowledgement warning
    The contact's responder model always acknowledges before this stage starts, so the stage
    never runs and the forecast says nothing about it.
G803 stage-after-next-tier warning
    This channel is tried only once the escalation has already paged its next stage, so the
    next tier is woken before this person's own plan has done its job.
G804 single-channel-type warning
    A contact paged through one channel type only is unreachable whenever that provider or
    that device fails.
G805 secure-content-never-delivered warning
    SMS never carries the secure Subject and Content, so a contact paged only by SMS never
    learns what the incident is from the page itself.
G806 first-stage-gap warning
    For stretches of the window the first stage of this plan pages nobody, so an incident
    then waits for a later stage before anyone hears of it.
G807 schedule-gap warning
    For stretches of the window nobody on this schedule can be paged, so engaging it then
    reaches no one unless another stage covers that time.
G808 escalation-gap error
    For stretches of the window no stage of this escalation plan reaches anyone, so an
    incident started then pages no one at all.
# G9xx: a run's records that break the engine's own rules (escsim check).
G901 receipt-without-page error
    A receipt or message for a page the run never created cannot be traced to anyone being
    paged.
G902 receipt-without-channel error
    A receipt naming a channel that does not exist, belongs to someone else or was not
    activated claims a page went where it never could.
G903 send-after-close error
    Paging someone after they acknowledged, or after the engagement was stopped, wakes
    people for an incident that is already handled.
G904 repeated-read error
    A page is acknowledged once; a second READ receipt double-counts the response.
G905 stage-after-essential-ack error
    Once an essential responder acknowledged, starting another escalation stage pages people
    who should have been spared.
G906 unended-engagement error
    An engagement that never ends or stops would keep paging for ever.
G907 activity-after-end error
    An engagement that ended or stopped twice, or kept working after its end, has a timeline
    nobody can trust.
G908 secure-text-on-sms error
    SMS is not a private channel, so sending the secure Subject or Content there leaks
    incident details.
G909 message-receipt-mismatch error
    Every page message must have exactly one SENT or ERROR receipt, otherwise the outbox and
    the receipts tell different stories.
G910 sms-text-matches-secure-text warning
    An SMS repeats the text sent to private channels; that is a leak unless the public text
    was chosen to be the same.
G911 records-out-of-order error
    Records whose times go backwards cannot come from one virtual clock, so the run cannot
    be replayed.
G912 record-without-origin error
    Work of an engagement, page or channel that no earlier record started or created cannot
    be traced to the request that caused it, so part of the run is missing.
"""


def _kinds(table: str) -> dict[str, FindingKind]:
    catalogue: dict[str, FindingKind] = {}
    for kind_id, name, severity, why in _ENTRY.findall(table):
        if kind_id in catalogue or name in {kind.name for kind in catalogue.values()}:
            raise ValueError(f"finding {kind_id} {name} is listed twice")
        why = " ".join(why.split())
        catalogue[kind_id] = FindingKind(kind_id, name, cast(Severity, severity), why)
    return catalogue


CATALOGUE: dict[str, FindingKind] = _kinds(_TABLE)


def find_kind(key: str) -> FindingKind:
    """The catalogue entry whose id (``G101``) or name (``dangling-channel-reference``) is ``key``.

    Raises KeyError naming ``key`` when there is none.
    """
    if key in CATALOGUE:
        return CATALOGUE[key]
    for kind in CATALOGUE.values():
        if kind.name == key:
            return kind
    raise KeyError(f"no finding kind with id or name {key!r}")


def _natural_key(path: str) -> tuple[str | int, ...]:
    # "Stages[10]" sorts after "Stages[2]": digit runs compare as numbers. re.split keeps text
    # and numbers alternating from a text part, so two keys always compare like with like.
    return tuple(int(part) if i % 2 else part for i, part in enumerate(_DIGITS.split(path)))


@dataclasses.dataclass(frozen=True, slots=True)
class Finding:
    """One problem found: ``kind`` is the catalogue id, ``subject`` the ARN of the resource
    whose record holds the problem (empty when the record has no usable ARN).

    Findings order by path (indices compared as numbers), then kind id, then message.
    """

    kind: str
    severity: Severity
    path: str
    subject: str
    message: str

    def __post_init__(self) -> None:
        entry = CATALOGUE.get(self.kind)
        if entry is None:
            raise ValueError(f"finding kind {self.kind!r} is not in the catalogue")
        if self.severity != entry.severity:
            raise ValueError(
                f"finding {self.kind} has severity {entry.severity!r}, not {self.severity!r}"
            )

    @property
    def name(self) -> str:
        """The kebab-case name of the finding's kind."""
        return CATALOGUE[self.kind].name

    @property
    def why(self) -> str:
        """Why this kind of finding matters to someone on call."""
        return CATALOGUE[self.kind].why

    @property
    def is_error(self) -> bool:
        return self.severity == "error"

    def sort_key(self) -> tuple[tuple[str | int, ...], str, str]:
        return (_natural_key(self.path), self.kind, self.message)

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, Finding):
            return NotImplemented
        return self.sort_key() < other.sort_key()

    def as_dict(self) -> dict[str, str]:
        """The finding as a JSON object, keys in a fixed order."""
        return {
            "Id": self.kind,
            "Name": self.name,
            "Severity": self.severity,
            "Path": self.path,
            "Subject": self.subject,
            "Message": self.message,
        }


def has_errors(findings: Iterable[Finding]) -> bool:
    """Whether any finding is an error (``escsim validate`` then exits 1)."""
    return any(finding.is_error for finding in findings)
