"""The pieces of the website's look that live in Python: the player's accessible
slider, the one-size frames, the figure that stacks on phones, and the page
descriptions and search index of ``_ext/page_meta.py``."""

from __future__ import annotations

import base64
import io
import re
import sys
from pathlib import Path

import numpy as np
import pytest
from docutils.core import publish_doctree
from PIL import Image

from cnncourse.figures.curves import ResponsiveFigure, plot_activations, plot_history
from cnncourse.figures.html import STYLE
from cnncourse.figures.player import Player
from cnncourse.figures.plotting import plot_class_responses, plot_feature_maps

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
    pngs = [Image.open(io.BytesIO(base64.b64decode(uri))) for uri in re.findall(r'base64,([^"]+)"', html)]
    (nw, nh), (w, h) = pngs[0].size, pngs[1].size  # the <source>, then the <img>
    assert f'alt="ReLU &amp; &quot;tanh&quot;" width="{w}" height="{h}"' in html
    assert f'srcset="data:image/png;base64,' in html and f'width="{nw}" height="{nh}">' in html
    # 2.6 inches a panel at 100 dpi, give or take the tight bounding box (as Jupyter shows a figure)
    assert [w, h, nw, nh] == pytest.approx([520, 260, 260, 520], abs=20)
    png = Image.open(io.BytesIO(figure._repr_png_()))
    assert png.size == (w, h)
    assert np.asarray(png).std() > 0  # something is drawn
    with pytest.raises(ValueError, match="alt must say what the figure shows"):
        ResponsiveFigure(wide, narrow, alt=" ")
    with pytest.raises(ValueError, match="breakpoint must be a positive number of CSS pixels, got 0"):
        ResponsiveFigure(wide, narrow, alt="x", breakpoint=0)


def test_responsive_figure_of_draws_the_plot_twice_with_the_narrow_options():
    figure = ResponsiveFigure.of(plot_activations, ["relu", "tanh", "gelu"], slope=0.2, narrow={"columns": 2},
                                 alt="three", breakpoint=480)
    reference = plot_activations(["relu", "tanh", "gelu"], slope=0.2, columns=2)
    assert figure.narrow.get_size_inches().tolist() == reference.get_size_inches().tolist() == [5.2, 5.2]
    assert figure.wide.get_size_inches().tolist() == [2.6 * 3, 2.6]  # one row
    assert [ax.get_title() for ax in figure.narrow.axes] == [ax.get_title() for ax in reference.axes]
    assert (figure.alt, figure.breakpoint) == ("three", 480)
    with pytest.raises(ValueError, match="narrow must be a non-empty dict of the options that change, got {}"):
        ResponsiveFigure.of(plot_activations, narrow={}, alt="x")


def test_feature_maps_wrap_a_layers_channels_onto_more_rows():
    maps = {"a": np.arange(4 * 3 * 3, dtype=float).reshape(4, 3, 3), "b": np.ones((4, 2, 2))}
    wide, narrow = plot_feature_maps(maps, [0, 1, 3]), plot_feature_maps(maps, [0, 1, 3], ncols=2)
    assert len(wide.axes) == 6 and len(narrow.axes) == 8  # 2 layers x 2 rows x 2 columns
    drawn = [ax for ax in narrow.axes if ax.axison]
    assert [ax.get_title() for ax in drawn] == [ax.get_title() for ax in wide.axes]
    assert [ax.get_subplotspec().get_geometry()[2] for ax in drawn] == [0, 1, 2, 4, 5, 6]  # grid cells, by row
    for ours, theirs in zip(drawn, wide.axes):
        np.testing.assert_array_equal(ours.images[0].get_array(), theirs.images[0].get_array())
    assert [ax.get_ylabel() for ax in narrow.axes] == ["a\n4×3×3", "", "", "", "b\n4×2×2", "", "", ""]
    assert narrow.get_size_inches().tolist() == pytest.approx([1.5 * 2 + 1.4, 1.5 * 4 + 0.3])
    with pytest.raises(ValueError, match="ncols must be a whole number of at least 1, got 0"):
        plot_feature_maps(maps, [0], ncols=0)


def test_history_stacks_the_accuracy_below_the_loss():
    history = {"train_loss": [1.0, 0.5], "val_loss": [0.9, 0.6],
               "train_accuracy": [0.5, 0.8], "val_accuracy": [0.6, 0.7]}
    (loss, accuracy), (wide_loss, wide_accuracy) = plot_history(history, columns=1).axes, plot_history(history).axes
    assert loss.get_position().y0 > accuracy.get_position().y1  # one above the other
    assert wide_loss.get_position().x1 < wide_accuracy.get_position().x0  # side by side
    for ours, theirs in ((loss, wide_loss), (accuracy, wide_accuracy)):
        assert [list(line.get_ydata()) for line in ours.lines] == [list(line.get_ydata()) for line in theirs.lines]
    with pytest.raises(ValueError, match="columns must be 1 or 2, got 3"):
        plot_history(history, columns=3)


def test_class_responses_vertical_is_the_transposed_heat_map():
    responses = np.array([[1.0, 0.0, 2.0], [0.5, 0.0, 4.0]])
    wide = plot_class_responses(responses, ["x", "y"])
    tall = plot_class_responses(responses, ["x", "y"], vertical=True)
    expected = np.array([[1.0, 0.0, 0.5], [0.5, 0.0, 1.0]])  # each channel over its largest value
    np.testing.assert_allclose(wide.axes[0].images[0].get_array(), expected)
    np.testing.assert_allclose(tall.axes[0].images[0].get_array(), expected.T)
    assert [t.get_text() for t in tall.axes[0].get_xticklabels()] == ["x", "y"]
    assert (tall.axes[0].get_ylabel(), wide.axes[0].get_xlabel()) == ("channel", "channel")


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
