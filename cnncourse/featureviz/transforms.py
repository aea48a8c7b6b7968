"""Transforms: small changes to the images between ascent steps, which act as regularizers.

A transform maps a batch of images ``(N, C, H, W)`` and one NumPy generator
per image (for the random ones) to a new batch of the same shape. The render
loop (:func:`cnncourse.gradient_ascent`) applies them, in order, after every
step. Each image draws from its own generator, so its result does not depend
on the other images of the batch.

Examples
--------
>>> x = torch.rand(2, 3, 8, 8)
>>> for transform in [jitter(2), blur(0.5)]:
...     x = transform(x, seeded_generators(0, [0, 1], stream=1))
>>> x.shape
torch.Size([2, 3, 8, 8])
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

import numpy as np
import torch
from torch import nn

from ..core.validate import int_at_least, positive_number

Transform = Callable[[torch.Tensor, Sequence[np.random.Generator]], torch.Tensor]
"""Maps images ``(N, C, H, W)`` and one random generator per image to new images."""


def jitter(pixels: int = 2) -> Transform:
    """Move each image by a random shift of up to ``pixels`` in each direction (wrapping around).

    A pattern only survives jitter if the filter responds to it wherever it
    sits, so the high-frequency artefacts of the pixel grid fade.

    Parameters
    ----------
    pixels : int, optional
        The largest shift, at least 0 (0 leaves the images as they are).

    Returns
    -------
    callable
        ``transform(images, generators)``: the images, shifted, one generator per image.

    Examples
    --------
    >>> x = torch.arange(4.0).reshape(1, 1, 1, 4).expand(1, 3, 1, 4)
    >>> jitter(1)(x, [np.random.default_rng(0)]).shape
    torch.Size([1, 3, 1, 4])
    """
    pixels = int_at_least(pixels, "pixels", 0)

    def apply(images: torch.Tensor, generators: Sequence[np.random.Generator]) -> torch.Tensor:
        if generators is None or len(generators) != len(images):
            raise ValueError(f"jitter needs one generator per image ({len(images)}), "
                             f"got {None if generators is None else len(generators)}")
        shifted = [torch.roll(image, tuple(int(s) for s in rng.integers(-pixels, pixels + 1, size=2)),
                              dims=(-2, -1))
                   for image, rng in zip(images, generators)]
        return torch.stack(shifted)

    return apply


def blur(sigma: float = 0.5) -> Transform:
    """Blur each image a little with a Gaussian of standard deviation ``sigma`` pixels.

    Parameters
    ----------
    sigma : float, optional
        Standard deviation in pixels, greater than 0.

    Returns
    -------
    callable
        ``transform(images, generators)``: the images, blurred (the generators are unused).

    Examples
    --------
    >>> x = torch.zeros(1, 3, 5, 5); x[..., 2, 2] = 1
    >>> y = blur(0.5)(x, [None])
    >>> round(float(y.sum()), 4), bool(y[0, 0, 2, 2] < 1)
    (3.0, True)
    """
    sigma = positive_number(sigma, "sigma")
    radius = max(1, math.ceil(2 * sigma))
    taps = torch.exp(-torch.arange(-radius, radius + 1, dtype=torch.float32) ** 2 / (2 * sigma**2))
    taps = taps / taps.sum()

    def apply(images: torch.Tensor, generators: Sequence[np.random.Generator]) -> torch.Tensor:
        k = taps.to(images.device, images.dtype)
        channels = images.shape[1]
        x = nn.functional.pad(images, (radius, radius, radius, radius), mode="replicate")
        x = nn.functional.conv2d(x, k.view(1, 1, 1, -1).expand(channels, 1, 1, -1), groups=channels)
        return nn.functional.conv2d(x, k.view(1, 1, -1, 1).expand(channels, 1, -1, 1), groups=channels)

    return apply
