"""What a filter wants to see: gradient ascent in input space.

The classic recipe (Chollet 2016, "How convolutional neural networks see the
world"): start from a gray image with a little noise, and change the *image*
-- never the network -- so that one filter's mean activation grows. Each step
follows the gradient of that activation with respect to the pixels, divided
by its root-mean-square so that every step has the same size.

The pieces are separate modules, in the spirit of lucent, and work with any
network: hooks (:func:`cnncourse.capture`), objectives
(:mod:`cnncourse.featureviz.objectives`: :func:`~cnncourse.channel`,
:func:`~cnncourse.neuron`, :func:`~cnncourse.class_logit`, their sums and
multiples), the pixels being optimized (:mod:`cnncourse.featureviz.parameterization`:
:data:`~cnncourse.VGG16_PIXELS`, :data:`~cnncourse.UNIT_PIXELS`, seeded
start images), regularizing transforms (:mod:`cnncourse.featureviz.transforms`) and the
render loop (:func:`cnncourse.featureviz.render.gradient_ascent`). This module adds
chapter 5's VGG16 side: :func:`deprocess` (optimized pixels to a picture)
and :func:`visualize_filters`. Import them all from :mod:`cnncourse`.

:func:`visualize_filters` is VGG16's convenience, and fast: it runs the
network only up to the target layer (:func:`cnncourse.nets.vgg_layers.truncated`)
and optimizes many filters at once as one batch. Each batch element is one
filter's image and the loss is the sum of each element's *own* filter
activation, so the gradients of the elements do not mix: a batch gives the
same pictures as one filter at a time. Every random number comes from a
generator seeded by ``(seed, filter)``, so a filter's picture does not
depend on its companions.

Speed for free: the images are kept in channels-last memory format, which
the convolutions of CPUs (oneDNN) and GPUs prefer (the same pictures, often
faster; ``benchmarks/bench_featureviz.py`` measures it); and on CPUs with
native bfloat16 (AVX512-BF16 or AMX), running the ascent under
:func:`bfloat16_autocast` can make deep layers markedly faster, with pictures
that differ in detail.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import torch
from torch import nn

from ..core.validate import int_at_least, int_between, positive_number
from .objectives import channel_objective
from .parameterization import VGG16_PIXELS, initial_images, seeded_generators
from ..core.progress import progress_bar
from .render import gradient_ascent
from ..core.torchutil import device_of
from .transforms import Transform
from ..nets.vgg_layers import check_channel, check_layer, truncated

MIN_SIDE = 32
"""Smallest canvas side: VGG16's five poolings halve 32 pixels down to 1."""
MAX_SIDE = 1024
"""Largest canvas side (memory grows with its square)."""


@dataclass(frozen=True)
class FilterVisualization:
    """The result of :func:`visualize_filters`.

    Attributes
    ----------
    layer : str
        The layer name.
    filters : tuple of int
        The filter (channel) indices, in the order of ``images``.
    images : numpy.ndarray, shape (N, side, side, 3), uint8
        One deprocessed picture per filter.
    objective : numpy.ndarray, shape (steps + 1, N), float64
        The mean activation of each filter at each step; row 0 is the
        starting image, row ``steps`` the final one.
    """

    layer: str
    filters: tuple[int, ...]
    images: np.ndarray
    objective: np.ndarray

    @property
    def gain(self) -> np.ndarray:
        """Final minus starting objective, one number per filter."""
        return self.objective[-1] - self.objective[0]


# -- deprocessing --------------------------------------------------------------


def deprocess(images: torch.Tensor, std: float = 0.1) -> np.ndarray:
    """Optimized pixels to 8-bit pictures: center, scale to a small std, shift to 0.5, clip.

    Each image is treated on its own: its mean becomes 0.5 and its standard
    deviation ``std`` (of the [0, 1] range), so that its contrast is visible
    whatever its scale; values outside [0, 1] are clipped. (To keep the
    pixel values instead, use :meth:`PixelSpace.to_uint8`.)

    Parameters
    ----------
    images : torch.Tensor, shape (N, C, H, W)
    std : float, optional

    Returns
    -------
    numpy.ndarray, shape (N, H, W, C), uint8

    Examples
    --------
    >>> deprocess(torch.tensor([[[[0.0, 2.0]]] * 3]))[0, 0]
    array([[102, 102, 102],
           [153, 153, 153]], dtype=uint8)
    """
    x = images.detach().float().cpu()
    dims = tuple(range(1, x.ndim))
    x = x - x.mean(dim=dims, keepdim=True)
    x = x / (x.std(dim=dims, keepdim=True, unbiased=False) + 1e-5)
    x = (x * std + 0.5).clamp(0, 1)
    return (x * 255).round().to(torch.uint8).permute(0, 2, 3, 1).contiguous().numpy()


# -- precision -----------------------------------------------------------------


def bfloat16_autocast(device: Any = "cpu") -> contextlib.AbstractContextManager:
    """``torch.autocast`` to bfloat16 where the hardware computes it natively; else no change.

    On CPUs with AVX512-BF16 or AMX (and on CUDA GPUs with bfloat16) the
    convolutions run in bfloat16, which can make deep layers markedly faster
    (the benchmark measures it); the pictures differ in detail. Elsewhere
    bfloat16 would be emulated (slower), so this returns a context that
    changes nothing.

    Parameters
    ----------
    device : str or torch.device, optional
        Where the network runs.

    Returns
    -------
    contextlib.AbstractContextManager
        ``torch.autocast`` or a context that does nothing.

    Examples
    --------
    >>> with bfloat16_autocast("cpu"):
    ...     pass
    """
    kind = torch.device(device).type
    if kind == "cuda":
        supported = torch.cuda.is_available() and torch.cuda.is_bf16_supported()
    elif kind == "cpu":
        supported = bool(torch.backends.mkldnn.is_available() and torch.ops.mkldnn._is_mkldnn_bf16_supported())
    else:
        supported = False
    if supported:
        return torch.autocast(kind, dtype=torch.bfloat16)
    return contextlib.nullcontext()


# -- VGG16's convenience: many filters of one layer ------------------------------


def _check_filters(layer: str, filters: Any) -> tuple[int, ...]:
    if isinstance(filters, (int, np.integer)) and not isinstance(filters, (bool, np.bool_)):
        filters = [filters]
    if isinstance(filters, (str, bytes)) or not hasattr(filters, "__iter__"):
        raise TypeError(f"filters must be an int or a sequence of ints, got {filters!r}")
    checked = tuple(check_channel(layer, f, name="filter") for f in filters)
    if not checked:
        raise ValueError("filters must name at least one filter")
    return checked


def check_ascent_settings(side: Any, steps: Any, step_size: Any, seed: Any) -> tuple[int, int, float, int]:
    """Check the canvas side, number of steps, step size and seed of :func:`visualize_filters`.

    Raises ``TypeError`` or ``ValueError`` naming the parameter and its valid range.

    Examples
    --------
    >>> check_ascent_settings(64, 10, 1, 0)
    (64, 10, 1.0, 0)
    >>> check_ascent_settings(8, 10, 1.0, 0)
    Traceback (most recent call last):
    ...
    ValueError: side must be between 32 and 1024 pixels, got 8
    """
    side = int_between(side, "side", MIN_SIDE, MAX_SIDE, "pixels")
    steps = int_at_least(steps, "steps", 1)
    return side, steps, positive_number(step_size, "step_size"), int_at_least(seed, "seed", 0)


def filter_ascent(model: nn.Module, filters: Sequence[int], *, side: int, steps: int, step_size: float,
                  seed: int, transforms: Sequence[Transform] = ()) -> Iterator[tuple[int, torch.Tensor, torch.Tensor]]:
    """The gradient ascent of :func:`visualize_filters` for ``filters``, step by step (settings already checked).

    Image ``i`` starts from :func:`~cnncourse.initial_images` (VGG16's 0-255
    pixels, seeded by ``(seed, filter)``) on the device of ``model`` and drives
    filter ``filters[i]`` of the output of ``model``; the transforms draw
    their randomness from generators seeded the same way, so a filter's
    picture does not depend on the other filters of its batch.

    Parameters
    ----------
    model : torch.nn.Module
        VGG16 truncated after the layer (:func:`~cnncourse.truncated`).
    filters : sequence of int
        The filters (channels of the output of ``model``), one image each.
    side, steps, step_size, seed, transforms
        As for :func:`visualize_filters`, checked by :func:`check_ascent_settings`.

    Yields
    ------
    (int, torch.Tensor, torch.Tensor)
        As :func:`~cnncourse.gradient_ascent`: the step, the objective values and the images.

    Examples
    --------
    >>> from cnncourse.nets.vgg import load_vgg16
    >>> model = truncated(load_vgg16("random", device="cpu"), "block1_conv1")
    >>> steps = [step for step, _, _ in filter_ascent(model, [0, 5], side=32, steps=2, step_size=1.0, seed=0)]
    >>> steps
    [0, 1, 2]
    """
    start = initial_images(filters, side=side, seed=seed, device=device_of(model))
    return gradient_ascent(model, start, channel_objective(filters),
                           steps=steps, step_size=step_size, pixels=VGG16_PIXELS, transforms=transforms,
                           generators=seeded_generators(seed, filters, stream=1))


def visualize_filters(
    model: nn.Module,
    layer: str,
    filters: int | Sequence[int],
    *,
    side: int = 128,
    steps: int = 20,
    step_size: float = 1.0,
    seed: int = 0,
    transforms: Sequence[Transform] = (),
    batch_size: int = 16,
    progress: bool = True,
) -> FilterVisualization:
    """The images that make filters of a VGG16 layer fire most, by gradient ascent.

    The network runs only up to ``layer``; the filters are optimized together,
    ``batch_size`` at a time, each on its own image (VGG16's 0-255 pixels,
    :data:`~cnncourse.VGG16_PIXELS`). Wrap the call in
    :func:`bfloat16_autocast` to run faster where the hardware allows.

    Parameters
    ----------
    model : torch.nn.Module
        VGG16 from :func:`cnncourse.load_vgg16` (with or without its top).
    layer : str
        A name from :data:`cnncourse.VGG16_LAYERS`, e.g. ``"block3_conv1"``.
    filters : int or sequence of int
        Filter (channel) indices of that layer.
    side : int, optional
        Side of the square canvas in pixels, from 32 to 1024.
    steps : int, optional
        Number of gradient-ascent steps (at least 1).
    step_size : float, optional
        RMS change of the pixels per step, in 0-255 units.
    seed : int, optional
        Seeds the starting noise and the random transforms.
    transforms : sequence of callables, optional
        Regularizers applied between steps, e.g. ``[jitter(2), blur(0.5)]``.
    batch_size : int, optional
        How many filters share one forward pass (memory grows with it).
    progress : bool, optional
        Show a progress bar when the run takes more than two seconds.

    Returns
    -------
    FilterVisualization
        ``.images`` (N, side, side, 3) uint8 and ``.objective`` (steps + 1, N).

    Raises
    ------
    ValueError
        Unknown layer (lists the valid names), filter index out of range
        (gives the layer's channel count), side, steps, step size or batch
        size out of range.

    Examples
    --------
    >>> from cnncourse.nets.vgg import load_vgg16
    >>> model = load_vgg16("random", device="cpu")
    >>> result = visualize_filters(model, "block1_conv1", [0, 1], side=32, steps=3)
    >>> result.images.shape, result.objective.shape
    ((2, 32, 32, 3), (4, 2))
    >>> bool((result.objective[-1] > result.objective[0]).all())
    True
    """
    if not isinstance(model, nn.Module):
        raise TypeError(f"model must be a torch.nn.Module (VGG16 from load_vgg16), got {type(model).__name__}")
    layer = check_layer(layer)
    filters = _check_filters(layer, filters)
    side, steps, step_size, seed = check_ascent_settings(side, steps, step_size, seed)
    batch_size = int_at_least(batch_size, "batch_size", 1)

    net = truncated(model, layer)
    chunks = [filters[i : i + batch_size] for i in range(0, len(filters), batch_size)]

    images, objective = [], []
    with progress_bar(total=steps * len(chunks), desc=f"{layer}, {len(filters)} filters", unit="step",
                      enabled=progress, delay=2.0, leave=False) as bar:
        for chunk in chunks:
            values = []
            # The truncated network's output *is* the layer: image i drives filter chunk[i].
            ascent = filter_ascent(net, chunk, side=side, steps=steps, step_size=step_size, seed=seed,
                                   transforms=transforms)
            for step, value, x in ascent:
                values.append(value.float().cpu())
                bar.update(1 if step else 0)
            images.append(deprocess(x))
            objective.append(torch.stack(values).double().numpy())
    return FilterVisualization(layer=layer, filters=filters, images=np.concatenate(images),
                               objective=np.concatenate(objective, axis=1))
