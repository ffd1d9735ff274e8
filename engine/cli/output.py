"""Machine output: JSON documents and JSON Lines files, byte-identical for identical data."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from engine.cli import exits

__all__ = ["dump_json", "write_json_lines"]


def dump_json(value: Any) -> str:
    """Indented JSON, keys in the order given, non-ASCII kept as is."""
    return json.dumps(value, indent=2, ensure_ascii=False)


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
