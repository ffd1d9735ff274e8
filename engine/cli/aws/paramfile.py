"""Parameter values read from files: ``file://path`` (text) and ``fileb://path`` (bytes as text).

As with the AWS CLI, a value that starts with one of these prefixes is replaced by the file's
contents (``~`` and ``$VARS`` expanded in the path). escsim never fetches ``http://`` values: the
AWS CLI version 2 does not either.
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
    path = os.path.expandvars(os.path.expanduser(raw_path))
    try:
        if binary:
            with open(path, "rb") as stream:
                return stream.read().decode("utf-8", errors="surrogateescape")
        with open(path, encoding="utf-8") as stream:
            return stream.read()
    except UnicodeDecodeError:
        raise ParamFileError(
            f"Unable to load paramfile ({path}), text contents could not be decoded. If this is "
            "a binary file, please use the fileb:// prefix instead of the file:// prefix."
        ) from None
    except OSError as exc:
        raise ParamFileError(f"Unable to load paramfile {value}: {exc}") from None
