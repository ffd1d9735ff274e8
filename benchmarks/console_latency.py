"""How fast the console shows a request, and how heavy its main page is.

Starts ``escsim console scenarios/seed-escalation-engagement.scenario.yaml --port 0`` in a
subprocess, opens its inbox page in headless Chromium (Playwright, Debian's ``/usr/bin/chromium``
or ``--chromium PATH``), then SAMPLES times: calls StartEngagement on akuam with boto3 and waits
for the new SMS to appear in akuam's inbox, which happens without a reload (Server-Sent Events,
then a fetch of the page and a swap of its live regions). A MutationObserver in the page stamps
the moment the element is inserted (``Date.now()``, the same wall clock as this process). Prints
JSON: the latency from sending the request and from boto3 having its answer, in milliseconds
(median, p90, min, max), and the bytes of the inbox page's HTML, CSS and JavaScript, before the
first sample (the seed's organisation, no messages) and after the last.

    python benchmarks/console_latency.py [--samples 20] [--chromium /usr/bin/chromium]
"""

from __future__ import annotations

import argparse
import json
import re
import signal
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

import boto3
from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "scenarios" / "seed-escalation-engagement.scenario.yaml"
AKUAM = "arn:aws:ssm-contacts:us-east-2:111122223333:contact/akuam"
LINE = re.compile(r"escsim console at (http://127\.0\.0\.1:\d+)(/_escsim/console)\n")
OBSERVE = """() => {
  const count = () => document.querySelectorAll('#inbox-akuam li.sms').length;
  window.seenAt = [];
  window.smsCount = count();
  new MutationObserver(() => {
    const now = count();
    while (window.smsCount < now) { window.smsCount += 1; window.seenAt.push(Date.now()); }
  }).observe(document.querySelector('main'), {childList: true, subtree: true});
}"""


def _summary(values: list[float]) -> dict[str, float]:
    ordered = sorted(values)
    return {
        "median": round(statistics.median(ordered), 1),
        "p90": round(ordered[min(len(ordered) - 1, int(0.9 * len(ordered)))], 1),
        "min": round(ordered[0], 1),
        "max": round(ordered[-1], 1),
    }


def _size(url: str) -> int:
    with urllib.request.urlopen(url, timeout=30) as answer:
        return len(answer.read())


def measure(url: str, page_path: str, samples: int, chromium: str) -> dict[str, Any]:
    client = boto3.client(
        "ssm-contacts",
        endpoint_url=url,
        region_name="us-east-2",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )
    from_sent: list[float] = []
    from_answer: list[float] = []
    empty_html = _size(url + page_path)
    with sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=chromium, headless=True)
        page = browser.new_page()
        page.goto(url + page_path)
        page.get_by_text("Live", exact=True).wait_for()  # the event stream is open
        page.evaluate(OBSERVE)
        for index in range(samples):
            sent = time.time() * 1000
            client.start_engagement(
                ContactId=AKUAM, Sender="bench", Subject="latency", Content=f"sample {index}"
            )
            answered = time.time() * 1000
            page.wait_for_function("(n) => window.seenAt.length > n", arg=index)
            shown = float(page.evaluate("(n) => window.seenAt[n]", index))
            from_sent.append(shown - sent)
            from_answer.append(shown - answered)
        browser.close()
    html = _size(url + page_path)
    css = _size(url + "/_escsim/console/static/console.css")
    js = _size(url + "/_escsim/console/static/console.js")
    return {
        "samples": samples,
        "from_request_sent_ms": _summary(from_sent),
        "from_answer_received_ms": _summary(from_answer),
        "page_bytes": {
            "html": html,
            "css": css,
            "js": js,
            "total": html + css + js,
            "note": f"inbox page holding {samples} SMS to akuam",
        },
        "empty_page_bytes": {"html": empty_html, "total": empty_html + css + js},
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=int, default=20)
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    args = parser.parse_args()
    process = subprocess.Popen(
        [sys.executable, "-m", "engine.cli.main", "console", str(SEED), "--port", "0", "--quiet"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert process.stdout is not None
        match = LINE.fullmatch(process.stdout.readline())
        if match is None:
            print("escsim console did not start", file=sys.stderr)
            return 1
        figures = measure(match[1], match[2], args.samples, args.chromium)
    finally:
        process.send_signal(signal.SIGTERM)
        process.communicate(timeout=30)
    print(json.dumps(figures, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
