"""Run settings ("knobs") of semantics.md: names, types, ranges and defaults, in one place.

A knob is set by keyword on ``Simulator``, by ``settings:`` in a scenario file, or by
``--set NAME=VALUE`` on the command line. Dotted names (``latency.SMS``) address one channel
type of a per-type knob. A changed default is a changed contract: name it in the changelog.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Mapping
from typing import Any

__all__ = ["CHANNEL_TYPES", "KNOB_NAMES", "KnobError", "Knobs", "parse_assignment"]

CHANNEL_TYPES = ("SMS", "VOICE", "EMAIL")


class KnobError(ValueError):
    """An unknown knob name or a value outside the knob's type or range."""

    def __init__(self, name: str, value: Any, why: str) -> None:
        super().__init__(f"setting {name!r}: {why} (got {value!r})")
        self.name = name
        self.value = value
        self.why = why


@dataclasses.dataclass(frozen=True, slots=True)
class Knobs:
    """The validated settings of a run. Build with :meth:`from_mapping`."""

    repeat: int = 0
    empty_schedule: str = "continue"
    dedupe_contacts: bool = False
    fail_probability: Mapping[str, float] = dataclasses.field(
        default_factory=lambda: {t: 0.0 for t in CHANNEL_TYPES}
    )
    latency: Mapping[str, float] = dataclasses.field(
        default_factory=lambda: {"SMS": 5.0, "VOICE": 20.0, "EMAIL": 30.0}
    )
    max_retries: int = 3
    retry_mode: str = "on_failure"
    essential_ack: str = "stop_progression"

    @classmethod
    def from_mapping(cls, values: Mapping[str, Any] | None = None) -> Knobs:
        """Validate ``values`` (dotted names, or nested per-type dicts) over the defaults."""
        flat = _flatten(values or {})
        base = cls()
        fail = dict(base.fail_probability)
        latency = dict(base.latency)
        # The plain fail_probability sets every type; per-type values then override it,
        # whatever order they were given in.
        if "fail_probability" in flat:
            p = _float_in("fail_probability", flat["fail_probability"], 0.0, 1.0)
            fail = {t: p for t in CHANNEL_TYPES}
        scalars: dict[str, Any] = {}
        for name, value in flat.items():
            kind, _, channel = name.partition(".")
            if name == "fail_probability":
                continue
            if channel and kind in ("fail_probability", "latency"):
                if channel not in CHANNEL_TYPES:
                    raise KnobError(name, value, f"channel type must be one of {CHANNEL_TYPES}")
                if kind == "latency":
                    latency[channel] = _float_in(name, value, 0.0, 3600.0)
                else:
                    fail[channel] = _float_in(name, value, 0.0, 1.0)
            elif name in _SCALARS:
                scalars[name] = _SCALARS[name](name, value)
            else:
                raise KnobError(name, value, f"unknown setting; known: {', '.join(KNOB_NAMES)}")
        return cls(fail_probability=fail, latency=latency, **scalars)

    def as_dict(self) -> dict[str, Any]:
        """Flat JSON-ready view with dotted names, as results and workspace headers record it."""
        out: dict[str, Any] = {}
        for f in dataclasses.fields(self):
            value = getattr(self, f.name)
            if isinstance(value, Mapping):
                for channel in CHANNEL_TYPES:
                    out[f"{f.name}.{channel}"] = value[channel]
            else:
                out[f.name] = value
        return out


def _flatten(values: Mapping[str, Any]) -> dict[str, Any]:
    """Turn ``{"latency": {"SMS": 3}}`` into ``{"latency.SMS": 3}``; other names pass through."""
    flat: dict[str, Any] = {}
    for name, value in values.items():
        if isinstance(value, Mapping):
            for sub, inner in value.items():
                flat[f"{name}.{sub}"] = inner
        else:
            flat[str(name)] = value
    return flat


def _int_in(name: str, value: Any, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise KnobError(name, value, f"must be an integer from {low} to {high}")
    try:
        number = int(value)
    except ValueError:
        raise KnobError(name, value, f"must be an integer from {low} to {high}") from None
    if not low <= number <= high:
        raise KnobError(name, value, f"must be an integer from {low} to {high}")
    return number


def _float_in(name: str, value: Any, low: float, high: float) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise KnobError(name, value, f"must be a number from {low:g} to {high:g}")
    try:
        number = float(value)
    except (ValueError, OverflowError):  # OverflowError: an integer of hundreds of digits
        raise KnobError(name, value, f"must be a number from {low:g} to {high:g}") from None
    if not low <= number <= high:  # also rejects NaN
        raise KnobError(name, value, f"must be a number from {low:g} to {high:g}")
    return number


def _choice(*options: str) -> Any:
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


_SCALARS: dict[str, Any] = {
    "repeat": lambda n, v: _int_in(n, v, 0, 10),
    "empty_schedule": _choice("continue", "skip_wait"),
    "dedupe_contacts": _boolean,
    "max_retries": lambda n, v: _int_in(n, v, 0, 100),
    "retry_mode": _choice("on_failure", "until_ack"),
    "essential_ack": _choice("stop_progression", "stop_all"),
}

KNOB_NAMES: tuple[str, ...] = (
    "repeat",
    "empty_schedule",
    "dedupe_contacts",
    "fail_probability",
    *(f"fail_probability.{t}" for t in CHANNEL_TYPES),
    *(f"latency.{t}" for t in CHANNEL_TYPES),
    "max_retries",
    "retry_mode",
    "essential_ack",
)


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
