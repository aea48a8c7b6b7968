"""The model-agnostic pieces of feature visualization: hooks, objectives, pixel spaces, the render loop.

Checked by hand on tiny networks, then rendered on chapter 4's SmallCNN and
on VGG16 with its classifier (untrained weights, small images, few steps).
"""

from __future__ import annotations

import pytest
import torch
from torch import nn

from cnncourse.featureviz.hooks import OUTPUT, capture, module_names
from cnncourse.featureviz.inspection import preferred_inputs, stages_upto
from cnncourse.featureviz.objectives import Objective, as_objective, channel, channel_objective, class_logit, neuron
from cnncourse.featureviz.parameterization import UNIT_PIXELS, VGG16_PIXELS, PixelSpace, initial_images, seeded_generators
from cnncourse.featureviz.render import gradient_ascent, normalize_gradient
from cnncourse.nets.smallcnn import SmallCNN
from cnncourse.featureviz.transforms import blur, jitter


@pytest.fixture(autouse=True)
def one_thread():
    # Tiny tensors: one thread avoids OpenMP's synchronisation cost on shared cores.
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)


def tiny_net() -> nn.Sequential:
    """conv 1x1 with weights +1 and -1 → ReLU → flatten → linear with known weights."""
    net = nn.Sequential(nn.Conv2d(1, 2, 1, bias=False), nn.ReLU(), nn.Flatten(), nn.Linear(8, 3, bias=False))
    with torch.no_grad():
        net[0].weight.copy_(torch.tensor([1.0, -1.0]).view(2, 1, 1, 1))
        net[3].weight.copy_(torch.arange(24.0).view(3, 8) / 10)
    return net.eval()


X = torch.arange(4.0).view(1, 1, 2, 2)  # [[0, 1], [2, 3]]


def hook_counts(net: nn.Module) -> list[int]:
    return [len(module._forward_hooks) for module in net.modules()]


# -- hooks -----------------------------------------------------------------------------


def test_capture_records_outputs_and_removes_its_hooks():
    net = tiny_net()
    before = hook_counts(net)
    with capture(net, ["0", "1", OUTPUT]) as outputs:
        assert hook_counts(net) != before
        logits = net(X)
    assert hook_counts(net) == before
    torch.testing.assert_close(outputs["0"], torch.cat([X, -X], dim=1))
    torch.testing.assert_close(outputs["1"], torch.cat([X, torch.zeros_like(X)], dim=1))
    assert outputs[OUTPUT] is logits


def test_capture_removes_its_hooks_when_the_block_raises():
    net = tiny_net()
    before = hook_counts(net)
    with pytest.raises(RuntimeError, match="inside the block"):
        with capture(net, ["0", "3"]):
            net(X)
            raise RuntimeError("inside the block")
    assert hook_counts(net) == before
    with pytest.raises(RuntimeError, match="shape"):  # a failing forward pass, too
        with capture(net, ["0"]):
            net(torch.zeros(1, 1, 3, 3))
    assert hook_counts(net) == before


def test_capture_rejects_unknown_names_listing_the_valid_ones():
    net = tiny_net()
    with pytest.raises(ValueError, match=r"unknown layer 'conv1'; valid layers .* are '', '0', '1', '2', '3'$"):
        with capture(net, ["conv1"]):
            pass
    assert hook_counts(net) == hook_counts(tiny_net())
    big = nn.Sequential(*[nn.ReLU() for _ in range(30)])
    with pytest.raises(ValueError, match=r"'18' and 11 more$"):
        with capture(big, ["0", "30"]):
            pass
    assert hook_counts(big) == [0] * 31  # the valid name before the bad one got no hook either
    with pytest.raises(TypeError, match="model must be a torch.nn.Module"):
        with capture("vgg16", ["0"]):
            pass
    assert module_names(net) == ["", "0", "1", "2", "3"]


# -- objectives, by hand ---------------------------------------------------------------------


def test_objectives_on_a_tiny_network_equal_values_by_hand():
    net = tiny_net()
    with capture(net, ["0", "1", OUTPUT]) as acts:
        net(torch.cat([X, 2 * X]))  # two images
    # channel 0 of the conv is the image, channel 1 its negative: means 1.5 and -1.5 (x2 for image 2)
    torch.testing.assert_close(channel("0", 0)(acts), torch.tensor([1.5, 3.0]))
    torch.testing.assert_close(channel("0", [1, 0])(acts), torch.tensor([-1.5, 3.0]))
    torch.testing.assert_close(channel("1", 1)(acts), torch.tensor([0.0, 0.0]))
    # the centre of a 2x2 map is (1, 1): the pixel 3
    torch.testing.assert_close(neuron("0", 0)(acts), torch.tensor([3.0, 6.0]))
    torch.testing.assert_close(neuron("0", [0, 1], y=0, x=1)(acts), torch.tensor([1.0, -2.0]))
    # logits: ReLU output flattened = [0, 1, 2, 3, 0, 0, 0, 0]; row k of the weights is (8k .. 8k+7) / 10
    flat = torch.tensor([0.0, 1, 2, 3, 0, 0, 0, 0])
    expected = torch.stack([torch.arange(24.0).view(3, 8)[k] @ flat / 10 for k in range(3)])
    torch.testing.assert_close(class_logit(2)(acts), torch.stack([expected[2], 2 * expected[2]]))
    torch.testing.assert_close(class_logit([0, 1])(acts), torch.stack([expected[0], 2 * expected[1]]))


def test_objective_arithmetic():
    acts = {"a": torch.arange(8.0).view(2, 1, 2, 2), "b": torch.ones(2, 3, 1, 1), "": torch.eye(2)}
    a, b, logit = channel("a", 0), channel("b", 2), class_logit(1)
    combined = a + 2 * b - logit
    torch.testing.assert_close(combined(acts), torch.tensor([1.5 + 2 - 0, 5.5 + 2 - 1]))
    assert combined.layers == ("a", "b", "")
    torch.testing.assert_close(sum([a, b, a])(acts), 2 * a(acts) + b(acts))
    torch.testing.assert_close((-a)(acts), -a(acts))
    torch.testing.assert_close((a * 0.5)(acts), a(acts) / 2)
    assert (a + a).layers == ("a",)
    assert repr(a - b) == "channel('a', 0) - (channel('b', 2))"
    assert repr(-a + 0.5 * b) == "-(channel('a', 0)) + 0.5 * (channel('b', 2))"
    torch.testing.assert_close((a - b)(acts), a(acts) - b(acts))
    with pytest.raises(TypeError, match="unsupported operand"):
        a + 1  # noqa: B018
    with pytest.raises(TypeError, match="unsupported operand"):
        a * None  # noqa: B018


def test_an_objective_called_with_one_tensor_reads_its_one_layer():
    act = torch.rand(3, 5, 4, 4)
    torch.testing.assert_close(channel("x", 4)(act), act[:, 4].mean(dim=(1, 2)))
    torch.testing.assert_close(channel_objective([4, 0, 4])(act), torch.stack([act[0, 4].mean(), act[1, 0].mean(),
                                                                            act[2, 4].mean()]))
    plain = as_objective(lambda out: out.sum(dim=(1, 2, 3)))
    assert plain.layers == (OUTPUT,)
    torch.testing.assert_close(plain(act), act.sum(dim=(1, 2, 3)))
    with pytest.raises(ValueError, match="pass a dict of their outputs"):
        (channel("x", 0) + channel("y", 0))(act)
    with pytest.raises(ValueError, match=r"needs the outputs of layers \['y'\]"):
        channel("y", 0)({"x": act})


@pytest.mark.parametrize(
    ("objective", "acts", "error", "message"),
    [
        (channel("c", 5), {"c": torch.zeros(2, 5, 3, 3)}, ValueError, "index 5 is out of range: layer 'c' has 5 channels"),
        (channel("c", [0, 1, 2]), {"c": torch.zeros(2, 5, 3, 3)}, ValueError, "gives 3 units, one per image, but the batch has 2"),
        (channel("c", 0), {"c": torch.zeros(2)}, ValueError, r"layer 'c' must output channels \(N, C, ...\)"),
        (neuron("c", 0, y=3), {"c": torch.zeros(2, 5, 3, 3)}, ValueError, r"\(y, x\) = \(3, 1\) is outside"),
        (neuron("c", 0), {"c": torch.zeros(2, 5)}, ValueError, "must output feature maps"),
        (class_logit(0), {"": torch.zeros(2, 5, 3, 3)}, ValueError, "must output class scores"),
    ],
)
def test_objectives_reject_outputs_they_cannot_read(objective, acts, error, message):
    with pytest.raises(error, match=message):
        objective(acts)


def test_objective_constructors_check_their_arguments():
    with pytest.raises(TypeError, match="index must be an int or a sequence of ints"):
        channel("c", "3")
    with pytest.raises(ValueError, match="index must be >= 0"):
        neuron("c", -1)
    with pytest.raises(ValueError, match="at least one unit"):
        class_logit([])
    with pytest.raises(TypeError, match="layer must be a module name"):
        channel(3, 0)
    with pytest.raises(ValueError, match="y must be >= 0"):
        neuron("c", 0, y=-1)
    with pytest.raises(TypeError, match="objective must be an Objective or a callable"):
        as_objective(3)
    assert isinstance(channel("c", 0), Objective)


# -- pixel spaces --------------------------------------------------------------------------


def test_vgg16_pixels_are_imagenet_normalization_and_round_trip():
    from cnncourse.nets.vgg import IMAGENET_MEAN, IMAGENET_STD

    assert VGG16_PIXELS.mean == IMAGENET_MEAN and VGG16_PIXELS.std == IMAGENET_STD
    x = torch.rand(2, 3, 5, 5) * 255
    mean = torch.tensor(IMAGENET_MEAN).view(1, 3, 1, 1)
    std = torch.tensor(IMAGENET_STD).view(1, 3, 1, 1)
    torch.testing.assert_close(VGG16_PIXELS.to_network(x), (x / 255 - mean) / std)
    torch.testing.assert_close(VGG16_PIXELS.from_network(VGG16_PIXELS.to_network(x)), x, rtol=0, atol=1e-4)
    space = PixelSpace(-1, 3, mean=0.25, std=0.5)
    torch.testing.assert_close(space.to_network(torch.tensor([[-1.0, 1.0, 3.0]])), torch.tensor([[-0.5, 0.5, 1.5]]))
    torch.testing.assert_close(space.from_network(space.to_network(x)), x, rtol=0, atol=1e-4)


def test_unit_pixels_pass_unchanged_and_clamp():
    x = torch.rand(2, 1, 4, 4) * 3 - 1
    assert UNIT_PIXELS.to_network(x) is x and UNIT_PIXELS.from_network(x) is x
    assert UNIT_PIXELS.clip and not VGG16_PIXELS.clip
    clamped = UNIT_PIXELS.clamp(x)
    assert float(clamped.min()) == 0 and float(clamped.max()) == 1
    assert UNIT_PIXELS.to_uint8(torch.tensor([[[[0.0, 0.5, 1.0, 7.0]]]]))[0, 0, :, 0].tolist() == [0, 128, 255, 255]


def test_start_images_are_seeded_per_image():
    x = UNIT_PIXELS.start(seeded_generators(3, [0, 1, 0]), (4, 6), channels=1)
    assert x.shape == (3, 1, 4, 6) and x.dtype == torch.float32
    assert bool((x - 0.5).abs().max() <= 0.05)
    assert torch.equal(x[0], x[2]) and not torch.equal(x[0], x[1])
    torch.testing.assert_close(initial_images([1], side=8)[0], initial_images([0, 1], side=8)[1])
    torch.testing.assert_close(initial_images([0], side=8), VGG16_PIXELS.start(seeded_generators(0, [0]), 8))


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"low": 1, "high": 1}, "low < high"),
        ({"low": 0, "high": 1, "std": (1.0, 0.0)}, "std must be > 0"),
        ({"low": 0, "high": 1, "mean": "a"}, "mean must be a finite number"),
        ({"low": 0, "high": 1, "gray": 2}, "gray must lie between low=0 and high=1"),
        ({"low": 0, "high": 1, "noise": -1}, "noise must be >= 0"),
    ],
)
def test_pixel_space_rejects_bad_settings(kwargs, message):
    with pytest.raises(ValueError, match=message):
        PixelSpace(**kwargs)


# -- transforms on any number of channels --------------------------------------------------


def test_transforms_work_on_one_channel_and_need_one_generator_per_image():
    x = torch.rand(2, 1, 8, 8)
    assert blur(0.7)(x, [None, None]).shape == x.shape
    assert jitter(1)(x, seeded_generators(0, [0, 1])).shape == x.shape
    with pytest.raises(ValueError, match=r"jitter needs one generator per image \(2\), got None"):
        jitter(1)(x, None)


# -- the render loop on two networks ----------------------------------------------------------


def test_render_a_small_cnn_channel_with_unit_pixels():
    """(a) Chapter 4's SmallCNN, the whole network with a hooked channel: the objective rises."""
    torch.manual_seed(0)
    net = SmallCNN().eval()
    before = hook_counts(net)
    start = UNIT_PIXELS.start(seeded_generators(0, range(4)), 32, channels=1)
    ascent = gradient_ascent(net, start, channel("relu2", [0, 1, 2, 3]), steps=10, step_size=0.05,
                             pixels=UNIT_PIXELS)
    steps = list(ascent)
    values = torch.stack([v for _, v, _ in steps])
    images = steps[-1][2]
    assert values.shape == (11, 4)
    assert bool((values[-1] > values[0]).all()), values
    assert float(images.min()) >= 0 and float(images.max()) <= 1
    assert hook_counts(net) == before
    # The same loop on the network truncated at the layer, objective on its output: the same images.
    *_, (_, truncated_values, truncated_images) = gradient_ascent(
        stages_upto(net, "relu2"), start, channel(OUTPUT, [0, 1, 2, 3]), steps=10, step_size=0.05,
        pixels=UNIT_PIXELS)
    torch.testing.assert_close(truncated_images, images, rtol=0, atol=0)
    torch.testing.assert_close(truncated_values, values[-1], rtol=0, atol=0)


def test_render_a_vgg16_class_logit_with_vgg16_pixels():
    """(b) VGG16 with its classifier, a class score from the model's output: the objective rises."""
    from cnncourse.nets.vgg import load_vgg16

    vgg = load_vgg16("random", include_top=True, device="cpu")
    start = VGG16_PIXELS.start(seeded_generators(0, [1, 7]), 64)
    values = torch.stack([v for _, v, _ in gradient_ascent(vgg, start, class_logit([1, 7]), steps=3, step_size=2.0)])
    assert values.shape == (4, 2)
    assert bool((values[1:] > values[:-1]).all()), values
    assert hook_counts(vgg) == [0] * len(list(vgg.modules()))


def test_render_loop_checks_the_objective_and_the_pixel_space():
    net = tiny_net()
    with pytest.raises(ValueError, match=r"must give one value per image, shape \(1,\); got shape \(\)"):
        next(gradient_ascent(net, X, lambda out: out.sum(), steps=1, pixels=UNIT_PIXELS))
    with pytest.raises(ValueError, match="step_size must be a positive finite number, got 0"):
        next(gradient_ascent(net, X, class_logit(0), steps=1, step_size=0, pixels=UNIT_PIXELS))
    with pytest.raises(TypeError, match="pixels must be a PixelSpace"):
        next(gradient_ascent(net, X, class_logit(0), steps=1, pixels="unit"))
    assert hook_counts(net) == hook_counts(tiny_net())


def test_render_loop_takes_steps_of_rms_size():
    net = tiny_net()
    steps = list(gradient_ascent(net, X + 1, class_logit(2), steps=2, step_size=0.5, pixels=PixelSpace(0, 10)))
    change = steps[1][2] - steps[0][2]
    assert abs(float(change.pow(2).mean().sqrt()) - 0.5) < 1e-6
    torch.testing.assert_close(normalize_gradient(change), change / 0.5)


# -- the same results as before the split ----------------------------------------------------


def test_preferred_inputs_equal_the_plain_recipe():
    """Chapter 4's preferred inputs, written out by hand: clamp to [0, 1], no normalization."""
    torch.manual_seed(0)
    model = SmallCNN().eval()
    ours = preferred_inputs(model, "relu2", steps=4, seed=1)
    net = stages_upto(model, "relu2")
    noise = torch.rand(1, 1, 32, 32, generator=torch.Generator().manual_seed(1))
    x = (0.5 + 0.1 * (noise - 0.5)).repeat(16, 1, 1, 1)
    for _ in range(4):
        x.requires_grad_(True)
        out = net(x)
        value = torch.stack([out[i, i].mean() for i in range(16)]).sum()
        (grad,) = torch.autograd.grad(value, x)
        rms = grad.pow(2).mean(dim=(1, 2, 3), keepdim=True).sqrt().clamp_min(1e-12)
        x = (x.detach() + 0.05 * grad / rms).clamp(0, 1)
    torch.testing.assert_close(ours, x, rtol=0, atol=1e-5)
