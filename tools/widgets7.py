"""Run the widget tests with ipywidgets 7 (Colab's), next to the main environment's ipywidgets 8.

``make widgets7`` runs it. It makes ``.venv-widgets7``, a virtual environment
that holds only ``requirements-widgets7.txt`` (ipywidgets 7 and its front-end
packages, installed without dependencies) and finds every other package in
the main environment, through a ``.pth`` file that adds the main
environment's site-packages *after* its own: its ipywidgets 7 comes first.
Making it takes seconds and a few MB; it is made again when the pins change.
Then it runs pytest there, on the test files given, and checks that the
tests really saw ipywidgets 7.

Usage: ``python tools/widgets7.py [--venv DIR] TEST_FILE...`` (run with the
main environment's Python).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import sysconfig
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PINS = ROOT / "requirements-widgets7.txt"


def site_packages(python: Path) -> Path:
    code = "import sysconfig; print(sysconfig.get_path('purelib'))"
    return Path(subprocess.run([str(python), "-c", code], check=True, capture_output=True, text=True).stdout.strip())


def make(venv: Path) -> Path:
    """``venv`` with ipywidgets 7 over the main environment; returns its Python."""
    python = venv / "bin" / "python"
    stamp = venv / ".installed"
    if stamp.is_file() and stamp.read_text() == PINS.read_text():
        return python
    subprocess.run([sys.executable, "-m", "venv", "--clear", "--without-pip", str(venv)], check=True)
    main = sysconfig.get_path("purelib")  # this (the main) environment's site-packages
    # addsitedir appends (after the venv's own site-packages) and reads main's .pth files too (editable installs).
    (site_packages(python) / "zz_main_environment.pth").write_text(f"import site; site.addsitedir({main!r})\n")
    subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install", "--quiet", "--no-deps",
                    "--disable-pip-version-check", "-r", str(PINS)], check=True)
    stamp.write_text(PINS.read_text())
    return python


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--venv", type=Path, default=ROOT / ".venv-widgets7")
    parser.add_argument("tests", nargs="+")
    args, extra = parser.parse_known_args(argv)  # the rest goes to pytest
    python = make(args.venv)
    version = subprocess.run([str(python), "-c", "import ipywidgets; print(ipywidgets.__version__)"],
                             check=True, capture_output=True, text=True).stdout.strip()
    if not version.startswith("7."):
        sys.exit(f"{args.venv} imports ipywidgets {version}, not 7.x")
    print(f"widget tests with ipywidgets {version} ({args.venv})", flush=True)
    return subprocess.run([str(python), "-m", "pytest", "-q", "-m", "not site", *args.tests, *extra], cwd=ROOT).returncode


if __name__ == "__main__":
    sys.exit(main())
