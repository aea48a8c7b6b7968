"""What every explorer shares through cnncourse.widgets.base.Explorer, tested on all six.

Each explorer is driven from Python as a reader drives it: set a control's
``value``, read the message, the display and the computed state.
"""

from __future__ import annotations

import ast
import base64
import copy
import inspect
import io
import re
from pathlib import Path

import ipywidgets as w
import numpy as np
import pytest
import torch
from PIL import Image

import cnncourse.widgets as widgets_package
from cnncourse import SmallCNN, make_shapes, train, train_val_split
from cnncourse.figures.html import STYLE, colormap_lut, image_html, png_data_uri
from cnncourse.figures.player import Player
from cnncourse.nets.vgg import load_vgg16
from cnncourse.widgets.base import (RECORD_PLAYERS, SITE_NOTE, WIDGET_STYLE, Explorer,
                                    colab_widget_manager)
from cnncourse.widgets.featureviz import FilterExplorer
from cnncourse.widgets.layers import LayerStepper
from cnncourse.widgets.training import TrainingExplorer

WIDGETS = Path(widgets_package.__file__).parent


@pytest.fixture(scope="module")
def vgg():
    threads = torch.get_num_threads()
    torch.set_num_threads(1)  # tiny tensors: one thread is faster on a shared machine
    try:
        yield load_vgg16("random", device="cpu")
    finally:
        torch.set_num_threads(threads)


@pytest.fixture(scope="module")
def training():
    split = train_val_split(*make_shapes(60, seed=0), val_fraction=0.25, seed=0)
    torch.manual_seed(0)
    model = SmallCNN()
    run = train(model, split, epochs=1, batch_size=15, seed=0, progress=False, checkpoints=[0, 1, 3])
    return model, run, split


# name -> (make the explorer, a bad value to set, the message it shows, a good value to set back)
CASES = {
    # Chapters 1-3's explorers are computed in the browser (anywidget): tests/test_browser_explorers*.py.
    "training": (lambda vgg, training: TrainingExplorer(training[0], training[1], training[2].val_images),
                 ("index", 99), "image # must be between 0 and 14, got 99", ("index", 3)),
    "featureviz": (lambda vgg, training: FilterExplorer(vgg, side=32, steps=2),
                   ("filter", 64), "filter index 64 is out of range", ("filter", 3)),
    "layers": (lambda vgg, training: LayerStepper(vgg, np.full((40, 48, 3), 90, np.uint8), channels=2),
               ("channels", 0), "maps must be between 1 and 64, got 0", ("channels", 3)),
}


@pytest.fixture(params=list(CASES))
def case(request, vgg, training):
    make, bad, message, good = CASES[request.param]
    return make(vgg, training), bad, message, good


def _state(explorer: Explorer) -> dict:
    """Everything an explorer shows or computed: control values and non-widget attributes."""
    values, todo = [], list(explorer.children)
    while todo:
        widget = todo.pop()
        todo.extend(getattr(widget, "children", ()))
        if "value" in widget.trait_names():
            values.append(widget.value)
    attributes = {name: copy.deepcopy(value) for name, value in vars(explorer).items()
                  if not isinstance(value, (w.Widget, torch.nn.Module)) and name not in ("_drawn", "_models")
                  and not name.startswith("_trait")}
    return {"controls": values, "attributes": attributes}


def _same(a, b) -> bool:
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, (list, tuple)):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b))
    if isinstance(a, np.ndarray):
        return np.array_equal(a, b, equal_nan=True)
    if isinstance(a, torch.Tensor):
        return torch.equal(a, b)
    if hasattr(a, "__dict__") and not callable(a):
        return _same(vars(a), vars(b))
    return a == b


def test_a_bad_value_shows_a_message_and_keeps_the_last_picture(case):
    explorer, (control, value), message, (control_ok, value_ok) = case
    picture = explorer.display.value
    assert explorer.message.value == "" and picture.startswith(STYLE)
    setattr(getattr(explorer, control), "value", value)  # must not raise
    assert message in explorer.message.value and "cnn-error" in explorer.message.value
    assert explorer.display.value == picture
    if explorer.position is not None:  # moving on draws nothing with a bad value in a control
        explorer.position.value = explorer.position.options[-1] if explorer.steps == 18 else explorer.position.min + 1
        assert explorer.display.value == picture and message in explorer.message.value
    with pytest.raises(ValueError, match="fix the explorer's bad value first: "):
        explorer.to_player("Too early")
    setattr(getattr(explorer, control_ok), "value", value_ok)
    assert explorer.message.value == ""
    assert explorer.display.value.endswith(explorer._frame(explorer._shown_step()))


def test_to_player_has_one_signature_and_records_the_widget(case):
    explorer = case[0]
    assert type(explorer).to_player is Explorer.to_player
    assert list(inspect.signature(explorer.to_player).parameters) == ["title", "options"]
    player = explorer.to_player("Recorded")
    assert isinstance(player, Player) and player.title == "Recorded"
    assert player.interval_ms == explorer.interval_ms
    assert len(player.frames) == explorer.steps == explorer.play.max - explorer.play.min + 1
    shown = explorer._shown_step()
    assert explorer.display.value.endswith(player.frames[shown])
    assert explorer.to_player(title="Keyword").title == "Keyword"
    with pytest.raises(TypeError, match="unexpected keyword argument 'colour'|no option"):
        explorer.to_player("Title", colour="red")


def test_rendering_has_no_side_effects(case):
    explorer = case[0]
    before = _state(explorer)
    shown = explorer.display.value
    frames = [explorer._frame(step) for step in range(explorer.steps)]
    explorer.to_player("Once")
    assert _same(_state(explorer), before)
    assert explorer.display.value == shown
    assert [explorer._frame(step) for step in range(explorer.steps)] == frames


def test_the_position_and_play_are_one_linked_pair(case):
    explorer = case[0]
    trait = "index" if isinstance(explorer, LayerStepper) else "value"
    assert explorer._link.source == (explorer.play, "value")
    assert explorer._link.target == (explorer.position, trait)
    assert explorer.play.interval == explorer.interval_ms
    rows = [c for c in explorer.children if isinstance(c, w.HBox) and explorer.play in c.children]
    assert len(rows) == 1 and explorer.position in rows[0].children


class _Squares(Explorer):
    """A minimal explorer: the squares of 0 to n - 1; step 3 cannot be drawn."""

    def __init__(self, n: int = 4):
        self.n = w.IntText(value=n, description="n")
        super().__init__([self.n], watch=[self.n])

    @property
    def steps(self):
        return self.count

    def _recompute(self):
        if self.n.value < 1:
            raise ValueError(f"n must be >= 1, got {self.n.value}")
        self.count = self.n.value

    def _frame(self, step):
        if step == 3:
            raise ValueError("three is not drawn")
        return f"<p>{step} squared is {step * step}</p>"


def test_the_slider_counts_steps_as_the_caption_does():
    # Chapters 1 and 2: the slider, labelled "step", shows 1 to N as the caption's "Step k of N" does
    # (it showed "position 0" beside "Step 1 of 9"); chapter 5's counts ascent steps from 0 in both.
    squares = _Squares(6)
    assert (squares.position.description, squares.position.min, squares.position.max) == ("position", 0, 5)


def test_the_base_clamps_the_position_when_the_steps_shrink():
    squares = _Squares(6)
    squares.position.value = 5
    assert squares.display.value.endswith("<p>5 squared is 25</p>")
    squares.n.value = 3
    assert squares.position.max == squares.play.max == 2 and squares.position.value == 2
    assert squares.display.value.endswith("<p>2 squared is 4</p>")


def test_a_step_that_cannot_be_drawn_shows_a_message_until_the_next_good_step():
    squares = _Squares(6)
    squares.position.value = 2
    squares.position.value = 3
    assert "three is not drawn" in squares.message.value
    assert squares.display.value.endswith("<p>2 squared is 4</p>")
    squares.position.value = 4
    assert squares.message.value == "" and squares.display.value.endswith("<p>4 squared is 16</p>")
    with pytest.raises(ValueError, match="three is not drawn"):
        squares.to_player()


def test_an_explorer_without_a_position_has_no_slider_and_one_frame():
    class Hello(Explorer):
        def __init__(self):
            self.name = w.Text(value="world")
            super().__init__([self.name], watch=[self.name], position=None)

        def _recompute(self):
            self.greeting = f"<p>Hello {self.name.value}</p>"

        def _frame(self, step):
            return self.greeting

    hello = Hello()
    assert hello.position is None and hello.play is None and hello.children[-1] is hello.display
    hello.name.value = "reader"
    assert hello.display.value.endswith("<p>Hello reader</p>")
    assert hello.to_player("Hi").frames == ["<p>Hello reader</p>"]


# -- one PNG encoder --------------------------------------------------------------------


def _decode(uri: str) -> Image.Image:
    header, data = uri.split(",", 1)
    assert header == "data:image/png;base64"
    return Image.open(io.BytesIO(base64.b64decode(data)))


def test_png_data_uri_colour_maps_2d_values():
    picture = _decode(png_data_uri(np.arange(6.0).reshape(2, 3), cmap="cividis", scale=4))
    assert picture.size == (12, 8) and picture.mode == "P"
    rgb = np.asarray(picture.convert("RGB"))
    lut = colormap_lut("cividis")
    assert (rgb[0, 0] == lut[0]).all() and (rgb[-1, -1] == lut[255]).all()
    clipped = np.asarray(_decode(png_data_uri(np.array([[-5.0, 0.0, 5.0]]), vmin=-1, vmax=1)).convert("L"))
    assert clipped.tolist() == [[0, 128, 255]]
    flat = np.asarray(_decode(png_data_uri(np.full((2, 2), 7.0))).convert("L"))
    assert (flat == 0).all()  # a constant array: the bottom of the colour map


def test_png_data_uri_keeps_rgb_images_exactly():
    image = np.random.default_rng(0).integers(0, 256, (5, 7, 3), dtype=np.uint8)
    assert np.array_equal(np.asarray(_decode(png_data_uri(image)).convert("RGB")), image)


@pytest.mark.parametrize(("image", "error", "match"), [
    (np.zeros(3), ValueError, r"image must have shape \(H, W\) or \(H, W, 3\), got \(3,\)"),
    (np.zeros((2, 2, 4)), ValueError, r"got \(2, 2, 4\)"),
    (np.zeros((2, 2, 3)), TypeError, "an RGB image must have dtype uint8, got float64"),
])
def test_png_data_uri_rejects_other_shapes(image, error, match):
    with pytest.raises(error, match=match):
        png_data_uri(image)


def test_image_html_escapes_the_alt_text():
    html = image_html("data:,", 'a "quoted" <b>', caption="c & d", width=10)
    assert 'alt="a &quot;quoted&quot; &lt;b&gt;"' in html and 'width="10"' in html
    assert "<figcaption>c &amp; d</figcaption>" in html


def test_the_explorers_encode_pngs_in_one_place_and_import_no_private_names():
    for module in WIDGETS.glob("*.py"):
        source = module.read_text()
        assert not re.search(r'format="png"', source, re.IGNORECASE), module.name  # html.png_data_uri does
        assert 'style="' not in source, module.name  # styles are CSS classes of html.STYLE
        imported = [alias.name for node in ast.walk(ast.parse(source)) if isinstance(node, ast.ImportFrom)
                    for alias in node.names]
        assert not [name for name in imported if name.startswith("_")], module.name
    package = ast.parse((WIDGETS / "__init__.py").read_text()).body
    assert len(package) == 1 and isinstance(package[0], ast.Expr)  # a docstring, nothing imported


def test_the_untrained_banner_is_shown_once_not_in_every_frame(vgg):
    stepper = LayerStepper(vgg, np.zeros((64, 64, 3), dtype=np.uint8), channels=2)
    html = stepper.to_player("layers")._repr_html_()
    assert html.count("cnn-untrained-banner") == 1
    assert not any("cnn-untrained-banner" in frame for frame in stepper.to_player().frames)
    assert "cnn-untrained-banner" in stepper.header.value
    assert "cnn-untrained-banner" not in stepper.display.value
    assert Player(["a"], header="").header == ""


# -- one output: the widget in a notebook, the recorded player on the website ----------


def test_typed_values_are_read_on_enter_or_blur_not_on_every_keystroke(case):
    explorer = case[0]
    typed = [c for c in _widgets(explorer) if isinstance(c, (w.Text, w.Textarea, w.IntText, w.FloatText))]
    assert typed, "every explorer has a box to type in"
    assert all(c.continuous_update is False for c in typed), [c.description for c in typed]
    sliders = [c for c in _widgets(explorer) if isinstance(c, (w.IntSlider, w.SelectionSlider))]
    assert all(c.continuous_update for c in sliders)  # dragging a slider still updates as it moves


def _widgets(explorer):
    todo, found = list(explorer.children), []
    while todo:
        widget = todo.pop()
        found.append(widget)
        todo.extend(getattr(widget, "children", ()))
    return found


def test_a_bad_value_keeps_every_other_output_too(case):
    explorer, (control, value), message, _ = case
    outputs = [c for c in _widgets(explorer) if isinstance(c, (w.HTML, w.HTMLMath)) and c is not explorer.message]
    before = [c.value for c in outputs]
    setattr(getattr(explorer, control), "value", value)
    assert message in explorer.message.value
    assert [c.value for c in outputs] == before  # the picture, and the formula or notes beside it


def test_displayed_an_explorer_is_one_output_with_the_player_only_where_recorded(case, monkeypatch):
    explorer = case[0]
    monkeypatch.delenv(RECORD_PLAYERS, raising=False)
    bundle = explorer._repr_mimebundle_()
    assert sorted(bundle) == ["application/vnd.jupyter.widget-view+json", "text/plain"]
    assert bundle["application/vnd.jupyter.widget-view+json"]["model_id"] == explorer.model_id
    monkeypatch.setenv(RECORD_PLAYERS, "1")
    explorer.player_title = "Recorded for the website"
    html = explorer._repr_mimebundle_()["text/html"]
    player = explorer.to_player("Recorded for the website")
    assert html.count('class="cnn-player"') == 1 and "Recorded for the website" in html
    assert html.count('class="cnn-player-frame"') == len(player.frames) and SITE_NOTE in html
    assert all(frame in html for frame in player.frames)  # the same frames as to_player's


def test_a_bad_value_at_display_time_records_the_message_not_an_error(monkeypatch):
    monkeypatch.setenv(RECORD_PLAYERS, "1")
    explorer = _Squares(6)
    explorer.n.value = 0
    html = explorer._repr_mimebundle_()["text/html"]
    assert "cnn-error" in html and "fix the explorer&#x27;s bad value first" in html


def test_show_displays_the_widget_once_with_its_players_title(monkeypatch):
    shown = []
    monkeypatch.setattr("IPython.display.display", lambda obj, **kw: shown.append(obj))
    explorer = _Squares(6)
    explorer.show("Padding and stride")
    assert shown == [explorer] and explorer.player_title == "Padding and stride"


def test_ipywidgets_7_and_8_both_display_the_bundle(monkeypatch):
    """ipywidgets 8 displays through _repr_mimebundle_, 7 through _ipython_display_ (run under both)."""
    monkeypatch.setenv(RECORD_PLAYERS, "1")
    explorer = _Squares(6)
    if int(w.__version__.split(".")[0]) >= 8:
        assert not hasattr(explorer, "_ipython_display_")
        bundle = explorer._repr_mimebundle_(include=None, exclude=None)
    else:
        published = []
        monkeypatch.setattr("IPython.display.display", lambda data, raw=False: published.append((data, raw)))
        explorer._ipython_display_()
        (bundle, raw), = published
        assert raw is True
    assert {"text/plain", "text/html", "application/vnd.jupyter.widget-view+json"} == set(bundle)


def test_colab_gets_its_custom_widget_manager_only_for_ipywidgets_8(monkeypatch):
    import sys
    import types

    calls = []
    colab = types.ModuleType("google.colab")
    colab.output = types.SimpleNamespace(enable_custom_widget_manager=lambda: calls.append(1))
    monkeypatch.setitem(sys.modules, "google", types.ModuleType("google"))
    monkeypatch.setitem(sys.modules, "google.colab", colab)
    sys.modules["google"].colab = colab
    _Squares(6)._repr_mimebundle_()
    assert len(calls) == (1 if int(w.__version__.split(".")[0]) >= 8 else 0)
    monkeypatch.delitem(sys.modules, "google.colab")
    assert colab_widget_manager() is False


def test_pictures_inside_widgets_have_a_text_line_height_not_ipywidgets_28px(case):
    explorer = case[0]
    assert "cnn-display" in explorer.display._dom_classes
    assert explorer.display.value.startswith(STYLE + WIDGET_STYLE)
    assert "line-height: 1.35" in WIDGET_STYLE and ".cnn-display > .widget-html-content" in WIDGET_STYLE
