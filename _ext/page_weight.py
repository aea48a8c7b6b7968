"""Lighter pages: what a reader's browser loads for each page of the website.

A small Sphinx extension of "How CNNs see", registered in ``_config.yml``
(``sphinx: local_extensions``). The notebooks stay self-contained (a
:class:`cnncourse.player.Player` inlines its frames as ``data:`` URIs, so it
works in Jupyter and Colab alone); the website's build makes them light:

* every inline image of a page bigger than :data:`MIN_INLINE_BYTES` becomes a
  file ``_images/frames/<sha256>.<ext>`` (one per distinct picture) loaded by
  a relative URL. Images of a player's hidden frames load lazily
  (``loading="lazy"``: not before the frame is shown), and
  ``lazy-frames.js`` (in ``_ext/static``) loads all of a player's frames as soon as a
  reader reaches for it, so stepping and playing never wait;
* each picture, inline or a figure file of ``_images`` bigger than
  :data:`RECOMPRESS_MIN_BYTES`, is stored in the smallest of: its own
  encoding, lossless WebP, or, for noise- and photo-like pictures only (more
  than :data:`LOSSY_MIN_COLOURS` colours, opaque), JPEG without chroma
  subsampling at the first of :data:`JPEG_QUALITIES` whose peak
  signal-to-noise ratio is at least :data:`MIN_PSNR_DB` (:func:`compress_image`);
* the notebooks' saved ipywidgets state is left out of the pages (the site
  shows no widget views: ``nb_mime_priority_overrides`` in ``_config.yml``);
* MathJax is loaded only by pages with maths (Sphinx also adds it to a page
  whose *toctree* includes pages with maths, i.e. the root page);
* the theme's 1.5 MB Font Awesome JavaScript (which turns ``<i class="fa-…">``
  into SVG) is dropped: the theme's stylesheet already draws the same icons
  with the Font Awesome web fonts;
* pages with a "Live Code" button get ``live-code.js``: when "Live Code" cannot reach
  Thebe or mybinder.org, it says so within seconds, and what to use instead.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util import logging

logger = logging.getLogger(__name__)

#: Where the pictures taken out of the pages go, relative to the HTML root.
FRAMES_DIR = "_images/frames"
#: Inline images smaller than this (decoded bytes) stay inline: a request costs more.
MIN_INLINE_BYTES = 1024
#: Figure files of ``_images`` smaller than this are served as they are.
RECOMPRESS_MIN_BYTES = 64_000
#: A picture with more colours than this counts as photo- or noise-like (lossy allowed).
LOSSY_MIN_COLOURS = 4096
#: JPEG qualities tried in turn (4:4:4, no chroma subsampling); the first within MIN_PSNR_DB wins.
JPEG_QUALITIES = (85, 90)
#: The lowest peak signal-to-noise ratio (dB) a lossy copy may have.
MIN_PSNR_DB = 30.0
#: Lossless WebP's effort (Pillow's ``quality`` with ``lossless=True``, 0-100) and method (0-6).
#: On the book's frames, effort 75 encodes 2.6 times faster than 100, for 0.7% more bytes.
WEBP_EFFORT, WEBP_METHOD = 75, 4
#: Part of every stored picture's name: a change of the settings above makes new files.
_POLICY = (f"v2 {MIN_INLINE_BYTES} {LOSSY_MIN_COLOURS} {JPEG_QUALITIES} {MIN_PSNR_DB} "
           f"{WEBP_EFFORT} {WEBP_METHOD}").encode()

#: The page scripts of this extension (served from here, only on the pages that need them).
STATIC = Path(__file__).resolve().parent / "static"

_EXTENSIONS = {"PNG": "png", "JPEG": "jpg", "GIF": "gif", "WEBP": "webp"}
_TOKENS = re.compile(r"<div\b[^>]*>|</div\s*>|<img\b[^>]*>|<source\b[^>]*>", re.IGNORECASE)
_DATA_SRC = re.compile(r'(\s(?:src|srcset)=")data:image/(?:png|jpeg|gif|webp);base64,([A-Za-z0-9+/=\s]+)(")', re.IGNORECASE)
_FILE_SRC = re.compile(r'(\ssrc=")((?:\.\./)*_images/)([^"/]+\.png)(")', re.IGNORECASE)
_HIDDEN = re.compile(r"\shidden(?=[\s>/=])", re.IGNORECASE)
_FONTAWESOME_JS = re.compile(
    r'[ \t]*(?:<!-- So that users can add custom icons -->\s*)?'
    r'<script\b[^>]*\bsrc="[^"]*_static/scripts/fontawesome\.js[^"]*"[^>]*>\s*</script>\n?'
)


# --------------------------------------------------------------------------
# Pictures
# --------------------------------------------------------------------------


def _psnr(reference, candidate) -> float:
    import numpy as np

    a = np.asarray(reference, dtype=np.float64)
    b = np.asarray(candidate, dtype=np.float64)
    mse = float(np.mean((a - b) ** 2))
    return float("inf") if mse == 0 else 10 * np.log10(255.0**2 / mse)


def compress_image(data: bytes) -> tuple[bytes, str]:
    """The smallest acceptable encoding of a picture: ``(bytes, extension)``.

    Candidates: the picture as it is; lossless WebP (for PNG); and, for an
    opaque picture with more than :data:`LOSSY_MIN_COLOURS` colours (a photo
    or noise), JPEG with full-resolution colour at the first of
    :data:`JPEG_QUALITIES` whose PSNR against the original is at least
    :data:`MIN_PSNR_DB` (none: no JPEG).
    Flat pictures (charts, colour-mapped grids, text) stay lossless.

    Parameters
    ----------
    data : bytes
        A PNG, JPEG, GIF or WebP file.

    Returns
    -------
    (bytes, str)
        The encoded picture and its file extension (``"png"``, ``"webp"``,
        ``"jpg"``, ...).

    Examples
    --------
    >>> from PIL import Image
    >>> buffer = io.BytesIO(); Image.new("L", (64, 64), 128).save(buffer, "PNG")
    >>> compress_image(buffer.getvalue())[1] in ("png", "webp")
    True
    """
    from PIL import Image

    with Image.open(io.BytesIO(data)) as picture:
        kind = picture.format
        if kind not in _EXTENSIONS:
            raise ValueError(f"data must be a PNG, JPEG, GIF or WebP picture, got {kind!r}")
        candidates = [(data, _EXTENSIONS[kind])]
        if kind != "PNG" or getattr(picture, "is_animated", False):
            return candidates[0]
        picture.load()
        buffer = io.BytesIO()
        picture.save(buffer, format="WEBP", lossless=True, quality=WEBP_EFFORT, method=WEBP_METHOD)
        candidates.append((buffer.getvalue(), "webp"))
        rgba = picture.convert("RGBA")
        opaque = rgba.getextrema()[3][0] == 255
        if opaque and rgba.getcolors(maxcolors=LOSSY_MIN_COLOURS) is None:
            rgb = rgba.convert("RGB")
            for quality in JPEG_QUALITIES:
                buffer = io.BytesIO()
                rgb.save(buffer, format="JPEG", quality=quality, subsampling=0, optimize=True)
                with Image.open(io.BytesIO(buffer.getvalue())) as copy:
                    if _psnr(rgb, copy.convert("RGB")) >= MIN_PSNR_DB:
                        candidates.append((buffer.getvalue(), "jpg"))
                        break
    return min(candidates, key=lambda candidate: len(candidate[0]))


def store_picture(data: bytes, frames_dir: Path) -> str:
    """Write the smallest encoding of ``data`` to ``frames_dir`` once; return its file name.

    The name is the SHA-256 of the *original* bytes (and of the settings
    above), so the same picture on several pages, or in several builds, is
    encoded and stored once.

    Examples
    --------
    >>> import tempfile
    >>> from PIL import Image
    >>> buffer = io.BytesIO(); Image.new("RGB", (8, 8), "red").save(buffer, "PNG")
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     first = store_picture(buffer.getvalue(), Path(folder))
    ...     first == store_picture(buffer.getvalue(), Path(folder)), len(list(Path(folder).iterdir()))
    (True, 1)
    """
    stem = hashlib.sha256(_POLICY + data).hexdigest()
    for existing in frames_dir.glob(f"{stem}.*"):
        return existing.name
    encoded, extension = compress_image(data)
    frames_dir.mkdir(parents=True, exist_ok=True)
    target = frames_dir / f"{stem}.{extension}"
    partial = target.with_suffix(target.suffix + ".part")
    partial.write_bytes(encoded)
    partial.replace(target)
    return target.name


@dataclass
class Rewrite:
    """What :func:`rewrite_inline_images` did to one page."""

    html: str
    moved: int = 0  # inline pictures now files
    lazy: int = 0  # ... of which in hidden player frames
    bytes_before: int = 0  # characters of the data URIs taken out
    bytes_after: int = 0  # bytes of the files they point to
    files: set[str] = field(default_factory=set)


def rewrite_inline_images(html: str, frames_dir: Path, url_prefix: str,
                          *, min_bytes: int = MIN_INLINE_BYTES) -> Rewrite:
    """Take the inline pictures out of ``html``: each ``<img src="data:...">`` (and
    ``<source srcset="data:...">`` of a ``<picture>``) becomes a file.

    Parameters
    ----------
    html : str
        A page, or part of one.
    frames_dir : pathlib.Path
        Where the picture files go (created when needed).
    url_prefix : str
        The URL of ``frames_dir`` as seen from the page, ending in ``/``
        (e.g. ``"../_images/frames/"``).
    min_bytes : int, optional
        Pictures smaller than this (decoded) stay inline.

    Returns
    -------
    Rewrite
        The new HTML and counts. An ``<img>`` inside a ``hidden`` player
        frame (``<div class="cnn-player-frame" ... hidden>``) gets
        ``loading="lazy"``: it loads when its frame is shown.

    Examples
    --------
    >>> import tempfile
    >>> from PIL import Image
    >>> buffer = io.BytesIO(); Image.effect_noise((64, 64), 60).save(buffer, "PNG")
    >>> uri = "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode()
    >>> page = f'<div class="cnn-player-frame" hidden><img src="{uri}" alt="noise"></div>'
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     result = rewrite_inline_images(page, Path(folder), "../_images/frames/")
    >>> result.moved, result.lazy, "data:" in result.html, 'loading="lazy"' in result.html
    (1, 1, False, True)
    """
    if min_bytes < 0:
        raise ValueError(f"min_bytes must be >= 0, got {min_bytes}")
    result = Rewrite(html="")
    hidden_depths: list[bool] = []
    pieces: list[str] = []
    last = 0
    for token in _TOKENS.finditer(html):
        tag = token.group(0)
        if tag.startswith("</"):
            if hidden_depths:
                hidden_depths.pop()
            continue
        if tag[:4].lower() == "<div":
            hidden_depths.append("cnn-player-frame" in tag and bool(_HIDDEN.search(tag)))
            continue
        match = _DATA_SRC.search(tag)
        if not match:
            continue
        try:
            data = base64.b64decode("".join(match.group(2).split()), validate=True)
        except (binascii.Error, ValueError):
            continue
        if len(data) < min_bytes:
            continue
        try:
            name = store_picture(data, frames_dir)
        except (OSError, ValueError) as error:  # not a picture Pillow reads: leave it inline
            logger.warning("an inline picture stays inline (%s)", error, type="page_weight")
            continue
        new_tag = tag[: match.start()] + f'{match.group(1)}{url_prefix}{name}{match.group(3)}' + tag[match.end():]
        if any(hidden_depths) and "loading=" not in new_tag and tag[:4].lower() == "<img":
            new_tag = new_tag[:4] + ' loading="lazy"' + new_tag[4:]
            result.lazy += 1
        result.moved += 1
        result.bytes_before += len(match.group(2))
        result.bytes_after += (frames_dir / name).stat().st_size
        result.files.add(name)
        pieces.append(html[last:token.start()])
        pieces.append(new_tag)
        last = token.end()
    pieces.append(html[last:])
    result.html = "".join(pieces)
    return result


def rewrite_figure_files(html: str, sources: dict[str, Path], frames_dir: Path,
                         *, min_bytes: int = RECOMPRESS_MIN_BYTES) -> str:
    """Point big PNG figures of ``_images`` at a smaller copy in ``frames_dir`` where there is one.

    ``sources`` maps a file name of ``_images`` to the file it is copied
    from. A figure stays as it is when its PNG is the smallest encoding.

    Examples
    --------
    >>> rewrite_figure_files('<img src="../_images/a.png">', {}, Path("."))
    '<img src="../_images/a.png">'
    """

    def replace(match: re.Match) -> str:
        source = sources.get(match.group(3))
        if source is None or not source.is_file() or source.stat().st_size < min_bytes:
            return match.group(0)
        name = store_picture(source.read_bytes(), frames_dir)
        if name.endswith(".png"):
            return match.group(0)
        return f"{match.group(1)}{match.group(2)}frames/{name}{match.group(4)}"

    return _FILE_SRC.sub(replace, html)


# --------------------------------------------------------------------------
# Sphinx hooks
# --------------------------------------------------------------------------


def _has_maths(doctree) -> bool:
    if doctree is None:
        return False
    return any(True for _ in doctree.findall(lambda node: isinstance(node, (nodes.math, nodes.math_block))))


def lighten_page(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    """Drop the widget state and a needless MathJax; move the pictures out of the page."""
    if app.builder.format != "html":
        return
    scripts = context.get("script_files")
    if isinstance(scripts, list):
        keep_mathjax = _has_maths(doctree)
        mathjax = {app.config.mathjax_path, f"_static/{app.config.mathjax_path}"}

        def needed(script) -> bool:
            attributes = getattr(script, "attributes", {}) or {}
            filename = getattr(script, "filename", script) or ""
            if attributes.get("type") == "application/vnd.jupyter.widget-state+json":
                return False
            if not keep_mathjax and (
                filename in mathjax or str(attributes.get("body", "")).lstrip().startswith("window.MathJax")
            ):
                return False
            return True

        scripts[:] = [script for script in scripts if needed(script)]

    body = context.get("body")
    if not isinstance(body, str) or not body:
        return
    outdir = Path(app.outdir)
    frames_dir = outdir / FRAMES_DIR
    prefix = context["pathto"](FRAMES_DIR, 1) + "/"
    rewrite = rewrite_inline_images(body, frames_dir, prefix)
    sources = {name: Path(app.srcdir) / source for source, name in getattr(app.builder, "images", {}).items()}
    context["body"] = rewrite_figure_files(rewrite.html, sources, frames_dir)
    # The builder's add_js_file: this page only (app.add_js_file also registers it for later pages).
    if rewrite.lazy:
        app.builder.add_js_file("lazy-frames.js")
    if context.get("use_thebe"):  # set by sphinx-book-theme where the "Live Code" button is
        app.builder.add_js_file("live-code.js")
    if rewrite.moved:
        logger.info(
            "page_weight: %s: %d inline pictures (%d lazy) to files, %d -> %d bytes",
            pagename, rewrite.moved, rewrite.lazy, rewrite.bytes_before, rewrite.bytes_after,
        )


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


def setup(app: Sphinx) -> dict:
    app.connect("config-inited", add_static_path)
    app.connect("html-page-context", lighten_page, priority=800)
    app.connect("build-finished", drop_fontawesome_js)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
