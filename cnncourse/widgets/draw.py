"""Draw for the CNN: chapter 4's trained network, live in the notebook and on the website (one front end).

:class:`DrawExplorer` is an ``anywidget`` widget whose front end is the
website's: ``_static/cnn-net.js`` (the network, tested equal to PyTorch)
followed by ``_static/cnn-draw.mjs`` (the explorer). The reader draws; the
browser computes every stage and the class probabilities, the receptive field
of a clicked unit and the Grad-CAM of a class. Python holds the state:
:attr:`DrawExplorer.image` is the drawing as an array, both ways.

Where players are recorded (the book build), its ``text/html`` is the
website's mount: the exported network and examples as JSON in the page
(:meth:`DrawExplorer.page_html`), which a static host hands to the same module.
"""

from __future__ import annotations

import html as _html
import json
from pathlib import Path
from typing import Any

import anywidget
import numpy as np
import torch
import traitlets
from torch import nn

from ..nets.export import export_examples, export_network
from ..i18n.translate import tr
from ..nets.shapes import SHAPE_CLASSES
from .base import WIDGET_VIEW, colab_widget_manager, recording_players
from .live import LIVE_NOTE, read_live_labels

STATIC = Path(__file__).resolve().parent / "static"
"""The front end's files (links to ``_static``, installed with the package, so Colab has them too)."""
NET_SCRIPT, DRAW_MODULE = STATIC / "cnn-net.js", STATIC / "cnn-draw.mjs"
DRAW_LABELS = read_live_labels(DRAW_MODULE)
"""The texts the explorer writes itself (the list ``LABELS`` of ``cnn-draw.mjs``), translated by ``tr()``."""

FALLBACK = ("With JavaScript on, this is a live explorer: draw a shape and watch the network trained above "
            "respond, stage by stage. The figures above show its maps for one validation image.")
"""What the website shows in the explorer's place where JavaScript is off."""


def _module_source() -> str:
    if not (NET_SCRIPT.exists() and DRAW_MODULE.exists()):
        raise FileNotFoundError(f"DrawExplorer needs {NET_SCRIPT.name} and {DRAW_MODULE.name}, installed with "
                                f"cnncourse; not found in {STATIC}")
    return NET_SCRIPT.read_text(encoding="utf-8") + "\n" + DRAW_MODULE.read_text(encoding="utf-8")


def _as_image(image: Any, side: int) -> np.ndarray:
    if isinstance(image, torch.Tensor):
        image = image.detach().cpu().numpy()
    try:
        x = np.asarray(image, dtype=np.float64)
    except (TypeError, ValueError):
        raise TypeError(f"image must be an array of numbers, got {type(image).__name__}") from None
    x = x.reshape(x.shape[-2:]) if x.ndim > 2 and all(n == 1 for n in x.shape[:-2]) else x
    if x.shape != (side, side):
        raise ValueError(f"image must have shape ({side}, {side}) (or (1, {side}, {side})), got {np.shape(image)}")
    if not np.isfinite(x).all() or x.min() < 0 or x.max() > 1:
        raise ValueError("image must have values in [0, 1] (0 black, 1 the brightest ink)")
    return x.astype(np.float32)


class DrawExplorer(anywidget.AnyWidget):
    """Draw a shape and watch a trained :class:`~cnncourse.nets.smallcnn.SmallCNN` respond, stage by stage.

    The front end computes in the browser, as the website does: every
    stage's maps, the six probabilities, the receptive field of a clicked unit
    and the Grad-CAM (at relu3) of the class whose bar the pointer is on.

    Parameters
    ----------
    model : torch.nn.Sequential
        The trained network (exported with :func:`~cnncourse.nets.export.export_network`).
    images, labels : torch.Tensor, optional
        Validation images (N, 1, H, W) in [0, 1] and their classes: the first
        ``per_class`` of each class become the "start from a validation image" choices.
    per_class : int, optional
        How many examples of each class.
    image : array_like, optional
        The drawing to start from, shape (H, W), values in [0, 1]; blank by default.
    classes : sequence of str, optional
        The class names, one per output.

    Examples
    --------
    >>> explorer = DrawExplorer(SmallCNN())
    >>> explorer.image = np.eye(32)
    >>> explorer.image.shape, float(explorer.image.sum())
    ((32, 32), 32.0)
    """

    _esm = _module_source() if NET_SCRIPT.exists() and DRAW_MODULE.exists() else ""
    network = traitlets.Dict().tag(sync=True)
    examples = traitlets.Dict().tag(sync=True)
    pixels = traitlets.List(traitlets.Float()).tag(sync=True)
    texts = traitlets.Dict().tag(sync=True)
    brush = traitlets.Int(2).tag(sync=True)
    note = traitlets.Unicode("").tag(sync=True)

    def __init__(self, model: nn.Sequential, images: Any = None, labels: Any = None, *, per_class: int = 3,
                 image: Any = None, classes: Any = SHAPE_CLASSES) -> None:
        if not self._esm:
            _module_source()  # raises, naming the missing files
        network = export_network(model, classes)
        examples = export_examples(images, labels, per_class=per_class) if images is not None else {}
        side = network["input"][1]
        texts = {text: tr(text) for text in (*DRAW_LABELS, *network["classes"])}
        super().__init__(network=network, examples=examples, pixels=[0.0] * side * side,
                         texts={k: v for k, v in texts.items() if v != k})
        self._side = side
        if image is not None:
            self.image = image

    @property
    def image(self) -> np.ndarray:
        """The drawing, shape (H, W), float32, 0 (black) to 1; set it to load an image into the explorer."""
        return np.asarray(self.pixels, dtype=np.float32).reshape(self._side, self._side)

    @image.setter
    def image(self, value: Any) -> None:
        self.pixels = _as_image(value, self._side).ravel().astype(float).tolist()

    def page_html(self) -> str:
        """The website's mount: a ``div.cnn-draw-mount[data-cnn-draw]`` with its JSON config and a fallback text."""
        config = {"network": self.network, "examples": self.examples, "pixels": self.pixels,
                  "texts": self.texts, "brush": self.brush, "note": tr(LIVE_NOTE)}
        text = json.dumps(config, separators=(",", ":"), ensure_ascii=False).replace("</", "<\\/")
        return (f'<div class="cnn-draw-mount" data-cnn-draw="1"><script type="application/json" '
                f'class="cnn-draw-config">{text}</script><p class="cnn-draw-fallback">'
                f"{_html.escape(tr(FALLBACK))}</p></div>")

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        colab_widget_manager()
        bundle = super()._repr_mimebundle_(**kwargs)
        data, metadata = bundle if isinstance(bundle, tuple) else (bundle, {})
        data = dict(data or {"text/plain": repr(self)[:110],
                             WIDGET_VIEW: {"version_major": 2, "version_minor": 0, "model_id": self.model_id}})
        if recording_players():
            data["text/html"] = self.page_html()
        return (data, metadata) if isinstance(bundle, tuple) else data
