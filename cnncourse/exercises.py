"""Checkers for the chapters' exercises, one section per chapter, in chapter order.

Each checker takes the reader's answer and returns a
:class:`~cnncourse.feedback.Feedback` (a short coloured message in a
notebook); a wrong type or shape is feedback too, never an exception.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .feedback import NO_ANSWER, Feedback, check_array, as_number, check_choice, check_number, parse_shape


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
    value = as_number(answer)
    if value is None:
        return Feedback(False, f"Expected a number, got {type(answer).__name__}.")
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


def _verdict(value: Any, expected: Any, near: dict, right: str, hint: str) -> Feedback:
    """``right`` for ``expected``; a known near miss gets its own reason from ``near``, the rest ``hint``."""
    if value == expected:
        return Feedback(True, right)
    return Feedback(False, f"{value} is not right: {near[value]}" if value in near else f"{value} is not right. {hint}")


def _count(answer: Any, expected: int, near: dict[int, str], right: str, hint: str) -> Feedback:
    """:func:`_verdict` for an answer that must be a whole number (a NumPy or PyTorch scalar will do)."""
    if answer is None:
        return NO_ANSWER
    answer = answer.item() if getattr(answer, "ndim", None) == 0 and hasattr(answer, "item") else answer
    if isinstance(answer, bool) or not isinstance(answer, (int, float)):
        return Feedback(False, f"Expected a whole number, got {type(answer).__name__}.")
    if not float(answer).is_integer():
        return Feedback(False, f"{answer:g} is not a whole number. {hint}")
    return _verdict(int(answer), expected, near, right, hint)


def _fields(layers: list[tuple[str, int, int]]) -> dict[str, int]:
    """The receptive field after each ``(name, kernel, stride)`` layer: r += (k - 1) j, then j *= s."""
    r, j, fields = 1, 1, {}
    for name, k, s in layers:
        r, j = r + (k - 1) * j, j * s
        fields[name] = r
    return fields


def check_stage_shape(answer: Any) -> Feedback:
    """Exercise 4.1: shape (channels, height, width) after ``pool3`` of SmallCNN on a 28x28 image."""
    from .smallcnn import layer_summary, SmallCNN

    stages = {row.name: row.shape for row in layer_summary(SmallCNN(image_size=28), np.zeros((1, 28, 28)))}
    value = parse_shape(answer, (4, 10, 10))
    if isinstance(value, Feedback):
        return value
    near = {(32, 4, 4): "pool3 halves 7 rows and columns to 3, not 4: the last row and column are dropped.",
            stages["relu3"]: "that is relu3's output; pool3 halves it once more.",
            stages["pool2"]: "that is pool2's output; conv3 and pool3 come after it.",
            (3, 3, 32): "give the channels first: (channels, height, width)."}
    return _verdict(value, stages["pool3"], near,
                    right="conv3 has 32 filters, and three poolings take 28 to 14, 7 and 3 (7 / 2 rounded down).",
                    hint="The channels are conv3's filters; count the poolings for height and width.")


def check_conv_params(answer: Any) -> Feedback:
    """Exercise 4.2: parameters of conv1 with 8 filters of 7x7 on a 1-channel input."""
    return _count(answer, 8 * (7 * 7 * 1) + 8,
                  {392: "add one bias per filter.", 393: "each of the 8 filters has its own bias.",
                   50: "that is one filter; conv1 has 8.", 208: "that is conv1 with 5x5 kernels."},
                  right="8 filters of 7 x 7 x 1 weights, plus 8 biases: 400.",
                  hint="Each filter has kh x kw x in_channels weights, plus one bias.")


def check_fc_inputs(answer: Any) -> Feedback:
    """Exercise 4.3: inputs of SmallCNN's ``fc`` layer for 64x64 images."""
    from .smallcnn import SmallCNN

    n = SmallCNN(image_size=64).fc.in_features
    return _count(answer, n, {512: "that is for 32x32 images.", 8192: "there are three poolings, not two.",
                              4096: "fc's inputs are conv3's pooled maps, not the pixels.",
                              6 * n: "that counts fc's weights, not its inputs.",
                              6 * n + 6: "that counts fc's parameters, not its inputs."},
                  right="64 / 2 / 2 / 2 = 8, and conv3 has 32 channels: 32 x 8 x 8 = 2048.",
                  hint="Three poolings halve 64 three times; multiply by the 32 channels of conv3.")


def check_receptive_field_7x7(answer: Any) -> Feedback:
    """Exercise 4.4: theoretical receptive field of ``relu3`` in ``SmallCNN(kernel_sizes=(7, 3, 3))``."""
    fields = _fields([("relu1", 7, 1), ("pool1", 2, 2), ("relu2", 3, 1), ("pool2", 2, 2), ("relu3", 3, 1),
                      ("pool3", 2, 2)])
    near = {20: "that is relu3 with the 5x5 first layer; a 7x7 conv1 adds 6 steps, not 4.",
            fields["relu2"]: "that is relu2; conv3 comes after pool2.", fields["pool3"]: "that is pool3, after relu3.",
            19: "a 2x2 pooling adds 1 step, then doubles the step.", 25: "a pooling adds 1 step of the old size.",
            29: "a k x k convolution adds k - 1 steps, not k."}
    return _count(answer, fields["relu3"], near,
                  right="7, then 8 after pool1, 12 after conv2, 14 after pool2, and conv3 adds 2 steps of 4: 22.",
                  hint="Start from 1 pixel and a step of 1. conv1 alone sees 7 pixels, pool1 8.")


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
    """Exercise 6.1: receptive field of the second 3x3 conv after ResNet's stem (7x7/2 conv, 3x3/2 pool)."""
    r = _fields([("conv", 7, 2), ("pool", 3, 2), ("conv3a", 3, 1), ("conv3b", 3, 1)])["conv3b"]
    near = {19: "after the pooling the step is 4, and each of the two 3x3 convolutions adds 2 steps.",
            17: "the stride-2 convolution doubles the step too, before the pooling.",
            23: "the 3x3 pooling itself widens the field by 2 steps, before it doubles the step.",
            37: "a layer adds (k - 1) steps of its input's step; multiply the step by the stride after.",
            10: "that is VGG16's block2_conv1, from the table."}
    return _count(answer, r, near, right="7 (then a step of 2), 11 after the pooling (then 4), then 19 and 27.",
                  hint="Go layer by layer: the 7x7 convolution gives r = 7, then a step of 2.")


def check_vgg_output_shape(answer: Any) -> Feedback:
    """Exercise 6.2: shape (C, H, W) of block4_pool's output for a 320x480 input."""
    from .vgg_layers import layer_output_shape

    c, h, w = layer_output_shape("block4_pool", 320, 480)
    value = parse_shape(answer, (64, 10, 10))
    if isinstance(value, Feedback):
        return value
    near = {(c, w, h): "height comes before width, and the photo is 320 high.",
            (c, 2 * h, 2 * w): "that is block4_conv3; block4_pool halves it.",
            (c, h // 2, w // 2): "that is block5_pool, one block later.",
            **({value: "count the channels of block 4's convolutions."} if value[0] != c else {})}
    return _verdict(value, (c, h, w), near,
                    right=f"Four poolings divide by 16: 320 / 16 = {h}, 480 / 16 = {w}, and block 4 has {c} "
                          f"channels: {(c, h, w)}.",
                    hint="The convs keep height and width; each pooling halves them. How many poolings come "
                         "before block4_pool's output, including itself?")


def check_first_layer_wider_than_100(answer: Any) -> Feedback:
    """Exercise 6.3: the first layer wider than 100 pixels if every VGG16 conv were 5x5 (padding 2)."""
    from .vgg_layers import VGG16_LAYERS, receptive_field

    fields = _fields([(name, 2, 2) if name.endswith("_pool") else (name, 5, 1) for name in VGG16_LAYERS])
    expected = next(name for name, field in fields.items() if field > 100)
    if isinstance(answer, str) and answer in fields and answer != expected:
        if answer == next(name for name in VGG16_LAYERS if receptive_field(name) > 100):
            return Feedback(False, f"{answer!r} is not right: that is the answer for VGG16's 3x3 kernels (the "
                                   "table); a 5x5 convolution adds 4 steps, not 2.")
        return Feedback(False, f"{answer!r} is not right: with 5x5 kernels it sees {fields[answer]} pixels"
                               + (", not over 100." if fields[answer] <= 100 else "; an earlier layer sees over 100."))
    if answer == expected:
        return Feedback(True, f"With 5x5 kernels block3_pool sees 80 pixels, and {expected} adds 4 steps of 8: "
                              f"{fields[expected]}.")
    return check_choice(answer, expected, list(VGG16_LAYERS),
                        hint="Walk VGG16_LAYERS in order: a 5x5 conv adds 4 steps, a 2x2 pooling 1 step, then "
                             "doubles the step.")


# -- Chapter 7: Where the network looks --------------------------------------------


def _whole_number(answer: Any, what: str) -> int | Feedback:
    """``answer`` as an int, or the feedback that asks for a whole number of ``what``."""
    if isinstance(answer, (bool, np.bool_)) or not isinstance(answer, (int, float, np.integer, np.floating)):
        return Feedback(False, f"Give a whole number of {what} (an int), not {type(answer).__name__}.")
    if not float(answer).is_integer():
        return Feedback(False, f"{answer:g} is not a whole number: there is no fraction of a {what[:-1]}.")
    return int(answer)


def check_occlusion_windows(answer: Any) -> Feedback:
    """Exercise 7.1: grey squares of 48x48 pixels, stride 16, over a 224x224 image: how many?"""
    if answer is None or isinstance(answer, (bool, np.bool_)) or not isinstance(answer, (int, float, np.number)):
        return NO_ANSWER if answer is None else Feedback(False, f"Give a whole number (an int), not {answer!r}.")
    if not float(answer).is_integer():
        return Feedback(False, f"{answer:g} is not a whole number: there is no fraction of a forward pass.")
    value, side = int(answer), (224 - 48) // 16 + 1
    if value == side**2:
        return Feedback(True, f"The answer is {value}: {side} positions along each side, one pass per window.")
    wrong = {side: "That is the number of positions along one side; the square also moves down the photo.",
             (224 // 16) ** 2: "The square must lie inside the photo: its last start along a side is 224 - 48.",
             (side - 1) ** 2: "One position per side is missing: the first start, 0, counts too.",
             ((224 - 32) // 16 + 1) ** 2: "That is the count for the chapter's 32x32 square; this one is 48x48."}
    return Feedback(False, f"{value} is not right. " + wrong.get(value, "Count the positions along one side "
                    "first: the square starts at 0, 16, 32, ... and must fit inside the image (chapter 1)."))


def check_grad_cam_by_hand(answer: Any) -> Feedback:
    """Exercise 7.2: the Grad-CAM map of two 2x2 activation maps ``a`` and their gradients ``g``."""
    a = np.array([[[2.0, 0.0], [1.0, 3.0]], [[1.0, 2.0], [0.0, 1.0]]])
    g = np.array([[[3.0, 0.0], [1.0, 2.0]], [[-1.0, 0.0], [-2.0, 1.0]]])
    weights = g.mean(axis=(1, 2))
    weighted = (weights[:, None, None] * a).sum(axis=0)
    expected = np.maximum(weighted, 0)
    mistakes = [  # (a plausible wrong map, what went wrong)
        (weighted, "Some values are negative: Grad-CAM keeps only the positive part (the ReLU) of the sum."),
        (np.maximum((g * a).sum(axis=0), 0), "Each value was multiplied by its own gradient: Grad-CAM first "
                                             "averages each channel's gradient into one weight per channel."),
        (np.maximum(weights[:, None, None] * a, 0).sum(axis=0), "The ReLU came before the sum, so the channel "
         "that speaks against the class was dropped: add the weighted channels, then keep the positive part."),
        (expected * 4, "Four times too large: a channel's weight is the mean of its gradient, not the sum."),
        (expected / expected.max(), "This map is scaled to [0, 1]: give it before the scaling."),
        (expected.T, "Rows and columns are swapped.")]
    try:
        value = np.asarray(answer, dtype=float)
    except (TypeError, ValueError):
        value = np.zeros(0)
    for other, message in mistakes:
        if value.shape == (2, 2) and np.allclose(value, other, atol=1e-3, rtol=0):
            return Feedback(False, message)
    return check_array(answer, expected, tolerance=1e-3, hint="One weight per channel, from its gradient (the "
                       "formula for alpha_k); the weighted sum of the channels; then the ReLU.")


def check_sanity_check(answer: Any) -> Feedback:
    """Exercise 7.3: which methods' maps keep something of the photo when the weights are randomized?"""
    if answer is None or isinstance(answer, str) or not isinstance(answer, (list, tuple, set, frozenset)):
        return NO_ANSWER if answer is None else Feedback(False, "Give a list of letters, such as ['P'] or "
                                                                f"['P', 'R'] (or [] for none), not {answer!r}.")
    # Per method: rank correlation of the trained and random-weights maps, and with another photo's.
    table = {"P": (0.04, 0.09), "Q": (0.55, 0.10), "R": (0.93, 0.12)}
    chosen = {str(item).strip().upper() for item in answer}
    if chosen - set(table):
        return Feedback(False, f"{sorted(chosen - set(table))[0]!r} is not one of {sorted(table)}.")
    expected = {name for name, (photo, other) in table.items() if photo > other}
    if chosen == expected:
        return Feedback(True, f"The answer is {sorted(expected)}: their trained maps stay closer to the random-"
                              "weights map of the same photo than to its map of another photo.")
    return Feedback(False, "Not all of them: compare each method's first number with its control, not with 1."
                    if chosen < expected else "At least one of these maps changed completely: its trained map is "
                    "no closer to the random-weights map of this photo than to its map of another photo.")
