"""The figures of chapter 8, Fooling the network, testing the maps.

Each function draws one figure of the chapter and returns it; its alt text is
the constant of the same name with ``_ALT`` (the cell's ``mystnb.image.alt``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure

from ..figures.curves import ResponsiveFigure
from ..figures.fonts import localize_figure
from ..i18n.translate import tr
from ..figures.palette import (
    BLACK,
    BLUE,
    BLUISH_GREEN,
    ORANGE,
    REDDISH_PURPLE,
    SKY_BLUE,
    VERMILLION,
)
from ..figures.pictures import overlay_map
from ..figures.plotting import image_grid
from ..attribution.adversarial import magnified

FOOLED_PHOTO_ALT = 'Three 224 by 224 pictures: the cat photo; the change made by FGSM, magnified fifty times, a grey square covered in fine coloured grain; and the photo with the change added, which looks the same as the photo.'
ACCURACY_ALT = 'A line chart of the small CNN\'s validation accuracy against the size of the change, epsilon, from 0 to 32 of 255 grey levels: the FGSM and PGD curves fall as epsilon grows, PGD\'s lower, while the curve of random signs of the same size stays near the accuracy on the clean images.'
FOOLED_SALIENCY_ALT = 'Four 32 by 32 pictures: a validation image of the small CNN, the same image after the PGD attack, which looks the same, and the saliency map of the true class for each, drawn over the dimmed image.'
BASELINES_ALT = 'Two rows of three pictures. Top: the three baselines of integrated gradients for a half-size copy of the cat photo, a black image, the photo blurred and uniform noise. Bottom: the integrated-gradients map from each baseline, red where the pixels raise the class score and blue where they lower it.'
COMPLETENESS_ALT = 'A line chart on logarithmic axes of the completeness error of integrated gradients against the number of steps, from 1 to 128, for one validation image of the small CNN: the error falls as the steps grow, though not evenly.'
CURVES_ALT = 'Two line charts side by side, the deletion curves and the insertion curves of the small CNN, averaged over its validation images: the probability of the true class against the share of pixels removed or inserted, one line per map (saliency, SmoothGrad, integrated gradients, Grad-CAM, occlusion) and a dashed black line for the random map.'

COLOURS = {"saliency": BLUE, "SmoothGrad": SKY_BLUE, "integrated gradients": VERMILLION, "Grad-CAM": BLUISH_GREEN,
           "occlusion": REDDISH_PURPLE, "random map": BLACK}
"""One colour per map in the curves (the random map black and dashed)."""


def fooled_photo(photo: Any, adversarial: Any) -> Figure:
    """The photo, the change an attack made (×50 around mid-grey) and the attacked photo.

    Parameters
    ----------
    photo, adversarial : array_like, shape (H, W, 3)
        The photo and the attacked photo, pixels in [0, 1].

    Returns
    -------
    matplotlib.figure.Figure
        Three square panels in a row (a phone shows them at a third of its width each: no narrow layout,
        which would double the bytes of two noisy pictures).

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> photo = rng.random((16, 16, 3))
    >>> len(fooled_photo(photo, photo + 0.004).axes)
    3
    """
    photo, adversarial = np.asarray(photo, dtype=np.float64), np.asarray(adversarial, dtype=np.float64)
    return image_grid([photo, magnified(adversarial - photo), np.clip(adversarial, 0, 1)],
                      titles=["the photo", "the change, ×50", "the photo with the change"], panel_inches=2.3)


def accuracy_against_epsilon(epsilons: Sequence[float], accuracies: Mapping[str, Sequence[float]]) -> Figure:
    """Accuracy against the size of the change, one line per attack (``epsilons`` in [0, 1] pixel units).

    Parameters
    ----------
    epsilons : sequence of float
        The sizes tried, in [0, 1] units (shown in 255ths).
    accuracies : mapping of str to sequence of float
        The accuracy at each size, by attack name; a name with "random" is the control (dashed).

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> fig = accuracy_against_epsilon([0, 2 / 255], {"FGSM": [0.9, 0.5], "random signs": [0.9, 0.9]})
    >>> len(fig.axes[0].lines)
    2
    """
    fig, ax = plt.subplots(figsize=(6.0, 3.6), layout="constrained")
    x = np.asarray(epsilons, dtype=np.float64) * 255
    colours = iter([BLUE, VERMILLION, BLUISH_GREEN, REDDISH_PURPLE])
    for name, values in accuracies.items():
        control = "random" in name
        ax.plot(x, values, "--" if control else "-", marker="s" if control else "o",
                color=BLACK if control else next(colours), label=tr(name))
    ax.set_xscale("symlog", linthresh=1)
    ax.set_xticks(x, [f"{v:g}" for v in x])
    ax.set_xlabel(tr("ε, in 255ths (grey levels)"))
    ax.set_ylabel(tr("validation accuracy"))
    ax.set_ylim(0, 1.02)
    ax.grid(alpha=0.3)
    ax.legend()
    plt.close(fig)
    localize_figure(fig)
    return fig


def fooled_saliency(image: Any, adversarial: Any, clean_map: Any, fooled_map: Any) -> ResponsiveFigure:
    """A small CNN image and its attacked copy, with the saliency map of the true class over each.

    Parameters
    ----------
    image, adversarial : array_like, shape (H, W)
        The image and the attacked image, in [0, 1].
    clean_map, fooled_map : array_like, shape (H, W)
        Their saliency maps.

    Returns
    -------
    ResponsiveFigure
        A wide figure and its narrow (phone) layout.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> fooled_saliency(*rng.random((4, 8, 8))).alt == FOOLED_SALIENCY_ALT
    True
    """
    image, adversarial = np.asarray(image, dtype=np.float64), np.asarray(adversarial, dtype=np.float64)
    return ResponsiveFigure.of(
        image_grid, [image, np.clip(adversarial, 0, 1), overlay_map(image, clean_map),
                     overlay_map(np.clip(adversarial, 0, 1), fooled_map)],
        titles=["the image", "after the attack", "saliency, the image", "saliency, after the attack"],
        ncols=4, panel_inches=2.0, narrow=dict(ncols=2, panel_inches=1.7), alt=FOOLED_SALIENCY_ALT)


def baselines(images: Mapping[str, Any], maps: Mapping[str, Any]) -> Figure:
    """The baselines of integrated gradients (top) and the map from each (bottom, red: raises the score).

    Parameters
    ----------
    images : mapping of str to array_like (H, W, 3)
        Each baseline, by name (``"black"``, ``"blur"``, ``"noise"``), pixels in [0, 1].
    maps : mapping of str to array_like (H, W)
        The signed map from each baseline, by the same names.

    Returns
    -------
    matplotlib.figure.Figure
        Two rows of three square panels (as wide as tall: phones need no other layout).

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> names = ("black", "blur", "noise")
    >>> fig = baselines({n: rng.random((8, 8, 3)) for n in names}, {n: rng.normal(size=(8, 8)) for n in names})
    >>> len(fig.axes)
    6
    """
    names = list(images)
    shown = [np.clip(np.asarray(images[n], dtype=np.float64), 0, 1) for n in names]
    limits = [float(np.percentile(np.abs(maps[n]), 99)) or 1.0 for n in names]
    signed = [np.clip(np.asarray(maps[n], dtype=np.float64), -lim, lim) for n, lim in zip(names, limits)]
    titles = [f"baseline: {n}" for n in names] + [f"from {n}" for n in names]
    return image_grid(shown + signed, titles=titles, ncols=3, signed=True, panel_inches=2.0)


def completeness(steps: Sequence[int], errors: Sequence[float]) -> Figure:
    """The completeness error of integrated gradients against the number of steps, on log axes.

    Parameters
    ----------
    steps : sequence of int
        The step counts.
    errors : sequence of float
        ``|sum of attributions - (F(x) - F(baseline))|`` for each.

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> len(completeness([1, 2, 4], [1.0, 0.3, 0.1]).axes)
    1
    """
    fig, ax = plt.subplots(figsize=(5.2, 3.4), layout="constrained")
    ax.loglog(steps, np.maximum(np.asarray(errors, dtype=np.float64), 1e-12), "-o", color=VERMILLION)
    ax.set_xticks(list(steps), [str(s) for s in steps])
    ax.minorticks_off()
    ax.set_xlabel(tr("steps of the midpoint rule"))
    ax.set_ylabel(tr("completeness error"))
    ax.grid(alpha=0.3)
    plt.close(fig)
    localize_figure(fig)
    return fig


def deletion_insertion(fractions: Sequence[float], deletion: Mapping[str, Sequence[float]],
                       insertion: Mapping[str, Sequence[float]]) -> ResponsiveFigure:
    """The mean deletion and insertion curves, one line per map; the random map dashed and black.

    Parameters
    ----------
    fractions : sequence of float
        The shares of the pixels, from 0 to 1.
    deletion, insertion : mapping of str to sequence of float
        The mean probability at each share, by map name (names of :data:`COLOURS`).

    Returns
    -------
    ResponsiveFigure
        Side by side, or one above the other on a phone.

    Examples
    --------
    >>> curves = {"saliency": [0.9, 0.2, 0.1], "random map": [0.9, 0.6, 0.1]}
    >>> len(deletion_insertion([0, 0.5, 1], curves, curves).wide.axes)
    2
    """
    def draw(columns: int) -> Figure:
        shape, size = ((1, 2), (9.0, 3.6)) if columns == 2 else ((2, 1), (4.8, 6.6))
        fig, axes = plt.subplots(*shape, figsize=size, layout="constrained", sharey=True)
        for ax, curves, title, xlabel in ((axes[0], deletion, "deletion", "share of the pixels removed"),
                                          (axes[1], insertion, "insertion", "share of the pixels inserted")):
            for name, values in curves.items():
                control = name == "random map"
                ax.plot(fractions, values, "--" if control else "-", color=COLOURS.get(name, ORANGE),
                        linewidth=2 if control else 1.5, label=tr(name))
            ax.set_title(tr(title))
            ax.set_xlabel(tr(xlabel))
            ax.set_ylim(0, 1.02)
            ax.grid(alpha=0.3)
        axes[0].set_ylabel(tr("probability of the true class"))
        axes[1].legend(fontsize=8)
        plt.close(fig)
        localize_figure(fig)
        return fig

    return ResponsiveFigure(draw(2), draw(1), alt=CURVES_ALT)
