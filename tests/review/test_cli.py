"""`escsim review`, `escsim diff` and `escsim graph` on the command line: output and exit codes."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.review.conftest import SEED_ESCALATION, Run, people, scenario

FAST = ("--replications", "2", "--workers", "1", "--to", "30d")


def test_review_json_is_one_document_with_every_section(escsim: Run) -> None:
    code, out, err = escsim("review", str(SEED_ESCALATION), *FAST, "--output", "json")
    assert (code, err) == (0, "")
    document = json.loads(out)
    assert list(document) == [
        "escsim", "input", "window", "incident_model", "lint", "coverage", "forecast",
    ]  # fmt: skip
    assert document["window"]["to"] == "2026-01-31T09:00:00+00:00"
    assert document["forecast"]["replications"] == 2


def test_review_tables_for_people(escsim: Run) -> None:
    code, out, _ = escsim("review", str(SEED_ESCALATION), *FAST)
    assert code == 0
    for heading in ("Lint: findings by kind", "Time to acknowledge", "Load per person", "Fairness"):
        assert heading in out


def test_review_exits_1_when_lint_finds_an_error(escsim: Run, write: Callable[..., str]) -> None:
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
    code, out, _ = escsim("review", write(text), *FAST, "--output", "json")
    assert code == 1
    assert json.loads(out)["lint"]["errors"] > 0


def test_review_bad_arguments_exit_252(escsim: Run) -> None:
    assert escsim("review", str(SEED_ESCALATION), "--replications", "0")[0] == 252
    code, _, err = escsim("review", str(SEED_ESCALATION), "--to", "yesterday")
    assert code == 252 and "--to: not an instant or a duration" in err
    code, _, err = escsim("review", str(SEED_ESCALATION), "--from", "2026-02-01T00:00:00Z",
                          "--to", "2026-01-01T00:00:00Z")  # fmt: skip
    assert code == 252 and "the review window is empty" in err
    code, _, err = escsim("review")
    assert code == 252 and "name a scenario file" in err


def test_review_unreadable_inputs_exit_253(escsim: Run, tmp_path: Path) -> None:
    code, _, err = escsim("review", str(tmp_path / "missing.scenario.yaml"))
    assert code == 253 and "no such file" in err
    model = tmp_path / "model.yaml"
    model.write_text("rate: 1/day\ntargets: [nobody]\n", encoding="utf-8")
    code, _, err = escsim("review", str(SEED_ESCALATION), *FAST, "--incidents", str(model))
    assert code == 253 and "target 'nobody' names no contact" in err
    code, _, err = escsim("review", "--workspace", str(tmp_path / "none"))
    assert code == 253


def test_review_of_a_workspace(escsim: Run, tmp_path: Path) -> None:
    workspace = str(tmp_path / "ws")
    code, _, _ = escsim(
        "workspace", "init", "--from", str(SEED_ESCALATION), "--workspace", workspace
    )
    assert code == 0
    code, out, err = escsim("review", "--workspace", workspace, *FAST, "--output", "json")
    assert (code, err) == (0, "")
    document = json.loads(out)
    assert document["input"]["source"] == workspace
    assert [t["contact"] for t in document["forecast"]["targets"]] == ["example_escalation"]


def test_review_report_directory(escsim: Run, tmp_path: Path) -> None:
    code, _, _ = escsim("review", str(SEED_ESCALATION), *FAST, "--report", str(tmp_path / "r"),
                        "--output", "json")  # fmt: skip
    assert code == 0
    assert (tmp_path / "r" / "index.html").exists()


def test_review_with_dask_missing_says_what_to_install(
    escsim: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sys

    monkeypatch.setitem(sys.modules, "dask.distributed", None)
    code, _, err = escsim("review", str(SEED_ESCALATION), *FAST, "--dask", "local")
    assert code == 252
    assert "pip install 'escsim[dask]'" in err


def test_diff_exits_0_for_the_same_file_and_1_for_a_change(
    escsim: Run, write: Callable[..., str]
) -> None:
    plan = """
  team:
    plan:
      - {duration: MINUTES, targets: [{contact: a, essential: true}]}
      - {duration: 5, targets: [{contact: b, essential: true}]}
responders:
  a: {probability: 0.5, delay: {fixed: 3m}}
incidents: {count: 10}
"""
    base = "contacts:\n" + people("a", "b") + plan
    old = write(scenario(base.replace("MINUTES", "5")), "old.scenario.yaml")
    new = write(scenario(base.replace("MINUTES", "2")), "new.scenario.yaml")
    code, out, _ = escsim("diff", old, old, *FAST, "--output", "json")
    assert code == 0 and json.loads(out)["identical"] is True
    code, out, _ = escsim("diff", old, new, *FAST, "--output", "json")
    assert code == 1
    changes = json.loads(out)["changes"]
    assert {row["contact"] for row in changes["load"]} == {"b"}  # b is paged sooner, more often
    code, out, _ = escsim("diff", old, new, *FAST)
    assert code == 1 and "Load per person" in out


def test_graph_prints_dot_and_mermaid(escsim: Run) -> None:
    code, out, _ = escsim("graph", str(SEED_ESCALATION))
    assert code == 0 and out.startswith('digraph "seed-escalation-engagement" {')
    code, out, _ = escsim("graph", str(SEED_ESCALATION), "--format", "mermaid")
    assert code == 0 and out.startswith("flowchart LR\n")
    assert escsim("graph")[0] == 252
    assert escsim("graph", str(SEED_ESCALATION), "--format", "svg")[0] == 252


def test_review_says_when_no_incident_arrived(escsim: Run) -> None:
    code, out, _ = escsim("review", str(SEED_ESCALATION), "--to", "1m", "--workers", "1")
    assert code == 0
    assert "no incident arrived in the window" in out


def test_review_of_a_file_with_several_scenarios_needs_one_named(
    escsim: Run, write: Callable[..., str]
) -> None:
    text = "version: 1\ncontacts:\n" + people("a") + "scenarios:\n  - name: one\n  - name: two\n"
    path = write(text)
    code, _, err = escsim("review", path, *FAST)
    assert code == 252 and "choose one with --scenario NAME" in err
    code, out, _ = escsim("review", path, *FAST, "--scenario", "two", "--output", "json")
    assert code == 0 and json.loads(out)["input"]["name"] == "two"
