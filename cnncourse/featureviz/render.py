"""The render loop: gradient ascent on the input of any network, as a generator of steps.

Each step runs the network on the images (through the pixel space's map to
the network's input, :class:`~cnncourse.PixelSpace`), hooks the layers the
objective needs (:func:`~cnncourse.capture`), computes one objective value
per image (:mod:`cnncourse.featureviz.objectives`), and moves every image along its own
gradient, divided by its root-mean-square so that every step has the same
size. Then the transforms (:mod:`cnncourse.featureviz.transforms`) regularize the
images, and the pixel space clamps them if it keeps its range.

Nothing here knows about VGG16: chapter 5's :func:`~cnncourse.visualize_filters`
and chapter 4's :func:`~cnncourse.preferred_inputs` are both thin calls of
:func:`gradient_ascent`.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator, Sequence

import numpy as np
import torch
from torch import nn

from ..core.validate import int_at_least, positive_number
from .hooks import capture
from .objectives import Objective, as_objective
from .parameterization import VGG16_PIXELS, PixelSpace
from .transforms import Transform


# -- the step ------------------------------------------------------------------


def normalize_gradient(grad: torch.Tensor, eps: float = 1e-12) -> torch.Tensor:
    """Divide each element's gradient by its root-mean-square: every step has size 1.

    A gradient that is exactly zero (a filter that never fires) stays zero.

    Parameters
    ----------
    grad : torch.Tensor, shape (N, ...)
        One gradient per image of the batch.
    eps : float, optional
        The root-mean-square is at least this, so a zero gradient stays zero.

    Returns
    -------
    torch.Tensor
        Same shape as ``grad``.

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


# -- render loop ---------------------------------------------------------------


def gradient_ascent(
    model: nn.Module,
    images: torch.Tensor,
    objective: Objective | Callable[[torch.Tensor], torch.Tensor],
    *,
    steps: int,
    step_size: float = 1.0,
    pixels: PixelSpace = VGG16_PIXELS,
    transforms: Sequence[Transform] = (),
    generators: Sequence[np.random.Generator] | None = None,
    channels_last: bool = True,
    to_network: Callable[[torch.Tensor], torch.Tensor] | None = None,
) -> Iterator[tuple[int, torch.Tensor, torch.Tensor]]:
    """Gradient ascent on the images of any network: yields ``(step, objective values, images)``.

    Yields ``steps + 1`` times: for step ``k`` the images after ``k`` updates
    and their objective values (step 0 is the start). The images are in the
    units of ``pixels``; ``model`` sees them through ``pixels.to_network``.
    Each update adds ``step_size`` times the RMS-normalized gradient, applies
    the ``transforms`` in order, then clamps to the pixel range if
    ``pixels.clip``. Only the layers the objective needs are hooked, and only
    during each forward pass. The yielded tensors are never modified
    afterwards, so they can be kept. Put ``model`` in eval mode first (see
    :func:`cnncourse.core.torchutil.evaluating`) if it has dropout or batch norm.

    Parameters
    ----------
    model : torch.nn.Module
        Any network; it runs whole, so truncate it at the deepest layer the
        objective needs to save time (as :func:`visualize_filters` does).
    images : torch.Tensor, shape (N, C, H, W)
        The starting images (see :meth:`PixelSpace.start`, :func:`initial_images`).
    objective : Objective or callable
        One value per image (see :mod:`cnncourse.featureviz.objectives`); a plain
        function is applied to the output of ``model``.
    steps : int
        Number of updates.
    step_size : float, optional
        Size of each update: RMS change of the pixels, in pixel units.
    pixels : PixelSpace, optional
        The pixel units and the map to the network's input; VGG16's 0-255
        pixels with ImageNet normalization by default.
    transforms : sequence of callables, optional
        Regularizers applied after each update (see :mod:`cnncourse.featureviz.transforms`).
    generators : sequence of numpy.random.Generator, optional
        One per image, for random transforms (see :func:`seeded_generators`).
    channels_last : bool, optional
        Keep 4-D images in channels-last memory format, which convolutions
        prefer (the same results).
    to_network : callable, optional
        Replaces ``pixels.to_network`` (kept for code written before ``pixels``).

    Examples
    --------
    >>> _ = torch.manual_seed(0)
    >>> model = SmallCNN().eval()
    >>> start = UNIT_PIXELS.start(seeded_generators(0, [2, 4]), 32, channels=1)
    >>> ascent = gradient_ascent(model, start, class_logit([2, 4]), steps=5, step_size=0.05, pixels=UNIT_PIXELS)
    >>> values = torch.stack([v for _, v, _ in ascent])
    >>> values.shape, bool((values[-1] > values[0]).all())
    (torch.Size([6, 2]), True)
    """
    objective = as_objective(objective)
    if not isinstance(pixels, PixelSpace):
        raise TypeError(f"pixels must be a PixelSpace (e.g. VGG16_PIXELS or UNIT_PIXELS), got {pixels!r}")
    steps = int_at_least(steps, "steps", 0)
    step_size = positive_number(step_size, "step_size")
    forward = to_network or pixels.to_network

    def evaluate(x: torch.Tensor) -> torch.Tensor:
        with capture(model, objective.layers) as activations:
            model(forward(x))
        values = objective(activations)
        if values.shape != x.shape[:1]:
            raise ValueError(f"objective {objective} must give one value per image, shape ({len(x)},); "
                             f"got shape {tuple(values.shape)}")
        return values

    x = images.detach().float()
    for step in range(steps):
        # Channels-last (N, H, W, C in memory) suits the convolutions of CPUs and
        # GPUs alike: as fast or faster, with the same pictures.
        if channels_last and x.ndim == 4:
            x = x.contiguous(memory_format=torch.channels_last)
        x = x.requires_grad_(True)
        with torch.enable_grad():
            values = evaluate(x)
            (grad,) = torch.autograd.grad(values.sum(), x)
        x = x.detach()
        yield step, values.detach(), x
        with torch.no_grad():
            # x + step_size * grad / rms(grad), as one multiply-add over the batch
            x = torch.addcmul(x, grad.float(), step_size * _inverse_rms(grad.float()))
            for transform in transforms:
                x = transform(x, generators)
            if pixels.clip:
                x = pixels.clamp(x)
    with torch.no_grad():
        values = evaluate(x)
    yield steps, values, x
