"""Two small PyTorch habits, written once: where a model lives, and eval mode that is put back.

Examples
--------
>>> from torch import nn
>>> net = nn.Sequential(nn.Linear(2, 2), nn.Dropout())
>>> with evaluating(net):
...     net.training
False
>>> net.training, device_of(net).type
(True, 'cpu')
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

import torch
from torch import nn


def device_of(model: nn.Module) -> torch.device:
    """The device of a model's first parameter (the CPU for a model without parameters)."""
    parameter = next(model.parameters(), None)
    return parameter.device if parameter is not None else torch.device("cpu")


def dtype_of(model: nn.Module) -> torch.dtype:
    """The dtype of a model's first parameter (float32 for a model without parameters)."""
    parameter = next(model.parameters(), None)
    return parameter.dtype if parameter is not None else torch.float32


@contextlib.contextmanager
def evaluating(model: nn.Module) -> Iterator[nn.Module]:
    """Put ``model`` in eval mode for the block, then back in the mode it was in."""
    was_training = model.training
    model.eval()
    try:
        yield model
    finally:
        model.train(was_training)
