"""Time `escsim bench org-year` against the bare-simpy yardstick, in one run, on this machine.

Runs each command REPEAT times (default 3) alternately, as separate processes, and reports the
median of: the whole process's wall time (start-up and imports included), the run's own
``wall_s`` (what each prints: start-up and imports excluded), the process's CPU time, peak RSS,
and receipts per second; then the ratios escsim / yardstick. The yardstick is
``bare_simpy_org_year.py``, kept outside this repository (``../shared/benchmarks`` beside the
checkout by default, else ``--yardstick``). escsim runs the workload with
``delivery_receipts=carrier``, which records the DELIVERED receipts the yardstick writes.

    python benchmarks/org_year_compare.py [--contacts 1000] [--engagements 100000] [--seed 1]
                                          [--repeat 3] [--yardstick PATH]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_YARDSTICK = ROOT.parent / "shared" / "benchmarks" / "bare_simpy_org_year.py"


def run_once(command: list[str]) -> dict[str, Any]:
    """Run ``command``; its last stdout line is a JSON summary. Adds process wall and peak RSS."""
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    assert process.stdout is not None
    output = process.stdout.read()
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    elapsed = time.perf_counter() - started
    if process.returncode != 0:
        raise SystemExit(f"{command[0]} exited {process.returncode}")
    summary: dict[str, Any] = json.loads(output.strip().splitlines()[-1])
    summary["process_s"] = round(elapsed, 3)
    summary["peak_rss_mib"] = round(usage.ru_maxrss / 1024, 1)  # ru_maxrss is KiB on Linux
    # CPU time (user + system) moves far less than wall time when other work shares the cores.
    summary["cpu_s"] = round(usage.ru_utime + usage.ru_stime, 3)
    summary["receipts_per_s"] = round(summary["receipts"] / summary["wall_s"])
    return summary


def median_of(runs: list[dict[str, Any]]) -> dict[str, Any]:
    keys = ("wall_s", "process_s", "cpu_s", "peak_rss_mib", "receipts_per_s")
    out = {k: statistics.median(r[k] for r in runs) for k in keys}
    out.update({k: runs[0][k] for k in ("engagements", "pages", "receipts")})
    out["per_engagement"] = {
        "pages": round(runs[0]["pages"] / runs[0]["engagements"], 3),
        "receipts": round(runs[0]["receipts"] / runs[0]["engagements"], 3),
    }
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--contacts", type=int, default=1000)
    parser.add_argument("--engagements", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--yardstick", type=Path, default=DEFAULT_YARDSTICK)
    args = parser.parse_args()
    escsim = shutil.which("escsim") or "escsim"
    ours = [
        escsim,
        "bench",
        "org-year",
        "--contacts",
        str(args.contacts),
        "--engagements",
        str(args.engagements),
        "--seed",
        str(args.seed),
    ]
    theirs = [
        sys.executable,
        str(args.yardstick),
        f"contacts={args.contacts}",
        f"engagements={args.engagements}",
        f"seed={args.seed}",
    ]
    runs: dict[str, list[dict[str, Any]]] = {"escsim": [], "yardstick": []}
    for _ in range(args.repeat):
        runs["escsim"].append(run_once(ours))
        runs["yardstick"].append(run_once(theirs))
    result = {name: median_of(r) for name, r in runs.items()}
    e, y = result["escsim"], result["yardstick"]
    result["ratio"] = {
        "process_s": round(e["process_s"] / y["process_s"], 3),
        "wall_s_without_startup": round(e["wall_s"] / y["wall_s"], 3),
        "cpu_s": round(e["cpu_s"] / y["cpu_s"], 3),
        "peak_rss": round(e["peak_rss_mib"] / y["peak_rss_mib"], 3),
        "pages_per_engagement": round(e["pages"] / y["pages"], 4),
        "receipts_per_engagement": round(e["receipts"] / y["receipts"], 4),
    }
    result["machine"] = {
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
        "platform": platform.platform(),
        "repeat": args.repeat,
    }
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
