"""The documented command that regenerates docs/console/*.png still runs (into a scratch folder)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "docs" / "console" / "make_screenshots.py"


def test_make_screenshots_writes_each_view(tmp_path: Path) -> None:
    if not os.path.exists("/usr/bin/chromium"):
        pytest.skip("no /usr/bin/chromium: apt-get install chromium")
    done = subprocess.run(
        [sys.executable, str(SCRIPT), str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    for view in ("inboxes", "engagements", "oncall"):
        assert (tmp_path / f"{view}.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
