"""The GitHub Actions workflows are valid (schema check, offline).

``check-jsonschema`` (requirements-test.txt) ships the GitHub workflow schema
(``--builtin-schema vendor.github-workflows``), so the check needs no network.
A typo in a key (``step:`` for ``steps:``) or a misplaced ``runs-on`` fails
here instead of on GitHub after a push.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.y*ml"))


def _check_jsonschema() -> list[str]:
    """The command that runs check-jsonschema, preferring this interpreter's install."""
    local = Path(sys.executable).with_name("check-jsonschema")
    if local.exists():
        return [str(local)]
    found = shutil.which("check-jsonschema")
    if found is None:
        pytest.fail(
            "check-jsonschema is not installed; it is a test requirement: "
            "pip install -r requirements-test.txt"
        )
    return [found]


def test_there_are_workflows() -> None:
    assert WORKFLOWS, "no workflow files found in .github/workflows"


@pytest.mark.parametrize("workflow", WORKFLOWS, ids=lambda p: p.name)
def test_workflow_is_valid(workflow: Path) -> None:
    result = subprocess.run(
        [*_check_jsonschema(), "--builtin-schema", "vendor.github-workflows", str(workflow)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, (
        f"{workflow.relative_to(ROOT)} is not a valid GitHub workflow:\n"
        f"{result.stdout}\n{result.stderr}"
    )


def _workflow(name: str) -> dict:
    import yaml

    return yaml.safe_load((ROOT / ".github" / "workflows" / name).read_text())


def _steps(workflow: dict, job: str) -> list[dict]:
    return workflow["jobs"][job]["steps"]


def test_the_site_is_built_with_the_imagenet_weights_and_checked_before_upload() -> None:
    book = _workflow("book.yml")
    build = book["jobs"]["build"]
    assert build["env"]["CNNCOURSE_WEIGHTS"] == "imagenet"
    runs = [step.get("run", "") + step.get("uses", "") for step in build["steps"]]
    check = next(i for i, r in enumerate(runs) if "tools/check_published.py _build/html" in r)
    built = next(i for i, r in enumerate(runs) if r.strip() == "make book")
    upload = next(i for i, r in enumerate(runs) if "upload-pages-artifact" in r)
    assert built < check < upload, "the check must run after the build and before the upload"


def test_every_workflow_installs_from_a_lock_file() -> None:
    tests = _workflow("tests.yml")
    assert any("make test LOCK=requirements-cpu.lock" in s.get("run", "") for s in _steps(tests, "test"))
    assert _workflow("book.yml")["jobs"]["build"]["env"]["LOCK"] == "requirements-cpu.lock"
    newest = _workflow("newest.yml")
    assert newest[True]["schedule"], "the newest-releases check runs on a schedule"  # YAML reads `on` as True
    assert newest["jobs"]["newest"]["env"]["LOCK"] == "requirements-test.txt"
    assert any("gh issue create" in s.get("run", "") for s in _steps(newest, "newest"))
