"""The English and the Chinese edition of "How CNNs see", linked both ways.

A small Sphinx extension, registered in ``_config.yml`` and in the Chinese
edition's ``zh/_config.yml`` (written by ``tools/i18n.py build``). The English
site is built into ``_build/html`` and the Chinese one into ``_build/html/zh``,
with the same page names, so every page links to the same page of the other
edition:

* a language switch in the bar above every page (``templates/language-switch.html``),
  an ordinary link that works without JavaScript;
* ``<link rel="alternate" hreflang="...">`` in the page's head, for search engines;
* in Chinese, no space between a glued word and the Chinese text around it
  (``比经典循环 {eval}`glued("ch1_faster")``` reads 比经典循环更快, not 比经典循环 更快),
  while glued numbers keep theirs, as Chinese technical writing spaces them.

``cnncourse_edition`` says which edition a build is: ``"en"`` (the default) or ``"zh"``.
"""

from __future__ import annotations

import re
from pathlib import Path

from docutils import nodes
from sphinx.application import Sphinx

from cnncourse.i18n.translate import CJK, HANZI

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


def site_url(repository_url: str, edition: str = "en", baseurl: str = "") -> str:
    """The address of the published site of ``edition``, ending in ``/``: ``baseurl`` (the
    book's ``html.baseurl``) where it is set, else the GitHub Pages site of the repository.

    >>> site_url("https://github.com/how-cnns-see/how-cnns-see")
    'https://how-cnns-see.github.io/how-cnns-see/'
    >>> site_url("https://github.com/How-CNNs-See/how-cnns-see.github.io", "zh")
    'https://how-cnns-see.github.io/zh/'
    >>> site_url("https://github.com/a/b", "zh", baseurl="https://cnn.example.org/course")
    'https://cnn.example.org/course/zh/'
    """
    other_edition(edition)  # an unknown edition is an error
    root = EDITIONS[edition]["root"]
    if baseurl:
        return baseurl.rstrip("/") + "/" + root
    match = re.fullmatch(r"https://github\.com/([\w.-]+)/([\w.-]+?)(?:\.git)?/?", repository_url)
    if match is None:
        raise ValueError(f"repository.url must look like https://github.com/OWNER/NAME (or set html.baseurl), "
                         f"got {repository_url!r}")
    owner, name = match[1].lower(), match[2]
    if name.lower() == f"{owner}.github.io":
        return f"https://{owner}.github.io/{root}"
    return f"https://{owner}.github.io/{name}/{root}"


def page_url(config, pagename: str, suffix: str = ".html") -> str:
    """The published address of page ``pagename`` of this build's edition (``suffix``: of its file
    with that suffix), from the Sphinx ``config`` (``repository_url`` of the theme, ``html_baseurl``)."""
    repository = (config.html_theme_options or {}).get("repository_url", "")
    return site_url(repository, config.cnncourse_edition, config.html_baseurl or "") + pagename + suffix


def add_switch(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    edition = app.config.cnncourse_edition
    other = EDITIONS[other_edition(edition)]
    href = link_to_other_edition(edition, pagename)
    context["cnn_other_edition"] = {"href": href, **other}
    context["metatags"] = context.get("metatags", "") + (
        f'\n<link rel="alternate" hreflang="{other["lang"]}" href="{href}" />')


def join_glued_words(doctree: nodes.Node) -> int:
    """Remove the space between Chinese text and a glued value (myst-nb's ``pasted-text``)
    that begins or ends with a Chinese character; return how many spaces went.

    >>> from docutils import nodes
    >>> p = nodes.paragraph("", "", nodes.Text("比经典循环 "), nodes.inline("", "更快", classes=["pasted-text"]),
    ...                     nodes.Text("，快 "), nodes.inline("", "7.4", classes=["pasted-text"]), nodes.Text(" 倍"))
    >>> join_glued_words(p), p.astext()
    (1, '比经典循环更快，快 7.4 倍')
    """
    removed = 0
    for node in list(doctree.findall(nodes.inline)):
        text, parent = node.astext(), node.parent
        if "pasted-text" not in node["classes"] or not text or parent is None:
            continue
        i = parent.index(node)
        before = parent[i - 1] if i > 0 else None
        if isinstance(before, nodes.Text) and re.match(f"[{HANZI}]", text) and re.search(f"[{CJK}] $", before):
            parent[i - 1] = nodes.Text(before[:-1])
            removed += 1
        after = parent[i + 1] if i + 1 < len(parent) else None
        if isinstance(after, nodes.Text) and re.search(f"[{HANZI}]$", text) and re.match(f" [{CJK}]", after):
            parent[i + 1] = nodes.Text(after[1:])
            removed += 1
    return removed


def tighten_chinese_glue(app: Sphinx, doctree: nodes.document) -> None:
    if app.config.cnncourse_edition == "zh":
        join_glued_words(doctree)


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
    app.connect("doctree-read", tighten_chinese_glue)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
