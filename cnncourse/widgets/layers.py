"""The layer stepper of chapter 6: one photo through VGG16, layer by layer.

The feature maps of all 18 layers are computed once, when the stepper is
made; a step only turns a few maps into a PNG (:func:`cnncourse.figures.pictures.feature_map_png`:
NumPy and Pillow, no matplotlib), cached per layer and channel range, so stepping stays far below
100 ms (``benchmarks/bench_feature_maps.py`` measures it). More than four
maps come in two arrangements in one ``<picture>``: eight to a row, and four to
a row on screens up to 600 CSS pixels wide (a phone), where a row of eight
would be drawn too small to read.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import ipywidgets as w
import numpy as np

from ..core.validate import int_between
from ..figures.html import image_html, weights_banner_html
from ..i18n.translate import tr
from ..figures.pictures import feature_map_png, photo_with_square, picture_html, png_data_uri
from ..ops.images import load_image
from ..nets.vgg_layers import check_channel, check_layer, layer_channels, receptive_field, VGG16_LAYERS
from ..nets.vgg import photo_of
from ..nets.vgg_maps import feature_maps
from ..nets.weights import weights_banner
from .base import Explorer


_NAMES = list(VGG16_LAYERS)
# Screens up to this many CSS pixels wide (as cnncourse.ResponsiveFigure's and the site's
# phones) get the maps _NARROW_COLUMNS to a row instead of eight.
_NARROW_SCREEN = 600
_NARROW_COLUMNS = 4


def _maps_html(maps: np.ndarray, alt: str, map_width: int) -> str:
    """The maps eight to a row as an ``<img>``; more than _NARROW_COLUMNS of them in a ``<picture>``
    that shows them _NARROW_COLUMNS to a row on narrow screens."""
    wide = image_html(feature_map_png(maps, map_width=map_width, ncols=min(8, len(maps))), alt)
    if len(maps) <= _NARROW_COLUMNS:
        return wide
    return picture_html(wide, feature_map_png(maps, map_width=map_width, ncols=_NARROW_COLUMNS), breakpoint=_NARROW_SCREEN)


class LayerStepper(Explorer):
    """Step through VGG16's 18 layers and see one photo's feature maps at each.

    For the chosen layer it shows a grid of feature maps (``channels`` of
    them, starting at channel ``first``; eight to a row, four on a phone's
    screen), the layer's output shape, and its
    receptive field drawn as a square on the photo. Optionally, beside each
    map, what that filter "wants to see" (chapter 5's filter visualizations).
    The weights banner of untrained weights is shown once, above the frames.

    The feature maps of every layer are computed once, at creation; stepping
    only draws them (and each drawing is kept, so a second visit is free).
    The ``layer`` slider is the explorer's position.

    Parameters
    ----------
    model : torch.nn.Module
        VGG16 from :func:`cnncourse.nets.vgg.load_vgg16`.
    image : path, PIL image, array or tensor
        The photo (anything :func:`cnncourse.nets.vgg.preprocess` accepts).
    channels : int, optional
        How many maps to show (1 to 64).
    first : int, optional
        The first channel shown.
    filter_images : mapping, optional
        ``{layer name: {channel: (h, w, 3) uint8 image}}``: filter
        visualizations shown under the maps of the same channels.
    map_width : int, optional
        Width in pixels of each map.
    interval_ms : int, optional
        Milliseconds per layer when playing.

    Examples
    --------
    >>> from cnncourse.nets.vgg import load_vgg16
    >>> stepper = LayerStepper(load_vgg16("random", device="cpu"), np.zeros((64, 64, 3), np.uint8))
    >>> stepper.layer.value = "block3_conv1"
    >>> stepper.shape, stepper.position is stepper.layer
    ((256, 16, 16), True)
    """

    def __init__(self, model: Any, image: Any, *, channels: int = 8, first: int = 0,
                 filter_images: Mapping[str, Mapping[int, Any]] | None = None, map_width: int = 96,
                 interval_ms: int = 900) -> None:
        self.photo = photo_of(image)
        self.maps = {name: m.numpy() for name, m in feature_maps(model, image).items()}
        self._banner = weights_banner_html(weights_banner(model))
        self.filter_images = {check_layer(k): dict(v) for k, v in (filter_images or {}).items()}
        self.map_width = map_width
        self._drawn: dict[tuple[int, range], str] = {}  # frames already drawn: a memo, not state
        self.layer = w.SelectionSlider(options=_NAMES, value=_NAMES[0], description=tr("layer"),
                                       continuous_update=True, layout=w.Layout(width="32em"))
        self.channels = w.IntText(value=channels, description=tr("maps"), layout=w.Layout(width="10em"))
        self.first = w.IntText(value=first, description=tr("first channel"), layout=w.Layout(width="14em"),
                               style={"description_width": "initial"})
        super().__init__([w.HBox([self.channels, self.first])], watch=[self.channels, self.first],
                         position=self.layer, interval_ms=interval_ms)

    def _header(self) -> str:
        return self._banner  # once above the maps, not in each of the 18 frames

    @property
    def steps(self) -> int:
        """One step per layer."""
        return len(_NAMES)

    @property
    def shape(self) -> tuple[int, int, int]:
        """Output shape (C, H, W) of the current layer."""
        return tuple(self.maps[self.layer.value].shape)

    def _recompute(self) -> None:
        count, first = self.channels.value, self.first.value
        int_between(count, "maps", 1, 64)
        check_channel(_NAMES[0], first, name="first channel")  # an int >= 0; each layer checks its own top
        self._count, self._first = count, first

    def _selection(self, layer: str) -> range:
        """The channels shown for ``layer``; ValueError when they do not all exist there."""
        first, last, count = self._first, self._first + self._count - 1, layer_channels(layer)
        if first >= count:
            check_channel(layer, first, name="first channel")  # says the layer's channel count
        if last >= count:
            raise ValueError(f"channels {first} to {last} do not all exist: {layer} has "
                             f"{count} channels (0 to {count - 1}); "
                             "lower the first channel or the number of maps")
        return range(first, last + 1)

    def _frame(self, step: int) -> str:
        layer = _NAMES[step]
        selection = self._selection(layer)
        key = (step, selection)
        if key not in self._drawn:
            self._drawn[key] = self._draw(layer, selection)
        return self._drawn[key]

    def _draw(self, layer: str, selection: range) -> str:
        c, h, wd = self.maps[layer].shape
        field = receptive_field(layer)
        alt = tr(f"Feature maps of channels {selection.start} to {selection.stop - 1} of {layer}, "
                 f"each {h} by {wd} values, in the viridis colour scale: dark for no response, "
                 "yellow for the map's strongest response.")
        photo_alt = tr(f"The input photo with an orange square of {field} by {field} pixels at its centre: "
                     f"the receptive field of one position of {layer}.")
        known = self.filter_images.get(layer, {})
        cells = [image_html(png_data_uri(load_image(known[channel])),
                            tr(f"What filter {channel} of {layer} responds to most: a synthetic image made "
                               "by gradient ascent."), caption=tr(f"filter {channel}"), width=self.map_width)
                 for channel in selection if channel in known]
        filters = (f'<div class="cnn-note">{tr("What these filters want to see (chapter 5):")}</div>'
                   f'<div class="cnn-figures cnn-top">{"".join(cells)}</div>') if cells else ""
        text = tr(f"<b>{layer}</b> ({_NAMES.index(layer) + 1} of {len(_NAMES)}): output shape "
                f"{c} × {h} × {wd} (channels × height × width); receptive field {field} × {field} pixels; "
                f"showing channels {selection.start}–{selection.stop - 1}")
        return (
            f'<div class="cnn-note">{text}</div><div class="cnn-step cnn-top">'
            + image_html(photo_with_square(self.photo, field), photo_alt)
            + _maps_html(self.maps[layer][selection.start: selection.stop], alt, self.map_width)
            + f"</div>{filters}"
        )
