"""Models whose input is pixels in [0, 1], and what they answer: for chapter 8's attacks.

* :func:`unit_pixel_model` -- VGG16 with ImageNet's normalization in front, so
  that an attack's ``epsilon`` is in grey levels of the photo;
* :func:`predictions` -- the class each image of a batch is given, without gradients.
"""

from __future__ import annotations

from typing import Any

import torch
from torch import nn

from ..core.validate import int_at_least
from .adversarial import as_batch
from ..core.torchutil import device_of, evaluating
from ..nets.vgg import IMAGENET_MEAN, IMAGENET_STD


def predictions(model: nn.Module, images: Any, *, batch_size: int = 500) -> torch.Tensor:
    """The class each image is given (the largest logit), without gradients, in batches.

    Parameters
    ----------
    model : torch.nn.Module
        A classifier returning logits.
    images : torch.Tensor, shape (N, C, H, W)
        The inputs.
    batch_size : int, optional
        Images per forward pass (only memory depends on it).

    Returns
    -------
    torch.Tensor, shape (N,), int64, on the CPU

    Examples
    --------
    >>> predictions(SmallCNN(), torch.rand(3, 1, 32, 32)).shape
    torch.Size([3])
    """
    x, _ = as_batch(model, images, name="images")
    batch_size = int_at_least(batch_size, "batch_size", 1)
    with torch.no_grad(), evaluating(model):
        return torch.cat([model(x[i:i + batch_size]).argmax(1).cpu() for i in range(0, len(x), batch_size)])


class _Normalize(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.register_buffer("mean", torch.tensor(IMAGENET_MEAN).view(1, 3, 1, 1))
        self.register_buffer("std", torch.tensor(IMAGENET_STD).view(1, 3, 1, 1))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return (x - self.mean) / self.std


def unit_pixel_model(classifier: nn.Module) -> nn.Sequential:
    """``classifier`` (VGG16) with ImageNet's normalization in front: its input is RGB pixels in [0, 1].

    An attack's ``epsilon`` is then in the photo's own units (``2 / 255``:
    two grey levels) and :data:`UNIT_BOUNDS` is the valid range. The
    classifier is shared, not copied; the wrapper keeps its
    ``cnncourse_weights`` attribute.

    Parameters
    ----------
    classifier : torch.nn.Module
        A network that expects ImageNet-normalized input (:func:`cnncourse.preprocess`).

    Returns
    -------
    torch.nn.Sequential

    Examples
    --------
    >>> wrapped = unit_pixel_model(nn.Identity())
    >>> wrapped(torch.ones(1, 3, 1, 1)).flatten()
    tensor([2.2489, 2.4286, 2.6400])
    """
    if not isinstance(classifier, nn.Module):
        raise TypeError(f"classifier must be a torch.nn.Module, got {type(classifier).__name__}")
    wrapped = nn.Sequential(_Normalize(), classifier).to(device_of(classifier))
    if hasattr(classifier, "cnncourse_weights"):
        wrapped.cnncourse_weights = classifier.cnncourse_weights
    return wrapped
