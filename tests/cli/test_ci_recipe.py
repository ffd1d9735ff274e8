"""docs/ci.md's CI jobs and the repository's pre-commit hook, run here as they would run there.

The GitHub Actions and GitLab CI jobs are read from docs/ci.md and their commands run, in the
order written, under ``bash -e -o pipefail`` with this environment's ``escsim`` first on PATH,
in a git repository laid out as a template repository: ``oncall/team.scenario.yaml`` (the seed's
escalation example) committed on ``main`` (known as ``origin/main``, the pull request's base),
then changed on a branch. Network steps (``pip install``, ``git fetch``, ``gh``, ``uses:``) are
left out: the environment already has escsim and the base branch is local.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from pre_commit.clientlib import load_manifest

from tests.review.sarif_schema import validate_sarif

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "scenarios" / "seed-escalation-engagement.scenario.yaml"
BIN = Path(sys.executable).parent
ESCSIM = str(BIN / "escsim") if (BIN / "escsim").exists() else shutil.which("escsim")
_OFFLINE = ("pip install", "git fetch", "gh ")

pytestmark = pytest.mark.skipif(
    ESCSIM is None or shutil.which("git") is None, reason="needs the escsim script and git"
)


def _block_after(heading: str) -> object:
    text = (ROOT / "docs" / "ci.md").read_text(encoding="utf-8")
    found = re.search(re.escape(heading) + r"\n+```yaml\n(.*?)```", text, re.S)
    assert found is not None, f"docs/ci.md has no yaml block after {heading!r}"
    return yaml.safe_load(found.group(1))


def github_commands() -> list[str]:
    workflow = _block_after("### GitHub Actions")
    assert isinstance(workflow, dict)
    steps = workflow["jobs"]["escsim"]["steps"]
    return [step["run"].strip() for step in steps if "run" in step]


def gitlab_commands() -> list[str]:
    jobs = _block_after("### GitLab CI")
    assert isinstance(jobs, dict)
    job = jobs["oncall-review"]
    return [*job["before_script"], *job["script"]]


def _lines(commands: list[str]) -> list[str]:
    return [line.strip() for command in commands for line in command.splitlines()]


def test_both_jobs_run_the_same_escsim_commands() -> None:
    github = [line for line in _lines(github_commands()) if line.startswith("escsim ")]
    gitlab = [line for line in _lines(gitlab_commands()) if line.startswith("escsim ")]
    assert sorted(github) == sorted(gitlab)
    assert any("--require 'tta.p90 <= 15m'" in line for line in github)
    assert any("--fail-on-regression" in line for line in github)


def _git(repo: Path, *args: str) -> None:
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "escsim tests",
        "GIT_AUTHOR_EMAIL": "tests@example.com",
        "GIT_COMMITTER_NAME": "escsim tests",
        "GIT_COMMITTER_EMAIL": "tests@example.com",
    }
    subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True, env=env)


def template_repository(tmp_path: Path, changed: str) -> Path:
    """A repository whose base branch holds the seed's organisation and whose working tree
    holds ``changed`` in its place, as a pull request's checkout does."""
    repo = tmp_path / "team"
    (repo / "oncall").mkdir(parents=True)
    team = repo / "oncall" / "team.scenario.yaml"
    team.write_text(SEED.read_text(encoding="utf-8"), encoding="utf-8")
    _git(repo, "init", "-q", "-b", "main")
    _git(repo, "add", "-A")
    _git(repo, "commit", "-q", "-m", "on-call as it is")
    _git(repo, "update-ref", "refs/remotes/origin/main", "HEAD")
    _git(repo, "checkout", "-q", "-b", "change")
    team.write_text(changed, encoding="utf-8")
    _git(repo, "commit", "-q", "-am", "the change under review")
    return repo


def run_job(repo: Path, commands: list[str]) -> list[tuple[str, int, str]]:
    """Each command with its exit code and stderr, in order (offline steps left out)."""
    env = {
        **os.environ,
        "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}",
        "BASE_REF": "main",
        "CI_MERGE_REQUEST_TARGET_BRANCH_NAME": "main",
        "COLUMNS": "200",
    }
    results = []
    for command in commands:
        if command.startswith(_OFFLINE):
            continue
        done = subprocess.run(
            ["bash", "-e", "-o", "pipefail", "-c", command],
            cwd=repo,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        results.append((command, done.returncode, done.stderr))
    return results


def _slower() -> str:
    """The change: ten-minute escalation stages instead of five (no regression)."""
    head, tail = SEED.read_text(encoding="utf-8").split("example_escalation:")
    return head + "example_escalation:" + tail.replace("duration: 5", "duration: 10")


def _swapped() -> str:
    """The change: alejr (who never acknowledges) engaged before akuam: P90 from 7m to 12m."""
    head, tail = SEED.read_text(encoding="utf-8").split("example_escalation:")
    tail = tail.replace("contact: akuam", "contact: @").replace("contact: alejr", "contact: akuam")
    return head + "example_escalation:" + tail.replace("contact: @", "contact: alejr")


@pytest.mark.parametrize("job", [github_commands, gitlab_commands], ids=["github", "gitlab"])
def test_a_change_without_regression_passes_every_step(tmp_path: Path, job: object) -> None:
    assert callable(job)
    repo = template_repository(tmp_path, _slower())
    results = run_job(repo, job())
    assert [(command, code, err) for command, code, err in results if code != 0] == []
    assert len(results) >= 4  # validate, sarif, review, diff
    comment = (repo / "comment.md").read_text(encoding="utf-8")
    assert comment.startswith("## ✅ escsim review: pass\n")
    assert "| `tta.p90 <= 15m` | pass | 7m, 95% interval 7m to 7m |" in comment
    assert "## ✅ escsim diff: pass\n" in comment
    validate_sarif(json.loads((repo / "escsim.sarif").read_text(encoding="utf-8")))


def test_a_change_that_slows_acknowledgement_fails_the_diff_step(tmp_path: Path) -> None:
    repo = template_repository(tmp_path, _swapped())
    results = run_job(repo, github_commands())
    failed = [(command.splitlines()[-1], err) for command, code, err in results if code != 0]
    assert len(failed) == 1
    command, err = failed[0]
    assert command.startswith("escsim diff base.scenario.yaml oncall/team.scenario.yaml")
    assert "escsim diff: P90 time to acknowledge worse beyond its interval: 12m now, 7m" in err
    comment = (repo / "comment.md").read_text(encoding="utf-8")
    # The requirement still holds (12m <= 15m); the regression is the diff's to name.
    assert comment.startswith("## ✅ escsim review: pass\n")
    assert "## ❌ escsim diff: fail\n\nRegressions:\n\n- P90 time to acknowledge" in comment


# --- pre-commit ----------------------------------------------------------------------------------


def _hook() -> dict[str, object]:
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert isinstance(hooks, list)
    (hook,) = [h for h in hooks if h["id"] == "escsim-validate"]
    assert isinstance(hook, dict)
    return hook


def test_the_pre_commit_hook_is_declared_as_pre_commit_reads_it() -> None:
    # pre-commit's own reading of a hooks manifest: its schema, defaults filled in.
    (loaded,) = load_manifest(str(ROOT / ".pre-commit-hooks.yaml"))
    assert loaded["id"] == "escsim-validate"
    assert loaded["pass_filenames"] is True and loaded["types"] == ["file"]
    hook = _hook()
    assert hook["language"] == "python"
    assert hook["entry"] == "escsim validate"
    assert isinstance(hook["name"], str) and hook["name"]
    files = re.compile(str(hook["files"]))
    for name in (
        "oncall/team.scenario.yaml",
        "team.scenario.yml",
        "stack.template.yaml",
        "stack.template.yml",
        "stack.template.json",
    ):
        assert files.search(name), name
    for name in ("README.md", "team.yaml", "template.yaml", "x.scenario.yaml.bak"):
        assert not files.search(name), name


def test_the_hooks_entry_validates_the_files_pre_commit_passes(tmp_path: Path) -> None:
    hook = _hook()
    entry = shlex.split(str(hook["entry"]))
    entry[0] = str(ESCSIM)
    files = re.compile(str(hook["files"]))
    passed = sorted(str(p) for p in (ROOT / "scenarios").glob("seed-*") if files.search(p.name))
    assert len(passed) == 2
    done = subprocess.run([*entry, *passed], capture_output=True, text=True, check=False)
    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout.count("no problems found") + done.stdout.count("warning(s)") >= 2
    broken = tmp_path / "broken.scenario.yaml"
    broken.write_text(
        "version: 1\nname: broken\ncontacts:\n  a:\n"
        '    channels: {sms: {type: SMS, address: "+15550100", activated: false}}\n'
        "    plan: [{duration: 5, targets: [{channel: sms}]}]\n"
        "  team:\n    plan: [{duration: 5, targets: [{contact: a, essential: true}]}]\n",
        encoding="utf-8",
    )
    done = subprocess.run(
        [*entry, *passed, str(broken)], capture_output=True, text=True, check=False
    )
    assert done.returncode == 1
    assert "G401" in done.stdout
