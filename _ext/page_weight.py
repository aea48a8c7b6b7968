"""Lighter pages: what a reader's browser loads for each page of the website.

A small Sphinx extension of "How CNNs see", registered in ``_config.yml``
(``sphinx: local_extensions``). The notebooks stay self-contained (a
:class:`cnncourse.figures.player.Player` inlines its frames as ``data:`` URIs, so it
works in Jupyter and Colab alone); the website's build makes them light, one
concern per module:

* ``picture_store``: each picture stored once, in its smallest acceptable
  encoding (lossless, or JPEG close to the original for photo- and noise-like
  pictures only);
* ``page_pictures``: every inline image of a page bigger than
  ``MIN_INLINE_BYTES`` becomes a file ``_images/frames/<sha256>.<ext>`` loaded
  by a relative URL (lazily in a player's hidden frames), and each big figure
  file of ``_images`` points at a smaller copy where there is one;
* ``page_scripts``: the scripts and stylesheets of each page, chosen in one
  place (no widget state, MathJax only where there is maths, the live
  explorers' and "Live Code" scripts only where they are used, no Font Awesome
  JavaScript).

This module connects them to Sphinx.
"""

from __future__ import annotations

from pathlib import Path

from sphinx.application import Sphinx
from sphinx.util import logging

from page_pictures import rewrite_figure_files, rewrite_inline_images
from page_scripts import add_static_path, choose_scripts, drop_fontawesome_js
from picture_store import FRAMES_DIR

logger = logging.getLogger(__name__)


def lighten_page(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    """Move the pictures out of the page, then choose its scripts (``html-page-context``)."""
    if app.builder.format != "html":
        return
    body = context.get("body")
    lazy = False
    if isinstance(body, str) and body:
        frames_dir = Path(app.outdir) / FRAMES_DIR
        rewrite = rewrite_inline_images(body, frames_dir, context["pathto"](FRAMES_DIR, 1) + "/")
        sources = {name: Path(app.srcdir) / source for source, name in getattr(app.builder, "images", {}).items()}
        context["body"] = rewrite_figure_files(rewrite.html, sources, frames_dir)
        lazy = rewrite.lazy > 0
        if rewrite.moved:
            logger.info(
                "page_weight: %s: %d inline pictures (%d lazy) to files, %d -> %d bytes",
                pagename, rewrite.moved, rewrite.lazy, rewrite.bytes_before, rewrite.bytes_after,
            )
    choose_scripts(app, context, doctree, lazy_frames=lazy)


def setup(app: Sphinx) -> dict:
    app.connect("config-inited", add_static_path)
    # After the theme's and the other extensions' (up to 600) have added theirs.
    app.connect("html-page-context", lighten_page, priority=900)
    app.connect("build-finished", drop_fontawesome_js)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
