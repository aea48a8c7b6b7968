"""The checkers of chapter 5, "What filters want to see"."""

from __future__ import annotations

from typing import Any

import numpy as np

from .feedback import NO_ANSWER, Feedback, check_array, check_number


def check_dense_inputs(answer: Any) -> Feedback:
    """Exercise 5.1: inputs of VGG16's first dense layer (512 maps of 7x7 for a 224x224 image).

    Parameters
    ----------
    answer : int
        The reader's count.

    Returns
    -------
    Feedback
        The verdict, with a hint when the answer is wrong (``None``: not answered yet).
    """
    return check_number(answer, 512 * 7 * 7,
                        hint="block5_pool's output for a 224x224 image is 512 maps of 224 / 32 = 7 by 7 "
                             "pixels, flattened into one vector.")


def check_normalized_gradient(answer: Any) -> Feedback:
    """Exercise 5.2: the gradient [3, -4, 0, 0] divided by its root-mean-square.

    Parameters
    ----------
    answer : array_like
        The reader's four numbers.

    Returns
    -------
    Feedback
        The verdict, with a hint when the answer is wrong (``None``: not answered yet).
    """
    gradient = np.array([3.0, -4.0, 0.0, 0.0])
    rms = np.sqrt(np.mean(gradient**2))
    return check_array(answer, gradient / rms, tolerance=1e-3,
                       hint="The root-mean-square is sqrt(mean of the squares) = sqrt((9 + 16 + 0 + 0) / 4).")


def check_deprocessed_pixel(answer: Any) -> Feedback:
    """Exercise 5.3: the 8-bit value of a pixel of 160 in an image with mean 140 and std 20.

    Parameters
    ----------
    answer : int or float
        The reader's value, in [0, 255].

    Returns
    -------
    Feedback
        The verdict, with a hint when the answer is wrong (``None``: not answered yet).
    """
    expected = ((160 - 140) / 20 * 0.1 + 0.5) * 255
    return check_number(answer, expected, tolerance=1.0,
                        hint="Center (subtract the mean), divide by the std, multiply by 0.1, add 0.5, "
                             "then multiply by 255.")


def check_objective(function: Any) -> Feedback:
    """Exercise 5.4: ``function(activations, filters)`` -> each element's own filter's mean activation.

    ``activations`` has shape (N, C, H, W) and ``filters`` holds N channel
    indices; the answer must be a tensor of N numbers, element ``i`` being the
    mean over height and width of channel ``filters[i]`` of element ``i``.

    Parameters
    ----------
    function : callable
        The reader's ``function(activations, filters)``.

    Returns
    -------
    Feedback
        The verdict, with a hint when the answer is wrong (``None``: not answered yet).
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
