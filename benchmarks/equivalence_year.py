"""How long ``escsim equivalence`` takes to prove the org-year organisation equal to itself.

Times the exact part (the statistical part is the review's forecast, measured by
``review_org_year.py``) over a window, by default one year from the organisation's start, and
prints JSON: seconds for reading both organisations and for the comparison, the elementary
intervals compared and the engine runs made. Write the organisation first:

    python benchmarks/review_org_year.py /tmp/org.scenario.yaml
    python benchmarks/equivalence_year.py /tmp/org.scenario.yaml
"""

from __future__ import annotations

import argparse
import json
import sys
import time

from engine.cli.equivalence import window_length
from engine.review.document import window
from engine.review.equivalence import compare
from engine.review.inputs import scenario_input


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("organisation", metavar="FILE", help="from review_org_year.py")
    parser.add_argument("--window", default="1y", help="how long to compare (default 1y)")
    args = parser.parse_args()
    began = time.perf_counter()
    a = scenario_input(args.organisation)
    b = scenario_input(args.organisation)
    loaded = time.perf_counter()
    start, end = window(a, None, window_length(args.window))
    result = compare(a, b, start, end)
    done = time.perf_counter()
    figures = {
        "window": args.window,
        "load_seconds": round(loaded - began, 3),
        "seconds": round(done - loaded, 3),
        "policies": len(result.policies),
        "intervals": result.intervals,
        "engine_runs": result.engine_runs,
        "equivalent": result.equivalent,
    }
    print(json.dumps(figures, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
