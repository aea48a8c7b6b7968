"""HTML views that work with or without a Jupyter kernel.

* :func:`matrix_html` draws a small matrix as a table, with a highlighted
  window, shaded padding and cells not yet computed left blank;
* :func:`image_html` shows a picture as an ``<img>`` with alt text (the
  pictures themselves are encoded by :mod:`cnncourse.figures.pictures`, whose
  :func:`~cnncourse.figures.pictures.png_data_uri`, :func:`~cnncourse.figures.pictures.colormap_lut`
  and :func:`~cnncourse.figures.pictures.overlay_map` this module re-exports);
* :func:`feedback_html` and :func:`weights_banner_html` draw an exercise's
  verdict and the weights banner (data from the compute modules), which
  :func:`register_notebook_views` has IPython show;
* :data:`STYLE` is the one stylesheet of all of them and of the
  :class:`~cnncourse.figures.player.Player` (CSS classes, no inline styles).

The live widgets render their frames with the same functions, so the
website's player and the notebook's widget always show the same thing.
"""

from __future__ import annotations

import html as _html
from typing import Any

import numpy as np

from ..i18n.translate import tr
from .palette import BLUE, NEUTRAL, ORANGE, RIGHT, SKY_BLUE, VERMILLION, WRONG
from .pictures import colormap_lut, overlay_map, png_data_uri  # noqa: F401  (re-exported)


HIGHLIGHT = ORANGE  # the window the kernel covers
CURRENT = SKY_BLUE  # the output cell being computed

STYLE = """
<style>
.cnn-matrix {border-collapse: collapse; margin: 0.25em 0.75em 0.25em 0; font-family: monospace;
  font-size: 0.9em; display: inline-table; vertical-align: middle;}
.cnn-matrix td {border: 1px solid #999; min-width: 2.6em; height: 1.9em; padding: 0 0.3em;
  text-align: right;}
.cnn-matrix td.pad {background: repeating-linear-gradient(45deg, transparent 0 4px,
  rgba(128,128,128,0.18) 4px 8px);}
.cnn-matrix td.win {background: rgba(230,159,0,0.45); font-weight: bold;}
.cnn-matrix td.cur {background: rgba(86,180,233,0.55); font-weight: bold;}
.cnn-matrix caption {caption-side: top; font-family: sans-serif; font-size: 0.85em; padding: 0.2em;}
.cnn-step {display: flex; flex-wrap: wrap; align-items: center; gap: 0.5em;}
.cnn-step .cnn-op {font-size: 1.3em;}
.cnn-note {font-family: sans-serif; font-size: 0.9em; margin: 0.3em 0;}
.cnn-error {color: #b00020; font-family: sans-serif; font-weight: bold;}
.cnn-step.cnn-top {align-items: flex-start;}
.cnn-figures {display: flex; flex-wrap: wrap; align-items: flex-end; gap: 0.4em; margin: 0.3em 0;
  font-family: sans-serif; font-size: 0.9em;}
.cnn-figures.cnn-top {align-items: flex-start; gap: 0.8em;}
.cnn-figures figure {margin: 0; text-align: center;}
.cnn-figures figcaption {font-size: 0.8em; max-width: 240px; margin: 0 auto;}
.cnn-figures .cnn-label {min-width: 7.5em; font-weight: bold; align-self: center;}
.cnn-framed > .cnn-figures {display: grid; grid-template-columns: 7.5em repeat(8, minmax(0, 1fr));
  align-items: end;} .cnn-framed > .cnn-figures .cnn-label {min-width: 0; align-self: center;}
.cnn-framed img.cnn-img {max-width: 100%; height: auto;}
.cnn-framed img {border: 1px solid rgba(128,128,128,0.6);}
img.cnn-img {image-rendering: pixelated; display: block; margin: 0 auto;}
svg.cnn-chart text {font-family: sans-serif; font-size: 10px; fill: currentColor;}
.cnn-player {border: 1px solid rgba(128,128,128,0.5); border-radius: 6px; padding: 0.6em;
  margin: 0.5em 0; overflow-x: auto;}
.cnn-player-frames {display: grid;} .cnn-player-frame {grid-area: 1 / 1; min-width: 0;}
.cnn-player-frame[hidden] {display: block !important; visibility: hidden;} /* one size for all frames */
.cnn-stack {display: grid;} .cnn-stack > * {grid-area: 1 / 1;} .cnn-stack > .cnn-ghost {visibility: hidden;}
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


def image_html(src: str, alt: str, *, caption: str = "", width: int | None = None,
               height: int | None = None) -> str:
    """An ``<img>`` (in a ``<figure>`` when there is a caption), drawn with sharp pixels.

    ``src`` is a data URI (:func:`png_data_uri`); ``alt`` says what the
    picture shows, for readers who cannot see it. Give ``height`` with
    ``width`` where the picture may load late (a player's lazy frames): the
    page then keeps its place, and the player its size, before it arrives.

    Examples
    --------
    >>> image_html("data:,", "nothing", caption="empty")
    '<figure><img src="data:," alt="nothing" class="cnn-img"><figcaption>empty</figcaption></figure>'
    """
    size = (f' width="{width}"' if width else "") + (f' height="{height}"' if height else "")
    tag = f'<img src="{src}" alt="{_html.escape(alt)}" class="cnn-img"{size}>'
    return f"<figure>{tag}<figcaption>{_html.escape(caption)}</figcaption></figure>" if caption else tag


def size_formula(size: tuple[int, int], kernel: tuple[int, int], output: tuple[int, int], *, stride: int,
                 padding: int | None = None) -> str:
    """The output-size formula of a convolution or a pooling, in LaTeX, with the numbers of one example.

    Parameters
    ----------
    size, kernel, output : (int, int)
        The input's, the kernel's (or window's) and the output's height and width.
    stride : int
    padding : int, optional
        The padding on each side; None for a pooling (the formula then has no padding term).

    Returns
    -------
    str
        "output size: ... rows, ... columns", translated.

    Examples
    --------
    >>> print(size_formula((4, 4), (2, 2), (2, 2), stride=2)[:50])
    output size: $\\lfloor (4 - 2) / 2 \\rfloor + 1 = 2$
    """
    def term(n: int, k: int, out: int) -> str:
        padded = f"{n}" if padding is None else rf"{n} + 2\cdot{padding}"
        return rf"$\lfloor ({padded} - {k}) / {stride} \rfloor + 1 = {out}$"

    return tr("output size: {rows} rows, {cols} columns").format(rows=term(size[0], kernel[0], output[0]),
                                                                 cols=term(size[1], kernel[1], output[1]))


# -- the notes a notebook shows: an exercise's verdict, the weights banner --------------------


def feedback_html(feedback: Any) -> str:
    """An exercise's verdict (:class:`cnncourse.exercises.feedback.Feedback`) as a short message with a coloured bar.

    Parameters
    ----------
    feedback : cnncourse.exercises.feedback.Feedback

    Returns
    -------
    str

    Examples
    --------
    >>> from cnncourse.exercises.feedback import Feedback
    >>> feedback_html(Feedback(True, "Six & seven.")).split(">", 1)[1]
    '<b>✅ Correct.</b> Six &amp; seven.</div>'
    """
    colour = {True: RIGHT, False: WRONG, None: NEUTRAL}[feedback.correct]
    return (
        f'<div style="border-left: 4px solid {colour}; padding: 0.3em 0.8em; '
        f'font-family: sans-serif;"><b>{feedback.headline}</b> {_html.escape(tr(feedback.message))}</div>'
    )


def weights_banner_html(banner: Any) -> str:
    """The weights banner (:class:`cnncourse.nets.weights.WeightsBanner`) as HTML: empty for the ImageNet weights.

    Untrained weights get a large orange box no reader can miss, with how
    to get the real ones; weights from a file get a small blue note.

    Parameters
    ----------
    banner : cnncourse.nets.weights.WeightsBanner

    Returns
    -------
    str

    Examples
    --------
    >>> from cnncourse.nets.weights import WeightsBanner
    >>> weights_banner_html(WeightsBanner("imagenet")), 'role="alert"' in weights_banner_html(WeightsBanner("random"))
    ('', True)
    """
    from ..nets.weights import WEIGHTS_ENV

    if banner.trained:
        return ""
    if banner.kind != "random":
        return (f'<div role="note" style="border:3px solid {BLUE}; background:#e8f2fa; color:#111; '
                'padding:0.6em 1em; margin:0.6em 0; font-family:sans-serif;">'
                + tr(f"ℹ️ VGG16 weights loaded from the file <code>{_html.escape(banner.kind)}</code>, "
                     "not torchvision's ImageNet weights.") + "</div>")
    reason = (f'<p style="margin:0.4em 0 0; font-size:0.85em;">{tr("Why:")} {_html.escape(tr(banner.note))}</p>'
              if banner.note else "")
    return (
        f'<div role="alert" class="cnn-untrained-banner" style="border:6px solid {VERMILLION}; '
        'background:#fff3e0; color:#111; padding:0.8em 1.2em; margin:0.8em 0; font-family:sans-serif;">'
        '<p style="margin:0; font-size:1.6em; font-weight:bold; color:#a33a00;">'
        + tr("⚠ Untrained network: these pictures come from an untrained network") + "</p>"
        '<p style="margin:0.4em 0 0; font-size:1.1em;">'
        + tr("VGG16 was loaded with <b>random weights</b>, "
             "not the weights learned on ImageNet. Its feature maps and filters show no learned "
             "features; the text around them describes what the trained network shows.") + "</p>"
        '<p style="margin:0.4em 0 0; font-size:1.1em;">'
        + tr("To see the real thing: run "
             "<code>python -m cnncourse download-weights</code> where there is internet access "
             f"(or set <code>{WEIGHTS_ENV}=imagenet</code>), then restart the kernel and run the notebook again.")
        + "</p>"
        f"{reason}</div>"
    )


def weights_banner_text(banner: Any) -> str:
    """The weights banner as one line of plain text, in the page's language ("" for the ImageNet weights).

    Parameters
    ----------
    banner : cnncourse.nets.weights.WeightsBanner

    Returns
    -------
    str

    Examples
    --------
    >>> from cnncourse.nets.weights import WeightsBanner
    >>> weights_banner_text(WeightsBanner("random")).startswith("WARNING: UNTRAINED NETWORK")
    True
    """
    return tr(repr(banner)) if repr(banner) else ""


def show_weights_banner(banner: Any) -> None:
    """Display the weights banner in a notebook: the HTML box and its plain text, or nothing at all.

    For the ImageNet weights nothing is displayed, not even an empty output.

    Parameters
    ----------
    banner : cnncourse.nets.weights.WeightsBanner
    """
    if banner.trained:
        return
    from IPython.display import display

    display({"text/html": weights_banner_html(banner), "text/plain": weights_banner_text(banner)}, raw=True)


def register_notebook_views(shell: Any) -> None:
    """Have IPython draw a :class:`~cnncourse.exercises.feedback.Feedback` and a :class:`~cnncourse.nets.weights.WeightsBanner`.

    Uses IPython's display-formatter registry (``for_type_by_name``, its
    documented way to add a view of a type without changing the type): the
    compute modules keep data, and this layer draws them. ``import cnncourse``
    calls it in a notebook.

    Parameters
    ----------
    shell : IPython.core.interactiveshell.InteractiveShell
        ``get_ipython()``.
    """
    formatters = shell.display_formatter
    formatters.formatters["text/html"].for_type_by_name("cnncourse.exercises.feedback", "Feedback", feedback_html)
    formatters.ipython_display_formatter.for_type_by_name("cnncourse.nets.weights", "WeightsBanner", show_weights_banner)
