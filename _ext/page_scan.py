"""What a built page loads: its scripts, stylesheets, icons, images and frames, and what it links to.

One scanner for the build and the tests: ``local_assets.py`` warns about every page that loads
something from another host (:func:`remote_loads`), and ``tests/test_site.py`` follows the links
and anchors of the built site (:func:`scan_page`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

#: A URL on another host: one with a scheme (``https:``, ``blob:``, ...) or protocol-relative (``//``).
EXTERNAL = re.compile(r"^(?:[a-z][a-z0-9+.-]*:|//)", re.IGNORECASE)
#: The elements whose ``src`` the browser loads with the page.
LOADING_TAGS = ("script", "img", "iframe", "source", "audio", "video", "embed", "input")
#: The ``<link rel>`` values whose ``href`` the browser loads with the page.
LOADING_RELS = frozenset({"stylesheet", "preload", "modulepreload", "icon", "prefetch"})


@dataclass
class PageRefs:
    """The ids, links and loaded resources of one HTML page, each as ``(tag, url)``."""

    ids: set[str] = field(default_factory=set)
    links: list[tuple[str, str]] = field(default_factory=list)  # followed or loaded
    loads: list[tuple[str, str]] = field(default_factory=list)  # loaded with the page


class _Scanner(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.refs = PageRefs()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: (v or "") for k, v in attrs}
        refs = self.refs
        for key in ("id", "name"):
            if a.get(key) and (key == "id" or tag == "a"):
                refs.ids.add(a[key])
        if tag == "a" and "href" in a:
            refs.links.append((tag, a["href"]))
        if tag == "link" and a.get("href"):
            refs.links.append((tag, a["href"]))
            if LOADING_RELS & set(a.get("rel", "").lower().split()):
                refs.loads.append((tag, a["href"]))
        if tag in LOADING_TAGS and a.get("src"):
            refs.links.append((tag, a["src"]))
            refs.loads.append((tag, a["src"]))


def scan_page(html: str) -> PageRefs:
    """The ids, links and loads of a page.

    Parameters
    ----------
    html : str
        The page's HTML.

    Returns
    -------
    PageRefs
        ``ids`` (anchors), ``links`` (followed or loaded) and ``loads`` (loaded with the page).

    Examples
    --------
    >>> refs = scan_page('<link rel="stylesheet" href="a.css"><a id="x" href="b.html">b</a>'
    ...                  '<img src="c.png"><link rel="canonical" href="d.html">')
    >>> refs.loads, sorted(refs.ids)
    ([('link', 'a.css'), ('img', 'c.png')], ['x'])
    """
    scanner = _Scanner()
    scanner.feed(html)
    scanner.close()
    return scanner.refs


def remote_loads(html: str) -> list[tuple[str, str]]:
    """What a page loads from another host (``data:`` URIs are the page's own).

    Examples
    --------
    >>> remote_loads('<script src="https://cdn.example/x.js"></script><img src="data:image/png;base64,AA==">'
    ...              '<script src="_static/y.js"></script><a href="https://example.org">a link</a>')
    [('script', 'https://cdn.example/x.js')]
    """
    return [(tag, url) for tag, url in scan_page(html).loads
            if EXTERNAL.match(url) and not url.lower().startswith("data:")]
