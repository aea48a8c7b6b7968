"""What a filter wants to see: gradient ascent in input space.

The classic recipe (Chollet 2016, "How convolutional neural networks see the
world"): start from a gray image with a little noise, and change the *image*
-- never the network -- so that one filter's mean activation grows. Each step
follows the gradient of that activation with respect to the pixels, divided
by its root-mean-square so that every step has the same size.

The pieces are small and separate, in the spirit of lucent:

* an **objective** (:func:`channel_objective`): the number to make large;
* a **parameterization** (:func:`initial_images`): the pixels we optimize,
  here plain 0-255 pixel values that start gray with a little seeded noise;
* **transforms** (:func:`jitter`, :func:`blur`): optional regularizers
  applied to the images between steps;
* a **render loop** (:func:`gradient_ascent`): a generator of the steps;
* **deprocessing** (:func:`deprocess`): from optimized pixels to a picture.

:func:`visualize_filters` puts them together, fast: it runs the network only
up to the target layer (:func:`cnncourse.vgg_layers.truncated`) and optimizes many
filters at once as one batch. Each batch element is one filter's image and
the loss is the sum of each element's *own* filter activation, so the
gradients of the elements do not mix: a batch gives the same pictures as one
filter at a time. Every random number comes from a generator seeded by
``(seed, filter)``, so a filter's picture does not depend on its companions.

Speed for free: the images are kept in channels-last memory format, which
the convolutions of CPUs (oneDNN) and GPUs prefer (same pictures, up to 1.5x
faster here); and on CPUs with native bfloat16 (AVX512-BF16 or AMX), running
the ascent under :func:`bfloat16_autocast` is about twice as fast on deep
layers (the objective climbs the same way; the pictures differ in detail).
"""

from __future__ import annotations

import contextlib
import math
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import torch
from torch import nn

from ._validate import int_at_least
from .progress import progress_bar
from .vgg import IMAGENET_MEAN, IMAGENET_STD
from .vgg_layers import check_channel, check_layer, truncated


MIN_SIZE = 32
"""Smallest canvas: VGG16's five poolings halve 32 pixels down to 1."""
MAX_SIZE = 1024
"""Largest canvas (memory grows with the square of the size)."""

GRAY = 128.0
"""The starting gray level, in 0-255 pixel units."""
NOISE = 10.0
"""Half-width of the uniform noise added to the starting gray (pixel units)."""

Objective = Callable[[torch.Tensor], torch.Tensor]
"""Maps a layer's output ``(N, C, H, W)`` to one number per batch element ``(N,)``."""
Transform = Callable[[torch.Tensor, Sequence[np.random.Generator]], torch.Tensor]
"""Maps images ``(N, 3, H, W)`` and one random generator per element to new images."""


@dataclass(frozen=True)
class FilterVisualization:
    """The result of :func:`visualize_filters`.

    Attributes
    ----------
    layer : str
        The layer name.
    filters : tuple of int
        The filter (channel) indices, in the order of ``images``.
    images : numpy.ndarray, shape (N, size, size, 3), uint8
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


# -- objective -----------------------------------------------------------------


def channel_objective(filters: Sequence[int]) -> Objective:
    """The objective "mean activation of filter ``filters[i]``" for batch element ``i``.

    Parameters
    ----------
    filters : sequence of int
        One channel index per batch element.

    Returns
    -------
    callable
        Takes a layer output of shape ``(N, C, H, W)`` (``N == len(filters)``)
        and returns the ``N`` means, as float32.

    Examples
    --------
    >>> act = torch.arange(2 * 3 * 2 * 2, dtype=torch.float32).reshape(2, 3, 2, 2)
    >>> channel_objective([0, 2])(act)
    tensor([ 1.5000, 21.5000])
    """
    index = torch.as_tensor(list(filters), dtype=torch.long)

    def objective(activations: torch.Tensor) -> torch.Tensor:
        # Sum every map first, pick, then divide the few picked sums: the backward
        # pass of a sum only broadcasts its gradient, while picking from the full
        # tensor (or a mean over it) would write a full-size gradient tensor,
        # as costly as a layer's work on an early, large layer.
        sums = activations.sum(dim=(2, 3), dtype=torch.float32)
        rows = torch.arange(activations.shape[0], device=activations.device)
        height, width = activations.shape[2:]
        return sums[rows, index.to(activations.device)] / (height * width)

    return objective


# -- parameterization ----------------------------------------------------------


def _generators(seed: int, filters: Sequence[int], stream: int) -> list[np.random.Generator]:
    """One generator per filter, seeded by (seed, filter, stream): independent of the batch."""
    return [np.random.default_rng([seed, int(f), stream]) for f in filters]


def initial_images(filters: Sequence[int], size: int, seed: int = 0, device: Any = "cpu") -> torch.Tensor:
    """Gray starting images with a little noise, one per filter, in 0-255 pixel units.

    Each image is ``128 + U(-10, 10)`` noise drawn from a generator seeded by
    ``(seed, filter)``, so a filter starts from the same image whatever
    other filters share its batch.

    Returns
    -------
    torch.Tensor, shape (N, 3, size, size), float32

    Examples
    --------
    >>> x = initial_images([0, 1], 4)
    >>> x.shape, bool((x - 128).abs().max() <= 10)
    (torch.Size([2, 3, 4, 4]), True)
    """
    noise = [rng.uniform(-NOISE, NOISE, size=(3, size, size)) for rng in _generators(seed, filters, 0)]
    return torch.from_numpy(GRAY + np.stack(noise)).float().to(device)


def _to_network(images: torch.Tensor) -> torch.Tensor:
    """0-255 pixels to what VGG16 expects: ImageNet normalization, ``(x / 255 - mean) / std``.

    Written as one multiply-add, ``x * (1 / (255 std)) - mean / std``: every
    elementwise pass over the batch costs time on a CPU.
    """
    mean = torch.tensor(IMAGENET_MEAN, dtype=torch.float64).view(1, 3, 1, 1)
    std = torch.tensor(IMAGENET_STD, dtype=torch.float64).view(1, 3, 1, 1)
    scale = (1.0 / (255.0 * std)).to(images.device, images.dtype)
    shift = (-mean / std).to(images.device, images.dtype)
    return torch.addcmul(shift, images, scale)


# -- the step ------------------------------------------------------------------


def normalize_gradient(grad: torch.Tensor, eps: float = 1e-12) -> torch.Tensor:
    """Divide each element's gradient by its root-mean-square: every step has size 1.

    A gradient that is exactly zero (a filter that never fires) stays zero.

    Examples
    --------
    >>> g = normalize_gradient(torch.tensor([[[[3.0, -4.0]]]]))
    >>> float(g.pow(2).mean().sqrt())
    1.0
    """
    return grad * _inverse_rms(grad, eps)


def _inverse_rms(grad: torch.Tensor, eps: float = 1e-12) -> torch.Tensor:
    """1 / RMS of each element's gradient, shape (N, 1, 1, 1); 0 for an all-zero gradient."""
    per_element = grad[0].numel() if grad.ndim > 1 else grad.numel()
    dims = tuple(range(1, grad.ndim))
    rms = torch.linalg.vector_norm(grad, dim=dims, keepdim=True) / math.sqrt(per_element)
    return rms.clamp_min(eps).reciprocal()


# -- transforms (regularizers between steps) ------------------------------------


def jitter(pixels: int = 2) -> Transform:
    """Move each image by a random shift of up to ``pixels`` in each direction (wrapping around).

    A pattern only survives jitter if the filter responds to it wherever it
    sits, so the high-frequency artefacts of the pixel grid fade.

    Examples
    --------
    >>> x = torch.arange(4.0).reshape(1, 1, 1, 4).expand(1, 3, 1, 4)
    >>> jitter(1)(x, [np.random.default_rng(0)]).shape
    torch.Size([1, 3, 1, 4])
    """
    pixels = int_at_least(pixels, "pixels", 0)

    def apply(images: torch.Tensor, generators: Sequence[np.random.Generator]) -> torch.Tensor:
        shifted = [torch.roll(image, tuple(int(s) for s in rng.integers(-pixels, pixels + 1, size=2)),
                              dims=(-2, -1))
                   for image, rng in zip(images, generators)]
        return torch.stack(shifted)

    return apply


def blur(sigma: float = 0.5) -> Transform:
    """Blur each image a little with a Gaussian of standard deviation ``sigma`` pixels.

    Examples
    --------
    >>> x = torch.zeros(1, 3, 5, 5); x[..., 2, 2] = 1
    >>> y = blur(0.5)(x, [None])
    >>> round(float(y.sum()), 4), bool(y[0, 0, 2, 2] < 1)
    (3.0, True)
    """
    if not isinstance(sigma, (int, float)) or not math.isfinite(sigma) or sigma <= 0:
        raise ValueError(f"sigma must be a positive number of pixels, got {sigma!r}")
    radius = max(1, math.ceil(2 * sigma))
    taps = torch.exp(-torch.arange(-radius, radius + 1, dtype=torch.float32) ** 2 / (2 * sigma**2))
    taps = taps / taps.sum()

    def apply(images: torch.Tensor, generators: Sequence[np.random.Generator]) -> torch.Tensor:
        k = taps.to(images.device, images.dtype)
        x = nn.functional.pad(images, (radius, radius, radius, radius), mode="replicate")
        x = nn.functional.conv2d(x, k.view(1, 1, 1, -1).expand(3, 1, 1, -1), groups=3)
        return nn.functional.conv2d(x, k.view(1, 1, -1, 1).expand(3, 1, -1, 1), groups=3)

    return apply


# -- render loop ---------------------------------------------------------------


def gradient_ascent(
    net: nn.Module,
    images: torch.Tensor,
    objective: Objective,
    *,
    steps: int,
    step_size: float = 1.0,
    transforms: Sequence[Transform] = (),
    generators: Sequence[np.random.Generator] | None = None,
    to_network: Callable[[torch.Tensor], torch.Tensor] | None = None,
) -> Iterator[tuple[int, torch.Tensor, torch.Tensor]]:
    """Gradient ascent on the images: yields ``(step, objective values, images)``.

    Yields ``steps + 1`` times: for step ``k`` the images after ``k`` updates
    and their objective values (step 0 is the start). The images are in
    0-255 pixel units; ``net`` sees them after ImageNet normalization (or
    after ``to_network``, for another network and another pixel range). Each
    update adds ``step_size`` times the RMS-normalized gradient, then applies
    the ``transforms`` in order. The yielded tensors are never modified
    afterwards, so they can be kept.

    Parameters
    ----------
    net : torch.nn.Module
        Maps a normalized image batch to the layer's output.
    images : torch.Tensor, shape (N, 3, H, W)
        The starting images (see :func:`initial_images`).
    objective : callable
        Layer output to one value per element (see :func:`channel_objective`).
    steps : int
        Number of updates.
    step_size : float, optional
        Size of each update (RMS change of the pixels, in 0-255 units).
    transforms : sequence of callables, optional
        Regularizers applied after each update (see :func:`jitter`, :func:`blur`).
    generators : sequence of numpy.random.Generator, optional
        One per element, for random transforms.
    to_network : callable, optional
        Maps the images to the network's input; ImageNet normalization of
        0-255 pixels by default (VGG16). Chapter 4's small CNN passes its
        [0, 1] pixels through unchanged.
    """
    to_network = to_network or _to_network
    x = images.detach().float()
    for step in range(steps):
        # Channels-last (N, H, W, C in memory) suits the convolutions of CPUs and
        # GPUs alike: as fast or faster, with the same pictures.
        x = x.contiguous(memory_format=torch.channels_last).requires_grad_(True)
        with torch.enable_grad():
            values = objective(net(to_network(x)))
            (grad,) = torch.autograd.grad(values.sum(), x)
        x = x.detach()
        yield step, values.detach(), x
        with torch.no_grad():
            # x + step_size * grad / rms(grad), as one multiply-add over the batch
            x = torch.addcmul(x, grad.float(), step_size * _inverse_rms(grad.float()))
            for transform in transforms:
                x = transform(x, generators)
    with torch.no_grad():
        values = objective(net(to_network(x)))
    yield steps, values, x


# -- deprocessing --------------------------------------------------------------


def deprocess(images: torch.Tensor, std: float = 0.1) -> np.ndarray:
    """Optimized pixels to 8-bit pictures: center, scale to a small std, shift to 0.5, clip.

    Each image is treated on its own: its mean becomes 0.5 and its standard
    deviation ``std`` (of the [0, 1] range), so that its contrast is visible
    whatever its scale; values outside [0, 1] are clipped.

    Parameters
    ----------
    images : torch.Tensor, shape (N, 3, H, W)
    std : float, optional

    Returns
    -------
    numpy.ndarray, shape (N, H, W, 3), uint8

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
    convolutions run in bfloat16, about twice as fast on deep layers; the
    pictures look the same. Elsewhere bfloat16 would be emulated (slower),
    so this returns a context that changes nothing.

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


# -- putting it together -------------------------------------------------------


def _check_filters(layer: str, filters: Any) -> tuple[int, ...]:
    if isinstance(filters, (int, np.integer)) and not isinstance(filters, (bool, np.bool_)):
        filters = [filters]
    if isinstance(filters, (str, bytes)) or not hasattr(filters, "__iter__"):
        raise TypeError(f"filters must be an int or a sequence of ints, got {filters!r}")
    checked = tuple(check_channel(layer, f, "filter") for f in filters)
    if not checked:
        raise ValueError("filters must name at least one filter")
    return checked


def _check_step_size(step_size: Any) -> float:
    if isinstance(step_size, bool) or not isinstance(step_size, (int, float, np.number)):
        raise TypeError(f"step_size must be a number, got {step_size!r}")
    if not math.isfinite(step_size) or step_size <= 0:
        raise ValueError(f"step_size must be a positive finite number, got {step_size}")
    return float(step_size)


def _check_settings(size: Any, steps: Any, step_size: Any, seed: Any) -> tuple[int, int, float, int]:
    """Check the canvas size, number of steps, step size and seed of an ascent."""
    if isinstance(size, (int, np.integer)) and not isinstance(size, (bool, np.bool_)) \
            and not MIN_SIZE <= size <= MAX_SIZE:
        raise ValueError(f"size must be between {MIN_SIZE} and {MAX_SIZE} pixels, got {size}")
    size = int_at_least(size, "size", MIN_SIZE)
    steps = int_at_least(steps, "steps", 1)
    return size, steps, _check_step_size(step_size), int_at_least(seed, "seed", 0)


def visualize_filters(
    model: nn.Module,
    layer: str,
    filters: int | Sequence[int],
    *,
    size: int = 128,
    steps: int = 20,
    step_size: float = 1.0,
    seed: int = 0,
    transforms: Sequence[Transform] = (),
    batch_size: int = 16,
    progress: bool = True,
) -> FilterVisualization:
    """The images that make filters of a VGG16 layer fire most, by gradient ascent.

    The network runs only up to ``layer``; the filters are optimized together,
    ``batch_size`` at a time, each on its own image. Wrap the call in
    :func:`bfloat16_autocast` to run faster where the hardware allows.

    Parameters
    ----------
    model : torch.nn.Module
        VGG16 from :func:`cnncourse.load_vgg16` (with or without its top).
    layer : str
        A name from :data:`cnncourse.VGG16_LAYERS`, e.g. ``"block3_conv1"``.
    filters : int or sequence of int
        Filter (channel) indices of that layer.
    size : int, optional
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
        ``.images`` (N, size, size, 3) uint8 and ``.objective`` (steps + 1, N).

    Raises
    ------
    ValueError
        Unknown layer (lists the valid names), filter index out of range
        (gives the layer's channel count), size, steps, step size or batch
        size out of range.

    Examples
    --------
    >>> from cnncourse.vgg import load_vgg16
    >>> net = load_vgg16("random", device="cpu")
    >>> result = visualize_filters(net, "block1_conv1", [0, 1], size=32, steps=3)
    >>> result.images.shape, result.objective.shape
    ((2, 32, 32, 3), (4, 2))
    >>> bool((result.objective[-1] > result.objective[0]).all())
    True
    """
    if not isinstance(model, nn.Module):
        raise TypeError(f"model must be a torch.nn.Module (VGG16 from load_vgg16), got {type(model).__name__}")
    layer = check_layer(layer)
    filters = _check_filters(layer, filters)
    size, steps, step_size, seed = _check_settings(size, steps, step_size, seed)
    batch_size = int_at_least(batch_size, "batch_size", 1)

    net = truncated(model, layer)
    parameter = next(net.parameters(), None)
    device = parameter.device if parameter is not None else torch.device("cpu")
    chunks = [filters[i : i + batch_size] for i in range(0, len(filters), batch_size)]

    images, objective = [], []
    with progress_bar(total=steps * len(chunks), desc=f"{layer}, {len(filters)} filters", unit="step",
                      enabled=progress, delay=2.0, leave=False) as bar:
        for chunk in chunks:
            values = []
            ascent = gradient_ascent(net, initial_images(chunk, size, seed, device), channel_objective(chunk),
                                     steps=steps, step_size=step_size, transforms=transforms,
                                     generators=_generators(seed, chunk, 1))
            for step, value, x in ascent:
                values.append(value.float().cpu())
                bar.update(1 if step else 0)
            images.append(deprocess(x))
            objective.append(torch.stack(values).double().numpy())
    return FilterVisualization(layer=layer, filters=filters, images=np.concatenate(images),
                               objective=np.concatenate(objective, axis=1))
