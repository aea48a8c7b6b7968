"""What the explorers used to compute themselves (issue 24, "no widget computes"), tested where it now lives.

* ``nets.classes``: default class names and a class found by index or name, with near misses;
* ``attribution.gradients``: the picture of a model's input and its class probabilities;
* ``nets.vgg.photo_of``: the photo VGG16 is shown; ``nets.smallcnn.first_convolution``;
* ``ops.images.default_feature_map`` (chapter 3's explorer starts from it), still importable from the widget.
"""

from __future__ import annotations

import numpy as np
import pytest
import torch

from cnncourse import SHAPE_CLASSES, SmallCNN, conv2d, get_kernel, load_sample, preprocess, to_grayscale
from cnncourse.attribution.gradients import class_probabilities, input_picture
from cnncourse.nets.classes import default_class_names, find_class
from cnncourse.nets.smallcnn import first_convolution
from cnncourse.nets.vgg import photo_of
from cnncourse.ops.images import default_feature_map

NAMES = ["tabby", "tiger cat", "Egyptian cat", "coffee mug"]


def test_default_class_names_by_count():
    assert default_class_names(len(SHAPE_CLASSES)) == list(SHAPE_CLASSES)
    assert default_class_names(2) == ["class 0", "class 1"]
    assert len(default_class_names(1000)) == 1000


@pytest.mark.parametrize(("target", "expected"), [
    (0, 0), (3, 3), (np.int64(2), 2), ("coffee mug", 3), ("  Coffee MUG ", 3), ("egyptian cat", 2), ("1", 1)])
def test_find_class_by_index_or_name(target, expected):
    assert find_class(target, NAMES) == expected


@pytest.mark.parametrize(("target", "error", "message"), [
    (4, ValueError, "class index must be between 0 and 3, got 4"),      # one past the end
    (-1, ValueError, "class index must be between 0 and 3, got -1"),
    ("4", ValueError, "class index must be between 0 and 3, got 4"),    # digits are an index
    (True, TypeError, "a class must be an index or a name, got True"),  # a bool is not an index
    (1.0, TypeError, "a class must be an index or a name, got 1.0"),
    ("cofee mug", ValueError, "no class is called 'cofee mug': did you mean 'coffee mug'?"),
    ("cat", ValueError, "did you mean 'tiger cat', 'Egyptian cat'?"),   # a part of names
    ("zebra", ValueError, "nor anything close; the classes include 'tabby', 'tiger cat'"),
])
def test_find_class_rejects_with_a_helpful_message(target, error, message):
    with pytest.raises(error, match=message.replace("?", r"\?").replace("(", r"\(")):
        find_class(target, NAMES)


def test_input_picture_undoes_what_the_model_is_given():
    photo = load_sample("cat")[:64, :64]
    np.testing.assert_allclose(input_picture(preprocess(photo)).astype(int), photo.astype(int), atol=1)
    assert np.array_equal(input_picture(photo), photo)                          # not a tensor: the photo
    gray = input_picture(torch.linspace(-1, 2, 16).reshape(1, 4, 4))          # one channel: [0, 1] floats
    assert gray.shape == (4, 4) and gray.min() == 0 and gray.max() == 1
    with pytest.raises(ValueError, match="1 or 3 channels"):
        input_picture(torch.zeros(2, 4, 4))


def test_class_probabilities_are_the_softmax_of_the_scores():
    torch.manual_seed(0)
    model, image = SmallCNN(), torch.rand(1, 32, 32)
    expected = torch.softmax(model.eval()(image[None])[0], dim=0).detach().numpy()
    np.testing.assert_allclose(class_probabilities(model.train(), image), expected, rtol=1e-6)
    assert model.training                                                       # the mode is put back


def test_photo_of_is_what_preprocess_normalizes():
    photo = load_sample("cat")[:32, :48]
    tensor = torch.from_numpy(photo.copy()).permute(2, 0, 1)
    assert np.array_equal(photo_of(tensor), photo)                              # uint8 0-255
    assert np.array_equal(photo_of(tensor.float() / 255), photo)                # floats in [0, 1]
    assert np.array_equal(photo_of(photo), photo)


def test_first_convolution_and_the_default_feature_map():
    assert first_convolution(SmallCNN()) == ("conv1", "relu1")
    with pytest.raises(ValueError, match="no nn.Conv2d"):
        first_convolution(torch.nn.Sequential(torch.nn.ReLU()))
    cat = to_grayscale(load_sample("cat"))
    assert np.array_equal(default_feature_map(), conv2d(cat, get_kernel("vertical edge"))[::2, ::2])
    from cnncourse.widgets.activations import default_feature_map as from_the_widget
    assert from_the_widget is default_feature_map


def test_top_class_is_the_softmax_argmax():
    import torch

    from cnncourse.nets.classes import top_class

    scores = torch.randn(20, 6, generator=torch.Generator().manual_seed(0))
    for row in scores:
        p = torch.softmax(row, 0)
        index, probability = top_class(row)
        assert index == int(p.argmax()) and probability == float(p.max())
    assert top_class(torch.tensor([3.0, 3.0]))[0] == 0  # a tie: the first, as argmax gives
