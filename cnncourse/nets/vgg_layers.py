"""VGG16's layers by name: the Keras-style names, their channels and receptive fields.

The network is torchvision's VGG16. Its layers are named the Keras way
(``block1_conv1`` ... ``block5_pool``), as in the classic recipes this course
follows; :data:`VGG16_LAYERS` maps each name to the index of its module in
``vgg16().features``. As in Keras, a conv layer's *output* is taken after
its ReLU. Everything here is computed from VGG16's configuration; nothing
loads a model.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from torch import nn

from ..core.validate import int_at_least

# -- The architecture ---------------------------------------------------------

# VGG16 ("configuration D" of Simonyan & Zisserman): out channels of each 3x3
# conv (padding 1, stride 1), "M" for a 2x2 max pooling with stride 2.
_CONFIG: list[int | str] = [64, 64, "M", 128, 128, "M", 256, 256, 256, "M",
                            512, 512, 512, "M", 512, 512, 512, "M"]


def _build_layer_table() -> dict[str, tuple[int, int, int]]:
    """name -> (index in features, output channels, receptive field), from _CONFIG."""
    table: dict[str, tuple[int, int, int]] = {}
    index, block, conv, channels = 0, 1, 1, 3
    size, jump = 1, 1  # receptive field and distance between neighbouring outputs, in pixels
    for item in _CONFIG:
        if item == "M":
            size += (2 - 1) * jump
            jump *= 2
            table[f"block{block}_pool"] = (index, channels, size)
            index, block, conv = index + 1, block + 1, 1
        else:
            channels = int(item)
            size += (3 - 1) * jump
            table[f"block{block}_conv{conv}"] = (index, channels, size)
            index, conv = index + 2, conv + 1  # conv, then its ReLU
    return table


_TABLE = _build_layer_table()

VGG16_LAYERS: dict[str, int] = {name: entry[0] for name, entry in _TABLE.items()}
"""The 18 layer names, in order, mapped to their module's index in ``vgg16().features``.

``block1_conv1`` is ``features[0]`` (its output is taken after the ReLU,
``features[1]``); ``block5_pool`` is ``features[30]``.
"""

def check_layer(name: Any) -> str:
    """Return ``name`` if it is a VGG16 layer name; otherwise list the valid names.

    Parameters
    ----------
    name : str
        A name of :data:`VGG16_LAYERS` (``"block1_conv1"`` ... ``"block5_pool"``).

    Returns
    -------
    str
        ``name`` itself.

    Raises
    ------
    ValueError
        For an unknown name (the message lists all 18 names).
    TypeError
        If ``name`` is not a string.

    Examples
    --------
    >>> check_layer("block3_conv1")
    'block3_conv1'
    """
    if not isinstance(name, str):
        raise TypeError(f"layer must be a layer name (str), got {type(name).__name__}")
    if name not in VGG16_LAYERS:
        raise ValueError(f"unknown layer {name!r}; valid VGG16 layer names are: {', '.join(VGG16_LAYERS)}")
    return name


def layer_channels(layer: str) -> int:
    """Number of channels (feature maps, filters) of a layer's output.

    Parameters
    ----------
    layer : str
        A VGG16 layer name (see :func:`check_layer`).

    Returns
    -------
    int
        64, 128, 256 or 512.

    Examples
    --------
    >>> layer_channels("block1_conv1"), layer_channels("block5_pool")
    (64, 512)
    """
    return _TABLE[check_layer(layer)][1]


def check_channel(layer: str, index: Any, *, name: str = "channel") -> int:
    """Return ``index`` as an int if it is a valid channel of ``layer``.

    Parameters
    ----------
    layer : str
        A name from :data:`VGG16_LAYERS`.
    index : int
        The channel (or filter) index, from 0 to ``layer_channels(layer) - 1``.
    name : str, optional
        What to call the index in the message (``"channel"``, ``"filter"``).

    Raises
    ------
    ValueError
        If the index is out of range; the message gives the layer's channel count.

    Examples
    --------
    >>> check_channel("block1_conv1", 5)
    5
    """
    count = layer_channels(layer)
    if isinstance(index, (bool, np.bool_)) or not isinstance(index, (int, np.integer)):
        raise TypeError(f"{name} index must be an int, got {index!r}")
    if not 0 <= index < count:
        raise ValueError(f"{name} index {index} is out of range for {layer}, which has {count} "
                         f"channels (valid indices 0 to {count - 1})")
    return int(index)


def receptive_field(layer: str) -> int:
    """Side, in pixels of the input, of the square one output position of ``layer`` sees.

    Computed from the architecture: each 3x3 conv widens the field by 2 steps
    of the current stride, each 2x2 pooling by 1 step, then doubles the stride.

    Parameters
    ----------
    layer : str
        A VGG16 layer name (see :func:`check_layer`).

    Returns
    -------
    int
        The side of the receptive field, in input pixels.

    Examples
    --------
    >>> receptive_field("block1_conv1"), receptive_field("block1_conv2"), receptive_field("block5_pool")
    (3, 5, 212)
    """
    return _TABLE[check_layer(layer)][2]


def layer_output_shape(layer: str, *, height: int = 224, width: int | None = None) -> tuple[int, int, int]:
    """Shape ``(C, H, W)`` of ``layer``'s output for an input of ``height`` x ``width`` pixels.

    Convs keep height and width (3x3, padding 1); each pooling halves them,
    rounding down.

    Parameters
    ----------
    layer : str
        A VGG16 layer name (see :func:`check_layer`).
    height : int, optional
        Input height in pixels, at least 1.
    width : int, optional
        Input width in pixels, at least 1; ``height`` when omitted.

    Returns
    -------
    (int, int, int)
        Channels, height and width of the output.

    Examples
    --------
    >>> layer_output_shape("block3_pool")
    (256, 28, 28)
    """
    check_layer(layer)
    height = int_at_least(height, "height", 1)
    width = height if width is None else int_at_least(width, "width", 1)
    pools = pools_through(layer)
    return layer_channels(layer), height >> pools, width >> pools


def pools_through(layer: str) -> int:
    names = list(VGG16_LAYERS)
    return sum(n.endswith("_pool") for n in names[: names.index(layer) + 1])


def output_index(layer: str) -> int:
    """Index in ``features`` of the module whose output is the layer's output (the ReLU for a conv)."""
    index = VGG16_LAYERS[check_layer(layer)]
    return index if layer.endswith("_pool") else index + 1


def conv_base(model: nn.Module) -> nn.Sequential:
    """The convolutional base of a VGG (the model itself if it is already ``.features``)."""
    features = getattr(model, "features", model)
    if not isinstance(features, nn.Sequential):
        raise TypeError("model must be a VGG16 from load_vgg16 (or its .features), "
                        f"got {type(model).__name__}")
    return features


def check_module(features: nn.Sequential, layer: str) -> None:
    index = VGG16_LAYERS[layer]
    expected = nn.MaxPool2d if layer.endswith("_pool") else nn.Conv2d
    if len(features) <= output_index(layer) or not isinstance(features[index], expected):
        raise ValueError(f"model does not look like VGG16: {layer} should be features[{index}], "
                         f"a {expected.__name__}; the model has {len(features)} feature modules")


def truncated(model: nn.Module, layer: str) -> nn.Sequential:
    """The network up to and including ``layer``'s output (its ReLU, for a conv).

    The returned :class:`torch.nn.Sequential` shares its modules (and so its
    weights) with ``model``; running it costs only the layers it contains.

    Parameters
    ----------
    model : torch.nn.Module
        VGG16 from :func:`load_vgg16`, with or without its classifier.
    layer : str
        A name from :data:`VGG16_LAYERS`.

    Examples
    --------
    >>> net = load_vgg16("random", device="cpu")
    >>> truncated(net, "block1_conv2")
    Sequential(
      (0): Conv2d(3, 64, kernel_size=(3, 3), stride=(1, 1), padding=(1, 1))
      (1): ReLU(inplace=True)
      (2): Conv2d(64, 64, kernel_size=(3, 3), stride=(1, 1), padding=(1, 1))
      (3): ReLU(inplace=True)
    )
    """
    features = conv_base(model)
    check_layer(layer)
    check_module(features, layer)
    part = nn.Sequential(*features[: output_index(layer) + 1])
    for attribute in ("cnncourse_weights", "cnncourse_weights_note"):
        if hasattr(model, attribute):
            setattr(part, attribute, getattr(model, attribute))
    return part
