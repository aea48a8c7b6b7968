"""A self-contained animation player over pre-rendered HTML frames.

:class:`Player` shows frames with first, previous, play/pause, next and last
buttons and a step slider. It needs no kernel and loads nothing from the
network, so it is what the website shows in place of a live widget, and a
notebook can show it too. Its frames are made by :mod:`cnncourse.figures.html`.
"""

from __future__ import annotations

import html as _html
import json
import uuid
from collections.abc import Sequence
from dataclasses import KW_ONLY, dataclass, field

from .html import STYLE
from ..i18n.translate import language, tr

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
    slider.setAttribute("aria-valuetext", counter.textContent);
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
    header : str, optional
        HTML shown once above the frames, whatever the step (e.g. the
        untrained-weights banner), instead of repeating it in every frame.
    live : dict, optional
        Settings (JSON, with a ``kind``) of the website's in-browser explorer,
        which ``_static/cnn-live-explorers.js`` puts in the player's place.
    uid : str, optional
        The HTML id of the player (a fresh random one by default).

    Examples
    --------
    >>> player = Player(["<b>one</b>", "<b>two</b>"], title="Two frames")
    >>> "cnn-player-frame" in player._repr_html_()
    True
    """

    frames: Sequence[str]
    title: str = ""
    _: KW_ONLY
    interval_ms: int = 800
    header: str = ""
    live: dict | None = None
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
            f'<div class="cnn-player-title">{_html.escape(tr(self.title))}</div>' if self.title else ""
        )
        counter = tr("step {step} / {steps}").format(step=1, steps=n)
        controls = (
            f'<div class="cnn-player-controls" role="group" aria-label="{tr("Animation controls")}">'
            f'<button type="button" data-action="first" aria-label="{tr("First step")}">|&#x25C0;</button>'
            f'<button type="button" data-action="prev" aria-label="{tr("Previous step")}">&#x25C0;</button>'
            f'<button type="button" data-action="play" aria-label="{tr("Play")}">{tr("Play")}</button>'
            f'<button type="button" data-action="next" aria-label="{tr("Next step")}">&#x25B6;</button>'
            f'<button type="button" data-action="last" aria-label="{tr("Last step")}">&#x25B6;|</button>'
            f'<input type="range" min="0" max="{n - 1}" value="0" step="1" aria-label="{tr("Step")}"'
            f' aria-valuetext="{counter}">'
            f'<span class="cnn-player-counter" aria-live="polite">{counter}</span>'
            "</div>"
        )
        body = (
            f'<div class="cnn-player" id="{self.uid}">{title}{self.header}'
            f'<div class="cnn-player-frames">{frames}</div>{controls}</div>'
        )
        script = _PLAYER_JS % {"id": self.uid, "interval": self.interval_ms}
        if language() != "en":  # the script's own words (English: the script as it is)
            script = (script.replace('"step " + (i + 1) + " / " + n', json.dumps(tr("step {step} / {steps}"))
                                     + '.replace("{step}", i + 1).replace("{steps}", n)')
                      .replace('"Play"', json.dumps(tr("Play"), ensure_ascii=False))
                      .replace('"Pause"', json.dumps(tr("Pause"), ensure_ascii=False)))
        page = STYLE + body + script
        if self.live is None:
            return page
        config = json.dumps(self.live, separators=(",", ":")).replace("</", "<\\/")
        return (f'<div class="cnn-live" data-cnn-live="{_html.escape(self.live["kind"])}">'
                f'<script type="application/json" class="cnn-live-config">{config}</script>{page}</div>')
