"""Pin every package: the lock files that every install of the course uses.

Run it with ``make lock`` (it installs uv into ``.venv`` first). It writes:

``requirements.lock``
    Everything ``make book`` and ``make test`` need (``requirements-test.txt``,
    which includes ``requirements.txt``), resolved by ``uv pip compile
    --universal`` for Python 3.11 on every platform. PyTorch comes from PyPI
    (on Linux, the CUDA build). Used by ``make``, ``.ci/run`` and a laptop.
``requirements-cpu.lock``
    The same pins with PyTorch's CPU-only wheels (``torch==X+cpu`` from
    https://download.pytorch.org/whl/cpu) and without the CUDA libraries
    that only the CUDA build needs. Used by the GitHub workflows.
``binder/requirements.txt``
    What a learner needs to run the notebooks on Binder (``binder/requirements.in``),
    CPU-only likewise: a small image.

``requirements.txt`` keeps its version ranges for people who install the
course into their own environment; the weekly workflow
(``.github/workflows/newest.yml``) tests the newest releases within them.

The package indexes are the ones pip is configured with (``pip config
list``), so the command works behind a mirror too.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PYTHON_VERSION = "3.11"
CPU_INDEX = "https://download.pytorch.org/whl/cpu"
#: The packages only PyTorch's CUDA build needs (names as in a lock, lower case): NVIDIA's
#: libraries, CUDA's Python bindings and Triton. tests/test_locks.py checks the locks with it.
CUDA_ONLY = re.compile(r"^(?:nvidia-|cuda-|triton$)")
TORCH_PACKAGES = ("torch", "torchvision")
COMMAND = "make lock"


def uv() -> str:
    found = Path(sys.executable).with_name("uv")
    if found.exists():
        return str(found)
    which = shutil.which("uv")
    if which is None:
        sys.exit("uv is not installed: `make lock` installs it into .venv (pip install uv)")
    return which


def pip_index_options() -> list[str]:
    """pip's configured extra indexes, find-links and constraints, as uv options."""
    listed = subprocess.run([sys.executable, "-m", "pip", "config", "list"],
                            capture_output=True, text=True).stdout
    settings: dict[str, str] = {}
    for line in listed.splitlines():  # e.g. global.extra-index-url='url1 url2'
        key, _, value = line.partition("=")
        settings.setdefault(key.split(".", 1)[-1], value.strip("'\""))

    def config(key: str) -> list[str]:
        return settings.get(key, "").split()

    options = []
    for url in config("index-url"):
        options += ["--index-url", url]
    for url in config("extra-index-url"):
        options += ["--extra-index-url", url]
    for path in config("find-links"):
        options += ["--find-links", path]
    for path in config("constraint"):
        if Path(path).is_file():
            options += ["--constraint", path]
    if len(options) > 2:  # several indexes: take the best version from any of them, as pip does
        options += ["--index-strategy", "unsafe-best-match"]
    return options


def compile_lock(source: Path, output: Path) -> None:
    subprocess.run([uv(), "pip", "compile", str(source.relative_to(ROOT)), "--universal",
                    "--python-version", PYTHON_VERSION, "--custom-compile-command", COMMAND,
                    "--quiet", "-o", str(output.relative_to(ROOT)), *pip_index_options()],
                   cwd=ROOT, check=True)


def entries(text: str) -> list[list[str]]:
    """A lock file as entries: a requirement line followed by its ``# via`` comment lines."""
    blocks: list[list[str]] = []
    for line in text.splitlines():
        if line.startswith("    #") and blocks:
            blocks[-1].append(line)
        else:
            blocks.append([line])
    return blocks


def _name(requirement: str) -> str:
    return re.split(r"[=;\s\[]", requirement, maxsplit=1)[0].lower()


def _via(block: list[str]) -> set[str]:
    """The packages that want this one, from uv's ``# via`` annotations."""
    names = set()
    for line in block[1:]:
        name = line.strip().lstrip("#").strip().removeprefix("via").strip()
        if name and not name.startswith("-r"):
            names.add(name.lower())
    return names


def cpu_only(text: str) -> str:
    """The lock with PyTorch's CPU wheels, without the CUDA build's libraries.

    Drops the CUDA libraries and, transitively, every package wanted only by them.
    """
    blocks = entries(text)
    dropped = {_name(b[0]) for b in blocks if CUDA_ONLY.match(_name(b[0]))}
    while True:
        more = {_name(b[0]) for b in blocks if _name(b[0]) not in dropped
                and "==" in b[0] and _via(b) and _via(b) <= dropped}
        if not more:
            break
        dropped |= more
    out = [f"# CPU-only PyTorch: written by `{COMMAND}` (tools/lock.py) from the universal lock.",
           f"--extra-index-url {CPU_INDEX}"]
    for block in blocks:
        first = block[0]
        if _name(first) in dropped:
            continue
        if _name(first) in TORCH_PACKAGES:
            first = re.sub(r"^([\w-]+==[\w.]+)", r"\1+cpu", first)
        out.extend([first, *block[1:]])
    return "\n".join(out) + "\n"


def main() -> None:
    full = ROOT / "requirements.lock"
    compile_lock(ROOT / "requirements-test.txt", full)
    (ROOT / "requirements-cpu.lock").write_text(cpu_only(full.read_text()))

    binder = ROOT / "binder" / "requirements.txt"
    compile_lock(ROOT / "binder" / "requirements.in", binder)
    # repo2docker installs binder/requirements.txt from the repository's root.
    text = re.sub(r"^-e \.\./?$", "-e .", binder.read_text(), flags=re.M)
    binder.write_text(cpu_only(text))
    for path in (full, ROOT / "requirements-cpu.lock", binder):
        pins = sum(1 for line in path.read_text().splitlines() if "==" in line and not line.startswith("#"))
        print(f"{path.relative_to(ROOT)}: {pins} pinned packages")


if __name__ == "__main__":
    main()
