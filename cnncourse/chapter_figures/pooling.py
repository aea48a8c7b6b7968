"""The figures of chapter 2, Pooling.

Each function draws one figure of the chapter and returns it; its alt text is
the constant of the same name with ``_ALT`` (the cell's ``mystnb.image.alt``).
"""

from __future__ import annotations

from typing import Any

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure

from ..figures.curves import ResponsiveFigure
from ..figures.fonts import localize_figure
from ..i18n.translate import tr
from ..figures.palette import ORANGE, SKY_BLUE
from ..figures.plotting import image_grid, plot_matrix
from ..ops.pooling import pool2d

MAX_AND_AVERAGE_ALT = 'Three grids of numbers: the 4 by 4 input with an orange frame around its bottom-right 2 by 2 block (5, 6, 7, 8); the 2 by 2 max-pooling output 4, 2, 2, 8, whose bottom-right cell 8 is framed; and the 2 by 2 average-pooling output 2.5, 1, 1.25, 6.5, whose bottom-right cell 6.5 is framed.'
POOLED_MAPS_ALT = "Four versions of the cat's vertical-edge map, shown at the same size: the full 298 by 449 map, and its 2 by 2, 4 by 4 and 8 by 8 max-pooled versions, which look blockier but still show the bright outlines of the eyes, ears and face."
TRAINING_CURVES_ALT = 'Three line charts of accuracy against the training epoch: the network with pooling, the same network without pooling, and the control, without pooling but with global average pooling. Each shows the accuracy on the training images as a solid line with circles and on the validation images as a dashed line with squares, up to the epoch where its training stopped; the vertical distance between the two lines is the gap that measures overfitting.'


def _matrices(x: Any, *, narrow: bool) -> Figure:
    if narrow:  # the input above, the two poolings below
        fig, axes = plt.subplot_mosaic([["input"] * 2, ["max", "avg"]], figsize=(4.2, 5.2),
                                       height_ratios=[4, 2], layout="constrained")
    else:
        fig, axes = plt.subplot_mosaic([["input", "max", "avg"]], figsize=(8, 2.9),
                                       width_ratios=[4, 2, 2], layout="constrained")
    plot_matrix(x, window=(2, 2, 2, 2), title="input (bottom-right window)", ax=axes["input"])
    plot_matrix(pool2d(x, 2), window=(1, 1, 1, 1), title="max pooling", ax=axes["max"])
    plot_matrix(pool2d(x, 2, mode="avg"), window=(1, 1, 1, 1), title="average pooling", decimals=2,
                ax=axes["avg"])
    plt.close(fig)
    return fig


def max_and_average(x: Any) -> ResponsiveFigure:
    """A 4×4 input and its 2×2 max and average pooling, with the bottom-right window framed.

    In a row; on a phone the input above, the two poolings below.

    Parameters
    ----------
    x : array_like, shape (4, 4)
        The input.

    Returns
    -------
    ResponsiveFigure
        A wide figure and its narrow (phone) layout.

    Examples
    --------
    >>> max_and_average(np.arange(16).reshape(4, 4)).alt == MAX_AND_AVERAGE_ALT
    True
    """
    return ResponsiveFigure(_matrices(x, narrow=False), _matrices(x, narrow=True), alt=MAX_AND_AVERAGE_ALT)


def _saturated(values: Any) -> np.ndarray:
    """Display only: the brightest 0.5% saturate, so faint edges show."""
    return np.minimum(values, np.percentile(values, 99.5))


def pooled_maps(edges: Any, pooled: dict[int, Any]) -> ResponsiveFigure:
    """A feature map and its max-pooled versions (a dict: window side -> pooled map), at the same size.

    Parameters
    ----------
    edges : array_like, 2-D
        A feature map.
    pooled : dict of int to array_like, 2-D
        Window side -> the max-pooled map.

    Returns
    -------
    ResponsiveFigure
        A wide figure and its narrow (phone) layout.

    Examples
    --------
    >>> edges = np.random.default_rng(0).random((16, 16))
    >>> pooled_maps(edges, {k: pool2d(edges, k) for k in (2, 4)}).wide.axes[1].get_title()
    '2×2 max pool → 8×8'
    """
    return ResponsiveFigure.of(
        image_grid, [_saturated(m) for m in (edges, *pooled.values())],
        titles=[f"feature map {edges.shape[0]}×{edges.shape[1]}",
                *(f"{k}×{k} max pool → {p.shape[0]}×{p.shape[1]}" for k, p in pooled.items())],
        cmap="cividis", ncols=4, panel_inches=3.0, narrow=dict(ncols=2, panel_inches=2.0), alt=POOLED_MAPS_ALT)


def training_curves(runs: dict[str, Any]) -> Figure:
    """Training and validation accuracy against the epoch, one chart per run (a dict: name -> TrainingRun).

    Parameters
    ----------
    runs : dict of str to TrainingRun
        Name -> run (its ``history`` is drawn).

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> from types import SimpleNamespace
    >>> run = SimpleNamespace(history={"train_accuracy": [0.5, 0.8], "val_accuracy": [0.4, 0.6]})
    >>> [ax.get_title() for ax in training_curves({"with pooling": run, "without pooling": run}).axes]
    ['with pooling', 'without pooling']
    """
    with plt.rc_context({"font.size": 12}):  # readable on a phone too
        fig, axes = plt.subplots(1, len(runs), figsize=(3.4 * len(runs), 3.6), sharey=True, layout="constrained",
                                 squeeze=False)
        for ax, (name, run) in zip(axes[0], runs.items()):
            epochs = np.arange(1, len(run.history["val_accuracy"]) + 1)
            ax.plot(epochs, run.history["train_accuracy"], "-o", color=ORANGE, markersize=4, label=tr("training"))
            ax.plot(epochs, run.history["val_accuracy"], "--s", color=SKY_BLUE, markersize=4, label=tr("validation"))
            ax.set_title(tr(name), fontsize=11)
            ax.set_xlabel(tr("epoch"))
            ax.set_ylim(0, 1.02)
            ax.grid(alpha=0.3)
        axes[0, 0].set_ylabel(tr("accuracy"))
        axes[0, 0].legend(loc="lower right")
    plt.close(fig)
    return localize_figure(fig)
