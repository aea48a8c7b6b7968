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

from pathlib import Path

from sphinx.application import Sphinx

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
    app.connect("html-page-context", add_switch)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
