"""Page descriptions, link previews and a tidier search for "How CNNs see".

A small Sphinx extension, registered in ``_config.yml`` (``sphinx:
local_extensions``). It

* writes a ``<meta name="description">`` and Open Graph / Twitter card tags
  (what a link preview in a chat or a social network shows) into every page:
  the page's title, the site's name and the first paragraph of the page's
  text, shortened to about 200 characters at a word boundary. ``og:url`` is the
  page's published address (``editions.page_url``);
* removes from the search index the entry that repeats a page's own title
  (Sphinx lists "2. Pooling" from the page and "2. Pooling > Pooling" from
  its top heading, because the numbered title differs from the heading's).
  ``_static/search-snippets.js`` takes the theme's buttons and the contents
  list out of the search results' snippets (else they read "....pdf Pooling
  Contents...").
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

from docutils import nodes
from sphinx.application import Sphinx

from cnncourse.i18n.translate import HANZI
from editions import page_url

#: The longest description written, in characters (search engines show about 160).
MAX_DESCRIPTION = 200

_SKIP = (nodes.admonition, nodes.Admonition, nodes.caption, nodes.table, nodes.list_item,
         nodes.footnote, nodes.citation, nodes.container, nodes.sidebar, nodes.topic)


def shorten(text: str, limit: int = MAX_DESCRIPTION) -> str:
    """``text`` on one line, cut at a word boundary to at most ``limit`` characters (with "…").

    Examples
    --------
    >>> shorten("A convolution  looks\\nat windows.", 20)
    'A convolution looks…'
    >>> shorten("Short.", 20)
    'Short.'

    Chinese text, twice as dense, gets half the characters and is cut after a punctuation mark:

    >>> shorten("池化把每张特征图划分成窗口，每个窗口输出一个数：最大值或平均值。", 30)
    '池化把每张特征图划分成窗口…'
    """
    text = re.sub(r"\s+", " ", text).strip()
    chinese = len(re.findall(f"[{HANZI}]", text)) > len(text) / 3
    limit = limit // 2 if chinese else limit
    if len(text) <= limit:
        return text
    if chinese:
        cut = re.sub(r"[^，。；：、！？]*$", "", text[:limit]) or text[:limit]
        return cut.rstrip("，。；：、！？") + "…"
    cut = text[:limit].rsplit(" ", 1)[0].rstrip(",;:")
    return cut + "…"


def first_paragraph(doctree: nodes.Node) -> str:
    """The text of the first paragraph of running text (not in a note, caption, list or output)."""
    for paragraph in doctree.findall(nodes.paragraph):
        parent, inside = paragraph.parent, False
        while parent is not None:
            if isinstance(parent, _SKIP):
                inside = True
                break
            parent = parent.parent
        text = paragraph.astext().strip()
        if not inside and len(text) > 40:
            return text
    return ""


def meta_tags(*, title: str, site: str, description: str, url: str = "") -> str:
    """The ``<meta>`` tags of one page, escaped.

    Examples
    --------
    >>> print(meta_tags(title="2. Pooling", site="How CNNs see", description='Max & "mean".'))
    <meta name="description" content="Max &amp; &quot;mean&quot;.">
    <meta property="og:type" content="article">
    <meta property="og:site_name" content="How CNNs see">
    <meta property="og:title" content="2. Pooling">
    <meta property="og:description" content="Max &amp; &quot;mean&quot;.">
    <meta name="twitter:card" content="summary">
    """
    tags = [("name", "description", description), ("property", "og:type", "article"),
            ("property", "og:site_name", site), ("property", "og:title", title),
            ("property", "og:description", description)]
    if url:
        tags.append(("property", "og:url", url))
    tags.append(("name", "twitter:card", "summary"))
    return "\n".join(f'<meta {kind}="{name}" content="{html.escape(value, quote=True)}">'
                     for kind, name, value in tags if value)


def add_meta_tags(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    """Write the description and link-preview tags into the page's ``<head>``."""
    if doctree is None:
        return
    title = re.sub(r"<[^>]+>", "", html.unescape(context.get("title") or "")).strip()
    site = context.get("docstitle") or app.config.html_title or app.config.project or ""
    try:
        url = page_url(app.config, pagename)
    except ValueError:  # a repository that is not on GitHub, and no html.baseurl: no address known
        url = ""
    tags = meta_tags(title=title, site=site, description=shorten(first_paragraph(doctree)), url=url)
    context["metatags"] = (context.get("metatags") or "") + "\n" + tags + "\n"


def _plain(title: str) -> str:
    return re.sub(r"^[\d.]+\s+", "", re.sub(r"<[^>]+>", "", html.unescape(title))).strip()


def drop_repeated_titles(index: dict) -> dict:
    """Remove ``alltitles`` entries that are a page's own (numbered) title without an anchor.

    Examples
    --------
    >>> index = {"titles": ['<span class="section-number">2. </span>Pooling'],
    ...          "alltitles": {"Pooling": [[0, None]], "Why pool?": [[0, "why-pool"]]}}
    >>> drop_repeated_titles(index)["alltitles"]
    {'Why pool?': [[0, 'why-pool']]}
    """
    titles = [_plain(t) for t in index.get("titles", [])]
    kept = {}
    for title, places in index.get("alltitles", {}).items():
        places = [p for p in places if not (p[1] is None and titles[p[0]] == title)]
        if places:
            kept[title] = places
    index["alltitles"] = kept
    return index


def tidy_search_index(app: Sphinx, exception: Exception | None) -> None:
    """Rewrite ``searchindex.js`` without the repeated page titles."""
    if exception is not None or app.builder.format != "html":
        return
    path = Path(app.outdir) / "searchindex.js"
    if not path.is_file():
        return
    text = path.read_text(encoding="utf-8")
    prefix, suffix = "Search.setIndex(", ")"
    if not (text.startswith(prefix) and text.rstrip().endswith(suffix)):
        return
    index = json.loads(text[len(prefix): text.rstrip().rfind(suffix)])
    path.write_text(prefix + json.dumps(drop_repeated_titles(index), separators=(",", ":"),
                                        ensure_ascii=False) + suffix, encoding="utf-8")


def setup(app: Sphinx) -> dict:
    app.setup_extension("editions")  # the edition, of which page_url gives the address
    app.connect("html-page-context", add_meta_tags)
    app.connect("build-finished", tidy_search_index)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
