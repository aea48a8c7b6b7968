"""Chapter 4's network for a web page (cnncourse.nets.export) and its receptive-field boxes (cnncourse.nets.receptive).

The exported weights read back exactly and stay under 100 KB; the format
rejects what it cannot describe with a message naming the stage; the examples
are 8-bit, class by class. Every receptive-field box is the set of input
pixels with a nonzero gradient of that unit (over random images), cut to the image.
"""

from __future__ import annotations

import json
from collections import OrderedDict

import numpy as np
import pytest
import torch
from torch import nn

from cnncourse import (SHAPE_CLASSES, SmallCNN, decode_examples, export_examples, export_network, layer_field,
                       load_network, receptive_box)


def test_export_reads_back_exactly_and_is_small():
    torch.manual_seed(0)
    model = SmallCNN()
    net = export_network(model, SHAPE_CLASSES)
    text = json.dumps(net)
    assert len(text) <= 100_000
    copy = load_network(json.loads(text))
    for (name, a), (_, b) in zip(model.state_dict().items(), copy.state_dict().items()):
        assert torch.equal(a, b), name
    x = torch.rand(3, 1, 32, 32)
    assert torch.equal(model.eval()(x), copy.eval()(x))
    assert [s["kind"] for s in net["stages"]] == ["conv", "relu", "maxpool"] * 3 + ["flatten", "linear"]
    assert net["stages"][0] == {"name": "conv1", "kind": "conv", "in": 1, "out": 8, "kernel": 5, "padding": 2,
                                "stride": 1}
    assert net["tensors"]["fc.bias"] == {"shape": [6], "offset": 9088}


def test_export_rejects_what_the_format_cannot_describe():
    with pytest.raises(TypeError, match="model must be a torch.nn.Sequential, got Linear"):
        export_network(nn.Linear(2, 2), ["a", "b"])
    with pytest.raises(ValueError, match="stage 'pool' is a AvgPool2d; valid stages are Conv2d, ReLU"):
        export_network(nn.Sequential(OrderedDict(pool=nn.AvgPool2d(2))), ["a"])
    with pytest.raises(ValueError, match="stage 'conv': only plain convolutions"):
        export_network(nn.Sequential(OrderedDict(conv=nn.Conv2d(2, 2, 3, groups=2))), ["a", "b"])
    with pytest.raises(ValueError, match="classes must name each of the model's 6 outputs, got 5 names"):
        export_network(SmallCNN(), SHAPE_CLASSES[:5])
    with pytest.raises(ValueError, match="network must be an object of format 'cnncourse-net/1'"):
        load_network({"format": "other"})


def test_examples_are_eight_bit_class_by_class():
    images = torch.rand(10, 1, 8, 8)
    labels = torch.tensor([2, 0, 2, 1, 0, 2, 2, 1, 0, 0])
    examples = export_examples(images, labels, per_class=2)
    assert examples["labels"] == [0, 0, 1, 1, 2, 2]
    decoded, decoded_labels = decode_examples(examples)
    np.testing.assert_allclose(decoded, images[[1, 4, 3, 7, 0, 2], 0].numpy(), atol=0.5 / 255 + 1e-7)
    assert decoded_labels.tolist() == examples["labels"]
    with pytest.raises(ValueError, match=r"images must have values in \[0, 1\]"):
        export_examples(images * 2, labels)
    with pytest.raises(ValueError, match="per_class must be >= 1, got 0"):
        export_examples(images, labels, per_class=0)


@pytest.mark.parametrize("layer", ["conv1", "relu1", "pool1", "conv2", "pool2", "relu3", "pool3"])
def test_each_box_is_where_the_unit_has_a_gradient(layer):
    torch.manual_seed(0)
    model = SmallCNN().eval()
    positions = layer_field(model, layer).positions
    x = torch.rand(48, 1, 32, 32, requires_grad=True)
    maps = model[:[name for name, _ in model.named_children()].index(layer) + 1](x)
    assert maps.shape[-1] == positions
    for row, col in {(0, 0), (positions - 1, positions - 1), (positions // 2, 1), (1, positions // 2)}:
        (gradient,) = torch.autograd.grad(maps[:, :, row, col].sum(), x, retain_graph=True)
        rows, cols = torch.nonzero(gradient.abs().sum(dim=(0, 1))).unbind(1)
        found = (int(rows.min()), int(cols.min()), int(rows.max()), int(cols.max()))
        assert receptive_box(model, layer, row, col) == found, (layer, row, col)


def test_boxes_reject_units_outside_the_maps_and_layers_without_maps():
    model = SmallCNN()
    assert layer_field(model, "pool3") == (24, 8, -8, 4)
    with pytest.raises(ValueError, match=r"row must be from 0 to 3 \(pool3's maps are 4x4\), got 4"):
        receptive_box(model, "pool3", 4, 0)
    with pytest.raises(ValueError, match="col must be >= 0, got -1"):
        receptive_box(model, "relu1", 0, -1)
    with pytest.raises(ValueError, match="valid layers are conv1, relu1, pool1, conv2, relu2, pool2, conv3, "
                                         "relu3, pool3, got 'fc'"):
        layer_field(model, "fc")
