"""Gradient-ascent filter visualization (cnncourse.featureviz.filters) and its widgets.

Offline and fast: untrained VGG16 weights, small canvases, few steps.
"""

from __future__ import annotations

import numpy as np
import pytest
import torch

from cnncourse.featureviz.filters import MAX_SIDE, MIN_SIDE, deprocess, visualize_filters
from cnncourse.featureviz.objectives import channel_objective
from cnncourse.featureviz.parameterization import initial_images
from cnncourse.featureviz.render import normalize_gradient
from cnncourse.featureviz.transforms import blur, jitter
from cnncourse.nets.vgg import load_vgg16
from cnncourse.nets.vgg_layers import truncated, VGG16_LAYERS
from cnncourse.widgets.featureviz import FilterExplorer, layers_player

CONV_LAYERS = [name for name in VGG16_LAYERS if "_conv" in name]
FAST = dict(side=32, steps=3, progress=False)


@pytest.fixture(scope="module")
def model():
    # These tensors are tiny: one thread avoids OpenMP's synchronisation cost,
    # which dominates when the machine's cores are shared with other jobs.
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        yield load_vgg16("random", device="cpu")
    finally:
        torch.set_num_threads(threads)


# -- the recipe works -----------------------------------------------------------


@pytest.mark.parametrize("layer", CONV_LAYERS)
def test_objective_rises_at_every_conv_layer(model, layer):
    result = visualize_filters(model, layer, [0, 1, 2, 3], **FAST)
    start, final = result.objective[0], result.objective[-1]
    # A filter that never fires (all-zero ReLU) has a zero gradient and stays put;
    # every other filter must climb, and the layer as a whole clearly.
    assert np.all(final >= start - 1e-7)
    assert final.sum() > 1.2 * start.sum() > 0
    alive = start > 0
    assert np.all(final[alive] > start[alive])


def test_objective_rises_at_every_step(model):
    result = visualize_filters(model, "block2_conv1", [2, 3, 4], side=32, steps=6, progress=False)
    assert np.all(np.diff(result.objective.mean(axis=1)) > 0)


def test_result_shapes_and_types(model):
    result = visualize_filters(model, "block1_conv2", [5, 0, 5], side=40, steps=2, progress=False)
    assert result.images.shape == (3, 40, 40, 3)
    assert result.images.dtype == np.uint8
    assert result.objective.shape == (3, 3)
    assert result.objective.dtype == np.float64
    assert result.filters == (5, 0, 5)
    assert result.layer == "block1_conv2"
    # The same filter with the same seed gives the same picture wherever it sits.
    np.testing.assert_array_equal(result.images[0], result.images[2])
    np.testing.assert_allclose(result.gain, result.objective[-1] - result.objective[0])


def test_single_int_filter(model):
    result = visualize_filters(model, "block1_conv1", 7, **FAST)
    assert result.filters == (7,)
    assert result.images.shape == (1, 32, 32, 3)


def test_objective_is_the_mean_activation(model):
    """Row k of .objective is the filter's mean activation on the image after k steps."""
    layer, filters = "block2_conv2", [1, 6]
    result = visualize_filters(model, layer, filters, side=32, steps=1, progress=False)
    start = initial_images(filters, side=32, seed=0)
    mean = torch.tensor([0.485, 0.456, 0.406]).view(1, 3, 1, 1)
    std = torch.tensor([0.229, 0.224, 0.225]).view(1, 3, 1, 1)
    with torch.no_grad():
        out = truncated(model, layer)((start / 255 - mean) / std)
    expected = [out[0, 1].mean().item(), out[1, 6].mean().item()]
    np.testing.assert_allclose(result.objective[0], expected, rtol=1e-5)


def test_images_follow_the_classic_recipe_step_by_step(model):
    """The recipe written out plainly (no batching tricks, no channels-last) gives the same pictures."""
    layer, filters, steps = "block2_conv1", [4, 9], 3
    result = visualize_filters(model, layer, filters, side=32, steps=steps, progress=False)
    net = truncated(model, layer)
    mean = torch.tensor([0.485, 0.456, 0.406]).view(1, 3, 1, 1)
    std = torch.tensor([0.229, 0.224, 0.225]).view(1, 3, 1, 1)
    x, values = initial_images(filters, side=32, seed=0), []
    for _ in range(steps + 1):
        x.requires_grad_(True)
        out = net((x / 255 - mean) / std)
        value = torch.stack([out[i, f].mean() for i, f in enumerate(filters)])
        (grad,) = torch.autograd.grad(value.sum(), x)
        values.append(value.detach())
        x = x.detach() + grad / grad.pow(2).mean(dim=(1, 2, 3), keepdim=True).sqrt()
    x = x - grad / grad.pow(2).mean(dim=(1, 2, 3), keepdim=True).sqrt()  # the last pass only measured
    np.testing.assert_allclose(result.objective, torch.stack(values).numpy(), rtol=1e-4, atol=1e-6)
    assert np.abs(result.images.astype(int) - deprocess(x).astype(int)).max() <= 1


def test_seed_reproduces_exactly(model):
    kwargs = dict(side=32, steps=3, seed=3, progress=False, transforms=[jitter(2), blur(0.5)])
    first = visualize_filters(model, "block3_conv1", [0, 9], **kwargs)
    again = visualize_filters(model, "block3_conv1", [0, 9], **kwargs)
    np.testing.assert_array_equal(first.images, again.images)
    np.testing.assert_array_equal(first.objective, again.objective)
    other = visualize_filters(model, "block3_conv1", [0, 9], **{**kwargs, "seed": 4})
    assert not np.array_equal(first.images, other.images)


@pytest.mark.parametrize("layer", ["block1_conv1", "block4_conv1"])
def test_batch_equals_one_filter_at_a_time(model, layer):
    filters = [3, 7, 11]
    kwargs = dict(side=32, steps=3, progress=False, transforms=[jitter(1)])
    batch = visualize_filters(model, layer, filters, **kwargs)
    alone = [visualize_filters(model, layer, f, **kwargs) for f in filters]
    np.testing.assert_array_equal(batch.images, np.concatenate([r.images for r in alone]))
    np.testing.assert_allclose(batch.objective, np.concatenate([r.objective for r in alone], axis=1),
                               rtol=1e-5, atol=1e-8)
    # Chunks of the batch change nothing either.
    chunked = visualize_filters(model, layer, filters, batch_size=2, **kwargs)
    np.testing.assert_array_equal(batch.images, chunked.images)


def test_regularization_keeps_shapes_and_climbs(model):
    result = visualize_filters(model, "block2_conv2", [2, 3], side=32, steps=4, progress=False,
                               transforms=[jitter(2), blur(0.5)])
    assert result.images.shape == (2, 32, 32, 3)
    assert result.objective[-1].sum() > result.objective[0].sum()


# -- the pieces -------------------------------------------------------------------


def test_channel_objective_picks_each_elements_own_filter():
    act = torch.rand(3, 5, 4, 4)
    values = channel_objective([4, 0, 4])(act)
    expected = torch.stack([act[0, 4].mean(), act[1, 0].mean(), act[2, 4].mean()])
    torch.testing.assert_close(values, expected)


def test_normalize_gradient_has_unit_rms_per_element():
    grad = torch.randn(3, 3, 8, 8) * torch.tensor([1e-6, 1.0, 1e3]).view(3, 1, 1, 1)
    rms = normalize_gradient(grad).pow(2).mean(dim=(1, 2, 3)).sqrt()
    torch.testing.assert_close(rms, torch.ones(3))
    assert torch.equal(normalize_gradient(torch.zeros(1, 3, 2, 2)), torch.zeros(1, 3, 2, 2))


def test_initial_images_are_gray_with_a_little_noise():
    x = initial_images([0, 1], side=32, seed=0)
    assert x.shape == (2, 3, 32, 32)
    assert (x - 128).abs().max() <= 10
    assert 3 < float(x.std()) < 8
    torch.testing.assert_close(initial_images([1], side=32, seed=0)[0], x[1])


def test_deprocess_centres_and_scales_each_image():
    images = torch.randn(2, 3, 16, 16) * torch.tensor([5.0, 100.0]).view(2, 1, 1, 1) + 40
    out = deprocess(images)
    assert out.shape == (2, 16, 16, 3) and out.dtype == np.uint8
    for picture in out / 255.0:
        assert abs(picture.mean() - 0.5) < 0.01
        assert abs(picture.std() - 0.1) < 0.01


def test_jitter_and_blur():
    x = torch.rand(2, 3, 8, 8)
    rngs = [np.random.default_rng(0), np.random.default_rng(1)]
    moved = jitter(2)(x, rngs)
    assert moved.shape == x.shape
    torch.testing.assert_close(moved.sum(dim=(2, 3)), x.sum(dim=(2, 3)))  # a roll loses nothing
    assert torch.equal(jitter(0)(x, rngs), x)
    smooth = blur(1.0)(x, [None, None])
    assert smooth.shape == x.shape
    assert float(smooth.std()) < float(x.std())
    constant = torch.full((1, 3, 6, 6), 7.0)
    torch.testing.assert_close(blur(0.7)(constant, [None]), constant)


# -- bad input ----------------------------------------------------------------------


def test_unknown_layer_lists_valid_names(model):
    with pytest.raises(ValueError, match="block1_conv1.*block5_pool"):
        visualize_filters(model, "block6_conv1", 0, **FAST)


def test_filter_out_of_range_gives_channel_count(model):
    with pytest.raises(ValueError, match="64 channels"):
        visualize_filters(model, "block1_conv1", [0, 64], **FAST)
    with pytest.raises(ValueError, match="512 channels"):
        visualize_filters(model, "block5_conv3", -1, **FAST)


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"side": 31}, ValueError, f"side must be between {MIN_SIDE} and {MAX_SIDE}"),
        ({"side": 4096}, ValueError, f"side must be between {MIN_SIDE} and {MAX_SIDE}"),
        ({"side": 64.0}, TypeError, "side must be an int"),
        ({"steps": 0}, ValueError, "steps must be >= 1"),
        ({"step_size": 0}, ValueError, "step_size must be a positive"),
        ({"step_size": float("nan")}, ValueError, "step_size must be a positive"),
        ({"step_size": "1"}, TypeError, "step_size must be a number"),
        ({"seed": -1}, ValueError, "seed must be >= 0"),
        ({"batch_size": 0}, ValueError, "batch_size must be >= 1"),
    ],
)
def test_bad_settings(model, kwargs, error, message):
    with pytest.raises(error, match=message):
        visualize_filters(model, "block1_conv1", 0, **{**FAST, **kwargs})


def test_bad_filters_and_model(model):
    with pytest.raises(ValueError, match="at least one filter"):
        visualize_filters(model, "block1_conv1", [], **FAST)
    with pytest.raises(TypeError, match="filter index must be an int"):
        visualize_filters(model, "block1_conv1", [1.5], **FAST)
    with pytest.raises(TypeError, match="filters must be an int or a sequence"):
        visualize_filters(model, "block1_conv1", "0", **FAST)
    with pytest.raises(TypeError, match="model must be a torch.nn.Module"):
        visualize_filters("vgg16", "block1_conv1", 0, **FAST)
    with pytest.raises(ValueError, match="sigma"):
        blur(0)
    with pytest.raises(ValueError, match="pixels must be >= 0"):
        jitter(-1)


# -- widgets ---------------------------------------------------------------------------


def test_filter_explorer_driven_from_python(model):
    explorer = FilterExplorer(model, layer="block1_conv1", filter=2, side=32, steps=3)
    direct = visualize_filters(model, "block1_conv1", 2, side=32, steps=3, progress=False)
    assert explorer.frames.shape == (4, 32, 32, 3)
    np.testing.assert_array_equal(explorer.frames[-1], direct.images[0])
    np.testing.assert_allclose(explorer.objective, direct.objective[:, 0], rtol=1e-6)
    assert "alt=" in explorer.display.value and "filter 2 of block1_conv1" in explorer.display.value
    assert explorer.position.value == explorer.position.max == 3 and explorer.steps == 4  # the finished picture
    assert explorer.ascent_steps == 3 and explorer.position.description == "step"

    explorer.position.value = 0
    assert "step 0 of 3" in explorer.display.value

    explorer.layer.value = "block2_conv1"
    assert "128 filters" in explorer.info.value
    assert explorer._current == ("block2_conv1", 2)

    explorer.filter.value = 500  # block2_conv1 has 128 filters: a message, not an exception
    assert "out of range" in explorer.message.value and "128 channels" in explorer.message.value
    shown = explorer.display.value
    explorer.position.value = 2
    assert explorer.display.value == shown  # the last valid picture stays

    explorer.filter.value = 5
    assert explorer.message.value == ""
    assert explorer._current == ("block2_conv1", 5)

    player = explorer.to_player()
    assert len(player.frames) == 4 and player.title == "Gradient ascent on filter 5 of block2_conv1"
    assert "cnn-player" in player._repr_html_()
    assert explorer.to_player("Mine").title == "Mine"


def test_filter_explorer_rejects_bad_arguments(model):
    with pytest.raises(ValueError, match="valid VGG16 layer names"):
        FilterExplorer(model, layer="conv1")
    with pytest.raises(ValueError, match="64 channels"):
        FilterExplorer(model, filter=64)
    with pytest.raises(ValueError, match="side must be between"):
        FilterExplorer(model, side=8)


def test_layers_player(model):
    results = {layer: visualize_filters(model, layer, [0, 1], **FAST) for layer in ["block1_conv1", "block2_conv1"]}
    player = layers_player(results)
    assert len(player.frames) == 2
    assert player.frames[1].count("<img") == 2
    assert 'alt="What filter 1 of block2_conv1' in player.frames[1]
    with pytest.raises(ValueError, match="at least one layer"):
        layers_player({})
