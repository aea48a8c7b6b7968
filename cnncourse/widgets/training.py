"""The training explorer of chapter 4: step through the checkpoints of a training run.

A slider over the checkpoints that :func:`cnncourse.training.train` kept
shows, at that moment of training, the first layer's filters, the feature
maps they make of one input image, and what the network predicts for it.
The pictures are small PNGs drawn straight from the arrays (no matplotlib),
so each update takes a few milliseconds.
"""

from __future__ import annotations

import base64
import copy
import html as _html
import io
from collections.abc import Sequence
from typing import Any

import ipywidgets as w
import numpy as np
import torch
from matplotlib import colormaps
from PIL import Image
from torch import nn

from ..html import STYLE, Player
from ..plotting import MAGNITUDE_CMAP, SIGNED_CMAP
from ..shapes import SHAPE_CLASSES
from ..training import TrainingRun, cpu_threads
from .base import error_html


_CSS = """
<style>
.cnn-train {font-family: sans-serif; font-size: 0.9em;}
.cnn-train .cnn-row {display: flex; flex-wrap: wrap; align-items: flex-end; gap: 0.4em; margin: 0.3em 0;}
.cnn-train figure {margin: 0; text-align: center;}
.cnn-train figcaption {font-size: 0.8em; color: inherit;}
.cnn-train img {image-rendering: pixelated; border: 1px solid rgba(128,128,128,0.6);}
.cnn-train .cnn-label {min-width: 7.5em; font-weight: bold;}
</style>
"""


def png_data_uri(array: Any, *, cmap: str = "gray", vmin: float | None = None, vmax: float | None = None,
                 scale: int = 1) -> str:
    """A 2-D array as an inline PNG (``data:image/png;base64,...``), colour-mapped.

    Parameters
    ----------
    array : array_like, shape (H, W)
    cmap : str, optional
        A matplotlib colour map name.
    vmin, vmax : float, optional
        The values mapped to the ends of the colour map; by default the
        array's minimum and maximum.
    scale : int, optional
        Each value becomes a ``scale`` x ``scale`` block of pixels.

    Returns
    -------
    str

    Examples
    --------
    >>> png_data_uri(np.eye(2)).startswith("data:image/png;base64,")
    True
    """
    values = np.asarray(array, dtype=float)
    if values.ndim != 2:
        raise ValueError(f"array must have shape (H, W), got {values.shape}")
    low = float(values.min()) if vmin is None else vmin
    high = float(values.max()) if vmax is None else vmax
    normed = (values - low) / (high - low) if high > low else np.zeros_like(values)
    rgba = colormaps[cmap](np.clip(normed, 0.0, 1.0), bytes=True)
    image = Image.fromarray(rgba[..., :3])
    if scale > 1:
        image = image.resize((image.width * scale, image.height * scale), Image.NEAREST)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def _img(uri: str, alt: str, caption: str = "") -> str:
    cap = f"<figcaption>{_html.escape(caption)}</figcaption>" if caption else ""
    return f'<figure><img alt="{_html.escape(alt)}" src="{uri}">{cap}</figure>'


def _first_layer(model: nn.Module) -> tuple[str, str]:
    """Names of the first convolution and of the stage right after it (its activation)."""
    names = [(name, module) for name, module in model.named_children()]
    for position, (name, module) in enumerate(names):
        if isinstance(module, nn.Conv2d):
            after = names[position + 1][0] if position + 1 < len(names) else name
            return name, after
    raise ValueError("model has no nn.Conv2d stage")


class TrainingExplorer(w.VBox):
    """Step through a training run: first-layer filters and feature maps at each checkpoint.

    Parameters
    ----------
    model : torch.nn.Sequential
        A model of the architecture that was trained (e.g. a
        :class:`cnncourse.smallcnn.SmallCNN`); it is copied, never changed.
    run : TrainingRun
        What :func:`cnncourse.training.train` returned; its checkpoints are
        the slider's steps.
    images : torch.Tensor, shape (N, 1, H, W)
        Images to choose the input from (e.g. the validation images).
    labels : torch.Tensor, shape (N,), optional
        Their labels, shown next to the prediction.
    index : int, optional
        The image shown first.
    classes : sequence of str, optional
        Class names, by default :data:`cnncourse.shapes.SHAPE_CLASSES`.

    Examples
    --------
    >>> from cnncourse import SmallCNN, make_shapes, train, train_val_split
    >>> model = SmallCNN()
    >>> split = train_val_split(*make_shapes(40))
    >>> run = train(model, split, epochs=1, batch_size=16, progress=False)
    >>> explorer = TrainingExplorer(model, run, split.val_images, split.val_labels)
    >>> explorer.checkpoint.max
    1
    >>> explorer.index.value = 99
    >>> "must be between" in explorer.message.value
    True
    """

    def __init__(self, model: nn.Module, run: TrainingRun, images: torch.Tensor,
                 labels: torch.Tensor | None = None, *, index: int = 0,
                 classes: Sequence[str] = SHAPE_CLASSES, interval_ms: int = 700) -> None:
        if not isinstance(run, TrainingRun) or not run.checkpoints:
            raise ValueError("run must be a TrainingRun with at least one checkpoint")
        images = torch.as_tensor(images, dtype=torch.float32)
        if images.ndim != 4 or len(images) == 0:
            raise ValueError(f"images must have shape (N, C, H, W), got {tuple(images.shape)}")
        self.run, self.images, self.labels, self.classes = run, images, labels, list(classes)
        self._model = copy.deepcopy(model).eval()
        self._conv, self._act = _first_layer(self._model)
        key = f"{self._conv}.weight"
        # One colour scale for the filters of every checkpoint, so their growth is visible.
        self._filter_limit = max(float(c.state[key].abs().max()) for c in run.checkpoints) or 1.0
        self._interval_ms = interval_ms

        n = len(run.checkpoints)
        self.checkpoint = w.IntSlider(value=0, min=0, max=n - 1, description="checkpoint",
                                      continuous_update=True)
        self.play = w.Play(value=0, min=0, max=n - 1, interval=interval_ms, description="Play")
        w.jslink((self.play, "value"), (self.checkpoint, "value"))
        self.index = w.IntText(value=index, description="image #", layout=w.Layout(width="12em"))
        self.message = w.HTML()
        self.display = w.HTML()
        self.current: dict[str, Any] = {}
        super().__init__([w.HBox([self.play, self.checkpoint, self.index]), self.message, self.display])
        self.checkpoint.observe(self.refresh, names="value")
        self.index.observe(self.refresh, names="value")
        self.refresh()

    # -- state -----------------------------------------------------------------
    def _check_index(self) -> int:
        value = self.index.value
        if not 0 <= value < len(self.images):
            raise ValueError(f"image # must be between 0 and {len(self.images) - 1}, got {value}")
        return value

    def refresh(self, _change: Any = None) -> None:
        """Re-read the controls and redraw, or show a message for a bad value."""
        try:
            index = self._check_index()
        except ValueError as exc:
            self.message.value = error_html(exc)
            return
        self.message.value = ""
        self.display.value = STYLE + _CSS + self._render(self.checkpoint.value, index)

    @torch.no_grad()
    def _compute(self, step: int, index: int) -> dict[str, Any]:
        checkpoint = self.run.checkpoints[step]
        self._model.load_state_dict(checkpoint.state)
        x = self.images[index : index + 1]
        maps = None
        with cpu_threads(1):  # one image: threads would only wait for each other
            for name, stage in self._model.named_children():
                x = stage(x)
                if name == self._act:
                    maps = x[0]
        probabilities = torch.softmax(x[0], dim=0)
        predicted = int(probabilities.argmax())
        return {
            "step": checkpoint.step,
            "label": checkpoint.label,
            "filters": checkpoint.state[f"{self._conv}.weight"][:, 0].numpy(),
            "maps": maps.numpy(),
            "predicted": predicted,
            "probability": float(probabilities[predicted]),
        }

    # -- rendering -------------------------------------------------------------
    def _render(self, step: int, index: int) -> str:
        data = self._compute(step, index)
        self.current = {"checkpoint": step, "index": index, "step": data["step"],
                        "predicted": data["predicted"], "probability": data["probability"]}
        name = self.classes[data["predicted"]] if data["predicted"] < len(self.classes) else str(data["predicted"])
        truth = ""
        if self.labels is not None:
            true_name = self.classes[int(self.labels[index])]
            truth = f" (true class: {true_name})"
        image = self.images[index, 0].numpy()
        filters = data["filters"]
        kernel = filters.shape[-1]
        lim = self._filter_limit
        filter_imgs = "".join(
            _img(png_data_uri(f, cmap=SIGNED_CMAP, vmin=-lim, vmax=lim, scale=max(1, 50 // kernel)),
                 f"filter {k} of the first layer, {data['label']}: {kernel}x{kernel} weights, red positive, "
                 "blue negative", f"{k}")
            for k, f in enumerate(filters)
        )
        maps = data["maps"]
        top = float(maps.max()) or 1.0
        map_imgs = "".join(
            _img(png_data_uri(m, cmap=MAGNITUDE_CMAP, vmin=0.0, vmax=top, scale=2),
                 f"feature map {k} of the first layer for image {index}, {data['label']}: "
                 "bright where the filter responds", f"{k}")
            for k, m in enumerate(maps)
        )
        return (
            '<div class="cnn-train">'
            + f'<div class="cnn-note"><b>{_html.escape(data["label"].capitalize())}</b>: the network says '
            f'<b>{_html.escape(name)}</b> ({data["probability"]:.0%}){_html.escape(truth)}.</div>'
            + '<div class="cnn-row"><span class="cnn-label">input</span>'
            + _img(png_data_uri(image, cmap="gray", vmin=0.0, vmax=1.0, scale=2),
                   f"input image {index}{truth}", f"image {index}")
            + '</div><div class="cnn-row"><span class="cnn-label">filters</span>' + filter_imgs
            + '</div><div class="cnn-row"><span class="cnn-label">feature maps<br>(after ReLU)</span>' + map_imgs
            + "</div></div>"
        )

    def to_player(self, title: str = "") -> Player:
        """A kernel-free player with one frame per checkpoint, for the current image."""
        index = self._check_index()
        frames = [self._render(step, index) for step in range(len(self.run.checkpoints))]
        frames[0] = _CSS + frames[0]  # the player adds the shared stylesheet
        self.refresh()
        return Player(frames, title=title, interval_ms=self._interval_ms)
