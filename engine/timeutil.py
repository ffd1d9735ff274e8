"""Reading and writing times: durations (``5m30s``, ``1w``) and instants (ISO 8601, epoch seconds).

Virtual time inside a run is seconds since the run's start instant; records carry absolute UTC
epoch seconds (rounded to the millisecond) and people read ISO 8601.
"""

from __future__ import annotations

import datetime as dt
import math
import re

UTC = dt.UTC
#: The instants escsim represents, [EARLIEST, LATEST): far enough inside ``datetime``'s range
#: that on-call shifts of 100 months around any of them stay representable.
EARLIEST_INSTANT = dt.datetime(1900, 1, 1, tzinfo=UTC)
LATEST_INSTANT = dt.datetime(9900, 1, 1, tzinfo=UTC)

#: Where test fixtures and mocks start unless told: fixed, so test times repeat on every run.
FIXED_START = "2026-01-01T00:00:00Z"

_UNIT_SECONDS = {"w": 604800.0, "d": 86400.0, "h": 3600.0, "m": 60.0, "s": 1.0}
_DURATION = re.compile(r"(?:(\d+(?:\.\d+)?)([wdhms]))", re.IGNORECASE)
#: A duration written with units, as a JSON Schema pattern (what editors check a file against).
DURATION_PATTERN = r"^(\d+(\.\d+)?[wdhmsWDHMS])+$"
DURATION_EXAMPLES = "90s, 15m, 5m30s, 2h, 1d or 1w"
#: The longest duration a calendar can hold (a ``timedelta``): anything longer is a typo.
MAX_DURATION_SECONDS = dt.timedelta.max.total_seconds()


class MissingUnitError(ValueError):
    """A bare number where the duration must say its unit: is ``15`` minutes or seconds?"""

    def __init__(self, text: str) -> None:
        super().__init__(f"a bare number has no unit: write {text}m or {text}s")
        self.text = text


def parse_duration(text: str | float | int | dt.timedelta, *, unit_required: bool = False) -> float:
    """Seconds in ``15m``, ``2h``, ``90s``, ``5m30s``, ``1d2h``, ``1w``, a number or a timedelta.

    Units are w, d, h, m and s, in any combination. A bare number counts seconds, unless
    ``unit_required`` (the scenario format and the command line), where only 0 may go without
    a unit and any other bare number raises :class:`MissingUnitError`. Raises ValueError naming
    the text when it is not a duration, is negative, or is longer than a calendar can hold.
    """
    if isinstance(text, dt.timedelta):
        seconds = text.total_seconds()
    elif isinstance(text, bool):
        raise ValueError(f"not a duration: {text!r}")
    elif isinstance(text, int | float):
        if unit_required and text != 0 and math.isfinite(text):
            raise MissingUnitError(f"{text:g}")
        seconds = float(text)
    else:
        raw = str(text).strip()
        try:
            seconds = float(raw)
        except ValueError:
            parts = _DURATION.findall(raw)
            if not parts or "".join(n + u for n, u in parts).lower() != raw.lower():
                raise ValueError(
                    f"not a duration: {text!r} (write e.g. {DURATION_EXAMPLES})"
                ) from None
            seconds = sum(float(n) * _UNIT_SECONDS[u.lower()] for n, u in parts)
        else:
            if unit_required and seconds != 0 and math.isfinite(seconds):
                raise MissingUnitError(raw)
    if not math.isfinite(seconds):
        raise ValueError(f"not a duration: {text!r} (write e.g. {DURATION_EXAMPLES})")
    if seconds < 0:
        raise ValueError(f"not a duration: {text!r} (must be zero or more)")
    if seconds > MAX_DURATION_SECONDS:
        raise ValueError(f"not a duration: {text!r} (too long: the calendar ends in the year 9999)")
    return seconds


def to_datetime(value: str | float | int | dt.datetime) -> dt.datetime:
    """An aware UTC datetime from an ISO 8601 string, epoch seconds or a datetime (naive ones
    and ISO text without an offset are UTC). Raises ValueError."""
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


def in_range(moment: dt.datetime) -> bool:
    """Whether ``moment`` lies in [EARLIEST_INSTANT, LATEST_INSTANT)."""
    return EARLIEST_INSTANT <= moment < LATEST_INSTANT


def start_instant(value: str | float | int | dt.datetime) -> dt.datetime:
    """A run's start instant, aware UTC; ValueError naming it when unreadable or out of range."""
    moment = to_datetime(value)
    if not in_range(moment):
        raise ValueError(
            f"start {moment.isoformat()} is out of range: it must lie from "
            f"{EARLIEST_INSTANT.date()} to before {LATEST_INSTANT.date()}"
        )
    return moment


#: The window that review and coverage look at unless told: a year from the start.
DEFAULT_WINDOW = dt.timedelta(days=365)
_WINDOW_EXAMPLES = "write e.g. 2027-01-01T00:00:00Z or 90d"


def parse_window(
    start: str | None,
    end: str | None,
    default_start: dt.datetime | None,
    *,
    length: dt.timedelta = DEFAULT_WINDOW,
    name: str = "window",
) -> tuple[dt.datetime, dt.datetime]:
    """``[--from, --to)`` as review, coverage and shifts read them.

    ``start`` is an instant (ISO 8601 or epoch seconds), by default ``default_start``; ``end``
    an instant or a duration after the start (``90d``, ``2w``, with its unit), by default
    ``length`` after it. Raises ValueError naming the option and the value, or saying that the
    ``name``d window is empty or needs a ``--from``.
    """
    try:
        low = to_datetime(start) if start is not None else default_start
    except ValueError as exc:
        raise ValueError(f"--from: {exc}") from None
    if low is None:
        raise ValueError(f"the {name} needs --from: there is no start to default to")
    try:
        high = _window_end(low, end, length)
    except OverflowError:
        raise ValueError(
            f"--to: {end} after {low.isoformat()} is past the year 9999, the end of the calendar"
        ) from None
    if high <= low:
        hint = ""
        if end is not None and _is_number(end):  # 90 meant as 90 days reads as 1970
            hint = f" ({end} is epoch seconds; for a duration write {end}d, {end}h or {end}m)"
        raise ValueError(
            f"the {name} is empty: --to {high.isoformat()} is not after --from "
            f"{low.isoformat()}{hint}"
        )
    return low, high


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _window_end(low: dt.datetime, end: str | None, length: dt.timedelta) -> dt.datetime:
    if end is None:
        return low + length
    try:
        return to_datetime(end)
    except ValueError:
        pass
    try:
        seconds = parse_duration(end, unit_required=True)
    except ValueError:
        raise ValueError(
            f"--to: not an instant or a duration: {end!r} ({_WINDOW_EXAMPLES})"
        ) from None
    return low + dt.timedelta(seconds=seconds)


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
