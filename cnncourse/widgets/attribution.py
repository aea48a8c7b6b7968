"""Chapter 7's explorer: which pixels made the network choose a class, four ways.

:class:`AttributionExplorer` shows one attribution map (vanilla gradient,
SmoothGrad, occlusion or Grad-CAM, all from :mod:`cnncourse.attribution.gradients`)
over the photo, for a class chosen from the network's top guesses or typed by
name. Every map is computed once per (method, class, layer) and kept, so
switching back is instant; ``to_player()`` records every method for the
current class (and Grad-CAM at every layer) as a kernel-free player.
"""

from __future__ import annotations

import html as _html
from collections.abc import Mapping, Sequence
from typing import Any

import ipywidgets as w
import numpy as np
import torch
from torch import nn

from ..core.validate import finite_number, int_at_least
from ..attribution.gradients import class_probabilities, grad_cam, input_picture, saliency
from ..attribution.occlusion import occlusion
from ..figures.html import image_html, weights_banner_html
from ..figures.pictures import jpeg_data_uri, overlay_map, png_data_uri
from ..i18n.translate import tr
from ..ops.images import load_image
from ..nets.classes import default_class_names, find_class
from ..nets.vgg_layers import layer_output_shape, VGG16_LAYERS
from ..nets.weights import weights_banner
from .base import Explorer

METHODS = ("saliency", "smoothgrad", "occlusion", "grad_cam")
"""The attribution methods the explorer knows, in the order of chapter 7."""

METHOD_LABELS = {"saliency": "Vanilla gradient", "smoothgrad": "SmoothGrad", "occlusion": "Occlusion",
                 "grad_cam": "Grad-CAM"}
_VGG_LAYERS = ("block5_conv3", "block4_conv3", "block3_conv3")
_SHOWN = 224  # pixels: the width at which the photo and the map are shown
# While a map is computed, the picture it replaces is dimmed (the explorer's `display` gets this class).
STALE_STYLE = "<style>.jupyter-widgets.cnn-stale {opacity: 0.35; transition: opacity 0.2s;}</style>"


class AttributionExplorer(Explorer):
    """Choose a method, a class and (for Grad-CAM) a layer; see which pixels drive that class.

    The map is drawn over the photo (dimmed, in gray) in the ``viridis``
    colours: where the map is dark the photo shows through, bright yellow
    marks the pixels that matter most for the class (each map scaled so that
    its 99th percentile is the brightest colour). The class comes from a
    menu of the network's top guesses, or from the text box, where any class
    of the network can be typed by name (any case) or index: a name it does
    not know shows a message with the closest names, and the explorer keeps
    the last valid class, while the other controls go on working. The layer
    menu is only active for Grad-CAM. While a map is computed (SmoothGrad
    and occlusion take seconds for VGG16), a progress bar shows above the
    picture it replaces, which is dimmed; nothing is written to standard error.

    Parameters
    ----------
    model : torch.nn.Module
        A classifier returning logits: VGG16 with its classifier
        (``load_vgg16(include_top=True)``), or chapter 4's trained
        :class:`~cnncourse.SmallCNN`.
    image : path, PIL image, array or tensor
        A photo for VGG16 (anything :func:`~cnncourse.preprocess` accepts but
        a tensor), or the model's input as a tensor: a ``(C, H, W)`` image as
        a small model was trained on (see :func:`cnncourse.attribution.gradients.model_input`).
    targets : sequence of int or str, optional
        The classes of the menu (indices or names). By default the five
        classes the network rates highest for the photo; for a network with
        at most ten classes, all of them, most probable first.
    methods : sequence of str, optional
        Some of :data:`METHODS`, in menu order.
    layers : sequence of str, optional
        The Grad-CAM layers: VGG16 layer names (``block5_conv3``,
        ``block4_conv3``, ``block3_conv3`` by default) or stage names of a
        small model (by default its ReLU stages, deepest first).
    class_names : sequence of str, optional
        One name per output; ImageNet's categories for 1000 outputs and the
        shape classes of chapter 4 for six, by default.
    samples, noise : optional
        SmoothGrad's noisy copies and their noise level (see :func:`~cnncourse.saliency`).
    window, stride : optional
        Occlusion's grey square and its step, in pixels (see :func:`~cnncourse.occlusion`).
    maps : mapping, optional
        Maps already computed with the same settings, to start the cache:
        ``{(method, class, layer): map}``, with the layer ``None`` except for
        Grad-CAM (the chapter passes the maps it drew, so nothing is computed twice).

    Examples
    --------
    >>> _ = torch.manual_seed(0)
    >>> explorer = AttributionExplorer(SmallCNN(), torch.rand(1, 32, 32), window=8, stride=8)
    >>> explorer.method.value = "grad_cam"
    >>> explorer.layer.disabled, explorer.current[0], explorer.current[2]
    (False, 'grad_cam', 'relu3')
    >>> explorer.other.value = "rign"
    >>> "did you mean" in explorer.message.value and "ring" in explorer.message.value
    True
    >>> explorer.current[1] == explorer.targets[0]  # the last valid class stays
    True
    >>> explorer.other.value = "ring"
    >>> len(explorer.to_player("All methods").frames)  # 3 methods, and Grad-CAM at 3 layers
    6
    """

    def __init__(self, model: nn.Module, image: Any, *, targets: Sequence[int | str] | None = None,
                 methods: Sequence[str] = METHODS, layers: Sequence[str] | None = None,
                 class_names: Sequence[str] | None = None, samples: int = 16, noise: float = 0.15,
                 window: int = 32, stride: int = 16,
                 maps: Mapping[tuple[str, int | str, str | None], Any] | None = None) -> None:
        if not isinstance(model, nn.Module):
            raise TypeError(f"model must be a torch.nn.Module (a classifier), got {type(model).__name__}")
        self.model, self.image = model, image
        self.photo = input_picture(image)
        self.is_vgg = hasattr(model, "features") and hasattr(model, "classifier")
        self.probabilities = class_probabilities(model, image)
        count = len(self.probabilities)
        self.class_names = list(class_names) if class_names is not None else default_class_names(count)
        if len(self.class_names) != count:
            raise ValueError(f"class_names has {len(self.class_names)} names for the model's {count} outputs")
        self.methods = tuple(methods)
        if not self.methods or any(m not in METHODS for m in self.methods):
            raise ValueError(f"methods must be some of {', '.join(METHODS)}; got {list(methods)}")
        if layers is None:
            layers = _VGG_LAYERS if self.is_vgg else [name for name, _ in reversed(list(model.named_children()))
                                                      if name.startswith("relu")]
        self.layers = tuple(layers)
        if not self.layers:
            raise ValueError("layers must name at least one layer for Grad-CAM")
        self.settings = {"samples": int_at_least(samples, "samples", 1), "noise": finite_number(noise, "noise", 0.0),
                         "window": int_at_least(window, "window", 1), "stride": int_at_least(stride, "stride", 1)}
        if targets is None:
            order = np.argsort(-self.probabilities, kind="stable")
            targets = order[: count if count <= 10 else 5].tolist()
        self.targets = [self._resolve(t) for t in targets]
        self._maps: dict[tuple[str, int, str | None], np.ndarray] = {}  # computed maps: a memo
        for (method, target, layer), values in (maps or {}).items():
            self._maps[self._key(method, self._resolve(target), layer)] = self._checked(values)
        self._banner = weights_banner_html(weights_banner(model)) if hasattr(model, "cnncourse_weights") else ""
        self._photo_uri = self._png(self.photo if self.photo.ndim == 3 else load_image(self.photo))

        self.method = w.Dropdown(options=[(tr(METHOD_LABELS[m]), m) for m in self.methods], value=self.methods[0],
                                 description=tr("method"))
        self.target = w.Dropdown(options=[(f"{self.class_names[t]} ({self.probabilities[t]:.1%})", t)
                                          for t in self.targets], value=self.targets[0], description=tr("class"))
        self.other = w.Text(value="", description=tr("or type"), placeholder=tr("any class name, then Enter"),
                            continuous_update=False)
        self.layer = w.Dropdown(options=list(self.layers), value=self.layers[0], description=tr("layer"),
                                disabled=self.methods[0] != "grad_cam")
        self.progress = w.IntProgress(value=0, min=0, max=1, layout=w.Layout(width="12em"))
        self.status = w.HTML(STALE_STYLE)  # what is being computed (and the style that dims the stale picture)
        self.working = w.HBox([self.progress, self.status], layout=w.Layout(display="none"))
        self._current: tuple[str, int, str | None] | None = None
        self._warning = ""  # the message about a bad typed class, while the last valid one is shown
        self.target.observe(self._menu_chosen, names="value")  # before the base's refresh: the menu wins
        super().__init__([w.HBox([self.method, self.layer]), w.HBox([self.target, self.other]), self.working],
                         watch=[self.method, self.target, self.other, self.layer], position=None,
                         interval_ms=1500)

    # -- classes ------------------------------------------------------------------
    def _resolve(self, target: int | str) -> int:
        """A class index from an index or a name (any case); ValueError naming the closest names."""
        return find_class(target, self.class_names)

    def _menu_chosen(self, _change: Any) -> None:
        self.other.value = ""  # choosing from the menu replaces a typed class

    # -- maps ---------------------------------------------------------------------
    def _key(self, method: str, target: int, layer: str | None) -> tuple[str, int, str | None]:
        if method not in self.methods:
            raise ValueError(f"method must be one of {', '.join(self.methods)}, got {method!r}")
        if method == "grad_cam" and layer not in self.layers:
            raise ValueError(f"layer must be one of {', '.join(self.layers)} for grad_cam, got {layer!r}")
        return method, target, layer if method == "grad_cam" else None

    def _checked(self, values: Any) -> np.ndarray:
        array = np.asarray(values, dtype=np.float64)
        if array.shape != self.photo.shape[:2]:
            raise ValueError(f"a map must have the image's height and width {self.photo.shape[:2]}, "
                             f"got {array.shape}")
        return array

    def _map(self, key: tuple[str, int, str | None]) -> np.ndarray:
        """The map of ``key``, computed on first use (with the progress bar showing) and kept."""
        if key in self._maps:
            return self._maps[key]
        (method, target, layer), s = key, self.settings
        self.status.value = STALE_STYLE + _html.escape(tr("Computing {title} for the class {name}…").format(
            title=self._title(key), name=self.class_names[target]))
        self.progress.value = 0
        self.working.layout.display = "flex"
        self.display.add_class("cnn-stale")
        try:
            if method == "grad_cam":
                values = grad_cam(self.model, self.image, target, layer=layer)
            elif method == "occlusion":
                values = occlusion(self.model, self.image, target, window=s["window"], stride=s["stride"],
                                   progress=self._report)
            else:
                samples = s["samples"] if method == "smoothgrad" else 0
                values = saliency(self.model, self.image, target, samples=samples, noise=s["noise"],
                                  progress=self._report)
        finally:
            self.working.layout.display = "none"
            self.display.remove_class("cnn-stale")
        self._maps[key] = self._checked(values)
        return self._maps[key]

    def _report(self, done: int, total: int) -> None:
        """The compute's progress, ``done`` of ``total``, shown by the explorer's own bar."""
        self.progress.max, self.progress.value = max(total, 1), done

    # -- the explorer ---------------------------------------------------------------
    @property
    def current(self) -> tuple[str, int, str | None]:
        """(method, class index, layer or None) of the map shown."""
        return self._current

    def _recompute(self) -> None:
        method = self.method.value
        self.layer.disabled = method != "grad_cam"
        typed, target, self._warning = self.other.value.strip(), self.target.value, ""
        if typed:
            try:
                target = self._resolve(typed)
            except ValueError as exc:  # keep the last valid class; the other controls go on working
                target = target if self._current is None else self._current[1]
                self._warning = (f'<div class="cnn-error">⚠ {_html.escape(tr(str(exc)))}<br>'
                                 + _html.escape(tr("Still showing the class {name}.").format(
                                     name=repr(self.class_names[target]))) + "</div>")
        key = self._key(method, target, self.layer.value if method == "grad_cam" else None)
        self._map(key)
        self._current = key

    def _show(self, _change: Any = None) -> None:
        super()._show(_change)
        if self._problem is None and self._warning:
            self.message.value = self._warning

    def _frame(self, step: int) -> str:
        return self._picture(self._current)

    def _frame_keys(self, target: int) -> list[tuple[str, int, str | None]]:
        """The player's frames for ``target``: every method, Grad-CAM at every layer."""
        return [self._key(m, target, layer) for m in self.methods
                for layer in (self.layers if m == "grad_cam" else [None])]

    def _player_frames(self) -> list[str]:
        keys = self._frame_keys(self._current[1])
        for key in keys:
            self._map(key)  # computed once, then kept
        return [self._picture(key) for key in keys]

    def _header(self) -> str:
        return self._banner

    def _default_title(self) -> str:
        return tr(f"Where the network looks for '{self.class_names[self._current[1]]}', method by method")

    # -- pictures -------------------------------------------------------------------
    def _png(self, rgb: np.ndarray) -> str:
        """A small image as a PNG with sharp, enlarged pixels; a photo-sized one as a JPEG (a tenth of the bytes)."""
        if rgb.shape[1] * 2 <= _SHOWN:
            return png_data_uri(rgb, scale=_SHOWN // rgb.shape[1])
        return jpeg_data_uri(rgb, quality=88)

    def _describe(self, method: str, layer: str | None) -> str:
        s = self.settings
        if method == "saliency":
            return tr("the size of the class score's gradient at each pixel (largest over the colour channels)")
        if method == "smoothgrad":
            return tr(f"the gradient's size averaged over {s['samples']} noisy copies of the image "
                    f"(noise {s['noise']:.0%} of the input's range)")
        if method == "occlusion":
            return tr(f"how much the class probability drops when a {s['window']}×{s['window']} square over "
                    f"the pixel is hidden (the square moves {s['stride']} pixels at a time)")
        height, width = self.photo.shape[:2]
        shape = layer_output_shape(layer, height=height, width=width) if self.is_vgg and layer in VGG16_LAYERS else None
        native = f" (a {shape[1]}×{shape[2]} map, enlarged to {height}×{width})" if shape else ""
        return tr("the layer's channels weighted by their mean gradient, summed, positive part") + tr(native)

    @staticmethod
    def _title(key: tuple[str, int, str | None]) -> str:
        return tr(METHOD_LABELS[key[0]] + (f" at {key[2]}" if key[2] else ""))

    def _texts(self, key: tuple[str, int, str | None]) -> tuple[str, str]:
        """The note above the pictures (HTML) and the map's caption (plain text) of ``key``."""
        (method, target, layer), title = key, self._title(key)
        name = self.class_names[target]
        note = tr("{title} for class {name} (probability {probability}): {description}.").format(
            title=f"<b>{_html.escape(title)}</b>", name=f"<b>{_html.escape(name)}</b>",
            probability=f"{self.probabilities[target]:.1%}", description=_html.escape(self._describe(method, layer)))
        return note, tr(f"{title}, class {name}")

    def _picture(self, key: tuple[str, int, str | None]) -> str:
        target, title = key[1], self._title(key)
        name = self.class_names[target]
        overlay = overlay_map(self.photo, self._maps[key])
        # Both sides in the page, so a frame whose pictures load late keeps the player's size meanwhile.
        size = {"width": _SHOWN, "height": round(_SHOWN * self.photo.shape[0] / self.photo.shape[1])}
        alt = tr(f"{title} map for the class {name}, drawn over the dimmed photo: bright yellow where the "
               "pixels matter most for the class, the photo showing through where they do not matter")
        # Every frame of the class holds the texts of all of them, stacked, all but its own invisible: the
        # texts differ in length, and so every frame (and the player) keeps the size of the longest.
        others = [self._texts(k) for k in self._frame_keys(target) if k != key]
        note, caption = self._texts(key)
        ghost = '<span class="cnn-ghost" aria-hidden="true">{}</span>'
        notes = f"<span>{note}</span>" + "".join(ghost.format(text) for text, _ in others)
        captions = f"<span>{_html.escape(caption)}</span>" + "".join(
            ghost.format(_html.escape(text)) for _, text in others)
        return (
            f'<div class="cnn-note cnn-stack">{notes}</div><div class="cnn-figures cnn-top">'
            + image_html(self._photo_uri, tr("The input image"), caption=tr("input"), **size)
            + f'<figure>{image_html(self._png(overlay), alt, **size)}'
            + f'<figcaption class="cnn-stack">{captions}</figcaption></figure>'
            + "</div>"
        )
