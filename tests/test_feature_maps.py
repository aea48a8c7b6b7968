"""Tests of chapter 6's helpers: the layer stepper, its player, the feature-map figures, the checkers."""

from __future__ import annotations

import base64
import io
import re

import numpy as np
import pytest
import torch
from PIL import Image

from cnncourse.exercises import (
    check_first_layer_wider_than_100,
    check_receptive_field_by_hand,
)
from cnncourse.figures.player import Player
from cnncourse.figures.plotting import plot_feature_maps
from cnncourse.nets.vgg import load_vgg16
from cnncourse.nets.vgg_layers import receptive_field, VGG16_LAYERS
from cnncourse.nets.vgg_maps import feature_maps
from cnncourse.widgets.layers import LayerStepper, feature_map_png

NAMES = list(VGG16_LAYERS)


@pytest.fixture(scope="module")
def model():
    return load_vgg16("random", device="cpu")


@pytest.fixture(scope="module")
def photo():
    rng = np.random.default_rng(0)
    return rng.integers(0, 256, (48, 64, 3), dtype=np.uint8)


@pytest.fixture
def stepper(model, photo):
    return LayerStepper(model, photo, channels=4)


def decode(uri: str) -> np.ndarray:
    header, data = uri.split(",", 1)
    assert header in ("data:image/png;base64", "data:image/jpeg;base64")
    return np.asarray(Image.open(io.BytesIO(base64.b64decode(data))))


def test_stepper_shows_each_layer(stepper, model, photo):
    maps = feature_maps(model, photo)
    for name in NAMES:
        stepper.layer.value = name
        assert stepper.message.value == ""
        assert stepper.shape == tuple(maps[name].shape)
        html = stepper.display.value
        c, h, w = maps[name].shape
        assert f"<b>{name}</b>" in html
        assert f"{c} × {h} × {w}" in html
        assert f"receptive field {receptive_field(name)} × {receptive_field(name)} pixels" in html
        assert "untrained network" not in html  # random weights are flagged once, above the frames
    assert "cnn-untrained-banner" in stepper.header.value


def test_stepper_steps_with_its_layer_slider(stepper):
    """The layer slider is the explorer's position: Play covers the 18 layers, a move redraws."""
    assert stepper.position is stepper.layer and stepper.steps == len(NAMES)
    assert stepper.play.max == len(NAMES) - 1 and stepper.play.interval == 900
    stepper.layer.index = NAMES.index("block3_pool")  # what Play moves, in the browser
    assert stepper.layer.value == "block3_pool"
    assert stepper.display.value.endswith(stepper._frame(NAMES.index("block3_pool")))
    assert "<b>block3_pool</b>" in stepper.display.value


def test_stepper_grid_is_the_requested_channels(stepper, model, photo):
    stepper.layer.value = "block2_pool"
    stepper.first.value = 10
    stepper.channels.value = 3
    src = re.findall(r'<img src="(data:image/png;base64,[^"]+)"', stepper.display.value)
    grid = decode(src[-1])
    assert grid.shape[1] == 3 * 96 + 2 * 3  # three tiles of 96 px and two gaps
    expected = feature_map_png(feature_maps(model, photo, "block2_pool")["block2_pool"][10:13].numpy(),
                               ncols=3)
    assert src[-1] == expected


def test_stepper_bad_values_show_a_message_and_keep_the_last_picture(stepper):
    stepper.layer.value = "block1_conv1"
    shown = stepper.display.value
    stepper.first.value = 62
    assert "64 channels" in stepper.message.value and "cnn-error" in stepper.message.value
    assert stepper.display.value == shown  # the last valid picture stays, as in every explorer
    with pytest.raises(ValueError, match="channels 62 to 65 do not all exist"):
        stepper.to_player()  # block1_conv1 cannot be drawn
    stepper.layer.value = "block4_conv1"  # 512 channels: fine again
    assert stepper.message.value == "" and "block4_conv1" in stepper.display.value
    stepper.first.value = -1
    assert "out of range" in stepper.message.value
    stepper.first.value = 0
    stepper.channels.value = 0
    assert "between 1 and 64" in stepper.message.value
    stepper.channels.value = 2
    assert stepper.message.value == ""


def test_more_than_four_maps_come_four_to_a_row_on_a_phone(model, photo):
    """Eight maps: one <picture>, eight to a row, and four to a row on screens up to 600 px."""
    stepper = LayerStepper(model, photo, channels=8)
    stepper.layer.value = "block3_conv1"
    found = re.findall(r'<picture><source media="\(max-width: 600px\)" srcset="(data:image/png;base64,[^"]+)">'
                       r'<img src="(data:image/png;base64,[^"]+)"', stepper.display.value)
    assert len(found) == 1
    narrow, wide = found[0]
    maps = feature_maps(model, photo, "block3_conv1")["block3_conv1"][:8].numpy()
    assert wide == feature_map_png(maps, ncols=8) and narrow == feature_map_png(maps, ncols=4)
    assert decode(narrow).shape[:2] == (2 * 72 + 3, 4 * 96 + 3 * 3)  # 12 x 16 maps, 96 px wide tiles
    assert "<picture>" not in LayerStepper(model, photo, channels=4).display.value  # four fit a phone


def test_player_has_one_frame_per_layer_with_alt_text(stepper):
    player = stepper.to_player(title="VGG16 layer by layer")
    assert isinstance(player, Player) and len(player.frames) == len(NAMES)
    html = player._repr_html_()
    images = re.findall(r"<img [^>]*>", html)
    assert len(images) == 2 * len(NAMES)  # the photo with its receptive field, and the maps
    assert all(re.search(r'alt="[^"]{20,}"', tag) for tag in images)
    assert all('src="data:image/' in tag for tag in images)
    assert "block5_pool" in player.frames[-1] and "512 × 1 × 2" in player.frames[-1]


def test_stepper_draws_each_frame_once(stepper):
    stepper.layer.value = "block5_conv3"
    first = stepper._frame(NAMES.index("block5_conv3"))
    assert stepper._frame(NAMES.index("block5_conv3")) is first
    stepper.first.value = 1  # other channels: drawn anew
    assert stepper._frame(NAMES.index("block5_conv3")) != first


def test_stepper_with_filter_images(model, photo):
    fake = {c: np.full((16, 16, 3), 40 * c, np.uint8) for c in range(3)}
    stepper = LayerStepper(model, photo, channels=4, filter_images={"block1_conv1": fake})
    html = stepper.display.value
    assert "What these filters want to see" in html and html.count("filter ") >= 3
    with pytest.raises(ValueError, match="valid VGG16 layer names"):
        LayerStepper(model, photo, filter_images={"conv9": fake})


def test_stepper_accepts_a_tensor(model, photo):
    tensor = torch.tensor(photo).permute(2, 0, 1).float() / 255
    assert LayerStepper(model, tensor, channels=2).photo.shape == photo.shape


def test_feature_map_png_scales_each_map_to_its_maximum():
    maps = np.zeros((2, 2, 2), np.float32)
    maps[0, 0, 0] = 5.0
    maps[1, 1, 1] = 0.001
    grid = decode(feature_map_png(maps, map_width=4, ncols=2, gap=1))
    assert grid.shape == (4, 9, 3)
    assert (grid[0, 0] == grid[3, 8]).all()  # both maxima get the brightest colour
    assert (grid[:, 4] == 255).all()  # white gap
    with pytest.raises(ValueError, match=r"\(N, H, W\)"):
        feature_map_png(np.zeros((3, 3)))


def test_plot_feature_maps(model, photo):
    maps = feature_maps(model, photo, ["block1_conv2", "block3_conv3"])
    fig = plot_feature_maps(maps, [0, 5, 7])
    assert len(fig.axes) == 6
    assert "block3_conv3" in fig.axes[3].get_ylabel()
    per_layer = plot_feature_maps(maps, {"block1_conv2": [1, 2], "block3_conv3": [200, 255]})
    assert len(per_layer.axes) == 4
    with pytest.raises(ValueError, match="64 channels"):
        plot_feature_maps(maps, [64])


# (checker, its right answer, plausible wrong answers: near misses, neighbouring questions, wrong types)





def test_the_chapter_6_exercises_are_not_answered_by_the_chapter_s_table():
    """6.1 and 6.3 ask about networks the receptive-field table does not list."""
    assert not check_receptive_field_by_hand(receptive_field("block2_conv1")).correct
    assert not check_first_layer_wider_than_100(next(n for n in NAMES if receptive_field(n) > 100)).correct
