"""The two editions of the built site: English in ``_build/html``, Chinese in ``_build/html/zh``.

Every other browser test runs on the pages of both editions (``test_site.PAGES``).
These check what only the pair has: the language switch of every page leads to
the same page of the other edition, the Chinese pages read in Chinese (measured:
the share of Chinese characters in the visible text outside code and maths), the
Chinese search finds Chinese words offline, and both intros credit the sources.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urljoin

import pytest

from cnncourse.i18n.translate import HANZI
from test_site import (  # noqa: F401 - fixtures, used by name
    DESKTOP,
    EN_PAGES,
    PAGES,
    ZH_PAGES,
    base_url,
    page_file,
    site,
)

pytestmark = pytest.mark.site

#: The smallest share of Chinese characters among the letters of a Chinese page's text.
MIN_CJK_SHARE = 0.6

#: The glossary is bilingual by design: the first column of its tables (the English
#: terms) is left out of the measure.
BILINGUAL = {"zh/chapters/glossary"}

# The visible text of the article, without code and maths (and, on a bilingual
# page, without the first column of its tables).
ARTICLE_TEXT = """(bilingual) => {
  const article = document.querySelector('article.bd-article') || document.body;
  const copy = article.cloneNode(true);
  copy.querySelectorAll('pre, code, script, style, mjx-container, .math, .MathJax, .cell_input, '
                        + 'noscript, [hidden], .headerlink').forEach(e => e.remove());
  if (bilingual) { copy.querySelectorAll('table tr > :first-child').forEach(e => e.remove()); }
  return copy.textContent;
}"""


def counterpart(doc: str) -> str:
    """The same page in the other edition.

    >>> counterpart("chapters/02_pooling"), counterpart("zh/chapters/02_pooling")
    ('zh/chapters/02_pooling', 'chapters/02_pooling')
    """
    return doc.removeprefix("zh/") if doc.startswith("zh/") else f"zh/{doc}"


def cjk_share(text: str) -> float:
    """The share of Chinese characters among the letters (Chinese or Latin) of ``text``.

    >>> round(cjk_share("卷积核 kernel"), 2)
    0.33
    """
    cjk = len(re.findall(f"[{HANZI}]", text))
    latin = len(re.findall(r"[A-Za-z]", text))
    return cjk / max(cjk + latin, 1)


def test_both_editions_have_every_page(site: Path) -> None:
    assert ZH_PAGES, "zh/_toc.yml is missing: run `python tools/i18n.py build` (make book does)"
    assert [counterpart(doc) for doc in EN_PAGES] == ZH_PAGES
    missing = [doc for doc in PAGES if not page_file(doc).is_file()]
    assert not missing, f"pages missing from the build: {missing}"


@pytest.mark.parametrize("doc", PAGES)
def test_the_language_switch_leads_to_the_same_page(doc: str, site: Path) -> None:
    text = page_file(doc).read_text(encoding="utf-8")
    links = re.findall(r'<a class="[^"]*cnn-language-switch[^"]*" href="([^"]+)"', text)
    assert len(links) == 1, f"{doc}: {len(links)} language switches"
    target = (page_file(doc).parent / links[0]).resolve()
    assert target == page_file(counterpart(doc)).resolve(), f"{doc}: the switch leads to {links[0]}"
    assert target.is_file(), f"{doc}: the switch leads to {links[0]}, which does not exist"
    language = "zh-CN" if doc.startswith("zh/") else "en"
    assert re.search(rf'<html[^>]*\blang="{language}"', text), f"{doc}: <html lang> is not {language}"


@pytest.mark.parametrize("doc", ZH_PAGES)
def test_a_chinese_page_reads_in_chinese(doc: str, base_url: str, browser_context) -> None:
    page = browser_context.new_page()
    try:
        page.set_viewport_size(DESKTOP)
        page.goto(urljoin(base_url, f"{doc}.html"), wait_until="load")
        text = page.evaluate(ARTICLE_TEXT, doc in BILINGUAL)
    finally:
        page.close()
    share = cjk_share(text)
    assert share >= MIN_CJK_SHARE, (f"{doc}: only {share:.0%} of the letters outside code and maths are "
                                    f"Chinese (at least {MIN_CJK_SHARE:.0%} expected)")


def test_the_chinese_pages_have_no_english_prompts(site: Path) -> None:
    """myst-nb's prompts of hidden cells are set in Chinese (tools/i18n.py writes them into zh/_config.yml)."""
    english = [(doc, prompt) for doc in ZH_PAGES for prompt in ("Show code cell", "Hide code cell")
               if prompt in page_file(doc).read_text(encoding="utf-8")]
    assert not english, f"English prompts on Chinese pages: {english}"


def test_glued_chinese_words_sit_in_their_sentence(site: Path) -> None:
    """No space between Chinese text and a glued Chinese word (_ext/editions.py), e.g. 比经典循环更快."""
    loose = re.compile(f'[{HANZI}] <span class="pasted-text">[{HANZI}]|'
                       f'<span class="pasted-text">[^<]*[{HANZI}]</span> [{HANZI}]')
    found = [(doc, m.group()) for doc in ZH_PAGES for m in loose.finditer(page_file(doc).read_text(encoding="utf-8"))]
    assert not found, f"spaces around glued Chinese words: {found[:5]}"


@pytest.mark.parametrize(("query", "expected"), [("池化", "chapters/02_pooling.html"),
                                                  ("激活函数", "chapters/03_activations.html"),
                                                  ("感受野", "chapters/04_building_a_cnn.html")])
def test_the_chinese_search_finds_chinese_words_offline(query: str, expected: str, base_url: str,
                                                         browser_context) -> None:
    page = browser_context.new_page()
    try:
        page.goto(urljoin(base_url, f"zh/search.html?q={query}"), wait_until="load")
        page.wait_for_selector("#search-results ul.search li", timeout=15_000)
        hrefs = page.eval_on_selector_all("#search-results ul.search li a",
                                          "links => links.map(a => a.getAttribute('href'))")
    finally:
        page.close()
    assert any(href.split("#")[0].endswith(expected) for href in hrefs), \
        f"searching {query!r} does not list {expected}: {hrefs[:8]}"


def test_both_intros_credit_the_sources(site: Path) -> None:
    for doc in ("chapters/00_intro", "zh/chapters/00_intro"):
        text = page_file(doc).read_text(encoding="utf-8")
        assert "Chollet" in text and "How convolutional neural networks see" in text, doc
        assert "Simonyan" in text and "Zeiler" in text, doc
