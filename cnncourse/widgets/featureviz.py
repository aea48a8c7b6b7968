"""Chapter 5's explorers: watch gradient ascent build what a filter wants to see.

* :class:`FilterExplorer` -- pick a layer and a filter; the ascent runs and
  a slider (or Play) steps through it, picture and objective side by side.
  ``to_player()`` records the same steps as a kernel-free
  :class:`~cnncourse.html.Player`.
* :func:`layers_player` -- a kernel-free player over precomputed grids, one
  frame per layer (e.g. the 13 conv layers of VGG16).

Pictures are inline PNGs with alt text, so they work on the static website.
"""

from __future__ import annotations

import base64
import html as _html
import io
from collections.abc import Mapping
from typing import Any

import ipywidgets as w
import numpy as np
import torch
from PIL import Image

from ..featureviz import (
    FilterVisualization,
    channel_objective,
    deprocess,
    gradient_ascent,
    initial_images,
)
from ..featureviz import _check_settings, _generators  # the same checks and seeded streams
from ..html import STYLE, Player
from ..vgg_layers import check_channel, check_layer, layer_channels, receptive_field, truncated, VGG16_LAYERS
from .base import error_html


_OBJECTIVE_COLOUR = "#0072B2"  # Okabe-Ito blue
_MARKER_COLOUR = "#D55E00"  # Okabe-Ito vermillion


def image_html(image: np.ndarray, alt: str, width: int = 160) -> str:
    """An ``(H, W, 3)`` uint8 image as an inline PNG ``<img>`` with alt text, drawn pixelated."""
    buffer = io.BytesIO()
    Image.fromarray(np.asarray(image, dtype=np.uint8)).save(buffer, format="PNG")
    data = base64.b64encode(buffer.getvalue()).decode("ascii")
    return (f'<img src="data:image/png;base64,{data}" alt="{_html.escape(alt)}" width="{width}" '
            f'height="{width}" style="image-rendering: pixelated; margin: 2px;">')


def _objective_svg(values: np.ndarray, current: int, width: int = 260, height: int = 160) -> str:
    """A small line plot of the objective against the step, with the current step marked."""
    steps = len(values) - 1
    low, high = float(values.min()), float(values.max())
    span = (high - low) or 1.0
    pad = 28

    def xy(k: int, v: float) -> tuple[float, float]:
        x = pad + (width - pad - 8) * (k / max(steps, 1))
        y = height - pad - (height - pad - 10) * ((v - low) / span)
        return x, y

    points = " ".join(f"{x:.1f},{y:.1f}" for x, y in (xy(k, v) for k, v in enumerate(values)))
    cx, cy = xy(current, float(values[current]))
    label = (f"Objective (mean activation) against the step: from {values[0]:.4g} at step 0 "
             f"to {values[-1]:.4g} at step {steps}; step {current} is marked.")
    return (
        f'<svg role="img" aria-label="{_html.escape(label)}" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" style="font-family: sans-serif; font-size: 11px;">'
        f'<line x1="{pad}" y1="{height - pad}" x2="{width - 8}" y2="{height - pad}" stroke="#888"/>'
        f'<line x1="{pad}" y1="10" x2="{pad}" y2="{height - pad}" stroke="#888"/>'
        f'<polyline points="{points}" fill="none" stroke="{_OBJECTIVE_COLOUR}" stroke-width="2"/>'
        f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="4.5" fill="{_MARKER_COLOUR}"/>'
        f'<text x="{pad}" y="{height - 8}">step 0</text>'
        f'<text x="{width - 8}" y="{height - 8}" text-anchor="end">step {steps}</text>'
        f'<text x="{pad + 4}" y="20">objective</text>'
        "</svg>"
    )


class FilterExplorer(w.VBox):
    """Pick a VGG16 layer and filter, and watch gradient ascent build its picture.

    Changing the layer or the filter reruns the ascent (a few seconds for a
    deep layer); the step slider and Play button then replay it. A bad
    filter index shows a message instead of raising.

    Parameters
    ----------
    model : torch.nn.Module
        VGG16 from :func:`cnncourse.load_vgg16`.
    layer : str, optional
        Starting layer (any of :data:`cnncourse.VGG16_LAYERS`).
    filter : int, optional
        Starting filter index.
    size, steps, step_size, seed : optional
        As for :func:`cnncourse.visualize_filters` (the last frame is exactly
        its picture).

    Examples
    --------
    >>> from cnncourse.vgg import load_vgg16
    >>> explorer = FilterExplorer(load_vgg16("random", device="cpu"), size=32, steps=3)
    >>> explorer.frames.shape, explorer.objective.shape
    ((4, 32, 32, 3), (4,))
    >>> explorer.filter.value = 999
    >>> "out of range" in explorer.message.value
    True
    """

    def __init__(self, model: torch.nn.Module, *, layer: str = "block1_conv1", filter: int = 0,
                 size: int = 64, steps: int = 20, step_size: float = 1.0, seed: int = 0) -> None:
        if not isinstance(model, torch.nn.Module):
            raise TypeError(f"model must be a torch.nn.Module (VGG16 from load_vgg16), got {type(model).__name__}")
        check_channel(check_layer(layer), filter, "filter")
        size, steps, step_size, seed = _check_settings(size, steps, step_size, seed)
        self.model = model
        self.size, self.steps, self.step_size, self.seed = size, steps, step_size, seed
        self.layer = w.Dropdown(options=list(VGG16_LAYERS), value=layer, description="layer")
        self.filter = w.IntText(value=filter, description="filter", layout=w.Layout(width="12em"))
        self.step = w.IntSlider(value=steps, min=0, max=steps, description="step")
        self.play = w.Play(value=steps, min=0, max=steps, interval=250, description="Play")
        w.jslink((self.play, "value"), (self.step, "value"))
        self.info = w.HTML()
        self.message = w.HTML()
        self.display = w.HTML()
        super().__init__([w.HBox([self.layer, self.filter]), self.info,
                          w.HBox([self.play, self.step]), self.message, self.display])
        self.layer.observe(self.refresh, names="value")
        self.filter.observe(self.refresh, names="value")
        self.step.observe(lambda _: self._show(), names="value")
        self.refresh()

    def refresh(self, _change: Any = None) -> None:
        """Rerun the ascent for the current layer and filter (or show a message)."""
        layer = self.layer.value
        self.info.value = (f'<div class="cnn-note">{layer}: {layer_channels(layer)} filters '
                           f"(0 to {layer_channels(layer) - 1}); receptive field "
                           f"{receptive_field(layer)}×{receptive_field(layer)} pixels</div>")
        try:
            filter_ = check_channel(layer, self.filter.value, "filter")
        except (ValueError, TypeError) as exc:
            self.message.value = error_html(exc)
            return
        self.message.value = ""
        net = truncated(self.model, layer)
        parameter = next(net.parameters(), None)
        device = parameter.device if parameter is not None else torch.device("cpu")
        frames, values = [], []
        ascent = gradient_ascent(net, initial_images([filter_], self.size, self.seed, device),
                                 channel_objective([filter_]), steps=self.steps, step_size=self.step_size,
                                 generators=_generators(self.seed, [filter_], 1))
        for _, value, images in ascent:
            frames.append(deprocess(images)[0])
            values.append(float(value[0]))
        self.frames = np.stack(frames)
        self.objective = np.array(values)
        self._current = (layer, filter_)
        self._show()

    def _render(self, step: int) -> str:
        layer, filter_ = self._current
        alt = (f"What filter {filter_} of {layer} wants to see after {step} of {self.steps} "
               f"gradient-ascent steps, on a {self.size}×{self.size} canvas")
        return (
            '<div class="cnn-step">'
            + image_html(self.frames[step], alt, width=192)
            + _objective_svg(self.objective, step)
            + "</div>"
            + f'<div class="cnn-note">{layer}, filter {filter_}: step {step} of {self.steps}, '
            f"mean activation {self.objective[step]:.4g} (started at {self.objective[0]:.4g}).</div>"
        )

    def _show(self) -> None:
        if not self.message.value:
            self.display.value = STYLE + self._render(self.step.value)

    def to_player(self, title: str = "") -> Player:
        """A kernel-free player of every ascent step of the current layer and filter."""
        layer, filter_ = self._current
        return Player([self._render(k) for k in range(self.steps + 1)],
                      title=title or f"Gradient ascent on filter {filter_} of {layer}", interval_ms=250)


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

    Examples
    --------
    >>> from cnncourse.featureviz import visualize_filters
    >>> from cnncourse.vgg import load_vgg16
    >>> net = load_vgg16("random", device="cpu")
    >>> r = visualize_filters(net, "block1_conv1", [0, 1], size=32, steps=2, progress=False)
    >>> len(layers_player({"block1_conv1": r}).frames)
    1
    """
    if not results:
        raise ValueError("results must contain at least one layer")
    frames = []
    for layer, result in results.items():
        size = result.images.shape[1]
        pictures = "".join(
            image_html(image, f"What filter {f} of {layer} wants to see ({size}×{size} pixels)", width)
            for f, image in zip(result.filters, result.images))
        frames.append(
            f'<div class="cnn-note"><b>{layer}</b>: filters {", ".join(map(str, result.filters))}; '
            f"canvas {size}×{size} pixels; receptive field {receptive_field(layer)} pixels</div>"
            f'<div style="display: flex; flex-wrap: wrap;">{pictures}</div>')
    return Player(frames, title=title, interval_ms=1500)
