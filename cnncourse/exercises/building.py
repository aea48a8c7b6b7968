"""The checkers of chapter 4, "Building a CNN"."""

from __future__ import annotations

from typing import Any

import numpy as np

from .feedback import NO_ANSWER, Feedback, check_count, check_shape


def receptive_fields(layers: list[tuple[str, int, int]]) -> dict[str, int]:
    """The receptive field after each ``(name, kernel, stride)`` layer: r += (k - 1) j, then j *= s.

    Parameters
    ----------
    layers : list of (str, int, int)
        Each layer's name, kernel size and stride, input first.

    Returns
    -------
    dict of str to int
        Each layer's receptive field side, in input pixels.
    """
    from ..nets.receptive import fields

    return {name: field.side for name, field in fields([(name, k, s, 0) for name, k, s in layers]).items()}


def check_stage_shape(answer: Any) -> Feedback:
    """Exercise 4.1: shape (channels, height, width) after ``pool3`` of SmallCNN on a 28x28 image.

    Parameters
    ----------
    answer : tuple of int
        The reader's shape, (channels, height, width).

    Returns
    -------
    Feedback
        The verdict, with a hint when the answer is wrong (``None``: not answered yet).
    """
    from ..nets.smallcnn import layer_summary, SmallCNN

    stages = {row.name: row.shape for row in layer_summary(SmallCNN(side=28), np.zeros((1, 28, 28)))}
    near = {(32, 4, 4): "pool3 halves 7 rows and columns to 3, not 4: the last row and column are dropped.",
            stages["relu3"]: "that is relu3's output; pool3 halves it once more.",
            stages["pool2"]: "that is pool2's output; conv3 and pool3 come after it.",
            (3, 3, 32): "give the channels first: (channels, height, width)."}
    return check_shape(answer, stages["pool3"], near,
                       right="conv3 has 32 filters, and three poolings take 28 to 14, 7 and 3 (7 / 2 rounded down).",
                       hint="The channels are conv3's filters; count the poolings for height and width.")


def check_conv_params(answer: Any) -> Feedback:
    """Exercise 4.2: parameters of conv1 with 8 filters of 7x7 on a 1-channel input.

    Parameters
    ----------
    answer : int
        The reader's count.

    Returns
    -------
    Feedback
        The verdict, with a hint when the answer is wrong (``None``: not answered yet).
    """
    return check_count(answer, 8 * (7 * 7 * 1) + 8,
                  {392: "add one bias per filter.", 393: "each of the 8 filters has its own bias.",
                   50: "that is one filter; conv1 has 8.", 208: "that is conv1 with 5x5 kernels."},
                  right="8 filters of 7 x 7 x 1 weights, plus 8 biases: 400.",
                  hint="Each filter has kh x kw x in_channels weights, plus one bias.")


def check_fc_inputs(answer: Any) -> Feedback:
    """Exercise 4.3: inputs of SmallCNN's ``fc`` layer for 64x64 images.

    Parameters
    ----------
    answer : int
        The reader's count.

    Returns
    -------
    Feedback
        The verdict, with a hint when the answer is wrong (``None``: not answered yet).
    """
    from ..nets.smallcnn import SmallCNN

    n = SmallCNN(side=64).fc.in_features
    return check_count(answer, n, {512: "that is for 32x32 images.", 8192: "there are three poolings, not two.",
                              4096: "fc's inputs are conv3's pooled maps, not the pixels.",
                              6 * n: "that counts fc's weights, not its inputs.",
                              6 * n + 6: "that counts fc's parameters, not its inputs."},
                  right="64 / 2 / 2 / 2 = 8, and conv3 has 32 channels: 32 x 8 x 8 = 2048.",
                  hint="Three poolings halve 64 three times; multiply by the 32 channels of conv3.")


def check_receptive_field_7x7(answer: Any) -> Feedback:
    """Exercise 4.4: theoretical receptive field of ``relu3`` in ``SmallCNN(kernel_sizes=(7, 3, 3))``.

    Parameters
    ----------
    answer : int
        The reader's side, in pixels.

    Returns
    -------
    Feedback
        The verdict, with a hint when the answer is wrong (``None``: not answered yet).
    """
    fields = receptive_fields([("relu1", 7, 1), ("pool1", 2, 2), ("relu2", 3, 1), ("pool2", 2, 2), ("relu3", 3, 1),
                      ("pool3", 2, 2)])
    near = {20: "that is relu3 with the 5x5 first layer; a 7x7 conv1 adds 6 steps, not 4.",
            fields["relu2"]: "that is relu2; conv3 comes after pool2.", fields["pool3"]: "that is pool3, after relu3.",
            19: "a 2x2 pooling adds 1 step, then doubles the step.", 25: "a pooling adds 1 step of the old size.",
            29: "a k x k convolution adds k - 1 steps, not k."}
    return check_count(answer, fields["relu3"], near,
                  right="7, then 8 after pool1, 12 after conv2, 14 after pool2, and conv3 adds 2 steps of 4: 22.",
                  hint="Start from 1 pixel and a step of 1. conv1 alone sees 7 pixels, pool1 8.")


def check_misread_drawing(answer: Any, model: Any = None) -> Feedback:
    """Exercise 4.5: a drawing the trained network gets wrong, as ``(image, the class you meant)``.

    Parameters
    ----------
    answer : tuple of (array_like, str)
        The drawing (32 x 32, values in [0, 1], such as ``DrawExplorer.image``)
        and the name of the class it shows, one of ``SHAPE_CLASSES``.
    model : torch.nn.Module
        The trained network whose answer is checked.

    Returns
    -------
    Feedback
        Right when the network's most likely class is not the one meant; the
        message names both (``None``: not answered yet).
    """
    import torch

    from ..nets.shapes import SHAPE_CLASSES

    if answer is None:
        return NO_ANSWER
    if model is None or not isinstance(model, torch.nn.Module):
        return Feedback(False, "Pass the trained network as well: check_misread_drawing(answer, model).")
    if not isinstance(answer, (tuple, list)) or len(answer) != 2:
        return Feedback(False, "Give a pair: (your drawing, the class you meant), e.g. (draw.image, 'ring').")
    image, meant = answer
    if isinstance(meant, (int, np.integer)) and not isinstance(meant, bool):
        return Feedback(False, "Give the class by its name, such as 'ring', not by its number.")
    if not isinstance(meant, str) or meant not in SHAPE_CLASSES:
        return Feedback(False, "The class you meant must be one of: " + ", ".join(SHAPE_CLASSES) + ".")
    if isinstance(image, torch.Tensor):
        image = image.detach().cpu().numpy()
    try:
        pixels = np.asarray(image, dtype=np.float32)
    except (TypeError, ValueError):
        return Feedback(False, "The drawing must be an array of numbers, such as draw.image.")
    pixels = pixels.reshape(pixels.shape[-2:]) if pixels.ndim > 2 and pixels.size == 32 * 32 else pixels
    if pixels.shape != (32, 32):
        return Feedback(False, f"The drawing must be 32 x 32 pixels, like draw.image; this one has shape "
                               f"{tuple(pixels.shape)}.")
    if not np.isfinite(pixels).all() or pixels.min() < 0 or pixels.max() > 1:
        return Feedback(False, "The drawing's values must lie between 0 (black) and 1 (white), like draw.image.")
    if int((pixels > 0.25).sum()) < 5:
        return Feedback(False, "The drawing is (almost) blank: draw a shape first.")
    with torch.no_grad():
        parameter = next(model.parameters(), None)
        x = torch.from_numpy(pixels)[None, None]
        if parameter is not None:
            x = x.to(parameter.device, parameter.dtype)
        was_training = model.training
        model.eval()
        try:
            probabilities = torch.softmax(model(x)[0], dim=0)
        finally:
            model.train(was_training)
    said = SHAPE_CLASSES[int(probabilities.argmax())]
    share = f"{float(probabilities.max()):.0%}"
    if said == meant:
        return Feedback(False, f"The network gets this one right: it says {said} ({share}). Try a shape it "
                               f"never saw in training: at the edge, broken, or mixed with another.")
    return Feedback(True, f"You meant {meant}; the network says {said} ({share}). Now compare the maps "
                          f"with those of a {meant} it gets right: where do they part?")
