"""Point the course at another repository (a fork): ``python tools/set_repo.py URL``.

The repository's address is **one setting**: ``repository.url`` in
``_config.yml``, from which Jupyter Book makes the launch (Binder, Colab),
repository, issue and edit links. A few places cannot read it and hold a
copy, which this script rewrites from the old address to ``URL``:

* the set-up cell of every chapter (``chapters/*.ipynb`` and the intro), which installs
  ``cnncourse`` from the repository where it is missing (Colab);
* ``chapters/running.md`` (``git clone``, the JupyterHub instructions and
  their nbgitpuller link) and ``README.md``.

``tests/test_repo_url.py`` checks that every copy agrees with ``_config.yml``.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parents[1]
URL = re.compile(r"^https://github\.com/[\w.-]+/[\w.-]+$")
SETTING = re.compile(r"^(repository:\n(?:[ \t].*\n)*?[ \t]+url:[ \t]*)(\S+)", re.M)


def copies(root: Path = ROOT) -> list[Path]:
    """The files that hold a copy of the repository's address."""
    return [*sorted((root / "chapters").glob("*.ipynb")), root / "chapters" / "00_intro.md",
            root / "chapters" / "running.md", root / "README.md"]


def current_url(root: Path = ROOT) -> str:
    """``repository.url`` of ``_config.yml``."""
    match = SETTING.search((root / "_config.yml").read_text(encoding="utf-8"))
    if match is None:
        raise ValueError("_config.yml has no repository: url: setting")
    return match.group(2)


def rewrite(text: str, old: str, new: str) -> str:
    """``text`` with the address ``old`` (plain, URL-encoded, its clone folder) replaced by ``new``."""
    old_name, new_name = old.rsplit("/", 1)[1], new.rsplit("/", 1)[1]
    text = text.replace(old, new).replace(quote(old, safe=""), quote(new, safe=""))
    text = re.sub(rf"^cd {re.escape(old_name)}$", f"cd {new_name}", text, flags=re.M)
    return text.replace(f"tree%2F{old_name}%2F", f"tree%2F{new_name}%2F")


def set_repo(new: str, root: Path = ROOT) -> list[Path]:
    """Make ``new`` the repository's address everywhere; return the files changed."""
    new = new.rstrip("/").removesuffix(".git")
    if not URL.match(new):
        raise ValueError(f"URL must look like https://github.com/OWNER/NAME, got {new!r}")
    old = current_url(root)
    config = root / "_config.yml"
    changed = []
    text = config.read_text(encoding="utf-8")
    if old != new:
        config.write_text(SETTING.sub(lambda m: m.group(1) + new, text, count=1), encoding="utf-8")
        changed.append(config)
    for path in copies(root):
        text = path.read_text(encoding="utf-8")
        if (updated := rewrite(text, old, new)) != text:
            path.write_text(updated, encoding="utf-8")
            changed.append(path)
    return changed


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("url", help="the new repository, e.g. https://github.com/you/how-cnns-see")
    args = parser.parse_args(argv)
    try:
        changed = set_repo(args.url)
    except ValueError as exc:
        sys.exit(str(exc))
    for path in changed:
        print(f"rewrote {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
