"""The small CNN of chapter 4 and a plain training loop.

The parts, each short enough to read in one sitting:

* **data** lives in :mod:`cnncourse.shapes` (:func:`~cnncourse.shapes.make_shapes`,
  images of lines, corners, crosses and rings; nothing is downloaded).
* **model**: :class:`SmallCNN`, three conv → ReLU → pool blocks and a linear
  classifier, written as a named :class:`torch.nn.Sequential`;
  :func:`stage_outputs` and :func:`layer_summary` give the output of every
  stage and the parameters of every layer for one input.
* **training**: :func:`train`, mini-batch gradient descent with Adam, which
  returns the history of loss and accuracy and copies of the weights at the
  steps you ask for (in memory); :func:`evaluate` and :func:`load_checkpoint`.
* **looking inside**: :func:`class_responses` (how strongly each filter
  fires, on average, for each class) and :func:`preferred_inputs` (the
  image each filter responds to most, by gradient ascent as in chapter 5).

Everything is seeded: the same seed gives the same images, the same
weights and the same numbers, on the CPU.
"""

from __future__ import annotations

import contextlib
import copy
import math
import time
from collections import OrderedDict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from ._validate import int_at_least
from .progress import progress_bar
from .featureviz import channel_objective, gradient_ascent
from .shapes import SHAPE_CLASSES, ShapesSplit, make_shapes, train_val_split  # noqa: F401 (doctests)

__all__ = [
    "SmallCNN",
    "stage_outputs",
    "layer_summary",
    "LayerInfo",
    "train",
    "evaluate",
    "Checkpoint",
    "TrainingRun",
    "load_checkpoint",
    "class_responses",
    "preferred_inputs",
]

# -- model ---------------------------------------------------------------------


class SmallCNN(nn.Sequential):
    """Three conv → ReLU → max-pool blocks and a linear classifier.

    Each block keeps height and width through the convolution (``padding =
    kernel // 2``) and halves them in the pooling, while the number of
    channels grows. The stages are named (``conv1``, ``relu1``, ``pool1``, …,
    ``flatten``, ``fc``), so ``model.conv1`` is the first layer and
    ``model.conv1.weight`` its filters.

    Parameters
    ----------
    num_classes : int, optional
        Outputs of the classifier (one score per class).
    channels : sequence of int, optional
        Filters of each convolutional layer; one block per entry.
    kernel_sizes : sequence of int, optional
        Kernel size of each convolutional layer (odd numbers keep the size).
    image_size : int, optional
        Height and width of the input images.
    in_channels : int, optional
        Channels of the input (1 for grayscale).

    Examples
    --------
    >>> model = SmallCNN()
    >>> model(torch.zeros(2, 1, 32, 32)).shape
    torch.Size([2, 6])
    >>> tuple(model.conv1.weight.shape)
    (8, 1, 5, 5)
    """

    def __init__(self, num_classes: int = len(SHAPE_CLASSES), *, channels: Sequence[int] = (8, 16, 32),
                 kernel_sizes: Sequence[int] = (5, 3, 3), image_size: int = 32,
                 in_channels: int = 1) -> None:
        channels = [int_at_least(c, "channels", 1) for c in channels]
        kernel_sizes = [int_at_least(k, "kernel_sizes", 1) for k in kernel_sizes]
        if len(channels) != len(kernel_sizes) or not channels:
            raise ValueError(f"channels and kernel_sizes must have the same, non-zero length, got "
                             f"{len(channels)} and {len(kernel_sizes)}")
        size = int_at_least(image_size, "image_size", 1)
        layers: OrderedDict[str, nn.Module] = OrderedDict()
        previous = int_at_least(in_channels, "in_channels", 1)
        for block, (out, k) in enumerate(zip(channels, kernel_sizes), start=1):
            layers[f"conv{block}"] = nn.Conv2d(previous, out, k, padding=k // 2)
            layers[f"relu{block}"] = nn.ReLU()
            layers[f"pool{block}"] = nn.MaxPool2d(2)
            size = (size + 2 * (k // 2) - k + 1) // 2
            if size < 1:
                raise ValueError(f"image_size {image_size} is too small for {len(channels)} blocks")
            previous = out
        layers["flatten"] = nn.Flatten()
        layers["fc"] = nn.Linear(previous * size * size, int_at_least(num_classes, "num_classes", 2))
        super().__init__(layers)

    def __getitem__(self, index: int | slice | str) -> nn.Module:
        """A stage by position or name; a slice is a plain ``nn.Sequential`` of stages."""
        if isinstance(index, str):
            return getattr(self, index)
        if isinstance(index, slice):
            return nn.Sequential(OrderedDict(list(self.named_children())[index]))
        return super().__getitem__(index)


def _as_batch(image: Any) -> torch.Tensor:
    x = torch.as_tensor(np.asarray(image) if not isinstance(image, torch.Tensor) else image,
                        dtype=torch.float32)
    if x.ndim == 2:
        x = x[None, None]
    elif x.ndim == 3:
        x = x[None]
    if x.ndim != 4 or x.shape[0] != 1:
        raise ValueError(f"image must have shape (H, W), (C, H, W) or (1, C, H, W), got {tuple(x.shape)}")
    return x


@torch.no_grad()
def stage_outputs(model: nn.Sequential, image: Any) -> OrderedDict[str, torch.Tensor]:
    """Run one image through a sequential model and keep every stage's output.

    Parameters
    ----------
    model : torch.nn.Sequential
        For example a :class:`SmallCNN`.
    image : array_like or torch.Tensor, shape (H, W), (C, H, W) or (1, C, H, W)
        One input image.

    Returns
    -------
    collections.OrderedDict of str to torch.Tensor
        ``"input"`` first, then one entry per stage (``"conv1"``, ``"relu1"``,
        …), each with its batch dimension of 1.

    Examples
    --------
    >>> outputs = stage_outputs(SmallCNN(), torch.zeros(1, 32, 32))
    >>> tuple(outputs["pool1"].shape)
    (1, 8, 16, 16)
    """
    if not isinstance(model, nn.Sequential):
        raise TypeError(f"model must be a torch.nn.Sequential, got {type(model).__name__}")
    x = _as_batch(image)
    was_training = model.training
    model.eval()
    try:
        outputs = OrderedDict(input=x)
        for name, stage in model.named_children():
            x = stage(x)
            outputs[name] = x
    finally:
        model.train(was_training)
    return outputs


class LayerInfo(NamedTuple):
    """One row of :func:`layer_summary`."""

    name: str
    kind: str
    shape: tuple[int, ...]
    params: int


def layer_summary(model: nn.Sequential, image: Any) -> list[LayerInfo]:
    """The output shape and the number of parameters of every stage.

    Parameters
    ----------
    model : torch.nn.Sequential
    image : array_like or torch.Tensor
        One input image, see :func:`stage_outputs`.

    Returns
    -------
    list of LayerInfo
        ``(name, kind, shape, params)`` per stage, the input first; ``shape``
        leaves out the batch dimension, so it reads (channels, height, width).

    Examples
    --------
    >>> rows = layer_summary(SmallCNN(), torch.zeros(1, 32, 32))
    >>> rows[1]
    LayerInfo(name='conv1', kind='Conv2d', shape=(8, 32, 32), params=208)
    """
    modules = dict(model.named_children())
    rows = []
    for name, out in stage_outputs(model, image).items():
        module = modules.get(name)
        kind = "input" if module is None else type(module).__name__
        params = 0 if module is None else sum(p.numel() for p in module.parameters())
        rows.append(LayerInfo(name, kind, tuple(out.shape[1:]), params))
    return rows


# -- training ------------------------------------------------------------------


@dataclass
class Checkpoint:
    """A copy of the weights after ``step`` updates (``epoch`` counts in epochs)."""

    step: int
    epoch: float
    state: dict[str, torch.Tensor]

    @property
    def label(self) -> str:
        if self.step == 0:
            return "before training"
        return f"after {self.step} steps (epoch {self.epoch:.2g})"


@dataclass
class TrainingRun:
    """What :func:`train` returns: the history and the saved checkpoints.

    ``history`` maps ``"train_loss"``, ``"train_accuracy"``, ``"val_loss"``
    and ``"val_accuracy"`` to one number per epoch. The training numbers are
    the averages over the epoch's mini-batches (the weights change during the
    epoch); the validation numbers are measured at the end of the epoch.
    """

    history: dict[str, list[float]] = field(default_factory=dict)
    checkpoints: list[Checkpoint] = field(default_factory=list)
    steps_per_epoch: int = 0
    seconds: list[float] = field(default_factory=list)
    """Wall-clock seconds from the start of training to the end of each epoch."""

    @property
    def final(self) -> dict[str, float]:
        """The last epoch's numbers."""
        return {key: values[-1] for key, values in self.history.items() if values}


@torch.no_grad()
def evaluate(model: nn.Module, images: torch.Tensor, labels: torch.Tensor, *,
             batch_size: int = 500) -> tuple[float, float]:
    """Mean cross-entropy loss and accuracy of ``model`` on ``images``.

    Examples
    --------
    >>> images, labels = make_shapes(6)
    >>> loss, accuracy = evaluate(SmallCNN(), images, labels)
    >>> 0 <= accuracy <= 1
    True
    """
    was_training = model.training
    model.eval()
    total_loss, correct = 0.0, 0
    try:
        for start in range(0, len(labels), batch_size):
            x, y = images[start:start + batch_size], labels[start:start + batch_size]
            logits = model(x)
            total_loss += float(F.cross_entropy(logits, y, reduction="sum"))
            correct += int((logits.argmax(dim=1) == y).sum())
    finally:
        model.train(was_training)
    return total_loss / len(labels), correct / len(labels)


@contextlib.contextmanager
def _cpu_threads(threads: int) -> Iterator[None]:
    """Run the block on ``threads`` CPU threads, then restore the previous number."""
    previous = torch.get_num_threads()
    torch.set_num_threads(threads)
    try:
        yield
    finally:
        torch.set_num_threads(previous)


def _snapshot(model: nn.Module) -> dict[str, torch.Tensor]:
    return {name: value.detach().clone() for name, value in model.state_dict().items()}


def train(model: nn.Module, data: ShapesSplit | Sequence[torch.Tensor], *, epochs: int = 8,
          lr: float = 3e-3, batch_size: int = 64, seed: int = 0,
          checkpoints: Iterable[int] | None = None, threads: int = 1,
          progress: bool = True) -> TrainingRun:
    """Train ``model`` with mini-batches and Adam; return history and checkpoints.

    The loop is the usual one: for every epoch, shuffle the training images;
    for every mini-batch, compute the scores, the cross-entropy loss and its
    gradient (``loss.backward()``), and let the optimizer take a step. After
    every epoch the model is evaluated on the validation images.

    The model is trained in place. The shuffles use their own generator
    seeded with ``seed``, and the global random state is restored afterwards.
    The loop runs on ``threads`` CPU threads (restored afterwards too): sums
    split over another number of threads round differently, so a fixed
    number makes the same model, data and seed give the same numbers on any
    machine with the same PyTorch. One thread is also the fastest choice for
    a network this small when other programs share the CPU.

    Parameters
    ----------
    model : torch.nn.Module
        A freshly built model (e.g. :class:`SmallCNN`); its current weights
        are the starting point.
    data : ShapesSplit or (train_images, train_labels, val_images, val_labels)
    epochs : int, optional
        Passes over the training images.
    lr : float, optional
        Learning rate of Adam.
    batch_size : int, optional
        Images per update.
    seed : int, optional
        Seed of the shuffles.
    checkpoints : iterable of int, optional
        Step numbers (weight updates, counted from 0 = before training)
        after which to keep a copy of the weights. By default: before
        training and after every epoch. Steps past the end are ignored.
    threads : int, optional
        CPU threads used while training.
    progress : bool, optional
        Show a progress bar (``tqdm``).

    Returns
    -------
    TrainingRun
        ``history`` (per-epoch loss and accuracy), ``checkpoints`` (in step
        order), ``steps_per_epoch`` and ``seconds`` (time to the end of each
        epoch; the only numbers that differ between two runs).

    Examples
    --------
    >>> split = train_val_split(*make_shapes(60))
    >>> run = train(SmallCNN(), split, epochs=1, batch_size=16, progress=False)
    >>> len(run.history["val_accuracy"]), [c.step for c in run.checkpoints]
    (1, [0, 3])
    """
    if len(data) != 4:
        raise ValueError("data must be (train_images, train_labels, val_images, val_labels)")
    x_train, y_train, x_val, y_val = data
    epochs = int_at_least(epochs, "epochs", 1)
    batch_size = int_at_least(batch_size, "batch_size", 1)
    if not lr > 0:
        raise ValueError(f"lr must be > 0, got {lr}")
    steps_per_epoch = math.ceil(len(y_train) / batch_size)
    total_steps = epochs * steps_per_epoch
    if checkpoints is None:
        wanted = {epoch * steps_per_epoch for epoch in range(epochs + 1)}
    else:
        wanted = {int_at_least(step, "checkpoints", 0) for step in checkpoints}
    wanted = {step for step in wanted if step <= total_steps}

    run = TrainingRun({key: [] for key in ("train_loss", "train_accuracy", "val_loss", "val_accuracy")},
                      [], steps_per_epoch)
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    shuffle = torch.Generator().manual_seed(seed)
    step = 0
    if 0 in wanted:
        run.checkpoints.append(Checkpoint(0, 0.0, _snapshot(model)))
    threads = int_at_least(threads, "threads", 1)
    deterministic = torch.are_deterministic_algorithms_enabled()
    bar = progress_bar(total=total_steps, desc="training", unit="step", enabled=progress)
    started = time.perf_counter()
    with torch.random.fork_rng(devices=[]), _cpu_threads(threads):
        torch.manual_seed(seed)  # for any randomness inside the model (e.g. dropout)
        torch.use_deterministic_algorithms(True)
        try:
            model.train()
            for epoch in range(epochs):
                order = torch.randperm(len(y_train), generator=shuffle)
                loss_sum, correct = 0.0, 0
                for start in range(0, len(order), batch_size):
                    batch = order[start:start + batch_size]
                    x, y = x_train[batch], y_train[batch]
                    logits = model(x)                  # forward: one score per class
                    loss = F.cross_entropy(logits, y)  # how wrong, on average
                    optimizer.zero_grad()
                    loss.backward()                    # gradient of the loss for every weight
                    optimizer.step()                   # move the weights a little downhill
                    step += 1
                    loss_sum += loss.item() * len(batch)
                    correct += int((logits.argmax(dim=1) == y).sum())
                    if step in wanted:
                        run.checkpoints.append(Checkpoint(step, step / steps_per_epoch, _snapshot(model)))
                    bar.update(1)
                val_loss, val_accuracy = evaluate(model, x_val, y_val)
                run.history["train_loss"].append(loss_sum / len(y_train))
                run.history["train_accuracy"].append(correct / len(y_train))
                run.history["val_loss"].append(val_loss)
                run.history["val_accuracy"].append(val_accuracy)
                run.seconds.append(time.perf_counter() - started)
                bar.set_postfix(epoch=epoch + 1, val_loss=f"{val_loss:.3f}", val_acc=f"{val_accuracy:.1%}")
        finally:
            torch.use_deterministic_algorithms(deterministic)
            bar.close()
    return run


def load_checkpoint(model: nn.Module, checkpoint: Checkpoint) -> nn.Module:
    """A copy of ``model`` with the weights of ``checkpoint`` (``model`` is unchanged).

    Examples
    --------
    >>> model = SmallCNN()
    >>> run = TrainingRun(checkpoints=[Checkpoint(0, 0.0, model.state_dict())])
    >>> load_checkpoint(model, run.checkpoints[0]) is model
    False
    """
    copied = copy.deepcopy(model)
    copied.load_state_dict(checkpoint.state)
    copied.eval()
    return copied


# -- looking inside ------------------------------------------------------------


def _upto(model: nn.Sequential, layer: str) -> nn.Sequential:
    """The stages of ``model`` from the input up to and including ``layer``."""
    if not isinstance(model, nn.Sequential):
        raise TypeError(f"model must be a torch.nn.Sequential, got {type(model).__name__}")
    stages = list(model.named_children())
    names = [name for name, _ in stages]
    if layer not in names:
        raise ValueError(f"unknown layer {layer!r}; valid layers are {', '.join(names)}")
    return nn.Sequential(OrderedDict(stages[: names.index(layer) + 1]))


@torch.no_grad()
def class_responses(model: nn.Sequential, images: torch.Tensor, labels: torch.Tensor, layer: str,
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
    net = _upto(model, layer)
    was_training = model.training
    model.eval()
    try:
        activations = net(images)
    finally:
        model.train(was_training)
    if activations.ndim != 4:
        raise ValueError(f"layer {layer!r} must output feature maps (N, C, H, W), "
                         f"got shape {tuple(activations.shape)}")
    means = activations.mean(dim=(2, 3))
    rows = [means[labels == c].mean(dim=0) if bool((labels == c).any()) else torch.zeros(means.shape[1])
            for c in range(num_classes)]
    return torch.stack(rows)


def preferred_inputs(model: nn.Sequential, layer: str, *, steps: int = 30, step_size: float = 0.05,
                     size: int = 32, seed: int = 0, threads: int = 1) -> torch.Tensor:
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
    size : int, optional
        Height and width of the images.
    seed : int, optional
        Seed of the starting noise.
    threads : int, optional
        CPU threads used (see :func:`train`).

    Returns
    -------
    torch.Tensor, shape (channels, 1, size, size)
        One image per channel.

    Examples
    --------
    >>> preferred_inputs(SmallCNN(), "relu1", steps=2).shape
    torch.Size([8, 1, 32, 32])
    """
    net = _upto(model, layer)
    steps = int_at_least(steps, "steps", 1)
    size = int_at_least(size, "size", 1)
    in_channels = next(m for m in model.modules() if isinstance(m, nn.Conv2d)).in_channels
    with torch.no_grad():
        channels = net(torch.zeros(1, in_channels, size, size)).shape[1]
    noise = torch.rand(1, in_channels, size, size, generator=torch.Generator().manual_seed(seed))
    start = (0.5 + 0.1 * (noise - 0.5)).repeat(channels, 1, 1, 1)
    threads = int_at_least(threads, "threads", 1)
    if not step_size > 0:
        raise ValueError(f"step_size must be > 0, got {step_size}")
    was_training = model.training
    model.eval()
    try:
        # Chapter 5's render loop: image i drives channel i; pixels stay in [0, 1].
        with _cpu_threads(threads):
            *_, (_, _, images) = gradient_ascent(
                net, start, channel_objective(range(channels)), steps=steps, step_size=step_size,
                transforms=[lambda x, _: x.clamp(0.0, 1.0)], to_network=lambda x: x)
    finally:
        model.train(was_training)
    return images.contiguous()
