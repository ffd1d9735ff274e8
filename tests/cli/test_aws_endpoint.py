"""``--endpoint-url``: the same commands sent to an ``escsim serve`` endpoint (AWS JSON 1.1)."""

from __future__ import annotations

import http.server
import json
import subprocess
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.http.conftest import SERVE
from tests.workspace.cli_harness import Cli, make_cli

ARN = "arn:aws:ssm-contacts:us-east-2:111122223333"


@pytest.fixture
def cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> Cli:
    return make_cli(tmp_path, monkeypatch, capsys)


class _Recorder(http.server.BaseHTTPRequestHandler):
    """Answers every request with the next canned answer and records what it received."""

    requests: list[dict[str, Any]] = []
    answers: list[tuple[int, dict[str, Any]]] = []

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        self._record(body)

    def do_GET(self) -> None:
        self._record(b"")

    def _record(self, body: bytes) -> None:
        type(self).requests.append(
            {
                "method": self.command,
                "path": self.path,
                "headers": dict(self.headers),
                "body": json.loads(body) if body else None,
            }
        )
        status, answer = type(self).answers.pop(0)
        raw = json.dumps(answer).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/x-amz-json-1.1")
        self.send_header("Content-Length", str(len(raw)))
        self.end_headers()
        self.wfile.write(raw)

    def log_message(self, format: str, *args: Any) -> None:
        return


@pytest.fixture
def stub() -> Iterator[tuple[str, type[_Recorder]]]:
    handler = type("Handler", (_Recorder,), {"requests": [], "answers": []})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", handler
    finally:
        server.shutdown()
        server.server_close()


def test_requests_are_aws_json_with_epoch_timestamps_and_the_region(
    cli: Cli, stub: tuple[str, type[_Recorder]]
) -> None:
    url, handler = stub
    handler.answers.append((200, {"RotationOverrideId": "0b3f7d36-1c46-4b3b-9e4b-4e14e1f5d2a7"}))
    result = cli.ok(
        "create-rotation-override", "--rotation-id", f"{ARN}:rotation/x",
        "--new-contact-ids", f"{ARN}:contact/a", "--start-time", "2026-01-01T09:00:00Z",
        "--end-time", "1767261600.5", "--endpoint-url", url, "--region", "eu-west-3",
    )  # fmt: skip
    assert result.json() == {"RotationOverrideId": "0b3f7d36-1c46-4b3b-9e4b-4e14e1f5d2a7"}
    (sent,) = handler.requests
    assert sent["method"] == "POST" and sent["path"] == "/"
    assert sent["headers"]["X-Amz-Target"] == "SSMContacts.CreateRotationOverride"
    assert sent["headers"]["Content-Type"] == "application/x-amz-json-1.1"
    assert "/eu-west-3/ssm-contacts/aws4_request" in sent["headers"]["Authorization"]
    assert sent["body"] == {
        "RotationId": f"{ARN}:rotation/x",
        "NewContactIds": [f"{ARN}:contact/a"],
        "StartTime": 1767258000,
        "EndTime": 1767261600.5,
    }
    assert not cli.workspace.exists()


def test_epoch_timestamps_in_answers_print_as_iso_8601_in_model_order(
    cli: Cli, stub: tuple[str, type[_Recorder]]
) -> None:
    url, handler = stub
    handler.answers.append(
        (200, {"StartTime": 1621370577.485, "Sender": "cli", "ContactArn": f"{ARN}:contact/a",
               "EngagementArn": f"{ARN}:engagement/a/1", "StopTime": None})
    )  # fmt: skip
    result = cli.ok("describe-engagement", "--engagement-id", "x", "--endpoint-url", url)
    assert result.out == (
        "{\n"
        f'    "ContactArn": "{ARN}:contact/a",\n'
        f'    "EngagementArn": "{ARN}:engagement/a/1",\n'
        '    "Sender": "cli",\n'
        '    "StartTime": "2021-05-18T20:42:57.485000+00:00"\n'
        "}\n"
    )


def test_error_answers_are_worded_as_the_aws_cli_words_them(
    cli: Cli, stub: tuple[str, type[_Recorder]]
) -> None:
    url, handler = stub
    handler.answers.append(
        (400, {"__type": "com.amazonaws.ssmcontacts#ResourceNotFoundException",
               "Message": "Contact not found", "ResourceId": "x", "ResourceType": "CONTACT"})
    )  # fmt: skip
    result = cli("get-contact", "--contact-id", "x", "--endpoint-url", url)
    assert result.code == 254
    assert result.err == (
        "\nAn error occurred (ResourceNotFoundException) when calling the GetContact operation: "
        "Contact not found\n"
    )


def test_list_commands_page_through_the_endpoint(
    cli: Cli, stub: tuple[str, type[_Recorder]]
) -> None:
    url, handler = stub
    first = {"Contacts": [{"ContactArn": "a", "Alias": "a", "Type": "PERSONAL"}], "NextToken": "t1"}
    handler.answers += [
        (200, first),
        (200, {"Contacts": [{"ContactArn": "b", "Alias": "b", "Type": "PERSONAL"}]}),
    ]
    result = cli.ok("list-contacts", "--endpoint-url", url, "--page-size", "1", "--output", "text",
                    "--query", "Contacts[].Alias")  # fmt: skip
    assert result.out == "a\nb\n"
    assert [r["body"] for r in handler.requests] == [
        {"MaxResults": 1},
        {"MaxResults": 1, "NextToken": "t1"},
    ]


def test_clock_outbox_and_events_use_the_control_paths(
    cli: Cli, stub: tuple[str, type[_Recorder]]
) -> None:
    url, handler = stub
    handler.answers += [
        (200, {"Now": 1767258300}),
        (200, {"Messages": [{"Kind": "ACTIVATION", "Code": "123456"}]}),
        (200, {"Events": []}),
    ]
    assert cli.ok("clock", "advance", "5m", "--endpoint-url", url).out == (
        "2026-01-01T09:05:00+00:00\n"
    )
    assert cli.ok("outbox", "--endpoint-url", url).json() == [
        {"Kind": "ACTIVATION", "Code": "123456"}
    ]
    assert cli.ok("events", "--endpoint-url", url).json() == []
    assert [(r["method"], r["path"], r["body"]) for r in handler.requests] == [
        ("POST", "/_escsim/clock", {"AdvanceSeconds": 300.0}),
        ("GET", "/_escsim/outbox", None),
        ("GET", "/_escsim/events", None),
    ]


def test_the_control_client_words_what_the_endpoint_answers(
    cli: Cli, stub: tuple[str, type[_Recorder]]
) -> None:
    url, handler = stub
    handler.answers += [
        (400, {"__type": "ValidationException", "Message": "The clock cannot move backwards"}),
        (200, {"Later": 1}),
        (200, {"Messages": "none"}),
    ]
    refused = cli("clock", "set", "2026-01-01T08:00:00Z", "--endpoint-url", url)
    assert (refused.code, refused.err) == (
        254,
        "escsim clock: the endpoint refused: (ValidationException) The clock cannot move "
        "backwards\n",
    )
    assert handler.requests[0]["body"] == {"Until": 1767254400.0}
    odd = cli("clock", "show", "--endpoint-url", url)
    assert (odd.code, odd.err) == (
        255,
        "escsim clock: the endpoint answered without a clock: {'Later': 1}\n",
    )
    odd = cli("events", "--endpoint-url", url.replace("http", "ftp"))
    assert odd.code == 252 and odd.err.startswith("escsim events: Bad value for --endpoint-url")
    odd = cli("outbox", "--endpoint-url", url)
    assert (odd.code, odd.err) == (
        255,
        "escsim outbox: the endpoint answered without Messages: {'Messages': 'none'}\n",
    )


def test_a_workspace_clock_refuses_a_move_past_the_calendar(cli: Cli) -> None:
    cli.ok("workspace", "init", "--start", "2026-01-01T09:00:00Z")
    far = cli("clock", "advance", "3000000d")
    assert (far.code, far.err) == (
        252,
        "escsim clock advance: 3000000d takes the clock from 2026-01-01T09:00:00+00:00 past the "
        "year 9999, the end of the calendar\n",
    )
    assert cli.ok("clock", "show").out == "2026-01-01T09:00:00+00:00\n"
    assert cli.ok("workspace", "show").json()["Journal"] == {}


def test_nothing_listening_exits_255(cli: Cli) -> None:
    result = cli("list-contacts", "--endpoint-url", "http://127.0.0.1:9")
    assert result.code == 255
    assert result.err.startswith('\nCould not connect to the endpoint URL: "http://127.0.0.1:9/"')


@pytest.fixture
def server() -> Iterator[str]:
    # The request log goes to a file: a pipe nobody reads could fill and stall the server.
    with tempfile.TemporaryFile("w+") as log, subprocess.Popen(
        [*SERVE, "--port", "0", "--start",
         "2026-01-01T09:00:00Z", "--region", "us-east-2"],
        stdout=subprocess.PIPE,
        stderr=log,
        text=True,
    ) as process:  # fmt: skip
        try:
            assert process.stdout is not None
            line = process.stdout.readline().strip()
            log.seek(0)
            assert line.startswith("escsim listening on "), log.read()
            yield line.removeprefix("escsim listening on ")
        finally:
            process.terminate()
            process.wait(timeout=10)


def test_the_same_commands_work_against_escsim_serve(cli: Cli, server: str) -> None:
    remote = ["--endpoint-url", server, "--region", "us-east-2"]
    created = cli.ok(
        "create-contact", "--alias", "akuam", "--type", "PERSONAL", "--plan", "Stages=[]", *remote
    ).json()
    assert created == {"ContactArn": f"{ARN}:contact/akuam"}
    cli.ok(
        "create-contact-channel", "--contact-id", f"{ARN}:contact/akuam", "--name", "sms",
        "--type", "SMS", "--delivery-address", "SimpleAddress=+15005550100", *remote,
    )  # fmt: skip
    (message,) = cli.ok("outbox", "--endpoint-url", server).json()
    assert message["Kind"] == "ACTIVATION"
    moved = cli.ok("clock", "advance", "90s", "--endpoint-url", server)
    assert moved.out == "2026-01-01T09:01:30+00:00\n"
    missing = cli("get-contact", "--contact-id", f"{ARN}:contact/nobody", *remote)
    assert missing.code == 254
    assert "(ResourceNotFoundException) when calling the GetContact operation" in missing.err
    assert not cli.workspace.exists()
