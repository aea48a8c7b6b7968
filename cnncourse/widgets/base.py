"""The one base class of the explorers.

Every explorer has the same life cycle: **controls -> recompute -> render**.
A control changes; :meth:`Explorer._recompute` reads and checks every
control and computes the numbers; :meth:`Explorer._frame` turns them into
the HTML of one step, without touching anything. A bad value never raises:
the explorer shows a message in its ``message`` area and keeps its last
valid picture (and every other output, e.g. a formula). Typed values are
read when the reader presses Enter or leaves the box, never half-typed.

Displayed, an explorer is **one output**: the live widget (the widget view)
and, where players are recorded (:func:`recording_players`, in the book
build), its kernel-free player as ``text/html``, which the website shows.
"""

from __future__ import annotations

import html as _html
import os
import sys
from collections.abc import Sequence
from typing import Any

import ipywidgets as w

from ..figures.html import STYLE
from ..i18n.translate import language, tr
from ..figures.player import Player
from .live import LIVE_LABELS, LIVE_LIMITS, LIVE_NOTE

RECORD_PLAYERS = "CNNCOURSE_RECORD_PLAYERS"
"""The environment variable that makes a displayed explorer carry its recorded player."""

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"

SITE_NOTE = ("On this website there is no Python kernel, so this is a recording of the explorer: its steps "
             "with the settings shown (use the buttons and the slider). For the live explorer, open this "
             "page as a notebook with the launch button (the rocket icon) at the top of the page (Binder or "
             "Colab), or run it locally.")
"""What the recorded player says about itself: only the website shows it."""

# ipywidgets sets a 28 px line height on its HTML widgets (one control's height), which
# double-spaces the captions and notes of the pictures: give them a text's line height.
WIDGET_STYLE = ("<style>.jupyter-widgets.cnn-display > .widget-html-content, "
                ".jupyter-widgets.cnn-display > .jupyter-widget-html-content {line-height: 1.35;}</style>")

_TYPED = (w.Text, w.Textarea, w.IntText, w.FloatText, w.BoundedIntText, w.BoundedFloatText)


def colab_widget_manager() -> bool:
    """On Colab with ipywidgets 8, turn on Colab's custom widget manager; say whether it did.

    Colab's own widget manager shows the ipywidgets 7 that Colab ships (the
    set-up cell keeps it); only ipywidgets 8, installed by hand, needs the
    custom one. Elsewhere this does nothing.

    Examples
    --------
    >>> colab_widget_manager()  # not on Colab
    False
    """
    if "google.colab" not in sys.modules or int(w.__version__.split(".")[0]) < 8:
        return False
    from google.colab import output  # type: ignore[import-not-found]

    output.enable_custom_widget_manager()
    return True


def recording_players() -> bool:
    """Whether a displayed explorer records its player (``CNNCOURSE_RECORD_PLAYERS`` set, not ``0``).

    The book build sets it (``_ext/record_players.py``); in JupyterLab, Colab
    or nbval nobody pays for the recording.

    Examples
    --------
    >>> recording_players()  # as in JupyterLab
    False
    """
    return os.environ.get(RECORD_PLAYERS, "").strip() not in ("", "0")


def every_frame(explorer: Any, options: dict[str, Any]) -> list[str]:
    """An explorer's frame at every step, what its player shows (an explorer whose player takes no option).

    Parameters
    ----------
    explorer : Explorer or BrowserExplorer
        Anything with ``steps`` and ``_frame(step)``.
    options : dict
        The options ``to_player()`` was given: none is taken.

    Returns
    -------
    list of str
        One HTML frame a step.
    """
    if options:
        raise TypeError(f"{type(explorer).__name__}.to_player() takes no option {sorted(options)}")
    return [explorer._frame(step) for step in range(explorer.steps)]


def _error_html(exc: Exception) -> str:
    return f'<div class="cnn-error">⚠ {_html.escape(tr(str(exc)))}</div>'


class Explorer(w.VBox):
    """Base class of the explorers: controls -> recompute -> render.

    A subclass makes its control widgets, passes them to ``__init__`` and
    implements three things:

    * :meth:`_recompute`: read and check the controls, then compute and
      store the results. For a bad value, raise ``ValueError`` or
      ``TypeError`` with a message *before* storing anything.
    * :meth:`_frame`: the HTML of step ``step`` from the stored results,
      with no side effects. It may raise ``ValueError`` when the current
      settings cannot draw that step.
    * :attr:`steps`: the number of frames (1 for an explorer without a
      position).

    The base class owns the rest: the ``message`` area (a bad value shows
    its message there and the last valid picture stays in ``display``), the
    ``position`` slider and its ``play`` button (linked in the browser),
    :meth:`refresh`, :meth:`to_player`, :meth:`show` and the one output
    that is the widget in a notebook and the recorded player on the website.
    Typed controls (text boxes) commit on Enter or when they lose focus.

    Parameters
    ----------
    controls : sequence of ipywidgets.Widget
        The widgets shown above the position slider (rows, boxes, ...).
    watch : sequence of ipywidgets.Widget
        The controls whose ``value`` changes recompute the explorer.
    position : str or ipywidgets.SelectionSlider or None, optional
        The label of the position slider the base class makes, a selection
        slider to step with instead (its ``index`` is the position), or
        None for an explorer without a position (no slider, no Play).
    interval_ms : int, optional
        Milliseconds per step when playing, here and in :meth:`to_player`.
    first : int, optional
        What the base's slider shows at the first step: 0, or 1 where the captions count
        from 1 ("Step 1 of 9"), so that both agree. :meth:`_frame` still gets steps from 0.

    Examples
    --------
    >>> class Squares(Explorer):
    ...     def __init__(self):
    ...         self.n = w.IntText(value=3, description="n")
    ...         super().__init__([self.n], watch=[self.n])
    ...     @property
    ...     def steps(self):
    ...         return self.count
    ...     def _recompute(self):
    ...         if self.n.value < 1:
    ...             raise ValueError(f"n must be >= 1, got {self.n.value}")
    ...         self.count = self.n.value
    ...     def _frame(self, step):
    ...         return f"<p>{step}² = {step * step}</p>"
    >>> squares = Squares()
    >>> squares.position.value = 2
    >>> squares.display.value.endswith("<p>2² = 4</p>")
    True
    >>> squares.n.value = 0
    >>> "n must be &gt;= 1" in squares.message.value, squares.display.value.endswith("4</p>")
    (True, True)
    >>> squares.n.value = 5
    >>> len(squares.to_player("Squares").frames)
    5
    """

    def __init__(self, controls: Sequence[w.Widget], *, watch: Sequence[w.Widget],
                 position: str | w.SelectionSlider | None = "position", interval_ms: int = 700,
                 first: int = 0) -> None:
        self.message = w.HTML()
        self.display = w.HTML()
        self.header = w.HTML(self._header())
        for area in (self.message, self.display, self.header):
            area.add_class("cnn-display")
        self.interval_ms = interval_ms
        self.player_title = ""  # what show() records: the title and options of the website's player
        self.player_options: dict[str, Any] = {}
        self._problem: str | None = None  # what is wrong with the controls, while the last picture stays
        rows = list(controls)
        self.position: w.Widget | None = None
        self.play: w.Play | None = None
        self._slider_origin = first = first if isinstance(position, str) else 0  # what the slider shows at step 0
        if position is not None:
            if isinstance(position, str):
                position = w.IntSlider(value=first, min=first, max=first, description=tr(position))
            self._trait = "index" if isinstance(position, w.SelectionSlider) else "value"
            self.position = position
            self.play = w.Play(value=first, min=first, max=first, interval=interval_ms, description=tr("Play"))
            self._link = w.jslink((self.play, "value"), (position, self._trait))  # runs in the browser
            rows.append(w.HBox([self.play, position]))
            position.observe(self._show, names=self._trait)
        super().__init__([*rows, self.header, self.message, self.display])
        for control in watch:
            if isinstance(control, _TYPED):
                control.continuous_update = False  # a half-typed value is never read
            control.observe(self.refresh, names="value")
        self.refresh()

    # -- what a subclass implements ------------------------------------
    @property
    def steps(self) -> int:
        """The number of frames."""
        return 1

    def _recompute(self) -> None:
        raise NotImplementedError

    def _frame(self, step: int) -> str:
        raise NotImplementedError

    def _player_frames(self, **options: Any) -> list[str]:
        """The frames of :meth:`to_player`: every step; a subclass may take options."""
        return every_frame(self, options)

    def _default_title(self) -> str:
        return ""

    def _live_settings(self) -> dict[str, Any] | None:
        """Settings of the website's in-browser explorer (``kind`` and the rest), or None for none."""
        return None

    def live_config(self) -> dict[str, Any] | None:
        """What :meth:`to_player` writes into the page for ``_static/cnn-live-explorers.js``: the current
        settings, presets and limits (:data:`LIVE_LIMITS`), or None without an in-browser explorer."""
        settings = self._live_settings()
        if settings is None:
            return None
        config = {**settings, "limits": LIVE_LIMITS, "note": tr(LIVE_NOTE), "interval_ms": self.interval_ms}
        if language() != "en":  # what _static/cnn-live-explorers.js writes itself, translated (English: unchanged)
            config["labels"] = {text: tr(text) for text in LIVE_LABELS}
        return config

    def _header(self) -> str:
        """HTML shown once above the picture, whatever the step (e.g. a banner); none by default."""
        return ""

    # -- what the base class does --------------------------------------
    def _shown_step(self) -> int:
        return 0 if self.position is None else getattr(self.position, self._trait) - self._slider_origin

    def refresh(self, _change: Any = None) -> None:
        """Re-read every control, recompute and redraw; or show a message and keep the picture."""
        try:
            self._recompute()
        except (ValueError, TypeError) as exc:
            self._problem = str(exc)
            self.message.value = _error_html(exc)
            return
        self._problem = None
        if self.play is not None:
            self.play.max = self.steps - 1 + self._slider_origin  # also lowers the value when it is past the end
            if self._trait == "value":
                self.position.max = self.steps - 1 + self._slider_origin
        self._show()

    def _show(self, _change: Any = None) -> None:
        if self._problem is not None:
            return
        try:
            html = self._frame(self._shown_step())
        except ValueError as exc:  # settings this step cannot be drawn with
            self.message.value = _error_html(exc)
            return
        self.message.value = ""
        self.display.value = STYLE + WIDGET_STYLE + html

    def to_player(self, title: str = "", **options: Any) -> Player:
        """A kernel-free :class:`~cnncourse.figures.player.Player` of every step with the current settings.

        Parameters
        ----------
        title : str, optional
            Shown above the frames.
        **options
            What the explorer lets you choose about the frames (see its
            documentation); most explorers take none.

        Raises
        ------
        ValueError
            While a control holds a bad value (the message says which).

        Examples
        --------
        >>> class One(Explorer):
        ...     def __init__(self):
        ...         super().__init__([], watch=[], position=None)
        ...     def _recompute(self):
        ...         pass
        ...     def _frame(self, step):
        ...         return "<p>one picture</p>"
        >>> player = One().to_player("One picture")
        >>> player.title, len(player.frames)
        ('One picture', 1)
        """
        if self._problem is not None:
            raise ValueError(f"fix the explorer's bad value first: {self._problem}")
        return Player(self._player_frames(**options), title=title or self._default_title(),
                      interval_ms=self.interval_ms, header=self._header(), live=self.live_config())

    def show(self, title: str = "", **options: Any) -> None:
        """Display the explorer, with the title and options of its recorded player.

        In a notebook this shows the live widget; on the website (built with
        ``CNNCOURSE_RECORD_PLAYERS=1``) the same output is the player of
        :meth:`to_player` with ``title`` and ``options``, and a note that it is
        a recording.

        Examples
        --------
        >>> class One(Explorer):
        ...     def __init__(self):
        ...         super().__init__([], watch=[], position=None)
        ...     def _recompute(self):
        ...         pass
        ...     def _frame(self, step):
        ...         return "<p>one picture</p>"
        >>> explorer = One()
        >>> explorer.show("One picture")  # doctest: +ELLIPSIS
        One(...)
        >>> os.environ[RECORD_PLAYERS] = "1"  # as in the book build
        >>> bundle = explorer._repr_mimebundle_()
        >>> sorted(bundle), "One picture" in bundle["text/html"]
        (['application/vnd.jupyter.widget-view+json', 'text/html', 'text/plain'], True)
        >>> del os.environ[RECORD_PLAYERS]
        """
        from IPython.display import display

        self.player_title, self.player_options = title, dict(options)
        display(self)

    def _recorded_html(self) -> str:
        """The website's recorded player, with its note; a message while a control is bad."""
        try:
            player = self.to_player(self.player_title, **self.player_options)
        except ValueError as exc:
            return STYLE + _error_html(exc)
        note = f'<div class="cnn-note cnn-recorded" role="note">{_html.escape(tr(SITE_NOTE))}</div>'
        player.header = note + player.header
        return player._repr_html_()

    def _repr_mimebundle_(self, **kwargs: Any) -> dict[str, Any]:
        """The widget view and, where players are recorded, the player as ``text/html``."""
        colab_widget_manager()
        parent = getattr(super(), "_repr_mimebundle_", None)  # ipywidgets 8
        if parent is not None:
            bundle = dict(parent(**kwargs))
        else:  # ipywidgets 7 displays through _ipython_display_
            bundle = {"text/plain": repr(self)[:110],
                      WIDGET_VIEW: {"version_major": 2, "version_minor": 0, "model_id": self.model_id}}
        if recording_players():
            bundle["text/html"] = self._recorded_html()
        return bundle

    if hasattr(w.Widget, "_ipython_display_"):  # ipywidgets 7
        def _ipython_display_(self, **kwargs: Any) -> None:
            from IPython.display import display

            display(self._repr_mimebundle_(), raw=True)
            self._handle_displayed(**kwargs)
