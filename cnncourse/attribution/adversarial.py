"""Adversarial examples: chapter 7's gradient turned into an attack.

* :func:`fgsm` -- the fast gradient sign method (Goodfellow et al., 2015): one
  step of size ``epsilon`` along the sign of the loss's gradient;
* :func:`pgd` -- projected gradient descent (Madry et al., 2018): ``steps``
  such steps of size ``step``, each projected back into the box of half-width
  ``epsilon`` around the input (the L-infinity ball) and into the valid range;
* :func:`random_sign` -- the control: a perturbation of the same size whose
  signs are random instead of chosen by the gradient;
and, in :mod:`cnncourse.attribution.unit_pixels`, VGG16 with its normalization in front
(:func:`~cnncourse.attribution.unit_pixels.unit_pixel_model`): its input is a photo's
pixels in [0, 1], where ``epsilon = 2 / 255`` means two grey levels.

Every function takes the model's input, one image ``(C, H, W)`` or a batch
``(N, C, H, W)``, and returns a tensor of the same shape, clipped to
``bounds``. The loss is the cross-entropy of each image with its class,
computed in float64 from the logits, so that the gradient of a very
confident prediction does not round to zero. Untargeted (the default), the
step *raises* the loss of the true class; targeted, it *lowers* the loss of
the class ``target`` that the attacker wants.

Unlike Captum's ``FGSM``, which leaves an element alone where the gradient
is below 1e-6 in size, every element with a nonzero gradient moves: a
confident model's gradients are legitimately that small, and their sign is
still exact (``tests/test_adversarial.py`` compares with Captum elsewhere).
Gradients are taken with :func:`torch.autograd.grad` with respect to the
input only: no parameter gets a ``.grad`` and the model's mode is restored.

Examples
--------
>>> _ = torch.manual_seed(0)
>>> net, image = SmallCNN(), torch.rand(1, 32, 32)
>>> adversarial = fgsm(net, image, 2, epsilon=4 / 255)
>>> adversarial.shape, bool((adversarial - image).abs().max() <= 4 / 255 + 1e-7)
(torch.Size([1, 32, 32]), True)
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from ..core.validate import finite_number, int_at_least, positive_number
from ..core.torchutil import device_of, dtype_of, evaluating

UNIT_BOUNDS = (0.0, 1.0)
"""The valid range of an input in [0, 1] pixels: chapter 4's shapes, and a photo for :func:`unit_pixel_model`."""


def as_batch(model: nn.Module, image: Any, *, name: str = "image") -> tuple[torch.Tensor, bool]:
    """The input as a batch ``(N, C, H, W)`` on the model's device, and whether it was one image.

    Parameters
    ----------
    model : torch.nn.Module
        The classifier; the batch goes to its device and dtype.
    image : torch.Tensor
        A float tensor ``(H, W)``, ``(C, H, W)`` or ``(N, C, H, W)``, finite.
    name : str, optional
        The parameter's name in error messages.

    Returns
    -------
    (torch.Tensor, bool)

    Examples
    --------
    >>> batch, single = as_batch(SmallCNN(), torch.zeros(1, 32, 32))
    >>> tuple(batch.shape), single
    ((1, 1, 32, 32), True)
    """
    if not isinstance(model, nn.Module):
        raise TypeError(f"model must be a torch.nn.Module, got {type(model).__name__}")
    if not isinstance(image, torch.Tensor) or not image.is_floating_point():
        found = image.dtype if isinstance(image, torch.Tensor) else type(image).__name__
        raise TypeError(f"{name} must be a float tensor (the model's input), got {found}")
    if image.ndim not in (2, 3, 4) or 0 in image.shape:
        raise ValueError(f"{name} must have shape (H, W), (C, H, W) or (N, C, H, W), got {tuple(image.shape)}")
    if not torch.isfinite(image).all():
        raise ValueError(f"{name} contains NaN or infinite values")
    x = image.detach()
    x = x[None, None] if x.ndim == 2 else x[None] if x.ndim == 3 else x
    return x.to(device=device_of(model), dtype=dtype_of(model)).contiguous(), image.ndim < 4


def class_labels(target: Any, count: int, *, classes: int | None = None) -> torch.Tensor:
    """``target`` as one class index per image: an int for all ``count`` images, or a sequence of ``count``.

    Parameters
    ----------
    target : int or sequence of int or torch.Tensor
        The class (or one class per image).
    count : int
        The number of images.
    classes : int, optional
        The number of classes, to check the indices against.

    Returns
    -------
    torch.Tensor, shape (count,), int64

    Examples
    --------
    >>> class_labels(3, 2)
    tensor([3, 3])
    """
    if isinstance(target, (bool, float)) or (isinstance(target, torch.Tensor) and target.is_floating_point()):
        raise TypeError(f"target must be a class index (int) or one per image, got {target!r}")
    labels = torch.as_tensor(target).long().reshape(-1)
    if labels.numel() == 1:
        labels = labels.expand(count)
    if labels.numel() != count:
        raise ValueError(f"target must be one class or one class per image ({count}), got {labels.numel()}")
    if classes is not None and ((labels < 0) | (labels >= classes)).any():
        raise ValueError(f"target must hold class indices from 0 to {classes - 1}, got {labels.tolist()}")
    return labels.clone()


def _bounds(bounds: Any) -> tuple[float, float]:
    try:
        low, high = (float(b) for b in bounds)
    except (TypeError, ValueError):
        raise TypeError(f"bounds must be a pair of numbers (low, high), got {bounds!r}") from None
    if not (math.isfinite(low) and math.isfinite(high) and low < high):
        raise ValueError(f"bounds must be finite with low < high, got {bounds!r}")
    return low, high


def loss_gradient(model: nn.Module, batch: torch.Tensor, labels: torch.Tensor) -> torch.Tensor:
    """d loss / d input of each image: the cross-entropy of its logits with its label (float64).

    Each image's loss depends only on its own pixels, so the gradient of their sum gives every image its
    own gradient, in one forward and one backward pass.

    Parameters
    ----------
    model : torch.nn.Module
        A classifier returning logits ``(N, classes)``.
    batch : torch.Tensor, shape (N, C, H, W)
        The inputs.
    labels : torch.Tensor, shape (N,)
        One class per image.

    Returns
    -------
    torch.Tensor, the shape of ``batch``

    Examples
    --------
    >>> loss_gradient(SmallCNN(), torch.rand(2, 1, 32, 32), torch.tensor([0, 1])).shape
    torch.Size([2, 1, 32, 32])
    """
    batch = batch.detach().requires_grad_(True)
    with torch.enable_grad():
        logits = model(batch)
        if not isinstance(logits, torch.Tensor) or logits.ndim != 2:
            raise ValueError("model must return class scores of shape (N, classes)")
        if ((labels < 0) | (labels >= logits.shape[1])).any():
            raise ValueError(f"target must hold class indices from 0 to {logits.shape[1] - 1}, "
                             f"got {sorted(set(labels.tolist()))}")
        loss = F.cross_entropy(logits.double(), labels.to(logits.device), reduction="sum")
        (gradient,) = torch.autograd.grad(loss, batch)
    return gradient


def _prepared(model: nn.Module, image: Any, target: Any, epsilon: Any, bounds: Any):
    epsilon = finite_number(epsilon, "epsilon", 0.0)
    low, high = _bounds(bounds)
    x, single = as_batch(model, image)
    if x.min() < low or x.max() > high:
        raise ValueError(f"image must lie within bounds {(low, high)}, got values from {float(x.min()):.4g} "
                         f"to {float(x.max()):.4g}")
    return x, single, class_labels(target, len(x)), epsilon, (low, high)


def fgsm(model: nn.Module, image: Any, target: Any, *, epsilon: float, targeted: bool = False,
         bounds: tuple[float, float] = UNIT_BOUNDS) -> torch.Tensor:
    """One step of size ``epsilon`` along the sign of the loss's gradient, clipped to ``bounds``.

    Untargeted: ``x + epsilon * sign(d loss(x, target) / dx)`` with ``target``
    the true class, which makes the true class less likely. Targeted:
    ``x - epsilon * sign(d loss(x, target) / dx)``, which makes ``target``
    more likely.

    Parameters
    ----------
    model : torch.nn.Module
        A classifier returning logits (the small CNN; VGG16 through :func:`unit_pixel_model`).
    image : torch.Tensor
        The model's input: ``(C, H, W)`` (or ``(H, W)`` for one channel) or a batch ``(N, C, H, W)``,
        within ``bounds``.
    target : int or sequence of int
        The true class (untargeted) or the class wanted (targeted); one for all images or one per image.
    epsilon : float
        The step, ``>= 0``, in the input's units: the largest change of any element.
    targeted : bool, optional
        Make ``target`` more likely instead of less.
    bounds : (float, float), optional
        The valid range of an input element; [0, 1] by default.

    Returns
    -------
    torch.Tensor
        The adversarial input, the shape of ``image``, detached.

    Raises
    ------
    ValueError
        ``epsilon < 0``, an image outside ``bounds`` or of a wrong shape, a class the model lacks.

    Examples
    --------
    >>> _ = torch.manual_seed(0)
    >>> net, image = SmallCNN(), torch.full((1, 32, 32), 0.5)
    >>> step = fgsm(net, image, 0, epsilon=0.1) - image
    >>> sorted({round(v, 4) for v in step.abs().flatten().tolist()})   # every pixel moved by epsilon
    [0.1]
    """
    x, single, labels, epsilon, (low, high) = _prepared(model, image, target, epsilon, bounds)
    sign = -1.0 if targeted else 1.0
    with evaluating(model):
        gradient = loss_gradient(model, x, labels)
    out = (x + sign * epsilon * gradient.sign()).clamp(low, high)
    return out[0] if single and image.ndim == 3 else out[0, 0] if single else out


def pgd(model: nn.Module, image: Any, target: Any, *, epsilon: float, step: float, steps: int, seed: int = 0,
        targeted: bool = False, random_start: bool = False,
        bounds: tuple[float, float] = UNIT_BOUNDS) -> torch.Tensor:
    """``steps`` signed-gradient steps of size ``step``, each projected back to the ``epsilon``-box and ``bounds``.

    After each step the input is clipped to ``[x - epsilon, x + epsilon]``
    (the L-infinity ball around the original ``x``) and to ``bounds``. With
    ``random_start`` the walk starts from a uniform random point of the box
    (Madry et al.), drawn from a generator seeded with ``seed``; without it
    (the default) it starts at ``x`` and the result does not depend on ``seed``.

    Parameters
    ----------
    model : torch.nn.Module
        A classifier returning logits.
    image : torch.Tensor
        The model's input, ``(C, H, W)`` or ``(N, C, H, W)``, within ``bounds``.
    target : int or sequence of int
        The true class (untargeted) or the class wanted (``targeted=True``).
    epsilon : float
        The half-width of the box, ``>= 0``.
    step : float
        The size of each step, ``> 0``.
    steps : int
        The number of steps, ``>= 1``.
    seed : int, optional
        Seed of the random start.
    targeted : bool, optional
        Make ``target`` more likely instead of less.
    random_start : bool, optional
        Start from a random point of the box.
    bounds : (float, float), optional
        The valid range of an input element.

    Returns
    -------
    torch.Tensor
        The adversarial input, the shape of ``image``.

    Raises
    ------
    ValueError
        ``epsilon < 0``, ``step <= 0``, ``steps < 1``, a bad image or class.

    Examples
    --------
    >>> net, image = SmallCNN(), torch.rand(1, 32, 32)
    >>> out = pgd(net, image, 1, epsilon=0.03, step=0.01, steps=5)
    >>> bool((out - image).abs().max() <= 0.03 + 1e-6)
    True
    """
    x, single, labels, epsilon, (low, high) = _prepared(model, image, target, epsilon, bounds)
    step = positive_number(step, "step")
    steps = int_at_least(steps, "steps", 1)
    seed = int_at_least(seed, "seed", 0)
    sign = -1.0 if targeted else 1.0
    lower, upper = (x - epsilon).clamp(min=low), (x + epsilon).clamp(max=high)
    current = x
    if random_start:
        generator = torch.Generator().manual_seed(seed)
        noise = torch.rand(x.shape, generator=generator).to(x) * 2 - 1
        current = torch.minimum(torch.maximum(x + epsilon * noise, lower), upper)
    with evaluating(model):
        for _ in range(steps):
            gradient = loss_gradient(model, current, labels)
            current = torch.minimum(torch.maximum(current + sign * step * gradient.sign(), lower), upper)
    return current[0] if single and image.ndim == 3 else current[0, 0] if single else current


def random_sign(image: Any, *, epsilon: float, seed: int = 0,
                bounds: tuple[float, float] = UNIT_BOUNDS) -> torch.Tensor:
    """The control for an attack: ``image + epsilon * s`` with random signs ``s = +-1``, clipped to ``bounds``.

    The same size of change as :func:`fgsm`'s, in directions the gradient did not choose.

    Parameters
    ----------
    image : torch.Tensor
        The input, one image or a batch, within ``bounds``.
    epsilon : float
        The size of the change, ``>= 0``.
    seed : int, optional
        Seed of the signs (a CPU generator: the same on every device).
    bounds : (float, float), optional
        The valid range of an input element.

    Returns
    -------
    torch.Tensor
        The shape of ``image``.

    Examples
    --------
    >>> noisy = random_sign(torch.full((1, 4, 4), 0.5), epsilon=0.25)
    >>> sorted(set(noisy.flatten().tolist()))
    [0.25, 0.75]
    """
    if not isinstance(image, torch.Tensor) or not image.is_floating_point():
        raise TypeError(f"image must be a float tensor, got {type(image).__name__}")
    epsilon = finite_number(epsilon, "epsilon", 0.0)
    low, high = _bounds(bounds)
    generator = torch.Generator().manual_seed(int_at_least(seed, "seed", 0))
    signs = torch.randint(0, 2, image.shape, generator=generator).to(image) * 2 - 1
    return (image.detach() + epsilon * signs).clamp(low, high)


def magnified(change: Any, factor: float = 50.0) -> np.ndarray:
    """A change of pixels in [0, 1] units as a picture: mid-grey plus ``factor`` times the change, clipped.

    Parameters
    ----------
    change : array_like
        The perturbation, ``(H, W)`` or ``(H, W, 3)``.
    factor : float, optional
        The magnification.

    Returns
    -------
    numpy.ndarray, values in [0, 1]

    Examples
    --------
    >>> magnified(np.array([[0.0, 0.004, -0.02]])).round(2).tolist()
    [[0.5, 0.7, 0.0]]
    """
    return np.clip(0.5 + factor * np.asarray(change, dtype=np.float64), 0, 1)
