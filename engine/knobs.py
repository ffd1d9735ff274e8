"""Run settings ("knobs"): names, types, ranges, defaults and one-line descriptions, in one place.

A knob is set by keyword on ``Simulator``, by ``settings:`` in a scenario file, or by
``--set NAME=VALUE`` on the command line. Dotted names (``latency.SMS``) address one channel
type of a per-type knob. :data:`SETTINGS` describes every name, one line each: ``--set ?``
prints it and docs/semantics.md holds the same table (``python -m engine.knobs`` writes it). A
changed default is a changed contract: name it in the changelog. The rules each knob belongs to
are described in docs/semantics.md.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable, Mapping, Sequence
from typing import Any, Literal, get_args

from engine.vocabulary import CHANNEL_TYPES, ChannelType

DOCS = "docs/semantics.md"
"""Where the settings and the rules they belong to are described, for messages that point there."""

EmptySchedule = Literal["continue", "skip_wait"]
DeliveryReceipts = Literal["accept", "carrier"]
RetryMode = Literal["on_failure", "until_ack"]
EssentialAck = Literal["stop_progression", "stop_all"]
ScheduleLayers = Literal["union", "last_wins"]
EarlierPages = Literal["continue", "cancel"]
PerChannel = Mapping[ChannelType, float]

MAX_REPEAT = 10
MAX_RETRIES = 100
MAX_LATENCY = 3600.0


class KnobError(ValueError):
    """An unknown knob name or a value outside the knob's type or range."""

    def __init__(self, name: str, value: Any, why: str) -> None:
        super().__init__(
            f"setting {name!r}: {why} (got {value!r}); the settings are described in {DOCS} "
            "and listed by --set '?'"
        )
        self.name = name
        self.value = value
        self.why = why


def _per_channel(value: float) -> dict[ChannelType, float]:
    return dict.fromkeys(CHANNEL_TYPES, value)


@dataclasses.dataclass(frozen=True, slots=True)
class Knobs:
    """The validated settings of a run. Build with :meth:`from_mapping`."""

    repeat: int = 0
    empty_schedule: EmptySchedule = "continue"
    dedupe_contacts: bool = False
    fail_probability: PerChannel = dataclasses.field(default_factory=lambda: _per_channel(0.0))
    latency: PerChannel = dataclasses.field(
        default_factory=lambda: {"SMS": 5.0, "VOICE": 20.0, "EMAIL": 30.0}
    )
    delivery_receipts: DeliveryReceipts = "accept"
    max_retries: int = 3
    retry_mode: RetryMode = "on_failure"
    essential_ack: EssentialAck = "stop_progression"
    schedule_layers: ScheduleLayers = "union"
    earlier_pages: EarlierPages = "continue"

    @classmethod
    def from_mapping(cls, values: Mapping[str, Any] | None = None) -> Knobs:
        """Validate ``values`` (dotted names, or nested per-type dicts) over the defaults."""
        flat = flatten(values or {})
        base = cls()
        fail = dict(base.fail_probability)
        latency = dict(base.latency)
        # The plain fail_probability sets every type; per-type values then override it,
        # whatever order they were given in.
        if "fail_probability" in flat:
            fail = _per_channel(_float_in("fail_probability", flat.pop("fail_probability"), 1.0))
        scalars: dict[str, Any] = {}
        for name, value in flat.items():
            kind, _, channel = name.partition(".")
            if channel and kind in ("fail_probability", "latency"):
                known = next((t for t in CHANNEL_TYPES if t == channel), None)
                if known is None:
                    raise KnobError(name, value, f"channel type must be one of {CHANNEL_TYPES}")
                if kind == "latency":
                    latency[known] = _float_in(name, value, MAX_LATENCY)
                else:
                    fail[known] = _float_in(name, value, 1.0)
            elif name in _SCALARS:
                scalars[name] = _SCALARS[name](name, value)
            else:
                raise KnobError(name, value, f"unknown setting; known: {', '.join(KNOB_NAMES)}")
        return cls(fail_probability=fail, latency=latency, **scalars)

    def as_dict(self) -> dict[str, object]:
        """Flat JSON-ready view with dotted names, as results and workspace headers record it."""
        out: dict[str, object] = {}
        for f in dataclasses.fields(self):
            value = getattr(self, f.name)
            if isinstance(value, Mapping):
                for channel in CHANNEL_TYPES:
                    out[f"{f.name}.{channel}"] = value[channel]
            else:
                out[f.name] = value
        return out


def flatten(values: Mapping[str, object]) -> dict[str, object]:
    """Turn ``{"latency": {"SMS": 3}}`` into ``{"latency.SMS": 3}``; other names pass through."""
    flat: dict[str, object] = {}
    for name, value in values.items():
        if isinstance(value, Mapping):
            for sub, inner in value.items():
                flat[f"{name}.{sub}"] = inner
        else:
            flat[str(name)] = value
    return flat


def _int_in(name: str, value: Any, high: int) -> int:
    why = f"must be an integer from 0 to {high}"
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise KnobError(name, value, why)
    try:
        number = int(value)
    except ValueError:
        raise KnobError(name, value, why) from None
    if not 0 <= number <= high:
        raise KnobError(name, value, why)
    return number


def _float_in(name: str, value: Any, high: float) -> float:
    why = f"must be a number from 0 to {high:g}"
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise KnobError(name, value, why)
    try:
        number = float(value)
    except (ValueError, OverflowError):  # OverflowError: an integer of hundreds of digits
        raise KnobError(name, value, why) from None
    if not 0.0 <= number <= high:  # also rejects NaN
        raise KnobError(name, value, why)
    return number


def _choice(options: tuple[str, ...]) -> Callable[[str, Any], str]:
    def check(name: str, value: Any) -> str:
        if value not in options:
            raise KnobError(name, value, f"must be one of {', '.join(options)}")
        return str(value)

    return check


def _boolean(name: str, value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in ("true", "1", "yes", "on"):
        return True
    if text in ("false", "0", "no", "off"):
        return False
    raise KnobError(name, value, "must be true or false")


# The values of each choice, from its Literal type.
_CHOICES: dict[str, tuple[str, ...]] = {
    "empty_schedule": get_args(EmptySchedule),
    "delivery_receipts": get_args(DeliveryReceipts),
    "retry_mode": get_args(RetryMode),
    "essential_ack": get_args(EssentialAck),
    "schedule_layers": get_args(ScheduleLayers),
    "earlier_pages": get_args(EarlierPages),
}

_SCALARS: dict[str, Callable[[str, Any], Any]] = {
    "repeat": lambda n, v: _int_in(n, v, MAX_REPEAT),
    "dedupe_contacts": _boolean,
    "max_retries": lambda n, v: _int_in(n, v, MAX_RETRIES),
    **{name: _choice(options) for name, options in _CHOICES.items()},
}


# -- descriptions ---------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True, slots=True)
class Setting:
    """One knob name as users see it: its values, default, rules and what it does."""

    name: str
    values: str
    default: str
    rules: str
    summary: str


_DEFAULTS = Knobs().as_dict()


def _setting(name: str, values: str, rules: str, summary: str) -> Setting:
    return Setting(name, values, _shown(_DEFAULTS[name]), rules, summary)


def _per_type(kind: str, values: str, summary: str) -> tuple[Setting, ...]:
    return tuple(
        _setting(f"{kind}.{channel}", values, "E7", summary.format(channel=channel))
        for channel in CHANNEL_TYPES
    )


def _shown(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


SETTINGS: tuple[Setting, ...] = (
    _setting(
        "repeat",
        f"integer 0..{MAX_REPEAT}",
        "E2",
        "extra passes of an escalation plan's stages after the last one (AWS runs a plan once)",
    ),
    _setting(
        "empty_schedule",
        "|".join(_CHOICES["empty_schedule"]),
        "E3",
        "continue: a stage that engaged nobody still waits out its duration; skip_wait: the "
        "next stage starts at once if a schedule in it had nobody on call",
    ),
    _setting(
        "dedupe_contacts",
        "true|false",
        "E4",
        "true: a contact engaged a second time in one engagement gets no second page",
    ),
    Setting(
        "fail_probability",
        "number 0..1",
        _shown(_DEFAULTS["fail_probability.SMS"]),
        "E7",
        "chance that a send attempt fails (ERROR receipt), for every channel type",
    ),
    *_per_type(
        "fail_probability",
        "number 0..1",
        "chance that a send attempt on {channel} channels fails; overrides fail_probability",
    ),
    *_per_type(
        "latency",
        f"seconds 0..{MAX_LATENCY:g}",
        "seconds until a sent {channel} message reaches the person",
    ),
    _setting(
        "delivery_receipts",
        "|".join(_CHOICES["delivery_receipts"]),
        "E7, E12",
        "accept: DELIVERED receipts only from AcceptPage(AcceptType=DELIVERED), as AWS shows; "
        "carrier: also one when each message reaches the person",
    ),
    _setting(
        "max_retries",
        f"integer 0..{MAX_RETRIES}",
        "E8",
        "most re-sends of a failed message under retry_mode on_failure",
    ),
    _setting(
        "retry_mode",
        "|".join(_CHOICES["retry_mode"]),
        "E8",
        "on_failure: re-send failed messages only; until_ack: re-send every retry interval "
        "within the stage until acknowledged",
    ),
    _setting(
        "essential_ack",
        "|".join(_CHOICES["essential_ack"]),
        "E10",
        "stop_progression: an essential acknowledgement stops later stages; stop_all: it also "
        "closes the engagement's other open pages (STOP)",
    ),
    _setting(
        "schedule_layers",
        "|".join(_CHOICES["schedule_layers"]),
        "E3",
        "union: a schedule's on-call contacts are those of all its rotations; last_wins: only "
        "those of its last rotation that has anyone on call (PagerDuty's layers)",
    ),
    _setting(
        "earlier_pages",
        "|".join(_CHOICES["earlier_pages"]),
        "E2",
        "continue: pages engaged by an escalation plan's earlier stages go on with their own "
        "plans; cancel: each stage's start cancels them (PagerDuty reassigns the incident)",
    ),
)
"""Every knob name, in the order of the contract's settings table."""

KNOB_NAMES: tuple[str, ...] = tuple(setting.name for setting in SETTINGS)


def describe(query: str = "") -> list[Setting]:
    """The settings ``query`` names (all for ""; ``latency`` gives the three latency.*), or
    KnobError when nothing matches."""
    name = query.strip()
    if not name:
        return list(SETTINGS)
    found = [s for s in SETTINGS if s.name == name or s.name.startswith(f"{name}.")]
    if not found:
        raise KnobError(name, "?", f"unknown setting; known: {', '.join(KNOB_NAMES)}")
    return found


def listing(settings: Sequence[Setting] = SETTINGS) -> str:
    """One line per setting (name, values, default, what it does), columns aligned."""
    rows = [(s.name, s.values, f"default {s.default}", s.summary) for s in settings]
    widths = [max(len(row[i]) for row in rows) for i in range(3)]
    return "".join(
        "  ".join(cell.ljust(width) for cell, width in zip(row[:3], widths, strict=True))
        + f"  {row[3]}\n"
        for row in rows
    )


def markdown_table() -> str:
    """The settings table of docs/semantics.md, generated from :data:`SETTINGS`."""
    lines = [
        "| setting | values | default | rules | what it does |",
        "|---|---|---|---|---|",
    ]
    for s in SETTINGS:
        values = s.values.replace("|", "\\|")  # a choice's bar would end the cell
        lines.append(f"| `{s.name}` | {values} | `{s.default}` | {s.rules} | {s.summary} |")
    return "\n".join(lines) + "\n"


def parse_assignment(text: str) -> tuple[str, Any]:
    """Split ``NAME=VALUE`` from ``--set``; the value is read as JSON when it parses, else text."""
    name, sep, raw = text.partition("=")
    if not sep or not name.strip():
        raise KnobError(text, text, "expected NAME=VALUE")
    try:
        value: Any = json.loads(raw)
    except ValueError:
        value = raw
    return name.strip(), value


if __name__ == "__main__":
    print(markdown_table(), end="")
