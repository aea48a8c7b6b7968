"""The pieces of the website's look that live in Python: the player's accessible
slider, the one-size frames, the figure that stacks on phones, and the page
descriptions and search index of ``_ext/page_meta.py``."""

from __future__ import annotations

import io
import re
import sys
from pathlib import Path

import numpy as np
import pytest
from docutils.core import publish_doctree
from PIL import Image

from cnncourse.curves import ResponsiveFigure, plot_activations
from cnncourse.html import STYLE
from cnncourse.player import Player

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "_ext"))
import page_meta  # noqa: E402


def test_the_slider_says_the_step_the_counter_says():
    html = Player(["a", "b", "c"])._repr_html_()
    slider = re.search(r"<input type=\"range\"[^>]*>", html).group(0)
    assert 'min="0" max="2" value="0"' in slider and 'aria-valuetext="step 1 / 3"' in slider
    assert '<span class="cnn-player-counter" aria-live="polite">step 1 / 3</span>' in html
    # the script keeps it in step with the counter
    assert 'slider.setAttribute("aria-valuetext", counter.textContent);' in html


def test_every_frame_takes_the_same_place():
    assert ".cnn-player-frames {display: grid;}" in STYLE
    assert ".cnn-player-frame {grid-area: 1 / 1;" in STYLE
    assert ".cnn-player-frame[hidden] {display: block !important; visibility: hidden;}" in STYLE
    html = Player(["a", "b"])._repr_html_()
    assert '<div class="cnn-player-frame" data-index="1" hidden>b</div>' in html


def test_plot_activations_in_columns():
    wide, narrow = plot_activations(), plot_activations(columns=2)
    assert len(wide.axes) == 5 and wide.get_size_inches().tolist() == pytest.approx([13.0, 2.6])
    assert len(narrow.axes) == 6 and narrow.get_size_inches().tolist() == pytest.approx([5.2, 7.8])
    assert [ax.axison for ax in narrow.axes] == [True] * 5 + [False]
    assert [ax.get_title() for ax in narrow.axes[:5]] == [ax.get_title() for ax in wide.axes]
    assert len(plot_activations(["relu"], columns=3).axes) == 1
    with pytest.raises(ValueError, match="columns must be a whole number of at least 1, got 0"):
        plot_activations(columns=0)


def test_responsive_figure_shows_the_narrow_arrangement_on_narrow_screens():
    wide, narrow = plot_activations(["relu", "tanh"]), plot_activations(["relu", "tanh"], columns=1)
    figure = ResponsiveFigure(wide, narrow, alt='ReLU & "tanh"', breakpoint=500)
    html = figure._repr_html_()
    assert html.startswith('<picture class="cnn-responsive"><source media="(max-width: 500px)" srcset="data:image/png;base64,')
    assert 'alt="ReLU &amp; &quot;tanh&quot;" width="520" height="260"' in html
    assert 'width="260" height="520"' in html  # the narrow one, two rows of one
    png = Image.open(io.BytesIO(figure._repr_png_()))
    assert png.size == (520, 260)
    assert np.asarray(png).std() > 0  # something is drawn
    with pytest.raises(ValueError, match="alt must say what the figure shows"):
        ResponsiveFigure(wide, narrow, alt=" ")
    with pytest.raises(ValueError, match="breakpoint must be a positive number of CSS pixels, got 0"):
        ResponsiveFigure(wide, narrow, alt="x", breakpoint=0)


def test_description_is_the_first_paragraph_of_running_text():
    doctree = publish_doctree(
        "Title\n=====\n\n.. note::\n\n   A note that is long enough to be a description, but it is a note.\n\n"
        "The first paragraph of the chapter, long enough to describe the page well.\n\n"
        "The second paragraph.\n"
    )
    assert page_meta.first_paragraph(doctree) == (
        "The first paragraph of the chapter, long enough to describe the page well."
    )
    long = "word " * 100
    short = page_meta.shorten(long)
    assert len(short) <= page_meta.MAX_DESCRIPTION + 1 and short.endswith("word…")


def test_meta_tags_are_escaped_and_the_url_is_optional():
    tags = page_meta.meta_tags(title="<2>", site="S", description="d", url="https://x/y.html")
    assert '<meta property="og:title" content="&lt;2&gt;">' in tags
    assert '<meta property="og:url" content="https://x/y.html">' in tags
    assert "og:url" not in page_meta.meta_tags(title="t", site="S", description="d")


def test_search_index_keeps_headings_but_not_the_page_title_twice():
    index = {"titles": ['<span class="section-number">2. </span>Pooling', "Running the course"],
             "alltitles": {"Pooling": [[0, None]], "Running the course": [[1, None]],
                           "Pooling in PyTorch": [[0, "pooling-in-pytorch"]], "Setup": [[1, None], [0, "s"]]}}
    assert page_meta.drop_repeated_titles(index)["alltitles"] == {
        "Pooling in PyTorch": [[0, "pooling-in-pytorch"]], "Setup": [[1, None], [0, "s"]]}
