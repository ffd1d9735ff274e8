"""The gate on the command line: ``--require``, ``--fail-on``, ``--fail-on-regression``, and the
markdown and SARIF outputs of review, diff and validate."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from engine.review.markdown import code, md
from engine.review.requirements import METRICS
from engine.review.sarif import sarif_log
from tests.review.conftest import SEED_ESCALATION, Run, people, scenario
from tests.review.sarif_schema import validate_sarif
from tests.review.test_analytic import GAPPED_ROTATION

FAST = ("--replications", "2", "--workers", "1", "--to", "30d")
SEED = str(SEED_ESCALATION)


def test_requirements_that_hold_exit_0_and_the_json_says_so(escsim: Run) -> None:
    code, out, err = escsim(
        "review", SEED, *FAST, "--output", "json",
        "--require", "tta.p90 <= 7m", "--require", "coverage.first_stage >= 99.9%",
        "--require", "load.max_pages_per_week <= 10",
    )  # fmt: skip
    assert (code, err) == (0, "")
    gate = json.loads(out)["gate"]
    assert gate["passed"] is True and gate["reasons"] == []
    assert gate["fail_on"] == "error"
    first = gate["requirements"][0]
    assert first == {
        "requirement": "tta.p90 <= 7m",
        "metric": "tta.p90",
        "operator": "<=",
        "limit": 420.0,
        "passed": True,
        "value": 420.0,
        "ci": [420.0, 420.0],
        "of": None,
        "compared": "the upper end of the interval, 7m",
        "measured": "7m, 95% interval 7m to 7m",
    }
    assert gate["requirements"][1]["of"] == "example_escalation"


def test_a_failing_requirement_exits_1_naming_it_with_its_value_and_interval(escsim: Run) -> None:
    code, out, err = escsim(
        "review", SEED, *FAST, "--require", "tta.p90 <= 5m", "--require", "lint.errors == 0"
    )
    assert code == 1
    assert err == (
        "escsim review: tta.p90 <= 5m: fails: measured 7m, 95% interval 7m to 7m; compared the "
        "upper end of the interval, 7m\n"
    )
    assert "Requirements" in out and "FAIL" in out


def test_without_the_gate_options_the_json_is_unchanged(escsim: Run) -> None:
    code, out, _ = escsim("review", SEED, *FAST, "--output", "json")
    assert code == 0 and "gate" not in json.loads(out)


@pytest.mark.parametrize(
    ("expression", "message"),
    [
        ("tta.p90 <= 15", "'15' has no unit: write 15m or 15s"),
        ("tta.p95 <= 15m", "unknown metric 'tta.p95'; known metrics: tta.p50, "),
        ("coverage.first_stage >= 99.9", "write 99.9% for a percentage"),
        ("coverage.first_stage", "expected METRIC OP VALUE"),
    ],
)
def test_a_bad_expression_exits_252_before_anything_runs(
    escsim: Run, expression: str, message: str
) -> None:
    code, out, err = escsim("review", "no-such-file.yaml", "--require", expression)
    assert (code, out) == (252, "")
    assert err.startswith(f"escsim review: --require: requirement {expression!r}: ")
    assert message in err


def test_fail_on_warning_fails_on_the_seeds_warnings_and_error_does_not(escsim: Run) -> None:
    code, _, err = escsim("review", SEED, *FAST, "--fail-on", "error")
    assert (code, err) == (0, "")
    code, out, err = escsim("review", SEED, *FAST, "--fail-on", "warning", "--output", "json")
    assert code == 1
    gate = json.loads(out)["gate"]
    assert (gate["fail_on"], gate["passed"], gate["requirements"]) == ("warning", False, [])
    assert gate["reasons"] == err.replace("escsim review: ", "").splitlines()
    lines = err.splitlines()
    assert len(lines) == 3  # the seed's three warnings, each named
    assert lines[0].startswith("escsim review: warning G802 stage-after-certain-acknowledgement: ")


def test_fail_on_error_fails_on_an_error(escsim: Run, write: Callable[..., str]) -> None:
    text = scenario(
        "contacts:\n"
        + people("a", "b")
        + "  oncall:\n    rotations: [weekly]\n  team:\n    plan:\n"
        "      - {duration: 5, targets: [{contact: oncall, essential: true}]}\n"
        "incidents: {count: 5}\n" + GAPPED_ROTATION,
        start="2026-03-02T00:00:00Z",
    )
    code, _, err = escsim("review", write(text), *FAST, "--fail-on", "error")
    assert code == 1
    assert "escsim review: error G808 escalation-gap: team reaches nobody at all for " in err
    assert "G806" not in err  # a warning: not at --fail-on error


def test_review_markdown_puts_the_verdict_first_and_is_deterministic(
    escsim: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(SEED_ESCALATION.parents[1])
    argv = ("review", SEED, *FAST, "--output", "markdown", "--require", "tta.p90 <= 5m")
    code, first, _ = escsim(*argv)
    _, second, _ = escsim(*argv)
    assert code == 1
    assert first == second
    lines = first.splitlines()
    assert lines[0] == "## ❌ escsim review: fail"
    assert lines[4].startswith("- tta.p90 \\<= 5m: fails: measured 7m, 95% interval 7m to 7m")
    assert "| `tta.p90 <= 5m` | **fail** | 7m, 95% interval 7m to 7m |" in first
    assert "### Key figures" in first and "### Findings (3)" in first
    assert (
        "- **warning G802** stage-after-certain-acknowledgement "
        "(scenarios/seed-escalation-engagement.scenario.yaml:26, "
        "contact/akuam.Plan.Stages\\[2\\]): stage 2 of akuam starts 10 min after the page, "
        "but the responder model acknowledges within 7m\n"
    ) in first
    code, passing, _ = escsim("review", SEED, *FAST, "--output", "markdown")
    assert code == 0 and passing.startswith("## ✅ escsim review: pass\n")


def test_markdown_reads_text_from_the_file_as_text() -> None:
    assert md("a<b>|*c*_[x](y)`") == "a\\<b\\>\\|\\*c\\*\\_\\[x\\](y)\\`"
    # Controls are escaped as text (\\x1b), whose backslash Markdown then shows as written.
    assert md("two\nlines\x1b[31m") == "two\\\\x0alines\\\\x1b\\[31m"


def test_values_in_what_changed_are_code_spans() -> None:
    assert code("5m: akuam") == "`5m: akuam`"
    assert code("a`b") == "``a`b``"
    assert code("`x") == "`` `x ``"
    assert code("") == code(None) == "(none)"


def test_review_sarif_is_valid_located_and_deterministic(
    escsim: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(SEED_ESCALATION.parents[1])
    argv = ("review", "scenarios/" + SEED_ESCALATION.name, *FAST, "--output", "sarif")
    code, first, _ = escsim(*argv)
    _, second, _ = escsim(*argv)
    assert code == 0 and first == second
    log = json.loads(first)
    validate_sarif(log)
    run = log["runs"][0]
    driver = run["tool"]["driver"]
    assert driver["name"] == "escsim"
    rules = {rule["id"]: rule for rule in driver["rules"]}
    assert rules["G802"]["name"] == "stage-after-certain-acknowledgement"
    assert rules["G808"]["defaultConfiguration"] == {"level": "error"}
    assert rules["G802"]["help"]["text"].startswith("The contact's responder model always")
    results = run["results"]
    assert [r["ruleId"] for r in results] == ["G802", "G803", "G803"]
    first_result = results[0]
    assert first_result["level"] == "warning"
    assert driver["rules"][first_result["ruleIndex"]]["id"] == "G802"
    physical = first_result["locations"][0]["physicalLocation"]
    assert physical == {
        "artifactLocation": {"uri": "scenarios/seed-escalation-engagement.scenario.yaml"},
        "region": {"startLine": 26},
    }


def test_an_absolute_path_becomes_relative_to_the_working_directory(
    escsim: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(SEED_ESCALATION.parent)
    code, out, _ = escsim("validate", str(SEED_ESCALATION.resolve()), "--output", "sarif")
    assert code == 0
    log = json.loads(out)
    validate_sarif(log)
    assert log["runs"][0]["artifacts"] == [{"location": {"uri": SEED_ESCALATION.name}}]


def test_validate_sarif_gives_errors_their_level_and_line(
    escsim: Run, write: Callable[..., str]
) -> None:
    text = scenario(
        """
contacts:
  a:
    channels: {sms: {type: SMS, address: "+15550100", activated: false}}
    plan: [{duration: 5, targets: [{channel: sms}]}]
  team:
    plan: [{duration: 5, targets: [{contact: a, essential: true}]}]
"""
    )
    path = write(text)
    code, out, _ = escsim("validate", path, "--output", "sarif")
    _, validated, _ = escsim("validate", path, "--output", "json")
    assert code == 1
    log = json.loads(out)
    validate_sarif(log)
    findings = json.loads(validated)["scenarios"][0]["findings"]
    results = log["runs"][0]["results"]
    assert [(r["ruleId"], r["level"]) for r in results] == [
        (f["Id"], f["Severity"]) for f in findings
    ]
    assert "error" in {r["level"] for r in results}
    lines = [
        r["locations"][0]["physicalLocation"].get("region", {}).get("startLine") for r in results
    ]
    assert lines == [f.get("Line") for f in findings]


# --- diff ----------------------------------------------------------------------------------------

COVERED = """
rotations:
  weekly:
    members: [a, b]
    start: 2026-03-02T00:00:00Z
    zone: Europe/London
    weekly: [{day: MON, at: "10:00"}]
"""


def _versions(write: Callable[..., str], old: str, new: str) -> tuple[str, str]:
    body = (
        "contacts:\n"
        + people("a", "b")
        + "  oncall:\n    rotations: [weekly]\n  team:\n    plan:\n"
        "      - {duration: 5, targets: [{contact: oncall, essential: true}]}\n"
        "responders:\n  a: {acknowledges_after: 2m}\n  b: {acknowledges_after: 2m}\n"
        "incidents: {count: 20}\n"
    )
    start = "2026-03-02T00:00:00Z"
    return (
        write(scenario(body + old, start=start), "old.scenario.yaml"),
        write(scenario(body + new, start=start), "new.scenario.yaml"),
    )


def test_diff_fails_on_coverage_lost_naming_it(escsim: Run, write: Callable[..., str]) -> None:
    old, new = _versions(write, COVERED, GAPPED_ROTATION)
    code, out, err = escsim("diff", old, new, *FAST, "--fail-on-regression", "--output", "json")
    assert code == 1
    assert json.loads(out)["changes"]["coverage"]
    assert (
        "escsim diff: coverage lost: oncall (every stage) reaches nobody for 5h more in 5 " in err
    )
    assert "escsim diff: coverage lost: team (first stage) reaches nobody for 5h more" in err
    assert "escsim diff: new finding warning G806 first-stage-gap at contact/team.Plan" in err
    _, comment, _ = escsim("diff", old, new, *FAST, "--fail-on-regression", "--output", "markdown")
    assert comment.startswith("## ❌ escsim diff: fail\n\nRegressions:\n\n- coverage lost: oncall")
    assert "| team | first | 5h | 0s |" in comment
    assert "### Findings gained (3)" in comment and "### Findings lost\n\nNone." in comment


def test_diff_passes_when_coverage_is_gained(escsim: Run, write: Callable[..., str]) -> None:
    old, new = _versions(write, GAPPED_ROTATION, COVERED)
    code, _, err = escsim("diff", old, new, *FAST, "--fail-on-regression")
    assert (code, err) == (0, "")
    # Without the flag a diff still exits 1 because the versions differ.
    assert escsim("diff", old, new, *FAST)[0] == 1


def test_diff_fails_when_p90_is_worse_beyond_its_interval(
    escsim: Run, write: Callable[..., str]
) -> None:
    # The escalation first engages alejr, who never acknowledges, then akuam (READ at 7m):
    # P90 goes from 7m to 12m.
    text = SEED_ESCALATION.read_text(encoding="utf-8")
    marker = "example_escalation:"
    head, tail = text.split(marker)
    swapped = tail.replace("contact: akuam", "contact: @@").replace(
        "contact: alejr", "contact: akuam"
    )
    swapped = swapped.replace("contact: @@", "contact: alejr")
    assert swapped != tail
    new = write(head + marker + swapped, "swapped.scenario.yaml")
    code, out, err = escsim(
        "diff", SEED, new, *FAST, "--fail-on-regression", "--output", "markdown"
    )
    assert code == 1
    assert (
        "escsim diff: P90 time to acknowledge worse beyond its interval: 12m now, 7m before "
        "(95% interval up to 7m)\n"
    ) in err
    assert out.startswith("## ❌ escsim diff: fail\n\nRegressions:\n\n- P90 time to acknowledge")
    assert "| P90 | 7m | 12m |" in out


def test_a_finding_whose_message_changed_is_no_regression(
    escsim: Run, write: Callable[..., str]
) -> None:
    # Ten-minute stages: G803's message changes (the VOICE stage no longer comes too late), but
    # it is the same finding at the same place; the P90 is unchanged. Not a regression.
    text = SEED_ESCALATION.read_text(encoding="utf-8")
    head, tail = text.split("example_escalation:")
    slower = write(head + "example_escalation:" + tail.replace("duration: 5", "duration: 10"))
    code, out, err = escsim(
        "diff", SEED, slower, *FAST, "--fail-on-regression", "--output", "markdown"
    )
    assert (code, err) == (0, "")
    assert out.startswith("## ✅ escsim diff: pass\n")
    assert (
        "- changed contact **example\\_escalation** stage 0: `5m: akuam (essential)` → "
        "`10m: akuam (essential)`\n"
    ) in out
    assert "| akuam | " not in out  # nobody's load changed: no table of it
    _, again, _ = escsim(
        "diff", SEED, slower, *FAST, "--fail-on-regression", "--output", "markdown"
    )
    assert again == out


def test_diff_sarif_holds_the_findings_new_gained(escsim: Run, write: Callable[..., str]) -> None:
    old, new = _versions(write, COVERED, GAPPED_ROTATION)
    code, out, _ = escsim("diff", old, new, *FAST, "--output", "sarif")
    assert code == 1
    log: dict[str, Any] = json.loads(out)
    validate_sarif(log)
    results = log["runs"][0]["results"]
    assert {r["ruleId"] for r in results} == {"G806", "G807", "G808"}
    uri = log["runs"][0]["artifacts"][0]["location"]["uri"]
    assert uri.endswith("new.scenario.yaml")
    assert all(
        r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == uri for r in results
    )
    assert (
        Path(new)
        .read_text(encoding="utf-8")
        .splitlines()[results[0]["locations"][0]["physicalLocation"]["region"]["startLine"] - 1]
        .strip()
    )


def test_sarif_of_an_input_that_is_no_file_has_logical_locations_only() -> None:
    finding = {
        "Id": "G402",
        "Name": "unreachable-contact",
        "Severity": "warning",
        "Path": "contact/akuam.Plan",
        "Message": "akuam's plan pages no activated channel",
    }
    log = sarif_log([finding], None)
    validate_sarif(log)
    run: Any = log["runs"][0]
    assert "artifacts" not in run
    (result,) = run["results"]
    assert result["locations"] == [
        {"logicalLocations": [{"fullyQualifiedName": "contact/akuam.Plan", "kind": "resource"}]}
    ]
    assert result["message"] == {"text": "akuam's plan pages no activated channel"}


def test_a_finding_that_names_its_own_file_is_located_there() -> None:
    findings = [
        {"Id": "G402", "Severity": "warning", "Path": "contact/a.Plan", "Message": "a", "Line": 3},
        {
            "Id": "G301",
            "Severity": "warning",
            "Path": "channel/b",
            "Message": "b",
            "Line": 7,
            "File": "infra/channels.tf",
        },
    ]
    log = sarif_log(findings, "infra/main.tf")
    validate_sarif(log)
    run: Any = log["runs"][0]
    located = [
        r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in run["results"]
    ]
    assert located == ["infra/main.tf", "infra/channels.tf"]
    assert run["artifacts"] == [
        {"location": {"uri": "infra/main.tf"}},
        {"location": {"uri": "infra/channels.tf"}},
    ]


def test_require_question_mark_lists_every_metric(escsim: Run) -> None:
    code, out, err = escsim("review", "--require", "?")
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert [line.split()[0] for line in lines[:-1]] == list(METRICS)
    assert lines[2].split()[:2] == ["tta.p99", "duration"]
    assert lines[-1].startswith("METRIC OP VALUE, OP one of <=, <, >=, >, ==")
