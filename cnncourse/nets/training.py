"""Training the small CNN: a plain loop, its history, and checkpoints kept in memory.

:func:`train` is mini-batch gradient descent with Adam. It returns the
history of loss and accuracy and copies of the weights at the steps you ask
for, and stops early when a rule such as :func:`levelled_off` says the
training curve has levelled off; :func:`evaluate` measures loss and
accuracy, :func:`load_checkpoint` puts a checkpoint's weights into a copy of
the model. Everything is seeded
and runs on a fixed number of CPU threads, so the same seed gives the same
numbers on the same machine.
"""

from __future__ import annotations

import contextlib
import copy
import math
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field

import torch
import torch.nn.functional as F
from torch import nn

from ..core.validate import finite_number, int_at_least, positive_number
from ..core.progress import progress_bar
from .shapes import ShapesSplit
from ..core.torchutil import evaluating


@dataclass
class Checkpoint:
    """A copy of the weights after ``step`` updates (``epoch`` counts in epochs).

    Attributes
    ----------
    step : int
        Number of weight updates so far (0: the initial weights).
    epoch : float
        The same in epochs.
    state : dict of str to torch.Tensor
        A copy of the model's ``state_dict()``.
    """

    step: int
    epoch: float
    state: dict[str, torch.Tensor]

    @property
    def label(self) -> str:
        if self.step == 0:
            return "before training"
        return f"after {self.step} steps (epoch {self.epoch:.2g})"


@dataclass(kw_only=True)
class TrainingRun:
    """What :func:`train` returns: the history and the saved checkpoints.

    ``history`` maps ``"train_loss"``, ``"train_accuracy"``, ``"val_loss"``
    and ``"val_accuracy"`` to one number per epoch. The training numbers are
    the averages over the epoch's mini-batches (the weights change during the
    epoch); the validation numbers are measured at the end of the epoch.

    Attributes
    ----------
    history : dict of str to list of float
        The four curves above, one number per epoch.
    checkpoints : list of Checkpoint
        The saved weights, in step order.
    steps_per_epoch : int
        Mini-batches per epoch.
    seconds : list of float
        The wall-clock time of each epoch.
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

    Parameters
    ----------
    model : torch.nn.Module
        A classifier giving one logit per class.
    images : torch.Tensor, shape (N, C, H, W)
        The images.
    labels : torch.Tensor, shape (N,)
        Their class indices.
    batch_size : int, optional
        Images per forward pass (only memory and speed depend on it).

    Returns
    -------
    (float, float)
        The mean loss and the accuracy, in [0, 1].

    Examples
    --------
    >>> images, labels = make_shapes(6)
    >>> loss, accuracy = evaluate(SmallCNN(), images, labels)
    >>> 0 <= accuracy <= 1
    True
    """
    total_loss, correct = 0.0, 0
    with evaluating(model):
        for start in range(0, len(labels), batch_size):
            x, y = images[start:start + batch_size], labels[start:start + batch_size]
            logits = model(x)
            total_loss += float(F.cross_entropy(logits, y, reduction="sum"))
            correct += int((logits.argmax(dim=1) == y).sum())
    return total_loss / len(labels), correct / len(labels)


@contextlib.contextmanager
def cpu_threads(threads: int) -> Iterator[None]:
    """Run the block on ``threads`` CPU threads, then restore the previous number."""
    previous = torch.get_num_threads()
    torch.set_num_threads(threads)
    try:
        yield
    finally:
        torch.set_num_threads(previous)


def levelled_off(values: Sequence[float], *, patience: int = 5, min_gain: float = 0.01,
                 min_epochs: int = 10) -> bool:
    """Whether a training curve (one number per epoch, higher is better) has levelled off.

    It has when at least ``min_epochs`` values are in and the last
    ``patience`` of them never beat the best value before them by
    ``min_gain`` or more: ``max(last patience) - max(before) < min_gain``.
    ``min_epochs`` keeps the flat start of a curve, before learning gets
    going, from passing for a plateau. Give it to :func:`train` as
    ``stop=lambda history: levelled_off(history["train_accuracy"])``.

    Parameters
    ----------
    values : sequence of float
        The curve so far, e.g. the training accuracy of every epoch.
    patience : int, optional
        Epochs without a real gain before the curve counts as level.
    min_gain : float, optional
        The smallest rise that counts as a gain (0.01: one percentage point).
    min_epochs : int, optional
        Never level before this many values.

    Examples
    --------
    >>> levelled_off([0.2, 0.5, 0.8, 0.9, 0.9, 0.9], patience=2, min_epochs=3)
    True
    >>> levelled_off([0.2, 0.5, 0.8, 0.9, 0.9, 0.95], patience=2, min_epochs=3)
    False
    """
    patience = int_at_least(patience, "patience", 1)
    min_epochs = int_at_least(min_epochs, "min_epochs", 1)
    min_gain = finite_number(min_gain, "min_gain", 0.0)
    values = list(values)
    if len(values) < max(min_epochs, patience + 1):
        return False
    return max(values[-patience:]) - max(values[:-patience]) < min_gain


def _snapshot(model: nn.Module) -> dict[str, torch.Tensor]:
    return {name: value.detach().clone() for name, value in model.state_dict().items()}


def train(model: nn.Module, data: ShapesSplit | Sequence[torch.Tensor], *, epochs: int = 8,
          lr: float = 3e-3, batch_size: int = 64, seed: int = 0,
          checkpoints: Iterable[int] | None = None, threads: int = 1,
          progress: bool = True,
          stop: Callable[[dict[str, list[float]]], bool] | None = None) -> TrainingRun:
    """Train ``model`` with mini-batches and Adam; return history and checkpoints.

    The loop is the usual one: for every epoch, shuffle the training images;
    for every mini-batch, compute the scores, the cross-entropy loss and its
    gradient (``loss.backward()``), and let the optimizer take a step. After
    every epoch the model is evaluated on the validation images, and
    ``stop``, if given, decides from the history whether to end training
    before ``epochs`` (for example when the curve has :func:`levelled_off`).

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
        Passes over the training images (the most, when ``stop`` is given).
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
    stop : callable, optional
        Called after every epoch with ``history`` (as in the result);
        training ends when it returns True.

    Returns
    -------
    TrainingRun
        ``history`` (per-epoch loss and accuracy, one entry per epoch
        trained), ``checkpoints`` (in step order), ``steps_per_epoch`` and
        ``seconds`` (time to the end of each epoch; the only numbers that
        differ between two runs).

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
    lr = positive_number(lr, "lr")
    steps_per_epoch = math.ceil(len(y_train) / batch_size)
    total_steps = epochs * steps_per_epoch
    if checkpoints is None:
        wanted = {epoch * steps_per_epoch for epoch in range(epochs + 1)}
    else:
        wanted = {int_at_least(step, "checkpoints", 0) for step in checkpoints}
    wanted = {step for step in wanted if step <= total_steps}

    run = TrainingRun(history={key: [] for key in ("train_loss", "train_accuracy", "val_loss", "val_accuracy")},
                      steps_per_epoch=steps_per_epoch)
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    shuffle = torch.Generator().manual_seed(seed)
    step = 0
    if 0 in wanted:
        run.checkpoints.append(Checkpoint(0, 0.0, _snapshot(model)))
    threads = int_at_least(threads, "threads", 1)
    deterministic = torch.are_deterministic_algorithms_enabled()
    bar = progress_bar(total=total_steps, desc="training", unit="step", enabled=progress)
    started = time.perf_counter()
    with torch.random.fork_rng(devices=[]), cpu_threads(threads):
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
                if stop is not None and stop(run.history):
                    break
        finally:
            torch.use_deterministic_algorithms(deterministic)
            bar.close()
    return run


def load_checkpoint(model: nn.Module, checkpoint: Checkpoint) -> nn.Module:
    """A copy of ``model`` with the weights of ``checkpoint`` (``model`` is unchanged).

    Parameters
    ----------
    model : torch.nn.Module
        A model of the architecture the checkpoint was saved from.
    checkpoint : Checkpoint
        The weights to load (e.g. one of ``TrainingRun.checkpoints``).

    Returns
    -------
    torch.nn.Module
        A deep copy of ``model`` holding those weights.

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
