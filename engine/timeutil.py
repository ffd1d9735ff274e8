"""Reading and writing times: durations such as ``5m30s`` and instants in ISO 8601 or epoch seconds.

Virtual time inside a run is seconds since the run's start instant; records carry absolute UTC
epoch seconds (rounded to the millisecond) and people read ISO 8601.
"""

from __future__ import annotations

import datetime as dt
import math
import re

__all__ = [
    "UTC",
    "epoch_seconds",
    "format_duration",
    "isoformat",
    "parse_duration",
    "parse_instant",
    "representable",
    "to_datetime",
]

UTC = dt.UTC

_DURATION = re.compile(r"(?:(\d+(?:\.\d+)?)([dhms]))", re.IGNORECASE)
_UNIT_SECONDS = {"d": 86400.0, "h": 3600.0, "m": 60.0, "s": 1.0}


def parse_duration(text: str | float | int | dt.timedelta) -> float:
    """Seconds in ``15m``, ``2h``, ``90s``, ``5m30s``, ``1d2h``, a bare number or a timedelta.

    Raises ValueError naming the text when it is none of these or is negative.
    """
    if isinstance(text, dt.timedelta):
        seconds = text.total_seconds()
    elif isinstance(text, bool):
        raise ValueError(f"not a duration: {text!r}")
    elif isinstance(text, int | float):
        seconds = float(text)
    else:
        raw = str(text).strip()
        try:
            seconds = float(raw)
        except ValueError:
            parts = _DURATION.findall(raw)
            if not parts or "".join(n + u for n, u in parts).lower() != raw.lower():
                raise ValueError(
                    f"not a duration: {text!r} (write e.g. 90s, 15m, 5m30s, 2h or 1d)"
                ) from None
            seconds = sum(float(n) * _UNIT_SECONDS[u.lower()] for n, u in parts)
    if seconds != seconds or seconds < 0:
        raise ValueError(f"not a duration: {text!r} (must be zero or more)")
    return seconds


def to_datetime(value: str | float | int | dt.datetime) -> dt.datetime:
    """An aware UTC datetime from an ISO 8601 string, epoch seconds or a datetime.

    A naive datetime or an ISO string without an offset is taken as UTC. Raises ValueError.
    """
    if isinstance(value, dt.datetime):
        moment = value
    elif isinstance(value, bool):
        raise ValueError(f"not an instant: {value!r}")
    elif isinstance(value, int | float):
        try:
            moment = dt.datetime.fromtimestamp(float(value), UTC)
        except (OverflowError, OSError):
            raise ValueError(f"not an instant: {value!r} (out of range)") from None
    else:
        raw = str(value).strip()
        try:
            moment = dt.datetime.fromtimestamp(float(raw), UTC)
        except (ValueError, OverflowError, OSError):
            try:
                moment = dt.datetime.fromisoformat(
                    raw.replace("Z", "+00:00").replace("z", "+00:00")
                )
            except ValueError:
                raise ValueError(
                    f"not an instant: {value!r} (write ISO 8601 such as 2026-01-01T09:00:00Z,"
                    " or epoch seconds)"
                ) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    try:
        return moment.astimezone(UTC)
    except OverflowError:  # 0001-01-01T00:00+01:00 is in year 0 in UTC
        raise ValueError(
            f"not an instant: {moment.isoformat()} is out of range in UTC (years 1 to 9999)"
        ) from None


def representable(epoch: float) -> bool:
    """Whether ``epoch`` seconds is an instant escsim can show and compute with (years 1-9999)."""
    if not math.isfinite(epoch):
        return False
    try:
        dt.datetime.fromtimestamp(epoch, UTC)
    except (OverflowError, OSError, ValueError):
        return False
    return True


parse_instant = to_datetime


def epoch_seconds(moment: dt.datetime) -> float:
    """Epoch seconds of an aware datetime, rounded to the millisecond as the wire carries them."""
    return round(moment.timestamp(), 3)


def isoformat(epoch: float) -> str:
    """ISO 8601 in UTC as the AWS CLI v2 prints timestamps (microseconds only when present)."""
    return dt.datetime.fromtimestamp(epoch, UTC).isoformat()


def format_duration(seconds: float) -> str:
    """``1h05m``, ``5m30s``, ``45s``: a compact offset for timelines."""
    whole = int(seconds)
    frac = seconds - whole
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    text = ""
    if hours:
        text += f"{hours}h"
    if minutes or (hours and secs):
        text += f"{minutes:02d}m" if hours else f"{minutes}m"
    if secs or frac or not text:
        secs_text = f"{secs + frac:.3f}".rstrip("0").rstrip(".") if frac else str(secs)
        text += f"{secs_text}s"
    return text
