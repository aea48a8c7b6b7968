"""The layer stepper of chapter 6: one photo through VGG16, layer by layer.

The feature maps of all 18 layers are computed once, when the stepper is
made; a step only turns a few maps into one PNG (NumPy and Pillow, no
matplotlib), cached per layer and channel range, so stepping stays far below
100 ms (``benchmarks/bench_feature_maps.py`` measures it).
"""

from __future__ import annotations

import base64
import html as _html
import io
from collections.abc import Mapping
from functools import lru_cache
from typing import Any

import ipywidgets as w
import numpy as np
from PIL import Image, ImageDraw

from ..html import STYLE, Player
from ..images import load_image
from ..vgg_layers import check_channel, check_layer, layer_channels, receptive_field, VGG16_LAYERS
from ..vgg_maps import feature_maps
from .base import error_html


_NAMES = list(VGG16_LAYERS)


@lru_cache(maxsize=8)
def colormap_lut(name: str = "viridis") -> np.ndarray:
    """A matplotlib colour map as a (256, 3) uint8 lookup table."""
    from matplotlib import colormaps

    return (colormaps[name](np.linspace(0, 1, 256))[:, :3] * 255).round().astype(np.uint8)


def _png_data_uri(array: np.ndarray) -> str:
    buffer = io.BytesIO()
    Image.fromarray(array).save(buffer, format="PNG", compress_level=1)
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def _jpeg_data_uri(image: Image.Image) -> str:
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=85)
    return "data:image/jpeg;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def _as_rgb(image: Any) -> np.ndarray:
    """The photo as (H, W, 3) uint8, whatever form feature_maps was given."""
    if hasattr(image, "detach"):  # a (3, H, W) tensor, as preprocess accepts it
        array = image.detach().cpu()
        array = array[0] if array.ndim == 4 else array
        array = array.float() / 255 if not array.is_floating_point() else array.float()
        return load_image(array.clamp(0, 1).permute(1, 2, 0).numpy())
    return load_image(image)


def _tile(values: np.ndarray, size: int) -> np.ndarray:
    """One map as uint8 (0 = no response, 255 = its strongest), resized to ``size`` pixels wide."""
    top = float(values.max())
    scaled = np.zeros(values.shape, np.uint8) if top <= 0 else (
        np.clip(values / top, 0, 1) * 255).astype(np.uint8)
    height, width = values.shape
    new = (size, max(1, round(size * height / width)))
    resample = Image.Resampling.NEAREST if width < size else Image.Resampling.BOX
    return np.asarray(Image.fromarray(scaled).resize(new, resample))


def feature_map_png(maps: np.ndarray, *, tile: int = 96, ncols: int = 8, gap: int = 3,
                    cmap: str = "viridis") -> str:
    """A grid of feature maps as a PNG data URI, fast (no matplotlib).

    Each map is scaled by its own maximum: the darkest colour is 0 (no
    response), the brightest the map's strongest response. Small maps are
    enlarged with nearest-neighbour pixels, so each of their values stays a
    visible square.

    Parameters
    ----------
    maps : numpy.ndarray, shape (N, H, W)
        Non-negative responses (VGG16's maps come after a ReLU).
    tile : int, optional
        Width in pixels of each map in the grid.
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
    tiles = [_tile(m, tile) for m in maps]
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
    return _png_data_uri(rgb)


class LayerStepper(w.VBox):
    """Step through VGG16's 18 layers and see one photo's feature maps at each.

    For the chosen layer it shows a grid of feature maps (``channels`` of
    them, starting at channel ``first``), the layer's output shape, and its
    receptive field drawn as a square on the photo. Optionally, beside each
    map, what that filter "wants to see" (chapter 5's filter visualizations).

    The feature maps of every layer are computed once, at creation; stepping
    only draws them.

    Parameters
    ----------
    model : torch.nn.Module
        VGG16 from :func:`cnncourse.vgg.load_vgg16`.
    image : path, PIL image, array or tensor
        The photo (anything :func:`cnncourse.vgg.preprocess` accepts).
    channels : int, optional
        How many maps to show (1 to 64).
    first : int, optional
        The first channel shown.
    filter_images : mapping, optional
        ``{layer name: {channel: (h, w, 3) uint8 image}}``: filter
        visualizations shown under the maps of the same channels.
    tile : int, optional
        Width in pixels of each map.

    Examples
    --------
    >>> from cnncourse.vgg import load_vgg16
    >>> stepper = LayerStepper(load_vgg16("random", device="cpu"), np.zeros((64, 64, 3), np.uint8))
    >>> stepper.layer.value = "block3_conv1"
    >>> stepper.shape
    (256, 16, 16)
    """

    def __init__(self, model: Any, image: Any, *, channels: int = 8, first: int = 0,
                 filter_images: Mapping[str, Mapping[int, Any]] | None = None, tile: int = 96,
                 interval_ms: int = 900) -> None:
        self.photo = _as_rgb(image)
        self.maps = {name: m.numpy() for name, m in feature_maps(model, image).items()}
        self.weights = getattr(model, "cnncourse_weights", "unknown")
        self.filter_images = {check_layer(k): dict(v) for k, v in (filter_images or {}).items()}
        self.tile = tile
        self._interval_ms = interval_ms
        self._cache: dict[tuple, str] = {}

        self.layer = w.SelectionSlider(options=_NAMES, value=_NAMES[0], description="layer",
                                       continuous_update=True, layout=w.Layout(width="32em"))
        self.play = w.Play(value=0, min=0, max=len(_NAMES) - 1, interval=interval_ms, description="Play")
        w.jslink((self.play, "value"), (self.layer, "index"))
        self.channels = w.IntText(value=channels, description="maps", layout=w.Layout(width="10em"))
        self.first = w.IntText(value=first, description="first channel", layout=w.Layout(width="14em"),
                               style={"description_width": "initial"})
        self.message = w.HTML()
        self.display = w.HTML()
        super().__init__([w.HBox([self.play, self.layer]), w.HBox([self.channels, self.first]),
                          self.message, self.display])
        for control in (self.layer, self.channels, self.first):
            control.observe(lambda _change: self.refresh(), names="value")
        self.refresh()

    # -- state -----------------------------------------------------------
    @property
    def shape(self) -> tuple[int, int, int]:
        """Output shape (C, H, W) of the current layer."""
        return tuple(self.maps[self.layer.value].shape)

    def _selection(self, layer: str) -> range:
        """The channels shown for ``layer``; ValueError with a message for bad settings."""
        count = self.channels.value
        if not isinstance(count, int) or not 1 <= count <= 64:
            raise ValueError(f"maps must be between 1 and 64, got {count}")
        first = check_channel(layer, self.first.value, "first channel")
        last = first + count - 1
        if last >= layer_channels(layer):
            raise ValueError(f"channels {first} to {last} do not all exist: {layer} has "
                             f"{layer_channels(layer)} channels (0 to {layer_channels(layer) - 1}); "
                             "lower the first channel or the number of maps")
        return range(first, last + 1)

    def refresh(self) -> None:
        """Re-read the controls and redraw, or show a message for bad values."""
        try:
            html = self.render(self.layer.value)
        except (ValueError, TypeError) as exc:
            self.message.value = error_html(exc)
            self.display.value = ""  # a picture of another layer or other channels would mislead
            return
        self.message.value = ""
        self.display.value = STYLE + html

    # -- drawing ---------------------------------------------------------
    def _photo_with_field(self, layer: str, height: int = 160) -> str:
        photo = Image.fromarray(self.photo)
        scale = height / photo.height
        photo = photo.resize((max(1, round(photo.width * scale)), height), Image.Resampling.BILINEAR)
        side = receptive_field(layer) * scale
        cx, cy = photo.width / 2, photo.height / 2
        draw = ImageDraw.Draw(photo)
        box = [cx - side / 2, cy - side / 2, cx + side / 2, cy + side / 2]
        draw.rectangle(box, outline=(0, 0, 0), width=4)
        draw.rectangle(box, outline=(230, 159, 0), width=2)  # Okabe-Ito orange
        return _jpeg_data_uri(photo)

    def render(self, layer: str) -> str:
        """The HTML of one step: the maps of ``layer`` with the current settings (cached)."""
        layer = check_layer(layer)
        selection = self._selection(layer)
        key = (layer, selection.start, selection.stop)
        if key not in self._cache:
            self._cache[key] = self._render(layer, selection)
        return self._cache[key]

    def _render(self, layer: str, selection: range) -> str:
        c, h, wd = self.maps[layer].shape
        field = receptive_field(layer)
        ncols = min(8, len(selection))
        maps_png = feature_map_png(self.maps[layer][selection.start: selection.stop],
                                   tile=self.tile, ncols=ncols)
        alt = (f"Feature maps of channels {selection.start} to {selection.stop - 1} of {layer}, "
               f"each {h} by {wd} values, in the viridis colour scale: dark for no response, "
               "yellow for the map's strongest response.")
        photo_alt = (f"The input photo with an orange square of {field} by {field} pixels at its centre: "
                     f"the receptive field of one position of {layer}.")
        warning = ""
        if self.weights != "imagenet":
            what = "untrained network (random weights)" if self.weights == "random" else \
                f"weights from {self.weights}"
            warning = (f'<div class="cnn-error">⚠ {_html.escape(what)}: not VGG16 trained on '
                       "ImageNet</div>")
        filters = ""
        known = self.filter_images.get(layer, {})
        if known:
            cells = []
            for channel in selection:
                if channel in known:
                    src = _png_data_uri(load_image(known[channel]))
                    cells.append(f'<figure style="margin:0; width:{self.tile}px; text-align:center;">'
                                 f'<img src="{src}" alt="What filter {channel} of {layer} responds to most: '
                                 f'a synthetic image made by gradient ascent." width="{self.tile}">'
                                 f'<figcaption class="cnn-note">filter {channel}</figcaption></figure>')
            if cells:
                filters = ('<div class="cnn-note">What these filters want to see (chapter 5):</div>'
                           '<div style="display:flex; flex-wrap:wrap; gap:3px;">' + "".join(cells) + "</div>")
        text = (f"<b>{layer}</b> ({_NAMES.index(layer) + 1} of {len(_NAMES)}): output shape "
                f"{c} × {h} × {wd} (channels × height × width); receptive field {field} × {field} pixels; "
                f"showing channels {selection.start}–{selection.stop - 1}")
        return (
            f'{warning}<div class="cnn-note">{text}</div>'
            '<div class="cnn-step" style="align-items:flex-start;">'
            f'<img src="{self._photo_with_field(layer)}" alt="{_html.escape(photo_alt)}">'
            f'<img src="{maps_png}" alt="{_html.escape(alt)}"></div>{filters}'
        )

    def to_player(self, title: str = "") -> Player:
        """A kernel-free player: one frame per layer, with the current settings."""
        return Player([self.render(name) for name in _NAMES], title=title,
                      interval_ms=self._interval_ms)

