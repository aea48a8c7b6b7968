"""Where one unit of a small CNN's feature map looks: its receptive field as a box of input pixels.

Chapter 4's rule, followed stage by stage: start with a field of 1 pixel, a
step of 1 and position 0 at pixel 0; a ``k x k`` convolution adds ``k - 1``
steps and moves position 0 ``padding`` steps left, a pooling window of ``k``
adds ``k - 1`` steps and multiplies the step by its stride. The unit at
``(row, col)`` then sees the square of side ``field`` from pixel
``(start + row * step, start + col * step)``, cut to the image.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from torch import nn

from ..core.validate import int_at_least


class Field(NamedTuple):
    """A layer's receptive field: ``side`` pixels, ``step`` pixels between units, unit 0 from pixel ``start``;
    the layer's maps have ``positions`` rows and columns.

    Attributes
    ----------
    side : int
        Side of the square one unit sees, in input pixels.
    step : int
        Distance, in input pixels, between neighbouring units.
    start : int
        The first pixel unit 0 sees (negative where padding reaches past the image).
    positions : int
        Rows (and columns) of the layer's maps.
    """

    side: int
    step: int
    start: int
    positions: int


def _first(value) -> int:
    return int(value if isinstance(value, int) else value[0])


def fields(layers: Sequence[tuple[str, int, int, int]], *, side: int = 32) -> dict[str, Field]:
    """Chapter 4's rule, layer by layer: the receptive field after each ``(name, kernel, stride, padding)``.

    Parameters
    ----------
    layers : sequence of (str, int, int, int)
        Each layer's name, kernel size, stride and padding, input first (an activation is ``(name, 1, 1, 0)``).
    side : int, optional
        Height and width of the input, in pixels.

    Returns
    -------
    dict of str to Field

    Examples
    --------
    >>> fields([("conv", 3, 1, 1), ("pool", 2, 2, 0)], side=8)["pool"]
    Field(side=4, step=2, start=-1, positions=4)
    """
    extent, step, start, positions = 1, 1, 0, int_at_least(side, "side", 1)
    found = {}
    for name, kernel, stride, padding in layers:
        extent += (kernel - 1) * step
        start -= padding * step
        step *= stride
        positions = (positions + 2 * padding - kernel) // stride + 1
        found[name] = Field(extent, step, start, positions)
    return found


def layer_field(model: nn.Sequential, layer: str, *, side: int = 32) -> Field:
    """The receptive field of every unit of ``layer``'s maps: side, step and start.

    Parameters
    ----------
    model : torch.nn.Sequential
        Named stages (a :class:`~cnncourse.nets.smallcnn.SmallCNN`).
    layer : str
        A stage that outputs maps: a convolution, an activation or a pooling.
    side : int, optional
        Height and width of the input, in pixels.

    Returns
    -------
    Field

    Examples
    --------
    >>> from cnncourse import SmallCNN
    >>> layer_field(SmallCNN(), "relu1"), layer_field(SmallCNN(), "pool3")
    (Field(side=5, step=1, start=-2, positions=32), Field(side=24, step=8, start=-8, positions=4))
    """
    if not isinstance(model, nn.Sequential):
        raise TypeError(f"model must be a torch.nn.Sequential, got {type(model).__name__}")
    layers = []
    for name, stage in model.named_children():
        if isinstance(stage, (nn.Flatten, nn.Linear)):
            break
        if isinstance(stage, (nn.Conv2d, nn.MaxPool2d, nn.AvgPool2d)):
            layers.append((name, _first(stage.kernel_size), _first(stage.stride), _first(stage.padding)))
        else:
            layers.append((name, 1, 1, 0))  # an activation: the field of the stage before it
    found = fields(layers, side=side)
    if layer not in found:
        raise ValueError(f"layer must be a stage with feature maps; valid layers are {', '.join(found)}, "
                         f"got {layer!r}")
    return found[layer]


def receptive_box(model: nn.Sequential, layer: str, row: int, col: int, *,
                  side: int = 32) -> tuple[int, int, int, int]:
    """The input pixels unit ``(row, col)`` of ``layer`` sees: ``(top, left, bottom, right)``, inclusive.

    Parameters
    ----------
    model : torch.nn.Sequential
        Named stages (a :class:`~cnncourse.nets.smallcnn.SmallCNN`).
    layer : str
        A stage that outputs maps, see :func:`layer_field`.
    row, col : int
        The unit's position in the map, from 0.
    side : int, optional
        Height and width of the input, in pixels: the box is cut to the image.

    Returns
    -------
    tuple of int
        First and last row, first and last column of the input it sees.

    Examples
    --------
    >>> from cnncourse import SmallCNN
    >>> receptive_box(SmallCNN(), "relu1", 0, 0), receptive_box(SmallCNN(), "relu3", 4, 4)
    ((0, 0, 2, 2), (8, 8, 27, 27))
    """
    field = layer_field(model, layer, side=side)
    edges = []
    for value, name in ((row, "row"), (col, "col")):
        value = int_at_least(value, name, 0)
        if value >= field.positions:
            raise ValueError(f"{name} must be from 0 to {field.positions - 1} ({layer}'s maps are "
                             f"{field.positions}x{field.positions}), got {value}")
        first = field.start + value * field.step
        edges.append((max(first, 0), min(first + field.side - 1, side - 1)))
    (top, bottom), (left, right) = edges
    return top, left, bottom, right
