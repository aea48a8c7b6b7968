"""Which scripts and stylesheets each page of the website loads: chosen here, in one place.

Part of the page-weight extension (``page_weight.py``), which calls :func:`choose_scripts`
for every page. Jupyter Book adds every ``_static/*.js`` and ``*.css`` to every page, and
Sphinx adds MathJax to a page whose *toctree* includes maths; here each page keeps what it uses:

* the notebooks' saved ipywidgets state is left out (the site shows no widget views:
  ``nb_mime_priority_overrides`` in ``_config.yml``);
* MathJax only where the page has maths;
* ``lazy-frames.js`` (in ``_ext/static``) where a player's hidden frames load lazily: it loads
  all of a player's frames as soon as a reader reaches for it;
* ``live-code.js`` where the "Live Code" button is: when it cannot reach Thebe or
  mybinder.org, it says so within seconds, and what to use instead;
* ``cnn-live.js``, ``cnn-live-picture.js``, ``cnn-live-explorers.js``, ``cnn-live-activations.js`` and
  ``cnn-live-host.js`` (deferred) and ``cnn-live.css`` only where there
  is a live explorer (``data-cnn-live``), and ``cnn-live-zh.js`` only there in the Chinese edition;
* ``cnn-net.js`` and the same host, ``cnn-live-host.js`` (deferred), only where chapter 4's draw explorer is
  (``data-cnn-draw``); the host imports the module ``cnn-draw.mjs`` (``.mjs``: never added to a page);
* a script that ends up twice (Sphinx 7 registers an inline script added during reading both
  as ``None`` and ``""``; sphinx-thebe's ``const THEBE_JS_URL`` twice is an error) only once.

After the build, :func:`drop_fontawesome_js` takes the theme's 1.5 MB Font Awesome JavaScript
out of every page: the theme's stylesheet draws the same icons with the web fonts.
"""

from __future__ import annotations

import re
from pathlib import Path

from docutils import nodes
from sphinx.application import Sphinx

#: The page scripts of this extension (served from here, only on the pages that need them).
STATIC = Path(__file__).resolve().parent / "static"
LIVE_SCRIPTS = ("cnn-live.js", "cnn-live-picture.js", "cnn-live-explorers.js", "cnn-live-activations.js", "cnn-live-host.js")
LIVE_STYLE, LIVE_CHINESE = "cnn-live.css", "cnn-live-zh.js"
DRAW_SCRIPTS = ("cnn-net.js", "cnn-live-host.js")
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"
_FONTAWESOME_JS = re.compile(
    r'[ \t]*(?:<!-- So that users can add custom icons -->\s*)?'
    r'<script\b[^>]*\bsrc="[^"]*_static/scripts/fontawesome\.js[^"]*"[^>]*>\s*</script>\n?'
)


def _has_maths(doctree) -> bool:
    if doctree is None:
        return False
    return any(True for _ in doctree.findall(lambda node: isinstance(node, (nodes.math, nodes.math_block))))


def _filename(asset) -> str:
    return str(getattr(asset, "filename", asset) or "")


def _attributes(asset) -> dict:
    return getattr(asset, "attributes", {}) or {}


def _unique(assets: list) -> list:
    """The first of scripts that are the same but for ``None`` vs ``""`` as file name."""
    seen: set = set()
    unique = []
    for asset in assets:
        key = (_filename(asset), tuple(sorted((k, str(v)) for k, v in _attributes(asset).items())))
        if key not in seen:
            seen.add(key)
            unique.append(asset)
    return unique


def _live_assets(assets: list, *, scripts: bool, live: bool, chinese: bool, draw: bool = False) -> list:
    """The live explorers' files kept only where ``live`` (the Chinese labels only where also
    ``chinese``), the draw explorer's only where ``draw``, their scripts deferred."""
    needed = {name: live for name in (LIVE_SCRIPTS if scripts else (LIVE_STYLE,))}
    if scripts:
        needed[LIVE_CHINESE] = live and chinese
        needed.update({name: draw or needed.get(name, False) for name in DRAW_SCRIPTS})  # one host for both
    kept = []
    for asset in assets:
        name = next((name for name in needed if _filename(asset).endswith(name)), None)
        if name is not None:
            if not needed[name]:
                continue
            if scripts:
                attributes = dict(_attributes(asset), defer="defer")
                asset = type(asset)(asset.filename, priority=asset.priority, **attributes)
        kept.append(asset)
    return kept


def choose_scripts(app: Sphinx, context: dict, doctree, *, lazy_frames: bool = False) -> None:
    """Set the scripts and stylesheets of one page (``context``, in ``html-page-context``).

    Parameters
    ----------
    app : sphinx.application.Sphinx
        The application (its configuration and builder).
    context : dict
        The page's template context: ``script_files``, ``css_files``, ``body`` and
        ``use_thebe`` (set by sphinx-book-theme where the "Live Code" button is).
    doctree : docutils.nodes.document or None
        The page's document, to find maths in.
    lazy_frames : bool, optional
        Whether the page has player frames that load lazily (``lazy-frames.js``).
    """
    scripts = context.get("script_files")
    if isinstance(scripts, list):
        keep_mathjax = _has_maths(doctree)
        mathjax = {app.config.mathjax_path, f"_static/{app.config.mathjax_path}"}

        def needed(script) -> bool:
            attributes = _attributes(script)
            if attributes.get("type") == WIDGET_STATE:
                return False
            is_mathjax = (_filename(script) in mathjax
                          or str(attributes.get("body", "")).lstrip().startswith("window.MathJax"))
            return keep_mathjax or not is_mathjax

        scripts[:] = [script for script in scripts if needed(script)]
    # The builder's add_js_file: this page only (app.add_js_file also registers it for later pages).
    if lazy_frames:
        app.builder.add_js_file("lazy-frames.js")
    if context.get("use_thebe") and context.get("body"):
        app.builder.add_js_file("live-code.js")
    live = "data-cnn-live=" in (context.get("body") or "")
    draw = "data-cnn-draw=" in (context.get("body") or "")
    chinese = getattr(app.config, "cnncourse_edition", "en") == "zh"
    for key in ("script_files", "css_files"):
        assets = context.get(key)
        if isinstance(assets, list):
            assets[:] = _live_assets(_unique(assets) if key == "script_files" else assets,
                                     scripts=key == "script_files", live=live, chinese=chinese, draw=draw)


def drop_fontawesome_js(app: Sphinx, exception: Exception | None) -> None:
    """Take the theme's Font Awesome JavaScript out of every page (its CSS draws the icons)."""
    if exception is not None or app.builder.format != "html":
        return
    outdir = Path(app.outdir)
    for page in outdir.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        lighter = _FONTAWESOME_JS.sub("", text)
        if lighter != text:
            page.write_text(lighter, encoding="utf-8")
    for name in ("fontawesome.js", "fontawesome.js.map", "fontawesome.js.LICENSE.txt"):
        (outdir / "_static" / "scripts" / name).unlink(missing_ok=True)


def add_static_path(app: Sphinx, config) -> None:
    """Serve ``_ext/static`` (not ``_static``: Jupyter Book puts every script there on every page)."""
    static = str(STATIC)
    if static not in config.html_static_path:
        config.html_static_path = [*config.html_static_path, static]
