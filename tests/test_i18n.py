"""The Chinese edition cannot drift from the English one.

``tools/i18n.py`` cuts every English page into messages (one per Markdown
block, plus the alt texts of figures) kept in gettext catalogs,
``locales/zh_CN/LC_MESSAGES/<page>.po``, and writes ``zh/`` from them. These
tests fail when an English sentence changes and its translation does not,
when a translation loses markup (a glued value, a role, inline code, maths, a
link target), when ``zh/`` was not written again after a change, and when a
Chinese notebook's code differs from the English notebook's.
"""

from __future__ import annotations

import json
import re
import shutil
import sys
from pathlib import Path

import pytest

from cnncourse.i18n.translate import HANZI

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
import i18n  # noqa: E402
from babel.messages.catalog import Catalog  # noqa: E402
from babel.messages.pofile import read_po, write_po  # noqa: E402
from edition import blocks  # noqa: E402
from edition.book import Book  # noqa: E402

from cnncourse.i18n.translate import CJK  # noqa: E402

PAGES = i18n.pages()


def test_every_message_is_translated_and_keeps_its_markup() -> None:
    problems = i18n.problems()
    assert not problems, (f"{len(problems)} messages of the Chinese edition need a translator "
                          "(python tools/i18n.py export/import, or any PO editor):\n  "
                          + "\n  ".join(problems[:30]))


def test_the_chinese_pages_were_written_from_the_current_catalogs() -> None:
    stale = i18n.stale()
    assert not stale, f"run `python tools/i18n.py build`: these files of zh/ are stale: {stale}"


@pytest.mark.parametrize("page", [p for p in PAGES if p.suffix == ".ipynb"], ids=lambda p: p.stem)
def test_a_chinese_notebook_runs_the_same_code(page: Path) -> None:
    """Every code cell is the English one (the same source, tags and checked outputs); the
    only extra cell is the first, which sets CNNCOURSE_LANG=zh."""
    english = json.loads(page.read_text(encoding="utf-8"))
    chinese = json.loads((i18n.ZH / page.relative_to(ROOT)).read_text(encoding="utf-8"))
    first, *cells = chinese["cells"]
    assert "".join(first["source"]) == i18n.LANGUAGE_CELL
    assert i18n.LANGUAGE_TAG in first["metadata"]["tags"]
    assert len(cells) == len(english["cells"])
    for number, (en, zh) in enumerate(zip(english["cells"], cells)):
        assert zh["cell_type"] == en["cell_type"], f"cell {number}"
        if en["cell_type"] == "code":
            assert zh["source"] == en["source"], f"cell {number}: the code differs"
            metadata = {k: v for k, v in en["metadata"].items() if k != "mystnb"}
            assert {k: v for k, v in zh["metadata"].items() if k != "mystnb"} == metadata, f"cell {number}"
    assert not any(cell.get("outputs") for cell in cells), "a Chinese notebook was committed with outputs"


def test_the_language_cell_sets_chinese() -> None:
    namespace: dict = {}
    import os
    before = os.environ.get("CNNCOURSE_LANG")
    try:
        exec(i18n.LANGUAGE_CELL, namespace)
        assert os.environ["CNNCOURSE_LANG"] == "zh"
    finally:
        if before is None:
            os.environ.pop("CNNCOURSE_LANG", None)
        else:
            os.environ["CNNCOURSE_LANG"] = before


def test_blocks_rebuild_every_page_exactly() -> None:
    for page in PAGES:
        for where, markdown in blocks.texts(page):
            assert "".join(b.text + b.gap for b in i18n.split_blocks(markdown)) == markdown, where


def test_code_and_maths_are_not_messages() -> None:
    blocks = i18n.split_blocks("Text.\n\n```python\nx = 1\n```\n\n$$\na = b\n$$\n\n(target)=\n\n"
                               "```{admonition} Goals\n:class: tip\nLearn.\n```\n")
    assert [(b.text.split("\n")[0], b.translatable) for b in blocks] == [
        ("Text.", True), ("```python", False), ("$$", False), ("(target)=", False),
        ("```{admonition} Goals", True)]


def test_a_lost_glued_value_or_role_is_reported() -> None:
    english = 'The network reaches {eval}`glued("accuracy", ".0%")` (see {ref}`pooling`), `conv2d` and $x^2$.'
    assert i18n.markup_problems(english, '网络达到 {eval}`glued("accuracy", ".0%")`（见 {ref}`pooling`），`conv2d` 和 $x^2$。') == []
    lost = i18n.markup_problems(english, "网络达到很高的准确率，见池化一章，`conv2d` 和 $x^2$。")
    assert lost == ['lost {eval}`glued("accuracy", ".0%")`', "lost {ref}`pooling`"]


def _one_page_book(folder: Path) -> tuple[Book, Path]:
    """A book of one Markdown page in ``folder``, its catalog written (untranslated)."""
    page = folder / "chapters" / "page.md"
    page.parent.mkdir()
    page.write_text("# Pooling\n\nPooling shrinks feature maps.\n", encoding="utf-8")
    (folder / "_toc.yml").write_text("format: jb-book\nroot: chapters/page\nparts: []\n", encoding="utf-8")
    book = Book(folder)
    i18n.update(book)
    return book, page


def test_an_edited_english_sentence_makes_its_translation_fuzzy(tmp_path: Path) -> None:
    """What a translator sees after an English edit: the old translation, marked fuzzy, and a failing check."""
    book, page = _one_page_book(tmp_path)
    catalog = i18n.read_catalog(book.catalog_path(page))
    catalog.get("# Pooling").string = "# 池化"
    catalog.get("Pooling shrinks feature maps.").string = "池化缩小特征图。"
    with open(book.catalog_path(page), "wb") as handle:
        write_po(handle, catalog)
    assert i18n.problems(book) == []
    page.write_text("# Pooling\n\nPooling shrinks the feature maps.\n", encoding="utf-8")
    i18n.update(book)
    problems = i18n.problems(book)
    assert len(problems) == 1 and "fuzzy" in problems[0] and "Pooling shrinks the" in problems[0]
    updated = i18n.read_catalog(book.catalog_path(page)).get("Pooling shrinks the feature maps.")
    assert updated.fuzzy and updated.string == "池化缩小特征图。"
    # a long paragraph edited: updating again leaves the catalog as it was, with no fragments of old English
    long = "Pooling shrinks feature maps.\nIt keeps the largest value of every window, " * 3
    page.write_text(f"# Pooling\n\n{long}\n", encoding="utf-8")
    i18n.update(book)
    catalog = i18n.read_catalog(book.catalog_path(page))
    catalog.get(long).string = "池化缩小特征图。"
    with open(book.catalog_path(page), "wb") as handle:
        write_po(handle, catalog)
    page.write_text(f"# Pooling\n\n{long.replace('largest', 'greatest')}\n", encoding="utf-8")
    i18n.update(book)
    written = book.catalog_path(page).read_text(encoding="utf-8")
    i18n.update(book)
    assert book.catalog_path(page).read_text(encoding="utf-8") == written
    messages = written.split("\n\n", 1)[1]                     # after the catalog's header
    assert not [line for line in messages.splitlines() if line.startswith("#") and not line.startswith(("#:", "#,"))]


def test_a_pseudo_build_keeps_english_where_a_translation_is_missing(tmp_path: Path) -> None:
    """``build --pseudo`` is an argument passed down, not a setting the command line leaves behind."""
    book, page = _one_page_book(tmp_path)
    with pytest.raises(LookupError, match="no translation"):
        i18n.translated_page(page, book=book)
    assert "Pooling shrinks feature maps." in i18n.translated_page(page, book=book, pseudo=True)
    with pytest.raises(LookupError, match="no translation"):     # and nothing was left switched on
        i18n.translated_page(page, book=book)


def test_the_chinese_book_is_configured_for_chinese() -> None:
    import yaml
    config = yaml.safe_load((i18n.ZH / "_config.yml").read_text(encoding="utf-8"))
    assert config["sphinx"]["config"]["language"] == "zh_CN"
    assert config["sphinx"]["config"]["cnncourse_edition"] == "zh"
    assert config["repository"]["path_to_book"] == "zh"  # launch buttons open the Chinese notebooks
    assert re.search(f"[{HANZI}]", config["title"])


def test_every_alt_text_of_the_chapter_figures_has_a_chinese_translation() -> None:
    """A figure's alt text is a ``*_ALT`` constant of cnncourse/chapter_figures (code, the same in both
    editions); cnncourse translates it when it shows the figure, from its own catalog."""
    from cnncourse.chapter_figures import alt_texts
    from cnncourse.i18n.translate import CATALOG

    with open(CATALOG, "rb") as handle:
        labels = read_po(handle)
    texts = sorted(set().union(*alt_texts().values()))
    assert texts, "no *_ALT constants found in cnncourse/chapter_figures"
    missing = [text[:60] for text in texts
               if (message := labels.get(text)) is None or not message.string or message.fuzzy]
    assert not missing, f"add these alt texts to {CATALOG}:\n  " + "\n  ".join(missing)


def test_a_myst_notebooks_alt_texts_are_messages_and_come_out_chinese() -> None:
    """The intro is a MyST notebook: its code cell's ``alt:`` option is translated like a notebook's metadata."""
    intro = ROOT / "chapters" / "00_intro.md"
    assert any(text.startswith("Two rows of four pictures") for text, _ in i18n.messages(intro))
    chinese = re.findall(r'^\s+alt: (".*")$', i18n.translated_page(intro), re.MULTILINE)
    assert chinese and all(re.search(f"[{CJK}]", json.loads(alt)) for alt in chinese)


# -- gettext's check of every catalog ----------------------------------------------------------------

HEADER = 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=utf-8\\n"\n\n'
MSGFMT = [False, pytest.param(True, marks=pytest.mark.skipif(
    not shutil.which("msgfmt"), reason="GNU gettext's msgfmt is not installed (apt-get install gettext)"))]


@pytest.mark.parametrize("catalog", i18n.catalogs(), ids=lambda p: p.stem)
def test_every_catalog_passes_gettexts_check(catalog: Path) -> None:
    """``msgfmt -c`` where gettext is installed, Babel's checkers elsewhere."""
    assert i18n.catalog_errors(catalog) == []


@pytest.mark.parametrize("msgfmt", MSGFMT, ids=["babel", "msgfmt"])
def test_the_check_rejects_a_translation_that_breaks_a_declared_format(tmp_path: Path, msgfmt: bool) -> None:
    catalog = tmp_path / "bad.po"
    catalog.write_text(HEADER + '#, python-format\nmsgid "We keep 20 % of the images."\nmsgstr "我们留出 20%的图像。"\n',
                       encoding="utf-8")
    assert i18n.catalog_errors(catalog, msgfmt=msgfmt)
    catalog.write_text(HEADER + '#, python-brace-format\nmsgid "step {step}"\nmsgstr "第 {steps} 步"\n', encoding="utf-8")
    assert i18n.catalog_errors(catalog, msgfmt=msgfmt)
    # the same texts without the flag, or with the fields kept, pass
    catalog.write_text(HEADER + 'msgid "We keep 20 % of the images."\nmsgstr "我们留出 20%的图像。"\n\n'
                       '#, python-brace-format\nmsgid "step {step}"\nmsgstr "第 {step} 步"\n', encoding="utf-8")
    assert i18n.catalog_errors(catalog, msgfmt=msgfmt) == []


def test_a_pages_catalog_is_written_without_format_flags(tmp_path: Path) -> None:
    """Babel takes "20 % of" for a format string; a page's prose is Markdown, so its catalog has no such flag."""
    catalog = Catalog(locale=i18n.LOCALE, fuzzy=False)
    catalog.add("We keep 20 % of the images ({glue:text}`ch4_x`).", "我们留出 20% 的图像（{glue:text}`ch4_x`）。")
    assert catalog.get("We keep 20 % of the images ({glue:text}`ch4_x`).").flags  # what Babel adds
    i18n.write_catalog(catalog, tmp_path / "page.po")
    assert "format" not in (tmp_path / "page.po").read_text(encoding="utf-8")
    assert i18n.catalog_errors(tmp_path / "page.po", msgfmt=False) == []
