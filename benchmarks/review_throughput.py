"""Engagements per second per core: the review's Monte Carlo next to `escsim bench org-year`.

Runs, alternately and in this one process, the replications of `escsim review FILE` (only the
forecast: no lint, coverage or summary) and the org-year workload through the engine with its
receipts written to /dev/null, REPEAT times each, and prints JSON with the median CPU seconds
(this process's user + system time, so other work on a shared machine slows it less than wall
time) and engagements per CPU second of each, and the median over rounds of the review's
engagements per CPU second over bench's (``review_per_bench``; at least 1 when the review is at
least as fast per core). FILE is the review organisation that benchmarks/review_org_year.py
writes.

    python benchmarks/review_org_year.py org.scenario.yaml
    python benchmarks/review_throughput.py org.scenario.yaml --replications 10 --engagements 10000
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections.abc import Callable

from engine.bench.orgyear import OrgYear
from engine.bench.shards import run_org_year
from engine.review.document import window
from engine.review.forecast import plan_forecast, run_chunk
from engine.review.inputs import load_input


def timed(work: Callable[[], int]) -> tuple[float, int]:
    """CPU seconds of ``work`` and the engagements it ran."""
    started = time.process_time()
    engagements = work()
    return time.process_time() - started, engagements


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("file", metavar="FILE")
    parser.add_argument("--replications", type=int, default=10)
    parser.add_argument("--engagements", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    review = load_input(args.file)
    start, end = window(review, None, None)
    plan = plan_forecast(review, start, end, args.replications, review.seed)
    workload = OrgYear.generate(contacts=1000, engagements=args.engagements, seed=1)

    def forecast() -> int:
        return sum(r.engagements for r in run_chunk(plan.job, range(args.replications)))

    def bench() -> int:
        with open("/dev/null", "w", encoding="utf-8") as sink:
            run_org_year(workload, sink, seed=1)
        return args.engagements

    runs: dict[str, list[tuple[float, int]]] = {"review": [], "bench": []}
    for _ in range(args.repeat):
        runs["review"].append(timed(forecast))
        runs["bench"].append(timed(bench))
    figures = {}
    for name, done in runs.items():
        cpu = statistics.median(seconds for seconds, _ in done)
        figures[name] = {
            "engagements": done[0][1],
            "cpu_s": round(cpu, 2),
            "engagements_per_cpu_s": round(done[0][1] / cpu),
        }
    # Each round runs both back to back, so the ratio of a round is what a drifting machine
    # disturbs least: its median is the figure to read.
    ratios = [
        (bench_cpu / bench_done) / (review_cpu / review_done)
        for (review_cpu, review_done), (bench_cpu, bench_done) in zip(
            runs["review"], runs["bench"], strict=True
        )
    ]
    figures["review_per_bench"] = round(statistics.median(ratios), 3)
    print(json.dumps({"repeat": args.repeat, **figures}, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
