"""Start-up cost of escsim commands next to importing its four main dependencies.

Times (median of REPEAT runs, whole process) `escsim --help`, `escsim --version`,
`escsim run` on the seed's escalation scenario, and `python -c "import simpy, pydantic, rich,
networkx"`, and prints JSON.

    python benchmarks/startup.py [--repeat 7]
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def timed(command: list[str], repeat: int) -> float:
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        samples.append(time.perf_counter() - started)
    return round(statistics.median(samples), 3)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    escsim = shutil.which("escsim") or "escsim"
    seed = str(ROOT / "scenarios" / "seed-escalation-engagement.scenario.yaml")
    commands = {
        "python -c pass": [sys.executable, "-c", "pass"],
        "import simpy, pydantic, rich, networkx": [
            sys.executable,
            "-c",
            "import simpy, pydantic, rich, networkx",
        ],
        "escsim --version": [escsim, "--version"],
        "escsim --help": [escsim, "--help"],
        "escsim run seed-escalation": [escsim, "run", seed],
        "escsim run seed-escalation --output json": [escsim, "run", seed, "--output", "json"],
    }
    print(json.dumps({name: timed(cmd, args.repeat) for name, cmd in commands.items()}, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
