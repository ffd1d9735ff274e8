"""``escsim serve`` (``python -m engine.http.serve``): start-up line, options, refusals, signals."""

from __future__ import annotations

import signal
import socket
from typing import Any

import pytest

from engine import Simulator
from engine.http import Endpoint, EscsimHTTPServer, LoopbackRequired
from engine.http.serve import main
from engine.http.server import is_loopback
from tests.conftest import REGION, START, START_EPOCH
from tests.http.conftest import StandInServer, make_client


def test_serve_announces_one_line_then_answers_and_stops_on_sigterm_with_0(serve: Any) -> None:
    served = serve("--seed", "3", "--start", START, "--region", REGION)
    client = make_client(served.url)
    arn = client.create_contact(Alias="akuam", Type="PERSONAL", Plan={"Stages": []})["ContactArn"]
    assert arn == f"arn:aws:ssm-contacts:{REGION}:111122223333:contact/akuam"
    assert served.get("/_escsim/clock") == {"Now": START_EPOCH}
    code, out, err = served.stop(signal.SIGTERM)
    assert code == 0
    assert out == ""  # the announcement was the only line
    assert "Traceback" not in err


def test_serve_stops_on_sigint_with_130(serve: Any) -> None:
    served = serve("--start", START)
    code, _, err = served.stop(signal.SIGINT)
    assert code == 130
    assert "Traceback" not in err


def test_serve_uses_the_account_option_in_arns(serve: Any) -> None:
    served = serve("--start", START, "--account", "123456789012")
    arn = make_client(served.url).create_contact(
        Alias="akuam", Type="PERSONAL", Plan={"Stages": []}
    )["ContactArn"]
    assert arn == f"arn:aws:ssm-contacts:{REGION}:123456789012:contact/akuam"


def test_serve_with_a_fast_realtime_clock_moves_virtual_time_on_its_own(serve: Any) -> None:
    served = serve("--start", START, "--clock", "realtime:3600")
    first = served.get("/_escsim/clock")["Now"]
    second = served.get("/_escsim/clock")["Now"]
    assert START_EPOCH <= first < second


@pytest.mark.parametrize("host", ["0.0.0.0", "192.0.2.10", "::", "example.internal"])
def test_serve_refuses_a_non_loopback_host_without_allow_remote(
    host: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--host", host, "--port", "0"]) == 252
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "--allow-remote" in captured.err
    assert host in captured.err


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--set", "nonsense=1"], "nonsense"),
        (["--set", "latency.SMS=-1"], "latency.SMS"),
        (["--set", "no-equals-sign"], "NAME=VALUE"),
        (["--clock", "realtime:0"], "positive number"),
        (["--clock", "sundial"], "virtual, realtime"),
        (["--port", "70000"], "0 to 65535"),
        (["--account", "12"], "12 digits"),
        (["--region", "Not A Region"], "region"),
        (["--start", "soon"], "not an instant"),
        (["--seed", "x"], "--seed"),
    ],
)
def test_serve_refuses_bad_options_with_252_naming_them(
    args: list[str], words: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main([*args, "--port", "0"] if "--port" not in args else args) == 252
    captured = capsys.readouterr()
    assert captured.out == ""
    assert words in captured.err
    assert "Traceback" not in captured.err


def test_serve_reports_a_port_in_use_with_255(capsys: pytest.CaptureFixture[str]) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        assert main(["--port", str(port)]) == 255
    captured = capsys.readouterr()
    assert f"cannot listen on 127.0.0.1:{port}" in captured.err


@pytest.mark.parametrize("host", ["127.0.0.1", "127.8.8.8", "::1", "[::1]", "localhost"])
def test_loopback_hosts_are_recognised(host: str) -> None:
    assert is_loopback(host)


@pytest.mark.parametrize("host", ["0.0.0.0", "::", "10.0.0.1", "example.com", ""])
def test_other_hosts_are_not_loopback(host: str) -> None:
    assert not is_loopback(host)


def test_the_server_class_refuses_a_remote_host_before_binding() -> None:
    endpoint = Endpoint(Simulator(seed=0, start=START))
    with pytest.raises(LoopbackRequired, match="allow_remote"):
        EscsimHTTPServer(endpoint, "0.0.0.0", 0)


def test_allow_remote_lets_a_remote_host_through_with_a_loud_warning(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    StandInServer.bound.clear()
    monkeypatch.setattr("engine.http.server.EscsimHTTPServer", StandInServer)
    assert main(["--host", "0.0.0.0", "--port", "4566", "--allow-remote"]) == 0
    captured = capsys.readouterr()
    assert StandInServer.bound == [("0.0.0.0", 4566, True)]
    assert captured.out == "escsim listening on http://0.0.0.0:4566\n"
    assert "WARNING" in captured.err
    assert "other machines" in captured.err
