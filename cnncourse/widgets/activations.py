"""The activation explorer of chapter 3: an activation, its derivative and its effect.

The picture is plain HTML: the curves and histograms are small inline SVG
drawings (:mod:`cnncourse.figures.svg`) and the feature maps PNG images, so one update takes a few
milliseconds (redrawing a matplotlib figure takes ten times longer) and the
same frames make the kernel-free :class:`~cnncourse.figures.player.Player` of the website.
"""

from __future__ import annotations

import base64
import html as _html
from collections.abc import Sequence
from typing import Any

import ipywidgets as w
import numpy as np

from ..ops.activations import ACTIVATIONS, get_activation
from ..ops.images import default_feature_map
from ..figures.html import image_html
from ..figures.pictures import colormap_lut, png_data_uri
from ..figures.svg import curves_svg, histograms_svg
from ..i18n.translate import tr
from ..figures.palette import BLUE, BLUISH_GREEN, ORANGE
from .base import Explorer


ACTIVATION_LABELS = {"sigmoid": "sigmoid", "tanh": "tanh", "relu": "ReLU", "leaky_relu": "leaky ReLU",
                     "gelu": "GELU"}
"""How the explorer names each activation of :data:`cnncourse.ops.activations.ACTIVATIONS`."""

FUNCTION_COLOUR = BLUE
DERIVATIVE_COLOUR = ORANGE
BEFORE_COLOUR = "#999999"
AFTER_COLOUR = BLUISH_GREEN
SIGNED_CMAP = "RdBu_r"

_X = np.linspace(-4, 4, 161)
_YLIM = (-1.5, 4.2)
_PLAYER_SETTINGS = (("sigmoid", None), ("tanh", None), ("relu", None), ("leaky_relu", 0.01),
                    ("leaky_relu", 0.2), ("gelu", None))


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
        A key of :data:`cnncourse.ops.activations.ACTIVATIONS`.
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
        curves = curves_svg(_X, function(_X, **kwargs), derivative(_X, **kwargs), title=label, ylim=_YLIM,
                            colours=(FUNCTION_COLOUR, DERIVATIVE_COLOUR))
        after_counts = np.histogram(np.clip(after, self._bins[0], self._bins[-1]), self._bins)[0]
        hist = histograms_svg(self._bins, self._before_counts, after_counts, label,
                              colours=(BEFORE_COLOUR, AFTER_COLOUR))
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
