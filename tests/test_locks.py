"""The lock files pin every package, and the CPU lock carries no CUDA.

``make lock`` (tools/lock.py) writes them; these tests read them, offline.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

ROOT = Path(__file__).resolve().parents[1]
LOCKS = {
    "requirements.lock": ROOT / "requirements.lock",
    "requirements-cpu.lock": ROOT / "requirements-cpu.lock",
    "binder": ROOT / "binder" / "requirements.txt",
}
sys.path.insert(0, str(ROOT / "tools"))
try:
    import lock  # the tool that writes the locks: its pattern of CUDA-only packages is the one checked here
finally:
    sys.path.pop(0)
CUDA = lock.CUDA_ONLY


def pins(path: Path) -> dict[str, list[Version]]:
    """Package name -> pinned versions (several where markers split them, e.g. by Python version)."""
    found: dict[str, list[Version]] = {}
    for line in path.read_text().splitlines():
        match = re.match(r"^([A-Za-z0-9._-]+)==([^\s;]+)", line)
        if match:
            found.setdefault(canonicalize_name(match.group(1)), []).append(Version(match.group(2)))
    return found


def ranges(*paths: Path) -> list[Requirement]:
    """The version ranges of requirements files (following -r), without -e and options."""
    found = []
    for path in paths:
        for line in path.read_text().splitlines():
            line = line.split("#", 1)[0].strip()
            if line.startswith("-r "):
                found += ranges(path.parent / line[3:].strip())
            elif line and not line.startswith("-"):
                found.append(Requirement(line))
    return found


@pytest.mark.parametrize("name", list(LOCKS))
def test_every_requirement_is_pinned_within_its_range(name):
    locked = pins(LOCKS[name])
    source = {"binder": [ROOT / "binder" / "requirements.in"]}.get(name, [ROOT / "requirements-test.txt"])
    for requirement in ranges(*source):
        versions = locked.get(canonicalize_name(requirement.name))
        assert versions, f"{name} does not pin {requirement.name}: run `make lock`"
        for version in versions:
            assert requirement.specifier.contains(version, prereleases=True), (
                f"{name} pins {requirement.name}=={version}, outside {requirement}: run `make lock`")
    assert "-e ." in LOCKS[name].read_text().splitlines(), f"{name} must install the course's package"


def test_the_default_lock_admits_this_machines_pytorch():
    locked = pins(LOCKS["requirements.lock"])
    assert locked["torch"] == [Version("2.14.1")] and locked["torchvision"] == [Version("0.29.1")]


@pytest.mark.parametrize("name", ["requirements-cpu.lock", "binder"])
def test_cpu_locks_take_pytorch_cpu_wheels_and_no_cuda(name):
    text = LOCKS[name].read_text()
    locked = pins(LOCKS[name])
    assert "--extra-index-url https://download.pytorch.org/whl/cpu" in text.splitlines()
    assert not [n for n in locked if CUDA.match(n)], f"{name} pins CUDA packages"
    for package in ("torch", "torchvision"):
        assert all(v.local == "cpu" for v in locked[package]), f"{name}: {package} is not a +cpu wheel"


def test_the_cpu_lock_pins_the_same_versions_as_the_default_lock():
    default, cpu = pins(LOCKS["requirements.lock"]), pins(LOCKS["requirements-cpu.lock"])
    for name, versions in cpu.items():
        assert [v.public for v in versions] == [v.public for v in default[name]], name
    dropped = set(default) - set(cpu)
    assert dropped and all(CUDA.match(n) for n in dropped), f"only CUDA packages are dropped: {dropped}"


@pytest.mark.parametrize("name, cuda", [
    ("nvidia-cublas", True), ("nvidia-cudnn-cu13", True), ("cuda-bindings", True), ("triton", True),
    ("nvidia", False), ("tritonclient", False), ("triton-model-analyzer", False), ("pycuda", False),
    ("cudatext", False), ("torch", False), ("my-nvidia-tool", False)])
def test_the_cuda_pattern_takes_cuda_packages_and_not_their_near_misses(name, cuda):
    assert bool(CUDA.match(name)) is cuda


def test_the_cpu_derivation_drops_what_only_cuda_wants():
    text = ("torch==2.0\n    # via -r requirements.txt\nnvidia-x==1\n    # via torch\n"
            "helper==1\n    # via nvidia-x\nshared==1\n    # via\n    #   nvidia-x\n    #   torch\n")
    out = lock.cpu_only(text)
    assert "torch==2.0+cpu" in out and "shared==1" in out
    assert "nvidia-x" not in out.replace("#   nvidia-x", "") and "helper==1" not in out


def test_check_published_refuses_an_untrained_site(tmp_path):
    site = tmp_path / "html"
    (site / "chapters").mkdir(parents=True)
    (site / "index.html").write_text("<p>fine</p>")
    weights = tmp_path / "vgg16.pth"
    sys.path.insert(0, str(ROOT / "tools"))
    try:
        import check_published
    finally:
        sys.path.pop(0)
    assert check_published.problems(site, weights) == [f"VGG16's ImageNet weights are not in torch's cache ({weights})"]
    weights.write_bytes(b"x")
    assert check_published.problems(site, weights) == []
    (site / "chapters" / "06.html").write_text('<div role="alert" class="cnn-untrained-banner">')
    assert check_published.problems(site, weights) == ["chapters/06.html shows the untrained-network banner"]
    result = subprocess.run([sys.executable, str(ROOT / "tools" / "check_published.py"), str(site)],
                            capture_output=True, text=True, env={"TORCH_HOME": str(tmp_path / "torch"),
                                                                 "PATH": "/usr/bin:/bin"})
    assert result.returncode == 1 and "not publishing" in result.stderr


def test_the_ipywidgets_7_pins_are_within_the_supported_range():
    """`make widgets7` tests ipywidgets 7 (Colab's); the package must admit it, and 8 (the locks)."""
    import tomllib

    declared = {canonicalize_name(Requirement(r).name): Requirement(r) for r in
                tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]}
    supported = declared["ipywidgets"].specifier
    seven = pins(ROOT / "requirements-widgets7.txt")["ipywidgets"]
    assert len(seven) == 1 and seven[0].major == 7 and supported.contains(seven[0])
    assert all(supported.contains(v) and v.major == 8 for v in pins(LOCKS["requirements.lock"])["ipywidgets"])
    assert [r for r in ranges(ROOT / "requirements.txt") if r.name == "ipywidgets"][0].specifier == supported


REVIEWED_PAIR = {"jupyterlab": Version("4.6.6"), "jupyterlab-myst": Version("2.7.0")}
"""JupyterLab and jupyterlab-myst as reviewed together (issue 28): `jupyter labextension list` marks
jupyterlab-myst 2.7.0 incompatible with JupyterLab 4.6, for a declared @jupyter/ydoc ^3.0.0 that its
built bundle never loads (see the comment in requirements.txt). Another version needs that look again."""


@pytest.mark.parametrize("name", list(LOCKS))
def test_the_locks_pin_the_reviewed_jupyterlab_and_jupyterlab_myst(name):
    locked = pins(LOCKS[name])
    found = {package: locked.get(package) for package in REVIEWED_PAIR}
    assert found == {package: [version] for package, version in REVIEWED_PAIR.items()}, (
        f"{name} pins {found}, not the reviewed pair {REVIEWED_PAIR}: run `jupyter labextension list`, check that "
        "jupyterlab-myst still loads (its package.json's dependencies against JupyterLab's shared packages, and "
        "whether its built bundle requests each one that conflicts), then update REVIEWED_PAIR and the comments "
        "in requirements.txt and binder/requirements.in")


def test_the_installed_jupyterlab_myst_never_asks_for_the_ydoc_it_declares():
    """Why the reviewed pair is safe, checked on the installed extension where it is the reviewed one."""
    extension = Path(sys.prefix) / "share" / "jupyter" / "labextensions" / "jupyterlab-myst"
    if not (extension / "package.json").is_file():
        pytest.skip(f"jupyterlab-myst is not installed in {sys.prefix}")
    package = json.loads((extension / "package.json").read_text())
    if Version(package["version"]) != REVIEWED_PAIR["jupyterlab-myst"]:
        pytest.skip(f"jupyterlab-myst {package['version']} is installed, not the reviewed one")
    assert package["dependencies"]["@jupyter/ydoc"] == "^3.0.0"  # what the warning is about
    bundle = [path.read_text(errors="replace") for path in (extension / "static").glob("*.js")]
    assert any('"@jupyterlab/notebook"' in text for text in bundle)  # the shared packages it does ask for
    assert not any("@jupyter/ydoc" in text for text in bundle)
