"""The build hook that lightens the website's pages (``_ext/page_weight.py`` and the modules it
connects: ``picture_store``, ``page_pictures``, ``page_scripts``), in pure Python.

Pictures in, files and rewritten HTML out: no Sphinx build, no browser (the
built site is checked by ``tests/test_site_weight.py``).
"""

from __future__ import annotations

import base64
import io
import sys
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "_ext"))
import page_scripts  # noqa: E402
from page_pictures import rewrite_figure_files, rewrite_inline_images  # noqa: E402
from picture_store import MIN_PSNR_DB, compress_image, store_picture  # noqa: E402
from sphinx.builders.html._assets import _CascadingStyleSheet as _Stylesheet  # noqa: E402
from sphinx.builders.html._assets import _JavaScript  # noqa: E402

from cnncourse.figures.html import image_html, png_data_uri  # noqa: E402
from cnncourse.figures.player import Player


def _png(array: np.ndarray) -> bytes:
    buffer = io.BytesIO()
    Image.fromarray(array).save(buffer, format="PNG")
    return buffer.getvalue()


def _pixels(data: bytes) -> np.ndarray:
    with Image.open(io.BytesIO(data)) as picture:
        return np.asarray(picture.convert("RGB"), dtype=np.float64)


def _psnr(a: np.ndarray, b: np.ndarray) -> float:
    mse = float(np.mean((a - b) ** 2))
    return float("inf") if mse == 0 else 10 * np.log10(255.0**2 / mse)


NOISE = np.random.default_rng(0).integers(0, 256, size=(96, 128, 3), dtype=np.uint8)
# A "photo": smooth shading with a little sensor noise; many colours (JPEG keeps it well).
_y, _x = np.mgrid[0:120, 0:160]
_shading = np.stack([_x * 200 / 159, _y * 200 / 119, (_x + _y) * 200 / 278], axis=-1) + 20
PHOTO = np.clip(_shading + np.random.default_rng(1).normal(0, 4, _shading.shape), 0, 255).round().astype(np.uint8)
# A flat picture (a grid of filters, a chart): two colours in 8-pixel blocks.
_blocks = np.random.default_rng(2).integers(0, 2, size=(25, 30)).repeat(8, axis=0).repeat(8, axis=1)
FLAT = np.where(_blocks[..., None] == 1, np.array([230, 159, 0]), 255).astype(np.uint8)


def test_flat_pictures_stay_lossless() -> None:
    data = _png(FLAT)
    encoded, extension = compress_image(data)
    assert extension in ("png", "webp")
    assert len(encoded) <= len(data)
    np.testing.assert_array_equal(_pixels(encoded), FLAT)


def test_photo_like_pictures_become_a_faithful_jpeg() -> None:
    data = _png(PHOTO)
    encoded, extension = compress_image(data)
    assert extension == "jpg"
    assert len(encoded) < len(data) / 2
    assert _psnr(_pixels(encoded), PHOTO.astype(np.float64)) >= MIN_PSNR_DB


def test_pure_noise_is_never_made_worse_than_the_threshold() -> None:
    encoded, extension = compress_image(_png(NOISE))
    assert extension in ("png", "webp", "jpg")
    assert _psnr(_pixels(encoded), NOISE.astype(np.float64)) >= MIN_PSNR_DB


def test_compress_image_rejects_what_is_not_a_picture() -> None:
    with pytest.raises(OSError, match="cannot identify image file"):
        compress_image(b"<svg></svg>")


def test_store_picture_writes_each_picture_once(tmp_path: Path) -> None:
    data = _png(FLAT)
    first = store_picture(data, tmp_path)
    assert store_picture(data, tmp_path) == first
    assert [p.name for p in tmp_path.iterdir()] == [first]


def _uri_bytes(uri: str) -> bytes:
    return base64.b64decode(uri.split(",", 1)[1])


def _player_html() -> str:
    frames = [
        image_html(png_data_uri(PHOTO), "frame one"),
        image_html(png_data_uri(FLAT), "frame two"),
        image_html(png_data_uri(PHOTO), "frame three: the same picture as frame one"),
    ]
    tiny = image_html(png_data_uri(np.eye(2)), "a tiny picture")
    return Player(frames, title="three frames")._repr_html_() + tiny


def test_rewrite_moves_pictures_to_files_and_hidden_frames_load_lazily(tmp_path: Path) -> None:
    html = _player_html()
    result = rewrite_inline_images(html, tmp_path, "../_images/frames/")
    # The reference: the same player with each big data URI replaced by its file.
    photo, flat = (store_picture(_uri_bytes(png_data_uri(a)), tmp_path) for a in (PHOTO, FLAT))
    expected = (
        html.replace(png_data_uri(PHOTO), "../_images/frames/" + photo, 2)
        .replace(png_data_uri(FLAT), "../_images/frames/" + flat)
    )
    expected = expected.replace(  # frames 2 and 3 are hidden: their pictures load lazily
        f'<img src="../_images/frames/{flat}"', f'<img loading="lazy" src="../_images/frames/{flat}"'
    )
    first = expected.find(f'<img src="../_images/frames/{photo}"')
    third = expected.find(f'<img src="../_images/frames/{photo}"', first + 1)
    expected = expected[:third] + '<img loading="lazy"' + expected[third + len("<img"):]
    assert result.html == expected
    assert (result.moved, result.lazy) == (3, 2)
    assert result.files == {photo, flat}
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted({photo, flat})
    assert png_data_uri(np.eye(2)) in result.html, "a picture under min_bytes stays inline"
    np.testing.assert_array_equal(_pixels((tmp_path / flat).read_bytes()), FLAT)
    assert result.bytes_after < result.bytes_before


def test_rewrite_moves_both_arrangements_of_a_responsive_figure(tmp_path: Path) -> None:
    # cnncourse.ResponsiveFigure: a <picture> whose <source> (phones) and <img> are inline PNGs.
    wide, narrow = png_data_uri(PHOTO), png_data_uri(FLAT)
    html = (f'<picture class="cnn-responsive"><source media="(max-width: 600px)" srcset="{narrow}">'
            f'<img src="{wide}" alt="a figure"></picture>')
    result = rewrite_inline_images(html, tmp_path, "../_images/frames/")
    photo, flat = (store_picture(_uri_bytes(uri), tmp_path) for uri in (wide, narrow))
    assert result.html == (f'<picture class="cnn-responsive"><source media="(max-width: 600px)" '
                           f'srcset="../_images/frames/{flat}"><img src="../_images/frames/{photo}" '
                           'alt="a figure"></picture>')
    assert (result.moved, result.lazy) == (2, 0)


def test_rewrite_leaves_html_without_inline_pictures_alone(tmp_path: Path) -> None:
    html = '<div class="cnn-player-frame" hidden><img src="../_images/a.png" alt="a"></div>'
    assert rewrite_inline_images(html, tmp_path, "x/").html == html
    assert not list(tmp_path.iterdir())


def test_rewrite_rejects_a_negative_min_bytes(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="min_bytes must be >= 0"):
        rewrite_inline_images("", tmp_path, "x/", min_bytes=-1)


def test_figure_files_point_at_a_smaller_copy(tmp_path: Path) -> None:
    photo, flat = tmp_path / "photo.png", tmp_path / "flat.png"
    photo.write_bytes(_png(PHOTO))
    flat.write_bytes(_png(FLAT))
    frames = tmp_path / "frames"
    html = '<img src="../_images/photo.png" alt="p"><img src="../_images/flat.png" alt="f">'
    sources = {"photo.png": photo, "flat.png": flat}
    # Under min_bytes: served as they are.
    assert rewrite_figure_files(html, sources, frames, min_bytes=10**9) == html
    out = rewrite_figure_files(html, sources, frames, min_bytes=1000)
    jpeg, lossless = (store_picture(path.read_bytes(), frames) for path in (photo, flat))
    assert jpeg.endswith(".jpg")
    assert out == f'<img src="../_images/frames/{jpeg}" alt="p"><img src="../_images/frames/{lossless}" alt="f">'
    np.testing.assert_array_equal(_pixels((frames / lossless).read_bytes()), FLAT)


class _Builder:
    def __init__(self, context: dict) -> None:
        self.context = context

    def add_js_file(self, filename: str, **attributes) -> None:  # Sphinx's: appends to the page's own list
        self.context["script_files"].append(_JavaScript(f"_static/{filename}", **attributes))


def _page_assets(body: str, *, edition: str = "en", maths: bool = False, lazy: bool = False,
                 thebe: bool = False) -> tuple[list[str], list[str]]:
    """The scripts and stylesheets one page keeps, and their ``defer``: what :func:`choose_scripts` decides."""
    from types import SimpleNamespace

    from docutils import nodes
    from docutils.utils import new_document

    scripts = [_JavaScript("_static/mathjax/tex-mml-chtml.js"), _JavaScript("_static/doctools.js"),
               _JavaScript(None, body="var x = 1;"), _JavaScript("", body="var x = 1;"),
               _JavaScript(None, type="application/vnd.jupyter.widget-state+json", body="{}"),
               *(_JavaScript(f"_static/{name}") for name in ("cnn-live.js", "cnn-live-explorers.js", "cnn-live-zh.js",
                                                             "cnn-live-host.js", "cnn-net.js"))]
    context = {"body": body, "script_files": scripts, "use_thebe": thebe,
               "css_files": [_Stylesheet("_static/cnn-live.css"), _Stylesheet("_static/theme.css")]}
    doctree = new_document("page")
    if maths:
        doctree += nodes.math_block("", "x^2")
    app = SimpleNamespace(config=SimpleNamespace(mathjax_path="mathjax/tex-mml-chtml.js", cnncourse_edition=edition),
                          builder=_Builder(context))
    page_scripts.choose_scripts(app, context, doctree, lazy_frames=lazy)
    kept = [(s.filename or "inline") + (" defer" if s.attributes.get("defer") else "") for s in context["script_files"]]
    return kept, [s.filename for s in context["css_files"]]


def test_each_page_loads_only_the_scripts_it_uses() -> None:
    plain, styles = _page_assets("<p>text</p>")
    assert plain == ["_static/doctools.js", "inline"] and styles == ["_static/theme.css"]
    scripts, _ = _page_assets("<p>text</p>", maths=True, lazy=True, thebe=True)
    assert scripts == ["_static/mathjax/tex-mml-chtml.js", "_static/doctools.js", "inline",
                       "_static/lazy-frames.js", "_static/live-code.js"]
    live, styles = _page_assets('<div data-cnn-live="conv"></div>')
    assert live == ["_static/doctools.js", "inline", "_static/cnn-live.js defer", "_static/cnn-live-explorers.js defer",
                    "_static/cnn-live-host.js defer"]  # one host mounts chapters 1-3's explorers and chapter 4's
    assert styles == ["_static/cnn-live.css", "_static/theme.css"]
    chinese, _ = _page_assets('<div data-cnn-live="conv"></div>', edition="zh")
    assert chinese == live[:-1] + ["_static/cnn-live-zh.js defer", "_static/cnn-live-host.js defer"]
    draw, styles = _page_assets('<div class="cnn-draw-mount" data-cnn-draw="1"></div>', edition="zh")
    assert draw == ["_static/doctools.js", "inline", "_static/cnn-live-host.js defer", "_static/cnn-net.js defer"]
    assert styles == ["_static/theme.css"]


def test_the_theme_font_awesome_script_is_dropped() -> None:
    head = (
        '  <link href="../_static/styles/theme.css" rel="stylesheet" />\n'
        "  <!-- So that users can add custom icons -->\n"
        '  <script defer src="../_static/scripts/fontawesome.js?digest=55c26ed414f5f8a31ebb"></script>\n'
        '  <script src="../_static/doctools.js"></script>\n'
    )
    assert page_scripts._FONTAWESOME_JS.sub("", head) == (
        '  <link href="../_static/styles/theme.css" rel="stylesheet" />\n'
        '  <script src="../_static/doctools.js"></script>\n'
    )


def test_data_uris_in_the_example_decode_to_the_stored_picture(tmp_path: Path) -> None:
    uri = png_data_uri(PHOTO)
    data = base64.b64decode(uri.split(",", 1)[1])
    result = rewrite_inline_images(f'<img src="{uri}" alt="p">', tmp_path, "f/")
    name = next(iter(result.files))
    assert _psnr(_pixels((tmp_path / name).read_bytes()), _pixels(data)) >= MIN_PSNR_DB
