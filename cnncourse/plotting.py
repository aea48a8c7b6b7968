"""Figures of the course: image grids, feature maps and small matrices.

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

__all__ = ["image_grid", "plot_matrix", "SIGNED_CMAP", "MAGNITUDE_CMAP"]

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
    suptitle: str | None = None,
    size: float = 2.2,
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
    suptitle : str, optional
        A title above the grid.
    size : float, optional
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
    fig, axes = plt.subplots(nrows, ncols, figsize=(size * ncols, size * nrows + (0.4 if suptitle else 0)),
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
            ax.set_title(titles[index], fontsize=10)
    if suptitle:
        fig.suptitle(suptitle)
    plt.close(fig)  # the caller displays it; do not also show it twice
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
        ax.set_title(title, fontsize=10)
    return fig
