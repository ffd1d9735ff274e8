"""The ``--set`` option of every command that takes settings (run, serve, workspace init).

``--set NAME=VALUE`` (repeatable) collects assignments; ``--set ?`` lists every setting and
``--set NAME=?`` the ones under that name (``latency=?`` gives the three latencies), one line each
(name, values, default, what it does, from :data:`engine.knobs.SETTINGS`), then exits 0 as
``--help`` does. An unknown name there is a usage error (exit 252).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from typing import Any

from engine.knobs import DOCS, KnobError, describe, listing


class SetOption(argparse.Action):
    """Appends each ``NAME=VALUE`` (through ``convert`` when given); answers ``?`` queries."""

    def __init__(
        self,
        option_strings: Sequence[str],
        dest: str,
        convert: Callable[[str], Any] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(option_strings, dest, **kwargs)
        self.convert = convert

    def __call__(
        self,
        parser: argparse.ArgumentParser,
        namespace: argparse.Namespace,
        values: str | Sequence[Any] | None,
        option_string: str | None = None,
    ) -> None:
        text = str(values)
        query = _query(text)
        if query is not None:
            try:
                found = describe(query)
            except KnobError as exc:
                parser.error(f"argument --set: {exc}")
            # On stdout, as --help prints its text; then done, exit 0.
            sys.stdout.write(listing(found) + f"Rules and values are described in {DOCS}.\n")
            parser.exit(0)
        value: Any = text
        if self.convert is not None:
            try:
                value = self.convert(text)
            except (argparse.ArgumentTypeError, KnobError) as exc:
                parser.error(f"argument --set: {exc}")
        # A fresh list each time: the default must not be shared between parses.
        setattr(namespace, self.dest, [*(getattr(namespace, self.dest, None) or []), value])


def _query(text: str) -> str | None:
    """The name a ``?`` query asks about ("" for all), or None for an assignment."""
    stripped = text.strip()
    if stripped == "?":
        return ""
    name, sep, value = stripped.partition("=")
    if sep and value.strip() == "?":
        return name.strip()
    return None


def add_set_option(
    parser: argparse.ArgumentParser, example: str, convert: Callable[[str], Any] | None = None
) -> None:
    """Add ``--set`` to ``parser``: assignments land in ``args.settings``."""
    parser.add_argument(
        "--set",
        dest="settings",
        action=SetOption,
        convert=convert,
        default=[],
        metavar="NAME=VALUE",
        help=f"a setting (repeatable), e.g. {example}; --set '?' lists every setting with its "
        f"values and default, --set NAME=? one of them (see {DOCS})",
    )
