"""The repository's address is one setting (``_config.yml``): every copy agrees with it.

``python tools/set_repo.py URL`` rewrites the copies for a fork; this test
checks them, here and in a copy rewritten to another address.
"""

from __future__ import annotations

import re
import shutil
import sys
from pathlib import Path
from urllib.parse import quote

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))
try:
    import set_repo
finally:
    sys.path.pop(0)

GITHUB = re.compile(r"https://github\.com/(?!OWNER/NAME)[\w-]+/[\w.-]+?(?=\.git\b|[\s\"'`)/]|$)")


def problems(root: Path) -> list[str]:
    url = set_repo.current_url(root)
    found = []
    for path in sorted((root / "chapters").glob("*.ipynb")):
        first = nbformat.read(path, as_version=4).cells[0].source
        if f'"cnncourse @ git+{url}"' not in first:
            found.append(f"{path.name}: the set-up cell does not install from {url}")
        if re.search(r"--upgrade|\s-U\s", first):
            found.append(f"{path.name}: the set-up cell upgrades packages (Colab's ipywidgets must stay)")
    running = (root / "chapters" / "running.md").read_text(encoding="utf-8")
    for copy in (f"git clone {url}.git", f"cd {url.rsplit('/', 1)[1]}\n", f"git+{url}\"",
                 f"repo={quote(url, safe='')}&"):
        if copy not in running:
            found.append(f"running.md lacks {copy!r}")
    for path in set_repo.copies(root):
        text = (nbformat.read(path, as_version=4).cells[0].source if path.suffix == ".ipynb"
                else path.read_text(encoding="utf-8"))  # a chapter may cite other repositories
        others = {u for u in GITHUB.findall(text) if u != url}
        found += [f"{path.name} names another repository: {u}" for u in sorted(others)]
    if url not in (root / "README.md").read_text(encoding="utf-8"):
        found.append("README.md does not name the repository")
    return found


def test_every_copy_of_the_repository_address_agrees_with_config():
    assert problems(ROOT) == []


def test_set_repo_rewrites_every_copy(tmp_path):
    for name in ("_config.yml", "README.md"):
        shutil.copy(ROOT / name, tmp_path / name)
    shutil.copytree(ROOT / "chapters", tmp_path / "chapters")
    changed = set_repo.set_repo("https://github.com/a-fork/cnn-course.git", tmp_path)
    assert set_repo.current_url(tmp_path) == "https://github.com/a-fork/cnn-course"
    assert len(changed) == 1 + len(set_repo.copies(tmp_path))  # _config.yml and every copy
    assert problems(tmp_path) == []
    assert "how-cnns-see/how-cnns-see" not in "".join(p.read_text() for p in set_repo.copies(tmp_path))
    with pytest.raises(ValueError, match="URL must look like https://github.com/OWNER/NAME"):
        set_repo.set_repo("git@github.com:a/b", tmp_path)
