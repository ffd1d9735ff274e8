"""`escsim run` on long scripts: whole-process time and peak memory by script length and output.

Writes scenario files whose script starts one engagement a second (N steps, one personal
contact with one SMS channel), runs `escsim run FILE` (the rich timeline) and
`escsim run FILE --output json` on each as separate processes with stdout discarded, and prints
JSON: per N and output, the median wall time and CPU time (user + system) of REPEAT runs, the
peak RSS and the bytes written. Time that grows faster than N shows a quadratic part. On a
machine shared with other work, CPU time is the steadier of the two figures.

    python benchmarks/run_long_script.py [--steps 1000 2000 5000 10000] [--repeat 3]
        [--escsim COMMAND] [--timeout SECONDS]

``--escsim`` runs another build (a path to its ``escsim`` script), to compare versions; a run
that passes ``--timeout`` is stopped and reported as such.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

HEAD = """\
version: 1
name: long-script-{steps}
start: 2026-01-01T09:00:00Z
region: us-east-2
contacts:
  akuam:
    channels: {{sms: {{type: SMS, address: "+15005550100", activated: true}}}}
    plan: [{{duration: 5, targets: [{{channel: sms}}]}}]
script:
"""
STEP = (
    "  - at: {second}s\n"
    "    StartEngagement: {{ContactId: akuam, Sender: s, Subject: s, Content: c}}\n"
)


def write_scenario(directory: Path, steps: int) -> Path:
    """A scenario file whose script starts ``steps`` engagements, one a second."""
    path = directory / f"long-{steps}.scenario.yaml"
    body = "".join(STEP.format(second=second) for second in range(steps))
    path.write_text(HEAD.format(steps=steps) + body, encoding="utf-8")
    return path


def measure(command: list[str], timeout: float) -> tuple[float, float, float, int] | None:
    """Wall seconds, CPU seconds, peak RSS in MiB and bytes written to stdout by one run, or
    None when it ran longer than ``timeout`` seconds (it is then killed)."""
    with tempfile.TemporaryFile() as sink:
        started = time.perf_counter()
        process = subprocess.Popen(command, stdout=sink, stderr=subprocess.DEVNULL)
        killer = threading.Timer(timeout, process.kill)
        killer.start()
        _pid, status, usage = os.wait4(process.pid, 0)
        killer.cancel()
        elapsed = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        if elapsed >= timeout:
            return None
        if process.returncode != 0:
            raise SystemExit(f"{' '.join(command)} exited {process.returncode}")
        written = sink.seek(0, os.SEEK_END)
    return elapsed, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, written


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, nargs="+", default=[1000, 2000, 5000, 10000])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--escsim", default=shutil.which("escsim") or "escsim")
    parser.add_argument("--timeout", type=float, default=300.0)
    args = parser.parse_args()
    results: list[dict[str, object]] = []
    with tempfile.TemporaryDirectory() as folder:
        for steps in args.steps:
            path = write_scenario(Path(folder), steps)
            for output in ("table", "json"):
                command = [args.escsim, "run", str(path), "--output", output]
                runs = [measure(command, args.timeout) for _ in range(args.repeat)]
                done = [run for run in runs if run is not None]
                row: dict[str, object] = {"steps": steps, "output": output}
                if len(done) < len(runs):
                    row["timed_out"] = f"{len(runs) - len(done)} of {len(runs)} runs"
                if done:
                    row["seconds"] = round(statistics.median(r[0] for r in done), 2)
                    row["cpu_seconds"] = round(statistics.median(r[1] for r in done), 2)
                    row["peak_rss_mib"] = round(max(r[2] for r in done), 1)
                    row["stdout_bytes"] = done[0][3]
                results.append(row)
                print(json.dumps(row), file=sys.stderr)
    print(json.dumps({"repeat": args.repeat, "runs": results}, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
