"""Pictures encoded for a page: every inline image of the package is made here.

* :func:`data_uri` is the one base64 encoder (bytes to ``data:...``), and
  :func:`encoded` the one that saves a Pillow picture as PNG or JPEG with it;
* :func:`png_data_uri` colour-maps an array into a PNG, :func:`jpeg_data_uri`
  makes a photo's JPEG; :func:`feature_map_png` tiles feature maps and
  :func:`photo_with_square` marks a square on a photo; :func:`overlay_map`
  draws a map over a dimmed photo;
* :func:`picture_html` is the one ``<picture>`` builder: a wide image, and
  another source for narrow screens.

NumPy and Pillow only (matplotlib only for a colour map's table), so a
picture takes milliseconds to make.
"""

from __future__ import annotations

import base64
import io
from functools import lru_cache
from typing import Any

import numpy as np

from .palette import ORANGE, rgb


def data_uri(data: bytes, mime: str) -> str:
    """Bytes as a ``data:`` URI, ready for an ``<img src>`` or a ``<source srcset>``.

    Parameters
    ----------
    data : bytes
        The encoded picture (a PNG or JPEG file's bytes).
    mime : str
        Its media type, such as ``"image/png"``.

    Returns
    -------
    str

    Examples
    --------
    >>> data_uri(b"abc", "image/png")
    'data:image/png;base64,YWJj'
    """
    return f"data:{mime};base64," + base64.b64encode(data).decode("ascii")


def encoded(picture: Any, format: str, **options: Any) -> str:
    """A Pillow picture saved as ``format`` (``"PNG"`` or ``"JPEG"``) into a data URI.

    Parameters
    ----------
    picture : PIL.Image.Image
    format : {"PNG", "JPEG"}
    **options
        Pillow's saving options, such as ``quality`` or ``compress_level``.

    Returns
    -------
    str

    Examples
    --------
    >>> from PIL import Image
    >>> encoded(Image.new("L", (2, 2)), "JPEG", quality=80)[:23]
    'data:image/jpeg;base64,'
    """
    if format not in ("PNG", "JPEG"):
        raise ValueError(f"format must be 'PNG' or 'JPEG', got {format!r}")
    buffer = io.BytesIO()
    picture.save(buffer, format=format, **options)
    return data_uri(buffer.getvalue(), f"image/{format.lower()}")


def jpeg_data_uri(image: Any, *, quality: int = 85) -> str:
    """An RGB photo as an inline JPEG: a photo's JPEG is a fifth to a tenth of its PNG.

    Parameters
    ----------
    image : numpy.ndarray, shape (H, W, 3), uint8
    quality : int, optional
        JPEG quality from 1 to 95.

    Returns
    -------
    str

    Examples
    --------
    >>> jpeg_data_uri(np.zeros((4, 4, 3), np.uint8))[:23]
    'data:image/jpeg;base64,'
    """
    from PIL import Image

    return encoded(Image.fromarray(np.asarray(image)), "JPEG", quality=quality)


def picture_html(img: str, narrow: str, *, breakpoint: int, size: tuple[int, int] | None = None,
                 css_class: str = "") -> str:
    """A ``<picture>``: ``img`` on wide screens, the source ``narrow`` on screens up to ``breakpoint`` pixels.

    Parameters
    ----------
    img : str
        The ``<img>`` tag shown by default (e.g. from :func:`cnncourse.figures.html.image_html`).
    narrow : str
        The URI of the picture for narrow screens.
    breakpoint : int
        The widest screen, in CSS pixels, that gets ``narrow``.
    size : (int, int), optional
        ``narrow``'s width and height in pixels, so the page keeps its place before it loads.
    css_class : str, optional
        A class for the ``<picture>`` element.

    Returns
    -------
    str

    Examples
    --------
    >>> picture_html('<img src="a">', "b", breakpoint=600)
    '<picture><source media="(max-width: 600px)" srcset="b"><img src="a"></picture>'
    """
    attribute = f' class="{css_class}"' if css_class else ""
    dimensions = f' width="{size[0]}" height="{size[1]}"' if size else ""
    return (f'<picture{attribute}><source media="(max-width: {breakpoint}px)" srcset="{narrow}"{dimensions}>'
            f"{img}</picture>")


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
    return encoded(picture, "PNG", compress_level=compress_level)


def overlay_map(photo: Any, values: Any, *, cmap: str = "viridis", dim: float = 0.5,
                percentile: float = 99.0) -> np.ndarray:
    """A map drawn over a photo: the photo in dimmed gray, the map's strong values in colour on top.

    ``values`` (negative values count as 0) is scaled so that its
    ``percentile`` is 1; each pixel then mixes the dimmed photo and the
    colour of its value, in proportion to that value: where the map is 0 the
    photo shows through. Returns an RGB uint8 image of the photo's size.

    Parameters
    ----------
    photo : array_like, shape (H, W) or (H, W, 3)
        The photo, uint8 or floats in [0, 1]; drawn in gray.
    values : array_like, shape (H, W)
        The map, same height and width as the photo.
    cmap : str, optional
        A matplotlib colormap name.
    dim : float, optional
        Brightness of the gray photo (0: black, 1: as is).
    percentile : float, optional
        The percentile of ``values`` drawn at full strength, in [0, 100].

    Returns
    -------
    numpy.ndarray, shape (H, W, 3), uint8

    Examples
    --------
    >>> picture = overlay_map(np.full((2, 2), 0.8), [[0.0, 1.0], [0.0, 0.0]])
    >>> picture.shape, picture[0, 0].tolist(), picture[0, 1].tolist() == colormap_lut("viridis")[255].tolist()
    ((2, 2, 3), [102, 102, 102], True)
    """
    from ..ops.images import load_image

    gray = load_image(photo).astype(np.float64).mean(axis=-1, keepdims=True) * dim
    values = np.clip(np.nan_to_num(np.asarray(values, dtype=np.float64)), 0, None)
    if values.shape != gray.shape[:2]:
        raise ValueError(f"values must have the photo's height and width {gray.shape[:2]}, got {values.shape}")
    top = float(np.percentile(values, percentile)) if values.any() else 0.0
    top = top if top > 0 else float(values.max()) or 1.0
    level = np.clip(values / top, 0, 1)[..., None]
    colour = colormap_lut(cmap)[np.rint(level[..., 0] * 255).astype(np.uint8)]
    return np.rint((1 - level) * gray + level * colour).astype(np.uint8)


def _tile(values: np.ndarray, width: int) -> np.ndarray:
    """One map as uint8 (0 = no response, 255 = its strongest), resized to ``width`` pixels wide."""
    from PIL import Image

    top = float(values.max())
    scaled = np.zeros(values.shape, np.uint8) if top <= 0 else (
        np.clip(values / top, 0, 1) * 255).astype(np.uint8)
    height, old_width = values.shape
    new = (width, max(1, round(width * height / old_width)))
    resample = Image.Resampling.NEAREST if old_width < width else Image.Resampling.BOX
    return np.asarray(Image.fromarray(scaled).resize(new, resample))


def feature_map_png(maps: np.ndarray, *, map_width: int = 96, ncols: int = 8, gap: int = 3,
                    cmap: str = "viridis") -> str:
    """A grid of feature maps as a PNG data URI, fast (no matplotlib figure).

    Each map is scaled by its own maximum: the darkest colour is 0 (no
    response), the brightest the map's strongest response. Small maps are
    enlarged with nearest-neighbour pixels, so each of their values stays a
    visible square.

    Parameters
    ----------
    maps : numpy.ndarray, shape (N, H, W)
        Non-negative responses (VGG16's maps come after a ReLU).
    map_width : int, optional
        Width in pixels of each map in the grid (its height keeps the map's proportions).
    ncols : int, optional
        Maps per row.
    gap : int, optional
        Pixels between maps.
    cmap : str, optional
        A matplotlib colour map name; ``viridis`` is colour-blind safe.

    Returns
    -------
    str
        ``data:image/png;base64,...``, ready for an ``<img src>``.

    Examples
    --------
    >>> feature_map_png(np.ones((2, 4, 4))).startswith("data:image/png;base64,")
    True
    """
    maps = np.asarray(maps, dtype=np.float32)
    if maps.ndim != 3 or 0 in maps.shape:
        raise ValueError(f"maps must have shape (N, H, W), got {maps.shape}")
    tiles = [_tile(m, map_width) for m in maps]
    th, tw = tiles[0].shape
    ncols = min(ncols, len(tiles))
    nrows = -(-len(tiles) // ncols)
    grid = np.full((nrows * (th + gap) - gap, ncols * (tw + gap) - gap), 0, np.uint8)
    mask = np.zeros(grid.shape, bool)
    for k, t in enumerate(tiles):
        r, c = divmod(k, ncols)
        grid[r * (th + gap): r * (th + gap) + th, c * (tw + gap): c * (tw + gap) + tw] = t
        mask[r * (th + gap): r * (th + gap) + th, c * (tw + gap): c * (tw + gap) + tw] = True
    rgb = colormap_lut(cmap)[grid]
    rgb[~mask] = 255  # white gaps
    return png_data_uri(rgb, compress_level=1)


def photo_with_square(photo: np.ndarray, side: int, *, height: int = 160, colour: str = ORANGE) -> str:
    """The photo, ``height`` pixels high, with a ``side``-pixel square at its centre, as a JPEG data URI.

    The square is drawn in ``colour`` on a black outline, so it shows on any photo.

    Parameters
    ----------
    photo : numpy.ndarray, shape (H, W, 3), uint8
    side : int
        The square's side in pixels of ``photo`` (e.g. a receptive field).
    height : int, optional
        The picture's height in pixels.
    colour : str, optional
        A ``#RRGGBB`` colour (:mod:`cnncourse.figures.palette`).

    Returns
    -------
    str

    Examples
    --------
    >>> photo_with_square(np.zeros((32, 32, 3), np.uint8), 8)[:23]
    'data:image/jpeg;base64,'
    """
    from PIL import Image, ImageDraw

    picture = Image.fromarray(photo)
    scale = height / picture.height
    picture = picture.resize((max(1, round(picture.width * scale)), height), Image.Resampling.BILINEAR)
    drawn = side * scale
    cx, cy = picture.width / 2, picture.height / 2
    box = [cx - drawn / 2, cy - drawn / 2, cx + drawn / 2, cy + drawn / 2]
    draw = ImageDraw.Draw(picture)
    draw.rectangle(box, outline=(0, 0, 0), width=4)
    draw.rectangle(box, outline=rgb(colour), width=2)
    return encoded(picture, "JPEG", quality=85)  # a photo: a JPEG is a fifth of the PNG
