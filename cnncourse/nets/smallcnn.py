"""The small CNN of chapter 4, and what it does to one image stage by stage.

:class:`SmallCNN` is three conv → ReLU → pool blocks and a linear classifier,
written as a named :class:`torch.nn.Sequential`; :func:`stage_outputs` and
:func:`layer_summary` give the output of every stage and the parameters of
every layer for one input.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Sequence
from typing import Any, NamedTuple

import numpy as np
import torch
from torch import nn

from ..core.validate import int_at_least
from .shapes import SHAPE_CLASSES
from ..core.torchutil import evaluating


class SmallCNN(nn.Sequential):
    """Three conv → ReLU → max-pool blocks and a linear classifier.

    Each block keeps height and width through the convolution (``padding =
    kernel // 2``) and halves them in the pooling, while the number of
    channels grows. The stages are named (``conv1``, ``relu1``, ``pool1``, …,
    ``flatten``, ``fc``), so ``model.conv1`` is the first layer and
    ``model.conv1.weight`` its filters.

    Parameters
    ----------
    num_classes : int, optional
        Outputs of the classifier (one score per class).
    channels : sequence of int, optional
        Filters of each convolutional layer; one block per entry.
    kernel_sizes : sequence of int, optional
        Kernel size of each convolutional layer (odd numbers keep the size).
    side : int, optional
        Height and width of the (square) input images, in pixels.
    in_channels : int, optional
        Channels of the input (1 for grayscale).

    Examples
    --------
    >>> model = SmallCNN()
    >>> model(torch.zeros(2, 1, 32, 32)).shape
    torch.Size([2, 6])
    >>> tuple(model.conv1.weight.shape)
    (8, 1, 5, 5)
    """

    def __init__(self, num_classes: int = len(SHAPE_CLASSES), *, channels: Sequence[int] = (8, 16, 32),
                 kernel_sizes: Sequence[int] = (5, 3, 3), side: int = 32,
                 in_channels: int = 1) -> None:
        channels = [int_at_least(c, "channels", 1) for c in channels]
        kernel_sizes = [int_at_least(k, "kernel_sizes", 1) for k in kernel_sizes]
        if len(channels) != len(kernel_sizes) or not channels:
            raise ValueError(f"channels and kernel_sizes must have the same, non-zero length, got "
                             f"{len(channels)} and {len(kernel_sizes)}")
        size = int_at_least(side, "side", 1)
        layers: OrderedDict[str, nn.Module] = OrderedDict()
        previous = int_at_least(in_channels, "in_channels", 1)
        for block, (out, k) in enumerate(zip(channels, kernel_sizes), start=1):
            layers[f"conv{block}"] = nn.Conv2d(previous, out, k, padding=k // 2)
            layers[f"relu{block}"] = nn.ReLU()
            layers[f"pool{block}"] = nn.MaxPool2d(2)
            size = (size + 2 * (k // 2) - k + 1) // 2
            if size < 1:
                raise ValueError(f"side {side} is too small for {len(channels)} blocks")
            previous = out
        layers["flatten"] = nn.Flatten()
        layers["fc"] = nn.Linear(previous * size * size, int_at_least(num_classes, "num_classes", 2))
        super().__init__(layers)

    def __getitem__(self, index: int | slice | str) -> nn.Module:
        """A stage by position or name; a slice is a plain ``nn.Sequential`` of stages."""
        if isinstance(index, str):
            return getattr(self, index)
        if isinstance(index, slice):
            return nn.Sequential(OrderedDict(list(self.named_children())[index]))
        return super().__getitem__(index)


def _as_batch(image: Any) -> torch.Tensor:
    x = torch.as_tensor(np.asarray(image) if not isinstance(image, torch.Tensor) else image,
                        dtype=torch.float32)
    if x.ndim == 2:
        x = x[None, None]
    elif x.ndim == 3:
        x = x[None]
    if x.ndim != 4 or x.shape[0] != 1:
        raise ValueError(f"image must have shape (H, W), (C, H, W) or (1, C, H, W), got {tuple(x.shape)}")
    return x


@torch.no_grad()
def stage_outputs(model: nn.Sequential, image: Any) -> OrderedDict[str, torch.Tensor]:
    """Run one image through a sequential model and keep every stage's output.

    Parameters
    ----------
    model : torch.nn.Sequential
        For example a :class:`SmallCNN`.
    image : array_like or torch.Tensor, shape (H, W), (C, H, W) or (1, C, H, W)
        One input image.

    Returns
    -------
    collections.OrderedDict of str to torch.Tensor
        ``"input"`` first, then one entry per stage (``"conv1"``, ``"relu1"``,
        …), each with its batch dimension of 1.

    Examples
    --------
    >>> outputs = stage_outputs(SmallCNN(), torch.zeros(1, 32, 32))
    >>> tuple(outputs["pool1"].shape)
    (1, 8, 16, 16)
    """
    if not isinstance(model, nn.Sequential):
        raise TypeError(f"model must be a torch.nn.Sequential, got {type(model).__name__}")
    x = _as_batch(image)
    with evaluating(model):
        outputs = OrderedDict(input=x)
        for name, stage in model.named_children():
            x = stage(x)
            outputs[name] = x
    return outputs


class LayerInfo(NamedTuple):
    """One row of :func:`layer_summary`.

    Attributes
    ----------
    name : str
        The stage's name in the model.
    kind : str
        The layer's class name (``"Conv2d"``, ``"ReLU"``, ...).
    shape : tuple of int
        The stage's output shape for one image, without the batch axis.
    params : int
        The number of trainable parameters of the stage.
    """

    name: str
    kind: str
    shape: tuple[int, ...]
    params: int


def layer_summary(model: nn.Sequential, image: Any) -> list[LayerInfo]:
    """The output shape and the number of parameters of every stage.

    Parameters
    ----------
    model : torch.nn.Sequential
    image : array_like or torch.Tensor
        One input image, see :func:`stage_outputs`.

    Returns
    -------
    list of LayerInfo
        ``(name, kind, shape, params)`` per stage, the input first; ``shape``
        leaves out the batch dimension, so it reads (channels, height, width).

    Examples
    --------
    >>> rows = layer_summary(SmallCNN(), torch.zeros(1, 32, 32))
    >>> rows[1]
    LayerInfo(name='conv1', kind='Conv2d', shape=(8, 32, 32), params=208)
    """
    modules = dict(model.named_children())
    rows = []
    for name, out in stage_outputs(model, image).items():
        module = modules.get(name)
        kind = "input" if module is None else type(module).__name__
        params = 0 if module is None else sum(p.numel() for p in module.parameters())
        rows.append(LayerInfo(name, kind, tuple(out.shape[1:]), params))
    return rows


def first_convolution(model: nn.Module) -> tuple[str, str]:
    """The names of a model's first ``nn.Conv2d`` stage and of the stage right after it (its activation).

    Parameters
    ----------
    model : torch.nn.Module
        A model whose children are its stages, such as :class:`SmallCNN`.

    Returns
    -------
    (str, str)
        The convolution's name, and the next stage's (the convolution's own if it is the last).

    Examples
    --------
    >>> first_convolution(SmallCNN())
    ('conv1', 'relu1')
    """
    names = list(model.named_children())
    for position, (name, module) in enumerate(names):
        if isinstance(module, nn.Conv2d):
            after = names[position + 1][0] if position + 1 < len(names) else name
            return name, after
    raise ValueError("model has no nn.Conv2d stage")

