"""Where worker processes start to pay: `escsim review` in one process against two workers.

For each scenario file and replication count, runs `escsim review FILE --replications R
--workers W --output json --no-progress` with W = 1 and W = 2, alternately, REPEAT times each,
as separate processes, and prints JSON: the engagements the forecast ran (replications times
incidents), the median whole-process wall time and CPU time (user + system, the workers'
included) of each, and which was faster. The engagement count where two workers start to win is
the crossover that `choose_executor` uses (docs/review.md gives the measurements). On a machine
shared with other work, wall times swing with the load; CPU times show the fixed cost of
starting workers (``cpu_2_workers - cpu_1_process``), from which the idle crossover follows.

    python benchmarks/review_org_year.py /tmp/org.scenario.yaml
    python benchmarks/review_executors.py scenarios/seed-escalation-engagement.scenario.yaml \
        --replications 5 10 20 50 100
    python benchmarks/review_executors.py /tmp/org.scenario.yaml --replications 2 5 10 20
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run(command: list[str]) -> tuple[float, float, dict[str, object]]:
    """Wall and CPU seconds of one run of ``command`` (its worker processes included, as they
    are reaped), and the JSON document it printed."""
    cpu = _children_cpu()
    started = time.perf_counter()
    done = subprocess.run(command, check=False, capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    if done.returncode not in (0, 1):  # 1: lint found an error, the forecast still ran
        raise SystemExit(f"{' '.join(command)} exited {done.returncode}: {done.stderr}")
    document: dict[str, object] = json.loads(done.stdout)
    return elapsed, _children_cpu() - cpu, document


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="+", metavar="FILE")
    parser.add_argument("--replications", type=int, nargs="+", default=[5, 10, 20, 50])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    escsim = shutil.which("escsim") or "escsim"
    rows = []
    for file in args.files:
        for replications in args.replications:
            times: dict[int, list[float]] = {1: [], 2: []}
            cpus: dict[int, list[float]] = {1: [], 2: []}
            engagements = 0
            for _ in range(args.repeat):
                for workers in (1, 2):
                    command = [
                        escsim,
                        "review",
                        file,
                        "--replications",
                        str(replications),
                        "--workers",
                        str(workers),
                        "--output",
                        "json",
                        "--no-progress",
                    ]
                    elapsed, cpu, document = run(command)
                    times[workers].append(elapsed)
                    cpus[workers].append(cpu)
                    forecast = document["forecast"]
                    assert isinstance(forecast, dict)
                    engagements = int(forecast["engagements"])
            one = statistics.median(times[1])
            two = statistics.median(times[2])
            rows.append(
                {
                    "file": Path(file).name,
                    "replications": replications,
                    "engagements": engagements,
                    "engagements_per_replication": round(engagements / replications),
                    "seconds_1_process": round(one, 2),
                    "seconds_2_workers": round(two, 2),
                    "cpu_1_process": round(statistics.median(cpus[1]), 2),
                    "cpu_2_workers": round(statistics.median(cpus[2]), 2),
                    "faster": "2 workers" if two < one else "1 process",
                }
            )
            print(json.dumps(rows[-1]), file=sys.stderr)
    print(json.dumps({"repeat": args.repeat, "runs": rows}, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
