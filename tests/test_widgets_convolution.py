"""The convolution explorer, driven from Python, and the kernel-free player."""

from __future__ import annotations

import re

import numpy as np
import pytest

from cnncourse import CLASSIC_IMAGE, KERNELS, ConvolutionExplorer, Player, conv2d, parse_matrix


def cells(html: str, caption: str) -> list[str]:
    """The cell texts of the table with this caption in the explorer's display."""
    table = re.search(rf"<caption>{caption}</caption>(.*?)</table>", html).group(1)
    return re.findall(r"<td[^>]*>([^<]*)</td>", table)


def test_initial_state_is_the_classic_example():
    e = ConvolutionExplorer()
    assert e.output.tolist() == [[4, 3, 4], [2, 4, 3], [2, 3, 4]]
    assert (e.position.min, e.position.max, e.play.min, e.play.max) == (1, 9, 1, 9)  # steps 1 to 9
    assert e.position.description == "step" and "Step 1 of 9:" in e.display.value
    assert cells(e.display.value, "output") == ["4"] + [""] * 8
    assert "sum = <b>4</b>" in e.display.value


def test_moving_the_position_shows_products_sum_and_output_so_far():
    e = ConvolutionExplorer()
    e.position.value = 6  # step 6 of 9: row 2, column 3
    assert "Step 6 of 9: output row 2, column 3." in e.display.value
    step = e.step(5)
    assert (step["row"], step["col"]) == (1, 2)
    np.testing.assert_array_equal(step["window"], CLASSIC_IMAGE[1:4, 2:5])
    assert step["sum"] == 3
    html = e.display.value
    assert cells(html, "products") == [f"{v:g}" for v in (CLASSIC_IMAGE[1:4, 2:5] * e.kernel).ravel()]
    assert cells(html, "output") == ["4", "3", "4", "2", "4", "3", "", "", ""]
    assert html.count('class="win"') + html.count('class="pad win"') == 9
    assert "Step 6 of 9" in html


def test_preset_changes_the_kernel_and_the_output():
    e = ConvolutionExplorer()
    e.preset.value = "vertical edge"
    assert parse_matrix(e.kernel_text.value).tolist() == KERNELS["vertical edge"].tolist()
    np.testing.assert_array_equal(e.output, conv2d(CLASSIC_IMAGE, KERNELS["vertical edge"]))


def test_typing_a_known_kernel_selects_its_preset():
    e = ConvolutionExplorer()
    e.kernel_text.value = "0 -1 0\n-1 5 -1\n0 -1 0"
    assert e.preset.value == "sharpen"
    e.kernel_text.value = "1 2\n3 4"
    assert e.preset.value == "custom" and e.output.shape == (4, 4)


def test_padding_and_stride_update_output_size_formula_and_slider():
    e = ConvolutionExplorer()
    e.position.value = 9
    e.padding.value = 1
    assert e.output.shape == (5, 5) and e.position.max == 25 and e.position.value == 9
    e.position.value = 25
    e.stride.value = 2
    assert e.output.shape == (3, 3) and e.position.max == 9 and e.position.value == 9
    assert "Step 9 of 9:" in e.display.value
    assert r"\lfloor (5 + 2\cdot1 - 3) / 2 \rfloor + 1 = 3" in e.formula.value
    np.testing.assert_array_equal(e.output, conv2d(CLASSIC_IMAGE, e.kernel, stride=2, padding=1))
    assert 'class="pad"' in e.display.value


@pytest.mark.parametrize(
    ("control", "value", "message"),
    [
        ("kernel_text", "1 2 x", "kernel row 1 (&#x27;1 2 x&#x27;) is not a list of numbers"),
        ("kernel_text", "1 2\n3", "kernel rows have different lengths"),
        ("kernel_text", "", "kernel is empty"),
        ("kernel_text", "1 nan", "kernel must contain only finite numbers"),
        ("padding", -1, "padding must be &gt;= 0"),
        ("stride", 0, "stride must be &gt;= 1"),
        ("kernel_text", "\n".join(["1 1 1 1 1 1 1"] * 7), "larger than the padded image"),
    ],
)
def test_bad_values_show_a_message_and_keep_the_last_picture(control, value, message):
    e = ConvolutionExplorer()
    before = e.display.value
    getattr(e, control).value = value  # must not raise
    assert message in e.message.value
    assert e.display.value == before
    # a good value clears the message again
    if control == "kernel_text":
        e.kernel_text.value = "1 0\n0 1"
    else:
        getattr(e, control).value = 1
    assert e.message.value == ""


def test_to_player_has_one_frame_per_step_rendered_like_the_widget():
    e = ConvolutionExplorer()
    player = e.to_player(title="Classic example")
    assert isinstance(player, Player) and len(player.frames) == 9
    e.position.value = 5  # step 5: the player's fifth frame
    assert e.display.value.endswith(player.frames[4])
    html = player._repr_html_()
    assert html.count('class="cnn-player-frame"') == 9 and "Classic example" in html
    assert "<script" in html and "http" not in html.split("<script")[1]  # no remote script


def test_constructor_rejects_bad_image():
    with pytest.raises(ValueError, match=r"image must have shape \(H, W\)"):
        ConvolutionExplorer(image=np.zeros((2, 3, 3)))
