"""``escsim completion bash|zsh``: the printed script completes commands, operations, options.

Each test sources the script in a real shell, sets ``COMP_WORDS``/``COMP_CWORD`` as the shell
would for a line being completed, calls the completion function and reads ``COMPREPLY``.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from engine.cli.completion import FUNCTION
from tests.workspace.cli_harness import Cli, make_cli

# Completes the words given as arguments (the last is the one being typed), as bash calls a
# `complete -F` function: with the command, the current word and the previous word.
BASH_HARNESS = """
source "$1"; shift
COMP_WORDS=("$@"); COMP_CWORD=$(( $# - 1 )); COMPREPLY=()
{function} escsim "${{COMP_WORDS[COMP_CWORD]}}" "${{COMP_WORDS[COMP_CWORD-1]}}"
printf '%s\\n' "${{COMPREPLY[@]}}"
"""
# zsh's bashcompinit calls the function the same way; zsh's own completion then keeps the
# offered words that start with what was typed, which the harness does here.
ZSH_HARNESS = """
source "$1"; shift
COMP_WORDS=("$@"); COMP_CWORD=$(( $# - 1 )); COMPREPLY=()
{function} escsim "${{@[-1]}}" "${{@[-2]}}"
print -l -- ${{(M)COMPREPLY:#${{@[-1]}}*}}
print -r -- "bound: ${{_comps[escsim]}}"
"""


@pytest.fixture
def cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> Cli:
    return make_cli(tmp_path, monkeypatch, capsys)


@pytest.fixture
def bash_script(cli: Cli, tmp_path: Path) -> Path:
    path = tmp_path / "escsim.bash"
    path.write_text(cli.ok("completion", "bash").out, encoding="utf-8")
    return path


def complete(shell: str, harness: str, script: Path, *words: str) -> list[str]:
    done = subprocess.run(
        [shell, "-c", harness.format(function=FUNCTION), shell, str(script), "escsim", *words],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    return [line for line in done.stdout.splitlines() if line]


def bash(script: Path, *words: str) -> list[str]:
    return complete("bash", BASH_HARNESS, script, *words)


@pytest.mark.parametrize(
    ("words", "offered"),
    [
        (("start-eng",), ["start-engagement"]),
        (("list-contact",), ["list-contact-channels", "list-contacts"]),
        (("wor",), ["workspace"]),
        (("--workspace", "dir", "clo"), ["clock"]),
        (("--region", "us-east-2", "he"), ["help"]),
        (("clock", ""), ["advance", "set", "show"]),
        (("workspace", "i"), ["import", "init"]),
        (("completion", ""), ["bash", "zsh"]),
        (("start-engagement", "--con"), ["--contact-id", "--content"]),
        (("--output", "yaml", "list-contacts", "--max-"), ["--max-items", "--max-results"]),
        (("outbox", "--output", "t"), ["table", "text"]),
        (("list-contacts", "--output", ""), ["json", "text", "table", "yaml", "yaml-stream"]),
        (("clock", "--output", ""), ["text", "json"]),
        (("coverage", "--f"), ["--first-stage-only", "--from"]),
    ],
)
def test_bash_completes_commands_operations_options_and_values(
    bash_script: Path, words: tuple[str, ...], offered: list[str]
) -> None:
    assert bash(bash_script, *words) == offered


def test_bash_leaves_file_arguments_to_the_shell(bash_script: Path) -> None:
    # Nothing offered: `complete -o default` then completes file names.
    assert bash(bash_script, "run", "") == []
    assert bash(bash_script, "workspace", "init", "--from", "") == []
    done = subprocess.run(
        ["bash", "-c", f'source "{bash_script}"; complete -p escsim'],
        capture_output=True,
        text=True,
        check=True,
    )
    assert done.stdout == f"complete -o default -F {FUNCTION} escsim\n"


@pytest.mark.skipif(shutil.which("zsh") is None, reason="zsh is not installed")
def test_zsh_completes_through_bashcompinit(cli: Cli, tmp_path: Path) -> None:
    script = tmp_path / "escsim.zsh"
    script.write_text(cli.ok("completion", "zsh").out, encoding="utf-8")

    def zsh(*words: str) -> list[str]:
        return complete("zsh", ZSH_HARNESS, script, *words)

    bound = f"bound: _bash_complete -o default -F {FUNCTION}"
    assert zsh("start-eng") == ["start-engagement", bound]
    assert zsh("--workspace", "dir", "clock", "") == ["advance", "set", "show", bound]
    assert zsh("outbox", "--output", "t") == ["table", "text", bound]


def test_an_unknown_shell_is_refused(cli: Cli) -> None:
    refused = cli("completion", "fish")
    assert refused.code == 252
    assert "invalid choice: 'fish'" in refused.err
