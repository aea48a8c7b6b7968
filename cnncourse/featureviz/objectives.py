"""Objectives: the number per image that feature visualization makes large.

An :class:`Objective` reads the activations that :func:`~cnncourse.featureviz.hooks.capture`
recorded during one forward pass (a dict from layer name to output) and
returns one value per image of the batch, shape ``(N,)``. It also says which
layers it needs (:attr:`Objective.layers`), so that the render loop hooks
only those. Layers are named as in ``model.named_modules()``; the empty name
``""`` (:data:`OUTPUT`) is the model's own output, e.g. its class scores.

* :func:`channel` -- the mean of one channel (feature map) over its positions;
* :func:`neuron` -- one channel at one position (the centre by default);
* :func:`class_logit` -- one class score of the model's output.

Objectives combine with arithmetic: ``channel("relu2", 3) + 0.5 * channel("relu3", 7)``
makes both large, ``-neuron("relu1", 0)`` makes one small.

The ``index`` of every constructor is either one int (the same unit for the
whole batch) or one int per image: image ``i`` drives unit ``index[i]``,
which renders many channels in one batch without their gradients mixing.

Examples
--------
>>> act = {"relu1": torch.arange(8.0).reshape(1, 2, 2, 2)}
>>> channel("relu1", 1)(act), (2 * channel("relu1", 0) - neuron("relu1", 1, y=0, x=0))(act)
(tensor([5.5000]), tensor([-1.]))
"""

from __future__ import annotations

import numbers
from collections.abc import Callable, Mapping, Sequence
from typing import Any, Union

import numpy as np
import torch

from ..core.validate import int_at_least
from .hooks import OUTPUT

Index = Union[int, Sequence[int]]
"""One unit for the whole batch, or one unit per image."""


class Objective:
    """One value per image, computed from the captured activations of some layers.

    Parameters
    ----------
    function : callable
        Maps a dict ``{layer name: output}`` to a tensor of shape ``(N,)``.
    layers : sequence of str
        The layers ``function`` reads (names from ``model.named_modules()``).
    name : str
        How the objective prints, e.g. ``"channel('relu1', 3)"``.

    Calling an objective with a dict computes its values. Called with a bare
    tensor, an objective of a single layer takes the tensor as that layer's
    output (handy on a network truncated at the layer).

    Examples
    --------
    >>> brightness = Objective(lambda acts: acts[""].mean(dim=(1, 2, 3)), [""], name="brightness")
    >>> brightness({"": torch.ones(2, 3, 4, 4)}), brightness
    (tensor([1., 1.]), brightness)
    """

    def __init__(self, function: Callable[[Mapping[str, torch.Tensor]], torch.Tensor],
                 layers: Sequence[str], *, name: str = "objective") -> None:
        self.function = function
        self.layers: tuple[str, ...] = tuple(dict.fromkeys(layers))
        self.name = name

    def __call__(self, activations: Mapping[str, torch.Tensor] | torch.Tensor) -> torch.Tensor:
        if isinstance(activations, torch.Tensor):
            if len(self.layers) != 1:
                raise ValueError(f"{self.name} reads layers {list(self.layers)}: pass a dict of their outputs, "
                                 "not a single tensor")
            activations = {self.layers[0]: activations}
        missing = [layer for layer in self.layers if layer not in activations]
        if missing:
            raise ValueError(f"{self.name} needs the outputs of layers {missing}; got {sorted(activations)}")
        return self.function(activations)

    def __repr__(self) -> str:
        return self.name

    def __add__(self, other: Objective) -> Objective:
        if isinstance(other, numbers.Number) and other == 0:  # sum() starts from 0
            return self
        if not isinstance(other, Objective):
            return NotImplemented
        return Objective(lambda acts: self(acts) + other(acts), self.layers + other.layers,
                         name=f"{self.name} + {other.name}")

    __radd__ = __add__

    def __mul__(self, factor: float) -> Objective:
        if isinstance(factor, bool) or not isinstance(factor, numbers.Real) or not np.isfinite(factor):
            return NotImplemented
        return Objective(lambda acts: factor * self(acts), self.layers, name=f"{factor:g} * ({self.name})")

    __rmul__ = __mul__

    def __neg__(self) -> Objective:
        return Objective(lambda acts: -self(acts), self.layers, name=f"-({self.name})")

    def __sub__(self, other: Objective) -> Objective:
        if not isinstance(other, Objective):
            return NotImplemented
        return Objective(lambda acts: self(acts) - other(acts), self.layers + other.layers,
                         name=f"{self.name} - ({other.name})")


def as_objective(objective: Objective | Callable[[torch.Tensor], torch.Tensor]) -> Objective:
    """An :class:`Objective` as it is; a plain function of a tensor as an objective of the model's output.

    Examples
    --------
    >>> as_objective(lambda out: out.sum(dim=1)).layers
    ('',)
    """
    if isinstance(objective, Objective):
        return objective
    if not callable(objective):
        raise TypeError(f"objective must be an Objective or a callable, got {type(objective).__name__}")
    return Objective(lambda acts: objective(acts[OUTPUT]), [OUTPUT], name=getattr(objective, "__name__", "objective"))


# -- constructors ----------------------------------------------------------------


def _check_index(index: Any) -> tuple[int, ...] | int:
    """One int >= 0, or a non-empty sequence of them."""
    if isinstance(index, (str, bytes)) or not (np.ndim(index) == 0 or hasattr(index, "__iter__")):
        raise TypeError(f"index must be an int or a sequence of ints, got {index!r}")
    if np.ndim(index) == 0:
        return int_at_least(index, "index", 0)
    checked = tuple(int_at_least(i, "index", 0) for i in index)
    if not checked:
        raise ValueError("index must name at least one unit, got an empty sequence")
    return checked


def _check_layer_name(layer: Any) -> str:
    if not isinstance(layer, str):
        raise TypeError(f"layer must be a module name (str) from model.named_modules(), got {layer!r}")
    return layer


def _units(output: torch.Tensor, index: tuple[int, ...] | int, layer: str) -> torch.Tensor:
    """The unit index of each image as a tensor, checked against the batch and the units of ``output``."""
    n, units = output.shape[0], output.shape[1]
    picked = [index] * n if isinstance(index, int) else list(index)
    if len(picked) != n:
        raise ValueError(f"index gives {len(picked)} units, one per image, but the batch has {n} images")
    if max(picked) >= units:
        raise ValueError(f"index {max(picked)} is out of range: layer {layer!r} has {units} channels")
    return torch.as_tensor(picked, dtype=torch.long, device=output.device)


def _layer_output(acts: Mapping[str, torch.Tensor], layer: str, min_dims: int, shape: str) -> torch.Tensor:
    output = acts[layer]
    if not isinstance(output, torch.Tensor) or output.ndim < min_dims:
        got = tuple(output.shape) if isinstance(output, torch.Tensor) else type(output).__name__
        raise ValueError(f"layer {layer!r} must output {shape}, got {got}")
    return output


def channel(layer: str, index: Index) -> Objective:
    """The mean of channel ``index`` of ``layer``'s output over all positions.

    Parameters
    ----------
    layer : str
        A name from ``model.named_modules()`` whose output is ``(N, C, ...)``.
    index : int or sequence of int
        The channel; or one channel per image (image ``i`` drives ``index[i]``).

    Examples
    --------
    >>> act = torch.arange(2 * 3 * 2 * 2, dtype=torch.float32).reshape(2, 3, 2, 2)
    >>> channel("conv", 1)({"conv": act}), channel("conv", [0, 2])({"conv": act})
    (tensor([ 5.5000, 17.5000]), tensor([ 1.5000, 21.5000]))
    """
    layer, index = _check_layer_name(layer), _check_index(index)

    def mean_of_channel(acts: Mapping[str, torch.Tensor]) -> torch.Tensor:
        output = _layer_output(acts, layer, 2, "channels (N, C, ...)")
        units = _units(output, index, layer)
        # Sum every map first, pick, then divide the few picked sums: the backward
        # pass of a sum only broadcasts its gradient, while picking from the full
        # tensor (or a mean over it) would write a full-size gradient tensor,
        # as costly as a layer's work on an early, large layer.
        positions = tuple(range(2, output.ndim))
        sums = output.sum(dim=positions, dtype=torch.float32) if positions else output.float()
        rows = torch.arange(output.shape[0], device=output.device)
        return sums[rows, units] / int(np.prod(output.shape[2:], dtype=np.int64))

    return Objective(mean_of_channel, [layer], name=f"channel({layer!r}, {index!r})")


def neuron(layer: str, index: Index, *, y: int | None = None, x: int | None = None) -> Objective:
    """Channel ``index`` of ``layer``'s output at one position ``(y, x)``, the centre by default.

    Parameters
    ----------
    layer : str
        A name from ``model.named_modules()`` whose output is ``(N, C, H, W)``.
    index : int or sequence of int
        The channel; or one channel per image.
    y, x : int, optional
        Row and column of the position; ``H // 2`` and ``W // 2`` by default.

    Examples
    --------
    >>> act = torch.arange(9.0).reshape(1, 1, 3, 3)
    >>> neuron("conv", 0)({"conv": act}), neuron("conv", 0, y=0, x=2)({"conv": act})
    (tensor([4.]), tensor([2.]))
    """
    layer, index = _check_layer_name(layer), _check_index(index)
    y = None if y is None else int_at_least(y, "y", 0)
    x = None if x is None else int_at_least(x, "x", 0)

    def one_position(acts: Mapping[str, torch.Tensor]) -> torch.Tensor:
        output = _layer_output(acts, layer, 4, "feature maps (N, C, H, W)")
        height, width = output.shape[-2:]
        row, column = height // 2 if y is None else y, width // 2 if x is None else x
        if row >= height or column >= width:
            raise ValueError(f"position (y, x) = ({row}, {column}) is outside layer {layer!r}'s "
                             f"{height} x {width} feature maps")
        units = _units(output, index, layer)
        rows = torch.arange(output.shape[0], device=output.device)
        return output[rows, units, row, column].float()

    where = "centre" if y is None and x is None else f"y={y}, x={x}"
    return Objective(one_position, [layer], name=f"neuron({layer!r}, {index!r}, {where})")


def class_logit(index: Index, *, layer: str = OUTPUT) -> Objective:
    """Score ``index`` of the model's output ``(N, classes)`` (before any softmax).

    Parameters
    ----------
    index : int or sequence of int
        The class; or one class per image.
    layer : str, optional
        Where the scores are: ``""`` (:data:`OUTPUT`), the model's output, by
        default; or the name of a module that outputs ``(N, classes)``.
        Keyword-only, so that no positional order contradicts
        :func:`channel`'s ``(layer, index)``.

    Examples
    --------
    >>> logits = torch.tensor([[1.0, 5.0, 2.0], [0.0, -1.0, 3.0]])
    >>> class_logit(1)({"": logits}), class_logit([1, 2])({"": logits})
    (tensor([ 5., -1.]), tensor([5., 3.]))
    """
    layer, index = _check_layer_name(layer), _check_index(index)

    def score(acts: Mapping[str, torch.Tensor]) -> torch.Tensor:
        output = _layer_output(acts, layer, 2, "class scores (N, classes)")
        if output.ndim != 2:
            raise ValueError(f"layer {layer!r} must output class scores (N, classes), got {tuple(output.shape)}")
        units = _units(output, index, layer)
        return output[torch.arange(output.shape[0], device=output.device), units].float()

    where = "" if layer == OUTPUT else f", layer={layer!r}"
    return Objective(score, [layer], name=f"class_logit({index!r}{where})")


def channel_objective(filters: Sequence[int]) -> Objective:
    """Chapter 5's objective: image ``i`` drives channel ``filters[i]`` of the network's output.

    The same as ``channel(OUTPUT, filters)``, for a network truncated at the
    layer (:func:`cnncourse.truncated`); called on that output tensor, it
    returns the ``N`` channel means as float32.

    Parameters
    ----------
    filters : sequence of int
        One channel index per image of the batch, each at least 0.

    Returns
    -------
    Objective

    Examples
    --------
    >>> act = torch.arange(2 * 3 * 2 * 2, dtype=torch.float32).reshape(2, 3, 2, 2)
    >>> channel_objective([0, 2])(act)
    tensor([ 1.5000, 21.5000])
    """
    return channel(OUTPUT, list(filters))
