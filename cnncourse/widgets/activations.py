"""The activation explorer of chapter 3: an activation, its derivative and its effect on a feature map.

Computed in the browser (:mod:`cnncourse.widgets.browser`); Python reads and sets its state. The
pictures of :meth:`ActivationExplorer.to_player` and of the website's still picture are plain HTML:
small inline SVG drawings (:mod:`cnncourse.svg`) and PNG images of the maps.
"""

from __future__ import annotations

import base64
import html as _html
from collections.abc import Sequence
from typing import Any

import numpy as np
import traitlets

from ..figures.html import image_html
from ..figures.palette import BLUE, BLUISH_GREEN, ORANGE
from ..figures.pictures import colormap_lut, png_data_uri
from ..figures.svg import curves_svg, histograms_svg
from ..i18n.translate import tr
from ..ops.activations import ACTIVATIONS, get_activation
from ..ops.histograms import clipped_histogram, signed_scale, zero_share
from ..ops.images import default_feature_map, edge_map
from ..ops.kernels import KERNELS
from .browser import PICTURE_SYNC, BrowserExplorer, Picture


ACTIVATION_LABELS = {"sigmoid": "sigmoid", "tanh": "tanh", "relu": "ReLU", "leaky_relu": "leaky ReLU",
                     "gelu": "GELU"}
"""How the explorer names each activation of :data:`cnncourse.activations.ACTIVATIONS`."""

FUNCTION_COLOUR = BLUE
DERIVATIVE_COLOUR = ORANGE
BEFORE_COLOUR = "#999999"
AFTER_COLOUR = BLUISH_GREEN
SIGNED_CMAP = "RdBu_r"

_X = np.linspace(-4, 4, 161)
_YLIM = (-1.5, 4.2)
_PLAYER_SETTINGS = (("sigmoid", None), ("tanh", None), ("relu", None), ("leaky_relu", 0.01),
                    ("leaky_relu", 0.2), ("gelu", None))


def _apply(name: str, slope: float | None, x: np.ndarray) -> np.ndarray:
    function = ACTIVATIONS[name].function
    return function(x) if slope is None else function(x, slope=slope)


class ActivationExplorer(BrowserExplorer):
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

    Attributes
    ----------
    activation : str
        Synced, like ``slope`` (a float).
    image : numpy.ndarray or None
        The reader's picture, grey in [0, 1] (synced both ways): its vertical-edge map
        (:func:`~cnncourse.ops.images.edge_map`) replaces the feature map.
    before, after : numpy.ndarray
        The feature map before and after the activation, computed by cnncourse from the state.

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
    >>> explorer.activation = "leaky_relu"
    >>> explorer.slope = 0.5
    >>> explorer.after.tolist()
    [[-0.5, 2.0]]
    >>> len(explorer.to_player("ReLU or tanh", settings=[("relu", None), ("tanh", None)]).frames)
    2
    """

    kind = traitlets.Unicode("act").tag(sync=True)
    activation = traitlets.Unicode("relu").tag(sync=True)
    slope = traitlets.Float(0.01).tag(sync=True)
    image = Picture().tag(**PICTURE_SYNC)
    # What the view draws with (set once): the labels, the curves' range, the map and its colour scale.
    activations = traitlets.List().tag(sync=True)
    x = traitlets.List().tag(sync=True)
    ylim = traitlets.List().tag(sync=True)
    colours = traitlets.Dict().tag(sync=True)
    map = traitlets.Dict().tag(sync=True)
    limit = traitlets.Float(1.0).tag(sync=True)
    bins = traitlets.List().tag(sync=True)
    lut = traitlets.Unicode("").tag(sync=True)
    edge_kernel = traitlets.List().tag(sync=True)

    def __init__(self, image: Any = None, *, activation: str = "relu", slope: float = 0.01) -> None:
        fmap = default_feature_map() if image is None else np.asarray(image, dtype=float)
        if fmap.ndim != 2 or fmap.size == 0:
            raise ValueError(f"image must have shape (H, W), got {fmap.shape}")
        get_activation(activation)  # a bad name raises here, listing the valid ones
        self._map = fmap
        self._scale: dict[str, Any] = {}
        super().__init__(activation=activation, slope=slope, **self._drawing())

    @traitlets.validate("activation")
    def _valid_activation(self, proposal: dict) -> str:
        try:
            get_activation(proposal["value"])
        except ValueError as exc:
            raise traitlets.TraitError(str(exc)) from None
        return proposal["value"]

    @traitlets.validate("slope")
    def _valid_slope(self, proposal: dict) -> float:
        if not np.isfinite(proposal["value"]):
            raise traitlets.TraitError(f"slope must be a finite number, got {proposal['value']}")
        return proposal["value"]

    @property
    def before(self) -> np.ndarray:
        """The feature map: the reader's picture's edge map, or the explorer's map."""
        return self._map if self.image is None else edge_map(self.image)

    @property
    def after(self) -> np.ndarray:
        """cnncourse's activation of :attr:`before` with the current activation (and slope)."""
        return _apply(self.activation, self._slope(self.activation), self.before)

    def _slope(self, name: str, slope: float | None = None) -> float | None:
        return (self.slope if slope is None else slope) if name == "leaky_relu" else None

    def _scales(self, fmap: np.ndarray | None = None) -> tuple[float, np.ndarray, np.ndarray, str]:
        """A map's colour limit, histogram bins and counts, and its PNG (kept for the map shown)."""
        fmap = self.before if fmap is None else fmap
        if self._scale.get("map") is not fmap:
            limit, bins = signed_scale(fmap)
            png = png_data_uri(fmap, cmap=SIGNED_CMAP, vmin=-limit, vmax=limit)
            self._scale = {"map": fmap, "values": (limit, bins, clipped_histogram(fmap, bins), png)}
        return self._scale["values"]

    def _frame(self, step: int) -> str:
        return self._picture(self.activation, self._slope(self.activation))

    def _still_step(self) -> int:
        return 0

    def _settings(self) -> dict[str, Any]:
        return {"activation": self.activation, "slope": self.slope, **self._drawing()}

    def _drawing(self) -> dict[str, Any]:
        values = np.ascontiguousarray(self._map, dtype="<f4").tobytes()
        limit, bins, _, _ = self._scales(self._map)
        return {"activations": [[tr(ACTIVATION_LABELS.get(n, n)), n] for n in ACTIVATIONS],
                "x": [float(_X[0]), float(_X[-1]), len(_X)], "ylim": list(_YLIM),
                "colours": {"function": FUNCTION_COLOUR, "derivative": DERIVATIVE_COLOUR,
                            "before": BEFORE_COLOUR, "after": AFTER_COLOUR},
                "map": {"shape": list(self._map.shape), "float32": base64.b64encode(values).decode("ascii")},
                "limit": limit, "bins": bins.tolist(), "lut": colormap_lut(SIGNED_CMAP).tobytes().hex(),
                "edge_kernel": KERNELS["vertical edge"].tolist()}

    def _player_frames(self, *, settings: Sequence[tuple[str, float | None]] = _PLAYER_SETTINGS) -> list[str]:
        return [self._picture(name, slope) for name, slope in settings]

    def _picture(self, name: str, slope: float | None, *, after: np.ndarray | None = None) -> str:
        """The HTML picture for one activation (and slope)."""
        get_activation(name)
        slope = (0.01 if slope is None else slope) if name == "leaky_relu" else None
        limit, bins, before_counts, before_png = self._scales()
        after = _apply(name, slope, self.before) if after is None else after
        label = tr(ACTIVATION_LABELS.get(name, name) + (f" (slope {slope:g})" if slope is not None else ""))
        function, derivative = ACTIVATIONS[name]
        kwargs = {} if slope is None else {"slope": slope}
        curves = curves_svg(_X, function(_X, **kwargs), derivative(_X, **kwargs), title=label, ylim=_YLIM,
                            colours=(FUNCTION_COLOUR, DERIVATIVE_COLOUR))
        after_counts = clipped_histogram(after, bins)
        hist = histograms_svg(bins, before_counts, after_counts, label,
                              colours=(BEFORE_COLOUR, AFTER_COLOUR))
        zeroed = zero_share(after)
        return (
            '<div class="cnn-figures cnn-top">'
            + f"<figure>{curves}<figcaption>" + _html.escape(tr("{label}: function (blue, solid) and "
            "derivative (orange, dashed)").format(label=label)) + "</figcaption></figure>"
            + image_html(before_png, tr("The feature map before the activation: red where positive, "
                         "blue where negative, white at zero"), caption=tr("feature map before"))
            + image_html(png_data_uri(after, cmap=SIGNED_CMAP, vmin=-limit, vmax=limit),
                         tr("The same feature map after {label}, on the same colour scale").format(label=label), caption=tr("after {label}").format(label=label))
            + f"<figure>{hist}<figcaption>" + tr("values before (grey) and after (green); "
            "{share} of the values are exactly 0 after").format(share=f"{zeroed:.0%}") + "</figcaption></figure>"
            + "</div>"
        )
