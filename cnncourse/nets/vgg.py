"""VGG16 with its weights, and images prepared as its input.

Weights (see :func:`load_vgg16` and :mod:`cnncourse.nets.weights`) come from
torchvision's weights API, which keeps the file in torch's standard cache
(``$TORCH_HOME/hub/checkpoints``).
The ``CNNCOURSE_WEIGHTS`` environment variable chooses them: ``imagenet``,
``random`` (untrained, for offline tests) or a path to a state-dict file.
When it is unset the ImageNet weights are used if they can be had, and
untrained weights otherwise -- with a warning, and a banner
(:func:`~cnncourse.nets.weights.weights_banner`) that the notebooks display so no
reader mistakes the pictures of an untrained network for those of a trained one.
"""

from __future__ import annotations

import functools
import os
import warnings
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np
import torch
from torch import nn

from ..ops.images import load_image
from .weights import (
    WEIGHTS_ENV,
    UntrainedWeightsWarning,
    WeightsUnavailableError,
    imagenet_state_dict,
    imagenet_weights_path,
    read_state_dict_file,
)

IMAGENET_MEAN = (0.485, 0.456, 0.406)
"""Per-channel mean of ImageNet's RGB images (in [0, 1]), used by :func:`preprocess`."""
IMAGENET_STD = (0.229, 0.224, 0.225)
"""Per-channel standard deviation of ImageNet's RGB images, used by :func:`preprocess`."""

_RANDOM_SEED = 0


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
        Unknown ``weights`` (neither a valid name nor an existing file; the
        message lists the valid choices), or a corrupt or mismatched weights file.

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
            raise ValueError(
                f"{source_label} is not a valid choice: use 'imagenet', 'random' or the path of an "
                f"existing state-dict file (there is no file at {str(path)!r})")
        kind = str(path)
        _load_state(model, read_state_dict_file(path), f"weights file {str(path)!r}", include_top)

    model = model.to(target).eval()
    model.requires_grad_(False)
    model.cnncourse_weights = kind
    model.cnncourse_weights_note = note
    return model


def preprocess(image: Any) -> torch.Tensor:
    """An image as VGG16's input: a ``(1, 3, H, W)`` float tensor, normalized as for ImageNet.

    Parameters
    ----------
    image : path, PIL image, array or tensor
        A path, a PIL image or an ``(H, W)``, ``(H, W, 3)`` or ``(H, W, 4)``
        array (uint8, or floats in [0, 1]) -- see
        :func:`cnncourse.ops.images.load_image` -- or a ``(3, H, W)`` tensor
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


def photo_of(image: Any) -> np.ndarray:
    """The photo that :func:`preprocess` shows VGG16, as ``(H, W, 3)`` uint8 (to draw beside its maps).

    Parameters
    ----------
    image : path, PIL image, array or tensor
        Anything :func:`preprocess` accepts; a ``(3, H, W)`` tensor is read as
        values in [0, 1], or 0-255 if it is not floating point.

    Returns
    -------
    numpy.ndarray, shape (H, W, 3), uint8

    Examples
    --------
    >>> photo_of(torch.ones(3, 2, 4)).shape, int(photo_of(torch.ones(3, 2, 4)).max())
    ((2, 4, 3), 255)
    """
    if isinstance(image, torch.Tensor):
        array = image.detach().cpu()
        array = array[0] if array.ndim == 4 else array
        array = array.float() / 255 if not array.is_floating_point() else array.float()
        return load_image(array.clamp(0, 1).permute(1, 2, 0).numpy())
    return load_image(image)
