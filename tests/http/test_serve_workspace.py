"""`escsim serve --workspace DIR`: the endpoint's state lives in the workspace, held exclusively."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import urllib.request
from pathlib import Path
from typing import Any

from tests.builders import START
from tests.http.conftest import SERVE, Served, make_client


def _cli(workspace: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "ESCSIM_WORKSPACE": str(workspace), "AWS_CONFIG_FILE": os.devnull}
    env.pop("AWS_REGION", None)
    env.pop("AWS_DEFAULT_REGION", None)
    return subprocess.run(
        [sys.executable, "-m", "engine.cli.main", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )


def _advance(served: Served, seconds: float) -> Any:
    request = urllib.request.Request(
        served.url + "/_escsim/clock",
        data=json.dumps({"AdvanceSeconds": seconds}).encode(),
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read())


def test_state_survives_a_restart_and_the_cli_reads_it_afterwards(
    serve: Any, tmp_path: Path
) -> None:
    workspace = tmp_path / "ws"
    first = serve("--workspace", str(workspace), "--start", START, "--region", "us-east-2")
    client = make_client(first.url)
    client.create_contact(Alias="akuam", Type="PERSONAL", Plan={"Stages": []})
    client.list_contacts()  # a read: not journaled
    _advance(first, 600)
    assert first.stop(signal.SIGTERM)[0] == 0

    second = serve("--workspace", str(workspace))
    again = make_client(second.url)
    assert [c["Alias"] for c in again.list_contacts()["Contacts"]] == ["akuam"]
    assert second.get("/_escsim/clock")["Now"] == 1767225600.0 + 600
    assert second.stop(signal.SIGTERM)[0] == 0

    listed = _cli(workspace, "list-contacts", "--region", "us-east-2")
    assert listed.returncode == 0, listed.stderr
    assert [c["Alias"] for c in json.loads(listed.stdout)["Contacts"]] == ["akuam"]


def test_a_held_workspace_refuses_the_cli_and_a_second_server(serve: Any, tmp_path: Path) -> None:
    workspace = tmp_path / "ws"
    served = serve("--workspace", str(workspace), "--start", START)
    refused = _cli(workspace, "list-contacts")
    assert refused.returncode == 253
    assert served.url in refused.stderr and "--endpoint-url" in refused.stderr
    second = subprocess.run(
        [*SERVE, "--port", "0", "--workspace", str(workspace)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert second.returncode == 253
    assert "escsim serve:" in second.stderr and "Traceback" not in second.stderr


def test_reset_keeps_the_initial_organisation_of_the_workspace(serve: Any, tmp_path: Path) -> None:
    workspace = tmp_path / "ws"
    seed = (
        Path(__file__).resolve().parents[2] / "scenarios" / "seed-personal-engagement.scenario.yaml"
    )
    made = _cli(workspace, "workspace", "init", "--from", str(seed))
    assert made.returncode == 0, made.stderr
    served = serve("--workspace", str(workspace))
    client = make_client(served.url)
    client.create_contact(Alias="extra", Type="PERSONAL", Plan={"Stages": []})
    request = urllib.request.Request(served.url + "/_escsim/reset", data=b"{}", method="POST")
    urllib.request.urlopen(request, timeout=30).close()
    assert [c["Alias"] for c in client.list_contacts()["Contacts"]] == ["akuam"]
