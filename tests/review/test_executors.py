"""Executors: the same seed gives byte-identical JSON in this process, in worker processes and
on a Dask cluster."""

from __future__ import annotations

import importlib.util

import pytest

from engine.cli.output import dump_json
from engine.review.executors import (
    IN_PROCESS_BELOW,
    DaskExecutor,
    InProcess,
    Processes,
    choose_executor,
    chunks,
)
from engine.review.inputs import ReviewInput, scenario_input
from tests.review.conftest import SEED_ESCALATION, people, run_review, scenario

HAS_DASK = importlib.util.find_spec("dask") is not None and (
    importlib.util.find_spec("distributed") is not None
)

ORGANISATION = scenario(
    """
settings: {fail_probability: 0.2}
contacts:
"""
    + people("a", "b", "c")
    + """
  oncall:
    rotations: [weekly]
  team:
    plan:
      - {duration: 5, targets: [{contact: oncall, essential: true}]}
      - {duration: 5, targets: [{contact: c, essential: true}]}
rotations:
  weekly:
    members: [a, b]
    zone: Europe/London
    weekly: [{day: MON, at: "09:00"}]
responders:
  c: {probability: 0.8, delay: {lognormal: {median: 2m, sigma: 0.5}}}
incidents:
  count: 25
  default_responder:
    probability: 0.7
    delay: {exponential: {mean: 4m}}
    channels: {VOICE: {fixed: 1m}}
    sleep: {start: "23:00", end: "07:00", probability: 0.3}
"""
)


@pytest.fixture(scope="module")
def organisation(tmp_path_factory: pytest.TempPathFactory) -> ReviewInput:
    path = tmp_path_factory.mktemp("org") / "org.scenario.yaml"
    path.write_text(ORGANISATION, encoding="utf-8")
    return scenario_input(str(path))


@pytest.fixture(scope="module")
def in_process(organisation: ReviewInput) -> str:
    return dump_json(run_review(organisation, replications=4, end="60d").document)


def test_chunks_cover_every_index_once_in_order() -> None:
    parts = chunks(list(range(100)), 2)
    assert [i for part in parts for i in part] == list(range(100))
    assert len(parts) == 25
    assert chunks([0, 1, 2], 2) == [[0], [1], [2]]


def test_choose_executor_runs_one_replication_here() -> None:
    assert isinstance(choose_executor(1, 4), InProcess)
    assert isinstance(choose_executor(10, 1), InProcess)
    assert isinstance(choose_executor(10, 2), Processes)
    assert isinstance(choose_executor(10, 2, "local"), DaskExecutor)


@pytest.fixture
def four_cpus(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("engine.review.executors.os.cpu_count", lambda: 4)
    monkeypatch.setattr("engine.review.executors.os.getloadavg", lambda: (0.0, 0.0, 0.0))


def test_by_default_workers_only_use_idle_cpus(
    four_cpus: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("engine.review.executors.os.getloadavg", lambda: (2.2, 2.0, 2.0))
    some = choose_executor(20, engagements=10 * IN_PROCESS_BELOW)
    assert isinstance(some, Processes) and some.workers == 3  # this process and 2 idle CPUs
    monkeypatch.setattr("engine.review.executors.os.getloadavg", lambda: (4.0, 4.0, 4.0))
    assert isinstance(choose_executor(20, engagements=10 * IN_PROCESS_BELOW), InProcess)
    assert isinstance(choose_executor(20, 2, engagements=10 * IN_PROCESS_BELOW), Processes)


@pytest.mark.usefixtures("four_cpus")
def test_by_default_a_small_review_runs_here_and_a_large_one_in_workers() -> None:
    small = choose_executor(20, engagements=IN_PROCESS_BELOW - 1)
    large = choose_executor(20, engagements=IN_PROCESS_BELOW)
    assert isinstance(small, InProcess)
    assert isinstance(large, Processes) and large.workers == 4
    capped = choose_executor(3, engagements=10 * IN_PROCESS_BELOW)
    assert isinstance(capped, Processes) and capped.workers == 3  # no more than replications


@pytest.mark.usefixtures("four_cpus")
def test_workers_given_are_used_whatever_the_size() -> None:
    assert isinstance(choose_executor(20, 2, engagements=10), Processes)
    assert isinstance(choose_executor(20, 1, engagements=10 * IN_PROCESS_BELOW), InProcess)
    assert isinstance(choose_executor(20, None, "local", engagements=10), DaskExecutor)


@pytest.mark.usefixtures("four_cpus")
def test_the_command_sizes_a_review_by_replications_times_incidents() -> None:
    import argparse

    from engine.cli.review import choose
    from engine.review.document import window

    seed = scenario_input(str(SEED_ESCALATION))  # one incident a day by default
    year = window(seed, None, None)
    options = {"workers": None, "dask": None}
    few = argparse.Namespace(replications=20, **options)  # 20 x 365 = 7,300 engagements
    many = argparse.Namespace(replications=100, **options)  # 36,500
    assert isinstance(choose(few, seed, year), InProcess)
    assert isinstance(choose(many, seed, year), Processes)
    assert isinstance(choose(few, seed, year, runs=4), Processes)  # a diff runs two forecasts


def test_the_same_review_twice_gives_the_same_bytes(
    organisation: ReviewInput, in_process: str
) -> None:
    assert dump_json(run_review(organisation, replications=4, end="60d").document) == in_process


def test_worker_processes_give_the_same_json_as_one_process(
    organisation: ReviewInput, in_process: str
) -> None:
    run = run_review(organisation, replications=4, end="60d", executor=Processes(2))
    assert dump_json(run.document) == in_process


@pytest.mark.skipif(not HAS_DASK, reason="dask[distributed] is not installed (the dask extra)")
def test_a_dask_local_cluster_gives_the_same_json_as_one_process(
    organisation: ReviewInput, in_process: str
) -> None:
    executor = DaskExecutor("local", 2, processes=False)
    run = run_review(organisation, replications=4, end="60d", executor=executor)
    assert dump_json(run.document) == in_process


def test_a_different_seed_gives_a_different_forecast(
    organisation: ReviewInput, in_process: str
) -> None:
    run = run_review(organisation, replications=4, end="60d", seed=2)
    assert dump_json(run.document) != in_process


def test_the_forecast_draws_from_every_model(organisation: ReviewInput) -> None:
    forecast = run_review(organisation, replications=2, end="60d").document["forecast"]
    assert forecast["engagements"] == 50
    assert 0.0 < forecast["time_to_acknowledge"]["no_acknowledgement"]["value"] < 1.0
    sms = forecast["messages_per_engagement"]["SMS"]["value"]
    assert sms > 1.0  # 20% of sends fail and are retried


def test_a_replication_is_the_same_after_others_ran_in_its_thread(
    organisation: ReviewInput,
) -> None:
    import threading

    from engine.review.document import window
    from engine.review.forecast import plan_forecast, run_chunk

    start, end = window(organisation, None, "60d")
    job = plan_forecast(organisation, start, end, 4, 1).job
    after_others = run_chunk(job, [0, 1, 2])[2]
    fresh: list[object] = []
    thread = threading.Thread(target=lambda: fresh.extend(run_chunk(job, [2])))
    thread.start()
    thread.join()
    assert fresh == [after_others]


def test_pages_counted_in_small_batches_give_the_same_load(
    organisation: ReviewInput, in_process: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The tally holds pages and counts them into the load later; when it counts changes nothing.
    monkeypatch.setattr("engine.review.forecast._HELD_PAGES", 1)
    run = run_review(organisation, replications=4, end="60d")
    assert dump_json(run.document) == in_process
    people = run.document["forecast"]["load"]["people"]
    for measure in ("pages_per_week", "night_pages_per_week", "weekend_pages_per_week"):
        assert any(person[measure]["value"] > 0 for person in people), measure
