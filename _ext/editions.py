"""The English and the Chinese edition of "How CNNs see", linked both ways.

A small Sphinx extension, registered in ``_config.yml`` and in the Chinese
edition's ``zh/_config.yml`` (written by ``tools/i18n.py build``). The English
site is built into ``_build/html`` and the Chinese one into ``_build/html/zh``,
with the same page names, so every page links to the same page of the other
edition:

* a language switch in the bar above every page (``templates/language-switch.html``),
  an ordinary link that works without JavaScript;
* ``<link rel="alternate" hreflang="...">`` in the page's head, for search engines.

``cnncourse_edition`` says which edition a build is: ``"en"`` (the default) or ``"zh"``.
"""

from __future__ import annotations

import re
from pathlib import Path

from sphinx.application import Sphinx

from cnncourse.i18n import HANZI

#: Each edition: its language (for hreflang), the switch's text, and where it
#: lies relative to the English site's root.
EDITIONS = {
    "en": {"lang": "en", "label": "English", "title": "Read this page in English", "root": ""},
    "zh": {"lang": "zh-CN", "label": "中文", "title": "阅读本页的中文版", "root": "zh/"},
}


def other_edition(edition: str) -> str:
    """The edition a page of ``edition`` links to.

    >>> other_edition("en"), other_edition("zh")
    ('zh', 'en')
    """
    if edition not in EDITIONS:
        raise ValueError(f"cnncourse_edition must be one of {sorted(EDITIONS)}, got {edition!r}")
    return "zh" if edition == "en" else "en"


def link_to_other_edition(edition: str, pagename: str) -> str:
    """The relative URL, from page ``pagename`` of ``edition``, of the same page in the other edition.

    >>> link_to_other_edition("en", "chapters/02_pooling")
    '../zh/chapters/02_pooling.html'
    >>> link_to_other_edition("zh", "chapters/02_pooling")
    '../../chapters/02_pooling.html'
    >>> link_to_other_edition("en", "index")
    'zh/index.html'
    """
    up = "../" * pagename.count("/")
    here, there = EDITIONS[edition]["root"], EDITIONS[other_edition(edition)]["root"]
    return up + "../" * here.count("/") + there + pagename + ".html"


def add_switch(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    edition = app.config.cnncourse_edition
    other = EDITIONS[other_edition(edition)]
    href = link_to_other_edition(edition, pagename)
    context["cnn_other_edition"] = {"href": href, **other}
    context["metatags"] = context.get("metatags", "") + (
        f'\n<link rel="alternate" hreflang="{other["lang"]}" href="{href}" />')


def glossary_terms(glossary: Path) -> list[str]:
    """The Chinese terms of the glossary page's tables (its second column).

    >>> import tempfile
    >>> page = Path(tempfile.mkdtemp()) / "glossary.md"
    >>> _ = page.write_text("| 英文 | 中文 |\\n|---|---|\\n| pooling | 池化 |\\n| leaky ReLU | 带泄漏的 ReLU（leaky ReLU） |\\n")
    >>> glossary_terms(page)
    ['池化', '带泄漏的']
    """
    terms = []
    for line in glossary.read_text(encoding="utf-8").splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) >= 2 and not set(cells[1]) <= set("-: "):
            terms += [word for word in re.findall(f"[{HANZI}]{{2,}}", cells[1]) if word != "中文"]
    return terms


def search_dictionary(app: Sphinx, config) -> None:
    """The Chinese search splits text into words with jieba; the glossary's terms
    (卷积核, 感受野, 激活函数, ...) are added to its dictionary so each is one word."""
    if config.cnncourse_edition != "zh":
        return
    glossary = Path(app.confdir) / "chapters" / "glossary.md"
    if not glossary.is_file():
        return
    words = Path(app.doctreedir) / "search-words.txt"
    words.parent.mkdir(parents=True, exist_ok=True)
    words.write_text("".join(f"{term} 1000 n\n" for term in glossary_terms(glossary)), encoding="utf-8")
    config.html_search_options = {**(config.html_search_options or {}), "dict": str(words)}


def use_templates(app: Sphinx, config) -> None:
    """Register the switch's template and put it at the end of the bar above every page."""
    config.templates_path = [*config.templates_path, str(Path(__file__).parent / "templates")]
    options = dict(config.html_theme_options or {})
    end = list(options.get("article_header_end") or ["article-header-buttons.html"])
    if "language-switch.html" not in end:
        end.insert(0, "language-switch.html")
    options["article_header_end"] = end
    config.html_theme_options = options


def setup(app: Sphinx) -> dict:
    app.add_config_value("cnncourse_edition", "en", "html", types=[str])
    app.connect("config-inited", use_templates)
    app.connect("config-inited", search_dictionary)
    app.connect("html-page-context", add_switch)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
