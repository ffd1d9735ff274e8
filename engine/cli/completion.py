"""``escsim completion bash|zsh``: a shell completion script for escsim.

The script completes commands, operations and ``help`` first; then each command's options,
sub-actions and the values of options with a fixed set; anything else falls back to file names.
It is generated from the command line's own parsers and holds every word it offers, so pressing
Tab runs no Python. The zsh script is the bash one under ``bashcompinit``, as the AWS CLI's
``aws_zsh_completer.sh`` is; docs/cli.md says how to install either.
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
from collections.abc import Iterable, Mapping

from engine.api.registry import by_cli_name
from engine.cli import exits
from engine.cli.aws.arguments import arguments_of, build_parser
from engine.cli.aws.driver import operation_names
from engine.cli.aws.options import GLOBAL_OPTIONS

__all__ = ["SHELLS", "Completions", "add_arguments", "bash_script", "handle", "zsh_script"]

SHELLS = ("bash", "zsh")
FUNCTION = "_escsim_complete"


@dataclasses.dataclass
class Completions:
    """What one command (or, under the name "", the first word) completes to."""

    words: set[str] = dataclasses.field(default_factory=set)
    options: set[str] = dataclasses.field(default_factory=set)
    value_options: set[str] = dataclasses.field(default_factory=set)
    choices: dict[str, tuple[str, ...]] = dataclasses.field(default_factory=dict)

    def add_parser(self, parser: argparse.ArgumentParser) -> None:
        """Take in a parser's options and sub-actions, and those of its sub-parsers."""
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction):
                for name, sub in action.choices.items():
                    self.words.add(name)
                    self.add_parser(sub)
            elif action.option_strings:
                self.options.update(action.option_strings)
                if action.nargs != 0:
                    self.value_options.update(action.option_strings)
                    if action.choices is not None:
                        for flag in action.option_strings:
                            self.choices[flag] = tuple(str(c) for c in action.choices)
            elif action.choices is not None:
                self.words.update(str(choice) for choice in action.choices)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("shell", choices=SHELLS, help="the shell to complete in")


def handle(args: argparse.Namespace) -> int:
    table = completions(args.build_parser())
    sys.stdout.write(bash_script(table) if args.shell == "bash" else zsh_script(table))
    return exits.OK


def completions(main_parser: argparse.ArgumentParser) -> dict[str, Completions]:
    """Every command's completions, keyed by its name; "" is the first word's.

    ``main_parser`` is escsim's whole parser (``engine.cli.main.build_parser()``).
    """
    first = Completions(words={*operation_names(), "help"})
    table: dict[str, Completions] = {"": first}
    for action in main_parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                first.words.add(name)
                table[name] = Completions()
                table[name].add_parser(sub)
        elif action.option_strings:
            first.options.update(action.option_strings)
            if action.nargs != 0:
                first.value_options.update(action.option_strings)
    for name in operation_names():
        operation = by_cli_name(name)
        assert operation is not None
        parser = build_parser(operation, arguments_of(operation), require=False)
        table[name] = Completions(words={"help"})
        table[name].add_parser(parser)
    # Global options may come before an operation's name, as in the AWS CLI.
    for option in GLOBAL_OPTIONS:
        first.options.add(option.flag)
        if option.takes_value:
            first.value_options.add(option.flag)
            if option.choices:
                first.choices[option.flag] = option.choices
    return table


def bash_script(table: Mapping[str, Completions]) -> str:
    """The bash completion script: one function, then ``complete`` binding it to escsim."""
    return _function(table) + f"complete -o default -F {FUNCTION} escsim\n"


def zsh_script(table: Mapping[str, Completions]) -> str:
    """The zsh completion script: the bash function under zsh's bashcompinit."""
    return (
        "# zsh completion for escsim: source this file from ~/.zshrc.\n"
        "autoload -U +X compinit && { (( $+functions[compdef] )) || compinit }\n"
        "autoload -U +X bashcompinit && bashcompinit\n" + bash_script(table)
    )


def _function(table: Mapping[str, Completions]) -> str:
    first = table[""]
    value_options = sorted({flag for spec in table.values() for flag in spec.value_options})
    lines = [
        "# escsim shell completion, generated by `escsim completion` (docs/cli.md says how to",
        "# install it). Index-free, so that the same code runs under bash and zsh's bashcompinit.",
        f"{FUNCTION}() {{",
        "    local cur prev cmd= word skip=1 words=",
        "    local -a before",
        '    before=("${COMP_WORDS[@]:0:$COMP_CWORD}")',
        '    cur=${2-"${COMP_WORDS[@]:$COMP_CWORD:1}"}',
        '    prev=${3-"${before[@]: -1}"}',
        "    # The command is the first word after escsim that is not an option or its value.",
        '    for word in "${before[@]}"; do',
        "        if [[ $skip == 1 ]]; then skip=0; continue; fi",
        "        case $word in",
        f"            {_alternatives(first.value_options)}) skip=1 ;;",
        "            -*) ;;",
        "            *) cmd=$word; break ;;",
        "        esac",
        "    done",
        '    case "$cmd:$prev" in',
        *_value_cases(table),
        f"        *:{_alternatives(value_options, ' | *:')}) COMPREPLY=(); return 0 ;;",
        "        *)",
        "            if [[ $cur == -* ]]; then",
        "                case $cmd in",
        *_cases(table, "options"),
        "                esac",
        "            else",
        "                case $cmd in",
        *_cases(table, "words"),
        "                esac",
        "            fi ;;",
        "    esac",
        '    COMPREPLY=($(compgen -W "$words" -- "$cur"))',
        "}",
    ]
    return "\n".join(lines) + "\n"


def _value_cases(table: Mapping[str, Completions]) -> list[str]:
    """``command:--flag) words=...`` for options with a fixed set of values: one ``*:--flag``
    line for the set most commands share, and a line for each command whose set differs."""
    by_flag: dict[str, dict[tuple[str, ...], list[str]]] = {}
    for command, spec in table.items():
        for flag, values in spec.choices.items():
            by_flag.setdefault(flag, {}).setdefault(values, []).append(command)
    specific, shared = [], []
    for flag, variants in sorted(by_flag.items()):
        common = max(variants, key=lambda values: (len(variants[values]), values))
        for values, commands in sorted(variants.items()):
            if values != common:
                labels = "|".join(_quote(f"{command}:{flag}") for command in sorted(commands))
                specific.append(f"        {labels}) words={_quote(' '.join(values))} ;;")
        shared.append(f"        *:{_quote(flag)}) words={_quote(' '.join(common))} ;;")
    return specific + shared


def _cases(table: Mapping[str, Completions], what: str) -> list[str]:
    cases = []
    for command, spec in sorted(table.items()):
        offered: set[str] = getattr(spec, what)
        if offered:
            label = _quote(command) if command else "''"
            cases.append(
                f"                    {label}) words={_quote(' '.join(sorted(offered)))} ;;"
            )
    return cases


def _alternatives(words: Iterable[str], separator: str = "|") -> str:
    return separator.join(_quote(word) for word in sorted(words))


def _quote(text: str) -> str:
    # Every word escsim offers is made of letters, digits and -_.:/|; quote for the shell anyway.
    return "'" + text.replace("'", "'\\''") + "'"
