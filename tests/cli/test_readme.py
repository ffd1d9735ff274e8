"""Every Python and shell block of README.md runs as written.

Each block runs in a fresh temporary directory holding a copy of ``scenarios/``, with this
test's virtual environment first on PATH (``escsim``, ``aws``, ``python``, ``pytest``), a HOME
of its own and no AWS or escsim settings from the machine: what a new user with nothing set
up would see. Shell blocks run under ``bash -e -o pipefail``, so every command must succeed,
except one whose comment says ``# exit N``, which must exit N. Python blocks run with
``python``, or with ``pytest`` when they define tests (saved under the name the README gives).

Servers: port 4566 in a block becomes a free port, so that blocks never collide with another
test or with a server already running. A server started in the background (``&``) is stopped
when the block ends; a server started in the foreground (the block's last command) is started
in the background instead, waited for until it answers, then stopped.

Setting up (``python3 -m venv``, ``pip install``, ``pytest``, CI's lint and type checks) is
handled explicitly rather than run: these tests already run in an environment those commands
built, running ``pytest`` from within it would recurse, and ``.ci/run`` rebuilds ``.venv``. The
rest of such a block (``escsim run ...``) runs. ``test_the_install_block_in_a_scratch_venv``
(``-m slow``) runs the install block's commands for real in a new virtual environment over a
copy of the checkout, with ``pytest --collect-only`` for ``pytest``.
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
import re
import shlex
import shutil
import signal
import socket
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
README = ROOT / "README.md"
TIMEOUT = 600.0
SERVER_PORT = "4566"

SETUP_STEPS: dict[tuple[str, ...], str] = {
    ("python3", "-m", "venv", ".venv"): "the tests run in a virtual environment already",
    (".", ".venv/bin/activate"): "the tests run in a virtual environment already",
    ("pip", "install", "."): "escsim is installed in the tests' environment",
    ("pip", "install", "-e", ".[test]"): "escsim[test] is installed in the tests' environment",
    ("pytest",): "the suite this test belongs to: running it from here would recurse",
    ("ruff", "check", "engine", "tests", "benchmarks"): "CI's lint step (.ci/run)",
    ("ruff", "format", "--check", "engine", "tests", "benchmarks"): "CI's format check (.ci/run)",
    ("mypy",): "CI's type check (.ci/run)",
    ("bash", ".ci/run"): "CI itself, which rebuilds .venv",
}
"""Commands that build the environment: each with why it is not run here."""


@dataclasses.dataclass(frozen=True)
class Block:
    """A fenced code block of the README."""

    language: str
    text: str
    line: int
    preface: str
    """The paragraph just before the block."""

    @property
    def id(self) -> str:
        return f"{self.language}-line{self.line}"


def readme_blocks(text: str) -> list[Block]:
    """Every ```sh, ```bash and ```python block, with the line of its opening fence."""
    blocks = []
    for match in re.finditer(r"^```(\w+)\n(.*?)^```$", text, re.MULTILINE | re.DOTALL):
        language = {"bash": "sh"}.get(match[1], match[1])
        if language not in ("sh", "python"):
            continue
        before = text[: match.start()].rstrip("\n")
        preface = before[before.rfind("\n\n") + 2 :] if "\n\n" in before else before
        line = text.count("\n", 0, match.start()) + 1
        blocks.append(Block(language, match[2], line, preface))
    return blocks


BLOCKS = readme_blocks(README.read_text(encoding="utf-8"))


def commands(block: Block) -> list[list[str]]:
    """The block's commands as token lists: comments dropped, ``&&`` chains split."""
    found = []
    for line in block.text.replace("\\\n", " ").splitlines():
        tokens = shlex.split(line, comments=True)
        while tokens:
            cut = tokens.index("&&") if "&&" in tokens else len(tokens)
            found.append(tokens[:cut])
            tokens = tokens[cut + 1 :]
    return found


def is_setup(block: Block) -> bool:
    return block.language == "sh" and any(tuple(c) in SETUP_STEPS for c in commands(block))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def environment(home: Path) -> dict[str, str]:
    """A new user's environment: our tools first on PATH, nothing AWS, escsim or pytest set."""
    env = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("AWS_", "ESCSIM_", "PYTEST_", "COV_"))
    }
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
    env["HOME"] = str(home)
    env.pop("VIRTUAL_ENV", None)
    return env


@pytest.fixture
def workdir(tmp_path: Path) -> Path:
    """A directory holding a copy of the scenarios, as a checkout has them."""
    work = tmp_path / "work"
    shutil.copytree(ROOT / "scenarios", work / "scenarios")
    (tmp_path / "home").mkdir()
    return work


def shell_script(text: str) -> str:
    """The block as bash runs it here: strict, ports free, servers stopped, exits checked."""
    port = str(free_port())
    lines = [
        "set -e -o pipefail",
        "trap 'kill $(jobs -p) 2>/dev/null || true; wait 2>/dev/null || true' EXIT",
    ]
    logical = re.sub(r"\b" + SERVER_PORT + r"\b", port, text).replace("\\\n", " ").splitlines()
    for line in logical:
        expected = re.match(r"^(.*?)\s+#\s*exit (\d+)\b", line)
        command = line.split(" #", 1)[0].strip()
        if expected is not None:
            code = expected[2]
            lines.append(
                f'rc=0; {expected[1]} || rc=$?; [ "$rc" -eq {code} ] || '
                f'{{ echo "README: expected exit {code}, got $rc: {expected[1]}" >&2; exit 1; }}'
            )
        elif command.startswith("escsim serve") and not command.endswith("&"):
            lines += [
                f"{command} &",
                f"until curl -s -o /dev/null http://127.0.0.1:{port}/; do",
                '    kill -0 $! 2>/dev/null || { echo "README: the server stopped" >&2; exit 1; }',
                "    sleep 0.2",
                "done",
            ]
        else:
            lines.append(line)
    return "\n".join(lines) + "\n"


def run(argv: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run in its own process group, killed whole if it outlives the timeout."""
    process = subprocess.Popen(
        argv,
        cwd=cwd,
        env=environment(cwd.parent / "home"),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        out, err = process.communicate(timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        out, err = process.communicate()
        pytest.fail(f"timed out after {TIMEOUT} s\nstdout:\n{out}\nstderr:\n{err}")
    finally:
        with contextlib.suppress(ProcessLookupError):  # nothing it started may outlive it
            os.killpg(process.pid, signal.SIGKILL)
    return subprocess.CompletedProcess(argv, process.returncode, out, err)


def run_block(block: Block, workdir: Path) -> subprocess.CompletedProcess[str]:
    if block.language == "sh":
        return run(["bash", "-c", shell_script(block.text)], workdir)
    if "def test_" in block.text:
        named = re.search(r"[Ss]ave this as `(test_\w+\.py)`", block.preface)
        path = workdir / (named[1] if named else f"test_readme_line{block.line}.py")
        path.write_text(block.text, encoding="utf-8")
        return run(["pytest", "-q", path.name], workdir)
    path = workdir / f"readme_line{block.line}.py"
    path.write_text(block.text, encoding="utf-8")
    return run(["python", path.name], workdir)


def assert_ran(done: subprocess.CompletedProcess[str], block: Block) -> None:
    assert done.returncode == 0, (
        f"README.md line {block.line}: exit {done.returncode}\n"
        f"stdout:\n{done.stdout}\nstderr:\n{done.stderr}"
    )


LONG = ("escsim review", "escsim diff")
"""Monte Carlo runs take tens of seconds: their blocks run with ``-m slow``."""


def _marks(block: Block) -> list[pytest.MarkDecorator]:
    return [pytest.mark.slow] if any(word in block.text for word in LONG) else []


@pytest.mark.parametrize(
    "block",
    [pytest.param(b, id=b.id, marks=_marks(b)) for b in BLOCKS if not is_setup(b)],
)
def test_the_block_runs_as_written(block: Block, workdir: Path) -> None:
    assert_ran(run_block(block, workdir), block)


@pytest.mark.parametrize("block", [b for b in BLOCKS if is_setup(b)], ids=lambda b: b.id)
def test_a_setup_block_runs_all_but_its_setup(block: Block, workdir: Path) -> None:
    rest = [c for c in commands(block) if tuple(c) not in SETUP_STEPS]
    for command in rest:
        assert command[0] not in ("pip", "pytest", "python3", "ruff", "mypy"), (
            f"README.md line {block.line}: {shlex.join(command)} builds the environment: add it "
            "to SETUP_STEPS with why it is not run here"
        )
    script = "\n".join(shlex.join(command) for command in rest)
    done = run(["bash", "-c", shell_script(script)], workdir)
    assert_ran(done, block)


def test_every_block_is_run_or_handled() -> None:
    languages = {block.language for block in BLOCKS}
    assert languages == {"sh", "python"}
    assert len(BLOCKS) == len([b for b in BLOCKS if is_setup(b)]) + len(
        [b for b in BLOCKS if not is_setup(b)]
    )
    # The setup blocks are the two that install: on a fresh machine, and for development.
    setup = [b for b in BLOCKS if is_setup(b)]
    assert len(setup) == 2, [b.id for b in setup]
    assert (ROOT / ".ci" / "run").is_file()


def test_yaml_blocks_are_valid_yaml() -> None:
    text = README.read_text(encoding="utf-8")
    for found in re.finditer(r"^```yaml\n(.*?)^```$", text, re.MULTILINE | re.DOTALL):
        assert isinstance(yaml.safe_load(found[1]), dict)


@pytest.mark.slow
def test_the_install_block_in_a_scratch_venv(tmp_path: Path) -> None:
    checkout = tmp_path / "work"
    listed = subprocess.run(
        ["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout
    for name in filter(None, listed.split("\0")):
        target = checkout / name
        target.parent.mkdir(parents=True, exist_ok=True)
        if (ROOT / name).is_file():
            shutil.copy2(ROOT / name, target)
    (tmp_path / "home").mkdir()
    (first,) = [b for b in BLOCKS if is_setup(b) and "pip install ." in b.text]
    # As written, but the suite itself only collected (running it would take minutes).
    script = re.sub(r"&& pytest$", "&& pytest --collect-only -q", first.text, flags=re.MULTILINE)
    env = environment(tmp_path / "home")
    env["PATH"] = os.environ.get("PATH", "")  # the scratch venv, not ours, once activated
    done = subprocess.run(
        ["bash", "-c", "set -e -o pipefail\n" + script],
        cwd=checkout,
        env=env,
        capture_output=True,
        text=True,
        timeout=1800,
        check=False,
    )
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-4000:]
    assert "Timeline" in done.stdout
