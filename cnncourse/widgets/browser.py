"""The explorers of chapters 1-3: one front end, computed in the browser, in the notebook and on the website.

An explorer here is an :class:`anywidget.AnyWidget`: its front end is the ES module made of
``_static/cnn-live.js`` (the compute, tested equal to cnncourse), ``cnn-live-zh.js`` (the Chinese labels),
``cnn-live-picture.js`` (the reader's picture), ``cnn-live-explorers.js`` and ``cnn-live-activations.js``
(the views), so an update needs no kernel round trip. Its state is synced
traits that Python reads and sets (``explorer.kernel``, ``explorer.position``, ...); ``explorer.output``
is computed by cnncourse from that state, so a reader can check the browser against the package.

On the website there is no kernel: the same views are mounted by ``_static/cnn-live-host.js`` on a plain
object made from :meth:`BrowserExplorer.live_config`, written into the page with a still picture of the
explorer for readers without JavaScript (:meth:`BrowserExplorer.show`, when players are recorded).

Front ends: JupyterLab, Notebook 7 and VS Code show anywidget widgets as they are; on Colab, anywidget
itself turns on Colab's custom widget manager (``google.colab.output.enable_custom_widget_manager()``)
when an explorer is made, so a chapter's set-up cell calls nothing. ipywidgets 7 and 8 both work.
"""

from __future__ import annotations

import html as _html
from pathlib import Path
from typing import Any

import anywidget
import ipywidgets
import numpy as np
import traitlets

from ..figures.html import STYLE
from ..figures.player import Player
from ..i18n.translate import language, tr
from .base import every_frame, recording_players
from .live import LIVE_LABELS, LIVE_LIMITS, LIVE_NOTE

STATIC = Path(__file__).resolve().parent / "static"
"""The front end's files (links to ``_static``, installed with the package)."""

ESM = "\n".join((STATIC / name).read_text(encoding="utf-8") for name in
                ("cnn-live.js", "cnn-live-zh.js", "cnn-live-picture.js", "cnn-live-explorers.js",
                 "cnn-live-activations.js"))
ESM += "\nexport default {render: ctx => globalThis.cnnLiveViews[ctx.model.get('kind')].render(ctx)};\n"
CSS = (STATIC / "cnn-live.css").read_text(encoding="utf-8") + STYLE.replace("<style>", "").replace("</style>", "")

STILL_NOTE = ("This is a still picture of the explorer: with JavaScript on, it runs in this page, computed in "
              "your browser.")
"""What the website's still picture says about itself (shown only without JavaScript)."""

MAX_SIDE = 480
"""The longest side of a picture in the explorers (a larger one is scaled down, as the front end does)."""


class Matrix(traitlets.TraitType):
    """A trait holding a 2-D array of finite numbers (read-only float64), synced as nested lists.

    Parameters
    ----------
    default_value : array_like
        The initial matrix.
    **kwargs
        Passed to :class:`traitlets.TraitType`.

    Examples
    --------
    >>> class Holder(traitlets.HasTraits):
    ...     kernel = Matrix([[1, 0], [0, 1]])
    >>> Holder(kernel=[[1, 2, 3]]).kernel.shape
    (1, 3)
    >>> Holder(kernel=[1, 2])
    Traceback (most recent call last):
    ...
    traitlets.traitlets.TraitError: kernel must be a 2-D array of numbers (rows of equal length), got shape (2,)
    """

    info_text = "a 2-D array of finite numbers"

    def validate(self, obj: Any, value: Any) -> np.ndarray:
        try:
            array = np.array(value, dtype=float)
        except (TypeError, ValueError):
            raise traitlets.TraitError(f"{self.name} must be a 2-D array of numbers, got {value!r}") from None
        if array.ndim != 2 or array.size == 0:
            raise traitlets.TraitError(f"{self.name} must be a 2-D array of numbers (rows of equal length), "
                                       f"got shape {array.shape}")
        if not np.all(np.isfinite(array)):
            raise traitlets.TraitError(f"{self.name} must contain only finite numbers")
        array.flags.writeable = False
        return array


def _matrix_to_json(value: np.ndarray, _widget: Any) -> list:
    return np.asarray(value).tolist()


def _matrix_from_json(value: list, _widget: Any) -> np.ndarray:
    return np.array(value, dtype=float)


class Picture(traitlets.TraitType):
    """A trait holding a grey picture: None, or an (H, W) float64 array in [0, 1] in steps of 1/255.

    An RGB array (H, W, 3) is made grey (:func:`cnncourse.to_grayscale`); uint8 levels become [0, 1]; a side
    longer than :data:`MAX_SIDE` is scaled down. Synced as ``{"shape": [H, W], "data": bytes}`` (one byte a
    pixel): the front end sends the reader's picture that way, and gets Python's.

    Parameters
    ----------
    **kwargs
        Passed to :class:`traitlets.TraitType`.

    Examples
    --------
    >>> class Holder(traitlets.HasTraits):
    ...     image = Picture()
    >>> Holder(image=np.full((2, 3), 255, dtype=np.uint8)).image.tolist()
    [[1.0, 1.0, 1.0], [1.0, 1.0, 1.0]]
    """

    default_value = None
    allow_none = True
    info_text = "None or a grey picture"

    def validate(self, obj: Any, value: Any) -> np.ndarray | None:
        if value is None:
            return None
        from ..ops.images import to_grayscale

        array = np.asarray(value)
        if array.ndim == 3:
            array = to_grayscale(array)
        elif array.dtype == np.uint8:
            array = array / 255.0
        if array.ndim != 2 or array.size == 0 or not np.issubdtype(array.dtype, np.number):
            raise traitlets.TraitError(f"{self.name} must be a grey (H, W) or RGB (H, W, 3) picture, "
                                       f"got shape {array.shape}")
        array = array.astype(float)
        if not np.all((array >= 0) & (array <= 1)):
            raise traitlets.TraitError(f"{self.name} must hold values in [0, 1] (or uint8 levels)")
        if max(array.shape) > MAX_SIDE:
            from PIL import Image

            factor = MAX_SIDE / max(array.shape)
            size = (max(1, round(array.shape[1] * factor)), max(1, round(array.shape[0] * factor)))
            array = np.asarray(Image.fromarray(np.round(array * 255).astype(np.uint8)).resize(size, Image.BILINEAR))
            array = array / 255.0
        levels = np.round(array * 255) / 255  # what the front end holds: one byte a pixel
        levels.flags.writeable = False
        return levels


def _picture_to_json(value: np.ndarray | None, _widget: Any) -> dict | None:
    if value is None:
        return None
    return {"shape": list(value.shape), "data": np.round(value * 255).astype(np.uint8).tobytes()}


def _picture_from_json(value: dict | None, _widget: Any) -> np.ndarray | None:
    if not value:
        return None
    h, w = value["shape"]
    return np.frombuffer(bytes(value["data"]), dtype=np.uint8)[: h * w].reshape(h, w) / 255.0


MATRIX_SYNC = {"sync": True, "to_json": _matrix_to_json, "from_json": _matrix_from_json}
PICTURE_SYNC = {"sync": True, "to_json": _picture_to_json, "from_json": _picture_from_json}


class BrowserExplorer(anywidget.AnyWidget):
    """Base class of the explorers computed in the browser (chapters 1-3).

    A subclass sets ``kind`` (the view: ``"conv"``, ``"pool"`` or ``"act"``), adds its synced traits and
    implements :meth:`_frame` (the HTML of one step, for the website's still picture and for
    :meth:`to_player`) and :attr:`steps`; :meth:`_settings` lists the traits the website's view needs.

    Parameters
    ----------
    **kwargs
        Initial values of the traits.
    """

    _esm = ESM
    _css = CSS
    kind = traitlets.Unicode("").tag(sync=True)
    title = traitlets.Unicode("").tag(sync=True)
    note = traitlets.Unicode("").tag(sync=True)
    labels = traitlets.Dict().tag(sync=True)
    limits = traitlets.Dict().tag(sync=True)
    interval_ms = traitlets.Int(700).tag(sync=True)
    camera = traitlets.Bool(False).tag(sync=True)

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(labels=self._labels(), limits=dict(LIVE_LIMITS), **kwargs)
        self.player_title, self.player_options = "", {}

    # -- what a subclass implements ------------------------------------
    @property
    def steps(self) -> int:
        """The number of steps (1 for an explorer without a position)."""
        return 1

    def _frame(self, step: int) -> str:
        raise NotImplementedError

    def _settings(self) -> dict[str, Any]:
        """The state the website's view starts from (JSON), besides what every explorer has."""
        raise NotImplementedError

    def _player_frames(self, **options: Any) -> list[str]:
        return every_frame(self, options)

    def _still_step(self) -> int:
        """The step of the website's still picture: the last (the whole output)."""
        return self.steps - 1

    # -- what the base class does --------------------------------------
    def live_config(self) -> dict[str, Any]:
        """The website's view's state: the current settings, limits, note, and the labels' translations."""
        config = {"kind": self.kind, **self._settings(), "limits": dict(LIVE_LIMITS), "note": tr(LIVE_NOTE),
                  "interval_ms": self.interval_ms, "camera": True, "image": None}
        if language() != "en":  # what the views write themselves, translated (English: unchanged)
            config["labels"] = self._labels()
        return config

    def _texts(self) -> tuple[str, ...]:
        """Texts of this explorer's settings that its view shows as they are (e.g. preset names)."""
        return ()

    def _labels(self) -> dict[str, str]:
        """The translations of what the view writes (none in English: the view's texts are English)."""
        if language() == "en":
            return {}
        return {text: tr(text) for text in (*LIVE_LABELS, *self._texts())}

    def to_player(self, title: str = "", **options: Any) -> Player:
        """A kernel-free :class:`~cnncourse.player.Player` of every step with the current settings.

        On the website the player becomes the live explorer (``live`` settings); in a notebook it is a
        recording.

        Parameters
        ----------
        title : str, optional
            Shown above the frames.
        **options
            What the explorer lets you choose about the frames (see its documentation).
        """
        return Player(self._player_frames(**options), title=title, interval_ms=self.interval_ms,
                      live=self.live_config())

    def still_html(self, title: str = "") -> str:
        """The website's output: the live explorer's settings and, for readers without JavaScript, a still
        picture of its last step (no recorded player).

        Parameters
        ----------
        title : str, optional
            Shown above the picture (and the live explorer).
        """
        import json

        heading = f'<div class="cnn-player-title">{_html.escape(tr(title))}</div>' if title else ""
        note = f'<div class="cnn-note cnn-recorded" role="note">{_html.escape(tr(STILL_NOTE))}</div>'
        config = json.dumps(self.live_config(), separators=(",", ":")).replace("</", "<\\/")
        return (f'<div class="cnn-live" data-cnn-live="{_html.escape(self.kind)}">'
                f'<script type="application/json" class="cnn-live-config">{config}</script>{STYLE}'
                f'<div class="cnn-player cnn-still">{heading}{note}<div class="cnn-player-frames">'
                f'<div class="cnn-player-frame">{self._frame(self._still_step())}</div></div></div></div>')

    def show(self, title: str = "", **options: Any) -> None:
        """Display the explorer with ``title``: the live widget in a notebook; on the website (built with
        ``CNNCOURSE_RECORD_PLAYERS=1``) the same output carries :meth:`still_html`, which the website's host
        makes live.

        Parameters
        ----------
        title : str, optional
            Shown above the explorer.
        **options
            Kept for :meth:`to_player`'s options (none here).
        """
        from IPython.display import display

        self.title, self.player_title, self.player_options = tr(title), title, dict(options)
        display(self)

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        """The widget view and, where players are recorded, the website's output as ``text/html``."""
        bundle = super()._repr_mimebundle_(**kwargs)
        data, metadata = bundle if isinstance(bundle, tuple) else (bundle, {})
        if recording_players():
            data = {**data, "text/html": self.still_html(self.player_title)}
        return (data, metadata) if isinstance(bundle, tuple) else data

    if hasattr(ipywidgets.Widget, "_ipython_display_"):  # ipywidgets 7 displays through _ipython_display_
        def _ipython_display_(self, **kwargs: Any) -> None:
            from IPython.display import display

            data, metadata = self._repr_mimebundle_()
            display(data, metadata=metadata, raw=True)
            self._handle_displayed(**kwargs)

