"""Settings are discoverable: ``--set ?`` and ``--set NAME=?`` wherever ``--set`` is taken, one line
per setting from the one table in ``engine.knobs``, which docs/semantics.md carries verbatim; bad
settings point to docs/semantics.md."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from engine.cli.main import main
from engine.knobs import DOCS, KNOB_NAMES, SETTINGS, KnobError, Knobs, markdown_table

ROOT = Path(__file__).resolve().parents[2]

# Every command that takes --set, as the words before it.
COMMANDS = [["run"], ["serve"], ["workspace", "init"]]


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_set_question_mark_lists_every_setting_one_line_each(
    command: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main([*command, "--set", "?"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[-1] == f"Rules and values are described in {DOCS}."
    lines = out[:-1]
    assert [line.split()[0] for line in lines] == list(KNOB_NAMES)
    for line, setting in zip(lines, SETTINGS, strict=True):
        assert setting.values in line
        assert f"default {setting.default}" in line
        assert line.endswith(setting.summary)


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_set_name_question_mark_lists_that_setting(
    command: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main([*command, "--set", "delivery_receipts=?"]) == 0
    (line, _docs) = capsys.readouterr().out.splitlines()
    assert line.split()[:4] == ["delivery_receipts", "accept|carrier", "default", "accept"]
    assert "AcceptPage(AcceptType=DELIVERED)" in line


def test_a_per_type_family_lists_each_channel_type(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["run", "--set", "latency=?"]) == 0
    lines = capsys.readouterr().out.splitlines()[:-1]
    assert [(line.split()[0], line.split()[4]) for line in lines] == [
        ("latency.SMS", "5"),
        ("latency.VOICE", "20"),
        ("latency.EMAIL", "30"),
    ]


def test_the_listed_defaults_are_the_defaults_in_force(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["run", "--set", "?"]) == 0
    lines = capsys.readouterr().out.splitlines()[:-1]
    listed = {line.split()[0]: line.split("default ", 1)[1].split()[0] for line in lines}
    assert set(listed) == set(KNOB_NAMES)
    for name, default in listed.items():
        assert Knobs.from_mapping({name: default}) == Knobs(), name


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_asking_about_an_unknown_setting_is_a_usage_error_pointing_to_the_docs(
    command: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main([*command, "--set", "latencies=?"]) == 252
    err = capsys.readouterr().err
    assert "'latencies'" in err and "known: repeat" in err and DOCS in err


def test_a_bad_setting_points_to_the_docs(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["run", "missing.scenario.yaml", "--set", "retry_mode=often"]) == 252
    err = capsys.readouterr().err
    assert "retry_mode" in err and "on_failure, until_ack" in err and DOCS in err
    with pytest.raises(KnobError, match=re.escape(DOCS)):
        Knobs.from_mapping({"delivery_receipts": "email"})


def test_docs_semantics_carries_the_settings_table_of_the_code() -> None:
    text = (ROOT / DOCS).read_text(encoding="utf-8")
    assert markdown_table() in text
