"""The figures of chapter 6, Feature maps.

Each function draws one figure of the chapter and returns it; its alt text is
the constant of the same name with ``_ALT`` (the cell's ``mystnb.image.alt``).
A figure drawn from an untrained network (``weights`` other than
``"imagenet"``) says so in its title.
"""

from __future__ import annotations

from typing import Any

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure

from ..figures.curves import ResponsiveFigure
from ..figures.fonts import localize_figure
from ..i18n.translate import tr
from ..figures.palette import BLUE, LIGHT_BLUE, VERMILLION
from ..figures.plotting import image_grid, plot_feature_maps

INPUT_ALT = "The network's input: the photo of Chelsea the cat, a tabby with green eyes, shrunk until its shorter side is 256 pixels, and its central 224 by 224 square."
STRONGEST_ALT = "A grid of feature maps in the viridis colour scale: for the last convolution of each of VGG16's five blocks, a row of the six channels with the strongest response to the cat photo (two rows of three on a narrow screen). The maps shrink from 224 by 224 values in the first block to 14 by 14 in the last, and look less and less like the photo."
LOADED_AND_UNTRAINED_ALT = 'Feature maps of block1_conv2, block3_conv3 and block5_conv3: six channels of each from the network loaded above, and below them the same channels from an untrained network with random weights (six maps to a row, or three on a narrow screen).'
PATTERNS_ALT = 'Six of the small gray test images: two straight edges between dark and light gray, a light line on dark and a dark line on light, and two right-angled corners, one light on dark and one dark on light.'
CORNERS_ALT = 'A scatter plot with one point per channel of block2_conv2: across, its strongest response to a straight edge or line; up, its strongest response to a corner. A solid diagonal marks equal responses and two dashed lines the margin. Channels above the steeper dashed line, orange triangles, prefer corners; channels below the flatter one, blue squares, prefer straight patterns; grey dots in between respond to both about equally.'
RANK_ALT = "Horizontal bars on a logarithmic scale, one row per layer of VGG16 from block1_conv1 at the top to block5_pool at the bottom: a light bar for the number of values of the layer's output and a dark bar inside it for the values that are not zero for the cat photo. Orange dots joined by a line mark the bound on how many independent changes of the photo each layer can see; a dashed vertical line marks the photo's number of values. The orange line starts on the dashed line and, going down the layers, only ever moves left."

BLOCKS = ("block1_conv2", "block2_conv2", "block3_conv3", "block4_conv3", "block5_conv3")
"""The last convolution of each of VGG16's five blocks."""


def _untrained_note(weights: str) -> str | None:
    return (None if weights == "imagenet"
            else "WARNING: untrained network (random weights),\nnot what VGG16 learned on ImageNet")


def _strongest(maps: Any) -> list[int]:
    """The six channels with the largest mean response."""
    return maps.mean(dim=(1, 2)).argsort(descending=True)[:6].tolist()


def network_input(image: Any) -> Figure:
    """The 224×224 input of the network.

    Parameters
    ----------
    image : array_like, shape (224, 224, 3)
        The preprocessed photo as uint8.

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> len(network_input(np.zeros((224, 224, 3), np.uint8)).axes)
    1
    """
    return image_grid([image], titles=["input, 224 x 224"], panel_inches=2.6)


def strongest(maps: dict[str, Any], weights: str) -> ResponsiveFigure:
    """For the last convolution of each block, the six channels with the strongest mean response.

    ``maps`` maps layer names to (channels, H, W) tensors (:func:`cnncourse.feature_maps`);
    ``weights`` is the network's ``cnncourse_weights``. Six maps to a row, three on a phone.

    Parameters
    ----------
    maps : dict of str to tensor, shape (C, H, W)
        Layer name -> its maps (:func:`cnncourse.feature_maps`).
    weights : str
        The network's ``cnncourse_weights``.

    Returns
    -------
    ResponsiveFigure
        A wide figure and its narrow (phone) layout.

    Examples
    --------
    >>> strongest(feature_maps(vgg, cat), vgg.cnncourse_weights)  # doctest: +SKIP
    """
    rows = {name: maps[name] for name in BLOCKS}
    return ResponsiveFigure.of(plot_feature_maps, rows, {name: _strongest(rows[name]) for name in rows},
                               panel_inches=1.45, title=_untrained_note(weights),
                               narrow=dict(ncols=3, panel_inches=1.2), alt=STRONGEST_ALT)


def loaded_and_untrained(maps: dict[str, Any], untrained: dict[str, Any], weights: str) -> ResponsiveFigure:
    """For each layer of ``untrained`` (its maps from an untrained network), the six strongest channels
    of the loaded network's ``maps``, and below them the same channels of the untrained network.

    Parameters
    ----------
    maps, untrained : dict of str to tensor, shape (C, H, W)
        Layer name -> maps of the loaded and of an untrained network.
    weights : str
        The loaded network's ``cnncourse_weights``.

    Returns
    -------
    ResponsiveFigure
        A wide figure and its narrow (phone) layout.

    Examples
    --------
    >>> import torch
    >>> maps = {"block1_conv2": torch.rand(64, 8, 8)}
    >>> loaded_and_untrained(maps, maps, "random").alt == LOADED_AND_UNTRAINED_ALT
    True
    """
    rows, channels = {}, {}
    for name in untrained:  # row labels: the layer, then which network
        loaded, fresh = f"{name}\nas loaded ({weights})", f"{name}\nuntrained"
        rows[loaded], rows[fresh] = maps[name], untrained[name]
        channels[loaded] = channels[fresh] = _strongest(maps[name])
    return ResponsiveFigure.of(plot_feature_maps, rows, channels, panel_inches=1.45,
                               title=_untrained_note(weights),
                               narrow=dict(ncols=3, panel_inches=1.2), alt=LOADED_AND_UNTRAINED_ALT)


def pattern_examples(patterns: dict[str, Any]) -> ResponsiveFigure:
    """Six of the test images (``patterns``: kind -> list of 2-D patterns in [0, 1]) in their true gray levels.

    Parameters
    ----------
    patterns : dict of str to list of array_like
        Kind -> 2-D patterns in [0, 1].

    Returns
    -------
    ResponsiveFigure
        A wide figure and its narrow (phone) layout.

    Examples
    --------
    >>> grid = [np.eye(4)] * 24
    >>> pattern_examples({"edge": grid, "line": grid, "corner": grid}).alt == PATTERNS_ALT
    True
    """
    shown = [("edge", 0), ("edge", 3), ("line", 2), ("line", 13), ("corner", 2), ("corner", 23)]
    return ResponsiveFigure.of(
        image_grid, [np.dstack([0.3 + 0.4 * patterns[kind][k]] * 3) for kind, k in shown],
        titles=[kind for kind, _ in shown], panel_inches=1.1,
        narrow=dict(ncols=3, panel_inches=1.2), alt=PATTERNS_ALT)


def corners(straight: Any, corner: Any, margin: float, weights: str) -> Figure:
    """One dot per channel of block2_conv2: its best response to a straight pattern (across) and to a
    corner (up), coloured by which it prefers by the factor ``margin``.

    Parameters
    ----------
    straight, corner : array_like, shape (C,)
        Each channel's best response to the straight patterns and to the corners.
    margin : float
        The factor one must exceed the other by to count as preferred.
    weights : str
        The network's ``cnncourse_weights``.

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> corners(rng.random(128), rng.random(128), 1.5, "imagenet").axes[0].get_title()
    'block2_conv2: one dot per channel'
    """
    prefers_corner, prefers_straight = corner > margin * straight, straight > margin * corner
    neither = ~prefers_corner & ~prefers_straight
    top = 1.05 * max(straight.max(), corner.max(), 1e-12)
    fig, ax = plt.subplots(figsize=(4.6, 4.6), layout="constrained")
    ax.scatter(straight[neither], corner[neither], s=16, color="0.6", label=tr("no clear preference"))
    ax.scatter(straight[prefers_straight], corner[prefers_straight], s=26, marker="s", color=BLUE,
               label=tr(f"prefers straight (by {margin} times)"))
    ax.scatter(straight[prefers_corner], corner[prefers_corner], s=36, marker="^", color=VERMILLION,
               label=tr(f"prefers corners (by {margin} times)"))
    ax.plot([0, top], [0, top], color="0.3", lw=0.8)                          # equal responses
    ax.plot([0, top / margin], [0, top], color=VERMILLION, lw=0.8, ls="--")    # the two margins
    ax.plot([0, top], [0, top / margin], color=BLUE, lw=0.8, ls="--")
    ax.set(xlim=(0, top), ylim=(0, top), aspect="equal", title=tr("block2_conv2: one dot per channel"),
           xlabel=tr("best response to a straight edge or line"), ylabel=tr("best response to a corner"))
    ax.legend(fontsize=9, loc="upper left")
    if weights != "imagenet":
        fig.suptitle(tr("WARNING: untrained network\n(random weights)"), color=VERMILLION)
    plt.close(fig)
    return localize_figure(fig)


def rank(maps: dict[str, Any], nonzero: dict[str, int], bound: dict[str, int], inputs: int,
         weights: str) -> Figure:
    """Per layer: its number of values, those not zero, and the bound on the independent changes of
    the photo it can see (log scale), with the photo's number of values (``inputs``) dashed.

    Parameters
    ----------
    maps : dict of str to tensor
        Layer name -> its maps.
    nonzero, bound : dict of str to int
        Layer name -> its values that are not zero, and the bound.
    inputs : int
        The photo's number of values.
    weights : str
        The network's ``cnncourse_weights``.

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> rank(maps, nonzero, bound, 224 * 224 * 3, vgg.cnncourse_weights)  # doctest: +SKIP
    """
    names = list(maps)
    rows = np.arange(len(names))
    fig, ax = plt.subplots(figsize=(5.6, 6.4), layout="constrained")
    ax.barh(rows, [maps[n].numel() for n in names], height=0.8, color=LIGHT_BLUE, label=tr("values"))
    ax.barh(rows, [nonzero[n] for n in names], height=0.5, color=BLUE, label=tr("values not zero"))
    ax.plot([bound[n] for n in names], rows, "o-", color=VERMILLION, ms=5,
            label=tr("bound on the independent changes\nof the photo the layer can see"))
    ax.axvline(inputs, color="0.2", ls="--", lw=1, label=tr("the photo's 150,528 values"))
    ax.set_xscale("log")
    ax.set_xlim(10 ** np.floor(np.log10(max(1, min(nonzero.values())))),
                1.5 * max(m.numel() for m in maps.values()))
    ax.set_yticks(rows, names, fontsize=10)
    ax.invert_yaxis()
    ax.set_xlabel(tr("number (log scale)"), fontsize=11)
    fig.legend(loc="outside lower center", fontsize=10, ncols=1)
    if weights != "imagenet":
        ax.set_title(tr("WARNING: untrained network (random weights)"), color=VERMILLION)
    plt.close(fig)
    return localize_figure(fig)
