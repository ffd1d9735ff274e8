"""``escsim serve``: start-up line, options, refusals, signals."""

from __future__ import annotations

import http.client
import json
import re
import signal
import socket
import threading
import urllib.request
from typing import Any

import pytest
from botocore.exceptions import ClientError

from engine import Simulator, __version__
from engine.cli.main import main as escsim
from engine.http import Endpoint, EscsimHTTPServer, LoopbackRequired
from engine.http.server import is_loopback
from tests.builders import REGION, START, START_EPOCH
from tests.http.conftest import StandInServer, make_client, raw_request
from tests.http.test_serve_workspace import _cli as run_cli


def main(argv: list[str]) -> int:
    """``escsim serve ARGV...`` in this process."""
    return escsim(["serve", *argv])


#: ``escsim serve: <what> <status> [<code>] <ms> ms``; group 1 drops the milliseconds.
LOG_LINE = re.compile(r"escsim serve: (.+ \d{3}(?: [A-Za-z]+)?) \d+\.\d ms")


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
    monkeypatch.setattr("engine.http.serve.EscsimHTTPServer", StandInServer)
    assert main(["--host", "0.0.0.0", "--port", "4566", "--allow-remote"]) == 0
    captured = capsys.readouterr()
    assert StandInServer.bound == [("0.0.0.0", 4566, True)]
    assert captured.out == "escsim listening on http://0.0.0.0:4566\n"
    assert "WARNING" in captured.err
    assert "other machines" in captured.err


# -- readiness, the request log, stopping --------------------------------------------------------


def test_health_answers_ready_without_state_or_token(serve: Any, tmp_path: Any) -> None:
    accounts = tmp_path / "accounts.json"
    accounts.write_text('{"AKIDA": {"secret": "s", "account": "444455556666"}}', "utf-8")
    served = serve("--start", START, "--accounts", str(accounts), "--admin-token", "t0ken")
    with urllib.request.urlopen(served.url + "/_escsim/health", timeout=30) as answer:
        assert answer.status == 200
        assert answer.headers["Content-Type"] == "application/json"
        body = json.loads(answer.read())
    assert body == {"Status": "ready", "Service": "ssm-contacts", "Version": __version__}
    head = raw_request(served.url, "HEAD", "/_escsim/health")
    assert head.status == 200 and head.body == b""
    posted = raw_request(served.url, "POST", "/_escsim/health", b"{}")
    assert posted.status == 405 and posted.json["__type"] == "MethodNotAllowedException"
    # The guarded control paths stay guarded.
    assert raw_request(served.url, "GET", "/_escsim/clock").status == 401
    _, _, err = served.stop(signal.SIGTERM)
    assert "444455556666" in err  # the start-up note names accounts; the probe never does


def test_each_request_logs_one_line_and_stopping_one_more(serve: Any) -> None:
    served = serve("--start", START, "--region", REGION)
    client = make_client(served.url)
    client.create_contact(Alias="akuam", Type="PERSONAL", Plan={"Stages": []})
    with pytest.raises(ClientError):
        client.get_contact(ContactId=f"arn:aws:ssm-contacts:{REGION}:111122223333:contact/x")
    served.get("/_escsim/clock")
    raw_request(served.url, "POST", "/", b"{}", {"X-Amz-Target": "SSMContacts.Nope"})
    raw_request(served.url, "GET", "/no%20where")
    code, out, err = served.stop(signal.SIGTERM)
    assert code == 0 and out == ""
    lines = [line for line in err.splitlines() if LOG_LINE.fullmatch(line)]
    assert [LOG_LINE.fullmatch(line).group(1) for line in lines] == [  # type: ignore[union-attr]
        "CreateContact 200",
        "GetContact 400 ResourceNotFoundException",
        "GET /_escsim/clock 200",
        "POST / 400 UnknownOperationException",
        "GET /no%20where 404 NotFoundException",
    ]
    assert err.splitlines()[-1] == "escsim serve: stopped on SIGTERM after 5 requests"


def test_quiet_drops_the_request_lines_but_not_the_stop_line(serve: Any) -> None:
    served = serve("--start", START, "--quiet")
    assert served.get("/_escsim/health")["Status"] == "ready"
    make_client(served.url).list_contacts()
    code, _, err = served.stop(signal.SIGINT)
    assert code == 130
    assert not [line for line in err.splitlines() if LOG_LINE.fullmatch(line)]
    assert err.splitlines()[-1] == "escsim serve: stopped on SIGINT after 2 requests"


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_stopping_answers_the_request_in_flight_and_releases_the_workspace(
    serve: Any, tmp_path: Any, signum: int
) -> None:
    workspace = tmp_path / "ws"
    served = serve("--workspace", str(workspace), "--start", START, "--region", REGION)
    port = int(served.url.rsplit(":", 1)[1])
    body = json.dumps({"Alias": "late", "Type": "PERSONAL", "Plan": {"Stages": []}}).encode()
    with socket.create_connection(("127.0.0.1", port), timeout=30) as sock:
        # The request is in flight: its head is read, its body not yet sent.
        sock.sendall(
            b"POST / HTTP/1.1\r\nHost: x\r\nX-Amz-Target: SSMContacts.CreateContact\r\n"
            b"Content-Length: %d\r\n\r\n" % len(body)
        )
        served.process.send_signal(signum)
        wait_until_refused(port)  # stopping has begun: nothing new is accepted
        sock.sendall(body)
        response = http.client.HTTPResponse(sock)
        response.begin()
        assert response.status == 200
        assert json.loads(response.read())["ContactArn"].endswith("contact/late")
    code, _, err = served.stop(None)  # the signal above is stopping it
    assert code == (0 if signum == signal.SIGTERM else 130)
    assert err.splitlines()[-1] == (
        f"escsim serve: stopped on {signal.Signals(signum).name} after 1 request; "
        f"workspace {workspace} released"
    )
    assert "Traceback" not in err
    listed = run_cli(workspace, "list-contacts", "--region", REGION)
    assert listed.returncode == 0, listed.stderr
    assert [c["Alias"] for c in json.loads(listed.stdout)["Contacts"]] == ["late"]


def wait_until_refused(port: int) -> None:
    """Return once connecting to ``port`` is refused (a bounded number of tries)."""
    for _ in range(3000):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=5).close()
        except ConnectionRefusedError:
            return
        threading.Event().wait(0.01)
    raise AssertionError(f"port {port} still accepts connections")
