"""Looking inside a trained small CNN: which class makes each channel fire, what input it prefers, what it sees.

:func:`class_responses` averages each channel's response per class;
:func:`preferred_inputs` finds, by gradient ascent on the pixels (chapter
5's method), the image each channel responds to most;
:func:`effective_receptive_field` shows which input pixels one unit depends on.
"""

from __future__ import annotations

from collections import OrderedDict

import torch
from torch import nn

from ..core.validate import int_at_least, positive_number
from .hooks import OUTPUT
from .objectives import channel
from .parameterization import UNIT_PIXELS
from .render import gradient_ascent
from ..nets.shapes import SHAPE_CLASSES
from ..core.torchutil import evaluating
from ..nets.training import cpu_threads


def stages_upto(model: nn.Sequential, layer: str) -> nn.Sequential:
    """The stages of ``model`` from the input up to and including ``layer``."""
    if not isinstance(model, nn.Sequential):
        raise TypeError(f"model must be a torch.nn.Sequential, got {type(model).__name__}")
    stages = list(model.named_children())
    names = [name for name, _ in stages]
    if layer not in names:
        raise ValueError(f"unknown layer {layer!r}; valid layers are {', '.join(names)}")
    return nn.Sequential(OrderedDict(stages[: names.index(layer) + 1]))


@torch.no_grad()
def class_responses(model: nn.Sequential, images: torch.Tensor, labels: torch.Tensor, layer: str, *,
                    num_classes: int = len(SHAPE_CLASSES)) -> torch.Tensor:
    """Mean activation of every channel of ``layer``, averaged per class.

    Parameters
    ----------
    model : torch.nn.Sequential
    images : torch.Tensor, shape (N, C, H, W)
    labels : torch.Tensor, shape (N,)
    layer : str
        A stage name, such as ``"relu1"`` or ``"relu3"``.
    num_classes : int, optional

    Returns
    -------
    torch.Tensor, shape (num_classes, channels)
        Row ``c`` holds the channels' mean activations over the images of
        class ``c`` (and over all positions).

    Examples
    --------
    >>> images, labels = make_shapes(12)
    >>> class_responses(SmallCNN(), images, labels, "relu1").shape
    torch.Size([6, 8])
    """
    net = stages_upto(model, layer)
    with evaluating(model):
        activations = net(images)
    if activations.ndim != 4:
        raise ValueError(f"layer {layer!r} must output feature maps (N, C, H, W), "
                         f"got shape {tuple(activations.shape)}")
    means = activations.mean(dim=(2, 3))
    rows = [means[labels == c].mean(dim=0) if bool((labels == c).any()) else torch.zeros(means.shape[1])
            for c in range(num_classes)]
    return torch.stack(rows)


def preferred_inputs(model: nn.Sequential, layer: str, *, steps: int = 30, step_size: float = 0.05,
                     side: int = 32, seed: int = 0, threads: int = 1) -> torch.Tensor:
    """The input each channel of ``layer`` responds to most: gradient ascent on the pixels.

    The method of chapter 5 in a few lines: start every channel from the same
    gray image with a little noise; repeatedly compute the channel's mean
    activation, its gradient with respect to the *pixels*, divide the
    gradient by its root-mean-square (so every step has the same size) and
    take a step uphill. The weights never change. Pixels stay in [0, 1], the
    range of the training images.

    For a first-layer channel the answer is known without any ascent: the
    filter itself, repeated (plus "brighter everywhere" if its weights sum
    to more than zero), so the method is most useful for deeper layers.

    Parameters
    ----------
    model : torch.nn.Sequential
    layer : str
        A stage name with feature maps, e.g. ``"relu1"`` or ``"relu3"``.
    steps : int, optional
        Number of gradient steps.
    step_size : float, optional
        Root-mean-square change of the pixels per step.
    side : int, optional
        Height and width of the (square) images, in pixels.
    seed : int, optional
        Seed of the starting noise.
    threads : int, optional
        CPU threads used (see :func:`train`).

    Returns
    -------
    torch.Tensor, shape (channels, 1, side, side)
        One image per channel.

    Examples
    --------
    >>> preferred_inputs(SmallCNN(), "relu1", steps=2).shape
    torch.Size([8, 1, 32, 32])
    """
    stages = stages_upto(model, layer)
    steps = int_at_least(steps, "steps", 1)
    size = int_at_least(side, "side", 1)
    in_channels = next(m for m in model.modules() if isinstance(m, nn.Conv2d)).in_channels
    with torch.no_grad():
        channels = stages(torch.zeros(1, in_channels, size, size)).shape[1]
    # One start for every channel: gray with a little noise (torch's generator, seeded).
    noise = torch.rand(1, in_channels, size, size, generator=torch.Generator().manual_seed(seed))
    start = (UNIT_PIXELS.gray + 2 * UNIT_PIXELS.noise * (noise - 0.5)).repeat(channels, 1, 1, 1)
    threads = int_at_least(threads, "threads", 1)
    step_size = positive_number(step_size, "step_size")
    # Chapter 5's render loop on the stages up to the layer: image i drives channel i,
    # pixels in [0, 1] fed unchanged and clamped to that range after every step.
    with evaluating(model), cpu_threads(threads):
        *_, (_, _, images) = gradient_ascent(stages, start, channel(OUTPUT, range(channels)), steps=steps,
                                             step_size=step_size, pixels=UNIT_PIXELS)
    return images.contiguous()


def effective_receptive_field(model: nn.Sequential, layer: str, images: torch.Tensor, *,
                              channel: int | None = None) -> torch.Tensor:
    """How much each input pixel moves one unit of ``layer``: the mean absolute gradient.

    The unit is the centre position of one channel of ``layer``'s maps. For
    every image, the gradient of that unit with respect to the input pixels
    is computed; its absolute value is averaged over the images and the input
    channels. Pixels outside the unit's theoretical receptive field get
    exactly zero; inside it, the values show which pixels actually matter,
    the *effective* receptive field (Luo et al., 2016).

    Parameters
    ----------
    model : torch.nn.Sequential
        For example a trained :class:`SmallCNN`; used in eval mode.
    layer : str
        A stage name with feature maps, such as ``"relu2"``.
    images : torch.Tensor, shape (N, C, H, W)
        The inputs to average over.
    channel : int, optional
        The channel of the unit. By default the channel whose centre value
        is largest on average over ``images`` (so not a channel that never
        fires there).

    Returns
    -------
    torch.Tensor, shape (H, W)
        The mean absolute gradient for every input pixel.

    Raises
    ------
    ValueError
        If ``images`` is not 4-D, ``layer`` has no feature maps or
        ``channel`` is out of range.

    Examples
    --------
    >>> from collections import OrderedDict
    >>> net = torch.nn.Sequential(OrderedDict(conv=torch.nn.Conv2d(1, 1, 3, padding=1)))
    >>> field = effective_receptive_field(net, "conv", torch.rand(4, 1, 9, 9), channel=0)
    >>> tuple(field.shape), int((field > 0).sum())   # a 3x3 conv: a 3x3 field
    ((9, 9), 9)
    """
    net = stages_upto(model, layer)
    if not isinstance(images, torch.Tensor) or images.ndim != 4 or images.shape[0] == 0:
        shape = tuple(images.shape) if isinstance(images, torch.Tensor) else type(images).__name__
        raise ValueError(f"images must be a tensor of shape (N, C, H, W) with N >= 1, got {shape}")
    x = images.detach().clone().requires_grad_(True)
    with evaluating(model), torch.enable_grad():
        maps = net(x)
        if maps.ndim != 4:
            raise ValueError(f"layer {layer!r} must output feature maps (N, C, H, W), "
                             f"got shape {tuple(maps.shape)}")
        row, col = maps.shape[2] // 2, maps.shape[3] // 2
        centre = maps[:, :, row, col]                         # (N, channels)
        if channel is None:
            channel = int(centre.detach().mean(dim=0).argmax())
        elif isinstance(channel, bool) or not isinstance(channel, int) or not 0 <= channel < maps.shape[1]:
            raise ValueError(f"channel must be an int from 0 to {maps.shape[1] - 1} for layer {layer!r}, "
                             f"got {channel!r}")
        # The images are independent, so the gradient of the sum is each image's own gradient.
        (gradient,) = torch.autograd.grad(centre[:, channel].sum(), x)
    return gradient.abs().mean(dim=(0, 1))
