"""Translations between products proven with ``escsim equivalence``, and broken ones caught.

The AWS organisations: the seed's (scenarios/seed-escalation-engagement.scenario.yaml) and the
payments organisation (10 people, 3 plans, a weekly London rotation and a weekday Sydney one;
scenarios/cloudformation/payments-oncall.aws-form.yaml, and a copy with one extra pass of every
plan).
Each goes to PagerDuty, Opsgenie and GoAlert and back to AWS, and every step is proven to page
the same people on the same channels at the same offsets for every incident in a year that holds
both zones' clock changes. A translation broken on purpose (a rotation's hand-off an hour late, a
policy's loop left out) is caught with the counterexample a person would look for.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "scenarios" / "seed-escalation-engagement.scenario.yaml"
PAYMENTS = ROOT / "scenarios" / "cloudformation" / "payments-oncall.aws-form.yaml"
PRODUCTS = ("pagerduty", "opsgenie", "goalert")
YEAR = ("--from", "2026-01-05T00:00:00Z", "--window", "1y")


def _escsim(*args: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "engine.cli.main", *args]
    return subprocess.run(command, capture_output=True, text=True, cwd=ROOT, check=False)


def _equivalence(a: str, b: str, *extra: str) -> tuple[int, dict[str, object]]:
    done = _escsim("equivalence", a, b, "--no-statistics", "--output", "json", *extra)
    assert done.returncode in (0, 1), done.stderr
    return done.returncode, json.loads(done.stdout)


@pytest.fixture(scope="module")
def looped(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The payments organisation with one extra pass of each plan (a loop to translate)."""
    document = yaml.safe_load(PAYMENTS.read_text(encoding="utf-8"))
    document["settings"] = {"repeat": 1}
    path = tmp_path_factory.mktemp("payments") / "payments.scenario.yaml"
    path.write_text(yaml.safe_dump(document, sort_keys=False), encoding="utf-8")
    return path


def _translate(source: str, target: str, out: Path) -> Path:
    done = _escsim("translate", source, "--to", target, "--output-file", str(out))
    assert done.returncode == 0, done.stderr
    return out


CASES = [(o, p) for o in ("seed", "payments") for p in PRODUCTS] + [("looped", "opsgenie")]


@pytest.mark.parametrize(("organisation", "product"), CASES)
def test_to_a_product_and_back_is_proven_equivalent(
    organisation: str, product: str, looped: Path, tmp_path: Path
) -> None:
    # A loop after a last step of 0 minutes is exact in Opsgenie only: PagerDuty and GoAlert
    # steps last a minute at least (their translations list it).
    original = str({"seed": SEED, "payments": PAYMENTS, "looped": looped}[organisation])
    there = _translate(original, product, tmp_path / f"{product}.json")
    code, proof = _equivalence(original, f"{product}:{there}", *YEAR)
    if product == "pagerduty":
        # PagerDuty unassigns a rule's people when it escalates: a personal rule as late as the
        # step (akuam's call at +5m of a 5-minute step) never fires there. The translation says
        # so, and the proof finds it.
        assert (code, proof["equivalent"]) == (1, False)
        assert "by VOICE at +5m under A, nobody under B" in str(proof["counterexample"])
    else:
        assert (code, proof["equivalent"]) == (0, True), proof.get("counterexample")
    back = _translate(f"{product}:{there}", "aws", tmp_path / "back.scenario.yaml")
    code, proof = _equivalence(original, str(back), *YEAR)
    assert (code, proof["equivalent"]) == (0, True), proof.get("counterexample")
    assert len(proof["policies"]) == (1 if organisation == "seed" else 3)  # type: ignore[arg-type]


def test_the_pagerduty_translation_lists_the_rules_escalating_cuts(tmp_path: Path) -> None:
    done = _escsim(
        "translate", str(SEED), "--to", "pagerduty", "--output-file", str(tmp_path / "pd.json")
    )
    assert done.returncode == 0
    assert (
        "policy example_escalation: step 1 escalates after 5 minutes, and escalating unassigns "
        "akuam: their rules at +5m, +10m never fire in PagerDuty"
    ) in done.stderr


def _policy(proof: dict[str, object], alias: str) -> dict[str, object]:
    policies = proof["policies"]
    assert isinstance(policies, list)
    return next(p for p in policies if p["a"] == alias)


def test_a_hand_off_an_hour_late_is_caught_at_each_monday_hand_off(tmp_path: Path) -> None:
    export = _translate(str(PAYMENTS), "opsgenie", tmp_path / "og.json")
    document = json.loads(export.read_text(encoding="utf-8"))
    rotation = document["schedules"][0]["rotations"][0]
    assert rotation["startDate"] == "2026-01-05T09:00:00Z"
    rotation["startDate"] = "2026-01-05T10:00:00Z"
    export.write_text(json.dumps(document), encoding="utf-8")
    code, proof = _equivalence(
        str(PAYMENTS), f"opsgenie:{export}", "--from", "2026-02-01T00:00:00Z", "--window", "14d"
    )
    assert (code, proof["equivalent"]) == (1, False)
    # Weekly turns of akua, bongani, chen and dara from 5 January: on Monday 2 February it is
    # akua's from 09:00 under A but still dara's until 10:00 under B.
    assert proof["counterexample"] == (
        "an incident at Mon 2026-02-02 09:00 Europe/London pages payments-akua by EMAIL and SMS "
        "at +0s under A, payments-dara by EMAIL and SMS under B (policy payments-escalation)"
    )
    differences = _policy(proof, "payments-escalation")["differences"]
    assert isinstance(differences, list)
    spans = [
        (d["from"], d["to"]) for d in differences if d["only_a"] and d["only_a"][0]["offset"] == 0
    ]
    assert spans[:2] == [
        ("2026-02-02T09:00:00+00:00", "2026-02-02T10:00:00+00:00"),
        ("2026-02-09T09:00:00+00:00", "2026-02-09T10:00:00+00:00"),
    ]


def test_a_loop_left_out_is_caught_at_the_second_pass(looped: Path, tmp_path: Path) -> None:
    export = _translate(str(looped), "opsgenie", tmp_path / "og.json")
    document = json.loads(export.read_text(encoding="utf-8"))
    for escalation in document["escalations"]:
        escalation.pop("repeat", None)
    export.write_text(json.dumps(document), encoding="utf-8")
    code, proof = _equivalence(
        str(looped), f"opsgenie:{export}", "--from", "2026-02-02T12:00:00Z", "--window", "1d"
    )
    assert (code, proof["equivalent"]) == (1, False)
    # Incident command: hana at once, the Sydney schedule at +5; a pass lasts 15 minutes, so
    # only A pages hana again at +15 (every incident of the window).
    command = _policy(proof, "payments-incident-command")
    differences = command["differences"]
    assert isinstance(differences, list)
    assert differences[0]["from"] == "2026-02-02T12:00:00+00:00"
    assert {(p["person"], p["offset"]) for p in differences[0]["only_a"]} >= {
        ("payments-hana", 900)
    }
    assert differences[0]["only_b"] == []
