"""The reader's copies in the built site: what Colab and the ".ipynb" download give.

Every chapter notebook of both editions has its copy in the site
(``_notebooks/<page>.ipynb``, ``zh/_notebooks/<page>.ipynb``), written by
``_ext/reader_copies.py``. Each copy holds no MyST that Colab, classic Jupyter
or GitHub would show raw, its code cells are the chapter's byte for byte, its
text shows the values the page shows, and the page's download and Colab buttons
lead to it. Offline, over the files of the build (no browser); skipped without a
build, like the other site tests.
"""

from __future__ import annotations

import html
import re
import sys
from pathlib import Path

import nbformat
import pytest
import yaml

from test_site import PAGES, ROOT, page_file, site  # noqa: F401 - site is a fixture, used by name

sys.path.insert(0, str(ROOT / "_ext"))
from reader_copies import FOLDER, READER_BRANCH, read_notebook  # noqa: E402

pytestmark = pytest.mark.site

#: MyST that only MyST renders: fences of directives, glue, inline expressions, cross-references, any role.
MYST_ONLY = re.compile(r"```\{|:::\{|\{glue|\{eval\}|\{ref\}|\{numref\}|\{[A-Za-z][\w:+.-]*\}`")


def notebook_source(doc: str) -> Path | None:
    """The source of page ``doc`` if it is a notebook: an ``.ipynb``, or MyST Markdown with a kernel."""
    for path in (ROOT / f"{doc}.ipynb", ROOT / f"{doc}.md"):
        if path.is_file() and (path.suffix == ".ipynb" or "\nkernelspec:" in path.read_text(encoding="utf-8")[:500]):
            return path
    return None


CHAPTERS = [doc for doc in PAGES if notebook_source(doc)]


def copy_of(doc: str) -> Path:
    """Where the build writes the reader's copy of ``doc`` (``zh/...`` in the Chinese site).

    >>> copy_of("zh/chapters/02_pooling").relative_to(ROOT / "_build" / "html").as_posix()
    'zh/_notebooks/chapters/02_pooling.ipynb'
    """
    edition, page = ("zh/", doc.removeprefix("zh/")) if doc.startswith("zh/") else ("", doc)
    return page_file(f"{edition}{FOLDER}/{page}").with_suffix(".ipynb")


def test_every_chapter_of_both_editions_is_a_notebook_with_a_copy(site: Path) -> None:
    assert any(doc.startswith("zh/") for doc in CHAPTERS) and any(not doc.startswith("zh/") for doc in CHAPTERS)
    missing = [doc for doc in CHAPTERS if not copy_of(doc).is_file()]
    assert not missing, f"chapters without a reader's copy: {missing}"


@pytest.mark.parametrize("doc", CHAPTERS)
def test_the_copy_is_plain_jupyter_with_the_chapters_code(doc: str, site: Path) -> None:
    source = notebook_source(doc)
    chapter = read_notebook(source)  # a MyST Markdown notebook gets new cell ids at each reading
    ids = (lambda cell: cell.id) if source.suffix == ".ipynb" else (lambda cell: "")
    copy = nbformat.read(copy_of(doc), as_version=4)
    nbformat.validate(copy)
    raw = [(cell.id, match.group(0)) for cell in copy.cells if cell.cell_type == "markdown"
           for match in MYST_ONLY.finditer(cell.source)]
    assert not raw, f"MyST-only syntax in the copy of {doc}: {raw}"
    assert not [cell.id for cell in copy.cells if "user_expressions" in cell.metadata]
    code = [cell for cell in copy.cells if cell.cell_type == "code"]
    assert [(ids(c), c.source.encode(), c.metadata) for c in code] == [
        (ids(c), c.source.encode(), c.metadata) for c in chapter.cells if c.cell_type == "code"]
    assert all(c.outputs == [] for c in code)
    assert len([c for c in copy.cells if c.cell_type == "markdown" and c.id != "reader-copy-note"]) == len(
        [c for c in chapter.cells if c.cell_type == "markdown"])


@pytest.mark.parametrize("doc", CHAPTERS)
def test_the_copy_shows_the_values_the_page_shows(doc: str, site: Path) -> None:
    page = page_file(doc).read_text(encoding="utf-8")
    shown = [html.unescape(v) for v in re.findall(r'<span class="pasted-text">([^<]*)</span>', page)]
    text = "\n".join(c.source for c in nbformat.read(copy_of(doc), as_version=4).cells if c.cell_type == "markdown")
    # The site's typography curls the quotes of a sentence (Sphinx's smartquotes): the same sentence.
    plain = str.maketrans("\u2018\u2019\u201c\u201d", "''\"\"")
    assert [v for v in shown if v.translate(plain) not in text.translate(plain)] == []
    if shown:
        first = nbformat.read(copy_of(doc), as_version=4).cells[0].source
        assert ("built" in first) if not doc.startswith("zh/") else ("构建" in first)


@pytest.mark.parametrize("doc", CHAPTERS)
def test_the_download_and_colab_buttons_lead_to_the_copy(doc: str, site: Path) -> None:
    page = page_file(doc).read_text(encoding="utf-8")
    downloads = re.findall(r'<a href="([^"]+)"[^>]*?class="[^"]*btn-download-(?:notebook|source)-button[^"]*"'
                           r'(?:(?!</a>).)*?<span class="btn__text-container">\.ipynb</span>', page, re.DOTALL)
    up = "../" * doc.removeprefix("zh/").count("/")
    assert downloads == [f"{up}{FOLDER}/{doc.removeprefix('zh/')}.ipynb"]
    assert (page_file(doc).parent / downloads[0]).resolve() == copy_of(doc).resolve()
    repo = yaml.safe_load((ROOT / "_config.yml").read_text())["repository"]["url"]  # the one setting
    slug = repo.removeprefix("https://github.com/")
    colab = re.findall(r'<a href="(https://colab\.research\.google\.com/[^"]*)"', page)
    assert colab == [f"https://colab.research.google.com/github/{slug}/blob/{READER_BRANCH}/{doc}.ipynb"]
