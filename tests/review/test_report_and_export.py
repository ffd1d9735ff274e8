"""The HTML report (with plots, or saying what to install) and the dot and Mermaid exports."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from engine.review.document import ReviewRun
from engine.review.export import export, to_dot, to_mermaid
from engine.review.inputs import scenario_input
from engine.review.report import INSTALL_HINT, PLOTS, write_report
from tests.review.conftest import SEED_ESCALATION, run_review

GOLDEN = Path(__file__).parent / "golden"


@pytest.fixture(scope="module")
def seed_run() -> ReviewRun:
    return run_review(scenario_input(str(SEED_ESCALATION)), replications=2, end="30d")


def test_report_has_html_and_every_plot_when_matplotlib_is_there(
    seed_run: ReviewRun,
    tmp_path: Path,
) -> None:
    pytest.importorskip("matplotlib", reason="matplotlib is not installed (the review extra)")
    written = write_report(seed_run, tmp_path / "report")
    names = sorted(path.name for path in written)
    assert names == sorted(["index.html", *PLOTS])
    for name in PLOTS:
        data = (tmp_path / "report" / name).read_bytes()
        assert data.startswith(b"\x89PNG") and len(data) > 2000
    page = (tmp_path / "report" / "index.html").read_text(encoding="utf-8")
    assert "<img src='tta_cdf.png'" in page and INSTALL_HINT not in page
    assert "example_escalation" in page and "G803" in page


def test_report_without_matplotlib_says_what_to_install(
    seed_run: ReviewRun,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(sys.modules, "matplotlib", None)  # makes `import matplotlib` fail
    written = write_report(seed_run, tmp_path / "plain")
    assert [path.name for path in written] == ["index.html"]
    page = written[0].read_text(encoding="utf-8")
    assert "pip install &#x27;escsim[review]&#x27;" in page
    assert "<img" not in page
    assert "Time to acknowledge" in page


def test_dot_export_of_the_seed_organisation_matches_the_golden_file() -> None:
    graph = scenario_input(str(SEED_ESCALATION)).simulator.graph()
    expected = (GOLDEN / "seed-escalation-engagement.dot").read_text(encoding="utf-8")
    assert to_dot(graph, "seed-escalation-engagement") == expected


def test_mermaid_export_of_the_seed_organisation_matches_the_golden_file() -> None:
    graph = scenario_input(str(SEED_ESCALATION)).simulator.graph()
    expected = (GOLDEN / "seed-escalation-engagement.mmd").read_text(encoding="utf-8")
    assert to_mermaid(graph) == expected


def test_export_refuses_an_unknown_format() -> None:
    graph = scenario_input(str(SEED_ESCALATION)).simulator.graph()
    with pytest.raises(ValueError, match="dot, mermaid"):
        export(graph, "svg")
