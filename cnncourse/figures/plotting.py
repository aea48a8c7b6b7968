"""Pictures of arrays: image grids, small matrices, feature maps, filters and response tables.

Every function returns a :class:`matplotlib.figure.Figure` and shows nothing
by itself; in a notebook the figure is displayed as the cell's result.
Colour maps are colour-blind safe: ``cividis``/``viridis`` for magnitudes,
``RdBu_r`` centred on zero for signed values, ``gray`` for grayscale photos.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from ..i18n.translate import tr
from .fonts import localize_figure

SIGNED_CMAP = "RdBu_r"
MAGNITUDE_CMAP = "cividis"


def _as_display(image: Any) -> np.ndarray:
    array = np.asarray(image)
    if array.ndim == 3 and array.shape[0] in (1, 3) and array.shape[-1] not in (1, 3):
        array = np.moveaxis(array, 0, -1)  # (C, H, W) -> (H, W, C)
    if array.ndim == 3 and array.shape[-1] == 1:
        array = array[..., 0]
    return array


def image_grid(
    images: Sequence[Any],
    *,
    titles: Sequence[str] | None = None,
    ncols: int | None = None,
    cmap: str | None = None,
    signed: bool = False,
    title: str | None = None,
    panel_inches: float = 2.2,
) -> Figure:
    """Show images side by side in a grid, without axes.

    Parameters
    ----------
    images : sequence of array_like
        RGB images (H, W, 3) or (3, H, W), or 2-D arrays.
    titles : sequence of str, optional
        One title per image.
    ncols : int, optional
        Columns of the grid; by default all images on one row, at most 8.
    cmap : str, optional
        Colour map for 2-D arrays; by default ``RdBu_r`` if ``signed`` else
        ``gray``.
    signed : bool, optional
        Centre the colour scale of each 2-D array on zero (for filter
        responses, which can be negative).
    title : str, optional
        A title above the grid (the figure's, as in every figure function).
    panel_inches : float, optional
        Size of one cell of the grid, in inches.

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> fig = image_grid([np.eye(3), -np.eye(3)], titles=["a", "b"], signed=True)
    >>> len(fig.axes)
    2
    """
    images = [_as_display(im) for im in images]
    if not images:
        raise ValueError("images must contain at least one image")
    if titles is not None and len(titles) != len(images):
        raise ValueError(f"titles has {len(titles)} entries for {len(images)} images")
    ncols = ncols or min(len(images), 8)
    nrows = -(-len(images) // ncols)
    fig, axes = plt.subplots(nrows, ncols, figsize=(panel_inches * ncols, panel_inches * nrows + (0.4 if title else 0)),
                             squeeze=False, layout="constrained")
    for index, ax in enumerate(axes.flat):
        ax.set_axis_off()
        if index >= len(images):
            continue
        image = images[index]
        if image.ndim == 2:
            if signed:
                limit = float(np.abs(image).max()) or 1.0
                ax.imshow(image, cmap=cmap or SIGNED_CMAP, vmin=-limit, vmax=limit)
            else:
                ax.imshow(image, cmap=cmap or "gray")
        else:
            ax.imshow(image)
        if titles is not None:
            ax.set_title(tr(titles[index]), fontsize=10)
    if title:
        fig.suptitle(tr(title))
    plt.close(fig)  # the caller displays it; do not also show it twice
    localize_figure(fig)
    return fig


def plot_matrix(
    values: Any,
    *,
    window: tuple[int, int, int, int] | None = None,
    title: str | None = None,
    decimals: int = 0,
    ax: Any = None,
) -> Figure:
    """Draw a small matrix with its numbers, and optionally a highlighted window.

    Parameters
    ----------
    values : array_like, shape (H, W)
    window : (top, left, height, width), optional
        A thick black frame around these cells.
    title : str, optional
    decimals : int, optional
        Decimals of the numbers written in the cells.
    ax : matplotlib.axes.Axes, optional
        Draw into this axes instead of a new figure.

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> fig = plot_matrix(np.arange(9).reshape(3, 3), window=(0, 0, 2, 2))
    """
    values = np.asarray(values, dtype=float)
    if values.ndim != 2:
        raise ValueError(f"values must have shape (H, W), got {values.shape}")
    if ax is None:
        fig, ax = plt.subplots(figsize=(0.55 * values.shape[1] + 0.4, 0.55 * values.shape[0] + 0.5))
        plt.close(fig)
    else:
        fig = ax.figure
    limit = float(np.abs(values).max()) or 1.0
    ax.imshow(values, cmap=SIGNED_CMAP, vmin=-2 * limit, vmax=2 * limit)
    for (r, c), v in np.ndenumerate(values):
        ax.text(c, r, f"{v:.{decimals}f}", ha="center", va="center", fontsize=11)
    ax.set_xticks(np.arange(-0.5, values.shape[1]), minor=True)
    ax.set_yticks(np.arange(-0.5, values.shape[0]), minor=True)
    ax.grid(which="minor", color="0.4", linewidth=0.8)
    ax.tick_params(which="both", length=0, labelbottom=False, labelleft=False)
    if window is not None:
        top, left, h, w = window
        ax.add_patch(Rectangle((left - 0.5, top - 0.5), w, h, fill=False, edgecolor="black", linewidth=3.5))
    if title:
        ax.set_title(tr(title), fontsize=10)
    localize_figure(fig)
    return fig


def plot_feature_maps(
    maps: Any,
    channels: Any,
    *,
    panel_inches: float = 1.5,
    cmap: str = "viridis",
    title: str | None = None,
    ncols: int | None = None,
) -> Figure:
    """Feature maps of several layers: one row per layer, one column per channel.

    Each map is scaled by its own maximum (dark: no response; bright: the
    map's strongest response), since the responses of different layers and
    channels have very different sizes.

    Parameters
    ----------
    maps : mapping of str to array_like
        Layer name to its ``(C, H, W)`` output, as from
        :func:`cnncourse.nets.vgg_maps.feature_maps`.
    channels : sequence of int, or mapping of str to sequence of int
        The channels to show: the same for every layer, or one list per layer
        (all lists of the same length).
    panel_inches : float, optional
        Size of one map in inches.
    cmap : str, optional
        Colour map; ``viridis`` (the default) is colour-blind safe.
    title : str, optional
        A title above the grid (the figure's, as in every figure function).
    ncols : int, optional
        Maps per row (by default all channels of a layer on one row); a
        layer's further channels wrap onto the rows below it, e.g. for a
        narrow screen.

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> fig = plot_feature_maps({"a": np.ones((4, 5, 5)), "b": np.ones((4, 2, 2))}, [0, 3])
    >>> len(fig.axes)
    4
    >>> plot_feature_maps({"a": np.ones((4, 5, 5))}, [0, 1, 2], ncols=2).axes[3].axison  # 2 rows of 2
    False
    """
    names = list(maps)
    if not names:
        raise ValueError("maps must contain at least one layer")
    per_layer = {name: list(channels[name] if isinstance(channels, dict) else channels) for name in names}
    count = len(per_layer[names[0]])
    if count == 0 or any(len(c) != count for c in per_layer.values()):
        raise ValueError("channels must list the same, non-zero number of channels for every layer")
    ncols = count if ncols is None else ncols
    if not isinstance(ncols, int) or ncols < 1:
        raise ValueError(f"ncols must be a whole number of at least 1, got {ncols!r}")
    ncols = min(ncols, count)
    wrap = -(-count // ncols)  # rows per layer
    fig, axes = plt.subplots(len(names) * wrap, ncols, squeeze=False, layout="constrained",
                             figsize=(panel_inches * ncols + 1.4, panel_inches * len(names) * wrap + 0.3))
    for ax in axes.flat:
        ax.set_axis_off()  # turned on below where a map is drawn
    for row, name in enumerate(names):
        array = np.asarray(maps[name])
        if array.ndim != 3:
            raise ValueError(f"maps[{name!r}] must have shape (C, H, W), got {array.shape}")
        for col, channel in enumerate(per_layer[name]):
            if not 0 <= channel < array.shape[0]:
                raise ValueError(f"channel {channel} is out of range for {name}, which has {array.shape[0]} channels")
            ax = axes[row * wrap + col // ncols, col % ncols]
            ax.set_axis_on()
            image = array[channel]
            ax.imshow(image, cmap=cmap, vmin=0, vmax=max(float(image.max()), 1e-12), interpolation="nearest")
            ax.set_xticks([])
            ax.set_yticks([])
            ax.set_title(tr("channel {channel}").format(channel=channel), fontsize=8)
            if col % ncols == 0 and col < ncols:
                c, h, w = array.shape
                ax.set_ylabel(f"{tr(name)}\n{c}×{h}×{w}", fontsize=8)
    if title:
        fig.suptitle(tr(title))
    plt.close(fig)
    localize_figure(fig)
    return fig


def plot_filter_rows(rows: Sequence[Any], labels: Sequence[str], *, panel_inches: float = 0.9,
                     title: str | None = None) -> Figure:
    """Filters in rows (one row per moment or model), on one shared colour scale.

    Parameters
    ----------
    rows : sequence of array_like, each shape (F, kh, kw) or (F, 1, kh, kw)
        The filters of one row; every row has the same number of filters.
    labels : sequence of str
        One label per row, written on its left.
    panel_inches : float, optional
        Size of one filter, in inches.
    title : str, optional

    Returns
    -------
    matplotlib.figure.Figure
        Red is positive, blue negative, white zero (``RdBu_r``); one scale for
        the whole figure, so rows can be compared.

    Examples
    --------
    >>> fig = plot_filter_rows([np.ones((3, 5, 5)), -np.ones((3, 5, 5))], ["a", "b"])
    >>> len(fig.axes)
    7
    """
    arrays = [np.asarray(r, dtype=float) for r in rows]
    arrays = [a[:, 0] if a.ndim == 4 else a for a in arrays]
    if not arrays or len(labels) != len(arrays):
        raise ValueError(f"rows and labels must be non-empty and of equal length, got {len(arrays)} and "
                         f"{len(labels)}")
    if any(a.ndim != 3 for a in arrays) or len({a.shape[0] for a in arrays}) != 1:
        raise ValueError("every row must have shape (F, kh, kw) with the same number of filters F")
    n = arrays[0].shape[0]
    limit = max(float(np.abs(a).max()) for a in arrays) or 1.0
    fig, axes = plt.subplots(len(arrays), n, figsize=(panel_inches * n + 1.6, panel_inches * len(arrays) + 0.6),
                             squeeze=False, layout="constrained")
    for r, (array, label) in enumerate(zip(arrays, labels)):
        for c in range(n):
            ax = axes[r, c]
            image = ax.imshow(array[c], cmap=SIGNED_CMAP, vmin=-limit, vmax=limit)
            ax.set_xticks([])
            ax.set_yticks([])
            if r == 0:
                ax.set_title(f"{c}", fontsize=9)
        axes[r, 0].set_ylabel(tr(label), rotation=0, ha="right", va="center", fontsize=9)
    fig.colorbar(image, ax=axes, shrink=0.8, label=tr("weight"))
    if title:
        fig.suptitle(tr(title))
    plt.close(fig)
    localize_figure(fig)
    return fig


def plot_class_responses(responses: Any, class_names: Sequence[str], *, title: str | None = None,
                         vertical: bool = False) -> Figure:
    """Heat map: how strongly each channel fires for each class.

    Each column (channel) is divided by its largest value, so that 1 marks
    the class the channel prefers; channels that never fire stay 0.

    Parameters
    ----------
    responses : array_like, shape (classes, channels)
        Mean activations (see :func:`cnncourse.featureviz.inspection.class_responses`).
    class_names : sequence of str
    title : str, optional
    vertical : bool, optional
        One row per channel and one column per class (for a narrow screen)
        instead of one row per class.

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> fig = plot_class_responses(np.eye(2), ["a", "b"])
    >>> plot_class_responses(np.ones((2, 5)), ["a", "b"], vertical=True).axes[0].get_ylabel()
    'channel'
    """
    values = np.asarray(responses, dtype=float)
    if values.ndim != 2 or values.shape[0] != len(class_names):
        raise ValueError(f"responses must have shape ({len(class_names)}, channels), got {values.shape}")
    peak = values.max(axis=0, keepdims=True)
    relative = np.divide(values, peak, out=np.zeros_like(values), where=peak > 0)
    classes, channels = values.shape
    if vertical:
        fig, ax = plt.subplots(figsize=(0.5 * classes + 2.4, 0.2 * channels + 1.8), layout="constrained")
        image = ax.imshow(relative.T, cmap=MAGNITUDE_CMAP, vmin=0, vmax=1, aspect="auto")
        ax.set_xticks(range(classes), [tr(n) for n in class_names], rotation=45, ha="right")
        ax.set_yticks(range(channels))
        ax.tick_params(axis="y", labelsize=7)
        ax.set_ylabel(tr("channel"))
    else:
        fig, ax = plt.subplots(figsize=(0.28 * channels + 2.8, 0.4 * classes + 1.2), layout="constrained")
        image = ax.imshow(relative, cmap=MAGNITUDE_CMAP, vmin=0, vmax=1, aspect="auto")
        ax.set_yticks(range(classes), [tr(n) for n in class_names])
        ax.set_xticks(range(channels))
        ax.tick_params(axis="x", labelsize=7)
        ax.set_xlabel(tr("channel"))
    fig.colorbar(image, ax=ax, label=tr("response / channel's largest"))
    if title:
        ax.set_title(tr(title))
    plt.close(fig)
    localize_figure(fig)
    return fig
