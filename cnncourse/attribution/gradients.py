"""Where the network looks: gradient saliency, SmoothGrad and Grad-CAM for one image and one class.

Each method answers "which pixels matter for the score of class ``target``?"
with an ``(H, W)`` map the size of the input:

* :func:`saliency` -- the gradient of the class score with respect to the
  input pixels (Simonyan et al., 2014), and its average over noisy copies of
  the input, SmoothGrad (Smilkov et al., 2017);
* :func:`grad_cam` -- the feature maps of one layer weighted by how much the
  class score grows with each of them (Selvaraju et al., 2017);
* :func:`~cnncourse.attribution.occlusion.occlusion` (its own module) -- how much the
  class probability drops when a square of the image is hidden.

The score is the model's output for ``target`` before the softmax (the
logit). One forward and one backward pass per map: gradients are taken with
:func:`torch.autograd.grad` with respect to the input or to the layer's
output only, so no parameter gets a ``.grad`` and their ``requires_grad``
stays as it was (VGG16 from :func:`load_vgg16` has it off). A layer's output
is recorded with :func:`~cnncourse.featureviz.hooks.capture`, whose hook is removed even
when the call fails.

Examples
--------
>>> net = SmallCNN()
>>> image = torch.rand(1, 32, 32)
>>> saliency(net, image, 2).shape, grad_cam(net, image, 2, layer="relu2").shape
((32, 32), (32, 32))
"""

from __future__ import annotations

from typing import Any

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from ..core.validate import finite_number, int_at_least
from ..featureviz.hooks import capture
from ..featureviz.parameterization import VGG16_PIXELS
from ..ops.images import load_image
from ..core.progress import CallbackBar, Progress
from ..core.torchutil import device_of, dtype_of, evaluating
from ..nets.vgg import preprocess
from ..nets.vgg_layers import VGG16_LAYERS, check_module, output_index

PIXEL_BUDGET = 2 * 224 * 224
"""Pixels per batch of noisy copies (SmoothGrad): two 224x224 images, about 0.2 GB of VGG16 activations
kept for the backward pass (the chapters run in 2 GB)."""


# -- What the model sees, and which class -------------------------------------------------
def model_input(model: nn.Module, image: Any) -> torch.Tensor:
    """The batch of one that ``model`` is given: a tensor as it is, anything else through :func:`preprocess`.

    Parameters
    ----------
    model : torch.nn.Module
        The classifier; the batch goes to its device and dtype.
    image : torch.Tensor, path, PIL image or array
        A float tensor is the model's input itself, shape ``(H, W)``,
        ``(C, H, W)`` or ``(1, C, H, W)`` (a :class:`SmallCNN` image in
        [0, 1], or ``preprocess(photo)`` for VGG16). Anything else is a
        photo for VGG16, prepared by :func:`preprocess`.

    Returns
    -------
    torch.Tensor, shape (1, C, H, W)

    Examples
    --------
    >>> model_input(SmallCNN(), torch.zeros(32, 32)).shape
    torch.Size([1, 1, 32, 32])
    >>> model_input(SmallCNN(), np.zeros((8, 8, 3), np.uint8)).shape  # a photo: normalized for VGG16
    torch.Size([1, 3, 8, 8])
    """
    if not isinstance(model, nn.Module):
        raise TypeError(f"model must be a torch.nn.Module, got {type(model).__name__}")
    if isinstance(image, torch.Tensor):
        x = image.detach()
        x = x[None, None] if x.ndim == 2 else x[None] if x.ndim == 3 else x
        if x.ndim != 4 or x.shape[0] != 1 or 0 in x.shape:
            raise ValueError(f"image tensor must have shape (H, W), (C, H, W) or (1, C, H, W), "
                             f"got {tuple(image.shape)}")
        if not x.is_floating_point():
            raise TypeError(f"image tensor must be float (the model's input), got {x.dtype}; "
                            "pass a photo as an array to have it preprocessed for VGG16")
        if not torch.isfinite(x).all():
            raise ValueError("image tensor contains NaN or infinite values")
    else:
        x = preprocess(image)
    return x.to(device=device_of(model), dtype=dtype_of(model)).contiguous()


def class_scores(logits: Any, target: Any) -> torch.Tensor:
    """Column ``target`` of a model's ``(N, classes)`` output, after checking that the class exists.

    Examples
    --------
    >>> class_scores(torch.tensor([[1.0, 2.0, 3.0]]), 2)
    tensor([3.])
    """
    if not isinstance(logits, torch.Tensor) or logits.ndim != 2:
        shape = tuple(logits.shape) if isinstance(logits, torch.Tensor) else type(logits).__name__
        raise ValueError(f"model must return class scores of shape (N, classes), got {shape}")
    classes = logits.shape[1]
    if isinstance(target, (bool, np.bool_)) or not isinstance(target, (int, np.integer)):
        raise TypeError(f"target must be a class index (int), got {target!r}")
    if not 0 <= target < classes:
        raise ValueError(f"target must be a class index from 0 to {classes - 1} (the model has "
                         f"{classes} classes), got {target}")
    return logits[:, int(target)]


# -- Saliency and SmoothGrad ----------------------------------------------------------------
def _input_gradient(model: nn.Module, batch: torch.Tensor, target: Any) -> torch.Tensor:
    """d score_target / d input for every image of the batch: one forward, one backward."""
    batch = batch.detach().requires_grad_(True)
    with torch.enable_grad():
        scores = class_scores(model(batch), target)
        (gradient,) = torch.autograd.grad(scores.sum(), batch)
    return gradient


def class_probabilities(model: nn.Module, image: Any) -> np.ndarray:
    """The softmax of ``model``'s class scores for one image (of :func:`model_input`), in eval mode.

    Parameters
    ----------
    model : torch.nn.Module
        The classifier.
    image : torch.Tensor, path, PIL image or array
        As for :func:`model_input`.

    Returns
    -------
    numpy.ndarray, shape (classes,), float32

    Examples
    --------
    >>> p = class_probabilities(SmallCNN(), torch.zeros(32, 32))
    >>> p.shape, bool(abs(p.sum() - 1) < 1e-5)
    ((6,), True)
    """
    with torch.no_grad(), evaluating(model):
        logits = model(model_input(model, image)).float()
    return torch.softmax(logits[0], dim=0).cpu().numpy()


def input_picture(image: Any) -> np.ndarray:
    """The picture of an input of :func:`model_input`, to draw under its map.

    Parameters
    ----------
    image : torch.Tensor, path, PIL image or array
        As for :func:`model_input`. A tensor is the model's input: one channel
        is gray; three with values outside [0, 1] are a preprocessed photo,
        whose normalization is undone.

    Returns
    -------
    numpy.ndarray
        ``(H, W, 3)`` uint8, or ``(H, W)`` floats in [0, 1] for one channel.

    Examples
    --------
    >>> input_picture(torch.full((1, 4, 4), 2.0)).max(), input_picture(preprocess(np.zeros((2, 2, 3), np.uint8))).max()
    (np.float32(1.0), np.uint8(0))
    """
    if not isinstance(image, torch.Tensor):
        return load_image(image)
    array = image.detach().cpu().float()
    array = array[None] if array.ndim == 2 else array[0] if array.ndim == 4 else array
    if array.ndim != 3 or array.shape[0] not in (1, 3):
        raise ValueError(f"image tensor must have shape (C, H, W) with 1 or 3 channels, got {tuple(image.shape)}")
    if array.shape[0] == 1:
        return array[0].clamp(0, 1).numpy()
    if float(array.min()) < 0 or float(array.max()) > 1:
        return VGG16_PIXELS.to_uint8(VGG16_PIXELS.from_network(array[None]))[0]
    return load_image(array.clamp(0, 1).permute(1, 2, 0).numpy())


def saliency(model: nn.Module, image: Any, target: int, *, samples: int = 0, noise: float = 0.15,
             seed: int = 0, progress: Progress | None = None) -> np.ndarray:
    """How strongly each pixel changes the score of class ``target``: the gradient's size (or SmoothGrad's).

    With ``samples=0`` the map is ``max_c |d score / d x_c|``: the largest,
    over the colour channels, absolute derivative of the class score (logit)
    with respect to the input ``x``. With ``samples > 0`` it is SmoothGrad:
    the same quantity averaged over ``samples`` noisy copies ``x + noise_i``,
    whose noise is drawn from N(0, sigma^2) with ``sigma = noise * (x.max() -
    x.min())``, one ``(C, H, W)`` draw per copy, in order, from a
    :class:`torch.Generator` seeded with ``seed`` (on the CPU, so every device
    gets the same noise).

    Parameters
    ----------
    model : torch.nn.Module
        A classifier returning class scores (logits): VGG16 with its top, a
        trained :class:`SmallCNN`, ...
    image : torch.Tensor, path, PIL image or array
        A photo (preprocessed for VGG16) or the model's input tensor, see
        :func:`model_input`.
    target : int
        The class, from 0 to classes - 1.
    samples : int, optional
        Noisy copies for SmoothGrad; 0 (default) for the plain gradient.
    noise : float, optional
        SmoothGrad's noise level, a fraction of the input's range (>= 0).
    seed : int, optional
        Seed of SmoothGrad's noise: the same seed gives the same map.
    progress : callable, optional
        Called as ``progress(done, total)`` with the noisy copies done so far
        (``total = samples``; 1 for the plain gradient), e.g. by an explorer's
        progress bar. Nothing is ever written to standard error.

    Returns
    -------
    numpy.ndarray, shape (H, W), float32
        Non-negative; larger where a change of the pixel changes the score more.

    Raises
    ------
    ValueError
        ``target`` outside the classes, ``samples < 0``, ``noise < 0``, a bad image.

    Examples
    --------
    >>> net, image = SmallCNN(), torch.rand(1, 32, 32)
    >>> plain = saliency(net, image, 0)
    >>> plain.shape, plain.dtype, bool((plain >= 0).all())
    ((32, 32), dtype('float32'), True)
    >>> smooth = saliency(net, image, 0, samples=4, seed=1)
    >>> np.array_equal(smooth, saliency(net, image, 0, samples=4, seed=1))
    True
    """
    samples = int_at_least(samples, "samples", 0)
    noise = finite_number(noise, "noise", 0.0)
    seed = int_at_least(seed, "seed", 0)
    if progress is not None and not callable(progress):
        raise TypeError(f"progress must be None or a callable progress(done, total), got {progress!r}")
    report = CallbackBar(progress or (lambda done, total: None), total=max(samples, 1))
    x = model_input(model, image)
    with evaluating(model):
        if samples == 0:
            plain = _input_gradient(model, x, target).abs().amax(1)[0].float().cpu().numpy()
            report.update(1)
            return plain
        sigma = noise * float(x.max() - x.min())
        generator = torch.Generator().manual_seed(seed)
        chunk = max(1, min(samples, PIXEL_BUDGET // (x.shape[-2] * x.shape[-1])))
        total = torch.zeros(x.shape[-2:], dtype=torch.float64, device=x.device)
        for start in range(0, samples, chunk):
            draws = [torch.randn(x.shape[1:], generator=generator) for _ in range(min(chunk, samples - start))]
            batch = x + sigma * torch.stack(draws).to(x)
            total += _input_gradient(model, batch, target).abs().amax(1).sum(0, dtype=torch.float64)
            report.update(len(draws))
    return (total / samples).float().cpu().numpy()


# -- Grad-CAM --------------------------------------------------------------------------------
def _looks_like_vgg16(features: nn.Sequential) -> bool:
    try:
        for name in VGG16_LAYERS:
            check_module(features, name)
    except ValueError:
        return False
    return True


def cam_layer(model: nn.Module, layer: Any) -> str:
    """The name in ``model.named_modules()`` of Grad-CAM's layer.

    ``layer`` is a VGG16 layer name (its output, after the ReLU for a conv:
    ``"block5_conv3"`` is ``"features.29"``), a name from
    ``model.named_modules()`` (``"relu3"`` of a :class:`SmallCNN`) or a module
    of ``model``.

    Examples
    --------
    >>> cam_layer(load_vgg16("random", device="cpu"), "block5_conv3")  # the conv base alone
    '29'
    >>> cam_layer(SmallCNN(), "relu3")
    'relu3'
    """
    if not isinstance(model, nn.Module):
        raise TypeError(f"model must be a torch.nn.Module, got {type(model).__name__}")
    named = [(name, module) for name, module in model.named_modules() if name]
    if isinstance(layer, nn.Module):
        for name, module in named:
            if module is layer:
                return name
        raise ValueError(f"layer must be a module inside model; {type(layer).__name__} {layer} is not one")
    if not isinstance(layer, str):
        raise TypeError(f"layer must be a layer name (str) or a module of model, got {type(layer).__name__}")
    features = model if isinstance(model, nn.Sequential) else getattr(model, "features", None)
    vgg = isinstance(features, nn.Sequential) and _looks_like_vgg16(features)
    if vgg and layer in VGG16_LAYERS:
        prefix = "" if features is model else "features."
        return f"{prefix}{output_index(layer)}"
    names = [name for name, _ in named]
    if layer in names:
        return layer
    listed = (list(VGG16_LAYERS) if vgg else []) + names
    more = f" and {len(listed) - 40} more" if len(listed) > 40 else ""
    raise ValueError(f"unknown layer {layer!r}; valid layers are {', '.join(listed[:40])}{more}")


def grad_cam(model: nn.Module, image: Any, target: int, *, layer: Any = "block5_conv3") -> np.ndarray:
    """Grad-CAM: the parts of a layer's feature maps that raise the score of class ``target``.

    For the layer's output ``A`` (channels ``A_c``) and the class score ``y``
    (the logit), each channel gets the weight ``w_c = mean over positions of
    dy / dA_c``; the map is ``ReLU(sum_c w_c A_c)``, resized bilinearly
    (half-pixel centres, ``align_corners=False``) to the input's size and
    min-max scaled to [0, 1] (a map without positive values stays 0). Scaling
    after resizing is the same as pytorch-grad-cam's scale, resize, scale
    again; its largest value is exactly 1.

    Parameters
    ----------
    model : torch.nn.Module
        A classifier returning logits (VGG16 with its top, a trained :class:`SmallCNN`).
    image : torch.Tensor, path, PIL image or array
        A photo (preprocessed for VGG16) or the model's input tensor, see :func:`model_input`.
    target : int
        The class, from 0 to classes - 1.
    layer : str or torch.nn.Module, optional
        A VGG16 layer name (``"block5_conv3"``, default: the last conv layer's
        output after its ReLU), a name from ``model.named_modules()``
        (``"relu3"`` of a :class:`SmallCNN`) or a module of ``model``. A module
        followed by an in-place operation gives that operation's result.

    Returns
    -------
    numpy.ndarray, shape (H, W), float32, values in [0, 1]

    Raises
    ------
    ValueError
        ``target`` outside the classes, an unknown layer (the message lists
        the valid names), a layer whose output is not ``(1, C, h, w)``.

    Examples
    --------
    >>> net = SmallCNN()
    >>> heat = grad_cam(net, torch.rand(1, 32, 32), 5, layer="relu3")
    >>> heat.shape, bool(heat.min() >= 0), bool(heat.max() <= 1)
    ((32, 32), True, True)
    """
    name = cam_layer(model, layer)
    x = model_input(model, image).requires_grad_(True)
    with evaluating(model), torch.enable_grad(), capture(model, [name]) as outputs:
        score = class_scores(model(x), target)
        activation = outputs.get(name)
        if not isinstance(activation, torch.Tensor) or activation.ndim != 4 or not activation.requires_grad:
            found = tuple(activation.shape) if isinstance(activation, torch.Tensor) else type(activation).__name__
            raise ValueError(f"layer {layer!r} must output feature maps (1, C, h, w) on the way to the "
                             f"scores, got {found}")
        (gradient,) = torch.autograd.grad(score.sum(), activation)
    with torch.no_grad():
        weights = gradient.mean(dim=(2, 3), keepdim=True)
        cam = F.relu((weights * activation).sum(dim=1, keepdim=True))
        cam = F.interpolate(cam, size=tuple(x.shape[-2:]), mode="bilinear", align_corners=False)[0, 0]
        cam -= cam.min()
        top = float(cam.max())
        if top > 0:
            cam /= top
    return cam.float().cpu().numpy()
