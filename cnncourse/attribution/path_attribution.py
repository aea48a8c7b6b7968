"""Integrated gradients (Sundararajan et al., 2017): the gradient summed along a path from a baseline.

For an input ``x``, a baseline ``b`` and the class score ``F`` (the logit),
the attribution of element ``i`` is

    (x_i - b_i) * integral from 0 to 1 of dF/dx_i (b + a (x - b)) da,

computed here with the midpoint rule: the gradient at ``a = (k + 1/2) / steps``,
``k = 0 .. steps - 1``, averaged. The attributions add up to
``F(x) - F(b)`` (*completeness*) exactly for the integral; the sum's distance
from it, the **completeness error**, says how good ``steps`` points were.

:func:`baseline_image` makes the usual baselines: ``"black"`` (zeros),
``"blur"`` (the image, blurred) and ``"noise"`` (uniform noise over the
image's range); the deletion and insertion curves of
:mod:`cnncourse.attribution.faithfulness` use them too.

Examples
--------
>>> _ = torch.manual_seed(0)
>>> ig = integrated_gradients(SmallCNN(), torch.rand(1, 32, 32), 3, steps=16)
>>> ig.map.shape, ig.error < 0.05 * (1 + abs(ig.difference))
((32, 32), True)
"""

from __future__ import annotations

import math
from typing import Any, NamedTuple

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from ..core.validate import choice, int_at_least
from .adversarial import as_batch
from .gradients import PIXEL_BUDGET, class_scores
from ..core.torchutil import evaluating

BASELINES = ("black", "blur", "noise")
"""The baselines :func:`baseline_image` makes by name."""


class IntegratedGradients(NamedTuple):
    """What :func:`integrated_gradients` returns.

    Parameters
    ----------
    map : numpy.ndarray, shape (H, W)
        The attributions summed over the channels: signed, and adding up to ``total``.
    attributions : numpy.ndarray, shape (C, H, W)
        One attribution per input element.
    total : float
        The sum of the attributions.
    difference : float
        ``F(x) - F(baseline)``: what the sum should be.
    error : float
        ``|total - difference|``, the completeness error.
    """

    map: np.ndarray
    attributions: np.ndarray
    total: float
    difference: float
    error: float


def blurred(image: torch.Tensor, sigma: float) -> torch.Tensor:
    """A Gaussian blur of a batch ``(N, C, H, W)`` with standard deviation ``sigma`` pixels (reflected edges).

    Parameters
    ----------
    image : torch.Tensor, shape (N, C, H, W)
        The images.
    sigma : float
        The blur's standard deviation in pixels, > 0.

    Returns
    -------
    torch.Tensor, the shape of ``image``

    Examples
    --------
    >>> flat = torch.full((1, 1, 8, 8), 0.25)
    >>> torch.allclose(blurred(flat, 2.0), flat)
    True
    """
    radius = min(math.ceil(3 * sigma), min(image.shape[-2:]) - 1)
    offsets = torch.arange(-radius, radius + 1, dtype=torch.float64)
    kernel = torch.exp(-0.5 * (offsets / sigma) ** 2)
    kernel = (kernel / kernel.sum()).to(image)
    channels = image.shape[1]
    rows = kernel.view(1, 1, -1, 1).repeat(channels, 1, 1, 1)
    padded = F.pad(image, (radius, radius, radius, radius), mode="reflect")
    return F.conv2d(F.conv2d(padded, rows, groups=channels), rows.transpose(2, 3), groups=channels)


def baseline_image(image: torch.Tensor, baseline: Any, *, seed: int = 0) -> torch.Tensor:
    """The baseline batch for ``image`` (a batch ``(N, C, H, W)``): by name, or a tensor given.

    * ``"black"``: zeros (black for [0, 1] pixels);
    * ``"blur"``: the image blurred with a Gaussian of standard deviation a
      tenth of its longer side (its shapes gone, its colours kept);
    * ``"noise"``: uniform noise between the image's smallest and largest
      value, from a generator seeded with ``seed``;
    * a tensor broadcastable to the image's shape: itself.

    Parameters
    ----------
    image : torch.Tensor, shape (N, C, H, W)
        The input.
    baseline : str or torch.Tensor
        One of :data:`BASELINES`, or the baseline itself.
    seed : int, optional
        Seed of the ``"noise"`` baseline.

    Returns
    -------
    torch.Tensor, the shape of ``image``

    Raises
    ------
    ValueError
        An unknown name (the message lists :data:`BASELINES`), a tensor of the wrong shape.

    Examples
    --------
    >>> baseline_image(torch.ones(1, 1, 4, 4), "black").sum().item()
    0.0
    """
    if isinstance(baseline, torch.Tensor):
        try:
            return torch.broadcast_to(baseline.detach().to(image), image.shape).clone()
        except RuntimeError:
            raise ValueError(f"baseline must broadcast to the image's shape {tuple(image.shape)}, "
                             f"got {tuple(baseline.shape)}") from None
    if not isinstance(baseline, str):
        raise TypeError(f"baseline must be a name ({', '.join(BASELINES)}) or a tensor, got {baseline!r}")
    choice(baseline, "baseline", BASELINES)
    if baseline == "black":
        return torch.zeros_like(image)
    if baseline == "blur":
        return blurred(image, max(image.shape[-2:]) / 10)
    generator = torch.Generator().manual_seed(int_at_least(seed, "seed", 0))
    low, high = float(image.min()), float(image.max())
    return (low + (high - low) * torch.rand(image.shape, generator=generator)).to(image)


def integrated_gradients(model: nn.Module, image: Any, target: int, *, baseline: Any = "black", steps: int = 32,
                         seed: int = 0) -> IntegratedGradients:
    """Integrated gradients of the score of class ``target``, from ``baseline`` to ``image``.

    The gradients at the ``steps`` points of the path are computed in
    batches (a few images' worth of pixels at a time); the map is the sum of
    the attributions over the channels, so it keeps their sign and their total.

    Parameters
    ----------
    model : torch.nn.Module
        A classifier returning logits.
    image : torch.Tensor
        The model's input, ``(H, W)``, ``(C, H, W)`` or ``(1, C, H, W)``.
    target : int
        The class, from 0 to classes - 1.
    baseline : str or torch.Tensor, optional
        ``"black"`` (default), ``"blur"``, ``"noise"`` or a tensor: see :func:`baseline_image`.
    steps : int, optional
        Points of the midpoint rule, ``>= 1``.
    seed : int, optional
        Seed of the ``"noise"`` baseline.

    Returns
    -------
    IntegratedGradients
        ``(map, attributions, total, difference, error)``.

    Raises
    ------
    ValueError
        ``steps < 1``, an unknown baseline name, a bad image or class.

    Examples
    --------
    >>> net = nn.Sequential(nn.Flatten(), nn.Linear(4, 2))
    >>> ig = integrated_gradients(net, torch.ones(1, 2, 2), 1, steps=1)   # linear: exact with one step
    >>> bool(ig.error < 1e-5)
    True
    """
    steps = int_at_least(steps, "steps", 1)
    x, _ = as_batch(model, image)
    if len(x) != 1:
        raise ValueError(f"image must be one image, got a batch of {len(x)}")
    base = baseline_image(x, baseline, seed=seed)
    delta = x - base
    chunk = max(1, min(steps, PIXEL_BUDGET // (x.shape[-2] * x.shape[-1])))
    total = torch.zeros(x.shape[1:], dtype=torch.float64, device=x.device)
    with evaluating(model):
        for start in range(0, steps, chunk):
            alphas = (torch.arange(start, min(steps, start + chunk), dtype=torch.float64) + 0.5) / steps
            points = (base + alphas.to(x).view(-1, 1, 1, 1) * delta).requires_grad_(True)
            with torch.enable_grad():
                scores = class_scores(model(points), target)
                (gradient,) = torch.autograd.grad(scores.sum(), points)
            total += gradient.sum(0, dtype=torch.float64)
        with torch.no_grad():
            ends = class_scores(model(torch.cat([x, base])), target).double()
    attributions = (delta[0].double() * total / steps).cpu().numpy()
    summed, difference = float(attributions.sum()), float(ends[0] - ends[1])
    return IntegratedGradients(attributions.sum(0).astype(np.float32), attributions.astype(np.float32),
                               summed, difference, abs(summed - difference))
