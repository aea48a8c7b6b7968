"""Checkers for the chapters' exercises, one section per chapter, in chapter order.

Each checker takes the reader's answer and returns a
:class:`~cnncourse.feedback.Feedback` (a short coloured message in a
notebook); a wrong type or shape is feedback too, never an exception.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .feedback import NO_ANSWER, Feedback, check_array, check_choice, check_number, parse_shape


# -- Chapter 1: Convolution ------------------------------------------------------


def _text(answer: Any) -> bool:
    """Text or True/False where numbers are asked for (NumPy would take "3" or True for 3.0)."""
    values = [answer] if isinstance(answer, (str, bytes)) else np.asarray(answer, dtype=object).ravel()
    return any(isinstance(v, (str, bytes, bool, np.bool_)) for v in values)


def _array(answer: Any, expected: np.ndarray, miss: np.ndarray, message: str, hint: str) -> Feedback:
    """check_array, after text is refused and a likely wrong answer, ``miss``, gets its ``message``."""
    if answer is not None and _text(answer):
        return Feedback(False, "Give the result as numbers, not text.")
    return Feedback(False, message) if check_array(answer, miss).correct else check_array(answer, expected, hint=hint)


def _shape(answer: Any, example: tuple[int, ...]) -> tuple[int, ...] | Feedback:
    if answer is not None and _text(answer):
        return Feedback(False, f"Give the sizes as whole numbers, for example {example}, not text.")
    return parse_shape(answer, example)


def check_conv_by_hand(answer: Any) -> Feedback:
    """Exercise 1.1: convolve the 4x4 matrix of the exercise with the 2x2 kernel."""
    from .conv import conv2d

    image = np.array([[1, 2, 0, 1], [0, 1, 3, 1], [2, 0, 1, 0], [1, 1, 0, 2]])
    kernel = np.array([[1, 0], [0, -1]])
    return _array(answer, conv2d(image, kernel), conv2d(image, kernel[::-1, ::-1]),
                  "Every sign is the wrong way round: did you flip the kernel? Deep-learning convolution does not "
                  "flip it: its top-left weight multiplies the top-left pixel of each patch.",
                  hint="Top-left first: 1*1 + 2*0 + 0*0 + 1*(-1). Stride 1, no padding.")


def check_output_shape(answer: Any) -> Feedback:
    """Exercise 1.2: output (height, width) of a 3x3 conv, stride 2, padding 1, on 224x224."""
    from .conv import output_size

    expected = (output_size(224, 3, stride=2, padding=1),) * 2
    value = _shape(answer, (10, 10))
    if isinstance(value, Feedback):
        return value
    if value == expected:
        return Feedback(True, f"floor((224 + 2 - 3) / 2) + 1 = {expected[0]}, so {expected}.")
    known = {(113, 113): "That rounds (224 + 2 - 3) / 2 up; the formula takes the floor.",
             (224, 224): "That is the size with stride 1; this layer has stride 2."}
    return Feedback(False, f"{value} is not right. " + known.get(value, "Use o = floor((i + 2p - k) / s) + 1."))


LINE_TESTS = {"flat": np.ones((5, 5)), "horizontal line": np.eye(5)[[2] * 5].T, "vertical line": np.eye(5)[[2] * 5],
              "step": np.tile([0.0, 0, 1, 1, 1], (5, 1)), "reversed step": np.tile([1.0, 1, 0, 0, 0], (5, 1))}
"""The 5x5 test images of exercise 1.3: 0 is dark, 1 bright; the lines are one pixel wide, in the middle."""


def check_line_kernel(kernel: Any) -> Feedback:
    """Exercise 1.3: a 3x3 kernel for thin vertical lines (:data:`LINE_TESTS`); the chapter's edge kernels fail."""
    from .conv import conv2d

    if kernel is None:
        return NO_ANSWER
    try:
        k = np.asarray(kernel, dtype=float)
    except (TypeError, ValueError):
        k = np.zeros(0)
    if _text(kernel) or k.shape != (3, 3) or not np.isfinite(k).all():
        return Feedback(False, "Give the kernel as 3 rows of 3 numbers, e.g. [[0, 0, 0], [0, 1, 0], [0, 0, 0]].")
    out = {name: conv2d(image, k) for name, image in LINE_TESTS.items()}
    if not np.allclose(out["flat"], 0):
        return Feedback(False, f"On the flat image your kernel gives {out['flat'][0, 0]:g} everywhere, not 0. "
                               "What must the nine weights add up to?")
    if not np.allclose(out["horizontal line"], 0):
        return Feedback(False, "The horizontal line should give 0 everywhere: on it, what does each row of the "
                               "kernel multiply?")
    line = out["vertical line"].max(axis=0)  # per column of the output; the middle one is centred on the line
    if not line[1] > max(line[0], line[2], 0):
        return Feedback(False, f"On the vertical line the largest response, positive, should be in the middle "
                               f"column of the output; yours are {line.round(3).tolist()}, column by column.")
    step = max(out["step"].max(), out["reversed step"].max())
    if not step < line[1]:
        return Feedback(False, f"A step edge gives {step:g}, as much as the line ({line[1]:g}) or more: "
                               "your kernel finds edges, not lines.")
    return Feedback(True, "Your kernel finds thin vertical lines and ignores flat areas, horizontal lines and "
                          "edges, like the stripe-shaped filters in the first layers of CNNs.")


# -- Chapter 2: Pooling ----------------------------------------------------------


POOL_EXERCISE = np.array([[2, 0, 1, 3], [4, 1, 0, 2], [1, 5, 2, 2], [0, 3, 6, 1]])
"""The 4x4 matrix of exercise 2.1."""


def check_max_pool_by_hand(answer: Any) -> Feedback:
    """Exercise 2.1: 2x2 max pooling (stride 2) of :data:`POOL_EXERCISE`."""
    from .pooling import pool2d

    return _array(answer, pool2d(POOL_EXERCISE, 2), pool2d(POOL_EXERCISE, 2, mode="avg"),
                  "That is average pooling (the mean of each block); max pooling keeps the largest number.",
                  hint="Split the matrix into four 2x2 blocks and keep the largest number of each.")


def check_pool_output_shape(answer: Any) -> Feedback:
    """Exercise 2.2: shape of 3x3 max pooling, stride 2, on a (64, 112, 112) input."""
    side = (112 - 3) // 2 + 1
    expected = (64, side, side)
    value = _shape(answer, (3, 10, 10))
    if isinstance(value, Feedback):
        return value
    if value == expected:
        return Feedback(True, f"floor((112 - 3) / 2) + 1 = {side}, and the depth stays 64: {expected}.")
    if sorted(value) == sorted(expected):
        return Feedback(False, f"{value}: the numbers are right, the order is not: (channels, height, width).")
    if value[0] != 64:
        return Feedback(False, f"{value} is not right: pooling never changes the number of channels.")
    return Feedback(False, f"{value} is not right. Use o = floor((i - k) / s) + 1 for height and width.")


def check_dense_weights_saved(answer: Any) -> Feedback:
    """Exercise 2.3: weights saved in a 10-output dense layer by 2x2 pooling of 32x16x16 maps."""
    before, after = 32 * 16 * 16 * 10, 32 * 8 * 8 * 10
    if answer is not None and _text(answer):
        return Feedback(False, "Give the answer as a number, not text.")
    if isinstance(answer, (int, float, np.number)) and answer in (before, after):
        return Feedback(False, f"{answer:g} is how many weights the dense layer has, not how many it loses.")
    return check_number(answer, before - after, hint="Count the weights of the dense layer on 32*16*16 inputs "
                        "and on 32*8*8 inputs (one weight per input and output), and subtract.")


# -- Chapter 3: Activation functions ---------------------------------------------


def check_sigmoid_depth(answer: Any) -> Feedback:
    """Exercise 3.1: the largest factor sigmoid derivatives can give through 10 layers, 0.25**10."""
    if answer is None:
        return NO_ANSWER
    expected = 0.25**10
    try:
        value = float(answer)
    except (TypeError, ValueError):
        return Feedback(False, "Expected a number.")
    if abs(value - expected) <= 1e-3 * expected:
        return Feedback(True, f"0.25 ** 10 = {expected:.2e}: less than a millionth.")
    return Feedback(False, f"{value:g} is not right. The sigmoid's derivative is at most 0.25; "
                    "multiply one factor per layer.")


def check_relu_pool_order(answer: Any) -> Feedback:
    """Exercise 3.2: is ReLU then max pooling the same as max pooling then ReLU?"""
    return check_choice(answer, "same", ["same", "different"],
                        hint="Both take a maximum: try max(relu(a), relu(b)) and relu(max(a, b)) on a few numbers.")


def check_block_shape(answer: Any) -> Feedback:
    """Exercise 3.3: shape after conv (16 filters 3x3, padding 1) -> ReLU -> 2x2 max pool on (3, 64, 64)."""
    expected = (16, 32, 32)
    value = parse_shape(answer, (3, 10, 10))
    if isinstance(value, Feedback):
        return value
    if value == expected:
        return Feedback(True, "16 filters give 16 channels, padding 1 keeps 64x64, ReLU keeps the shape, "
                        "pooling halves it: (16, 32, 32).")
    return Feedback(False, f"{value} is not right. Follow the shape one stage at a time: conv, ReLU, pool.")


# -- Chapter 4: Building a CNN ---------------------------------------------------


def check_stage_shape(answer: Any) -> Feedback:
    """Exercise 4.1: shape (channels, height, width) after ``pool2`` of SmallCNN on a 32x32 image."""
    from .smallcnn import layer_summary, SmallCNN

    expected = next(row.shape for row in layer_summary(SmallCNN(), np.zeros((1, 32, 32))) if row.name == "pool2")
    value = parse_shape(answer, (4, 10, 10))
    if isinstance(value, Feedback):
        return value
    if value == expected:
        return Feedback(True, f"conv2 has 16 filters and two poolings halve 32 twice: {expected}.")
    if len(value) == 3 and value[0] == expected[0]:
        return Feedback(False, f"{value}: the channels are right; each pooling halves height and width, "
                               "and a padded 3x3 convolution keeps them.")
    return Feedback(False, f"{value} is not right. The channels are the filters of the last convolution; "
                           "count the poolings for height and width.")


def check_conv_params(answer: Any) -> Feedback:
    """Exercise 4.2: parameters of conv1 with 8 filters of 7x7 on a 1-channel input."""
    hint = "Each filter has kh x kw x in_channels weights, plus one bias."
    return check_number(answer, 8 * (7 * 7 * 1) + 8, hint=hint)


def check_fc_inputs(answer: Any) -> Feedback:
    """Exercise 4.3: inputs of SmallCNN's ``fc`` layer for 64x64 images."""
    from .smallcnn import SmallCNN

    hint = "Three poolings halve 64 three times; multiply by the 32 channels of conv3."
    return check_number(answer, SmallCNN(image_size=64).fc.in_features, hint=hint)


def check_receptive_field_7x7(answer: Any) -> Feedback:
    """Exercise 4.4: theoretical receptive field of ``relu3`` in ``SmallCNN(kernel_sizes=(7, 3, 3))``."""
    from torch import nn

    from .smallcnn import SmallCNN

    size, step = 1, 1
    for name, stage in SmallCNN(kernel_sizes=(7, 3, 3)).named_children():
        if isinstance(stage, nn.Conv2d):
            size += (stage.kernel_size[0] - 1) * step
        elif isinstance(stage, nn.MaxPool2d):
            size += (stage.kernel_size - 1) * step
            step *= stage.stride
        if name == "relu3":
            break
    return check_number(answer, size,
                        hint="Start from 1 pixel and a step of 1. A kxk conv adds (k - 1) steps; a 2x2 pooling "
                             "adds 1 step, then doubles the step. conv1 alone sees 7 pixels, pool1 8.")


# -- Chapter 5: What filters want to see -----------------------------------------


def check_dense_inputs(answer: Any) -> Feedback:
    """Exercise 5.1: inputs of VGG16's first dense layer (512 maps of 7x7 for a 224x224 image)."""
    return check_number(answer, 512 * 7 * 7,
                        hint="block5_pool's output for a 224x224 image is 512 maps of 224 / 32 = 7 by 7 "
                             "pixels, flattened into one vector.")


def check_normalized_gradient(answer: Any) -> Feedback:
    """Exercise 5.2: the gradient [3, -4, 0, 0] divided by its root-mean-square."""
    gradient = np.array([3.0, -4.0, 0.0, 0.0])
    rms = np.sqrt(np.mean(gradient**2))
    return check_array(answer, gradient / rms, tolerance=1e-3,
                       hint="The root-mean-square is sqrt(mean of the squares) = sqrt((9 + 16 + 0 + 0) / 4).")


def check_deprocessed_pixel(answer: Any) -> Feedback:
    """Exercise 5.3: the 8-bit value of a pixel of 160 in an image with mean 140 and std 20."""
    expected = ((160 - 140) / 20 * 0.1 + 0.5) * 255
    return check_number(answer, expected, tolerance=1.0,
                        hint="Center (subtract the mean), divide by the std, multiply by 0.1, add 0.5, "
                             "then multiply by 255.")


def check_objective(function: Any) -> Feedback:
    """Exercise 5.4: ``function(activations, filters)`` -> each element's own filter's mean activation.

    ``activations`` has shape (N, C, H, W) and ``filters`` holds N channel
    indices; the answer must be a tensor of N numbers, element ``i`` being the
    mean over height and width of channel ``filters[i]`` of element ``i``.
    """
    import torch

    if function is None:
        return NO_ANSWER
    if not callable(function):
        return Feedback(False, f"Expected a function, got {type(function).__name__}.")
    generator = torch.Generator().manual_seed(5)
    activations = torch.rand(3, 6, 4, 5, generator=generator)
    filters = [4, 0, 4]
    expected = torch.stack([activations[i, f].mean() for i, f in enumerate(filters)])
    try:
        value = function(activations, filters)
        if value is None:
            return NO_ANSWER
        value = torch.as_tensor(value, dtype=torch.float32)
    except Exception as exc:  # the reader's code may fail in any way
        return Feedback(False, f"Your function raised {type(exc).__name__}: {exc}")
    if value.shape != expected.shape:
        return Feedback(False, f"Expected {len(filters)} numbers (one per batch element), got shape "
                        f"{tuple(value.shape)}. Average over height and width only.")
    if not torch.allclose(value, expected, atol=1e-5):
        mixed = activations[:, filters].mean(dim=(2, 3))
        if any(torch.allclose(value, mixed[:, j], atol=1e-5) for j in range(len(filters))):
            return Feedback(False, "Every element used the same filter: element i must use filters[i].")
        return Feedback(False, "The numbers are off. Pick activations[i, filters[i]] and average it.")
    return Feedback(True, "Each element sees only its own filter, so one batch gives the same "
                    "gradients as one filter at a time.")


# -- Chapter 6: Feature maps -----------------------------------------------------


def check_receptive_field_by_hand(answer: Any) -> Feedback:
    """Exercise 6.1: side in pixels of the receptive field of VGG16's block2_conv1."""
    from .vgg_layers import receptive_field

    return check_number(answer, receptive_field("block2_conv1"),
                        hint="Start from 1 pixel. Each 3x3 conv adds 2 steps, the 2x2 pooling adds 1 step "
                             "and doubles the step: block1_conv1 sees 3, block1_conv2 5, block1_pool 6.")


def check_vgg_output_shape(answer: Any) -> Feedback:
    """Exercise 6.2: shape (C, H, W) of block4_pool's output for a 320x480 input."""
    from .vgg_layers import layer_output_shape

    expected = layer_output_shape("block4_pool", 320, 480)
    value = parse_shape(answer, (64, 10, 10))
    if isinstance(value, Feedback):
        return value
    if value == expected:
        return Feedback(True, f"Four poolings divide by 16: 320 / 16 = {expected[1]}, 480 / 16 = {expected[2]}, "
                        f"and block 4 has {expected[0]} channels: {expected}.")
    if len(value) == 3 and value[0] != expected[0]:
        return Feedback(False, f"{value} is not right: count the channels of block 4's convolutions.")
    return Feedback(False, f"{value} is not right. The convs keep height and width; each pooling halves them. "
                    "How many poolings come before block4_pool's output, including itself?")


def check_first_layer_wider_than_100(answer: Any) -> Feedback:
    """Exercise 6.3: the first VGG16 layer whose receptive field is wider than 100 pixels."""
    from .vgg_layers import receptive_field, VGG16_LAYERS

    expected = next(name for name in VGG16_LAYERS if receptive_field(name) > 100)
    return check_choice(answer, expected, list(VGG16_LAYERS),
                        hint="Use cnncourse.receptive_field on each name in VGG16_LAYERS, in order; "
                             "'wider than 100' excludes exactly 100.")


# -- Chapter 7: Where the network looks --------------------------------------------


def check_occlusion_windows(answer: Any) -> Feedback:
    """Exercise 7.1: grey squares of 48x48 pixels, stride 16, over a 224x224 image: how many?"""
    per_side = (224 - 48) // 16 + 1
    return check_number(answer, per_side**2,
                        hint="Count the positions along one side first: the square starts at 0, 16, 32, ... "
                             "and must fit inside the image, like a convolution's output size (chapter 1).")


def check_grad_cam_by_hand(answer: Any) -> Feedback:
    """Exercise 7.2: the Grad-CAM map of two 2x2 activation maps and their gradients."""
    activations = np.array([[[1.0, 0.0], [2.0, 1.0]], [[0.0, 3.0], [1.0, 0.0]]])
    gradients = np.array([[[1.0, 1.0], [1.0, 1.0]], [[-1.0, 0.0], [-2.0, -1.0]]])
    weights = gradients.mean(axis=(1, 2))
    expected = np.maximum((weights[:, None, None] * activations).sum(axis=0), 0)
    return check_array(answer, expected, tolerance=1e-3,
                       hint="Each channel's weight is the mean of its gradient (1 and -1); add the "
                            "weighted maps, then set the negative values to 0.")


def check_sanity_check(answer: Any) -> Feedback:
    """Exercise 7.3: what a map that survives the randomization of the weights tells."""
    choices = ["it explains the network well", "it does not depend on what the network learned",
               "the network was not trained"]
    return check_choice(answer, choices[1], choices,
                        hint="The map stayed the same although the learned weights were replaced by random "
                             "numbers: what can it then be showing?")
