"""Where the book's files are: the English pages (in ``_toc.yml`` order), their catalogs, and ``zh/``.

A :class:`Book` names one checkout; every tool takes one (:data:`BOOK`, this repository, by default),
so a test can point the tools at a book of its own in a temporary folder.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

#: The repository this file belongs to.
ROOT = Path(__file__).resolve().parents[2]
#: The locale of the translated edition (the folder name under ``locales/``).
LOCALE = "zh_CN"


@dataclass(frozen=True)
class Book:
    """A checkout of the course: its English pages, catalogs and Chinese edition.

    Parameters
    ----------
    root : pathlib.Path
        The folder that holds ``_toc.yml``, ``chapters/``, ``locales/`` and ``zh/``.

    Examples
    --------
    >>> Book(Path("/book")).catalogs.as_posix()
    '/book/locales/zh_CN/LC_MESSAGES'
    >>> Book(Path("/book")).catalog_path(Path("/book/chapters/01_x.ipynb")).as_posix()
    '/book/locales/zh_CN/LC_MESSAGES/chapters/01_x.po'
    """

    root: Path = ROOT

    @property
    def catalogs(self) -> Path:
        """The folder of the pages' catalogs (the layout ``sphinx-intl`` uses)."""
        return self.root / "locales" / LOCALE / "LC_MESSAGES"

    @property
    def zh(self) -> Path:
        """The generated Chinese edition."""
        return self.root / "zh"

    def pages(self) -> list[Path]:
        """Every page of the English book, in the order of ``_toc.yml``."""
        toc = yaml.safe_load((self.root / "_toc.yml").read_text(encoding="utf-8"))
        docs = [toc["root"]] + [c["file"] for part in toc["parts"] for c in part["chapters"]]
        found = []
        for doc in docs:
            for suffix in (".ipynb", ".md"):
                if (self.root / f"{doc}{suffix}").exists():
                    found.append(self.root / f"{doc}{suffix}")
                    break
            else:
                raise FileNotFoundError(f"_toc.yml names {doc!r}, which has no .ipynb or .md file")
        return found

    def catalog_path(self, page: Path) -> Path:
        """The catalog of an English page."""
        return self.catalogs / page.relative_to(self.root).with_suffix(".po")

    def name(self, path: Path) -> str:
        """``path`` relative to the book's root, as the tools print it."""
        return str(path.relative_to(self.root))

    def page(self, name: str) -> Path:
        """The one page whose path contains ``name`` (``SystemExit`` naming the pages otherwise)."""
        found = [page for page in self.pages() if name in self.name(page)]
        if len(found) != 1:
            raise SystemExit(f"page {name!r} matches {len(found)} pages; give one of "
                             + ", ".join(self.name(p) for p in self.pages()))
        return found[0]


#: This repository.
BOOK = Book()
