"""An AWS organisation translated to AWS (scenario file or CloudFormation) and read back pages
exactly as the original does.

Each source (every scenario of the behaviour library with an organisation, and the example
templates) is translated with ``escsim translate --to aws``; the written scenario (or the
template read back by the ``cfn:`` source, then written as a scenario again) gets the same
probe as the original: every contact (person, schedule, escalation plan) engaged at instants
that cross hand-offs, overrides, shift coverages and the March DST change, nobody
acknowledging. The pages (when, whom, on which channel) of ``escsim run --output json`` must
be the same."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from cfnlint.api import lint_file

from engine.cli.main import main

ROOT = Path(__file__).resolve().parents[2]
SCENARIOS = ROOT / "scenarios"

# (source, probe start) chosen so that the probe crosses hand-offs, overrides and a DST change.
CHOSEN = {
    "seed-escalation-engagement.scenario.yaml": "2026-01-01T09:00:00Z",
    "cloudformation/payments-oncall.template.yaml": "2026-03-01T06:00:00Z",
    "cloudformation/payments-oncall.aws-form.yaml": "2026-03-01T06:00:00Z",
    "cloudformation/cdk-oncall.template.json": "2026-03-01T06:00:00Z",
    "oncall/an-override-replaces-who-is-on-call.scenario.yaml": "2026-01-05T00:00:00Z",
    "oncall/overlapping-overrides-the-latest-wins.scenario.yaml": "2026-01-01T00:00:00Z",
    "oncall/shift-coverages-limit-on-call-time.scenario.yaml": "2026-01-05T00:00:00Z",
    "oncall/a-schedule-of-eight-rotations-follows-the-sun.scenario.yaml": "2026-03-01T00:00:00Z",
    "oncall/layered-schedules-page-the-last-rotation-with-anyone-on-call.scenario.yaml": (
        "2026-01-05T00:00:00Z"
    ),
}


def _cases() -> list[tuple[str, str]]:
    """Every scenario file of the behaviour library holding one organisation with contacts
    (probed from its own start), and the chosen sources above."""
    cases = dict(CHOSEN)
    for path in sorted(SCENARIOS.rglob("*.scenario.yaml")):
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
        if "scenarios" in document or not document.get("contacts"):
            continue
        start = document.get("start") or dt.datetime(2026, 3, 1, tzinfo=dt.UTC)
        name = str(path.relative_to(SCENARIOS))
        cases.setdefault(name, start.isoformat().replace("+00:00", "Z"))
    return sorted(cases.items())


CASES = _cases()
OFFSETS = ["0m", "7h", "37h", "3d", "30d", "29d", "28d"]  # 28-30d after 03-01: the DST change


def _cli(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(argv)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def _translate(
    source: str, out: Path, capsys: pytest.CaptureFixture[str], *extra: str
) -> list[str]:
    code, _, err = _cli(
        ["translate", source, "--to", "aws", "-o", str(out), "--output", "json", *extra], capsys
    )
    assert code == 0, err
    constructs: list[str] = json.loads(err[err.index("[") :])
    return constructs


def _offsets(written: dict[str, Any], start: str) -> list[str]:
    """:data:`OFFSETS`, and the middle of every override of the written organisation."""
    origin = dt.datetime.fromisoformat(start)
    minutes = {_minutes(at) for at in OFFSETS}
    for override in written.get("overrides") or []:
        low = dt.datetime.fromisoformat(str(override["StartTime"]))
        high = dt.datetime.fromisoformat(str(override["EndTime"]))
        middle = low + (min(high, low + dt.timedelta(days=2)) - low) / 2
        if middle > origin:
            minutes.add(int((middle - origin).total_seconds() // 60))
    return [f"{m}m" for m in sorted(minutes)]


def _probe(
    document: dict[str, Any], start: str, offsets: list[str], settings: dict[str, Any], path: Path
) -> Path:
    """``document``'s organisation with a script engaging every contact at each offset from
    ``start``; no expectations, no responders."""
    contacts = document.get("contacts") or {}
    # Every contact: people (their own plans), schedules and escalation plans.
    engaged = list(contacts) if isinstance(contacts, dict) else [c["Alias"] for c in contacts]
    assert engaged
    probe = {k: v for k, v in document.items() if k not in ("script", "expect", "responders")}
    probe.update(start=start, seed=3)
    if settings:
        probe["settings"] = settings
    probe["script"] = [
        {
            "at": at,
            "StartEngagement": {"ContactId": alias, "Sender": "t", "Subject": "s", "Content": "c"},
        }
        for at in offsets
        for alias in engaged
    ]
    path.write_text(yaml.safe_dump(probe, sort_keys=False), encoding="utf-8")
    return path


def _minutes(at: str) -> int:
    return int(at[:-1]) * {"m": 1, "h": 60, "d": 1440}[at[-1]]


def _pages(path: Path, capsys: pytest.CaptureFixture[str]) -> list[tuple[float, str, str, str]]:
    code, out, err = _cli(["run", str(path), "--output", "json"], capsys)
    assert code == 0, err
    result = json.loads(out)
    return [
        (m["Time"], m["ContactArn"].rsplit("/", 1)[-1], m["ChannelType"], m["DeliveryAddress"])
        for m in result["outbox"]
        if m["Kind"] == "PAGE"
    ]


def _original(name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> dict[str, Any]:
    path = SCENARIOS / name
    if ".template." not in name:
        document: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
        return document
    # A template's organisation as the engine reads it: the cfn: source's own scenario.
    out = tmp_path / "original.yaml"
    _translate(str(path), out, capsys)
    document = yaml.safe_load(out.read_text(encoding="utf-8"))
    return document


@pytest.mark.parametrize(("name", "start"), CASES, ids=[c[0] for c in CASES])
def test_the_scenario_written_pages_as_the_source(
    name: str, start: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    original = _original(name, tmp_path, capsys)
    written = tmp_path / "written.yaml"
    constructs = _translate(str(SCENARIOS / name), written, capsys)
    document = yaml.safe_load(written.read_text(encoding="utf-8"))
    assert "settings" not in document
    settings = dict(original.get("settings") or {})
    repeat = settings.pop("repeat", None)  # written out as the plans' stages
    for setting, value in settings.items():
        assert any(line.startswith(f"setting {setting}=") for line in constructs), value
    offsets = _offsets(document, start)
    kept = {**settings, **({"repeat": repeat} if repeat else {})}
    before = _pages(_probe(original, start, offsets, kept, tmp_path / "a.yaml"), capsys)
    after = _pages(_probe(document, start, offsets, settings, tmp_path / "b.yaml"), capsys)
    assert before or name not in CHOSEN, "the probe pages somebody"
    assert after == before


@pytest.mark.parametrize(("name", "start"), CASES, ids=[c[0] for c in CASES])
def test_the_template_written_reads_back_and_pages_as_the_source(
    name: str, start: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    original = _original(name, tmp_path, capsys)
    template = tmp_path / "stack.template.yaml"
    argv = ["translate", str(SCENARIOS / name), "--to", "aws", "--format", "cloudformation"]
    code, _, err = _cli([*argv, "-o", str(template), "--output", "json"], capsys)
    assert code == 0, err
    constructs: list[str] = json.loads(err[err.index("[") :])
    if name in CHOSEN:  # cfn-lint takes a second a template: the chosen sources cover it
        assert [str(match) for match in lint_file(template)] == []
    # The same organisation as a scenario (proven above to page as the source) less its
    # overrides, which a template cannot hold: each is listed instead.
    aws_form = tmp_path / "aws-form.yaml"
    _translate(str(SCENARIOS / name), aws_form, capsys)
    expected = yaml.safe_load(aws_form.read_text(encoding="utf-8"))
    overrides = expected.pop("overrides", [])
    # A template cannot say a channel is activated: those that are not are listed, and the
    # cfn: source reads every channel as activated.
    for channel in expected.get("channels") or []:
        if channel.get("ActivationStatus") != "ACTIVATED":
            line = f"channel {channel['Name']} is not activated, which a template cannot say"
            assert any(line in construct for construct in constructs)
            channel["ActivationStatus"] = "ACTIVATED"
    listed = [line for line in constructs if "create-rotation-override" in line]
    assert len(listed) == len(overrides)
    for override in overrides:
        assert any(override["RotationOverrideId"] in line for line in listed)
    # Read back through the cfn: source, in the source's region, and written as a scenario.
    again = tmp_path / "again.yaml"
    region = str(original.get("region") or "us-east-1")
    _translate(f"cfn:{template}", again, capsys, "--region", region)
    document = yaml.safe_load(again.read_text(encoding="utf-8"))
    settings = {k: v for k, v in (original.get("settings") or {}).items() if k != "repeat"}
    offsets = _offsets(yaml.safe_load(aws_form.read_text(encoding="utf-8")), start)
    before = _pages(_probe(expected, start, offsets, settings, tmp_path / "a.yaml"), capsys)
    after = _pages(_probe(document, start, offsets, settings, tmp_path / "b.yaml"), capsys)
    assert before or name not in CHOSEN
    assert after == before


def test_the_payments_template_written_is_the_same_organisation_for_diff(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The review's own judgement: the same coverage, load and time to acknowledge."""
    source = SCENARIOS / "cloudformation" / "payments-oncall.aws-form.yaml"
    template = tmp_path / "payments.template.yaml"
    argv = ["translate", str(source), "--to", "aws", "--format", "cloudformation"]
    code, _, err = _cli([*argv, "-o", str(template)], capsys)
    assert code == 0, err
    window = ["--from", "2026-01-05T00:00:00Z", "--to", "60d", "--replications", "4"]
    diff = ["diff", *window, "--no-progress", "--output", "json", str(source), f"cfn:{template}"]
    code, out, err = _cli(diff, capsys)
    assert code == 0, out + err
