"""Exit codes of ``escsim`` (the AWS CLI's where it has them), the exception commands raise to
leave with one, and the quiet exit when the reader of stdout goes away."""

from __future__ import annotations

import os
from typing import TextIO

__all__ = [
    "BAD_ARGUMENTS",
    "BAD_FILE",
    "FINDINGS",
    "INTERRUPTED",
    "OK",
    "SERVICE_ERROR",
    "UNEXPECTED",
    "CommandError",
    "silence",
]

OK = 0
FINDINGS = 1  # findings, or failed checks
BAD_ARGUMENTS = 252  # bad arguments or settings
BAD_FILE = 253  # an unreadable or malformed scenario, input or workspace file
SERVICE_ERROR = 254  # an AWS error answered by the service
UNEXPECTED = 255
INTERRUPTED = 130  # Ctrl-C


class CommandError(Exception):
    """A failure to report on stderr as ``lines``, leaving with ``exit_code``. No traceback."""

    def __init__(self, lines: str | list[str], exit_code: int) -> None:
        self.lines = [lines] if isinstance(lines, str) else list(lines)
        self.exit_code = exit_code
        super().__init__("\n".join(self.lines))


def silence(stream: TextIO) -> None:
    """Point ``stream``'s file at /dev/null: its reader went away (``escsim ... | head``), and
    nothing is left to say to it, not even the complaint Python would print when flushing it."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, stream.fileno())
    except (OSError, ValueError, AttributeError):
        pass
