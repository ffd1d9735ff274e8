"""Eight processes writing one workspace at once lose nothing.

Each process runs ``escsim`` commands one after another against the same workspace directory:
it creates its own contacts, starts an engagement of each, and moves the clock. The journal must
then hold every command that reported success, exactly once and numbered without a gap, and the
replayed workspace must show every contact and engagement and keep every invariant.
"""

from __future__ import annotations

import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from engine.check import check_records
from engine.workspace import Workspace, replay
from tests.workspace.cli_harness import clean_environment

ROOT = Path(__file__).resolve().parents[2]
PROCESSES = 8

# One process: for each of its contacts, create it, engage it, and every third time move the
# clock; print one line per command that succeeded, and stop at the first that did not.
_WRITER = """
import contextlib, io, json, sys
from engine.cli.main import main
name, count = sys.argv[1], int(sys.argv[2])
def run(*argv):
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = main(list(argv))
    if code != 0:
        sys.exit(code)
    print(argv[0], flush=True)
    return out.getvalue()
for n in range(count):
    alias = f"{name}-{n:02d}"
    arn = json.loads(run("create-contact", "--alias", alias, "--type", "PERSONAL",
                         "--plan", "Stages=[]"))["ContactArn"]
    run("start-engagement", "--contact-id", arn, "--sender", name, "--subject", "s",
        "--content", "c")
    if n % 3 == 0:
        run("clock", "advance", "10s")
"""


def write_concurrently(workspace: Path, per_process: int) -> Counter[str]:
    env = {**clean_environment(workspace), "PYTHONPATH": str(ROOT)}
    writers = [
        subprocess.Popen(
            [sys.executable, "-c", _WRITER, f"w{index}", str(per_process)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
            cwd=ROOT,
        )
        for index in range(PROCESSES)
    ]
    done: Counter[str] = Counter()
    for writer in writers:
        out, err = writer.communicate(timeout=600)
        assert writer.returncode == 0, err
        done.update(out.split())
    return done


def check_nothing_lost(workspace: Path, per_process: int, done: Counter[str]) -> None:
    total = PROCESSES * per_process
    assert done["create-contact"] == done["start-engagement"] == total
    with Workspace.open(workspace) as opened:
        entries = opened.entries()
        sim = replay(opened.header, entries)
    assert [entry.seq for entry in entries] == list(range(1, len(entries) + 1))
    journaled = Counter(entry.operation or entry.kind for entry in entries)
    assert journaled == {
        "CreateContact": total,
        "StartEngagement": total,
        "advance": done["clock"],
    }
    state = sim.state(opened.header.account, opened.header.region)
    expected = sorted(f"w{i}-{n:02d}" for i in range(PROCESSES) for n in range(per_process))
    assert sorted(contact.alias for contact in state.organisation.contacts.values()) == expected
    assert len(state.engagements()) == total
    assert check_records(sim.events, sim.outbox, finished=False) == []


def test_eight_processes_writing_one_workspace_lose_nothing(tmp_path: Path) -> None:
    workspace = tmp_path / "ws"
    per_process = 5
    check_nothing_lost(workspace, per_process, write_concurrently(workspace, per_process))


@pytest.mark.slow
def test_eight_processes_writing_one_workspace_for_longer(tmp_path: Path) -> None:
    workspace = tmp_path / "ws"
    per_process = 40
    check_nothing_lost(workspace, per_process, write_concurrently(workspace, per_process))
