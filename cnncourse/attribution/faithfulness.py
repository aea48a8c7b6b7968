"""How faithful is a map? Deletion and insertion curves (Petsiuk et al., 2018).

A map ranks the pixels. :func:`deletion_curve` removes them in that order,
most important first (each removed pixel takes the baseline's value, black
by default), and records the probability of the class after each of
``steps`` equal shares; :func:`insertion_curve` starts from the baseline (the
blurred image by default) and puts the pixels back in the same order. A
faithful map makes the deletion curve fall fast (a small area under it) and
the insertion curve rise fast (a large area). The bar to beat is a map that
knows nothing: :func:`random_map`.

All ``steps + 1`` images of a curve are made at once, from each pixel's
rank, and classified in batches: no Python loop over pixels or steps.

Examples
--------
>>> _ = torch.manual_seed(0)
>>> net, image = SmallCNN(), torch.rand(1, 32, 32)
>>> curve = deletion_curve(net, image, 0, random_map((32, 32)), steps=8)
>>> curve.fractions.tolist() == [k / 8 for k in range(9)], 0 <= curve.auc <= 1
(True, True)
"""

from __future__ import annotations

from typing import Any, NamedTuple

import numpy as np
import torch
from torch import nn

from ..core.validate import int_at_least, int_between
from .adversarial import as_batch
from .gradients import PIXEL_BUDGET, class_scores
from .path_attribution import baseline_image
from ..core.torchutil import evaluating


class Curve(NamedTuple):
    """A deletion or insertion curve.

    Parameters
    ----------
    fractions : numpy.ndarray, shape (steps + 1,)
        The share of the pixels removed (deletion) or inserted (insertion): 0, 1/steps, ..., 1.
    probabilities : numpy.ndarray, shape (steps + 1,)
        The probability of the class at each share.
    auc : float
        The area under the curve (trapezoid rule over the shares), in [0, 1].
    """

    fractions: np.ndarray
    probabilities: np.ndarray
    auc: float


def random_map(shape: tuple[int, int], *, seed: int = 0) -> np.ndarray:
    """The control map: uniform random values, which rank the pixels in an order unrelated to the image.

    Parameters
    ----------
    shape : (int, int)
        ``(H, W)``.
    seed : int, optional
        Seed of :func:`numpy.random.default_rng`.

    Returns
    -------
    numpy.ndarray, float32

    Examples
    --------
    >>> random_map((2, 3)).shape
    (2, 3)
    """
    height, width = (int_at_least(side, "shape", 1) for side in shape)
    return np.random.default_rng(int_at_least(seed, "seed", 0)).random((height, width)).astype(np.float32)


def pixel_ranks(saliency_map: Any) -> np.ndarray:
    """Each pixel's rank in the map, 0 for the largest value; ties go to the earlier pixel (row by row).

    Parameters
    ----------
    saliency_map : array_like, shape (H, W)
        Finite values.

    Returns
    -------
    numpy.ndarray, shape (H, W), int64

    Examples
    --------
    >>> pixel_ranks([[0.1, 0.9], [0.5, 0.5]]).tolist()
    [[3, 0], [1, 2]]
    """
    values = np.asarray(saliency_map, dtype=np.float64)
    order = np.argsort(-values.ravel(), kind="stable")
    ranks = np.empty(values.size, dtype=np.int64)
    ranks[order] = np.arange(values.size)
    return ranks.reshape(values.shape)


def _curve(model: nn.Module, image: Any, target: int, saliency_map: Any, steps: int, baseline: Any, seed: int,
           deleting: bool) -> Curve:
    x, _ = as_batch(model, image)
    if len(x) != 1:
        raise ValueError(f"image must be one image, got a batch of {len(x)}")
    height, width = x.shape[-2:]
    values = np.asarray(saliency_map, dtype=np.float64) if not isinstance(saliency_map, torch.Tensor) else (
        saliency_map.detach().cpu().double().numpy())
    if values.shape != (height, width):
        raise ValueError(f"saliency_map must have the image's height and width {(height, width)}, "
                         f"got {values.shape}")
    if not np.isfinite(values).all():
        raise ValueError("saliency_map contains NaN or infinite values")
    steps = int_between(steps, "steps", 1, height * width)
    base = baseline_image(x, baseline, seed=seed)
    ranks = torch.from_numpy(pixel_ranks(values)).to(x.device)
    counts = torch.tensor([k * height * width // steps for k in range(steps + 1)], device=x.device)
    chunk = max(1, PIXEL_BUDGET // (height * width))
    probabilities = []
    with torch.no_grad(), evaluating(model):
        for start in range(0, steps + 1, chunk):
            changed = (ranks[None] < counts[start:start + chunk, None, None])[:, None]   # (n, 1, H, W)
            batch = torch.where(changed, base, x) if deleting else torch.where(changed, x, base)
            logits = model(batch)
            class_scores(logits, target)  # checks the class
            probabilities.append(torch.softmax(logits.double(), dim=1)[:, target].cpu())
    p = torch.cat(probabilities).numpy()
    fractions = counts.cpu().numpy() / (height * width)
    auc = float(((p[1:] + p[:-1]) / 2 * np.diff(fractions)).sum())
    return Curve(fractions, p, auc)


def deletion_curve(model: nn.Module, image: Any, target: int, saliency_map: Any, *, steps: int = 16,
                   baseline: Any = "black", seed: int = 0) -> Curve:
    """The probability of ``target`` as the pixels are removed, most important (by the map) first.

    At step ``k`` the ``k * H * W // steps`` pixels ranked first by
    ``saliency_map`` (:func:`pixel_ranks`; all channels of a pixel together)
    take the baseline's values. Lower area: the map found what the network needs.

    Parameters
    ----------
    model : torch.nn.Module
        A classifier returning logits.
    image : torch.Tensor
        The model's input, ``(H, W)``, ``(C, H, W)`` or ``(1, C, H, W)``.
    target : int
        The class whose probability is recorded.
    saliency_map : array_like, shape (H, W)
        The map that ranks the pixels (larger: removed earlier).
    steps : int, optional
        Equal shares of the pixels, from 1 to ``H * W``.
    baseline : str or torch.Tensor, optional
        What a removed pixel becomes: ``"black"`` (default), ``"blur"``,
        ``"noise"`` or a tensor (see :func:`cnncourse.baseline_image`).
    seed : int, optional
        Seed of the ``"noise"`` baseline.

    Returns
    -------
    Curve
        ``(fractions, probabilities, auc)``.

    Raises
    ------
    ValueError
        A map of the wrong shape, ``steps`` outside 1 .. H * W, an unknown baseline, a bad class.

    Examples
    --------
    >>> net = nn.Sequential(nn.Flatten(), nn.Linear(4, 2))
    >>> curve = deletion_curve(net, torch.ones(1, 2, 2), 0, np.eye(2), steps=4)
    >>> len(curve.probabilities)
    5
    """
    return _curve(model, image, target, saliency_map, steps, baseline, seed, deleting=True)


def insertion_curve(model: nn.Module, image: Any, target: int, saliency_map: Any, *, steps: int = 16,
                    baseline: Any = "blur", seed: int = 0) -> Curve:
    """The probability of ``target`` as the pixels are put back into the baseline, most important first.

    At step ``k`` the ``k * H * W // steps`` pixels ranked first by
    ``saliency_map`` have the image's values, the others the baseline's
    (the blurred image by default). Higher area: the map found what the network needs.

    Parameters
    ----------
    model : torch.nn.Module
        A classifier returning logits.
    image : torch.Tensor
        The model's input, ``(H, W)``, ``(C, H, W)`` or ``(1, C, H, W)``.
    target : int
        The class whose probability is recorded.
    saliency_map : array_like, shape (H, W)
        The map that ranks the pixels (larger: inserted earlier).
    steps : int, optional
        Equal shares of the pixels, from 1 to ``H * W``.
    baseline : str or torch.Tensor, optional
        The start: ``"blur"`` (default), ``"black"``, ``"noise"`` or a tensor.
    seed : int, optional
        Seed of the ``"noise"`` baseline.

    Returns
    -------
    Curve
        ``(fractions, probabilities, auc)``.

    Raises
    ------
    ValueError
        A map of the wrong shape, ``steps`` outside 1 .. H * W, an unknown baseline, a bad class.

    Examples
    --------
    >>> net = nn.Sequential(nn.Flatten(), nn.Linear(4, 2))
    >>> curve = insertion_curve(net, torch.ones(1, 2, 2), 0, np.eye(2), steps=2, baseline="black")
    >>> curve.fractions.tolist()
    [0.0, 0.5, 1.0]
    """
    return _curve(model, image, target, saliency_map, steps, baseline, seed, deleting=False)
