"""Serve the site's front-end assets from the site itself (no CDN).

A small Sphinx extension of "How CNNs see", registered in ``_config.yml``
(``sphinx: local_extensions``). It

* copies MathJax 3 from ``node_modules/mathjax/es5`` (installed at build time
  with ``npm ci`` from the committed ``package.json``/``package-lock.json``)
  into ``_static/mathjax`` of the HTML build; ``mathjax_path`` in
  ``_config.yml`` points at it. A missing install fails the build with a
  message that says to run ``npm ci``;
* lets an instructor point the JupyterHub launch button at their own hub
  without editing ``_config.yml``: set ``CNNCOURSE_JUPYTERHUB_URL`` when
  building (``launch_buttons: jupyterhub_url`` in ``_config.yml`` is the
  other way);
* drops scripts that end up twice in a page (Sphinx 7 registers an inline
  script added during reading both as ``None`` and ``""``; sphinx-thebe's
  ``const THEBE_JS_URL`` declared twice is an uncaught error on every page);
* loads ``_static/cnn-live.js`` and ``cnn-live-explorers.js`` (the in-browser
  explorers of chapters 1-3) with ``defer``, and them and ``cnn-live.css``
  only on the pages that have a live explorer (``data-cnn-live``); Jupyter
  Book adds every ``_static/*.js`` and ``*.css`` to every page;
* checks every built page for ``<script>``, stylesheet, font, image or
  iframe URLs on another host and reports each as a warning (the build runs
  with ``-W``, so a CDN sneaking in fails it).
"""

from __future__ import annotations

import os
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.errors import ExtensionError
from sphinx.util import logging

logger = logging.getLogger(__name__)

#: The MathJax parts the site needs: the combined TeX+MathML/CHTML bundle and
#: the folders it loads on demand (TeX extensions, fonts, menu, accessibility).
MATHJAX_FILES = ("tex-mml-chtml.js",)
MATHJAX_DIRS = ("input", "output", "ui", "a11y", "adaptors", "sre")

_REMOTE = re.compile(r"^(?:[a-z][a-z0-9+.-]*:)?//", re.IGNORECASE)


def _mathjax_source(app: Sphinx) -> Path:
    """npm's copy of MathJax: beside the book, or one folder up (the Chinese edition in zh/)."""
    for folder in (Path(app.srcdir), Path(app.srcdir).parent):
        if (folder / "node_modules").is_dir():
            return folder / "node_modules" / "mathjax" / "es5"
    return Path(app.srcdir) / "node_modules" / "mathjax" / "es5"


def check_mathjax_installed(app: Sphinx) -> None:
    """Fail early (before executing notebooks) when MathJax is not installed."""
    if app.builder.format != "html":
        return
    source = _mathjax_source(app)
    if not (source / MATHJAX_FILES[0]).is_file():
        raise ExtensionError(
            f"MathJax is not installed ({source} is missing). The website serves its "
            "own copy of MathJax: run `npm ci` in the repository root, then build again."
        )


def set_jupyterhub_url(app: Sphinx, config) -> None:
    """Use $CNNCOURSE_JUPYTERHUB_URL, when set, for the JupyterHub launch button."""
    hub = os.environ.get("CNNCOURSE_JUPYTERHUB_URL", "").strip()
    if hub:
        options = dict(config.html_theme_options or {})
        launch = dict(options.get("launch_buttons") or {})
        launch["jupyterhub_url"] = hub
        options["launch_buttons"] = launch
        config.html_theme_options = options


def copy_mathjax(app: Sphinx, exception: Exception | None) -> None:
    """Copy MathJax into ``_static/mathjax`` of the finished HTML build."""
    if exception is not None or app.builder.format != "html":
        return
    source = _mathjax_source(app)
    target = Path(app.outdir) / "_static" / "mathjax"
    target.mkdir(parents=True, exist_ok=True)
    for name in MATHJAX_FILES:
        shutil.copy2(source / name, target / name)
    for name in MATHJAX_DIRS:
        shutil.copytree(source / name, target / name, dirs_exist_ok=True)
    licence = source.parent / "LICENSE"
    if licence.is_file():
        shutil.copy2(licence, target / "LICENSE")


def dedupe_scripts(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    """Keep the first of scripts that are the same but for ``None`` vs ``""`` as file name."""
    scripts = context.get("script_files")
    if not isinstance(scripts, list):
        return
    seen: set = set()
    unique = []
    for script in scripts:
        attributes = getattr(script, "attributes", {}) or {}
        key = (
            getattr(script, "filename", script) or "",
            tuple(sorted((k, str(v)) for k, v in attributes.items())),
        )
        if key not in seen:
            seen.add(key)
            unique.append(script)
    scripts[:] = unique


LIVE_SCRIPTS, LIVE_STYLE, LIVE_CHINESE = ("cnn-live.js", "cnn-live-explorers.js"), "cnn-live.css", "cnn-live-zh.js"


def live_script_where_needed(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    """Load ``cnn-live.js`` and ``cnn-live-explorers.js`` (deferred) and their CSS on pages
    with a live explorer, and not elsewhere; ``cnn-live-zh.js``, which puts the explorers' labels into
    Chinese, only there in the Chinese edition."""
    live = "data-cnn-live=" in (context.get("body") or "")
    chinese = getattr(app.config, "cnncourse_edition", "en") == "zh"
    for key, name, needed in (*(("script_files", script, live) for script in LIVE_SCRIPTS),
                              ("css_files", LIVE_STYLE, live), ("script_files", LIVE_CHINESE, live and chinese)):
        assets = context.get(key)
        if not isinstance(assets, list):
            continue
        kept = []
        for asset in assets:
            if str(getattr(asset, "filename", asset) or "").endswith(name):
                if not needed:
                    continue
                if key == "script_files":
                    attributes = dict(getattr(asset, "attributes", {}) or {}, defer="defer")
                    asset = type(asset)(asset.filename, priority=asset.priority, **attributes)
            kept.append(asset)
        assets[:] = kept


class _ExternalRefs(HTMLParser):
    """Collect the URLs a page *loads* (not the links a reader may follow)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.loads: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: (v or "") for k, v in attrs}
        if tag in ("script", "img", "iframe", "source", "audio", "video", "embed"):
            url = a.get("src", "")
        elif tag == "link" and {"stylesheet", "preload", "modulepreload", "icon"} & set(
            a.get("rel", "").lower().split()
        ):
            url = a.get("href", "")
        else:
            return
        if url and _REMOTE.match(url):
            self.loads.append(f"<{tag}> {url}")


def check_no_remote_assets(app: Sphinx, exception: Exception | None) -> None:
    """Warn about every page that would load something from another host."""
    if exception is not None or app.builder.format != "html":
        return
    for page in sorted(Path(app.outdir).rglob("*.html")):
        parser = _ExternalRefs()
        parser.feed(page.read_text(encoding="utf-8", errors="replace"))
        for ref in parser.loads:
            logger.warning(
                "%s loads %s from another host; the site must serve it itself",
                page.relative_to(app.outdir),
                ref,
                type="local_assets",
            )


def setup(app: Sphinx) -> dict:
    app.connect("config-inited", set_jupyterhub_url)
    app.connect("builder-inited", check_mathjax_installed)
    app.connect("html-page-context", dedupe_scripts, priority=900)
    app.connect("html-page-context", live_script_where_needed, priority=901)
    app.connect("build-finished", copy_mathjax)
    app.connect("build-finished", check_no_remote_assets)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
