"""Capture what named modules of any network output, with forward hooks that are always removed.

PyTorch runs a module's *forward hooks* after the module has computed its
output, and hands them that output. :func:`capture` registers one such hook
per requested module for the duration of a ``with`` block, collects the
outputs in a dict, and removes every hook when the block ends -- also when it
ends with an exception -- so the network is left exactly as it was. This is
the only place in the package that registers hooks.

Modules are named as in ``model.named_modules()``: ``"conv1"`` for a stage
of chapter 4's :class:`~cnncourse.SmallCNN`, ``"features.3"`` for a module
inside torchvision's VGG16. The empty name ``""`` is the model itself, so
capturing ``""`` records the model's output (:data:`OUTPUT`).

Examples
--------
>>> net = torch.nn.Sequential(torch.nn.Linear(2, 3), torch.nn.ReLU())
>>> with capture(net, ["0", ""]) as outputs:
...     _ = net(torch.ones(1, 2))
>>> sorted(outputs), outputs["0"].shape
(['', '0'], torch.Size([1, 3]))
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Iterator
from typing import Any

import torch
from torch import nn

OUTPUT = ""
"""The name of the model's own output: ``""`` is the model itself in ``model.named_modules()``."""

_LISTED = 20
"""How many valid names an error message lists before it just counts the rest."""


def module_names(model: nn.Module) -> list[str]:
    """The names :func:`capture` accepts: ``model.named_modules()``, starting with ``""`` (the model).

    Parameters
    ----------
    model : torch.nn.Module
        Any model.

    Returns
    -------
    list of str
        Every module's name, in ``named_modules()`` order.

    Examples
    --------
    >>> module_names(torch.nn.Sequential(torch.nn.Linear(2, 2), torch.nn.ReLU()))
    ['', '0', '1']
    """
    if not isinstance(model, nn.Module):
        raise TypeError(f"model must be a torch.nn.Module, got {type(model).__name__}")
    return [name for name, _ in model.named_modules()]


def _unknown_name_message(name: Any, valid: list[str]) -> str:
    shown = ", ".join(repr(n) for n in valid[:_LISTED])
    more = f" and {len(valid) - _LISTED} more" if len(valid) > _LISTED else ""
    return f"unknown layer {name!r}; valid layers (from model.named_modules()) are {shown}{more}"


@contextlib.contextmanager
def capture(model: nn.Module, layers: Iterable[str]) -> Iterator[dict[str, Any]]:
    """Record the outputs of the named modules of ``model`` during the ``with`` block.

    Inside the block, every forward pass of ``model`` stores each named
    module's output in the yielded dict under the module's name (a later pass
    overwrites an earlier one; a module called twice in one pass keeps its
    last output). The outputs are not detached, so gradients flow through
    them. On leaving the block the hooks are removed, whether the block
    succeeded or raised.

    Parameters
    ----------
    model : torch.nn.Module
        Any network.
    layers : iterable of str
        Names from ``model.named_modules()``; ``""`` (:data:`OUTPUT`) is the
        model's own output.

    Yields
    ------
    dict of str to torch.Tensor
        Filled by the forward passes run inside the block.

    Raises
    ------
    ValueError
        An unknown name; the message lists the valid names (the first 20 and
        a count of the rest, for a large network).

    Notes
    -----
    A module that is followed by an in-place operation (VGG16's
    ``ReLU(inplace=True)`` after each convolution) hands over a tensor that
    the next module then overwrites: capture the ReLU, or expect its values.

    Examples
    --------
    >>> net = SmallCNN()
    >>> with capture(net, ["relu1", "fc"]) as outputs:
    ...     _ = net(torch.zeros(2, 1, 32, 32))
    >>> outputs["relu1"].shape, outputs["fc"].shape
    (torch.Size([2, 8, 32, 32]), torch.Size([2, 6]))
    >>> len(net.relu1._forward_hooks)  # the hooks are gone
    0
    """
    if isinstance(layers, str):
        layers = [layers]
    modules = dict(model.named_modules()) if isinstance(model, nn.Module) else None
    if modules is None:
        raise TypeError(f"model must be a torch.nn.Module, got {type(model).__name__}")
    wanted = list(dict.fromkeys(layers))
    for name in wanted:
        if not isinstance(name, str) or name not in modules:
            raise ValueError(_unknown_name_message(name, list(modules)))
    outputs: dict[str, Any] = {}
    handles: list[torch.utils.hooks.RemovableHandle] = []

    def keeper(name: str):
        def hook(module: nn.Module, inputs: Any, output: Any) -> None:
            outputs[name] = output
        return hook

    try:
        for name in wanted:
            handles.append(modules[name].register_forward_hook(keeper(name)))
        yield outputs
    finally:
        for handle in handles:
            handle.remove()
