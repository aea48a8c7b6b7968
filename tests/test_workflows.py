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
