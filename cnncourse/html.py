"""HTML views that work with or without a Jupyter kernel.

* :func:`matrix_html` draws a small matrix as a table, with a highlighted
  window, shaded padding and cells not yet computed left blank;
* :class:`Player` is a self-contained animation player (first, previous,
  play/pause, next, last, a step slider) over pre-rendered frames. It needs no
  kernel and loads nothing from the network, so it is what the website shows
  in place of a live widget.

The live widgets render their frames with the same functions, so the
website's player and the notebook's widget always show the same thing.
"""

from __future__ import annotations

import html as _html
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np


# Okabe-Ito colours: distinguishable with every common colour-vision deficiency.
HIGHLIGHT = "#E69F00"  # orange: the window the kernel covers
CURRENT = "#56B4E9"  # sky blue: the output cell being computed

STYLE = """
<style>
.cnn-matrix {border-collapse: collapse; margin: 0.25em 0.75em 0.25em 0; font-family: monospace;
  font-size: 0.9em; display: inline-table; vertical-align: middle;}
.cnn-matrix td {border: 1px solid #999; min-width: 2.6em; height: 1.9em; padding: 0 0.3em;
  text-align: right;}
.cnn-matrix td.pad {color: #888; background: repeating-linear-gradient(45deg, transparent 0 4px,
  rgba(128,128,128,0.18) 4px 8px);}
.cnn-matrix td.win {background: rgba(230,159,0,0.45); font-weight: bold;}
.cnn-matrix td.cur {background: rgba(86,180,233,0.55); font-weight: bold;}
.cnn-matrix caption {caption-side: top; font-family: sans-serif; font-size: 0.85em; padding: 0.2em;}
.cnn-step {display: flex; flex-wrap: wrap; align-items: center; gap: 0.5em;}
.cnn-step .cnn-op {font-size: 1.3em;}
.cnn-note {font-family: sans-serif; font-size: 0.9em; margin: 0.3em 0;}
.cnn-error {color: #b00020; font-family: sans-serif; font-weight: bold;}
.cnn-player {border: 1px solid rgba(128,128,128,0.5); border-radius: 6px; padding: 0.6em;
  margin: 0.5em 0; overflow-x: auto;}
.cnn-player-title {font-family: sans-serif; font-weight: bold; margin-bottom: 0.4em;}
.cnn-player-controls {display: flex; flex-wrap: wrap; align-items: center; gap: 0.3em;
  margin-top: 0.5em; font-family: sans-serif;}
.cnn-player-controls button {min-width: 2.4em; min-height: 2em; cursor: pointer;}
.cnn-player-controls input[type=range] {flex: 1 1 8em; min-width: 6em;}
</style>
"""


def _fmt(value: float, decimals: int) -> str:
    if np.isnan(value):
        return ""
    rounded = round(float(value), decimals)
    if rounded == int(rounded):
        return str(int(rounded))
    return f"{rounded:.{decimals}f}"


def matrix_html(
    values: np.ndarray,
    *,
    window: tuple[int, int, int, int] | None = None,
    current: tuple[int, int] | None = None,
    padding: tuple[int, int] = (0, 0),
    caption: str = "",
    decimals: int = 2,
) -> str:
    """Render a 2-D array as an HTML table.

    Parameters
    ----------
    values : numpy.ndarray, shape (H, W)
        The numbers; NaN cells are drawn empty (not computed yet).
    window : (top, left, height, width), optional
        Cells to highlight in orange (the window the kernel covers).
    current : (row, col), optional
        One cell to highlight in blue (the output being computed).
    padding : (int, int), optional
        Rows and columns of padding on each side, drawn hatched.
    caption : str, optional
        A caption above the table (plain text).
    decimals : int, optional
        Decimals shown; whole numbers are shown without any.

    Returns
    -------
    str
        The table's HTML (without the stylesheet, see :data:`STYLE`).

    Examples
    --------
    >>> matrix_html(np.eye(2)).count("<td")
    4
    """
    values = np.asarray(values, dtype=float)
    height, width = values.shape
    ph, pw = padding
    rows = []
    for r in range(height):
        cells = []
        for c in range(width):
            classes = []
            if r < ph or r >= height - ph or c < pw or c >= width - pw:
                classes.append("pad")
            if window is not None:
                top, left, wh, ww = window
                if top <= r < top + wh and left <= c < left + ww:
                    classes.append("win")
            if current == (r, c):
                classes.append("cur")
            attr = f' class="{" ".join(classes)}"' if classes else ""
            cells.append(f"<td{attr}>{_fmt(values[r, c], decimals)}</td>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    cap = f"<caption>{_html.escape(caption)}</caption>" if caption else ""
    return f'<table class="cnn-matrix">{cap}{"".join(rows)}</table>'


_PLAYER_JS = """
<script>
(function () {
  var root = document.getElementById("%(id)s");
  if (!root || root.dataset.ready) { return; }
  root.dataset.ready = "1";
  var frames = root.querySelectorAll(".cnn-player-frame");
  var slider = root.querySelector("input[type=range]");
  var counter = root.querySelector(".cnn-player-counter");
  var play = root.querySelector("[data-action=play]");
  var n = frames.length, i = 0, timer = null;
  function show(k) {
    i = Math.max(0, Math.min(n - 1, k));
    for (var f = 0; f < n; f++) { frames[f].hidden = (f !== i); }
    slider.value = i;
    counter.textContent = "step " + (i + 1) + " / " + n;
    root.dataset.frame = i;
  }
  function stop() {
    if (timer) { clearInterval(timer); timer = null; }
    play.textContent = "Play"; play.setAttribute("aria-label", "Play");
  }
  function start() {
    if (i >= n - 1) { show(0); }
    play.textContent = "Pause"; play.setAttribute("aria-label", "Pause");
    timer = setInterval(function () {
      if (i >= n - 1) { stop(); } else { show(i + 1); }
    }, %(interval)d);
  }
  root.querySelector(".cnn-player-controls").addEventListener("click", function (e) {
    var action = e.target.closest("button") && e.target.closest("button").dataset.action;
    if (!action) { return; }
    if (action === "play") { if (timer) { stop(); } else { start(); } return; }
    stop();
    if (action === "first") { show(0); }
    if (action === "prev") { show(i - 1); }
    if (action === "next") { show(i + 1); }
    if (action === "last") { show(n - 1); }
  });
  slider.addEventListener("input", function () { stop(); show(parseInt(slider.value, 10)); });
  show(0);
})();
</script>
"""


@dataclass
class Player:
    """A kernel-free animation player over pre-rendered HTML frames.

    Displaying a ``Player`` (as the last expression of a notebook cell) shows
    the first frame with buttons to step, play and pause, and a slider. It
    is plain HTML and a few lines of inline JavaScript: it works in Jupyter,
    in Colab and on the static website alike.

    Parameters
    ----------
    frames : sequence of str
        The HTML of each frame.
    title : str, optional
        Shown above the frames.
    interval_ms : int, optional
        Milliseconds per frame when playing.

    Examples
    --------
    >>> player = Player(["<b>one</b>", "<b>two</b>"], title="Two frames")
    >>> "cnn-player-frame" in player._repr_html_()
    True
    """

    frames: Sequence[str]
    title: str = ""
    interval_ms: int = 800
    uid: str = field(default_factory=lambda: "cnnp-" + uuid.uuid4().hex[:12])

    def __post_init__(self) -> None:
        if len(self.frames) == 0:
            raise ValueError("frames must contain at least one frame")

    def _repr_html_(self) -> str:
        n = len(self.frames)
        frames = "".join(
            f'<div class="cnn-player-frame" data-index="{k}"{" hidden" if k else ""}>{frame}</div>'
            for k, frame in enumerate(self.frames)
        )
        title = (
            f'<div class="cnn-player-title">{_html.escape(self.title)}</div>' if self.title else ""
        )
        controls = (
            '<div class="cnn-player-controls" role="group" aria-label="Animation controls">'
            '<button type="button" data-action="first" aria-label="First step">|&#x25C0;</button>'
            '<button type="button" data-action="prev" aria-label="Previous step">&#x25C0;</button>'
            '<button type="button" data-action="play" aria-label="Play">Play</button>'
            '<button type="button" data-action="next" aria-label="Next step">&#x25B6;</button>'
            '<button type="button" data-action="last" aria-label="Last step">&#x25B6;|</button>'
            f'<input type="range" min="0" max="{n - 1}" value="0" step="1" aria-label="Step">'
            f'<span class="cnn-player-counter" aria-live="polite">step 1 / {n}</span>'
            "</div>"
        )
        body = (
            f'<div class="cnn-player" id="{self.uid}">{title}'
            f'<div class="cnn-player-frames">{frames}</div>{controls}</div>'
        )
        return STYLE + body + _PLAYER_JS % {"id": self.uid, "interval": self.interval_ms}
