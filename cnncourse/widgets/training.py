"""The training explorer of chapter 4: step through the checkpoints of a training run.

A slider over the checkpoints that :func:`cnncourse.nets.training.train` kept
shows, at that moment of training, the first layer's filters, the feature
maps they make of one input image, and what the network predicts for it.
The pictures are small PNGs drawn straight from the arrays (no matplotlib),
so each update takes a few milliseconds.
"""

from __future__ import annotations

import html as _html
from collections.abc import Sequence
from typing import Any

import ipywidgets as w
import numpy as np
import torch
from torch import nn

from ..core.validate import int_between
from ..figures.html import image_html
from ..figures.pictures import png_data_uri
from ..i18n.translate import tr
from ..figures.plotting import MAGNITUDE_CMAP, SIGNED_CMAP
from ..nets.classes import top_class
from ..nets.shapes import SHAPE_CLASSES
from ..nets.smallcnn import first_convolution, stage_outputs
from ..nets.training import Checkpoint, TrainingRun, cpu_threads, load_checkpoint
from .base import Explorer


def _filters_html(checkpoint: Checkpoint, key: str, limit: float) -> str:
    """The filters ``key`` of ``checkpoint``, red positive and blue negative up to ``limit``."""
    filters = checkpoint.state[key][:, 0].numpy()
    kernel = filters.shape[-1]
    return "".join(
        image_html(png_data_uri(f, cmap=SIGNED_CMAP, vmin=-limit, vmax=limit, scale=max(1, 50 // kernel)),
                   tr(f"filter {k} of the first layer, {checkpoint.label}: {kernel}x{kernel} weights, "
                      "red positive, blue negative"), caption=f"{k}")
        for k, f in enumerate(filters))


class TrainingExplorer(Explorer):
    """Step through a training run: first-layer filters and feature maps at each checkpoint.

    The position slider (labelled "checkpoint") steps through the
    checkpoints of the run; the "image #" box chooses the input.

    Parameters
    ----------
    model : torch.nn.Sequential
        A model of the architecture that was trained (e.g. a
        :class:`cnncourse.nets.smallcnn.SmallCNN`); it is copied, never changed.
    run : TrainingRun
        What :func:`cnncourse.nets.training.train` returned; its checkpoints are
        the slider's steps.
    images : torch.Tensor, shape (N, 1, H, W)
        Images to choose the input from (e.g. the validation images).
    labels : torch.Tensor, shape (N,), optional
        Their labels, shown next to the prediction.
    index : int, optional
        The image shown first.
    classes : sequence of str, optional
        Class names, by default :data:`cnncourse.nets.shapes.SHAPE_CLASSES`.
    interval_ms : int, optional
        Milliseconds per checkpoint when playing.

    Examples
    --------
    >>> from cnncourse import SmallCNN, make_shapes, train, train_val_split
    >>> model = SmallCNN()
    >>> split = train_val_split(*make_shapes(40))
    >>> run = train(model, split, epochs=1, batch_size=16, progress=False)
    >>> explorer = TrainingExplorer(model, run, split.val_images, split.val_labels)
    >>> explorer.position.max, explorer.current["step"]
    (1, 0)
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
        self._conv, self._act = first_convolution(model)
        # One copy of the model per checkpoint: drawing a step only runs one of them.
        self._models = [load_checkpoint(model, checkpoint) for checkpoint in run.checkpoints]
        # One colour scale for the filters of every checkpoint, so their growth is visible.
        key = f"{self._conv}.weight"
        limit = max(float(c.state[key].abs().max()) for c in run.checkpoints) or 1.0
        self._filters = [_filters_html(c, key, limit) for c in run.checkpoints]
        self.index = w.IntText(value=index, description=tr("image #"), layout=w.Layout(width="12em"))
        super().__init__([self.index], watch=[self.index], position="checkpoint", interval_ms=interval_ms)

    @property
    def steps(self) -> int:
        """One step per checkpoint."""
        return len(self.run.checkpoints)

    def _recompute(self) -> None:
        index = self.index.value
        int_between(index, "image #", 0, len(self.images) - 1)
        self._index = index
        truth = "" if self.labels is None else tr(f" (true class: {self.classes[int(self.labels[index])]})")
        self._truth = truth
        self._input = image_html(png_data_uri(self.images[index, 0].numpy(), vmin=0.0, vmax=1.0, scale=2),
                                 tr(f"input image {index}") + truth, caption=tr(f"image {index}"))

    @torch.no_grad()
    def _outputs(self, step: int) -> tuple[np.ndarray, int, float]:
        """The first layer's maps, the predicted class and its probability at checkpoint ``step``."""
        with cpu_threads(1):  # one image: threads would only wait for each other
            outputs = stage_outputs(self._models[step], self.images[self._index : self._index + 1])
        maps = outputs[self._act][0].numpy()
        return (maps, *top_class(next(reversed(outputs.values()))[0]))

    @property
    def current(self) -> dict[str, Any]:
        """What the display shows: checkpoint, image index, training step, prediction, probability."""
        if not hasattr(self, "_index"):  # no valid image yet
            return {}
        step = self._shown_step()
        _, predicted, probability = self._outputs(step)
        return {"checkpoint": step, "index": self._index, "step": self.run.checkpoints[step].step,
                "predicted": predicted, "probability": probability}

    def _frame(self, step: int) -> str:
        checkpoint = self.run.checkpoints[step]
        maps, predicted, probability = self._outputs(step)
        name = self.classes[predicted] if predicted < len(self.classes) else str(predicted)
        top = float(maps.max()) or 1.0
        map_imgs = "".join(
            image_html(png_data_uri(m, cmap=MAGNITUDE_CMAP, vmin=0.0, vmax=top, scale=2),
                       tr(f"feature map {k} of the first layer for image {self._index}, {checkpoint.label}: "
                          "bright where the filter responds"), caption=f"{k}")
            for k, m in enumerate(maps))
        return (
            '<div class="cnn-note">' + tr("{label}: the network says {name} ({probability})").format(
                label=f"<b>{_html.escape(tr(checkpoint.label).capitalize())}</b>",
                name=f"<b>{_html.escape(tr(name))}</b>", probability=f"{probability:.0%}")
            + f"{_html.escape(self._truth)}.</div>"
            '<div class="cnn-framed">'
            f'<div class="cnn-figures"><span class="cnn-label">{tr("input")}</span>{self._input}</div>'
            f'<div class="cnn-figures"><span class="cnn-label">{tr("filters")}</span>{self._filters[step]}</div>'
            f'<div class="cnn-figures"><span class="cnn-label">{tr("feature maps<br>(after ReLU)")}</span>'
            f"{map_imgs}</div></div>"
        )
