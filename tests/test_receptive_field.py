"""The effective receptive field: the gradient of one unit with respect to the input pixels.

References: for a single convolution the gradient of one output value is the
kernel itself, placed around that value (so its support is exactly k x k);
for a stack of layers the support never leaves the theoretical receptive
field given by the recursion r += (k - 1) * j, j *= stride (chapters 4 and 6).
"""

from __future__ import annotations

from collections import OrderedDict

import pytest
import torch
from torch import nn

from cnncourse import SmallCNN, effective_receptive_field


def _theoretical(model: nn.Sequential, layer: str) -> tuple[int, int]:
    """(side, step, first input pixel of value 0) of ``layer``'s receptive field, by the recursion."""
    size, step, start = 1, 1, 0
    for name, stage in model.named_children():
        if isinstance(stage, nn.Conv2d):
            size += (stage.kernel_size[0] - 1) * step
            start -= stage.padding[0] * step
        elif isinstance(stage, nn.MaxPool2d):
            size += (stage.kernel_size - 1) * step
            step *= stage.stride
        if name == layer:
            return size, step, start
    raise AssertionError(layer)


def _support(field: torch.Tensor) -> tuple[list[int], list[int]]:
    rows, cols = torch.nonzero(field).unbind(1)
    return sorted(set(rows.tolist())), sorted(set(cols.tolist()))


def test_a_single_3x3_conv_sees_its_kernel_and_nothing_else():
    torch.manual_seed(0)
    net = nn.Sequential(OrderedDict(conv=nn.Conv2d(1, 1, 3, padding=1)))
    field = effective_receptive_field(net, "conv", torch.rand(5, 1, 9, 9), channel=0)
    expected = torch.zeros(9, 9)
    expected[3:6, 3:6] = net.conv.weight[0, 0].detach().abs()  # the centre value is (4, 4)
    torch.testing.assert_close(field, expected)
    assert _support(field) == ([3, 4, 5], [3, 4, 5])


def test_conv_pool_conv_fills_exactly_the_theoretical_field():
    torch.manual_seed(0)
    net = nn.Sequential(OrderedDict(conv1=nn.Conv2d(1, 2, 3, padding=1), pool=nn.MaxPool2d(2),
                                    conv2=nn.Conv2d(2, 1, 3, padding=1)))
    size, step, start = _theoretical(net, "conv2")
    assert (size, step) == (3 + 1 + 2 * 2, 2)
    field = effective_receptive_field(net, "conv2", torch.rand(200, 1, 16, 16), channel=0)
    first = start + 4 * step  # the centre value of the 8x8 output is (4, 4)
    # Over many images the max pooling routes the gradient through every pixel of each window.
    assert _support(field) == (list(range(first, first + size)),) * 2
    assert first == 5


@pytest.mark.parametrize("layer, side", [("relu1", 5), ("relu2", 10), ("relu3", 20)])
def test_smallcnn_stays_inside_its_theoretical_field(layer, side):
    torch.manual_seed(0)
    model = SmallCNN()
    size, step, start = _theoretical(model, layer)
    assert size == side
    field = effective_receptive_field(model, layer, torch.rand(64, 1, 32, 32))
    centre = (32 // step) // 2
    first = start + centre * step
    rows, cols = _support(field)
    assert rows and cols
    assert first <= min(rows) and max(rows) < first + size
    assert first <= min(cols) and max(cols) < first + size
    assert field.shape == (32, 32) and model.training  # the model's mode is put back


def test_the_default_channel_is_the_most_active_at_the_centre():
    torch.manual_seed(1)
    model = SmallCNN()
    images = torch.rand(8, 1, 32, 32)
    with torch.no_grad():
        best = int(model["relu2"](model["conv2"](model[:3](images)))[:, :, 8, 8].mean(dim=0).argmax())
    torch.testing.assert_close(effective_receptive_field(model, "relu2", images),
                               effective_receptive_field(model, "relu2", images, channel=best))


def test_bad_input_names_the_parameter():
    model = SmallCNN()
    with pytest.raises(ValueError, match="images must be a tensor of shape"):
        effective_receptive_field(model, "relu1", torch.rand(1, 32, 32))
    with pytest.raises(ValueError, match="layer 'flatten' must output feature maps"):
        effective_receptive_field(model, "flatten", torch.rand(2, 1, 32, 32))
    with pytest.raises(ValueError, match="channel must be an int from 0 to 7"):
        effective_receptive_field(model, "relu1", torch.rand(2, 1, 32, 32), channel=8)
    with pytest.raises(ValueError, match="unknown layer 'relu9'"):
        effective_receptive_field(model, "relu9", torch.rand(2, 1, 32, 32))
