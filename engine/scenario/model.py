"""The scenario file format (``*.scenario.yaml``, ``version: 1``) as pydantic models.

These models check the shape of a file: keys, types and simple ranges. They also are the
source of the JSON Schema that ``escsim schema`` prints. Cross-references (a plan naming a
channel, a script naming a step) are checked later by the compiler, and AWS field rules by the
simulator's import, so each rule lives in one place. Every model forbids unknown keys.
"""

from __future__ import annotations

import types
import typing
from typing import TYPE_CHECKING, Annotated, Any, Literal, Union

from pydantic import BaseModel, ConfigDict, Discriminator, Field, Tag, create_model, model_validator

from engine.knobs import KNOB_NAMES
from engine.scenario.expect.model import EXPECT_UNION_TAGS, ErrorExpectation, Expectations
from engine.scenario.fields import At, Duration, Instant, PlanMinutes, StartInstant, TimeOfDay

__all__ = [
    "ACTION_NAMES",
    "OPERATION_NAMES",
    "Acknowledge",
    "AwsChannel",
    "AwsContact",
    "AwsOverride",
    "AwsRotation",
    "ScenarioBody",
    "ScenarioEntry",
    "ScenarioFile",
    "ShortChannel",
    "ShortContact",
    "ShortOverride",
    "ShortRotation",
    "Step",
    "allowed_keys",
]

ChannelType = Literal["SMS", "VOICE", "EMAIL"]
DayOfWeek = Literal["MON", "TUE", "WED", "THU", "FRI", "SAT", "SUN"]
AcceptType = Literal["READ", "DELIVERED"]
Request = dict[str, Any]

# Tags of discriminated unions appear in pydantic's error locations; the angle brackets keep them
# apart from keys a user can write, so error paths can drop them.
AWS_FORM = "<aws form>"
SHORT_FORM = "<short form>"
UNION_TAGS = frozenset(
    {
        AWS_FORM,
        SHORT_FORM,
        "<scripted>",
        "<probabilistic>",
        "<fixed>",
        "<exponential>",
        "<lognormal>",
        "<uniform>",
    }
    | EXPECT_UNION_TAGS
)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


# --- Organisation, AWS form: what get-contact and list-contact-channels print ---------------


class AwsChannelTargetInfo(_Strict):
    ContactChannelId: str
    RetryIntervalInMinutes: int | None = Field(default=None, ge=0, le=60)


class AwsContactTargetInfo(_Strict):
    ContactId: str | None = None
    IsEssential: bool


class AwsTarget(_Strict):
    ChannelTargetInfo: AwsChannelTargetInfo | None = None
    ContactTargetInfo: AwsContactTargetInfo | None = None


class AwsStage(_Strict):
    DurationInMinutes: int = Field(ge=0, le=30)
    Targets: list[AwsTarget]


class AwsPlan(_Strict):
    Stages: list[AwsStage] | None = None
    RotationIds: list[str] | None = None


class AwsDeliveryAddress(_Strict):
    SimpleAddress: str


class AwsChannel(_Strict):
    """A contact channel as aws ssm-contacts list-contact-channels prints it."""

    ContactChannelArn: str
    ContactArn: str | None = Field(
        default=None, description="Required for a channel listed at the top level."
    )
    Name: str
    Type: ChannelType
    DeliveryAddress: AwsDeliveryAddress
    ActivationStatus: Literal["ACTIVATED", "NOT_ACTIVATED"] | None = Field(
        default=None, description="Absent means NOT_ACTIVATED."
    )


class AwsContact(_Strict):
    """A contact as aws ssm-contacts get-contact prints it, plus its channels."""

    ContactArn: str
    Alias: str
    DisplayName: str | None = None
    Type: Literal["PERSONAL", "ESCALATION", "ONCALL_SCHEDULE"]
    Plan: AwsPlan
    channels: list[AwsChannel] = Field(
        default_factory=list,
        description="The contact's channels, as list-contact-channels prints them.",
    )


# --- Organisation, short form: aliases and names ----------------------------------------------


class ShortChannel(_Strict):
    """A channel of a short-form contact; its key under channels is its name."""

    type: ChannelType
    address: str = Field(description="Phone number (+15550100) or e-mail address.")
    activated: bool = Field(default=True, description="Declared ACTIVATED (default true).")


class ShortTarget(_Strict):
    """One target of a short-form stage: a channel of this contact, or another contact."""

    channel: str | None = Field(default=None, description="Name of one of this contact's channels.")
    retry: PlanMinutes | None = Field(
        default=None,
        ge=0,
        le=60,
        description="Minutes before a failed message is sent again (0..60).",
    )
    contact: str | None = Field(default=None, description="Alias of a contact of this scenario.")
    essential: bool | None = Field(
        default=None, description="Does their acknowledgement stop the escalation? (false)"
    )

    @model_validator(mode="after")
    def _one_kind(self) -> ShortTarget:
        if (self.channel is None) == (self.contact is None):
            raise ValueError("a target names exactly one of 'channel' or 'contact'")
        if self.channel is not None and self.essential is not None:
            raise ValueError("'essential' goes with a 'contact' target, not a channel")
        if self.contact is not None and self.retry is not None:
            raise ValueError("'retry' goes with a 'channel' target, not a contact")
        return self


class ShortStage(_Strict):
    duration: PlanMinutes = Field(
        ge=0, le=30, description="Minutes until the next stage starts (0..30)."
    )
    targets: list[ShortTarget]


class ShortContact(_Strict):
    """A contact of the short form; its key under contacts is its alias."""

    type: Literal["PERSONAL", "ESCALATION", "ONCALL_SCHEDULE"] | None = Field(
        default=None,
        description="Default: ONCALL_SCHEDULE when rotations are listed, ESCALATION when the "
        "plan targets contacts, else PERSONAL.",
    )
    name: str | None = Field(default=None, description="Display name.")
    channels: dict[str, ShortChannel] = Field(default_factory=dict)
    plan: list[ShortStage] = Field(default_factory=list)
    rotations: list[str] | None = Field(
        default=None,
        description="An on-call schedule's rotations, in order: names of rotations of this "
        "scenario, or rotation ARNs.",
    )


def _contacts_form(value: Any) -> str | None:
    if isinstance(value, list):
        return AWS_FORM
    if isinstance(value, dict):
        return SHORT_FORM
    return None


Contacts = Annotated[
    Annotated[list[AwsContact], Tag(AWS_FORM)]
    | Annotated[dict[str, ShortContact], Tag(SHORT_FORM)],
    Discriminator(
        _contacts_form,
        custom_error_type="contacts_form",
        custom_error_message="contacts must be a list (AWS form) or a mapping from alias to "
        "contact (short form)",
    ),
]


# --- On-call rotations, AWS form: what get-rotation and get-rotation-override print ---------


class AwsHandOffTime(_Strict):
    HourOfDay: int
    MinuteOfHour: int


class AwsWeeklySetting(_Strict):
    DayOfWeek: DayOfWeek
    HandOffTime: AwsHandOffTime


class AwsMonthlySetting(_Strict):
    DayOfMonth: int
    HandOffTime: AwsHandOffTime


class AwsCoverageTime(_Strict):
    Start: AwsHandOffTime | None = None
    End: AwsHandOffTime | None = None


class AwsRecurrence(_Strict):
    MonthlySettings: list[AwsMonthlySetting] | None = None
    WeeklySettings: list[AwsWeeklySetting] | None = None
    DailySettings: list[AwsHandOffTime] | None = None
    NumberOfOnCalls: int
    ShiftCoverages: dict[DayOfWeek, list[AwsCoverageTime]] | None = None
    RecurrenceMultiplier: int


class AwsRotation(_Strict):
    """A rotation as aws ssm-contacts get-rotation prints it."""

    RotationArn: str
    Name: str
    ContactIds: list[str]
    StartTime: Instant
    TimeZoneId: str
    Recurrence: AwsRecurrence


class AwsOverride(_Strict):
    """A rotation override as aws ssm-contacts get-rotation-override prints it."""

    RotationOverrideId: str
    RotationArn: str
    NewContactIds: list[str]
    StartTime: Instant
    EndTime: Instant
    CreateTime: Instant | None = Field(
        default=None, description="Ignored but for order: overrides listed later win."
    )


# --- On-call rotations, short form ---------------------------------------------------------


class ShortWeekly(_Strict):
    day: DayOfWeek
    at: TimeOfDay


class ShortMonthly(_Strict):
    day: int = Field(ge=1, le=31, description="Day of the month (a month without it is skipped).")
    at: TimeOfDay


class ShortOverride(_Strict):
    """Other members on call over [start, end); later overrides win where they overlap."""

    id: str | None = Field(
        default=None,
        pattern=r"^[A-Za-z_][A-Za-z0-9_-]*$",
        description="A name script steps can use as RotationOverrideId.",
    )
    start: Instant
    end: Instant
    members: list[str] = Field(description="Aliases of members of the rotation; [] for nobody.")


class ShortRotation(_Strict):
    """A rotation of the short form; its key under rotations is its Name."""

    members: list[str] = Field(description="Aliases (or ARNs) of personal contacts, in order.")
    start: Instant | None = Field(
        default=None, description="When shift 0 begins (default: the scenario's start)."
    )
    zone: str = Field(default="UTC", description="IANA time zone of the hand-offs (UTC).")
    daily: list[TimeOfDay] | None = Field(default=None, description="Hand-offs every day.")
    weekly: list[ShortWeekly] | None = Field(default=None, description="Hand-offs every week.")
    monthly: list[ShortMonthly] | None = Field(default=None, description="Hand-offs every month.")
    every: int = Field(
        default=1, description="RecurrenceMultiplier: a new shift every N-th hand-off (1)."
    )
    on_calls: int = Field(default=1, description="NumberOfOnCalls: members per shift (1).")
    coverage: dict[DayOfWeek, list[tuple[TimeOfDay, TimeOfDay]]] | None = Field(
        default=None,
        description='ShiftCoverages: per day, ["start", "end"] windows when someone is on '
        "call; other times nobody is.",
    )
    overrides: list[ShortOverride] = Field(default_factory=list)

    @model_validator(mode="after")
    def _one_recurrence(self) -> ShortRotation:
        given = [k for k in ("daily", "weekly", "monthly") if getattr(self, k) is not None]
        if len(given) != 1:
            found = ", ".join(given) if given else "none"
            raise ValueError(
                f"a rotation hands off on exactly one of daily, weekly or monthly (found: {found})"
            )
        return self


Rotations = Annotated[
    Annotated[list[AwsRotation], Tag(AWS_FORM)]
    | Annotated[dict[str, ShortRotation], Tag(SHORT_FORM)],
    Discriminator(
        _contacts_form,  # the same rule: a list is the AWS form, a mapping the short form
        custom_error_type="rotations_form",
        custom_error_message="rotations must be a list (AWS form) or a mapping from name to "
        "rotation (short form)",
    ),
]


# --- Responders --------------------------------------------------------------------------------


class FixedDelay(_Strict):
    fixed: Duration


class ExponentialParams(_Strict):
    mean: Duration


class ExponentialDelay(_Strict):
    exponential: ExponentialParams


class LogNormalParams(_Strict):
    median: Duration
    sigma: float = Field(gt=0, le=10)


class LogNormalDelay(_Strict):
    lognormal: LogNormalParams


class UniformParams(_Strict):
    low: Duration
    high: Duration

    @model_validator(mode="after")
    def _ordered(self) -> UniformParams:
        if self.high < self.low:
            raise ValueError("high must not be below low")
        return self


class UniformDelay(_Strict):
    uniform: UniformParams


def _delay_kind(value: Any) -> str | None:
    if isinstance(value, BaseModel):  # serialising: the one field a delay model has
        value = dict.fromkeys(type(value).model_fields)
    if isinstance(value, dict) and len(value) == 1:
        kind = next(iter(value))
        if kind in ("fixed", "exponential", "lognormal", "uniform"):
            return f"<{kind}>"
    return None


DelaySpec = Annotated[
    Annotated[FixedDelay, Tag("<fixed>")]
    | Annotated[ExponentialDelay, Tag("<exponential>")]
    | Annotated[LogNormalDelay, Tag("<lognormal>")]
    | Annotated[UniformDelay, Tag("<uniform>")],
    Discriminator(
        _delay_kind,
        custom_error_type="delay_kind",
        custom_error_message="write one of {fixed: 4m}, {exponential: {mean: 4m}}, "
        "{lognormal: {median: 4m, sigma: 0.8}}, {uniform: {low: 1m, high: 9m}}",
    ),
]


class ScriptedResponderSpec(_Strict):
    """Acknowledges every page a fixed time after it is created."""

    acknowledges_after: Duration
    via: ChannelType | None = Field(default=None, description="Channel type of the reply.")
    accept_type: AcceptType = "READ"


class ProbabilisticResponderSpec(_Strict):
    """Acknowledges with a probability, after a random delay; otherwise never."""

    probability: float = Field(ge=0, le=1)
    delay: DelaySpec
    via: ChannelType | None = None
    accept_type: AcceptType = "READ"


def _responder_kind(value: Any) -> str | None:
    if isinstance(value, dict):
        if "acknowledges_after" in value:
            return "<scripted>"
        if "probability" in value or "delay" in value:
            return "<probabilistic>"
    return None


ResponderSpec = Annotated[
    Annotated[ScriptedResponderSpec, Tag("<scripted>")]
    | Annotated[ProbabilisticResponderSpec, Tag("<probabilistic>")],
    Discriminator(
        _responder_kind,
        custom_error_type="responder_kind",
        custom_error_message="write {acknowledges_after: 7m} or {probability: 0.6, delay: ...}",
    ),
]


# --- Script ---------------------------------------------------------------------------------------


class Acknowledge(_Strict):
    """Accept the latest page of a contact in an engagement (AcceptPage with the page's code)."""

    contact: str = Field(description="Alias (or ARN) of the paged personal contact.")
    engagement: str = Field(
        description="Id of the step that started the engagement, a ${...} reference or an ARN."
    )
    accept_type: AcceptType = "READ"
    note: str | None = None


_OPERATIONS = """AcceptPage ActivateContactChannel CreateContact CreateContactChannel CreateRotation
    CreateRotationOverride DeactivateContactChannel DeleteContact DeleteContactChannel
    DeleteRotation DeleteRotationOverride DescribeEngagement DescribePage GetContact
    GetContactChannel GetContactPolicy GetRotation GetRotationOverride ListContactChannels
    ListContacts ListEngagements ListPageReceipts ListPageResolutions ListPagesByContact
    ListPagesByEngagement ListPreviewRotationShifts ListRotationOverrides ListRotationShifts
    ListRotations ListTagsForResource PutContactPolicy SendActivationCode StartEngagement
    StopEngagement TagResource UntagResource UpdateContact UpdateContactChannel
    UpdateRotation"""
OPERATION_NAMES: tuple[str, ...] = tuple(_OPERATIONS.split())
"""Every ssm-contacts operation a step may call (whether the simulator implements it is the
simulator's answer)."""

ACTION_NAMES: tuple[str, ...] = ("acknowledge", *OPERATION_NAMES)


class _StepBase(_Strict):
    at: At
    id: str | None = Field(
        default=None,
        pattern=r"^[A-Za-z_][A-Za-z0-9_-]*$",
        description="Name for the step's response, used as ${id.Member} by later steps.",
    )
    expect_error: ErrorExpectation | None = Field(
        default=None,
        description="The AWS error code this step must fail with, or {code: CODE, message: "
        "{contains: PART}, members: {...}}.",
    )
    acknowledge: Acknowledge | None = None

    @model_validator(mode="after")
    def _one_action(self) -> _StepBase:
        given = [name for name in ACTION_NAMES if getattr(self, name) is not None]
        if len(given) != 1:
            found = ", ".join(given) if given else "none"
            raise ValueError(
                "a step holds exactly one action: an operation such as StartEngagement, or "
                f"acknowledge (found: {found})"
            )
        return self

    @property
    def action(self) -> str:
        """The operation name, or ``acknowledge``."""
        return next(name for name in ACTION_NAMES if getattr(self, name) is not None)

    def request(self) -> Request:
        """The AWS request of the step's operation (empty for ``acknowledge``)."""
        request: Request = {} if self.acknowledge else getattr(self, self.action)
        return request


if TYPE_CHECKING:
    Step = _StepBase
else:
    Step = create_model(
        "Step",
        __base__=_StepBase,
        __doc__="One timed action: exactly one operation with its AWS request, or acknowledge.",
        **{
            name: (
                Request | None,
                Field(default=None, description="An AWS request of this operation."),
            )
            for name in OPERATION_NAMES
        },
    )


# --- Scenarios ----------------------------------------------------------------------------------


def _family_first(name: str) -> tuple[str, ...]:
    family, dot, _ = name.partition(".")
    return (family, name) if dot else (name,)


_KNOB_SCHEMA: dict[str, object] = {
    "type": "object",
    "description": "Settings (knobs) of the run, described in docs/semantics.md: "
    + ", ".join(KNOB_NAMES)
    + "; per-type knobs also nested, e.g. latency: {SMS: 10}.",
    "propertyNames": {
        # Each name, with a per-type knob's family name (latency) before its first member.
        "enum": list(dict.fromkeys(part for name in KNOB_NAMES for part in _family_first(name)))
    },
}


class ScenarioBody(_Strict):
    """What a scenario holds. Every key is optional here; defaults are applied when it runs."""

    name: str | None = Field(default=None, pattern=r"^[^\n]{1,100}$")
    description: str | None = Field(
        default=None, pattern=r"^[^\n]*$", description="One line saying what it shows."
    )
    start: StartInstant | None = Field(
        default=None, description="Start instant (ISO 8601). Absent: the wall clock, recorded."
    )
    seed: int | None = Field(default=None, ge=0, description="Seed of the run's randomness (0).")
    account: str | None = Field(
        default=None, pattern=r"^[0-9]{12}$", description="Account id (111122223333)."
    )
    region: str | None = Field(
        default=None, pattern=r"^[a-z]{2}(-[a-z]+)+-[0-9]+$", description="Region (us-east-1)."
    )
    settings: Annotated[dict[str, object], Field(json_schema_extra=_KNOB_SCHEMA)] | None = None
    contacts: Contacts | None = Field(
        default=None,
        description="A list of contacts as get-contact prints them (AWS form), or a mapping "
        "from alias to contact (short form).",
    )
    channels: list[AwsChannel] | None = Field(
        default=None, description="Channels as list-contact-channels prints them (AWS form)."
    )
    rotations: Rotations | None = Field(
        default=None,
        description="On-call rotations: a list as get-rotation prints them (AWS form), or a "
        "mapping from name to rotation (short form).",
    )
    overrides: list[AwsOverride] | None = Field(
        default=None,
        description="Rotation overrides as get-rotation-override prints them (AWS form).",
    )
    responders: dict[str, ResponderSpec] | None = Field(
        default=None, description="How paged contacts answer, by alias."
    )
    script: list[Step] | None = Field(default=None, description="Timed actions, in time order.")
    incidents: dict[str, object] | None = Field(
        default=None,
        description="Incident model for escsim review and diff (rate or count, hour-of-week "
        "profile, targets, review responder models); checked by escsim review, see "
        "docs/review.md.",
    )
    expect: Expectations | None = Field(
        default=None,
        description="What the run must have done: messages, receipts, events, pages, counts, "
        "engagement outcomes, step responses.",
    )


class ScenarioEntry(ScenarioBody):
    """One named scenario of a file holding several."""

    name: str = Field(pattern=r"^[^\n]{1,100}$")


class ScenarioFile(ScenarioBody):
    """A scenario file: one scenario, or shared defaults and a list of named scenarios."""

    model_config = ConfigDict(
        extra="forbid",
        frozen=True,
        title="escsim scenario file",
        json_schema_extra={"$schema": "https://json-schema.org/draft/2020-12/schema"},
    )

    version: Literal[1] = Field(description="Format version; always 1.")
    scenarios: list[ScenarioEntry] | None = Field(
        default=None,
        description="Several named scenarios; keys at the top level are their shared defaults.",
    )


def allowed_keys(location: tuple[int | str, ...]) -> list[str]:
    """The keys a mapping at pydantic error ``location`` accepts (empty when not a model).

    Follows fields, list items, mapping values and the tags of discriminated unions.
    """
    current: Any = ScenarioFile
    for part in location:
        current = _unwrap(current)
        if isinstance(current, type) and issubclass(current, BaseModel):
            field = current.model_fields.get(str(part))
            if field is None:
                return []
            current = field.annotation
            continue
        origin = typing.get_origin(current)
        if origin is list and isinstance(part, int):
            current = typing.get_args(current)[0]
        elif origin is dict:
            current = typing.get_args(current)[1]
        elif origin is Union or origin is types.UnionType:
            current = _tagged_member(current, part)
        else:
            return []
    current = _unwrap(current)
    if isinstance(current, type) and issubclass(current, BaseModel):
        return list(current.model_fields)
    return []


def _unwrap(annotation: Any) -> Any:
    """Strip ``Annotated`` and ``X | None`` down to the type that holds the value."""
    while True:
        if typing.get_origin(annotation) is Annotated:
            annotation = typing.get_args(annotation)[0]
            continue
        if typing.get_origin(annotation) in (Union, types.UnionType):
            members = [arg for arg in typing.get_args(annotation) if arg is not type(None)]
            if len(members) == 1:
                annotation = members[0]
                continue
        return annotation


def _tagged_member(union: Any, tag: int | str) -> Any:
    for member in typing.get_args(union):
        if typing.get_origin(member) is Annotated and any(
            isinstance(meta, Tag) and meta.tag == tag for meta in member.__metadata__
        ):
            return typing.get_args(member)[0]
    return None
