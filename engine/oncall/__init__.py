"""On-call rotations: the pure shift algorithm (who is on call when), with no simulation in it."""

from engine.oncall.rotation import Override, Rotation
from engine.oncall.shifts import (
    Shift,
    iter_shifts,
    on_call,
    on_call_remembered,
    shifts,
    uncovered,
)
from engine.oncall.zones import RotationError, UnknownTimeZone, load_zone

__all__ = [
    "Override",
    "Rotation",
    "RotationError",
    "Shift",
    "UnknownTimeZone",
    "iter_shifts",
    "load_zone",
    "on_call",
    "on_call_remembered",
    "shifts",
    "uncovered",
]
