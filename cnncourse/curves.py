"""Curves: the activation functions, training histories and feature-visualization objectives.

Every function returns a :class:`matplotlib.figure.Figure` and shows nothing
by itself. Lines use the Okabe-Ito colours, distinguishable with every common
colour-vision deficiency.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure

# Okabe-Ito colours, in order of use.
OKABE_ITO = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000"]
TRAIN_COLOUR, VAL_COLOUR = OKABE_ITO[0], OKABE_ITO[1]  # training and validation curves


def plot_activations(names: Sequence[str] | None = None, *, slope: float = 0.1, limit: float = 4.0) -> Figure:
    """Plot activation functions and their derivatives, one panel each.

    Parameters
    ----------
    names : sequence of str, optional
        Keys of :data:`cnncourse.activations.ACTIVATIONS`; by default all of them.
    slope : float, optional
        The slope used for leaky ReLU (larger than usual, so that it shows).
    limit : float, optional
        The x axis runs from ``-limit`` to ``limit``.

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> fig = plot_activations(["relu", "sigmoid"])
    >>> len(fig.axes)
    2
    """
    from .activations import ACTIVATIONS, get_activation

    names = list(ACTIVATIONS) if names is None else list(names)
    if not names:
        raise ValueError("names must contain at least one activation name")
    x = np.linspace(-limit, limit, 401)
    fig, axes = plt.subplots(1, len(names), figsize=(2.6 * len(names), 2.6), sharey=True,
                             squeeze=False, layout="constrained")
    for ax, name in zip(axes.flat, names):
        function, derivative = get_activation(name)
        kwargs = {"slope": slope} if name == "leaky_relu" else {}
        ax.axhline(0, color="0.6", linewidth=0.8)
        ax.axvline(0, color="0.6", linewidth=0.8)
        ax.plot(x, function(x, **kwargs), color="#0072B2", linewidth=2, label="f(x)")
        ax.plot(x, derivative(x, **kwargs), color="#E69F00", linewidth=2, linestyle="--", label="f'(x)")
        labels = {"relu": "ReLU", "leaky_relu": "leaky ReLU", "gelu": "GELU"}
        title = labels.get(name, name) + (f" (slope {slope:g})" if kwargs else "")
        ax.set_title(title, fontsize=10)
        ax.set_ylim(-1.5, limit)
        ax.set_xlabel("x")
        ax.grid(alpha=0.3)
    axes.flat[0].legend(loc="upper left", fontsize=9)
    plt.close(fig)
    return fig


def plot_history(history: dict[str, Sequence[float]], *, title: str | None = None) -> Figure:
    """Training and validation loss (left) and accuracy (right), per epoch.

    Parameters
    ----------
    history : dict
        ``"train_loss"``, ``"val_loss"``, ``"train_accuracy"`` and
        ``"val_accuracy"``, one number per epoch (as in
        :attr:`cnncourse.training.TrainingRun.history`).
    title : str, optional

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> fig = plot_history({"train_loss": [1.0, 0.5], "val_loss": [0.9, 0.6],
    ...                     "train_accuracy": [0.5, 0.8], "val_accuracy": [0.6, 0.8]})
    >>> len(fig.axes)
    2
    """
    missing = [k for k in ("train_loss", "val_loss", "train_accuracy", "val_accuracy") if k not in history]
    if missing:
        raise ValueError(f"history is missing {', '.join(missing)}")
    fig, (left, right) = plt.subplots(1, 2, figsize=(9, 3.4), layout="constrained")
    for ax, key, label in ((left, "loss", "cross-entropy loss"), (right, "accuracy", "accuracy")):
        for part, colour, style, marker in (("train", TRAIN_COLOUR, "-", "o"), ("val", VAL_COLOUR, "--", "s")):
            values = np.asarray(history[f"{part}_{key}"], dtype=float)
            epochs = np.arange(1, len(values) + 1)
            ax.plot(epochs, values, style, marker=marker, color=colour,
                    label="training" if part == "train" else "validation")
        ax.set_xlabel("epoch")
        ax.set_ylabel(label)
        ax.grid(alpha=0.3)
        ax.legend()
    right.set_ylim(top=1.0)
    if title:
        fig.suptitle(title)
    plt.close(fig)
    return fig


def plot_objective(
    objectives: Any,
    *,
    title: str | None = None,
    ylabel: str = "mean activation of the filter",
    figsize: tuple[float, float] = (6.0, 3.4),
) -> Figure:
    """The objective of gradient ascent against the step: proof that the ascent climbs.

    Parameters
    ----------
    objectives : array_like of shape (steps + 1, N), or mapping of str to such arrays
        One curve per filter (column), as ``FilterVisualization.objective``.
        A mapping draws each entry in its own colour (thin lines: filters;
        thick line: their mean), labelled in a legend.
    title : str, optional
    ylabel : str, optional
    figsize : (float, float), optional
        Figure size in inches.

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> fig = plot_objective({"plain": np.ones((5, 3)), "jitter": np.zeros((5, 3))})
    >>> len(fig.axes[0].lines)
    8
    """
    curves = dict(objectives) if isinstance(objectives, dict) else {"": objectives}
    if not curves:
        raise ValueError("objectives must contain at least one array")
    fig, ax = plt.subplots(figsize=figsize, layout="constrained")
    for number, (label, values) in enumerate(curves.items()):
        values = np.asarray(values, dtype=float)
        if values.ndim == 1:
            values = values[:, None]
        if values.ndim != 2 or values.shape[0] < 2:
            raise ValueError(f"objective {label!r} must have shape (steps + 1, N), got {values.shape}")
        colour = OKABE_ITO[number % len(OKABE_ITO)]
        steps = np.arange(values.shape[0])
        ax.plot(steps, values, color=colour, linewidth=0.8, alpha=0.45)
        ax.plot(steps, values.mean(axis=1), color=colour, linewidth=2.6,
                label=f"{label} (mean of {values.shape[1]})" if label else f"mean of {values.shape[1]} filters")
    ax.set_xlabel("gradient-ascent step")
    ax.set_ylabel(ylabel)
    ax.legend(frameon=False)
    ax.grid(alpha=0.3)
    if title:
        ax.set_title(title)
    plt.close(fig)
    return fig
