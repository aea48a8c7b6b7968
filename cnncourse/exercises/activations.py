"""The checkers of chapter 3, "Activation functions"."""

from __future__ import annotations

from typing import Any


from .feedback import NO_ANSWER, Feedback, as_number, check_choice, check_shape


def check_sigmoid_depth(answer: Any) -> Feedback:
    """Exercise 3.1: the largest factor sigmoid derivatives can give through 10 layers, 0.25**10.

    Parameters
    ----------
    answer : float
        The reader's number.

    Returns
    -------
    Feedback
        The verdict, with a hint when the answer is wrong (``None``: not answered yet).
    """
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
    """Exercise 3.2: is ReLU then max pooling the same as max pooling then ReLU?

    Parameters
    ----------
    answer : str
        The reader's choice, ``"same"`` or ``"different"``.

    Returns
    -------
    Feedback
        The verdict, with a hint when the answer is wrong (``None``: not answered yet).
    """
    return check_choice(answer, "same", ["same", "different"],
                        hint="Both take a maximum: try max(relu(a), relu(b)) and relu(max(a, b)) on a few numbers.")


def check_block_shape(answer: Any) -> Feedback:
    """Exercise 3.3: shape after conv (16 filters 3x3, padding 1) -> ReLU -> 2x2 max pool on (3, 64, 64).

    Parameters
    ----------
    answer : tuple of int
        The reader's shape, (channels, height, width).

    Returns
    -------
    Feedback
        The verdict, with a hint when the answer is wrong (``None``: not answered yet).
    """
    expected = (16, 32, 32)
    return check_shape(answer, expected, right="16 filters give 16 channels, padding 1 keeps 64x64, ReLU keeps "
                       "the shape, pooling halves it: (16, 32, 32).",
                       hint="Follow the shape one stage at a time: conv, ReLU, pool.",
                       near={(16, 64, 64): "that is before the pooling, which halves height and width.",
                             (3, 32, 32): "the convolution's 16 filters give 16 channels."})
