"""Chapter 5's explorers: watch gradient ascent build what a filter wants to see.

* :class:`FilterExplorer` -- pick a layer and a filter; the ascent runs and
  a slider (or Play) steps through it, picture and objective side by side.
  ``to_player()`` records the same steps as a kernel-free
  :class:`~cnncourse.figures.player.Player`.
* :func:`layers_player` -- a kernel-free player over precomputed grids, one
  frame per layer (e.g. the 13 conv layers of VGG16).

Pictures are inline PNGs with alt text, so they work on the static website.
"""

from __future__ import annotations

from collections.abc import Mapping

import ipywidgets as w
import numpy as np
import torch

from ..featureviz.filters import FilterVisualization, check_ascent_settings, deprocess, filter_ascent
from ..figures.html import image_html
from ..figures.pictures import png_data_uri
from ..i18n.translate import tr
from ..figures.player import Player
from ..figures.svg import objective_svg
from ..nets.vgg_layers import check_channel, check_layer, layer_channels, receptive_field, truncated, VGG16_LAYERS
from .base import Explorer


class FilterExplorer(Explorer):
    """Pick a VGG16 layer and filter, and watch gradient ascent build its picture.

    Changing the layer or the filter reruns the ascent (a few seconds for a
    deep layer); the position slider (labelled "step") and Play then replay
    it: position ``k`` is the picture after ``k`` ascent steps, so there are
    ``steps + 1`` positions. A bad filter index shows a message instead of
    raising.

    Parameters
    ----------
    model : torch.nn.Module
        VGG16 from :func:`cnncourse.load_vgg16`.
    layer : str, optional
        Starting layer (any of :data:`cnncourse.VGG16_LAYERS`).
    filter : int, optional
        Starting filter index.
    side, steps, step_size, seed : optional
        As for :func:`cnncourse.visualize_filters`: canvas side in pixels,
        number of ascent steps (kept as :attr:`ascent_steps`), ... The last
        frame is exactly its picture.

    Examples
    --------
    >>> from cnncourse.nets.vgg import load_vgg16
    >>> explorer = FilterExplorer(load_vgg16("random", device="cpu"), side=32, steps=3)
    >>> explorer.frames.shape, explorer.objective.shape, explorer.position.value
    ((4, 32, 32, 3), (4,), 3)
    >>> explorer.filter.value = 999
    >>> "out of range" in explorer.message.value
    True
    """

    def __init__(self, model: torch.nn.Module, *, layer: str = "block1_conv1", filter: int = 0,
                 side: int = 64, steps: int = 20, step_size: float = 1.0, seed: int = 0) -> None:
        if not isinstance(model, torch.nn.Module):
            raise TypeError(f"model must be a torch.nn.Module (VGG16 from load_vgg16), got {type(model).__name__}")
        check_channel(check_layer(layer), filter, name="filter")
        self.model = model
        self.side, self.ascent_steps, self.step_size, self.seed = check_ascent_settings(side, steps, step_size, seed)
        self.layer = w.Dropdown(options=list(VGG16_LAYERS), value=layer, description=tr("layer"))
        self.filter = w.IntText(value=filter, description=tr("filter"), layout=w.Layout(width="12em"))
        self.info = w.HTML()
        super().__init__([w.HBox([self.layer, self.filter]), self.info], watch=[self.layer, self.filter],
                         position="step", interval_ms=250)
        self.position.value = self.play.value = self.ascent_steps  # start on the finished picture

    @property
    def steps(self) -> int:
        """The number of frames: the start and one per ascent step (``ascent_steps + 1``)."""
        return self.ascent_steps + 1

    def _recompute(self) -> None:
        """Rerun the ascent for the current layer and filter."""
        layer = self.layer.value
        channels, field = layer_channels(layer), receptive_field(layer)
        self.info.value = ('<div class="cnn-note">' + tr(f"{layer}: {channels} filters (0 to {channels - 1}); "
                           f"receptive field {field}×{field} pixels") + "</div>")
        filter_ = check_channel(layer, self.filter.value, name="filter")
        frames, values = [], []
        ascent = filter_ascent(truncated(self.model, layer), [filter_], side=self.side, steps=self.ascent_steps,
                               step_size=self.step_size, seed=self.seed)
        for _, value, images in ascent:
            frames.append(deprocess(images)[0])
            values.append(float(value[0]))
        self.frames = np.stack(frames)
        self.objective = np.array(values)
        self._current = (layer, filter_)

    def _frame(self, step: int) -> str:
        layer, filter_ = self._current
        alt = tr(f"What filter {filter_} of {layer} wants to see after {step} of {self.ascent_steps} "
                 f"gradient-ascent steps, on a {self.side}×{self.side} canvas")
        return (
            '<div class="cnn-step">'
            + image_html(png_data_uri(self.frames[step]), alt, width=192)
            + objective_svg(self.objective, step)
            + "</div>"
            + '<div class="cnn-note">' + tr(f"{layer}, filter {filter_}: step {step} of {self.ascent_steps}, "
            f"mean activation {self.objective[step]:.4g} (started at {self.objective[0]:.4g}).") + "</div>"
        )

    def _default_title(self) -> str:
        layer, filter_ = self._current
        return tr(f"Gradient ascent on filter {filter_} of {layer}")


def layers_player(results: Mapping[str, FilterVisualization], *, width: int = 96,
                  title: str = "What the filters of each layer want to see") -> Player:
    """A kernel-free player with one frame per layer: that layer's pictures side by side.

    Parameters
    ----------
    results : mapping of str to FilterVisualization
        Layer name to the result of :func:`cnncourse.visualize_filters`, in
        the order the frames should play.
    width : int, optional
        Width in pixels at which each picture is shown.
    title : str, optional
        Shown above the frames.

    Examples
    --------
    >>> from cnncourse.featureviz.filters import visualize_filters
    >>> from cnncourse.nets.vgg import load_vgg16
    >>> model = load_vgg16("random", device="cpu")
    >>> r = visualize_filters(model, "block1_conv1", [0, 1], side=32, steps=2, progress=False)
    >>> len(layers_player({"block1_conv1": r}).frames)
    1
    """
    if not results:
        raise ValueError("results must contain at least one layer")
    frames = []
    for layer, result in results.items():
        side = result.images.shape[1]
        pictures = "".join(
            image_html(png_data_uri(image), tr(f"What filter {f} of {layer} wants to see ({side}×{side} pixels)"),
                       width=width)
            for f, image in zip(result.filters, result.images))
        frames.append(
            f'<div class="cnn-note"><b>{layer}</b>: '
            + tr(f"filters {', '.join(map(str, result.filters))}; "
                 f"canvas {side}×{side} pixels; receptive field {receptive_field(layer)} pixels") + "</div>"
            + f'<div class="cnn-figures">{pictures}</div>')
    return Player(frames, title=title, interval_ms=1500)
