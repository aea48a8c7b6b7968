"""HTML views that work with or without a Jupyter kernel.

* :func:`matrix_html` draws a small matrix as a table, with a highlighted
  window, shaded padding and cells not yet computed left blank;
* :func:`png_data_uri` turns an array into an inline PNG, and
  :func:`image_html` shows it as an ``<img>`` with alt text: every picture of
  the explorers is made by these two;
* :data:`STYLE` is the one stylesheet of all of them and of the
  :class:`~cnncourse.player.Player` (CSS classes, no inline styles).

The live widgets render their frames with the same functions, so the
website's player and the notebook's widget always show the same thing.
"""

from __future__ import annotations

import base64
import html as _html
import io
from functools import lru_cache
from typing import Any

import numpy as np


# Okabe-Ito colours: distinguishable with every common colour-vision deficiency.
HIGHLIGHT = "#E69F00"  # orange: the window the kernel covers
CURRENT = "#56B4E9"  # sky blue: the output cell being computed

STYLE = """
<style>
.cnn-matrix {border-collapse: collapse; margin: 0.25em 0.75em 0.25em 0; font-family: monospace;
  font-size: 0.9em; display: inline-table; vertical-align: middle;}
.cnn-matrix td {border: 1px solid #999; min-width: 2.6em; height: 1.9em; padding: 0 0.3em;
  text-align: right;}
.cnn-matrix td.pad {background: repeating-linear-gradient(45deg, transparent 0 4px,
  rgba(128,128,128,0.18) 4px 8px);}
.cnn-matrix td.win {background: rgba(230,159,0,0.45); font-weight: bold;}
.cnn-matrix td.cur {background: rgba(86,180,233,0.55); font-weight: bold;}
.cnn-matrix caption {caption-side: top; font-family: sans-serif; font-size: 0.85em; padding: 0.2em;}
.cnn-step {display: flex; flex-wrap: wrap; align-items: center; gap: 0.5em;}
.cnn-step .cnn-op {font-size: 1.3em;}
.cnn-note {font-family: sans-serif; font-size: 0.9em; margin: 0.3em 0;}
.cnn-error {color: #b00020; font-family: sans-serif; font-weight: bold;}
.cnn-step.cnn-top {align-items: flex-start;}
.cnn-figures {display: flex; flex-wrap: wrap; align-items: flex-end; gap: 0.4em; margin: 0.3em 0;
  font-family: sans-serif; font-size: 0.9em;}
.cnn-figures.cnn-top {align-items: flex-start; gap: 0.8em;}
.cnn-figures figure {margin: 0; text-align: center;}
.cnn-figures figcaption {font-size: 0.8em; max-width: 240px; margin: 0 auto;}
.cnn-figures .cnn-label {min-width: 7.5em; font-weight: bold; align-self: center;}
.cnn-framed > .cnn-figures {display: grid; grid-template-columns: 7.5em repeat(8, minmax(0, 1fr));
  align-items: end;} .cnn-framed > .cnn-figures .cnn-label {min-width: 0; align-self: center;}
.cnn-framed img.cnn-img {max-width: 100%; height: auto;}
.cnn-framed img {border: 1px solid rgba(128,128,128,0.6);}
img.cnn-img {image-rendering: pixelated; display: block; margin: 0 auto;}
svg.cnn-chart text {font-family: sans-serif; font-size: 10px; fill: currentColor;}
.cnn-player {border: 1px solid rgba(128,128,128,0.5); border-radius: 6px; padding: 0.6em;
  margin: 0.5em 0; overflow-x: auto;}
.cnn-player-frames {display: grid;} .cnn-player-frame {grid-area: 1 / 1; min-width: 0;}
.cnn-player-frame[hidden] {display: block !important; visibility: hidden;} /* one size for all frames */
.cnn-stack {display: grid;} .cnn-stack > * {grid-area: 1 / 1;} .cnn-stack > .cnn-ghost {visibility: hidden;}
.cnn-player-title {font-family: sans-serif; font-weight: bold; margin-bottom: 0.4em;}
.cnn-player-controls {display: flex; flex-wrap: wrap; align-items: center; gap: 0.3em;
  margin-top: 0.5em; font-family: sans-serif;}
.cnn-player-controls button {min-width: 2.4em; min-height: 2em; cursor: pointer;}
.cnn-player-controls input[type=range] {flex: 1 1 8em; min-width: 6em;}
</style>
"""


def _fmt(value: float, decimals: int) -> str:
    if np.isnan(value):
        return ""
    rounded = round(float(value), decimals)
    if rounded == int(rounded):
        return str(int(rounded))
    return f"{rounded:.{decimals}f}"


def matrix_html(
    values: np.ndarray,
    *,
    window: tuple[int, int, int, int] | None = None,
    current: tuple[int, int] | None = None,
    padding: tuple[int, int] = (0, 0),
    caption: str = "",
    decimals: int = 2,
) -> str:
    """Render a 2-D array as an HTML table.

    Parameters
    ----------
    values : numpy.ndarray, shape (H, W)
        The numbers; NaN cells are drawn empty (not computed yet).
    window : (top, left, height, width), optional
        Cells to highlight in orange (the window the kernel covers).
    current : (row, col), optional
        One cell to highlight in blue (the output being computed).
    padding : (int, int), optional
        Rows and columns of padding on each side, drawn hatched.
    caption : str, optional
        A caption above the table (plain text).
    decimals : int, optional
        Decimals shown; whole numbers are shown without any.

    Returns
    -------
    str
        The table's HTML (without the stylesheet, see :data:`STYLE`).

    Examples
    --------
    >>> matrix_html(np.eye(2)).count("<td")
    4
    """
    values = np.asarray(values, dtype=float)
    height, width = values.shape
    ph, pw = padding
    rows = []
    for r in range(height):
        cells = []
        for c in range(width):
            classes = []
            if r < ph or r >= height - ph or c < pw or c >= width - pw:
                classes.append("pad")
            if window is not None:
                top, left, wh, ww = window
                if top <= r < top + wh and left <= c < left + ww:
                    classes.append("win")
            if current == (r, c):
                classes.append("cur")
            attr = f' class="{" ".join(classes)}"' if classes else ""
            cells.append(f"<td{attr}>{_fmt(values[r, c], decimals)}</td>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    cap = f"<caption>{_html.escape(caption)}</caption>" if caption else ""
    return f'<table class="cnn-matrix">{cap}{"".join(rows)}</table>'


@lru_cache(maxsize=16)
def colormap_lut(cmap: str) -> np.ndarray:
    """A matplotlib colour map as a (256, 3) uint8 lookup table (read-only).

    Examples
    --------
    >>> colormap_lut("gray")[[0, 255]].tolist()
    [[0, 0, 0], [255, 255, 255]]
    """
    from matplotlib import colormaps  # only when a picture is drawn

    lut = (colormaps[cmap](np.arange(256))[:, :3] * 255).round().astype(np.uint8)
    lut.flags.writeable = False
    return lut


def png_data_uri(image: Any, *, cmap: str = "gray", vmin: float | None = None, vmax: float | None = None,
                 scale: int = 1, compress_level: int = 3) -> str:
    """An array as an inline PNG (``data:image/png;base64,...``), ready for an ``<img src>``.

    Parameters
    ----------
    image : array_like, shape (H, W) or (H, W, 3)
        Values to colour-map (2-D; NaN counts as 0), or an RGB image (uint8).
    cmap : str, optional
        A matplotlib colour map name, for 2-D values.
    vmin, vmax : float, optional
        The values drawn with the two ends of the colour map (values outside
        are clipped); by default the array's minimum and maximum.
    scale : int, optional
        Each value becomes a ``scale`` x ``scale`` block of pixels.
    compress_level : int, optional
        zlib level from 0 to 9: lower is faster to make, higher is smaller.

    Returns
    -------
    str

    Examples
    --------
    >>> png_data_uri(np.eye(2), scale=4)[:22]
    'data:image/png;base64,'
    """
    from PIL import Image  # only when a picture is drawn

    array = np.asarray(image)
    if array.ndim == 3 and array.shape[-1] == 3:
        if array.dtype != np.uint8:
            raise TypeError(f"an RGB image must have dtype uint8, got {array.dtype}")
        picture = Image.fromarray(array)
    elif array.ndim == 2:
        values = np.nan_to_num(array.astype(np.float64, copy=False))
        low = float(values.min()) if vmin is None else vmin
        high = float(values.max()) if vmax is None else vmax
        levels = (values - low) * (255 / (high - low)) if high > low else np.zeros_like(values)
        picture = Image.fromarray(np.clip(np.rint(levels), 0, 255).astype(np.uint8))
        # "L" becomes "P": a third of the bytes of RGB, and faster to encode.
        picture.putpalette(colormap_lut(cmap).tobytes())
    else:
        raise ValueError(f"image must have shape (H, W) or (H, W, 3), got {array.shape}")
    if scale > 1:
        picture = picture.resize((picture.width * scale, picture.height * scale), Image.Resampling.NEAREST)
    buffer = io.BytesIO()
    picture.save(buffer, format="PNG", compress_level=compress_level)
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def overlay_map(photo: Any, values: Any, *, cmap: str = "viridis", dim: float = 0.5,
                percentile: float = 99.0) -> np.ndarray:
    """A map drawn over a photo: the photo in dimmed gray, the map's strong values in colour on top.

    ``values`` (negative values count as 0) is scaled so that its
    ``percentile`` is 1; each pixel then mixes the dimmed photo and the
    colour of its value, in proportion to that value: where the map is 0 the
    photo shows through. Returns an RGB uint8 image of the photo's size.

    Examples
    --------
    >>> picture = overlay_map(np.full((2, 2), 0.8), [[0.0, 1.0], [0.0, 0.0]])
    >>> picture.shape, picture[0, 0].tolist(), picture[0, 1].tolist() == colormap_lut("viridis")[255].tolist()
    ((2, 2, 3), [102, 102, 102], True)
    """
    from .images import load_image

    gray = load_image(photo).astype(np.float64).mean(axis=-1, keepdims=True) * dim
    values = np.clip(np.nan_to_num(np.asarray(values, dtype=np.float64)), 0, None)
    if values.shape != gray.shape[:2]:
        raise ValueError(f"values must have the photo's height and width {gray.shape[:2]}, got {values.shape}")
    top = float(np.percentile(values, percentile)) if values.any() else 0.0
    top = top if top > 0 else float(values.max()) or 1.0
    level = np.clip(values / top, 0, 1)[..., None]
    colour = colormap_lut(cmap)[np.rint(level[..., 0] * 255).astype(np.uint8)]
    return np.rint((1 - level) * gray + level * colour).astype(np.uint8)


def image_html(src: str, alt: str, *, caption: str = "", width: int | None = None,
               height: int | None = None) -> str:
    """An ``<img>`` (in a ``<figure>`` when there is a caption), drawn with sharp pixels.

    ``src`` is a data URI (:func:`png_data_uri`); ``alt`` says what the
    picture shows, for readers who cannot see it. Give ``height`` with
    ``width`` where the picture may load late (a player's lazy frames): the
    page then keeps its place, and the player its size, before it arrives.

    Examples
    --------
    >>> image_html("data:,", "nothing", caption="empty")
    '<figure><img src="data:," alt="nothing" class="cnn-img"><figcaption>empty</figcaption></figure>'
    """
    size = (f' width="{width}"' if width else "") + (f' height="{height}"' if height else "")
    tag = f'<img src="{src}" alt="{_html.escape(alt)}" class="cnn-img"{size}>'
    return f"<figure>{tag}<figcaption>{_html.escape(caption)}</figcaption></figure>" if caption else tag
