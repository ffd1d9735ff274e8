"""The AWS-shaped command line: ``escsim <operation>`` for every ssm-contacts operation.

Commands, options, input forms (JSON, shorthand, ``file://``, ``--cli-input-json``/``-yaml``),
client-side checks, paging and output formats follow the AWS CLI version 2, generated from the
operation registry, so ``aws ssm-contacts X`` and ``escsim X`` take the same arguments and print
the same bytes. This package module stays light: :func:`command_name` decides, without importing
the model, whether a command line is one of these; :func:`run` imports the rest.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Sequence
from typing import TextIO

from engine.cli import exits
from engine.cli.aws.options import VALUE_OPTIONS

__all__ = ["command_name", "grouped_operations", "invalid_choice", "run"]

# Operation groups for overviews, in the order shown. An operation joins the last group whose
# keywords its name holds: the later groups are the more specific ("put-contact-policy").
_GROUPS: dict[str, tuple[str, ...]] = {
    "contacts": ("contact",),
    "channels": ("contact-channel", "activation-code"),
    "engagements and pages": ("engagement", "page"),
    "rotations and overrides": ("rotation",),
    "tags and policies": ("tag", "polic"),
}


def command_name(argv: Sequence[str]) -> str | None:
    """The first word of ``argv`` that is neither an option nor an option's value, if any."""
    words = iter(argv)
    for word in words:
        if not word.startswith("-"):
            return word
        if word in VALUE_OPTIONS:
            next(words, None)
    return None


def run(
    argv: Sequence[str],
    commands: Iterable[str] = (),
    *,
    stdout: TextIO | None = None,
    stderr: TextIO | None = None,
) -> int:
    """Run the operation command in ``argv`` (global options may come before its name).

    ``commands`` are escsim's other command names, listed when the name is not an operation.
    Returns the exit code; nothing is raised, not even for Ctrl-C (130).
    """
    out = stdout or sys.stdout
    err = stderr or sys.stderr
    words = list(argv)
    name = command_name(words)
    try:
        # Imported here: the driver loads the model, which escsim's own commands do not need.
        from engine.cli.aws.driver import operation_names, run_operation, usage_error

        if name == "help":
            out.write(_overview(operation_names(), commands))
            return exits.OK
        if name is None:
            return usage_error("the following arguments are required: command", err)
        if name not in operation_names():
            return usage_error(invalid_choice(name, [*operation_names(), *commands, "help"]), err)
        words.remove(name)
        return run_operation(name, words, stdout=out, stderr=err)
    except KeyboardInterrupt:
        err.write("\n")
        return exits.INTERRUPTED
    except BrokenPipeError:
        exits.silence(out)
        return exits.OK
    except Exception as exc:  # a bug: one line, no traceback
        err.write(f"\nescsim: unexpected error: {type(exc).__name__}: {exc}\n")
        return exits.UNEXPECTED


def invalid_choice(name: str, choices: Iterable[str]) -> str:
    """The error for an unknown command: close matches as the AWS CLI offers them, not a list
    of every choice."""
    from difflib import get_close_matches

    close = get_close_matches(name, sorted(set(choices)), n=5, cutoff=0.8)
    if close:
        return f"argument command: Invalid choice: {name!r}, maybe you meant:\n\n" + "\n".join(
            f"  * {choice}" for choice in close
        )
    return (
        f"argument command: Invalid choice: {name!r}; "
        "`escsim help` lists every operation and command"
    )


def grouped_operations(operations: Iterable[str]) -> list[tuple[str, list[str]]]:
    """The operations' CLI names by subject (contacts, channels, ...), each group in order."""
    groups: dict[str, list[str]] = {title: [] for title in [*_GROUPS, "other"]}
    for name in operations:
        found = (
            title for title, words in reversed(_GROUPS.items()) if any(w in name for w in words)
        )
        groups[next(found, "other")].append(name)
    return [(title, sorted(names)) for title, names in groups.items() if names]


def _overview(operations: Iterable[str], commands: Iterable[str]) -> str:
    lines = [
        "escsim: dry-run AWS Incident Manager contacts in virtual time.",
        "",
        "ssm-contacts operations, named and used as `aws ssm-contacts <operation>`",
        "(`escsim <operation> help` describes one):",
    ]
    for title, names in grouped_operations(operations):
        lines += ["", f"  {title}:", *(f"    {name}" for name in names)]
    lines += [
        "",
        "escsim's own commands (`escsim <command> --help`):",
        "",
        *(f"  {name}" for name in sorted(set(commands))),
    ]
    return "\n".join(lines) + "\n"
