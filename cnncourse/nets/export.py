"""Chapter 4's small CNN for a web page: its weights and a few images, in a small documented format.

The website runs the network trained in the same build in the reader's
browser (``_static/cnn-net.js``); :func:`export_network` writes what that
script needs, as one JSON object embedded in the page (no separate request):

``format``
    ``"cnncourse-net/1"``.
``classes``
    The class names, in the order of the outputs.
``input``
    ``[channels, height, width]`` of one input image.
``stages``
    One object per stage, in order, each with ``name`` and ``kind``:
    ``"conv"`` (``in``, ``out``, ``kernel``, ``padding``, ``stride``; its
    tensors ``<name>.weight``, shape (out, in, kernel, kernel), and
    ``<name>.bias``), ``"relu"``, ``"maxpool"`` (``window``, ``stride``),
    ``"flatten"`` (channel by channel, row by row, as ``torch.flatten``) and
    ``"linear"`` (``in``, ``out``; ``<name>.weight``, shape (out, in), and
    ``<name>.bias``).
``tensors``
    Name -> ``{"shape": [...], "offset": k}``: the tensor is the
    ``prod(shape)`` numbers from number ``k`` of ``data``, in C order.
``data``
    Every tensor's numbers, float32 little-endian, base64.

:func:`export_examples` encodes a few images per class (8 bits per pixel, for
the explorer's "start from a validation image"), :func:`load_network` reads
the format back into a :class:`~cnncourse.nets.smallcnn.SmallCNN`.
"""

from __future__ import annotations

import base64
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import torch
from torch import nn

from ..core.validate import int_at_least
from .smallcnn import SmallCNN

FORMAT = "cnncourse-net/1"
"""The ``format`` field of :func:`export_network`'s object."""


def _pair(value: Any) -> int:
    pair = (value, value) if isinstance(value, int) else tuple(value)
    if len(set(pair)) != 1:
        raise ValueError(f"only square kernels, windows, paddings and strides can be exported, got {pair}")
    return int(pair[0])


def _stage(name: str, module: nn.Module) -> dict[str, Any]:
    if isinstance(module, nn.Conv2d):
        if module.groups != 1 or _pair(module.dilation) != 1 or module.bias is None \
                or module.padding_mode != "zeros":
            raise ValueError(f"stage {name!r}: only plain convolutions (no groups, dilation, other padding "
                             "modes, with a bias) can be exported")
        return {"name": name, "kind": "conv", "in": module.in_channels, "out": module.out_channels,
                "kernel": _pair(module.kernel_size), "padding": _pair(module.padding),
                "stride": _pair(module.stride)}
    if isinstance(module, nn.ReLU):
        return {"name": name, "kind": "relu"}
    if isinstance(module, nn.MaxPool2d):
        if _pair(module.padding) != 0 or _pair(module.dilation) != 1 or module.ceil_mode:
            raise ValueError(f"stage {name!r}: only max pooling without padding, dilation or ceil_mode "
                             "can be exported")
        return {"name": name, "kind": "maxpool", "window": _pair(module.kernel_size),
                "stride": _pair(module.stride)}
    if isinstance(module, nn.Flatten):
        return {"name": name, "kind": "flatten"}
    if isinstance(module, nn.Linear):
        if module.bias is None:
            raise ValueError(f"stage {name!r}: a linear layer without a bias cannot be exported")
        return {"name": name, "kind": "linear", "in": module.in_features, "out": module.out_features}
    raise ValueError(f"stage {name!r} is a {type(module).__name__}; valid stages are Conv2d, ReLU, "
                     "MaxPool2d, Flatten and Linear")


def export_network(model: nn.Sequential, classes: Sequence[str], *, side: int = 32,
                   in_channels: int = 1) -> dict[str, Any]:
    """The network's stages and weights as one JSON-ready object (the format of this module's docstring).

    Parameters
    ----------
    model : torch.nn.Sequential
        A :class:`~cnncourse.nets.smallcnn.SmallCNN` or any sequence of named
        ``Conv2d``, ``ReLU``, ``MaxPool2d``, ``Flatten`` and ``Linear`` stages.
    classes : sequence of str
        The class names, one per output of the last stage.
    side : int, optional
        Height and width of the input images.
    in_channels : int, optional
        Channels of the input images.

    Returns
    -------
    dict
        ``format``, ``classes``, ``input``, ``stages``, ``tensors`` and ``data``.

    Raises
    ------
    ValueError
        A stage of another kind, or ``classes`` that do not match the outputs.

    Examples
    --------
    >>> from cnncourse import SHAPE_CLASSES
    >>> net = export_network(SmallCNN(), SHAPE_CLASSES)
    >>> [s["name"] for s in net["stages"]][:3], net["tensors"]["conv2.weight"]
    (['conv1', 'relu1', 'pool1'], {'shape': [16, 8, 3, 3], 'offset': 208})
    """
    if not isinstance(model, nn.Sequential):
        raise TypeError(f"model must be a torch.nn.Sequential, got {type(model).__name__}")
    stages, tensors, parts, offset = [], {}, [], 0
    for name, module in model.named_children():
        stages.append(_stage(name, module))
        for kind in ("weight", "bias"):
            if stages[-1]["kind"] in ("conv", "linear"):
                values = getattr(module, kind).detach().to("cpu", torch.float32).numpy()
                tensors[f"{name}.{kind}"] = {"shape": list(values.shape), "offset": offset}
                parts.append(values.ravel())
                offset += values.size
    outputs = next((s["out"] for s in reversed(stages) if s["kind"] in ("conv", "linear")), None)
    classes = [str(c) for c in classes]
    if outputs != len(classes):
        raise ValueError(f"classes must name each of the model's {outputs} outputs, got {len(classes)} names")
    data = np.concatenate(parts).astype("<f4").tobytes() if parts else b""
    return {"format": FORMAT, "classes": classes,
            "input": [int_at_least(in_channels, "in_channels", 1), int_at_least(side, "side", 1),
                      int_at_least(side, "side", 1)],
            "stages": stages, "tensors": tensors, "data": base64.b64encode(data).decode("ascii")}


def load_network(network: Mapping[str, Any]) -> SmallCNN:
    """A :class:`~cnncourse.nets.smallcnn.SmallCNN` with the weights of an exported network.

    Parameters
    ----------
    network : mapping
        What :func:`export_network` returned (or its JSON, parsed), for a
        network of :class:`~cnncourse.nets.smallcnn.SmallCNN`'s shape.

    Returns
    -------
    SmallCNN
        The same weights, exactly (float32).

    Examples
    --------
    >>> from cnncourse import SHAPE_CLASSES
    >>> model = SmallCNN()
    >>> copy = load_network(export_network(model, SHAPE_CLASSES))
    >>> torch.equal(copy.conv2.weight, model.conv2.weight)
    True
    """
    if not isinstance(network, Mapping) or network.get("format") != FORMAT:
        raise ValueError(f"network must be an object of format {FORMAT!r} (see export_network)")
    convs = [s for s in network["stages"] if s["kind"] == "conv"]
    model = SmallCNN(len(network["classes"]), channels=[s["out"] for s in convs],
                     kernel_sizes=[s["kernel"] for s in convs], side=network["input"][1],
                     in_channels=network["input"][0])
    numbers = np.frombuffer(base64.b64decode(network["data"]), dtype="<f4")
    state = {}
    for name, where in network["tensors"].items():
        size = int(np.prod(where["shape"]))
        state[name] = torch.from_numpy(numbers[where["offset"]:where["offset"] + size].copy()
                                       .reshape(where["shape"]))
    model.load_state_dict(state)
    return model


def export_examples(images: Any, labels: Any, *, per_class: int = 3) -> dict[str, Any]:
    """The first ``per_class`` images of every class, 8 bits per pixel, for a web page.

    Parameters
    ----------
    images : array_like or torch.Tensor, shape (N, 1, H, W) or (N, H, W)
        Grayscale images with values in [0, 1] (such as chapter 4's
        validation images).
    labels : array_like or torch.Tensor, shape (N,)
        Their class indices.
    per_class : int, optional
        How many images of each class, at least 1 (fewer where a class has fewer).

    Returns
    -------
    dict
        ``shape`` ``[n, H, W]``, ``labels`` (one per image, class by class) and
        ``data``: the pixels as bytes ``round(255 * value)``, base64.

    Examples
    --------
    >>> examples = export_examples(torch.rand(12, 1, 32, 32), [0, 1] * 6, per_class=2)
    >>> examples["shape"], examples["labels"]
    ([4, 32, 32], [0, 0, 1, 1])
    """
    per_class = int_at_least(per_class, "per_class", 1)
    x = np.asarray(images.detach().cpu() if isinstance(images, torch.Tensor) else images, dtype=np.float64)
    y = np.asarray(labels.cpu() if isinstance(labels, torch.Tensor) else labels).astype(np.int64)
    if x.ndim == 4 and x.shape[1] == 1:
        x = x[:, 0]
    if x.ndim != 3 or len(y) != len(x):
        raise ValueError(f"images must have shape (N, 1, H, W) or (N, H, W) with one label each, got "
                         f"{x.shape} and {len(y)} labels")
    if not np.isfinite(x).all() or x.min() < 0 or x.max() > 1:
        raise ValueError("images must have values in [0, 1]")
    chosen = [int(i) for k in sorted(set(y.tolist())) for i in np.flatnonzero(y == k)[:per_class]]
    pixels = np.round(x[chosen] * 255).astype(np.uint8)
    return {"shape": list(pixels.shape), "labels": [int(y[i]) for i in chosen],
            "data": base64.b64encode(pixels.tobytes()).decode("ascii")}


def decode_examples(examples: Mapping[str, Any]) -> tuple[np.ndarray, np.ndarray]:
    """The images and labels of :func:`export_examples`, as the page decodes them.

    Parameters
    ----------
    examples : mapping
        What :func:`export_examples` returned.

    Returns
    -------
    images : numpy.ndarray, shape (n, H, W), float32
        ``byte / 255``.
    labels : numpy.ndarray, shape (n,), int64

    Examples
    --------
    >>> images, labels = decode_examples(export_examples(torch.ones(2, 1, 4, 4), [3, 3]))
    >>> images.shape, float(images.max()), labels.tolist()
    ((2, 4, 4), 1.0, [3, 3])
    """
    pixels = np.frombuffer(base64.b64decode(examples["data"]), dtype=np.uint8).reshape(examples["shape"])
    return (pixels.astype(np.float32) / np.float32(255)), np.asarray(examples["labels"], dtype=np.int64)
