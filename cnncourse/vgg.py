"""VGG16: loading its weights, naming its layers, and reading its feature maps.

The network is torchvision's VGG16. Its layers are named the Keras way
(``block1_conv1`` ... ``block5_pool``), as in the classic recipes this course
follows; :data:`VGG16_LAYERS` maps each name to the index of its module in
``vgg16().features``. As in Keras, a conv layer's *output* is taken after
its ReLU.

Weights (see :func:`load_vgg16` and :mod:`cnncourse.weights`) come from
torchvision's weights API, which keeps the file in torch's standard cache
(``$TORCH_HOME/hub/checkpoints``).
The ``CNNCOURSE_WEIGHTS`` environment variable chooses them: ``imagenet``,
``random`` (untrained, for offline tests) or a path to a state-dict file.
When it is unset the ImageNet weights are used if they can be had, and
untrained weights otherwise -- with a warning, and a banner
(:func:`weights_banner`) that the notebooks display so no reader mistakes
the pictures of an untrained network for those of a trained one.

:func:`feature_maps` runs the layers one after the other and keeps a copy of
the outputs it is asked for; it uses no hooks, so nothing is left registered
on the model, and it copies an output if the next module would overwrite it
in place, so VGG's in-place ReLUs cannot change a kept result.
"""

from __future__ import annotations

import functools
import os
import warnings
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import numpy as np
import torch
from torch import nn

from ._validate import int_at_least
from .images import load_image
from .weights import (
    WEIGHTS_ENV,
    UntrainedWeightsWarning,
    WeightsBanner,
    WeightsUnavailableError,
    _imagenet_weights,
    download_imagenet_weights,
    imagenet_state_dict,
    imagenet_weights_path,
    read_state_dict_file,
    weights_banner,
)

__all__ = [
    "VGG16_LAYERS",
    "IMAGENET_MEAN",
    "IMAGENET_STD",
    "WEIGHTS_ENV",
    "WeightsUnavailableError",
    "UntrainedWeightsWarning",
    "check_layer",
    "check_channel",
    "layer_channels",
    "layer_output_shape",
    "receptive_field",
    "truncated",
    "load_vgg16",
    "imagenet_weights_path",
    "download_imagenet_weights",
    "weights_banner",
    "WeightsBanner",
    "preprocess",
    "feature_maps",
    "top_classes",
]

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

IMAGENET_MEAN = (0.485, 0.456, 0.406)
"""Per-channel mean of ImageNet's RGB images (in [0, 1]), used by :func:`preprocess`."""
IMAGENET_STD = (0.229, 0.224, 0.225)
"""Per-channel standard deviation of ImageNet's RGB images, used by :func:`preprocess`."""

_RANDOM_SEED = 0


def check_layer(name: Any) -> str:
    """Return ``name`` if it is a VGG16 layer name; otherwise list the valid names.

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

    Examples
    --------
    >>> layer_channels("block1_conv1"), layer_channels("block5_pool")
    (64, 512)
    """
    return _TABLE[check_layer(layer)][1]


def check_channel(layer: str, index: Any, name: str = "channel") -> int:
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

    Examples
    --------
    >>> receptive_field("block1_conv1"), receptive_field("block1_conv2"), receptive_field("block5_pool")
    (3, 5, 212)
    """
    return _TABLE[check_layer(layer)][2]


def layer_output_shape(layer: str, height: int = 224, width: int | None = None) -> tuple[int, int, int]:
    """Shape ``(C, H, W)`` of ``layer``'s output for an input of ``height`` x ``width`` pixels.

    Convs keep height and width (3x3, padding 1); each pooling halves them,
    rounding down.

    Examples
    --------
    >>> layer_output_shape("block3_pool")
    (256, 28, 28)
    """
    check_layer(layer)
    height = int_at_least(height, "height", 1)
    width = height if width is None else int_at_least(width, "width", 1)
    pools = _pools_through(layer)
    return layer_channels(layer), height >> pools, width >> pools


def _pools_through(layer: str) -> int:
    names = list(VGG16_LAYERS)
    return sum(n.endswith("_pool") for n in names[: names.index(layer) + 1])


def _output_index(layer: str) -> int:
    """Index in ``features`` of the module whose output is the layer's output (the ReLU for a conv)."""
    index = VGG16_LAYERS[check_layer(layer)]
    return index if layer.endswith("_pool") else index + 1


def _features(model: nn.Module) -> nn.Sequential:
    """The convolutional base of a VGG (the model itself if it is already ``.features``)."""
    features = getattr(model, "features", model)
    if not isinstance(features, nn.Sequential):
        raise TypeError("model must be a VGG16 from load_vgg16 (or its .features), "
                        f"got {type(model).__name__}")
    return features


def _check_module(features: nn.Sequential, layer: str) -> None:
    index = VGG16_LAYERS[layer]
    expected = nn.MaxPool2d if layer.endswith("_pool") else nn.Conv2d
    if len(features) <= _output_index(layer) or not isinstance(features[index], expected):
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
    features = _features(model)
    check_layer(layer)
    _check_module(features, layer)
    part = nn.Sequential(*features[: _output_index(layer) + 1])
    for attribute in ("cnncourse_weights", "cnncourse_weights_note"):
        if hasattr(model, attribute):
            setattr(part, attribute, getattr(model, attribute))
    return part


# -- Loading the weights ----------------------------------------------------
def _meta_vgg16(include_top: bool) -> nn.Module:
    """VGG16's modules on the meta device: shapes only, no memory, no wasted initialization.

    Loaded weights are then *assigned* to it (no second copy in memory, which
    matters for the 0.5 GB classifier); random weights fill ``to_empty``.
    """
    from torchvision.models import vgg16

    with torch.device("meta"):
        model = vgg16(weights=None, init_weights=False)
    return model if include_top else model.features


def _init_random(model: nn.Module, seed: int) -> nn.Module:
    """torchvision's VGG initialization, seeded; the conv base comes first, so it is the same with or without top."""
    model = model.to_empty(device="cpu")
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(seed)
        with torch.no_grad():
            for module in model.modules():
                if isinstance(module, nn.Conv2d):
                    nn.init.kaiming_normal_(module.weight, mode="fan_out", nonlinearity="relu")
                    nn.init.zeros_(module.bias)
                elif isinstance(module, nn.Linear):
                    nn.init.normal_(module.weight, 0, 0.01)
                    nn.init.zeros_(module.bias)
    return model


def _load_state(model: nn.Module, state: Any, source: str, include_top: bool) -> None:
    """Copy ``state`` into ``model`` after checking every name and shape, with a clear message if not."""
    if not isinstance(state, Mapping) or not all(isinstance(v, torch.Tensor) for v in state.values()):
        raise ValueError(f"{source} does not hold a state dict (a mapping of names to tensors), "
                         f"got {type(state).__name__}")
    state = dict(state)
    if not include_top:
        if any(k.startswith("features.") for k in state):  # a full VGG16: keep its conv base
            state = {k[len("features."):]: v for k, v in state.items() if k.startswith("features.")}
    elif state and not any(k.startswith("classifier.") for k in state):
        raise ValueError(f"{source} holds no classifier weights: load it with include_top=False")
    expected = model.state_dict()
    missing = [k for k in expected if k not in state]
    unexpected = [k for k in state if k not in expected]
    wrong = [f"{k} {tuple(state[k].shape)} (VGG16 needs {tuple(v.shape)})"
             for k, v in expected.items() if k in state and state[k].shape != v.shape]
    if missing or unexpected or wrong:
        problems = []
        for label, items in (("missing", missing), ("unexpected", unexpected), ("wrong shape", wrong)):
            if items:
                more = f" and {len(items) - 5} more" if len(items) > 5 else ""
                problems.append(f"{label}: {', '.join(items[:5])}{more}")
        raise ValueError(f"{source} does not match VGG16{'' if include_top else ' (convolutional base)'}: "
                         + "; ".join(problems))
    model.load_state_dict({k: v.float().contiguous() for k, v in state.items()}, assign=True)


def _resolve_device(device: Any) -> torch.device:
    if device is None:
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    try:
        return torch.device(device)
    except (RuntimeError, TypeError) as exc:
        raise ValueError(f"device must be a torch device such as 'cpu' or 'cuda', got {device!r}") from exc


@functools.cache
def _warn_untrained_once(message: str) -> None:
    """Warn about the fallback once per session, however many cells load VGG16 (the banner stays)."""
    warnings.warn(message, UntrainedWeightsWarning, stacklevel=3)


def load_vgg16(weights: str | os.PathLike | None = None, *, include_top: bool = False,
               device: Any = None) -> nn.Module:
    """VGG16, ready to look at: eval mode, gradients of its parameters off.

    Parameters
    ----------
    weights : {"imagenet", "random"}, path or None, optional
        * ``"imagenet"``: torchvision's ``VGG16_Weights.IMAGENET1K_V1``, from
          torch's cache (``$TORCH_HOME/hub/checkpoints``), downloaded there
          if missing; if that fails, :class:`WeightsUnavailableError` says
          why and how to fix it.
        * ``"random"``: untrained, initialized as torchvision does, always
          with the same seed (the same weights on every call).
        * a path to a state-dict file (``torch.save(model.state_dict())`` of
          a VGG16 or of its ``.features``), loaded with ``weights_only=True``.
        * ``None`` (default): the ``CNNCOURSE_WEIGHTS`` environment variable
          (one of the above); if it is unset, ImageNet when it can be had,
          else untrained weights with an :class:`UntrainedWeightsWarning`.
    include_top : bool, optional
        ``False`` (default): the convolutional base (``model.features``),
        which accepts any input of at least 32x32 pixels. ``True``: the whole
        classifier (1000 ImageNet classes).
    device : str or torch.device, optional
        Default: CUDA when available, else CPU.

    Returns
    -------
    torch.nn.Module
        With two extra attributes: ``cnncourse_weights`` (``"imagenet"``,
        ``"random"`` or the file's path) and ``cnncourse_weights_note`` (why
        untrained weights were used, or ``""``). Show
        :func:`weights_banner` of it in a notebook.

    Raises
    ------
    WeightsUnavailableError
        ``"imagenet"`` asked for, but the weights are not cached and cannot be downloaded.
    ValueError
        Unknown ``weights``, or a corrupt or mismatched weights file.
    FileNotFoundError
        A weights path that does not exist.

    Examples
    --------
    >>> net = load_vgg16("random", device="cpu")
    >>> net(torch.zeros(1, 3, 32, 32)).shape
    torch.Size([1, 512, 1, 1])
    >>> net.cnncourse_weights
    'random'
    """
    if not isinstance(include_top, bool):
        raise TypeError(f"include_top must be True or False, got {include_top!r}")
    target = _resolve_device(device)
    note = ""
    if weights is None:
        weights = os.environ.get(WEIGHTS_ENV, "").strip() or None
        source_label = f"{WEIGHTS_ENV}={weights!r}"
    else:
        source_label = f"weights={weights!r}"
    if weights is not None and not isinstance(weights, (str, os.PathLike)):
        raise TypeError(f"weights must be 'imagenet', 'random', a path or None, got {type(weights).__name__}")

    model = _meta_vgg16(include_top)
    if weights is None:
        try:
            state = imagenet_state_dict()
        except (WeightsUnavailableError, ValueError) as exc:
            # The banner says why in plain words; the warning keeps the details.
            note = ("the ImageNet weights are not in torch's cache and could not be downloaded"
                    if isinstance(exc, WeightsUnavailableError) else
                    "the ImageNet weights file in torch's cache could not be read")
            _warn_untrained_once(f"Using an UNTRAINED VGG16 (random weights): {exc}")
            kind = "random"
            model = _init_random(model, _RANDOM_SEED)
        else:
            kind = "imagenet"
            _load_state(model, state, f"the ImageNet weights file {imagenet_weights_path()}", include_top)
    elif isinstance(weights, str) and weights.lower() == "imagenet":
        kind = "imagenet"
        _load_state(model, imagenet_state_dict(), f"the ImageNet weights file {imagenet_weights_path()}",
                    include_top)
    elif isinstance(weights, str) and weights.lower() == "random":
        kind = "random"
        model = _init_random(model, _RANDOM_SEED)
    else:
        path = Path(os.fspath(weights)).expanduser()
        if not path.exists():
            raise FileNotFoundError(
                f"{source_label} is neither 'imagenet', 'random' nor an existing file: "
                f"no file at {str(path)!r}")
        kind = str(path)
        _load_state(model, read_state_dict_file(path), f"weights file {str(path)!r}", include_top)

    model = model.to(target).eval()
    model.requires_grad_(False)
    model.cnncourse_weights = kind
    model.cnncourse_weights_note = note
    return model


# -- Feature maps -------------------------------------------------------------


def preprocess(image: Any) -> torch.Tensor:
    """An image as VGG16's input: a ``(1, 3, H, W)`` float tensor, normalized as for ImageNet.

    Parameters
    ----------
    image : path, PIL image, array or tensor
        A path, a PIL image or an ``(H, W)``, ``(H, W, 3)`` or ``(H, W, 4)``
        array (uint8, or floats in [0, 1]) -- see
        :func:`cnncourse.images.load_image` -- or a ``(3, H, W)`` tensor
        with values in [0, 1] (``(1, H, W)`` and ``(4, H, W)`` are converted;
        a uint8 tensor is divided by 255).

    Returns
    -------
    torch.Tensor, shape (1, 3, H, W), float32
        ``(image - mean) / std`` with :data:`IMAGENET_MEAN` and :data:`IMAGENET_STD`.

    Examples
    --------
    >>> preprocess(np.zeros((40, 50, 3), dtype=np.uint8)).shape
    torch.Size([1, 3, 40, 50])
    """
    if isinstance(image, torch.Tensor):
        tensor = image.detach().cpu()
        if tensor.ndim == 4 and tensor.shape[0] == 1:
            tensor = tensor[0]
        if tensor.ndim != 3 or tensor.shape[0] not in (1, 3, 4) or 0 in tensor.shape:
            raise ValueError(f"image tensor must have shape (3, H, W), got {tuple(image.shape)}")
        if tensor.dtype == torch.uint8:
            tensor = tensor.float() / 255
        elif not tensor.is_floating_point():
            raise TypeError(f"image tensor must be float with values in [0, 1] or uint8, got {tensor.dtype}")
        tensor = tensor.float()
        if not torch.isfinite(tensor).all():
            raise ValueError("image tensor contains NaN or infinite values")
        low, high = float(tensor.min()), float(tensor.max())
        if low < -1e-3 or high > 1 + 1e-3:
            raise ValueError(f"image tensor values must be in [0, 1], got values from {low:g} to {high:g} "
                             "(divide 0-255 values by 255)")
        tensor = tensor[:3] if tensor.shape[0] != 1 else tensor.expand(3, -1, -1)
    else:
        tensor = torch.from_numpy(load_image(image).copy()).permute(2, 0, 1).float() / 255
    mean = torch.tensor(IMAGENET_MEAN).view(3, 1, 1)
    std = torch.tensor(IMAGENET_STD).view(3, 1, 1)
    return ((tensor - mean) / std).unsqueeze(0).contiguous()


def _device_of(model: nn.Module) -> torch.device:
    parameter = next(model.parameters(), None)
    return parameter.device if parameter is not None else torch.device("cpu")


def _layer_list(layers: str | Iterable[str] | None) -> list[str]:
    if layers is None:
        return list(VGG16_LAYERS)
    if isinstance(layers, str):
        layers = [layers]
    names = list(dict.fromkeys(check_layer(name) for name in layers))
    if not names:
        raise ValueError(f"layers must name at least one layer; valid names are: {', '.join(VGG16_LAYERS)}")
    return names


def feature_maps(model: nn.Module, image: Any, layers: str | Iterable[str] | None = None
                 ) -> dict[str, torch.Tensor]:
    """The outputs of VGG16's layers for one image.

    The layers run one after the other up to the deepest one asked for, and
    each requested output is kept (no hooks, so nothing stays registered on
    the model; an output is copied if the next module works in place, so the
    in-place ReLUs cannot overwrite a kept map). A conv layer's output is
    taken after its ReLU.

    Parameters
    ----------
    model : torch.nn.Module
        VGG16 from :func:`load_vgg16` (with or without its classifier).
    image : path, PIL image, array or tensor
        Anything :func:`preprocess` accepts; at least 32x32 pixels for the
        deepest layers (each pooling halves the size).
    layers : str or list of str, optional
        Names from :data:`VGG16_LAYERS`; default all 18, in order.

    Returns
    -------
    dict of str to torch.Tensor
        Layer name (in the order asked) to its ``(C, H, W)`` output, on the CPU.

    Raises
    ------
    ValueError
        For an unknown layer (the message lists the valid names) or an image too small.

    Examples
    --------
    >>> net = load_vgg16("random", device="cpu")
    >>> maps = feature_maps(net, np.zeros((64, 64, 3), dtype=np.uint8), ["block1_conv1", "block2_pool"])
    >>> {name: tuple(m.shape) for name, m in maps.items()}
    {'block1_conv1': (64, 64, 64), 'block2_pool': (128, 16, 16)}
    """
    names = _layer_list(layers)
    features = _features(model)
    for name in names:
        _check_module(features, name)
    x = preprocess(image)
    deepest = max(names, key=_output_index)
    need = 2 ** _pools_through(deepest)
    if min(x.shape[-2:]) < need:
        raise ValueError(f"image is {x.shape[-2]}x{x.shape[-1]} pixels; {deepest} needs at least "
                         f"{need}x{need} (each pooling halves the size)")
    wanted = {_output_index(name): name for name in names}
    parameter = next(features.parameters(), None)
    x = x.to(device=_device_of(features), dtype=parameter.dtype if parameter is not None else torch.float32)
    kept: dict[str, torch.Tensor] = {}
    last = max(wanted)
    with torch.no_grad():
        for index in range(last + 1):
            x = features[index](x)
            if index in wanted:
                # Keep a copy only if the next module would overwrite x in place (a ReLU after a
                # conv); VGG's kept outputs feed a conv or a pooling, which leave them alone.
                overwrites = index < last and getattr(features[index + 1], "inplace", False)
                kept[wanted[index]] = x[0].to("cpu", copy=overwrites)
    return {name: kept[name] for name in names}


def top_classes(model: nn.Module, image: Any, k: int = 5) -> list[tuple[str, float]]:
    """The ``k`` most probable ImageNet classes of an image, with their probabilities.

    The image is prepared as for ImageNet's evaluation: shorter side resized
    to 256 pixels, the central 224x224 square, normalized.

    Parameters
    ----------
    model : torch.nn.Module
        VGG16 *with* its classifier: ``load_vgg16(include_top=True)``.
    image : path, PIL image, array or tensor
        Anything :func:`preprocess` accepts.
    k : int, optional
        How many classes (1 to 1000).

    Returns
    -------
    list of (str, float)
        Category names (``VGG16_Weights.IMAGENET1K_V1.meta["categories"]``)
        and probabilities, most probable first.

    Examples
    --------
    >>> net = load_vgg16("random", include_top=True, device="cpu")
    >>> len(top_classes(net, np.zeros((64, 64, 3), dtype=np.uint8), k=3))
    3
    """
    from torchvision.transforms import functional as TF

    if not hasattr(model, "classifier"):
        raise ValueError("top_classes needs the whole network: load it with load_vgg16(include_top=True)")
    categories = _imagenet_weights().meta["categories"]
    k = int_at_least(k, "k", 1)
    if k > len(categories):
        raise ValueError(f"k must be at most {len(categories)}, got {k}")
    x = preprocess(image)
    x = TF.center_crop(TF.resize(x, 256, antialias=True), [224, 224])
    x = x.to(_device_of(model))
    with torch.no_grad():
        probabilities = torch.softmax(model(x)[0].float(), dim=0).cpu()
    values, indices = probabilities.topk(k)
    return [(categories[int(i)], float(v)) for v, i in zip(values, indices)]
