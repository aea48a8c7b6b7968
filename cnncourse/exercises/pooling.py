"""The checkers of chapter 2, "Pooling"."""

from __future__ import annotations

from typing import Any

import numpy as np

from .feedback import Feedback, check_array, check_count, parse_shape


POOL_EXERCISE = np.array([[2, 0, 1, 3], [4, 1, 0, 2], [1, 5, 2, 2], [0, 3, 6, 1]])
"""The 4x4 matrix of exercise 2.1."""


def check_max_pool_by_hand(answer: Any) -> Feedback:
    """Exercise 2.1: 2x2 max pooling (stride 2) of :data:`POOL_EXERCISE`.

    Parameters
    ----------
    answer : array_like, 2-D
        The reader's output matrix.

    Returns
    -------
    Feedback
        The verdict, with a hint when the answer is wrong (``None``: not answered yet).
    """
    from ..ops.pooling import pool2d

    average = "That is average pooling (the mean of each block); max pooling keeps the largest number."
    return check_array(answer, pool2d(POOL_EXERCISE, 2), near=[(pool2d(POOL_EXERCISE, 2, mode="avg"), average)],
                       hint="Split the matrix into four 2x2 blocks and keep the largest number of each.")


def check_pool_output_shape(answer: Any) -> Feedback:
    """Exercise 2.2: shape of 3x3 max pooling, stride 2, on a (64, 112, 112) input.

    Parameters
    ----------
    answer : tuple of int
        The reader's shape, (channels, height, width).

    Returns
    -------
    Feedback
        The verdict, with a hint when the answer is wrong (``None``: not answered yet).
    """
    side = (112 - 3) // 2 + 1
    expected = (64, side, side)
    value = parse_shape(answer, (3, 10, 10))
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
    """Exercise 2.3: weights saved in a 10-output dense layer by 2x2 pooling of 32x16x16 maps.

    Parameters
    ----------
    answer : int
        The reader's count.

    Returns
    -------
    Feedback
        The verdict, with a hint when the answer is wrong (``None``: not answered yet).
    """
    before, after = 32 * 16 * 16 * 10, 32 * 8 * 8 * 10
    lost = "that is how many weights the dense layer has, not how many it loses."
    return check_count(answer, before - after, right=f"{before} - {after} = {before - after} weights.",
                       near={before: lost, after: lost},
                       hint="Count the weights of the dense layer on 32*16*16 inputs and on 32*8*8 inputs "
                            "(one weight per input and output), and subtract.")
