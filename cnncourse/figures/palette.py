"""The Okabe-Ito colours, once: distinguishable with every common colour-vision deficiency.

Every drawing of the package (matplotlib figures, HTML and SVG views,
pictures drawn with Pillow) takes its colours from here. Plain constants: this
module imports nothing, so any layer may use it.

Examples
--------
>>> OKABE_ITO[0] == BLUE, rgb(ORANGE)
(True, (230, 159, 0))
"""

from __future__ import annotations

BLUE = "#0072B2"
VERMILLION = "#D55E00"
BLUISH_GREEN = "#009E73"
REDDISH_PURPLE = "#CC79A7"
ORANGE = "#E69F00"
SKY_BLUE = "#56B4E9"
BLACK = "#000000"

OKABE_ITO = [BLUE, VERMILLION, BLUISH_GREEN, REDDISH_PURPLE, ORANGE, SKY_BLUE, BLACK]
"""The colours in order of use (curves take them in turn)."""

# Neutral and light colours, by role (not data series: they stay out of the way).
GREY = "#999999"
"""What comes before (a histogram before an activation), behind a coloured series."""
LIGHT_BLUE = "#bcd2e8"
"""A light bar behind a darker one (e.g. all values, behind the non-zero ones)."""
GRID = "#ddd"
"""Grid lines of an SVG chart."""
AXIS = "#777"
"""Axes and the zero line of an SVG chart."""
AXIS_LIGHT = "#888"
"""The axes of a small SVG chart."""
RIGHT, WRONG, NEUTRAL = "#1b7837", "#b2182b", "#555555"
"""An exercise's verdict: correct, wrong, not judged (green and red told apart by their text too)."""


def rgb(colour: str) -> tuple[int, int, int]:
    """A ``#RRGGBB`` colour as an ``(r, g, b)`` tuple of ints, for Pillow.

    Parameters
    ----------
    colour : str
        A colour such as :data:`ORANGE`.

    Returns
    -------
    tuple of int

    Examples
    --------
    >>> rgb(BLUE)
    (0, 114, 178)
    """
    return tuple(int(colour[k: k + 2], 16) for k in (1, 3, 5))
