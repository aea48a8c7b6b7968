"""The activation explorer of chapter 3: an activation, its derivative and its effect.

The picture is plain HTML: the curves and histograms are small inline SVG
drawings and the feature maps PNG images, so one update takes a few
milliseconds (redrawing a matplotlib figure takes ten times longer) and the
same frames make the kernel-free :class:`~cnncourse.player.Player` of the website.
"""

from __future__ import annotations

import base64
import html as _html
from collections.abc import Sequence
from typing import Any

import ipywidgets as w
import numpy as np

from ..activations import ACTIVATIONS, get_activation
from ..html import colormap_lut, image_html, png_data_uri
from ..i18n import tr
from .base import Explorer


ACTIVATION_LABELS = {"sigmoid": "sigmoid", "tanh": "tanh", "relu": "ReLU", "leaky_relu": "leaky ReLU",
                     "gelu": "GELU"}
"""How the explorer names each activation of :data:`cnncourse.activations.ACTIVATIONS`."""

FUNCTION_COLOUR = "#0072B2"  # Okabe-Ito blue
DERIVATIVE_COLOUR = "#E69F00"  # Okabe-Ito orange
BEFORE_COLOUR = "#999999"
AFTER_COLOUR = "#009E73"  # Okabe-Ito bluish green
SIGNED_CMAP = "RdBu_r"

_X = np.linspace(-4, 4, 161)
_YLIM = (-1.5, 4.2)
_PLAYER_SETTINGS = (("sigmoid", None), ("tanh", None), ("relu", None), ("leaky_relu", 0.01),
                    ("leaky_relu", 0.2), ("gelu", None))


def default_feature_map() -> np.ndarray:
    """The feature map the explorer starts with: chapter 1's vertical-edge map of the cat.

    Without padding (no artificial edge at the border), at half resolution;
    values about -1 to 1.

    Examples
    --------
    >>> default_feature_map().shape
    (149, 225)
    """
    from ..conv import conv2d
    from ..images import load_sample, to_grayscale
    from ..kernels import KERNELS

    cat = to_grayscale(load_sample("cat"))
    return conv2d(cat, KERNELS["vertical edge"])[::2, ::2]


def _parse_slope(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise ValueError(f"slope must be a number, got {text.strip()!r}") from None
    if not np.isfinite(value):
        raise ValueError(f"slope must be a finite number, got {text.strip()!r}")
    return value


def _apply(name: str, slope: float | None, x: np.ndarray) -> np.ndarray:
    function = ACTIVATIONS[name].function
    return function(x) if slope is None else function(x, slope=slope)


class ActivationExplorer(Explorer):
    """Choose an activation (and leaky ReLU's slope); see it, its derivative and its effect.

    Shows the function and its derivative on [-4, 4], a feature map before
    and after the activation (same colour scale: red positive, blue
    negative, white zero) and the histograms of both maps. It has no
    position: one picture for the current settings.

    Parameters
    ----------
    image : array_like, shape (H, W), optional
        The feature map to apply the activation to; by default
        :func:`default_feature_map` (an edge map of the cat photo).
    activation : str, optional
        A key of :data:`cnncourse.activations.ACTIVATIONS`.
    slope : float, optional
        The slope of leaky ReLU for negative inputs.

    Notes
    -----
    ``to_player(title, settings=...)`` makes one frame per ``(activation,
    slope)`` pair of ``settings`` (the slope is None except for leaky ReLU);
    by default every activation once, leaky ReLU with slopes 0.01 and 0.2.

    Examples
    --------
    >>> explorer = ActivationExplorer(np.array([[-1.0, 2.0]]))
    >>> explorer.after.tolist()
    [[0.0, 2.0]]
    >>> explorer.activation.value = "leaky_relu"
    >>> explorer.slope.value = "0.5"
    >>> explorer.after.tolist()
    [[-0.5, 2.0]]
    >>> len(explorer.to_player("ReLU or tanh", settings=[("relu", None), ("tanh", None)]).frames)
    2
    """

    def __init__(self, image: Any = None, *, activation: str = "relu", slope: float = 0.01) -> None:
        fmap = default_feature_map() if image is None else np.asarray(image, dtype=float)
        if fmap.ndim != 2 or fmap.size == 0:
            raise ValueError(f"image must have shape (H, W), got {fmap.shape}")
        get_activation(activation)  # a bad name raises here, listing the valid ones
        self.before = fmap
        # Colours saturate at the 99th percentile of |value| so that faint edges show too.
        self._limit = float(np.percentile(np.abs(fmap), 99)) or float(np.abs(fmap).max()) or 1.0
        top = float(np.abs(fmap).max()) or 1.0
        self._bins = np.linspace(-top, top, 49)
        self._before_counts = np.histogram(fmap, self._bins)[0]
        self._before_png = self._png(fmap)
        self.activation = w.Dropdown(options=[(tr(ACTIVATION_LABELS.get(n, n)), n) for n in ACTIVATIONS],
                                     value=activation, description=tr("activation"))
        self.slope = w.Text(value=f"{slope:g}", description=tr("slope"), continuous_update=False,
                            layout=w.Layout(width="12em"))
        super().__init__([w.HBox([self.activation, self.slope])], watch=[self.activation, self.slope],
                         position=None, interval_ms=1500)

    def _recompute(self) -> None:
        name = self.activation.value
        self.slope.disabled = name != "leaky_relu"
        slope = _parse_slope(self.slope.value) if name == "leaky_relu" else None
        self.after = _apply(name, slope, self.before)
        self._setting = (name, slope)

    def _frame(self, step: int) -> str:
        return self._picture(*self._setting, after=self.after)

    def _live_settings(self) -> dict[str, Any]:
        name, slope = self._setting
        values = np.ascontiguousarray(self.before, dtype="<f4").tobytes()
        return {"kind": "act", "activation": name, "slope": 0.01 if slope is None else slope,
                "activations": [[tr(ACTIVATION_LABELS.get(n, n)), n] for n in ACTIVATIONS],
                "x": [float(_X[0]), float(_X[-1]), len(_X)], "ylim": list(_YLIM),
                "colours": {"function": FUNCTION_COLOUR, "derivative": DERIVATIVE_COLOUR,
                            "before": BEFORE_COLOUR, "after": AFTER_COLOUR},
                "map": {"shape": list(self.before.shape), "float32": base64.b64encode(values).decode("ascii")},
                "limit": self._limit, "bins": self._bins.tolist(), "lut": colormap_lut(SIGNED_CMAP).tobytes().hex()}

    def _player_frames(self, *, settings: Sequence[tuple[str, float | None]] = _PLAYER_SETTINGS) -> list[str]:
        return [self._picture(name, slope) for name, slope in settings]

    def _png(self, values: np.ndarray) -> str:
        """The map as a PNG, on a signed colour scale shared by before and after."""
        return png_data_uri(values, cmap=SIGNED_CMAP, vmin=-self._limit, vmax=self._limit)

    def _picture(self, name: str, slope: float | None, *, after: np.ndarray | None = None) -> str:
        """The HTML picture for one activation (and slope)."""
        get_activation(name)
        slope = (0.01 if slope is None else slope) if name == "leaky_relu" else None
        after = _apply(name, slope, self.before) if after is None else after
        label = tr(ACTIVATION_LABELS.get(name, name) + (f" (slope {slope:g})" if slope is not None else ""))
        function, derivative = ACTIVATIONS[name]
        kwargs = {} if slope is None else {"slope": slope}
        curves = _svg_curves(_X, function(_X, **kwargs), derivative(_X, **kwargs), title=label)
        after_counts = np.histogram(np.clip(after, self._bins[0], self._bins[-1]), self._bins)[0]
        hist = _svg_histograms(self._bins, self._before_counts, after_counts, label)
        zeroed = float(np.mean(after == 0))
        return (
            '<div class="cnn-figures cnn-top">'
            + f"<figure>{curves}<figcaption>" + _html.escape(tr("{label}: function (blue, solid) and "
            "derivative (orange, dashed)").format(label=label)) + "</figcaption></figure>"
            + image_html(self._before_png, tr("The feature map before the activation: red where positive, "
                         "blue where negative, white at zero"), caption=tr("feature map before"))
            + image_html(self._png(after), tr("The same feature map after {label}, on the same colour "
                         "scale").format(label=label), caption=tr("after {label}").format(label=label))
            + f"<figure>{hist}<figcaption>" + tr("values before (grey) and after (green); "
            "{share} of the values are exactly 0 after").format(share=f"{zeroed:.0%}") + "</figcaption></figure>"
            + "</div>"
        )


# -- small SVG charts ----------------------------------------------------------------


def _scale(v: np.ndarray, lo: float, hi: float, start: float, end: float) -> np.ndarray:
    return start + (np.asarray(v, dtype=float) - lo) / (hi - lo) * (end - start)


def _points(xs: np.ndarray, ys: np.ndarray) -> str:
    return " ".join(f"{x:.1f},{y:.1f}" for x, y in zip(xs, ys))


def _svg_frame(width: int, height: int, label: str) -> str:
    return (f'<svg xmlns="http://www.w3.org/2000/svg" class="cnn-chart" width="{width}" height="{height}" '
            f'viewBox="0 0 {width} {height}" role="img" aria-label="{_html.escape(label)}">'
            f"<title>{_html.escape(label)}</title>")


def _svg_curves(x: np.ndarray, y: np.ndarray, dy: np.ndarray, *, title: str,
                width: int = 240, height: int = 190) -> str:
    """Function and derivative on one set of axes, as an SVG string."""
    left, right, top, bottom = 28, width - 6, 18, height - 20
    (y0, y1), (x0, x1) = _YLIM, (x[0], x[-1])
    px = _scale(x, x0, x1, left, right)

    def py(v):
        return _scale(np.nan_to_num(v), y0, y1, bottom, top)

    parts = [_svg_frame(width, height, tr("Plot of {title} and its derivative for x from -4 to 4").format(title=title))]
    for tick in range(-4, 5, 2):
        xp = _scale(tick, x0, x1, left, right)
        parts.append(f'<line x1="{xp:.1f}" y1="{top}" x2="{xp:.1f}" y2="{bottom}" stroke="#ddd"/>'
                     f'<text x="{xp:.1f}" y="{bottom + 12}" text-anchor="middle">{tick}</text>')
    for tick in range(-1, 5):
        yp = py(tick)
        parts.append(f'<line x1="{left}" y1="{yp:.1f}" x2="{right}" y2="{yp:.1f}" stroke="#ddd"/>'
                     f'<text x="{left - 4}" y="{yp + 3:.1f}" text-anchor="end">{tick}</text>')
    parts.append(f'<line x1="{left}" y1="{py(0):.1f}" x2="{right}" y2="{py(0):.1f}" stroke="#777"/>'
                 f'<line x1="{_scale(0, x0, x1, left, right):.1f}" y1="{top}" '
                 f'x2="{_scale(0, x0, x1, left, right):.1f}" y2="{bottom}" stroke="#777"/>')
    # A nested <svg> clips the curves to the axes, with no id that two drawings on a page could share.
    box = f"{left} {top} {right - left} {bottom - top}"
    parts.append(f'<svg x="{left}" y="{top}" width="{right - left}" height="{bottom - top}" viewBox="{box}" '
                 'overflow="hidden"><g fill="none" stroke-width="2">'
                 f'<polyline points="{_points(px, py(dy))}" stroke="{DERIVATIVE_COLOUR}" stroke-dasharray="5 3"/>'
                 f'<polyline points="{_points(px, py(y))}" stroke="{FUNCTION_COLOUR}"/></g></svg>')
    parts.append(f'<text x="{left + 4}" y="{top - 5}">{_html.escape(title)}: '
                 f'<tspan fill="{FUNCTION_COLOUR}">f(x)</tspan>, '
                 f'<tspan fill="{DERIVATIVE_COLOUR}">f′(x)</tspan></text></svg>')
    return "".join(parts)


def _svg_histograms(bins: np.ndarray, before: np.ndarray, after: np.ndarray, label: str,
                    width: int = 240, height: int = 190) -> str:
    """Two histograms as step outlines on a log scale, as an SVG string."""
    left, right, top, bottom = 8, width - 8, 18, height - 20
    logs = np.log10(1 + np.stack([before, after]).astype(float))
    peak = float(logs.max()) or 1.0
    edges = _scale(bins, bins[0], bins[-1], left, right)
    parts = [_svg_frame(width, height, tr("Histograms of the feature map's values before and after {label}")
                        .format(label=label))]
    for counts, colour, fill in ((logs[0], BEFORE_COLOUR, "0.35"), (logs[1], AFTER_COLOUR, "0")):
        ys = _scale(counts, 0, peak, bottom, top)
        xs = np.repeat(edges, 2)[1:-1]
        path = _points(np.concatenate([[edges[0]], xs, [edges[-1]]]),
                       np.concatenate([[bottom], np.repeat(ys, 2), [bottom]]))
        parts.append(f'<polyline points="{path}" stroke="{colour}" stroke-width="2" '
                     f'fill="{colour}" fill-opacity="{fill}"/>')
    zero = _scale(0, bins[0], bins[-1], left, right)
    parts.append(f'<line x1="{left}" y1="{bottom}" x2="{right}" y2="{bottom}" stroke="#777"/>'
                 f'<line x1="{zero:.1f}" y1="{top}" x2="{zero:.1f}" y2="{bottom}" stroke="#777" '
                 'stroke-dasharray="2 2"/>'
                 f'<text x="{left}" y="{bottom + 12}">{bins[0]:.1f}</text>'
                 f'<text x="{zero:.1f}" y="{bottom + 12}" text-anchor="middle">0</text>'
                 f'<text x="{right}" y="{bottom + 12}" text-anchor="end">{bins[-1]:.1f}</text>'
                 f'<text x="{left}" y="{top - 5}">{tr("number of values (log scale)")}</text></svg>')
    return "".join(parts)
