"""Small SVG charts for the HTML views: a few milliseconds to draw, no matplotlib.

* :func:`curves_svg` -- an activation function and its derivative (chapter 3);
* :func:`histograms_svg` -- two histograms on a log scale, before and after (chapter 3);
* :func:`objective_svg` -- a gradient ascent's objective against the step (chapter 5).

Each is a string of inline SVG with an accessible name (``role="img"``),
its text in the page's font and colour (``svg.cnn-chart`` in :data:`cnncourse.figures.html.STYLE`).
"""

from __future__ import annotations

import html as _html

import numpy as np

from ..i18n.translate import tr
from .palette import AXIS, AXIS_LIGHT, BLUE, BLUISH_GREEN, GREY, GRID, ORANGE, VERMILLION


def _scale(v: np.ndarray, lo: float, hi: float, start: float, end: float) -> np.ndarray:
    return start + (np.asarray(v, dtype=float) - lo) / (hi - lo) * (end - start)


def _points(xs: np.ndarray, ys: np.ndarray) -> str:
    return " ".join(f"{x:.1f},{y:.1f}" for x, y in zip(xs, ys))


def _svg_frame(width: int, height: int, label: str) -> str:
    return (f'<svg xmlns="http://www.w3.org/2000/svg" class="cnn-chart" width="{width}" height="{height}" '
            f'viewBox="0 0 {width} {height}" role="img" aria-label="{_html.escape(label)}">'
            f"<title>{_html.escape(label)}</title>")


def curves_svg(x: np.ndarray, y: np.ndarray, dy: np.ndarray, *, title: str, ylim: tuple[float, float],
               colours: tuple[str, str] = (BLUE, ORANGE), width: int = 240, height: int = 190) -> str:
    """A function and its derivative on one set of axes, as an SVG string.

    Parameters
    ----------
    x, y, dy : numpy.ndarray
        The inputs (from -4 to 4), the function's values and its derivative's.
    title : str
        The function's name, written above the axes.
    ylim : (float, float)
        The range of the vertical axis; the curves are clipped to it.
    colours : (str, str), optional
        The function's colour (solid) and the derivative's (dashed).
    width, height : int, optional
        The drawing's size in pixels.

    Returns
    -------
    str

    Examples
    --------
    >>> x = np.linspace(-4, 4, 9)
    >>> curves_svg(x, np.maximum(x, 0), (x > 0) * 1.0, title="ReLU", ylim=(-1.5, 4.2)).count("<polyline")
    2
    """
    function_colour, derivative_colour = colours
    left, right, top, bottom = 28, width - 6, 18, height - 20
    (y0, y1), (x0, x1) = ylim, (x[0], x[-1])
    px = _scale(x, x0, x1, left, right)

    def py(v):
        return _scale(np.nan_to_num(v), y0, y1, bottom, top)

    parts = [_svg_frame(width, height, tr("Plot of {title} and its derivative for x from -4 to 4").format(title=title))]
    for tick in range(-4, 5, 2):
        xp = _scale(tick, x0, x1, left, right)
        parts.append(f'<line x1="{xp:.1f}" y1="{top}" x2="{xp:.1f}" y2="{bottom}" stroke="{GRID}"/>'
                     f'<text x="{xp:.1f}" y="{bottom + 12}" text-anchor="middle">{tick}</text>')
    for tick in range(-1, 5):
        yp = py(tick)
        parts.append(f'<line x1="{left}" y1="{yp:.1f}" x2="{right}" y2="{yp:.1f}" stroke="{GRID}"/>'
                     f'<text x="{left - 4}" y="{yp + 3:.1f}" text-anchor="end">{tick}</text>')
    parts.append(f'<line x1="{left}" y1="{py(0):.1f}" x2="{right}" y2="{py(0):.1f}" stroke="{AXIS}"/>'
                 f'<line x1="{_scale(0, x0, x1, left, right):.1f}" y1="{top}" '
                 f'x2="{_scale(0, x0, x1, left, right):.1f}" y2="{bottom}" stroke="{AXIS}"/>')
    # A nested <svg> clips the curves to the axes, with no id that two drawings on a page could share.
    box = f"{left} {top} {right - left} {bottom - top}"
    parts.append(f'<svg x="{left}" y="{top}" width="{right - left}" height="{bottom - top}" viewBox="{box}" '
                 'overflow="hidden"><g fill="none" stroke-width="2">'
                 f'<polyline points="{_points(px, py(dy))}" stroke="{derivative_colour}" stroke-dasharray="5 3"/>'
                 f'<polyline points="{_points(px, py(y))}" stroke="{function_colour}"/></g></svg>')
    parts.append(f'<text x="{left + 4}" y="{top - 5}">{_html.escape(title)}: '
                 f'<tspan fill="{function_colour}">f(x)</tspan>, '
                 f'<tspan fill="{derivative_colour}">f′(x)</tspan></text></svg>')
    return "".join(parts)


def histograms_svg(bins: np.ndarray, before: np.ndarray, after: np.ndarray, label: str, *,
                   colours: tuple[str, str] = (GREY, BLUISH_GREEN), width: int = 240, height: int = 190) -> str:
    """Two histograms as step outlines on a log scale (the first one filled), as an SVG string.

    Parameters
    ----------
    bins : numpy.ndarray
        The bins' edges.
    before, after : numpy.ndarray
        The counts of the two histograms, one per bin.
    label : str
        What turned ``before`` into ``after`` (for the accessible name).
    colours : (str, str), optional
        The colours of ``before`` and ``after``.
    width, height : int, optional
        The drawing's size in pixels.

    Returns
    -------
    str

    Examples
    --------
    >>> histograms_svg(np.linspace(-1, 1, 5), np.ones(4), np.arange(4), "ReLU").count("<polyline")
    2
    """
    before_colour, after_colour = colours
    left, right, top, bottom = 8, width - 8, 18, height - 20
    logs = np.log10(1 + np.stack([before, after]).astype(float))
    peak = float(logs.max()) or 1.0
    edges = _scale(bins, bins[0], bins[-1], left, right)
    parts = [_svg_frame(width, height, tr("Histograms of the feature map's values before and after {label}")
                        .format(label=label))]
    for counts, colour, fill in ((logs[0], before_colour, "0.35"), (logs[1], after_colour, "0")):
        ys = _scale(counts, 0, peak, bottom, top)
        xs = np.repeat(edges, 2)[1:-1]
        path = _points(np.concatenate([[edges[0]], xs, [edges[-1]]]),
                       np.concatenate([[bottom], np.repeat(ys, 2), [bottom]]))
        parts.append(f'<polyline points="{path}" stroke="{colour}" stroke-width="2" '
                     f'fill="{colour}" fill-opacity="{fill}"/>')
    zero = _scale(0, bins[0], bins[-1], left, right)
    parts.append(f'<line x1="{left}" y1="{bottom}" x2="{right}" y2="{bottom}" stroke="{AXIS}"/>'
                 f'<line x1="{zero:.1f}" y1="{top}" x2="{zero:.1f}" y2="{bottom}" stroke="{AXIS}" '
                 'stroke-dasharray="2 2"/>'
                 f'<text x="{left}" y="{bottom + 12}">{bins[0]:.1f}</text>'
                 f'<text x="{zero:.1f}" y="{bottom + 12}" text-anchor="middle">0</text>'
                 f'<text x="{right}" y="{bottom + 12}" text-anchor="end">{bins[-1]:.1f}</text>'
                 f'<text x="{left}" y="{top - 5}">{tr("number of values (log scale)")}</text></svg>')
    return "".join(parts)


def objective_svg(values: np.ndarray, current: int, *, width: int = 260, height: int = 160) -> str:
    """A small line plot of the objective against the step, with the current step marked.

    Parameters
    ----------
    values : numpy.ndarray, shape (steps + 1,)
        The objective at each step of a gradient ascent.
    current : int
        The step marked with a dot.
    width, height : int, optional
        The drawing's size in pixels.

    Returns
    -------
    str

    Examples
    --------
    >>> objective_svg(np.array([0.0, 1.0, 3.0]), 1).count("<circle")
    1
    """
    steps = len(values) - 1
    low, high = float(values.min()), float(values.max())
    span = (high - low) or 1.0
    pad = 28

    def xy(k: int, v: float) -> tuple[float, float]:
        x = pad + (width - pad - 8) * (k / max(steps, 1))
        y = height - pad - (height - pad - 10) * ((v - low) / span)
        return x, y

    points = " ".join(f"{x:.1f},{y:.1f}" for x, y in (xy(k, v) for k, v in enumerate(values)))
    cx, cy = xy(current, float(values[current]))
    label = tr(f"Objective (mean activation) against the step: from {values[0]:.4g} at step 0 "
               f"to {values[-1]:.4g} at step {steps}; step {current} is marked.")
    return (
        f'<svg role="img" aria-label="{_html.escape(label)}" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" class="cnn-chart">'
        f'<line x1="{pad}" y1="{height - pad}" x2="{width - 8}" y2="{height - pad}" stroke="{AXIS_LIGHT}"/>'
        f'<line x1="{pad}" y1="10" x2="{pad}" y2="{height - pad}" stroke="{AXIS_LIGHT}"/>'
        f'<polyline points="{points}" fill="none" stroke="{BLUE}" stroke-width="2"/>'
        f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="4.5" fill="{VERMILLION}"/>'
        f'<text x="{pad}" y="{height - 8}">{tr("step 0")}</text>'
        f'<text x="{width - 8}" y="{height - 8}" text-anchor="end">{tr(f"step {steps}")}</text>'
        f'<text x="{pad + 4}" y="20">{tr("objective")}</text>'
        "</svg>"
    )
