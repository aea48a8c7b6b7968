"""The figures of chapter 4, Building and training a CNN.

Each function draws one figure of the chapter and returns it; its alt text is
the constant of the same name with ``_ALT`` (the cell's ``mystnb.image.alt``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import torch
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from ..ops.convolution import conv2d
from ..figures.curves import ResponsiveFigure, plot_history
from ..ops.images import to_grayscale
from ..figures.plotting import image_grid, plot_class_responses, plot_feature_maps, plot_filter_rows
from ..nets.shapes import SHAPE_CLASSES

TRAINING_IMAGES_ALT = 'Eighteen noisy 32 by 32 grayscale images in three rows of six: in each row a horizontal line, a vertical line, a diagonal line, a right-angled corner, a cross and a ring, drawn as bright strokes at different places, sizes, thicknesses and slight angles on darker, noisy backgrounds, some with small specks of clutter.'
HISTORY_ALT = 'Two line charts over 10 epochs, training as a solid blue line with circles, validation as a dashed orange line with squares. Left, the cross-entropy loss: both fall steeply over the first epochs, then more slowly, and end close to zero. Right, the accuracy: both rise steeply over the first epochs, then level off near the top, the two curves ending close together.'
FIRST_LAYER_ALT = 'Four rows of eight 5 by 5 red-and-blue filters on one colour scale. Before training they are faint random speckle. After one epoch some have grown stronger; after ten epochs several carry a clear bar or edge, vertical, horizontal or slanted, on top of what remains of the speckle. The last row, the change made by training, shows these bars and edges without the random start.'
EXAMPLE_ALT = 'The validation image used below: a bright right-angled corner on a noisy dark background.'
STAGE_MAPS_ALT = 'Three rows of eight feature maps in the viridis colour map. Row relu1, 32 by 32: the corner appears in every map, some maps keeping mostly the horizontal arm, others the vertical arm or the whole corner. Row relu2, 16 by 16: coarser maps, each bright along part of the corner. Row relu3, 8 by 8: a few bright cells on a dark background, along one arm or the other; a map whose channel does not respond to this image is dark throughout.'
RECEPTIVE_FIELDS_ALT = "Three square panels, one per layer (relu1, relu2, relu3), each showing the 32 by 32 input in the viridis colour map, each scaled to its own largest value: dark where the gradient of the layer's centre value is zero, brighter where it is larger. A white dashed square marks the theoretical receptive field, 5, 10 and 20 pixels wide. The bright region stays inside the square and grows from panel to panel; for relu1 it is an irregular patchwork, the filter's weights, and for relu2 and relu3 it is uneven, fading towards the edges of the square."
CLASS_RESPONSES_ALT = 'A heat map with the six classes as rows and the 32 channels of relu3 as columns, in the cividis colour map, each column scaled to its own largest value. The columns differ: some are bright for vertical lines and dark for horizontal ones, some the reverse, some brightest for diagonal lines; the ring row is bright in many columns, the corner and cross rows mostly middling. A channel that never fires is a column that is dark throughout.'
SECOND_LAYER_INPUTS_ALT = 'Sixteen grayscale 32 by 32 images, one per channel of the second layer, each at full contrast. Most are stripes, parallel bright and dark bands at one orientation, horizontal, vertical or diagonal, some bent or broken. Where the ascent found nothing to change, the gray start remains, which at full contrast looks like fine even speckle.'
THIRD_LAYER_INPUTS_ALT = 'Sixteen grayscale 32 by 32 images for channels 0 to 15 of the third layer, each at full contrast: mostly bands and stripes at one orientation each, some bent or crossing, less regular than those of the second layer. Where the ascent found nothing to change, the gray start remains, which at full contrast looks like fine even speckle.'
FILTERS_ON_A_PHOTO_ALT = 'The grayscale cat photo and four response maps in red and blue, centred on zero. Each map highlights edges and thin lines, such as the outlines of the eyes and the nose and the stripes of the fur, in red where the filter matches and blue where the contrast is reversed; each filter favours edges of its own orientation.'


def training_images(split: Any) -> Figure:
    """The first three training images of each class, one row of six classes at a time.

    Parameters
    ----------
    split : ShapesSplit
        The images (:func:`cnncourse.train_val_split`).

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> from cnncourse import make_shapes, train_val_split
    >>> split = train_val_split(*make_shapes(60, seed=0), val_fraction=0.2, seed=0)
    >>> len(training_images(split).axes)
    18
    """
    picks = [int(torch.nonzero(split.train_labels == k)[j]) for j in range(3) for k in range(len(SHAPE_CLASSES))]
    return image_grid([split.train_images[i, 0] for i in picks],
                      titles=[SHAPE_CLASSES[int(split.train_labels[i])] for i in picks], ncols=6, panel_inches=1.6,
                      title="Training images, three per class")


def history(history: dict[str, Any]) -> ResponsiveFigure:
    """Loss and accuracy while training (``TrainingRun.history``): side by side, one above the other on a phone.

    Parameters
    ----------
    history : dict of str to list of float
        ``TrainingRun.history``: the four curves, one number per epoch.

    Returns
    -------
    ResponsiveFigure
        A wide figure and its narrow (phone) layout.

    Examples
    --------
    >>> values = {key: [1.0, 0.5] for key in ("train_loss", "val_loss", "train_accuracy", "val_accuracy")}
    >>> history(values).alt == HISTORY_ALT
    True
    """
    return ResponsiveFigure.of(plot_history, history, title="Loss and accuracy while training",
                               narrow=dict(columns=1), alt=HISTORY_ALT)


def _conv1(run: Any, step: int) -> torch.Tensor:
    """The first layer's weights in the checkpoint taken after ``step`` updates."""
    for checkpoint in run.checkpoints:
        if checkpoint.step == step:
            return checkpoint.state["conv1.weight"]
    raise ValueError(f"run has no checkpoint after step {step}; it has {[c.step for c in run.checkpoints]}")


def first_layer(run: Any) -> Figure:
    """The 8 filters of conv1 before training, after one epoch, at the end, and the change training made.

    ``run`` is a :class:`cnncourse.TrainingRun` with checkpoints at step 0, after one epoch and at the end.

    Parameters
    ----------
    run : TrainingRun
        With checkpoints at step 0, after one epoch and at the end.

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> first_layer(run)  # doctest: +SKIP
    """
    last = run.checkpoints[-1]
    before, partway, after = _conv1(run, 0), _conv1(run, run.steps_per_epoch), last.state["conv1.weight"]
    return plot_filter_rows([before, partway, after, after - before],
                            ["before training", "after 1 epoch", f"after {last.epoch:g} epochs",
                             "change\n(after - before)"],
                            title="The 8 filters of conv1")


def example(image: Any) -> Figure:
    """The validation image (a corner) whose feature maps follow.

    Parameters
    ----------
    image : array_like, 2-D
        The validation image.

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> len(example(np.zeros((32, 32))).axes)
    1
    """
    return image_grid([image], titles=["input: a corner"], panel_inches=2.2)


def stage_maps(maps: dict[str, Any]) -> ResponsiveFigure:
    """The first 8 channels of each stage's maps (a dict: stage name -> (channels, H, W)), a row per stage.

    Parameters
    ----------
    maps : dict of str to tensor, shape (C, H, W)
        Stage name -> its maps for one image; C at least 8.

    Returns
    -------
    ResponsiveFigure
        A wide figure and its narrow (phone) layout.

    Examples
    --------
    >>> stage_maps({"relu1": torch.rand(8, 32, 32), "relu2": torch.rand(16, 16, 16)}).alt == STAGE_MAPS_ALT
    True
    """
    return ResponsiveFigure.of(plot_feature_maps, maps, range(8), panel_inches=1.3,
                               title="The corner after each block's ReLU (first 8 channels)",
                               narrow=dict(ncols=4, panel_inches=0.9), alt=STAGE_MAPS_ALT)


def _fields_with_squares(fields: dict[str, Any], square: Callable[[str], slice], **layout: Any) -> Figure:
    rows = {layer: square(layer) for layer in fields}
    sides = {layer: rows[layer].stop - rows[layer].start for layer in fields}
    fig = image_grid([field.numpy() for field in fields.values()], cmap="viridis", **layout,
                     titles=[f"{layer}: {sides[layer]} x {sides[layer]} field" for layer in fields])
    for ax, layer in zip(fig.axes, fields):
        start, side = rows[layer].start, sides[layer]
        ax.add_patch(Rectangle((start - 0.5, start - 0.5), side, side,
                               fill=False, edgecolor="white", linestyle="--", linewidth=1.5))
    return fig


def receptive_fields(fields: dict[str, Any], square: Callable[[str], slice]) -> ResponsiveFigure:
    """Effective receptive fields (a dict: layer -> (32, 32) mean |gradient|), each with its theoretical
    receptive field as a dashed square; ``square(layer)`` gives its rows (and columns) as a slice.

    One row; on a phone two columns.

    Parameters
    ----------
    fields : dict of str to tensor, shape (32, 32)
        Layer -> mean absolute gradient.
    square : callable
        ``square(layer)``: the rows (and columns) of its theoretical field, a slice.

    Returns
    -------
    ResponsiveFigure
        A wide figure and its narrow (phone) layout.

    Examples
    --------
    >>> figure = receptive_fields({"relu1": torch.rand(32, 32)}, lambda layer: slice(14, 19))
    >>> figure.wide.axes[0].get_title()
    'relu1: 5 x 5 field'
    """
    return ResponsiveFigure(
        _fields_with_squares(fields, square, panel_inches=2.4,
                             title="Mean |gradient| of one centre value, per input pixel"),
        _fields_with_squares(fields, square, ncols=2, panel_inches=1.9,
                             title="Mean |gradient| of one centre value,\nper input pixel"),
        alt=RECEPTIVE_FIELDS_ALT)


def class_responses(responses: Any) -> ResponsiveFigure:
    """The mean response of relu3's 32 channels (columns) to each class (rows); on a phone, turned upright.

    Parameters
    ----------
    responses : tensor or array, shape (classes, 32)
        Mean response of each channel to each class.

    Returns
    -------
    ResponsiveFigure
        A wide figure and its narrow (phone) layout.

    Examples
    --------
    >>> from cnncourse.chapter_figures import building as figures
    >>> figures.class_responses(torch.rand(6, 32)).alt == CLASS_RESPONSES_ALT
    True
    """
    return ResponsiveFigure.of(plot_class_responses, responses, SHAPE_CLASSES,
                               title="Mean response of the 32 channels of relu3, per class",
                               narrow=dict(vertical=True), alt=CLASS_RESPONSES_ALT)


def second_layer_inputs(images: Any) -> ResponsiveFigure:
    """The inputs that excite relu2's 16 channels most (``preferred_inputs``), eight to a row, four on a phone.

    Parameters
    ----------
    images : tensor, shape (16, 1, H, W)
        One preferred input per channel.

    Returns
    -------
    ResponsiveFigure
        A wide figure and its narrow (phone) layout.

    Examples
    --------
    >>> second_layer_inputs(torch.rand(16, 1, 32, 32)).alt == SECOND_LAYER_INPUTS_ALT
    True
    """
    return ResponsiveFigure.of(
        image_grid, [im[0] for im in images], titles=[f"relu2 · {k}" for k in range(16)], ncols=8,
        panel_inches=1.3, title="Inputs that excite the 16 channels of the second layer most",
        narrow=dict(ncols=4, panel_inches=1.0, title="Inputs that excite the 16 channels\nof the second layer most"),
        alt=SECOND_LAYER_INPUTS_ALT)


def third_layer_inputs(images: Any) -> ResponsiveFigure:
    """The inputs that excite channels 0-15 of relu3 most, eight to a row, four on a phone.

    Parameters
    ----------
    images : tensor, shape (C, 1, H, W)
        One preferred input per channel; C at least 16.

    Returns
    -------
    ResponsiveFigure
        A wide figure and its narrow (phone) layout.

    Examples
    --------
    >>> third_layer_inputs(torch.rand(32, 1, 32, 32)).alt == THIRD_LAYER_INPUTS_ALT
    True
    """
    return ResponsiveFigure.of(
        image_grid, [im[0] for im in images[:16]], titles=[f"relu3 · {k}" for k in range(16)], ncols=8,
        panel_inches=1.3, title="Inputs that excite channels 0-15 of the third layer most",
        narrow=dict(ncols=4, panel_inches=1.0, title="Inputs that excite channels 0-15\nof the third layer most"),
        alt=THIRD_LAYER_INPUTS_ALT)


def filters_on_a_photo(run: Any, photo: Any) -> ResponsiveFigure:
    """The four first-layer filters that training changed most, mean removed, on the photo in grayscale
    at half size (its lines then about as thick as the shapes'), without padding (no false edge at the
    border).

    Parameters
    ----------
    run : TrainingRun
        Its first and last checkpoints give the change training made.
    photo : array_like, shape (H, W, 3)
        The photo.

    Returns
    -------
    ResponsiveFigure
        A wide figure and its narrow (phone) layout.

    Examples
    --------
    >>> filters_on_a_photo(run, load_sample("cat"))  # doctest: +SKIP
    """
    gray = to_grayscale(photo)[::2, ::2]
    before, after = _conv1(run, 0), run.checkpoints[-1].state["conv1.weight"]
    change = (after - before).flatten(1).norm(dim=1)
    chosen = change.argsort(descending=True)[:4].tolist()
    kernels = [after[k, 0].numpy().astype(float) for k in chosen]
    responses = [conv2d(gray, k - k.mean()) for k in kernels]
    return ResponsiveFigure.of(
        image_grid, [np.stack([gray] * 3, axis=-1), *responses], titles=["photo", *[f"filter {k}" for k in chosen]],
        ncols=5, signed=True, cmap=None, panel_inches=2.6,
        title="Four trained first-layer filters (mean removed) on a photo",
        narrow=dict(ncols=2, panel_inches=1.9, title="Four trained first-layer filters\n(mean removed) on a photo"),
        alt=FILTERS_ON_A_PHOTO_ALT)
