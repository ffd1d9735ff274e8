"""Text from a hostile scenario file never reaches the terminal as control characters.

Terminal escape sequences (ESC, the other C0 and C1 controls) and bidirectional overrides in a
scenario's name, description, message subject and content, a stop reason or the file's own name
are shown escaped (``\\x1b``, ``\\u202e``) by every command that prints them for people, on
stdout and on stderr.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from engine.cli.main import main
from engine.safetext import escape_controls, safe_text

# Everything a terminal acts on, or that reorders text, but the line feed.
RAW = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")

HOSTILE = r"""version: 1
name: "evil\e[2Jname"
description: "a\x07\e[31mred\u202egnp.exe\x9b1m"
start: 2026-01-05T09:00:00Z
contacts:
  akuam:
    channels:
      sms: {type: SMS, address: "+15005550100", activated: true}
      voice: {type: VOICE, address: "+15005550100", activated: true}
    plan:
      - {duration: 5, targets: [{channel: voice}]}
      - {duration: 5, targets: [{channel: sms}]}
  team:
    plan: [{duration: 5, targets: [{contact: akuam, essential: true}]}]
rotations:
  daily:
    members: [akuam]
    zone: UTC
    daily: ["09:00"]
script:
  - at: 0m
    id: go
    StartEngagement:
      ContactId: team
      Sender: ops
      Subject: "subject\e]0;title\x07"
      Content: "body\u2066evil\e[8m"
  - at: 1m
    StopEngagement: {EngagementId: "${go.EngagementArn}", Reason: "why\e[5m\u202e"}
  - at: 2m
    StopEngagement: {EngagementId: "nope\e[1m"}
"""


@pytest.fixture
def hostile(tmp_path: Path) -> str:
    path = tmp_path / "bad\x1b[7mname.scenario.yaml"
    path.write_text(HOSTILE, encoding="utf-8")
    return str(path)


# Each command, and a hostile text it prints (escaped): the file's name, or the scenario's.
COMMANDS = {
    "run": (["run", "{file}"], "\\x1b[7m"),
    "test": (["test", "{file}"], "\\x1b[7m"),
    "validate": (["validate", "{file}"], "\\x1b[7m"),
    "review": (
        ["review", "{file}", "--replications", "1", "--to", "2d", "--workers", "1"],
        "evil\\x1b[2Jname",
    ),
    "diff": (
        ["diff", "{file}", "{file}", "--replications", "1", "--to", "2d", "--workers", "1"],
        "\\x1b[7m",
    ),
    "equivalence": (
        ["equivalence", "{file}", "{file}", "--window", "2d", "--replications", "1"],
        "\\x1b[7m",
    ),
    "coverage": (["coverage", "{file}"], "evil\\x1b[2Jname"),
    "shifts": (["shifts", "{file}", "daily"], "Rotation daily"),
    "graph": (["graph", "{file}"], "x1b[2Jname"),
}


@pytest.mark.parametrize("command", list(COMMANDS))
def test_no_control_character_reaches_the_terminal(
    command: str,
    hostile: str,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("COLUMNS", "250")
    words, shown = COMMANDS[command]
    main([word.format(file=hostile) for word in words])
    captured = capsys.readouterr()
    for stream in (captured.out, captured.err):
        assert not RAW.search(stream), RAW.findall(stream)
    assert shown in captured.out + captured.err


def test_run_shows_every_hostile_text_escaped(
    hostile: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "250")
    assert main(["run", hostile]) == 254  # the last step fails, naming its engagement id
    captured = capsys.readouterr()
    for shown in (
        "evil\\x1b[2Jname",
        "a\\x07\\x1b[31mred\\u202egnp.exe\\x9b1m",
        "subject\\x1b]0;title\\x07: body\\u2066evil\\x1b[8m",
        "why\\x1b[5m\\u202e",
    ):
        assert shown in captured.out
    assert "nope\\x1b[1m" in captured.err


def test_outbox_table_shows_message_texts_escaped(monkeypatch: pytest.MonkeyPatch) -> None:
    import io

    monkeypatch.setenv("COLUMNS", "200")  # the texts on one line each, whatever the runner

    from engine.cli.records import OUTBOX_COLUMNS, outbox_rows, write_table

    message = {
        "Time": 1767258000.0,
        "Kind": "PAGE",
        "ChannelType": "EMAIL",
        "Subject": "subject\x1b]0;title\x07",
        "Content": "[bold]body\u202eevil",
    }
    stream = io.StringIO()
    write_table(stream, "Outbox", OUTBOX_COLUMNS, outbox_rows([message]))
    shown = stream.getvalue()
    assert not RAW.search(shown)
    assert "subject\\x1b]0;title\\x07" in shown and "[bold]body\\u202eevil" in shown


def test_escape_controls_keeps_ordinary_text_and_escapes_the_rest() -> None:
    assert escape_controls("Zoë 東京 → ok") == "Zoë 東京 → ok"
    assert escape_controls("a\x1bb\x9bc\u202ed\x00") == "a\\x1bb\\x9bc\\u202ed\\x00"
    assert escape_controls("two\nlines\tand a tab") == "two\nlines\tand a tab"
    assert escape_controls("two\nlines", one_line=True) == "two\\x0alines"
    assert safe_text("[bold]x[/bold]").plain == "[bold]x[/bold]"  # never read as markup
