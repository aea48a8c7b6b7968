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
* checks every built page for ``<script>``, stylesheet, font, image or
  iframe URLs on another host and reports each as a warning (the build runs
  with ``-W``, so a CDN sneaking in fails it). What a page loads is read by
  ``page_scan``, the scanner the site's tests use too.

Which scripts each page loads (the live explorers' only where there is one, no
script twice) is chosen in one place, ``page_scripts`` (page-weight extension).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.errors import ExtensionError
from sphinx.util import logging

from page_scan import remote_loads

logger = logging.getLogger(__name__)

#: The MathJax parts the site needs: the combined TeX+MathML/CHTML bundle and
#: the folders it loads on demand (TeX extensions, fonts, menu, accessibility).
MATHJAX_FILES = ("tex-mml-chtml.js",)
MATHJAX_DIRS = ("input", "output", "ui", "a11y", "adaptors", "sre")


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


def check_no_remote_assets(app: Sphinx, exception: Exception | None) -> None:
    """Warn about every page that would load something from another host."""
    if exception is not None or app.builder.format != "html":
        return
    for page in sorted(Path(app.outdir).rglob("*.html")):
        for tag, url in remote_loads(page.read_text(encoding="utf-8", errors="replace")):
            logger.warning(
                "%s loads <%s> %s from another host; the site must serve it itself",
                page.relative_to(app.outdir),
                tag,
                url,
                type="local_assets",
            )


def setup(app: Sphinx) -> dict:
    app.connect("config-inited", set_jupyterhub_url)
    app.connect("builder-inited", check_mathjax_installed)
    app.connect("build-finished", copy_mathjax)
    app.connect("build-finished", check_no_remote_assets)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
