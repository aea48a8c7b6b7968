"""Occlusion: how much the probability of a class drops when a square of the image is hidden.

A ``window`` x ``window`` square, over all channels, is set to ``baseline``
in the model's input (0 is the ImageNet mean colour for a preprocessed photo)
and the probability of the class is computed again; every pixel gets the
mean drop over the windows that cover it (Zeiler & Fergus, 2014).

Windows start at ``0, stride, 2 stride, ..., K stride`` along each axis,
``K = ceil((size - window) / stride)``: the last start is the first that is
at least ``size - window``, so the last window reaches the border and may be
cut by it, and every pixel is covered. This is Captum's ``Occlusion``.

The straightforward way runs the whole network once per window
(``incremental=False``). Hiding a square changes only part of each feature
map, though, so for VGG16 the default recomputes only that part (Nakandala
et al., SIGMOD 2019): see :mod:`cnncourse.attribution.incremental`.

Examples
--------
>>> window_starts(224, 32, 16)[-3:], window_starts(100, 32, 16)
([160, 176, 192], [0, 16, 32, 48, 64, 80])
"""

from __future__ import annotations

from typing import Any

import numpy as np
import torch
from torch import nn

from ..core.validate import finite_number, int_at_least
from .gradients import PIXEL_BUDGET, class_scores, model_input
from .incremental import IncrementalOcclusion, supports_incremental
from ..core.progress import Progress, check_progress, reporter
from ..core.torchutil import evaluating


def window_starts(length: int, window: int, stride: int) -> list[int]:
    """Where the windows start along an axis of ``length`` pixels: ``0, stride, ...`` up to the first ``>= length - window``.

    Examples
    --------
    >>> window_starts(64, 32, 16), window_starts(40, 32, 16)
    ([0, 16, 32], [0, 16])
    """
    count = -(-(length - window) // stride) + 1  # ceil((length - window) / stride) + 1
    return [k * stride for k in range(count)]


def _naive(model: nn.Module, x: torch.Tensor, target: int, windows: list[tuple[int, int]], window: int,
           baseline: float, bar: Any) -> torch.Tensor:
    """The probability of ``target`` for each occluded image, one forward pass each (in batches)."""
    chunk = max(1, min(64, 2 * PIXEL_BUDGET // (x.shape[-2] * x.shape[-1])))  # no gradients: twice as many
    found = []
    for start in range(0, len(windows), chunk):
        part = windows[start:start + chunk]
        batch = x.repeat(len(part), 1, 1, 1)
        for i, (row, col) in enumerate(part):
            batch[i, :, row:row + window, col:col + window] = baseline
        found.append(class_scores(model(batch).float().softmax(1), target))
        bar.update(len(part))
    return torch.cat(found)


def occlusion(model: nn.Module, image: Any, target: int, *, window: int = 32, stride: int = 16,
              baseline: float = 0.0, incremental: bool = True,
              progress: bool | Progress = True) -> np.ndarray:
    """The mean drop of the probability of class ``target`` when a square covering each pixel is hidden.

    For each window position (see :func:`window_starts`; the squares cover
    the whole image), a ``window`` x ``window`` square of the model's input,
    over all channels, is set to ``baseline``, and the drop ``p(original) -
    p(occluded)`` of the softmax probability of ``target`` is recorded. Each
    pixel gets the mean drop over the windows that cover it, as Captum's
    ``Occlusion`` computes it (its per-channel result is the same for every
    channel).

    Parameters
    ----------
    model : torch.nn.Module
        A classifier returning logits (VGG16 with its top, a trained :class:`SmallCNN`).
    image : torch.Tensor, path, PIL image or array
        A photo (preprocessed for VGG16) or the model's input tensor, see
        :func:`~cnncourse.attribution.gradients.model_input`.
    target : int
        The class, from 0 to classes - 1.
    window : int, optional
        Side of the hidden square in pixels, from 1 to the image's shorter side.
    stride : int, optional
        Step between window positions, from 1 to ``window``.
    baseline : float, optional
        The value the hidden square gets in the model's input: 0 (default)
        is ImageNet's mean colour for a preprocessed photo, black for a
        :class:`SmallCNN` image.
    incremental : bool, optional
        ``True`` (default): for torchvision's VGG (features made only of
        ``Conv2d``, ``ReLU`` and ``MaxPool2d``), recompute only the part of
        each feature map that the square changes (:mod:`cnncourse.attribution.incremental`),
        which gives the same map to float rounding (differences of about
        1e-6 in the probabilities) several times faster; other models are
        run whole. ``False``: run the whole network for every window.
    progress : bool or callable, optional
        ``True``: a progress bar on standard error when the run takes more
        than two seconds; ``False``: none; a callable ``progress(done,
        total)``: called with the windows done so far instead, and nothing is
        written (an explorer shows its own bar).

    Returns
    -------
    numpy.ndarray, shape (H, W), float32
        Positive where hiding the pixel lowers the class's probability,
        negative where it raises it.

    Raises
    ------
    ValueError
        ``target`` outside the classes, ``window`` larger than the image,
        ``stride`` below 1 or above ``window``, a non-finite ``baseline``.

    Examples
    --------
    >>> net, image = SmallCNN(), torch.rand(1, 32, 32)
    >>> heat = occlusion(net, image, 3, window=8, stride=4)
    >>> heat.shape, heat.dtype
    ((32, 32), dtype('float32'))
    """
    x = model_input(model, image)
    height, width = x.shape[-2:]
    window = int_at_least(window, "window", 1)
    if window > min(height, width):
        raise ValueError(f"window must be at most the image's shorter side, {min(height, width)} pixels "
                         f"(the image is {height}x{width}), got {window}")
    stride = int_at_least(stride, "stride", 1)
    if stride > window:
        raise ValueError(f"stride must be from 1 to window ({window}) so that the windows cover every "
                         f"pixel, got {stride}")
    baseline = finite_number(baseline, "baseline")
    if not isinstance(incremental, bool):
        raise TypeError(f"incremental must be True or False, got {incremental!r}")
    check_progress(progress)
    rows, cols = window_starts(height, window, stride), window_starts(width, window, stride)
    windows = [(row, col) for row in rows for col in cols]
    with evaluating(model), torch.no_grad():
        if incremental and supports_incremental(model):
            engine = IncrementalOcclusion(model, x)
            original = class_scores(engine.logits.float().softmax(1), target)
            with reporter(progress, total=len(windows), desc="occlusion (incremental)", unit="window",
                          delay=2.0, leave=False) as bar:
                occluded = engine.probabilities(target, rows, cols, window, baseline, bar=bar)
        else:
            original = class_scores(model(x).float().softmax(1), target)
            with reporter(progress, total=len(windows), desc="occlusion", unit="window",
                          delay=2.0, leave=False) as bar:
                occluded = _naive(model, x, target, windows, window, baseline, bar)
    drops = (original - occluded).double().cpu().numpy()
    total = np.zeros((height, width))
    count = np.zeros((height, width))
    for (row, col), drop in zip(windows, drops):
        total[row:row + window, col:col + window] += drop
        count[row:row + window, col:col + window] += 1
    return (total / count).astype(np.float32)
