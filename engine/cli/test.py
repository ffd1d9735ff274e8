"""``escsim test PATH...``: run scenario files and check each against its expectations.

The pytest plugin's checks without pytest (both call
:func:`engine.scenario.expect.report.check_scenario`); folders are searched as pytest searches
them. Exit 0 when every scenario found went as written; 1 when any did not, a file was
malformed, or none was found; 252 for a bad argument.
"""

from __future__ import annotations

import argparse
import dataclasses
import fnmatch
from pathlib import Path

from rich.console import Console
from rich.text import Text

from engine.cli import exits
from engine.cli.output import add_output_option, dump_json
from engine.cli.render import console
from engine.knobs import KnobError
from engine.safetext import escape_controls, safe_text
from engine.scenario.errors import ScenarioError
from engine.scenario.expect.compile import compile_checks
from engine.scenario.expect.report import ScenarioReport, check_scenario
from engine.scenario.loader import load_file
from engine.scenario.runner import build_simulator

__all__ = ["CheckRun", "add_arguments", "find_scenario_files", "handle", "run_checks"]


DEFAULT_GLOB = "*.scenario.yaml"
SKIPPED_FOLDERS = (
    "*.egg",
    ".*",
    "_darcs",
    "build",
    "CVS",
    "dist",
    "node_modules",
    "venv",
    "{arch}",
)
"""Folders not searched: pytest's default ``norecursedirs``, so both find the same files."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "paths", nargs="+", metavar="PATH", help="scenario files, or folders to search"
    )
    parser.add_argument(
        "--glob",
        dest="globs",
        action="append",
        metavar="PATTERN",
        help=f"file name pattern of scenario files in folders (repeatable; default {DEFAULT_GLOB})",
    )
    parser.add_argument("--seed", type=int, metavar="N", help="run every scenario with seed N")
    parser.add_argument(
        "-k",
        dest="keyword",
        metavar="TEXT",
        help="only scenarios whose name contains TEXT (case-insensitive)",
    )
    add_output_option(
        parser,
        "table (default): a report for people; json: every result for machines",
    )


@dataclasses.dataclass
class FileError:
    """A file that could not be run: malformed, or its organisation does not import."""

    file: str
    lines: list[str]


@dataclasses.dataclass
class CheckRun:
    """Every scenario checked and every file that could not be."""

    reports: list[ScenarioReport] = dataclasses.field(default_factory=list)
    errors: list[FileError] = dataclasses.field(default_factory=list)
    files: int = 0

    @property
    def passed(self) -> int:
        return sum(1 for report in self.reports if report.passed)

    @property
    def failed(self) -> int:
        return len(self.reports) - self.passed

    @property
    def ok(self) -> bool:
        return bool(self.reports) and not self.failed and not self.errors

    def summary(self) -> str:
        parts = [f"{self.passed} passed", f"{self.failed} failed"]
        if self.errors:
            parts.append(f"{len(self.errors)} file error(s)")
        return f"{', '.join(parts)} ({len(self.reports)} scenario(s) in {self.files} file(s))"

    def as_dict(self) -> dict[str, object]:
        return {
            "Passed": self.passed,
            "Failed": self.failed,
            "Errors": len(self.errors),
            "Scenarios": [report.as_dict() for report in self.reports],
            "FileErrors": [{"File": error.file, "Problems": error.lines} for error in self.errors],
        }


def handle(args: argparse.Namespace) -> int:
    if args.seed is not None and args.seed < 0:
        raise exits.CommandError(
            f"escsim test: --seed must be zero or more (got {args.seed})", exits.BAD_ARGUMENTS
        )
    files = find_scenario_files(args.paths, args.globs or [DEFAULT_GLOB])
    result = run_checks(files, seed=args.seed, keyword=args.keyword)
    if args.output == "json":
        print(dump_json(result.as_dict()))
    else:
        render(console(), result)
    return exits.OK if result.ok else exits.FINDINGS


def find_scenario_files(paths: list[str], globs: list[str]) -> list[Path]:
    """Files named on the command line, and matching files under the folders named, in the
    order pytest collects them. A path that does not exist exits 252."""
    found: list[Path] = []
    for text in paths:
        path = Path(text)
        if path.is_dir():
            found.extend(_walk(path, globs))
        elif path.exists():
            found.append(path)
        else:
            raise exits.CommandError(
                f"escsim test: no such file or folder: {text}", exits.BAD_ARGUMENTS
            )
    return list(dict.fromkeys(found))


def _walk(folder: Path, globs: list[str]) -> list[Path]:
    found: list[Path] = []
    for entry in sorted(folder.iterdir(), key=lambda item: item.name):
        if entry.is_dir():
            if not any(fnmatch.fnmatch(entry.name, pattern) for pattern in SKIPPED_FOLDERS):
                found.extend(_walk(entry, globs))
        elif any(fnmatch.fnmatch(entry.name, pattern) for pattern in globs):
            found.append(entry)
    return found


def run_checks(
    files: list[Path], *, seed: int | None = None, keyword: str | None = None
) -> CheckRun:
    """Load, run and check every scenario of ``files`` (those whose name holds ``keyword``)."""
    result = CheckRun(files=len(files))
    for file in files:
        try:
            scenarios = load_file(file)
            compiled = compile_checks(scenarios)
            for scenario in scenarios:
                build_simulator(scenario)
        except ScenarioError as exc:
            result.errors.append(FileError(str(file), exc.lines()))
            continue
        except KnobError as exc:
            result.errors.append(FileError(str(file), [f"{file}: bad setting: {exc}"]))
            continue
        for scenario, checks in zip(scenarios, compiled, strict=True):
            if keyword is not None and keyword.lower() not in scenario.name.lower():
                continue
            try:
                result.reports.append(check_scenario(scenario, checks=checks, seed=seed))
            except ScenarioError as exc:
                result.errors.append(FileError(str(file), exc.lines()))
    return result


def render(out: Console, result: CheckRun) -> None:
    """One line per scenario, the report of each failure, the file errors, and a summary."""
    for report in result.reports:
        scenario = report.scenario
        line = Text()
        line.append(
            "PASS " if report.passed else "FAIL ", style="green" if report.passed else "bold red"
        )
        line.append(escape_controls(f"{scenario.file}::{scenario.name}", one_line=True))
        if scenario.description:
            line.append(f"  {escape_controls(scenario.description, one_line=True)}", style="dim")
        out.print(line, soft_wrap=True)
    for report in result.reports:
        if report.passed:
            continue
        out.print()
        for text in report.text().splitlines():
            out.print(safe_text(text, style=_style(text), one_line=True), soft_wrap=True)
    for error in result.errors:
        out.print()
        out.print(safe_text(f"ERROR {error.file}", style="bold red", one_line=True))
        for text in error.lines:
            out.print(safe_text(f"  {text}", one_line=True), soft_wrap=True)
    out.print()
    style = "bold green" if result.ok else "bold red"
    if not result.reports and not result.errors:
        out.print(Text("no scenarios found", style=style))
    else:
        out.print(Text(result.summary(), style=style))


def _style(line: str) -> str:
    marker = line[2:3] if line.startswith("  ") else ""
    if marker in _MARKER_STYLES:
        return _MARKER_STYLES[marker]
    return "bold" if line and not line.startswith(" ") else ""


_MARKER_STYLES = {"-": "red", "+": "green", "=": "dim"}
