"""The checkers of chapter 6, "Feature maps"."""

from __future__ import annotations

from typing import Any


from .building import receptive_fields
from .feedback import Feedback, check_choice, check_count, parse_shape, verdict


def check_receptive_field_by_hand(answer: Any) -> Feedback:
    """Exercise 6.1: receptive field of the second 3x3 conv after ResNet's stem (7x7/2 conv, 3x3/2 pool).

    Parameters
    ----------
    answer : int
        The reader's side, in pixels.

    Returns
    -------
    Feedback
        The verdict, with a hint when the answer is wrong (``None``: not answered yet).
    """
    r = receptive_fields([("conv", 7, 2), ("pool", 3, 2), ("conv3a", 3, 1), ("conv3b", 3, 1)])["conv3b"]
    near = {19: "after the pooling the step is 4, and each of the two 3x3 convolutions adds 2 steps.",
            17: "the stride-2 convolution doubles the step too, before the pooling.",
            23: "the 3x3 pooling itself widens the field by 2 steps, before it doubles the step.",
            37: "a layer adds (k - 1) steps of its input's step; multiply the step by the stride after.",
            10: "that is VGG16's block2_conv1, from the table."}
    return check_count(answer, r, near, right="7 (then a step of 2), 11 after the pooling (then 4), then 19 and 27.",
                       hint="Go layer by layer: the 7x7 convolution gives r = 7, then a step of 2.")


def check_vgg_output_shape(answer: Any) -> Feedback:
    """Exercise 6.2: shape (C, H, W) of block4_pool's output for a 320x480 input.

    Parameters
    ----------
    answer : tuple of int
        The reader's shape, (C, H, W).

    Returns
    -------
    Feedback
        The verdict, with a hint when the answer is wrong (``None``: not answered yet).
    """
    from ..nets.vgg_layers import layer_output_shape

    c, h, w = layer_output_shape("block4_pool", height=320, width=480)
    value = parse_shape(answer, (64, 10, 10))
    if isinstance(value, Feedback):
        return value
    near = {(c, w, h): "height comes before width, and the photo is 320 high.",
            (c, 2 * h, 2 * w): "that is block4_conv3; block4_pool halves it.",
            (c, h // 2, w // 2): "that is block5_pool, one block later.",
            **({value: "count the channels of block 4's convolutions."} if value[0] != c else {})}
    return verdict(value, (c, h, w), near,
                   right=f"Four poolings divide by 16: 320 / 16 = {h}, 480 / 16 = {w}, and block 4 has {c} "
                          f"channels: {(c, h, w)}.",
                    hint="The convs keep height and width; each pooling halves them. How many poolings come "
                         "before block4_pool's output, including itself?")


def check_first_layer_wider_than_100(answer: Any) -> Feedback:
    """Exercise 6.3: the first layer wider than 100 pixels if every VGG16 conv were 5x5 (padding 2).

    Parameters
    ----------
    answer : str
        The reader's layer, one of :data:`cnncourse.VGG16_LAYERS`.

    Returns
    -------
    Feedback
        The verdict, with a hint when the answer is wrong (``None``: not answered yet).
    """
    from ..nets.vgg_layers import VGG16_LAYERS, receptive_field

    fields = receptive_fields([(name, 2, 2) if name.endswith("_pool") else (name, 5, 1) for name in VGG16_LAYERS])
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
