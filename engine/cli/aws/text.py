"""``--output text``: tab-separated lines, laid out exactly as the AWS CLI lays them out.

Scalars of a structure go on one line, in sorted key order, prefixed by the upper-cased name of
the member that holds them; nested lists and structures follow on their own lines. In a list of
structures every line has the same columns (the union of the scalar keys). These are the AWS
CLI's rules, so that ``cut`` and ``awk`` pipelines written against ``aws`` work unchanged.
"""

from __future__ import annotations

from typing import Any, TextIO

__all__ = ["write_text"]


def write_text(data: Any, stream: TextIO) -> None:
    """Write ``data`` (a JSON-like value) as the AWS CLI's text output."""
    _write(data, stream, None, None)


def _write(
    item: Any, stream: TextIO, identifier: str | None, scalar_keys: list[str] | None
) -> None:
    if isinstance(item, dict):
        _write_dict(item, stream, identifier, scalar_keys)
    elif isinstance(item, list):
        _write_list(item, stream, identifier)
    else:
        stream.write(f"{item}\n")


def _write_list(items: list[Any], stream: TextIO, identifier: str | None) -> None:
    if not items:
        return
    if any(isinstance(element, dict) for element in items):
        keys = _scalar_keys_of_all(items)
        for element in items:
            _write(element, stream, identifier, keys)
    elif any(isinstance(element, list) for element in items):
        scalars = [e for e in items if not isinstance(e, list | dict)]
        containers = [e for e in items if isinstance(e, list | dict)]
        if scalars:
            _write_scalars(scalars, stream, identifier)
        for container in containers:
            _write(container, stream, identifier, None)
    else:
        _write_scalars(items, stream, identifier)


def _write_scalars(items: list[Any], stream: TextIO, identifier: str | None) -> None:
    if identifier is not None:
        for item in items:
            stream.write(f"{identifier.upper()}\t{item}\n")
    else:
        stream.write("\t".join(str(item) for item in items) + "\n")


def _write_dict(
    item: dict[str, object], stream: TextIO, identifier: str | None, scalar_keys: list[str] | None
) -> None:
    scalars: list[str] = []
    containers: list[tuple[str, Any]] = []
    if scalar_keys is None:
        for key, value in sorted(item.items()):
            if isinstance(value, dict | list):
                containers.append((key, value))
            else:
                scalars.append(str(value))
    else:
        scalars = [str(item.get(key, "")) for key in scalar_keys]
        for key in sorted(set(item) - set(scalar_keys)):
            containers.append((key, item[key]))
    if scalars:
        if identifier is not None:
            scalars.insert(0, identifier.upper())
        stream.write("\t".join(scalars) + "\n")
    for key, value in containers:
        _write(value, stream, key, None)


def _scalar_keys_of_all(items: list[Any]) -> list[str]:
    seen: set[str] = set()
    for element in items:
        if isinstance(element, dict):
            seen.update(k for k, v in element.items() if not isinstance(v, dict | list))
    return sorted(seen)
