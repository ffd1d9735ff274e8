"""Machine output: JSON documents and JSON Lines files, byte-identical for identical data."""

from __future__ import annotations

import argparse
import json
import math
from collections.abc import Iterable
from typing import Any

from engine.cli import exits

__all__ = ["add_output_option", "dump_json", "write_json_lines"]


def add_output_option(
    parser: argparse.ArgumentParser,
    help: str = "table (default) for people, json for machines",
    choices: tuple[str, ...] = ("table", "json"),
) -> None:
    """``--output``: its first choice is the default."""
    parser.add_argument("--output", choices=choices, default=choices[0], help=help)


def dump_json(value: Any) -> str:
    """Indented JSON, keys in the order given, non-ASCII kept as is: exactly the text of
    ``json.dumps(value, indent=2, ensure_ascii=False)``, made faster.

    Python's encoder writes indented JSON in pure Python; only compact JSON has its C
    accelerator. A run's result holds tens of thousands of flat records (events, messages), so
    each flat dict or list is written by the C encoder with the line break and indentation of
    its level as the item separator, and only the containers around them in Python.
    """
    if _flat_encoder(0) is None:  # an interpreter without the C accelerator
        return json.dumps(value, indent=2, ensure_ascii=False)
    parts: list[str] = []
    _write(value, 0, parts)
    return "".join(parts)


_SCALARS = (str, int, float, bool, type(None))
_ENCODERS: dict[int, Any] = {}


def _flat_encoder(level: int) -> Any:
    """The C encoder writing the items of a flat container at ``level`` (None without it)."""
    found = _ENCODERS.get(level)
    if found is None:
        make = getattr(json.encoder, "c_make_encoder", None)
        if make is None:
            return None
        indent = "\n" + "  " * (level + 1)
        template = json.JSONEncoder(ensure_ascii=False)
        found = make(
            None,  # no circular-reference markers: results are trees
            template.default,
            json.encoder.encode_basestring,
            None,
            ": ",
            "," + indent,
            False,  # sort_keys
            False,  # skipkeys
            True,  # allow_nan
        )
        _ENCODERS[level] = found
    return found


def _is_flat(value: dict[Any, Any] | list[Any]) -> bool:
    items = value.values() if isinstance(value, dict) else value
    return all(isinstance(item, _SCALARS) for item in items)


def _scalar(value: Any) -> str:
    """A scalar as json.dumps writes it; anything else through json.dumps itself."""
    if isinstance(value, str):
        return str(json.encoder.encode_basestring(value))
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int):
        return int.__repr__(value)
    if isinstance(value, float):
        if value != value:
            return "NaN"
        if value in (math.inf, -math.inf):
            return "Infinity" if value > 0 else "-Infinity"
        return float.__repr__(value)
    return json.dumps(value, ensure_ascii=False)


def _write(value: Any, level: int, parts: list[str]) -> None:
    if not isinstance(value, dict | list | tuple):
        parts.append(_scalar(value))
        return
    if not value:
        parts.append("{}" if isinstance(value, dict) else "[]")
        return
    inner = "\n" + "  " * (level + 1)
    opening, closing = ("{", "}") if isinstance(value, dict) else ("[", "]")
    if isinstance(value, dict | list) and _is_flat(value):
        text = "".join(_flat_encoder(level)(value, 0))
        parts.append(opening + inner + text[1:-1] + "\n" + "  " * level + closing)
        return
    parts.append(opening)
    first = True
    if isinstance(value, dict):
        for key, item in value.items():
            parts.append(inner if first else "," + inner)
            parts.append(_key(key) + ": ")
            _write(item, level + 1, parts)
            first = False
    else:
        for item in value:
            parts.append(inner if first else "," + inner)
            _write(item, level + 1, parts)
            first = False
    parts.append("\n" + "  " * level + closing)


def _key(key: Any) -> str:
    """A dict key as json.dumps writes it (strings, and numbers, booleans and None as text)."""
    if isinstance(key, str):
        return str(json.encoder.encode_basestring(key))
    return json.dumps({key: None})[1 : -len(": null}")]


def write_json_lines(path: str, records: Iterable[dict[str, Any]]) -> None:
    """One compact JSON object per line. An unwritable path exits 252 naming it."""
    try:
        with open(path, "w", encoding="utf-8", newline="\n") as stream:
            for record in records:
                stream.write(json.dumps(record, ensure_ascii=False) + "\n")
    except OSError as exc:
        raise exits.CommandError(
            f"escsim: cannot write {path}: {exc.strerror or exc}", exits.BAD_ARGUMENTS
        ) from None
