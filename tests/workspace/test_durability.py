"""A workspace survives a process killed while writing, and concurrent writers lose nothing."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from engine.workspace import Workspace, replay
from tests.workspace.cli_harness import clean_environment, run_child

ROOT = Path(__file__).resolve().parents[2]

# A child that opens a write transaction, writes a large batch of journal entries (a tiny page
# cache makes them spill into the WAL file on disk), says so, and waits to be killed before it
# can commit.
_KILLED_MID_TRANSACTION = """
import sys, time
from engine.workspace import Workspace
with Workspace.open(sys.argv[1]) as workspace:
    workspace._connection.execute("PRAGMA cache_size = 8")
    with workspace.transaction(write=True) as tx:
        for i in range(20000):
            tx.append("request", 0.0, {"Alias": f"x{i}", "Type": "PERSONAL",
                                       "Plan": {"Stages": []}}, operation="CreateContact")
        print("writing", flush=True)
        time.sleep(60)
"""

# A child that creates contacts one command at a time, saying which ones succeeded.
_WRITER = """
import contextlib, io, sys
from engine.cli.main import main
prefix, count = sys.argv[1], int(sys.argv[2])
for i in range(count):
    with contextlib.redirect_stdout(io.StringIO()):
        code = main(["create-contact", "--alias", f"{prefix}{i:03d}", "--type", "PERSONAL",
                     "--plan", "Stages=[]"])
    if code != 0:
        sys.exit(code)
    print(f"{prefix}{i:03d}", flush=True)
"""


def _python(code: str, *args: str, env: dict[str, str]) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", code, *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**env, "PYTHONPATH": str(ROOT)},
        cwd=ROOT,
    )


def _aliases(workspace_dir: Path) -> list[str]:
    with Workspace.open(workspace_dir) as workspace:
        sim = replay(workspace.header, workspace.entries())
    state = sim.state(workspace.header.account, workspace.header.region)
    return sorted(contact.alias for contact in state.organisation.contacts.values())


def _integrity(workspace_dir: Path) -> str:
    import sqlite3

    connection = sqlite3.connect(workspace_dir / "workspace.sqlite")
    try:
        return str(connection.execute("PRAGMA integrity_check").fetchone()[0])
    finally:
        connection.close()


def test_a_process_killed_inside_its_write_leaves_the_previous_state(tmp_path: Path) -> None:
    workspace_dir = tmp_path / "ws"
    env = clean_environment(workspace_dir)
    assert run_child(["create-contact", "--alias", "before", "--type", "PERSONAL",
                      "--plan", "Stages=[]"], env).code == 0  # fmt: skip
    child = _python(_KILLED_MID_TRANSACTION, str(workspace_dir), env=env)
    assert child.stdout is not None
    assert child.stdout.readline().strip() == "writing", child.stderr.read() if child.stderr else ""
    wal = workspace_dir / "workspace.sqlite-wal"
    assert wal.stat().st_size > 1_000_000  # the uncommitted entries are on disk
    os.kill(child.pid, signal.SIGKILL)
    child.communicate(timeout=30)  # waits, and closes the pipes
    assert child.returncode == -signal.SIGKILL
    assert _integrity(workspace_dir) == "ok"
    assert _aliases(workspace_dir) == ["before"]
    after = run_child(["create-contact", "--alias", "after", "--type", "PERSONAL",
                       "--plan", "Stages=[]"], env)  # fmt: skip
    assert after.code == 0, after.err
    assert _aliases(workspace_dir) == ["after", "before"]


def test_a_writer_killed_at_any_moment_leaves_a_usable_prefix(tmp_path: Path) -> None:
    workspace_dir = tmp_path / "ws"
    env = clean_environment(workspace_dir)
    child = _python(_WRITER, "c", "500", env=env)
    assert child.stdout is not None
    confirmed = []
    while len(confirmed) < 5:
        line = child.stdout.readline().strip()
        assert line, child.stderr.read() if child.stderr else ""
        confirmed.append(line)
    time.sleep(0.13)  # land somewhere inside a later command
    os.kill(child.pid, signal.SIGKILL)
    # Read the rest through the same text stream: readline() may already hold later lines in
    # its buffer, which communicate() (reading the pipes' descriptors) would never see.
    rest = child.stdout.read()
    child.wait(timeout=30)
    child.stdout.close()
    if child.stderr is not None:
        child.stderr.close()
    confirmed += [line.strip() for line in rest.splitlines() if line.strip()]
    assert _integrity(workspace_dir) == "ok"
    present = _aliases(workspace_dir)
    # Every confirmed command is there; at most one more (committed, not yet confirmed).
    assert present[: len(confirmed)] == confirmed
    assert len(present) - len(confirmed) in (0, 1)
    assert present == [f"c{i:03d}" for i in range(len(present))]


def test_two_concurrent_writers_lose_no_request(tmp_path: Path) -> None:
    workspace_dir = tmp_path / "ws"
    env = clean_environment(workspace_dir)
    count = 25
    writers = [_python(_WRITER, prefix, str(count), env=env) for prefix in ("a", "b")]
    for writer in writers:
        out, err = writer.communicate(timeout=300)
        assert writer.returncode == 0, err
        assert len(out.split()) == count
    expected = sorted(f"{prefix}{i:03d}" for prefix in ("a", "b") for i in range(count))
    assert _aliases(workspace_dir) == expected
    with Workspace.open(workspace_dir) as workspace:
        entries = workspace.entries()
    assert [entry.seq for entry in entries] == list(range(1, 2 * count + 1))
