"""Machine output: JSON documents and JSON Lines files, byte-identical for identical data."""

from __future__ import annotations

import argparse
import functools
import json
from collections.abc import Callable, Iterable, Mapping
from typing import Any, cast

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
    if _MAKE_ENCODER is None:  # an interpreter without the C accelerator
        return json.dumps(value, indent=2, ensure_ascii=False)
    parts: list[str] = []
    _write(value, 0, parts)
    return "".join(parts)


_MAKE_ENCODER: Any = getattr(json.encoder, "c_make_encoder", None)
_SCALARS = (str, int, float, bool, type(None))


@functools.cache
def _flat_encoder(level: int) -> Callable[[object, int], list[str]]:
    """The C encoder writing the items of a flat container at ``level``."""
    return cast(
        "Callable[[object, int], list[str]]",
        _MAKE_ENCODER(
            None,  # no circular-reference markers: results are trees
            json.JSONEncoder(ensure_ascii=False).default,
            json.encoder.encode_basestring,
            None,
            ": ",
            ",\n" + "  " * (level + 1),
            False,  # sort_keys
            False,  # skipkeys
            True,  # allow_nan
        ),
    )


def _write(value: object, level: int, parts: list[str]) -> None:
    if not isinstance(value, dict | list | tuple) or not value:
        parts.append(json.dumps(value, ensure_ascii=False))
        return
    inner = "\n" + "  " * (level + 1)
    opening, closing = ("{", "}") if isinstance(value, dict) else ("[", "]")
    items = value.values() if isinstance(value, dict) else value
    if not isinstance(value, tuple) and all(isinstance(item, _SCALARS) for item in items):
        text = "".join(_flat_encoder(level)(value, 0))
        parts.append(opening + inner + text[1:-1] + "\n" + "  " * level + closing)
        return
    parts.append(opening)
    if isinstance(value, dict):
        for index, (key, item) in enumerate(value.items()):
            # The key as json.dumps writes it (numbers, booleans and None become text).
            key_text = json.dumps({key: None}, ensure_ascii=False)[1 : -len("null}")]
            parts.append((inner if index == 0 else "," + inner) + key_text)
            _write(item, level + 1, parts)
    else:
        for index, item in enumerate(value):
            parts.append(inner if index == 0 else "," + inner)
            _write(item, level + 1, parts)
    parts.append("\n" + "  " * level + closing)


def write_json_lines(path: str, records: Iterable[Mapping[str, object]]) -> None:
    """One compact JSON object per line. An unwritable path exits 252 naming it."""
    try:
        with open(path, "w", encoding="utf-8", newline="\n") as stream:
            for record in records:
                stream.write(json.dumps(record, ensure_ascii=False) + "\n")
    except OSError as exc:
        raise exits.CommandError(
            f"escsim: cannot write {path}: {exc.strerror or exc}", exits.BAD_ARGUMENTS
        ) from None
