"""The pixels that feature visualization optimizes, and how the network sees them.

A :class:`PixelSpace` says in which units the optimized images live (from
``low`` to ``high``), how they become the network's input (scaled to [0, 1],
then normalized per channel with ``mean`` and ``std``), where a start image
sits (``gray`` plus uniform noise of half-width ``noise``) and whether the
pixels are kept inside the range during the ascent (``clip``).

* :data:`VGG16_PIXELS` -- 0-255 pixels, ImageNet normalization: VGG16 and
  chapter 5, whose ascent lets pixels wander and then rescales them for
  display (:func:`cnncourse.deprocess`);
* :data:`UNIT_PIXELS` -- [0, 1] pixels fed unchanged, kept in range: chapter
  4's small CNN, trained on [0, 1] images.

Every random number comes from a generator of its own per image
(:func:`seeded_generators`), seeded by ``(seed, key, stream)``: an image's
start does not depend on the other images of its batch.

Examples
--------
>>> x = torch.full((1, 3, 1, 1), 255.0)
>>> VGG16_PIXELS.to_network(x).flatten()
tensor([2.2489, 2.4286, 2.6400])
>>> UNIT_PIXELS.to_network(x) is x
True
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import KW_ONLY, dataclass
from typing import Any

import numpy as np
import torch

from ..core.validate import as_pair, int_at_least


def seeded_generators(seed: int, keys: Sequence[int], *, stream: int = 0) -> list[np.random.Generator]:
    """One NumPy generator per key, seeded by ``(seed, key, stream)``: independent of the batch.

    Chapter 5 uses the filter index as the key, stream 0 for the start
    images and stream 1 for the random transforms.

    Parameters
    ----------
    seed : int
        The run's seed, at least 0.
    keys : sequence of int
        One key per generator (e.g. the filter indices), each at least 0.
    stream : int, optional
        Separates independent uses of the same keys, at least 0.

    Returns
    -------
    list of numpy.random.Generator
        One per key, in the order of ``keys``.

    Examples
    --------
    >>> a, b = seeded_generators(0, [3, 3])
    >>> a.random() == b.random()
    True
    """
    seed = int_at_least(seed, "seed", 0)
    stream = int_at_least(stream, "stream", 0)
    return [np.random.default_rng([seed, int_at_least(key, "keys", 0), stream]) for key in keys]


def _per_channel(value: Any, name: str) -> tuple[float, ...]:
    values = (value,) if np.ndim(value) == 0 else tuple(value)
    if not values or not all(isinstance(v, (int, float, np.number)) and math.isfinite(v) for v in values):
        raise ValueError(f"{name} must be a finite number or a sequence of them (one per channel), got {value!r}")
    return tuple(float(v) for v in values)


@dataclass(frozen=True)
class PixelSpace:
    """Units of the optimized pixels, and the map to the network's input.

    The network sees ``((pixels - low) / (high - low) - mean) / std``, per
    channel: pixels scaled to [0, 1], then normalized.

    Parameters
    ----------
    low, high : float
        The range of a valid pixel, e.g. 0 and 255.
    mean, std : float or tuple of float, optional
        Per-channel normalization of the [0, 1]-scaled pixels (0 and 1: none).
    gray : float, optional
        The level of a start image; the middle of the range by default.
    noise : float, optional
        Half-width of the uniform noise of a start image, in pixel units;
        4% of the range by default.
    clip : bool, optional
        Clamp the pixels to [low, high] after every step of the ascent.

    Examples
    --------
    >>> space = PixelSpace(0, 4, mean=0.5, std=0.25)
    >>> space.to_network(torch.tensor([[[[0.0, 2.0, 4.0]]]]))
    tensor([[[[-2.,  0.,  2.]]]])
    >>> space.gray, space.noise
    (2.0, 0.16)
    """

    low: float
    high: float
    _: KW_ONLY
    mean: float | tuple[float, ...] = 0.0
    std: float | tuple[float, ...] = 1.0
    gray: float | None = None
    noise: float | None = None
    clip: bool = False

    def __post_init__(self) -> None:
        low, high = _per_channel(self.low, "low"), _per_channel(self.high, "high")
        if len(low) != 1 or len(high) != 1 or not low[0] < high[0]:
            raise ValueError(f"low and high must be numbers with low < high, got {self.low!r} and {self.high!r}")
        mean, std = _per_channel(self.mean, "mean"), _per_channel(self.std, "std")
        if min(std) <= 0:
            raise ValueError(f"std must be > 0, got {self.std!r}")
        gray = (low[0] + high[0]) / 2 if self.gray is None else _per_channel(self.gray, "gray")[0]
        if not low[0] <= gray <= high[0]:
            raise ValueError(f"gray must lie between low={low[0]:g} and high={high[0]:g}, got {gray:g}")
        noise = 0.04 * (high[0] - low[0]) if self.noise is None else _per_channel(self.noise, "noise")[0]
        if noise < 0:
            raise ValueError(f"noise must be >= 0, got {noise:g}")
        for name, value in [("low", low[0]), ("high", high[0]), ("mean", mean), ("std", std),
                            ("gray", gray), ("noise", noise), ("clip", bool(self.clip))]:
            object.__setattr__(self, name, value)

    def _affine(self, ndim: int, dtype: torch.dtype, device: Any) -> tuple[torch.Tensor, torch.Tensor]:
        """``scale`` and ``shift`` with ``to_network(x) == x * scale + shift``, broadcastable to ``x``."""
        mean = torch.tensor(self.mean, dtype=torch.float64)
        std = torch.tensor(self.std, dtype=torch.float64)
        span = self.high - self.low
        scale = 1.0 / (span * std)
        shift = (-self.low / span - mean) / std
        shape = (1, -1) + (1,) * (ndim - 2)
        return scale.view(shape).to(device, dtype), shift.view(shape).to(device, dtype)

    @property
    def is_identity(self) -> bool:
        """Whether the network sees the pixels unchanged (range [0, 1], no normalization)."""
        return (self.low, self.high) == (0.0, 1.0) and set(self.mean) == {0.0} and set(self.std) == {1.0}

    def to_network(self, pixels: torch.Tensor) -> torch.Tensor:
        """The network's input for ``pixels`` of shape ``(N, C, ...)``; ``pixels`` itself if that is the identity.

        Written as one multiply-add: every elementwise pass over the batch costs time on a CPU.

        Examples
        --------
        >>> PixelSpace(0, 10).to_network(torch.tensor([[5.0]]))
        tensor([[0.5000]])
        """
        if self.is_identity:
            return pixels
        scale, shift = self._affine(pixels.ndim, pixels.dtype, pixels.device)
        return torch.addcmul(shift, pixels, scale)

    def from_network(self, inputs: torch.Tensor) -> torch.Tensor:
        """The pixels whose network input is ``inputs``: the inverse of :meth:`to_network`.

        Examples
        --------
        >>> x = torch.tensor([[[[0.0, 100.0, 255.0]]] * 3])
        >>> torch.allclose(VGG16_PIXELS.from_network(VGG16_PIXELS.to_network(x)), x, atol=1e-4)
        True
        """
        if self.is_identity:
            return inputs
        scale, shift = self._affine(inputs.ndim, inputs.dtype, inputs.device)
        return (inputs - shift) / scale

    def clamp(self, pixels: torch.Tensor) -> torch.Tensor:
        """``pixels`` clamped to [low, high].

        Examples
        --------
        >>> UNIT_PIXELS.clamp(torch.tensor([-0.5, 0.5, 2.0]))
        tensor([0.0000, 0.5000, 1.0000])
        """
        return pixels.clamp(self.low, self.high)

    def to_uint8(self, pixels: torch.Tensor) -> np.ndarray:
        """Pixels ``(N, C, H, W)`` as 8-bit pictures ``(N, H, W, C)``: the range mapped to 0-255, clipped.

        Unlike :func:`cnncourse.deprocess` the contrast is kept: use it for
        images whose pixel values mean something, such as an optimized photo.

        Examples
        --------
        >>> UNIT_PIXELS.to_uint8(torch.tensor([[[[0.0, 0.5, 2.0]]]]))[0, 0, :, 0]
        array([  0, 128, 255], dtype=uint8)
        """
        x = (self.clamp(pixels.detach().float().cpu()) - self.low) / (self.high - self.low)
        return (x * 255).round().to(torch.uint8).permute(0, 2, 3, 1).contiguous().numpy()

    def start(self, generators: Sequence[np.random.Generator], side: int | tuple[int, int], *,
              channels: int = 3, device: Any = "cpu") -> torch.Tensor:
        """Start images: ``gray`` plus uniform noise in ``[-noise, noise]``, one image per generator.

        Parameters
        ----------
        generators : sequence of numpy.random.Generator
            One per image (see :func:`seeded_generators`).
        side : int or (int, int)
            The side of the square images in pixels; or their (height, width).
        channels : int, optional
            Channels of each image (3 for RGB).
        device : torch.device or str, optional
            Where the images are made.

        Returns
        -------
        torch.Tensor, shape (len(generators), channels, height, width), float32

        Examples
        --------
        >>> x = UNIT_PIXELS.start(seeded_generators(0, [0, 1]), 8, channels=1)
        >>> x.shape, bool((x - 0.5).abs().max() <= 0.05)
        (torch.Size([2, 1, 8, 8]), True)
        """
        height, width = as_pair(side, "side", 1)
        channels = int_at_least(channels, "channels", 1)
        if len(generators) == 0:
            raise ValueError("generators must hold one generator per image, got none")
        noise = [rng.uniform(-self.noise, self.noise, size=(channels, height, width)) for rng in generators]
        return torch.from_numpy(self.gray + np.stack(noise)).float().to(device)


VGG16_PIXELS = PixelSpace(0.0, 255.0, mean=(0.485, 0.456, 0.406), std=(0.229, 0.224, 0.225), gray=128.0, noise=10.0)
"""VGG16's pixels: 0-255, ImageNet normalization (the values of :data:`cnncourse.IMAGENET_MEAN` and ``_STD``)."""

UNIT_PIXELS = PixelSpace(0.0, 1.0, gray=0.5, noise=0.05, clip=True)
"""Chapter 4's pixels: [0, 1], fed to the network unchanged and kept in range."""


def initial_images(filters: Sequence[int], *, side: int, seed: int = 0, device: Any = "cpu",
                   pixels: PixelSpace = VGG16_PIXELS) -> torch.Tensor:
    """Gray start images with a little noise, one per filter (3 channels; VGG16's 0-255 pixels by default).

    Each image is ``128 + U(-10, 10)`` noise drawn from a generator seeded by
    ``(seed, filter)``, so a filter starts from the same image whatever
    other filters share its batch.

    Parameters
    ----------
    filters : sequence of int
        One filter index per image; it seeds that image's noise.
    side : int
        Height and width of each (square) image in pixels.
    seed : int, optional
        The run's seed, at least 0.
    device : str or torch.device, optional
        Where the images are made.
    pixels : PixelSpace, optional
        The pixel scale: gray level, noise amplitude and range
        (:data:`VGG16_PIXELS` by default).

    Returns
    -------
    torch.Tensor, shape (N, 3, side, side), float32

    Examples
    --------
    >>> x = initial_images([0, 1], side=4)
    >>> x.shape, bool((x - 128).abs().max() <= 10)
    (torch.Size([2, 3, 4, 4]), True)
    """
    return pixels.start(seeded_generators(seed, filters, stream=0), side, channels=3, device=device)
