"""The figures of chapter 5, What filters want to see.

Each function draws one figure of the chapter and returns it; its alt text is
the constant of the same name with ``_ALT`` (the cell's ``mystnb.image.alt``).
"""

from __future__ import annotations

from typing import Any

from matplotlib.figure import Figure

from ..figures.curves import ResponsiveFigure, plot_objective
from ..figures.plotting import image_grid

CLIMB_ALT = 'Line plot of the mean activation of 16 filters of block3_conv1 (thin lines) and of their mean (thick line) against the gradient-ascent step, 0 to 20. A rising line is a filter whose activation the ascent increases; a filter that does not fire on the gray start stays flat.'
BLOCK1_ALT = "A grid of small square pictures, one row per convolutional layer of block 1 and one column per filter (0 to 7), each the image that maximizes that filter's mean activation. With the ImageNet weights, block 1 shows plain colours and fine stripes and edges at different orientations. With untrained weights they show noisy colours and grain, not learned patterns."
BLOCK2_ALT = "A grid of small square pictures, one row per convolutional layer of block 2 and one column per filter (0 to 7), each the image that maximizes that filter's mean activation. With the ImageNet weights, block 2 shows dotted grids, crossing stripes and simple textures. With untrained weights they show noisy colours and grain, not learned patterns."
BLOCK3_ALT = "A grid of small square pictures, one row per convolutional layer of block 3 and one column per filter (0 to 7), each the image that maximizes that filter's mean activation. With the ImageNet weights, block 3 shows richer repeating textures: grids, waves, blobs. With untrained weights they show noisy colours and grain, not learned patterns."
BLOCK4_ALT = "A grid of small square pictures, one row per convolutional layer of block 4 and one column per filter (0 to 7), each the image that maximizes that filter's mean activation. With the ImageNet weights, block 4 shows complex interleaved textures. With untrained weights they show noisy colours and grain, not learned patterns."
BLOCK5_ALT = "A grid of small square pictures, one row per convolutional layer of block 5 and one column per filter (0 to 7), each the image that maximizes that filter's mean activation. With the ImageNet weights, block 5 shows intricate patterns that recall parts of objects, repeated over the canvas. With untrained weights they show noisy colours and grain, not learned patterns."
FROM_A_PHOTO_ALT = 'Three 96-pixel crops of the cat photo around one eye: the photo, and the photo after 20 gradient-ascent steps towards filter 0 and towards filter 1 of block4_conv1, each with fine patterns drawn over parts of the fur and the eye.'
REGULARIZATION_ALT = 'Two rows of eight pictures for filters 0 to 7 of block4_conv1: the top row from the classic recipe, the bottom row with jitter and blur between steps, whose patterns are smoother and less grainy.'
REGULARIZATION_CLIMB_ALT = 'Line plot of the mean activation against the step for filters 0 to 7 of block4_conv1, one thin line per filter and a thick line for their mean: the classic recipe in blue, with jitter and blur in orange.'

_BLOCK_ALTS = {1: BLOCK1_ALT, 2: BLOCK2_ALT, 3: BLOCK3_ALT, 4: BLOCK4_ALT, 5: BLOCK5_ALT}


def climb(objective: Any) -> Figure:
    """The objective of the 16 filters of block3_conv1 at every step (``FilterVisualization.objective``).

    Parameters
    ----------
    objective : array_like, shape (steps + 1, 16)
        ``FilterVisualization.objective``.

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> import numpy as np
    >>> climb(np.linspace(0, 1, 21)[:, None] * np.ones(16)).axes[0].get_title()
    'Gradient ascent on 16 filters of block3_conv1'
    """
    return plot_objective(objective, title="Gradient ascent on 16 filters of block3_conv1")


def block(results: dict[str, Any], number: int) -> ResponsiveFigure:
    """What the first 8 filters of each convolutional layer of block ``number`` (1 to 5) want to see.

    ``results`` maps layer names to :class:`cnncourse.FilterVisualization`; one row per layer of
    the block, eight pictures to a row (four on a phone).

    Parameters
    ----------
    results : dict of str to FilterVisualization
        Layer name -> its pictures.
    number : int
        The block, 1 to 5.

    Returns
    -------
    ResponsiveFigure
        A wide figure and its narrow (phone) layout.

    Examples
    --------
    >>> block(results, 1)  # doctest: +SKIP
    """
    if number not in _BLOCK_ALTS:
        raise ValueError(f"number must be a block of VGG16, 1 to 5, got {number!r}")
    layers = [layer for layer in results if layer.startswith(f"block{number}_")]
    return ResponsiveFigure.of(image_grid, [image for layer in layers for image in results[layer].images[:8]],
                               titles=[f"{layer[7:]} #{f}" for layer in layers for f in results[layer].filters[:8]],
                               ncols=8, panel_inches=1.35, title=f"Block {number}: what its filters want to see",
                               narrow=dict(ncols=4, panel_inches=1.0), alt=_BLOCK_ALTS[number])


def from_a_photo(photo: Any, dreamed: Any) -> ResponsiveFigure:
    """The photo, and the two pictures the ascent drew into it towards filters 0 and 1 of block4_conv1.

    Parameters
    ----------
    photo : array_like, shape (H, W, 3), uint8
        The start image.
    dreamed : array_like, shape (2, H, W, 3), uint8
        The two pictures drawn into it.

    Returns
    -------
    ResponsiveFigure
        A wide figure and its narrow (phone) layout.

    Examples
    --------
    >>> import numpy as np
    >>> from_a_photo(np.zeros((8, 8, 3), np.uint8), np.zeros((2, 8, 8, 3), np.uint8)).alt == FROM_A_PHOTO_ALT
    True
    """
    return ResponsiveFigure.of(
        image_grid, [photo, *dreamed], titles=["photo", "towards filter 0", "towards filter 1"], panel_inches=2.6,
        narrow=dict(ncols=2, panel_inches=1.9), alt=FROM_A_PHOTO_ALT)


def regularization(plain: Any, regularized: Any) -> ResponsiveFigure:
    """The pictures of the classic recipe (top row) and with jitter and blur (bottom row), per filter.

    Parameters
    ----------
    plain, regularized : FilterVisualization
        The classic recipe's pictures and those with jitter and blur.

    Returns
    -------
    ResponsiveFigure
        A wide figure and its narrow (phone) layout.

    Examples
    --------
    >>> regularization(plain, regularized)  # doctest: +SKIP
    """
    return ResponsiveFigure.of(
        image_grid, [*plain.images, *regularized.images],
        titles=[f"#{f} plain" for f in plain.filters] + [f"#{f} jitter+blur" for f in plain.filters], ncols=8,
        panel_inches=1.35,
        narrow=dict(ncols=4, panel_inches=1.0, titles=[f"#{f} plain" for f in plain.filters]
                    + [f"#{f}\njitter+blur" for f in plain.filters]), alt=REGULARIZATION_ALT)


def regularization_climb(plain: Any, regularized: Any) -> Figure:
    """The objective at every step for the classic recipe and with jitter and blur, block4_conv1.

    Parameters
    ----------
    plain, regularized : FilterVisualization
        The classic recipe's run and the one with jitter and blur.

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> regularization_climb(plain, regularized)  # doctest: +SKIP
    """
    return plot_objective({"classic": plain.objective, "jitter + blur": regularized.objective},
                          title="block4_conv1: the objective with and without regularization")
