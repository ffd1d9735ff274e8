"""Regenerate the console screenshots in this folder (README and docs/console.md show them).

    python docs/console/make_screenshots.py [OUT_DIR] [--chromium /usr/bin/chromium]

Serves the seed scenario's organisation (as ``escsim console`` does) on a free loopback port,
starts the seed's engagement through boto3, moves the clock six minutes, and photographs the
inbox and engagement views in headless Chromium (Playwright); the on-call view is photographed
on the follow-the-sun schedule of ``scenarios/oncall``. Needs ``pip install -e '.[test]'`` and
Debian's ``chromium``.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import boto3
from playwright.sync_api import Page, sync_playwright

from engine.console import ROOT as CONSOLE
from engine.console import mount
from engine.http import Endpoint, RunningServer, start_server
from engine.scenario.loader import load_file
from engine.scenario.runner import build_simulator

REPO = Path(__file__).resolve().parents[2]
SEED = REPO / "scenarios" / "seed-escalation-engagement.scenario.yaml"
SUN = REPO / "scenarios" / "oncall" / "a-schedule-of-eight-rotations-follows-the-sun.scenario.yaml"
ESCALATION = "arn:aws:ssm-contacts:us-east-2:111122223333:contact/example_escalation"


def _serve(scenario: Path) -> RunningServer:
    simulator, _ = build_simulator(load_file(scenario)[0])
    server = start_server(Endpoint(simulator))
    mount(server.app, listening=server.host)
    return server


def _shoot(page: Page, url: str, out: Path) -> None:
    page.goto(url)
    page.get_by_text("Live", exact=True).wait_for()  # the status line settles first
    page.screenshot(path=str(out), full_page=True)
    print(out)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", nargs="?", default=str(Path(__file__).resolve().parent))
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=args.chromium, headless=True)
        page = browser.new_page(viewport={"width": 1280, "height": 800})
        with _serve(SEED) as server:
            client = boto3.client(
                "ssm-contacts",
                endpoint_url=server.url,
                region_name="us-east-2",
                aws_access_key_id="testing",
                aws_secret_access_key="testing",
            )
            client.start_engagement(
                ContactId=ESCALATION,
                Sender="cli",
                Subject="cli-test",
                Content="Testing engagements via CLI",
                PublicSubject="cli-test",
                PublicContent="Testing engagements va CLI",
            )
            server.endpoint.advance(6 * 60)
            _shoot(page, server.url + CONSOLE, out / "inboxes.png")
            _shoot(page, server.url + CONSOLE + "/engagements", out / "engagements.png")
        with _serve(SUN) as server:
            _shoot(page, server.url + CONSOLE + "/oncall", out / "oncall.png")
        browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
