"""The figures of chapter 1, Convolution.

Each function draws one figure of the chapter and returns it; its alt text is
the constant of the same name with ``_ALT`` (the cell's ``mystnb.image.alt``).
"""

from __future__ import annotations

from typing import Any

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure

from ..ops.convolution import conv2d
from ..figures.curves import ResponsiveFigure
from ..figures.fonts import localize_figure
from ..i18n.translate import tr
from ..ops.kernels import KERNELS
from ..figures.palette import BLUE
from ..figures.plotting import image_grid, plot_matrix

CLASSIC_EXAMPLE_ALT = 'Three grids of numbers: the 5 by 5 image with an orange frame around the 3 by 3 patch at row 1, column 2; the 3 by 3 kernel; and the 3 by 3 output, where the framed cell holds 3, the sum of that patch times the kernel.'
EDGE_MAPS_ALT = 'A two-by-two grid: the cat photo in gray, and its horizontal-, vertical- and diagonal-edge maps in red (positive), white (zero) and blue (negative), each with a colour bar. The horizontal-edge map lights up along the whiskers and the upper and lower rims of the eyes, the vertical-edge map along the left and right rims of the eyes, the sides of the nose and the stripes on the forehead, the diagonal-edge map along slanted outlines; flat areas such as the background stay white.'
BLUR_AND_SHARPEN_ALT = "Three grayscale close-ups of the cat's face: the original, a slightly softer blurred version, and a sharpened version with crisper fur and whiskers."
LINED_UP_ALT = 'Top: the vertical-edge map of the cat photo and, beside it, the map of a view in which the cat sits further right, with a dashed line marking the strip of new columns on its left; the same red and blue edges appear in both, moved to the right. Below: the largest difference in each column between the map of the moved view and the moved map, a flat line at zero with one spike at the first column and one at the last.'
LEARNING_CURVE_ALT = 'A line that falls on a logarithmic scale: the mean squared error between the outputs of the learned kernel and those of the hidden one, from its value for the random starting kernel down to almost zero after 300 steps.'


def _matrices(image: Any, kernel: Any, out: Any, *, narrow: bool) -> Figure:
    if narrow:  # the image above, kernel and output below
        fig, axes = plt.subplot_mosaic([["image"] * 2, ["kernel", "output"]], figsize=(4.2, 5.4),
                                       height_ratios=[5, 3], layout="constrained")
    else:
        fig, axes = plt.subplot_mosaic([["image", "kernel", "output"]], figsize=(8.5, 3),
                                       width_ratios=[5, 3, 3], layout="constrained")
    plot_matrix(image, window=(0, 1, 3, 3), title="image (window at row 1, column 2)", ax=axes["image"])
    plot_matrix(kernel, title="kernel", ax=axes["kernel"])
    plot_matrix(out, window=(0, 1, 1, 1), title="output", ax=axes["output"])
    plt.close(fig)
    return fig


def classic_example(image: Any, kernel: Any, out: Any) -> ResponsiveFigure:
    """The 5×5 image, the 3×3 kernel and the 3×3 output, with the patch at row 1, column 2 framed.

    In a row; on a phone the image above, the kernel and the output below.

    Parameters
    ----------
    image : array_like, shape (5, 5)
        The input.
    kernel : array_like, shape (3, 3)
        The weights.
    out : array_like, shape (3, 3)
        ``conv2d(image, kernel)``.

    Returns
    -------
    ResponsiveFigure
        A wide figure and its narrow (phone) layout.

    Examples
    --------
    >>> from cnncourse import conv2d
    >>> image, kernel = np.eye(5, dtype=int), np.eye(3, dtype=int)
    >>> classic_example(image, kernel, conv2d(image, kernel)).alt == CLASSIC_EXAMPLE_ALT
    True
    """
    return ResponsiveFigure(_matrices(image, kernel, out, narrow=False), _matrices(image, kernel, out, narrow=True),
                            alt=CLASSIC_EXAMPLE_ALT)


def edge_maps(photo: Any, maps: dict[str, Any]) -> Figure:
    """The grayscale photo and its edge maps (a dict: kernel name -> map), red and blue centred on zero.

    Each map's colours saturate at its 99th percentile of absolute values.

    Parameters
    ----------
    photo : array_like, 2-D
        The grayscale photo.
    maps : dict of str to array_like, 2-D
        Kernel name -> edge map.

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> photo = np.random.default_rng(0).random((20, 30))
    >>> fig = edge_maps(photo, {name: conv2d(photo, KERNELS[name]) for name in ("horizontal edge", "vertical edge")})
    >>> [ax.get_title() for ax in fig.axes[:3]]
    ['photo (grayscale)', 'horizontal edge', 'vertical edge']
    """
    fig, axes = plt.subplots(2, 2, figsize=(8, 5.8), layout="constrained")
    axes[0, 0].imshow(photo, cmap="gray", vmin=0, vmax=1)
    axes[0, 0].set_title(tr("photo (grayscale)"), fontsize=12)
    for ax, (name, edges) in zip(axes.flat[1:], maps.items()):
        limit = np.percentile(np.abs(edges), 99)  # the strongest 1 in 100 saturate
        shown = ax.imshow(edges, cmap="RdBu_r", vmin=-limit, vmax=limit)
        fig.colorbar(shown, ax=ax, shrink=0.85, extend="both")
        ax.set_title(tr(name), fontsize=12)
    for ax in axes.flat:
        ax.set_axis_off()
    plt.close(fig)
    return localize_figure(fig)


def blur_and_sharpen(photo: Any, crop: tuple[slice, slice] = (slice(80, 200), slice(150, 330))) -> ResponsiveFigure:
    """A close-up of the photo, blurred (``gaussian blur``) and sharpened (``sharpen``), padding 1.

    ``crop`` is the part shown (by default the cat's face), to see the difference.

    Parameters
    ----------
    photo : array_like, 2-D
        The grayscale photo.
    crop : (slice, slice), optional
        Rows and columns shown, within the photo.

    Returns
    -------
    ResponsiveFigure
        A wide figure and its narrow (phone) layout.

    Examples
    --------
    >>> blur_and_sharpen(np.random.default_rng(0).random((10, 10)), crop=(slice(0, 8), slice(0, 8))).alt[:5]
    'Three'
    """
    blurred = conv2d(photo, KERNELS["gaussian blur"], padding=1)
    sharpened = np.clip(conv2d(photo, KERNELS["sharpen"], padding=1), 0, 1)
    return ResponsiveFigure.of(image_grid, [photo[crop], blurred[crop], sharpened[crop]],
                               titles=["photo (zoom)", "gaussian blur", "sharpen"], ncols=3, panel_inches=3.2,
                               narrow=dict(ncols=2, panel_inches=2.0), alt=BLUR_AND_SHARPEN_ALT)


def lined_up(map_view: Any, map_moved: Any, difference: Any, shift: int) -> Figure:
    """Translation equivariance: the edge maps of the view and of the view moved right by ``shift`` pixels
    (the new strip marked), and below, the largest difference in each column of the lined-up maps.

    Parameters
    ----------
    map_view, map_moved : array_like, 2-D
        The edge maps of the view and of the moved view.
    difference : array_like, 2-D
        The lined-up maps' difference.
    shift : int
        The move, in pixels.

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> fig = lined_up(rng.random((30, 40)), rng.random((30, 40)), np.zeros((30, 36)), 4)
    >>> fig.axes[1].get_title()
    'edge map, cat moved right by 4 px'
    """
    fig = plt.figure(figsize=(8, 5.6), layout="constrained")
    top, bottom = fig.subfigures(2, 1, height_ratios=[1.5, 1])
    axes = top.subplots(1, 2)
    limit = np.percentile(np.abs(map_view), 99)
    for ax, edges, title in zip(axes, [map_view, map_moved],
                                [tr("edge map of the view"), tr(f"edge map, cat moved right by {shift} px")]):
        ax.imshow(edges, cmap="RdBu_r", vmin=-limit, vmax=limit)
        ax.set_title(title, fontsize=11)
        ax.set_axis_off()
    axes[1].axvline(shift - 0.5, color="black", linestyle="--", linewidth=1.5)
    axes[1].text(shift / 2, map_moved.shape[0] - 12, tr("new"), ha="center", va="bottom", fontsize=10,
                 rotation=90, bbox={"facecolor": "white", "edgecolor": "none", "pad": 1})
    ax = bottom.subplots()
    ax.plot(difference.max(axis=0), color=BLUE, marker="o", markersize=4,
            markevery=[0, difference.shape[1] - 1])
    ax.set_xlim(-8, difference.shape[1] + 7)
    ax.set_xlabel(tr("column of the lined-up maps"))
    ax.set_ylabel(tr("largest difference\nin the column"))
    ax.set_title(tr("Lined up: the map of the moved view against the moved map"), fontsize=11)
    plt.close(fig)
    return localize_figure(fig)


def learning_curve(losses: Any) -> Figure:
    """The mean squared error of the learned kernel at every gradient-descent step (log scale).

    Parameters
    ----------
    losses : sequence of float
        The error at each step (drawn on a log scale: only values above 0 show).

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> learning_curve([1.0, 0.1, 0.01]).axes[0].get_yscale()
    'log'
    """
    fig, ax = plt.subplots(figsize=(5, 2.6), layout="constrained")
    ax.semilogy(losses, color=BLUE)
    ax.set_xlabel(tr("gradient-descent step"))
    ax.set_ylabel(tr("mean squared error"))
    ax.set_title(tr("The kernel's error falls as it learns"))
    plt.close(fig)
    return localize_figure(fig)
