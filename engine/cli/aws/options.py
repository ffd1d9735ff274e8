"""The AWS CLI's global options as escsim takes them: flag, value, choices, and what each does.

One declaration serves the operation commands' parsers and help, the shell completion, and
finding the command's name among the words before it (:data:`VALUE_OPTIONS`). This module
imports nothing of escsim's, so the command line's start-up can read it.
"""

from __future__ import annotations

import dataclasses

__all__ = ["GLOBAL_OPTIONS", "OUTPUT_FORMATS", "VALUE_OPTIONS", "GlobalOption"]

#: The values of ``--output``.
OUTPUT_FORMATS = ("json", "text", "table", "yaml", "yaml-stream")


@dataclasses.dataclass(frozen=True)
class GlobalOption:
    """A global option: its flag, what it takes, and what it does, in escsim's words."""

    flag: str
    help: str
    takes_value: bool = True
    choices: tuple[str, ...] = ()
    value_type: str = "string"


GLOBAL_OPTIONS: tuple[GlobalOption, ...] = (
    GlobalOption("--debug", "Log what the command does (parsing, replay, calls) to stderr.", False),
    GlobalOption(
        "--endpoint-url",
        "Send the request to a running `escsim serve` at this URL instead of the workspace.",
    ),
    GlobalOption(
        "--no-verify-ssl", "With an https --endpoint-url, do not verify its certificate.", False
    ),
    GlobalOption(
        "--no-paginate",
        "Make a single call to a list operation instead of following NextToken.",
        False,
    ),
    GlobalOption("--output", "How to print the response.", choices=OUTPUT_FORMATS),
    GlobalOption("--query", "A JMESPath expression applied to the response before printing."),
    GlobalOption("--profile", "The AWS config profile whose region to use."),
    GlobalOption("--region", "The region whose state the request reads and changes."),
    GlobalOption("--version", "Print escsim's version and stop.", False),
    GlobalOption("--color", "Colour table output.", choices=("on", "off", "auto")),
    GlobalOption("--no-sign-request", "Accepted for compatibility; nothing is signed.", False),
    GlobalOption("--ca-bundle", "With an https --endpoint-url, the CA certificates to trust."),
    GlobalOption(
        "--cli-read-timeout",
        "Seconds to wait for an --endpoint-url answer (0: forever; default 60).",
        value_type="integer",
    ),
    GlobalOption(
        "--cli-connect-timeout",
        "Accepted for compatibility; --cli-read-timeout also bounds connecting to an "
        "--endpoint-url. It has no effect.",
        value_type="integer",
    ),
    GlobalOption(
        "--cli-binary-format",
        "Accepted for compatibility; no ssm-contacts member is binary. It has no effect.",
        choices=("base64", "raw-in-base64-out"),
    ),
    GlobalOption("--no-cli-pager", "Accepted for compatibility; escsim never pages.", False),
    GlobalOption(
        "--cli-auto-prompt",
        "Accepted for compatibility; escsim never prompts. It has no effect.",
        False,
    ),
    GlobalOption(
        "--no-cli-auto-prompt",
        "Accepted for compatibility; escsim never prompts. It has no effect.",
        False,
    ),
    GlobalOption(
        "--workspace", "The workspace directory (default: $ESCSIM_WORKSPACE, else ./.escsim)."
    ),
    GlobalOption(
        "--account",
        "The account whose state the request reads and changes "
        "(default: $ESCSIM_ACCOUNT_ID, else the workspace's).",
    ),
)

#: Global options that take a value (the next word), for finding the command name.
VALUE_OPTIONS = frozenset(option.flag for option in GLOBAL_OPTIONS if option.takes_value)
