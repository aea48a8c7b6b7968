"""The figures of chapter 3, Activation functions.

Each function draws one figure of the chapter and returns it; its alt text is
the constant of the same name with ``_ALT`` (the cell's ``mystnb.image.alt``).
"""

from __future__ import annotations

from typing import Any

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure

from ..figures.curves import ResponsiveFigure, plot_activations
from ..figures.fonts import localize_figure
from ..i18n.translate import tr
from ..figures.palette import BLUE, BLUISH_GREEN, GREY, ORANGE
from ..figures.plotting import image_grid

FUNCTIONS_ALT = 'Five small plots for x from -4 to 4, each with the function as a solid blue line and its derivative as a dashed orange line. Sigmoid: an S-curve from 0 to 1, derivative a low bump peaking at 0.25. Tanh: an S-curve from -1 to 1, derivative a bump peaking at 1. ReLU: flat at 0, then the diagonal; derivative a step from 0 to 1. Leaky ReLU with slope 0.1: a shallow line for negative x, then the diagonal; derivative a step from 0.1 to 1. GELU: like ReLU but smooth, dipping slightly below zero near x = -0.75; derivative a smooth step that overshoots 1.'
GRADIENT_SIZES_ALT = "A line chart on a logarithmic scale of the gradient size at each of 20 layers. The ReLU network's line (blue, solid) stays roughly level, within one order of magnitude. The sigmoid network's line (orange, dashed) climbs steadily from layer 1 to layer 20, across many orders of magnitude."
RELU_ON_A_MAP_ALT = "Left, the cat's vertical-edge map in red and blue: red along edges where the photo gets brighter to the right, blue where it gets darker. Middle, the same map after ReLU: the red edges remain and every blue one has turned white (zero). Right, two histograms on a log scale: before ReLU the values spread on both sides of zero; after ReLU all negative values are gone and a tall spike sits at zero."
BLOCK_ALT = 'Four panels from left to right: the colour photo of the cat; its vertical-edge map in red and blue; the same map after ReLU, with only red edges left on white; and the max-pooled map, with half the height and width in pixels (drawn at the same size), blockier, with the same red edges.'


def functions_and_derivatives() -> ResponsiveFigure:
    """The five activation functions and their derivatives: one row of panels, two columns on a phone.

    Examples
    --------
    >>> functions_and_derivatives().alt == FUNCTIONS_ALT
    True
    """
    return ResponsiveFigure(plot_activations(), plot_activations(columns=2), alt=FUNCTIONS_ALT)


def gradient_sizes(sizes: dict[str, Any]) -> Figure:
    """The size of the gradient at each layer (log scale), one line per network (a dict: name -> sizes).

    The first network is drawn dashed orange, the second solid blue.

    Parameters
    ----------
    sizes : dict of str to sequence of float
        Network name -> the gradient's size at each layer, input first; two networks.

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> gradient_sizes({"sigmoid": [1e-6, 1e-3, 1.0], "ReLU": [1.0, 1.0, 1.0]}).axes[0].get_title()
    'Gradients through 20 layers'
    """
    fig, ax = plt.subplots(figsize=(5.5, 2.8), layout="constrained")
    for (name, g), colour, style in zip(sizes.items(), [ORANGE, BLUE], ["--", "-"]):
        ax.semilogy(range(1, len(g) + 1), g, style, marker="o", markersize=3, color=colour, label=tr(name))
    ax.set_xlabel(tr("layer (1 = closest to the input)"))
    ax.set_ylabel(tr("size of the gradient"))
    ax.set_xticks([1, 5, 10, 15, 20])
    ax.legend()
    ax.set_title(tr("Gradients through 20 layers"))
    plt.close(fig)
    return localize_figure(fig)


def _before_and_after(edges: Any, rectified: Any, *, narrow: bool) -> Figure:
    limit = np.percentile(np.abs(edges), 99)  # saturate the colours at the 99th percentile
    if narrow:  # the two maps above the histogram
        fig, axes = plt.subplot_mosaic([["map", "relu"], ["hist"] * 2], figsize=(4.4, 4.8),
                                       height_ratios=[1, 1.4], layout="constrained")
    else:
        fig, axes = plt.subplot_mosaic([["map", "relu", "hist"]], figsize=(11, 2.9),
                                       width_ratios=[1.5, 1.5, 1.2], layout="constrained")
    for key, data, title in [("map", edges, "feature map"), ("relu", rectified, "after ReLU")]:
        axes[key].imshow(data, cmap="RdBu_r", vmin=-limit, vmax=limit)
        axes[key].set_title(tr(title), fontsize=10)
        axes[key].set_axis_off()
    ax = axes["hist"]
    bins = np.linspace(edges.min(), edges.max(), 61)
    ax.hist(edges.ravel(), bins=bins, color=GREY, alpha=0.7, label=tr("before"))
    ax.hist(rectified.ravel(), bins=bins, histtype="step", color=BLUISH_GREEN, linewidth=2, label=tr("after ReLU"))
    ax.set_yscale("log")
    ax.set_xlabel(tr("value"))
    ax.set_ylabel(tr("number of pixels"))
    ax.legend(fontsize=8)
    plt.close(fig)
    return localize_figure(fig)


def relu_on_a_map(edges: Any, rectified: Any) -> ResponsiveFigure:
    """A feature map and the same map after ReLU, in red and blue, and the histograms of their values.

    In a row; on a phone the two maps above the histogram.

    Parameters
    ----------
    edges : array_like, 2-D
        A feature map.
    rectified : array_like, 2-D
        The same map after ReLU.

    Returns
    -------
    ResponsiveFigure
        A wide figure and its narrow (phone) layout.

    Examples
    --------
    >>> edges = np.random.default_rng(0).normal(size=(8, 8))
    >>> relu_on_a_map(edges, np.maximum(edges, 0)).alt == RELU_ON_A_MAP_ALT
    True
    """
    return ResponsiveFigure(_before_and_after(edges, rectified, narrow=False),
                            _before_and_after(edges, rectified, narrow=True), alt=RELU_ON_A_MAP_ALT)


def block(photo: Any, convolved: Any, activated: Any, pooled: Any) -> ResponsiveFigure:
    """A conv → ReLU → pool block, stage by stage: the photo (3, H, W), then channel 1 (the vertical
    edge) of the convolved, activated and pooled maps, on one colour scale centred on zero.

    Parameters
    ----------
    photo : array_like, shape (3, H, W)
        The input.
    convolved, activated, pooled : array_like, shape (C, h, w)
        The maps after the convolution, ReLU and pooling; C at least 2.

    Returns
    -------
    ResponsiveFigure
        A wide figure and its narrow (phone) layout.

    Examples
    --------
    >>> maps = np.random.default_rng(0).normal(size=(4, 8, 8))
    >>> block(np.zeros((3, 10, 10)), maps, np.maximum(maps, 0), np.maximum(maps, 0)[:, ::2, ::2]).alt[:4]
    'Four'
    """
    limit = np.percentile(np.abs(convolved[1]), 99.5)  # saturate the colours of the brightest 0.5%
    stages = [photo, *(np.clip(m[1], -limit, limit) for m in (convolved, activated, pooled))]
    titles = [f"photo {photo.shape}", f"conv, vertical edge {convolved.shape[1:]}",
              f"ReLU {activated.shape[1:]}", f"2×2 max pool {pooled.shape[1:]}"]
    return ResponsiveFigure.of(image_grid, stages, titles=titles, ncols=4, signed=True, panel_inches=3.2,
                               narrow=dict(ncols=2, panel_inches=2.1), alt=BLOCK_ALT)
