"""Parameter values read from files: ``file://path`` (text) and ``fileb://path`` (bytes as text).

As with the AWS CLI, a value that starts with one of these prefixes is replaced by the file's
contents (``~`` and ``$VARS`` expanded in the path). escsim never fetches ``http://`` values: the
AWS CLI version 2 does not either. A file larger than a request body may be (4 MiB) is refused
without being read to its end, so ``file:///dev/zero`` fails at once.
"""

from __future__ import annotations

import os

__all__ = ["ParamFileError", "read_paramfile"]


class ParamFileError(Exception):
    """A ``file://`` value whose file cannot be read; the message names the path and why."""


def read_paramfile(value: object) -> str | None:
    """The contents of the file ``value`` names, or None when ``value`` names no file."""
    if not isinstance(value, str):
        return None
    for prefix, binary in (("file://", False), ("fileb://", True)):
        if value.startswith(prefix):
            return _read(value, value[len(prefix) :], binary)
    return None


def _read(value: str, raw_path: str, binary: bool) -> str:
    from engine.http.wire import MAX_BODY_BYTES

    path = os.path.expandvars(os.path.expanduser(raw_path))
    try:
        # Read one unit past the limit, so that /dev/zero or a huge file is refused, not read.
        if binary:
            with open(path, "rb") as stream:
                text = stream.read(MAX_BODY_BYTES + 1).decode("utf-8", errors="surrogateescape")
        else:
            with open(path, encoding="utf-8") as stream:
                text = stream.read(MAX_BODY_BYTES + 1)
    except UnicodeDecodeError:
        raise ParamFileError(
            f"Unable to load paramfile ({path}), text contents could not be decoded. If this is "
            "a binary file, please use the fileb:// prefix instead of the file:// prefix."
        ) from None
    except OSError as exc:
        raise ParamFileError(f"Unable to load paramfile {value}: {exc}") from None
    if len(text) > MAX_BODY_BYTES:
        raise ParamFileError(
            f"Unable to load paramfile {value}: it holds more than {MAX_BODY_BYTES >> 20} MiB, "
            "more than any request may carry"
        )
    return text
