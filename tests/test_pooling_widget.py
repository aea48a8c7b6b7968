"""The pooling explorer, driven from Python, and its kernel-free player."""

from __future__ import annotations

import re

import numpy as np
import pytest

from cnncourse.figures.player import Player
from cnncourse.ops.pooling import pool2d
from cnncourse.widgets.pooling import POOLING_EXAMPLE, PoolingExplorer


def cells(html: str, caption: str) -> list[str]:
    table = re.search(rf"<caption>{re.escape(caption)}</caption>(.*?)</table>", html).group(1)
    return re.findall(r"<td[^>]*>([^<]*)</td>", table)


def test_initial_state_is_2x2_max_pooling_of_the_example():
    e = PoolingExplorer()
    np.testing.assert_array_equal(e.output, pool2d(POOLING_EXAMPLE, 2))
    assert (e.position.min, e.position.max, e.play.min, e.play.max) == (1, 9, 1, 9)  # steps 1 to 9
    assert e.position.description == "step" and "Step 1 of 9:" in e.display.value
    assert cells(e.display.value, "output (max pooling)") == ["4"] + [""] * 8
    assert "max of the window = <b>4</b>" in e.display.value


def test_position_highlights_window_and_chosen_value():
    e = PoolingExplorer()
    e.position.value = 5  # step 5, the centre window: rows 3-4, columns 3-4
    step = e.step(4)
    assert (step["top"], step["left"]) == (2, 2) and step["argmax"] == (3, 3) and step["value"] == 8
    html = e.display.value
    assert html.count('class="win"') == 3 and html.count('class="win cur"') == 1
    assert cells(html, "output (max pooling)") == ["4", "2", "4", "2", "8", "", "", "", ""]
    assert "Step 5 of 9" in html


def test_mode_window_and_stride_change_output_formula_and_slider():
    e = PoolingExplorer()
    e.position.value = 9
    e.mode.value = "avg"
    np.testing.assert_allclose(e.output, pool2d(POOLING_EXAMPLE, 2, mode="avg"))
    assert "mean of the window" in e.display.value and 'class="win cur"' not in e.display.value
    e.window.value = 3
    e.stride.value = 1  # overlapping windows
    assert e.output.shape == (4, 4) and e.position.max == 16
    np.testing.assert_allclose(e.output, pool2d(POOLING_EXAMPLE, 3, stride=1, mode="avg"))
    assert r"\lfloor (6 - 3) / 1 \rfloor + 1 = 4" in e.formula.value
    e.stride.value = 2
    assert e.output.shape == (2, 2) and e.position.value <= 4 and e.position.max == 4


def test_typed_image():
    e = PoolingExplorer()
    e.image_text.value = "1 2\n3 4"
    assert e.output.tolist() == [[4.0]] and e.position.max == 1


@pytest.mark.parametrize(
    ("control", "value", "message"),
    [
        ("window", 0, "window must be &gt;= 1"),
        ("window", 7, "window 7x7 is larger than the input (6x6)"),
        ("stride", 0, "stride must be &gt;= 1, got 0"),
        ("image_text", "1 2\n3", "input rows have different lengths"),
        ("image_text", "a b", "input row 1"),
    ],
)
def test_bad_values_show_a_message_and_keep_the_last_picture(control, value, message):
    e = PoolingExplorer()
    before = e.display.value
    getattr(e, control).value = value  # must not raise
    assert message in e.message.value
    assert e.display.value == before
    if control == "image_text":
        e.image_text.value = "1 2\n3 4"
    else:
        getattr(e, control).value = 2
    assert e.message.value == ""


def test_to_player_matches_the_widget():
    e = PoolingExplorer(mode="avg")
    player = e.to_player(title="Average pooling")
    assert isinstance(player, Player) and len(player.frames) == 9
    e.position.value = 8  # step 8: the player's eighth frame
    assert e.display.value.endswith(player.frames[7])
    assert "Average pooling" in player._repr_html_()


def test_constructor_takes_image_window_stride_and_mode():
    e = PoolingExplorer(np.arange(16.0).reshape(4, 4), window=3, stride=1, mode="avg")
    np.testing.assert_allclose(e.output, pool2d(np.arange(16.0).reshape(4, 4), 3, stride=1, mode="avg"))
    assert e.window.value == 3 and e.stride.value == 1 and e.position.max == 4


def test_constructor_rejects_bad_image():
    with pytest.raises(ValueError, match=r"image must have shape \(H, W\)"):
        PoolingExplorer(np.zeros((2, 3, 3)))
