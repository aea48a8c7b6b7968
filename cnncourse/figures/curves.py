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

from ..i18n.translate import tr
from .fonts import localize_figure

from .palette import BLUE, OKABE_ITO, ORANGE
TRAIN_COLOUR, VAL_COLOUR = OKABE_ITO[0], OKABE_ITO[1]  # training and validation curves


def plot_activations(names: Sequence[str] | None = None, *, slope: float = 0.1, limit: float = 4.0,
                     columns: int | None = None) -> Figure:
    """Plot activation functions and their derivatives, one panel each.

    Parameters
    ----------
    names : sequence of str, optional
        Keys of :data:`cnncourse.ops.activations.ACTIVATIONS`; by default all of them.
    slope : float, optional
        The slope used for leaky ReLU (larger than usual, so that it shows).
    limit : float, optional
        The x axis runs from ``-limit`` to ``limit``.
    columns : int, optional
        Panels per row (by default all in one row); e.g. 2 for a narrow screen.

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> fig = plot_activations(["relu", "sigmoid"])
    >>> len(fig.axes)
    2
    """
    from ..ops.activations import ACTIVATIONS, get_activation

    names = list(ACTIVATIONS) if names is None else list(names)
    if not names:
        raise ValueError("names must contain at least one activation name")
    columns = len(names) if columns is None else columns
    if not isinstance(columns, int) or columns < 1:
        raise ValueError(f"columns must be a whole number of at least 1, got {columns!r}")
    columns = min(columns, len(names))
    rows = -(-len(names) // columns)
    x = np.linspace(-limit, limit, 401)
    fig, axes = plt.subplots(rows, columns, figsize=(2.6 * columns, 2.6 * rows), sharey=True,
                             squeeze=False, layout="constrained")
    for ax in axes.flat[len(names):]:
        ax.set_axis_off()  # the empty places of the last row
    for ax, name in zip(axes.flat, names):
        function, derivative = get_activation(name)
        kwargs = {"slope": slope} if name == "leaky_relu" else {}
        ax.axhline(0, color="0.6", linewidth=0.8)
        ax.axvline(0, color="0.6", linewidth=0.8)
        ax.plot(x, function(x, **kwargs), color=BLUE, linewidth=2, label="f(x)")
        ax.plot(x, derivative(x, **kwargs), color=ORANGE, linewidth=2, linestyle="--", label="f'(x)")
        labels = {"relu": "ReLU", "leaky_relu": "leaky ReLU", "gelu": "GELU"}
        title = labels.get(name, name) + (f" (slope {slope:g})" if kwargs else "")
        ax.set_title(tr(title), fontsize=10)
        ax.set_ylim(-1.5, limit)
        ax.set_xlabel("x")
        ax.grid(alpha=0.3)
    axes.flat[0].legend(loc="upper left", fontsize=9)
    plt.close(fig)
    localize_figure(fig)
    return fig


def plot_history(history: dict[str, Sequence[float]], *, title: str | None = None, columns: int = 2) -> Figure:
    """Training and validation loss (left) and accuracy (right), per epoch.

    Parameters
    ----------
    history : dict
        ``"train_loss"``, ``"val_loss"``, ``"train_accuracy"`` and
        ``"val_accuracy"``, one number per epoch (as in
        :attr:`cnncourse.nets.training.TrainingRun.history`).
    title : str, optional
    columns : {2, 1}, optional
        1 puts the accuracy below the loss, for a narrow screen.

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> history = {"train_loss": [1.0, 0.5], "val_loss": [0.9, 0.6],
    ...            "train_accuracy": [0.5, 0.8], "val_accuracy": [0.6, 0.8]}
    >>> len(plot_history(history).axes), plot_history(history, columns=1).get_size_inches().tolist()
    (2, [4.6, 6.4])
    """
    missing = [k for k in ("train_loss", "val_loss", "train_accuracy", "val_accuracy") if k not in history]
    if missing:
        raise ValueError(f"history is missing {', '.join(missing)}")
    if columns not in (1, 2):
        raise ValueError(f"columns must be 1 or 2, got {columns!r}")
    shape, size = ((1, 2), (9, 3.4)) if columns == 2 else ((2, 1), (4.6, 6.4))
    fig, (left, right) = plt.subplots(*shape, figsize=size, layout="constrained")
    for ax, key, label in ((left, "loss", "cross-entropy loss"), (right, "accuracy", "accuracy")):
        for part, colour, style, marker in (("train", TRAIN_COLOUR, "-", "o"), ("val", VAL_COLOUR, "--", "s")):
            values = np.asarray(history[f"{part}_{key}"], dtype=float)
            epochs = np.arange(1, len(values) + 1)
            ax.plot(epochs, values, style, marker=marker, color=colour,
                    label=tr("training") if part == "train" else tr("validation"))
        ax.set_xlabel(tr("epoch"))
        ax.set_ylabel(tr(label))
        ax.grid(alpha=0.3)
        ax.legend()
    right.set_ylim(top=1.0)
    if title:
        fig.suptitle(tr(title))
    plt.close(fig)
    localize_figure(fig)
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
                label=tr(f"{label} (mean of {values.shape[1]})" if label else f"mean of {values.shape[1]} filters"))
    ax.set_xlabel(tr("gradient-ascent step"))
    ax.set_ylabel(tr(ylabel))
    ax.legend(frameon=False)
    ax.grid(alpha=0.3)
    if title:
        ax.set_title(tr(title))
    plt.close(fig)
    localize_figure(fig)
    return fig


class ResponsiveFigure:
    """A wide figure, and a narrower arrangement of it shown on narrow screens instead.

    In a notebook and on the website it is an HTML ``<picture>``: browsers
    (and JupyterLab) narrower than ``breakpoint`` CSS pixels show ``narrow``
    (e.g. the panels in two columns), wider ones ``wide``; only one of them
    is drawn. Front ends without HTML get the wide figure as a PNG.

    Parameters
    ----------
    wide, narrow : matplotlib.figure.Figure
        The two arrangements of the same figure.
    alt : str
        What the figure shows, for readers who cannot see it.
    breakpoint : int, optional
        The widest screen, in CSS pixels, that gets ``narrow``.

    Examples
    --------
    >>> fig = ResponsiveFigure(plot_activations(["relu", "tanh"]), plot_activations(["relu", "tanh"], columns=1),
    ...                        alt="ReLU and tanh")
    >>> html = fig._repr_html_()
    >>> html.count("<img"), html.count("<source"), 'alt="ReLU and tanh"' in html
    (1, 1, True)
    """

    def __init__(self, wide: Figure, narrow: Figure, *, alt: str, breakpoint: int = 600) -> None:
        if not str(alt).strip():
            raise ValueError("alt must say what the figure shows, got an empty text")
        if not isinstance(breakpoint, int) or breakpoint < 1:
            raise ValueError(f"breakpoint must be a positive number of CSS pixels, got {breakpoint!r}")
        self.wide, self.narrow, self.alt, self.breakpoint = wide, narrow, str(alt), breakpoint

    @classmethod
    def of(cls, plot: Any, *args: Any, narrow: dict[str, Any], alt: str, breakpoint: int = 600,
           **kwargs: Any) -> ResponsiveFigure:
        """Draw ``plot(*args, **kwargs)`` twice: as given, and with the options ``narrow`` changed.

        Parameters
        ----------
        plot : callable returning a matplotlib.figure.Figure
            A plotting function, e.g. :func:`cnncourse.figures.plotting.image_grid`.
        *args, **kwargs
            Its arguments, for the wide arrangement.
        narrow : dict
            The keyword arguments that differ in the narrow arrangement, e.g.
            ``dict(ncols=2, panel_inches=1.8)``.
        alt, breakpoint
            As for :class:`ResponsiveFigure`.

        Examples
        --------
        >>> fig = ResponsiveFigure.of(plot_activations, ["relu", "tanh"], narrow=dict(columns=1), alt="ReLU, tanh")
        >>> [len(f.axes) for f in (fig.wide, fig.narrow)], fig.narrow.get_size_inches().tolist()
        ([2, 2], [2.6, 5.2])
        """
        if not isinstance(narrow, dict) or not narrow:
            raise ValueError(f"narrow must be a non-empty dict of the options that change, got {narrow!r}")
        return cls(plot(*args, **kwargs), plot(*args, **{**kwargs, **narrow}), alt=alt, breakpoint=breakpoint)

    @staticmethod
    def _png(fig: Figure) -> tuple[bytes, int, int]:
        import io

        buffer = io.BytesIO()
        fig.savefig(buffer, format="png", dpi=100, bbox_inches="tight")  # as Jupyter shows a figure
        data = buffer.getvalue()
        return data, int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")  # PNG's IHDR

    def _repr_png_(self) -> bytes:
        return self._png(self.wide)[0]

    def _repr_html_(self) -> str:
        import html

        from .pictures import data_uri, picture_html

        (wide, w, h), (narrow, nw, nh) = self._png(self.wide), self._png(self.narrow)
        img = (f'<img src="{data_uri(wide, "image/png")}" alt="{html.escape(tr(self.alt))}" width="{w}" '
               f'height="{h}" style="max-width: 100%; height: auto;">')
        return picture_html(img, data_uri(narrow, "image/png"), breakpoint=self.breakpoint, size=(nw, nh),
                            css_class="cnn-responsive")
