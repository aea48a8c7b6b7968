"""The figures of chapter 7, Where the network looks.

Each function draws one figure of the chapter and returns it; its alt text is
the constant of the same name with ``_ALT`` (the cell's ``mystnb.image.alt``).
Attribution maps are drawn over the dimmed photo with :func:`cnncourse.overlay_map`.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from matplotlib.figure import Figure

from ..figures.curves import ResponsiveFigure
from ..figures.html import overlay_map
from ..figures.plotting import image_grid

SALIENCY_ALT = 'Three 224 by 224 pictures: the cat photo; its saliency map, dark with scattered bright speckles in the viridis colours; and the same map over the photo shown in dimmed gray.'
SMOOTHGRAD_ALT = 'Four 224 by 224 pictures: the vanilla saliency map and the SmoothGrad map in the viridis colours, then each drawn over the dimmed photo. The SmoothGrad map is smoother, with fewer isolated speckles.'
OCCLUSION_ALT = 'Three 224 by 224 pictures: the cat photo with a grey square over its middle; the occlusion map in orange and purple, orange where hiding a square lowers the class probability and purple where it raises it; and the positive part of the map over the dimmed photo.'
GRAD_CAM_ALT = 'Two rows of three pictures. Top: the Grad-CAM maps of block5_conv3, block4_conv3 and block3_conv3 at their own resolutions, 14 by 14, 28 by 28 and 56 by 56 squares in the viridis colours. Bottom: each map enlarged to 224 by 224 pixels and drawn over the dimmed photo.'
CLASS_PICTURE_ALT = 'Two pictures side by side: the 96 by 96 image made by gradient ascent on the score of the class the network rates highest, a gray canvas with faint coloured patterns, and the cat photo for comparison.'
RANDOMIZATION_ALT = 'Two rows of two pictures: the saliency map and the Grad-CAM map of block5_conv3 over the dimmed photo, for the network loaded above (top) and for an untrained network with random weights (bottom).'
SMALL_CNN_ALT = 'Two rows of six 32 by 32 pictures: a validation ring and a validation corner, then for each the saliency, SmoothGrad, occlusion, Grad-CAM relu3 and Grad-CAM relu1 maps for its own class, drawn over the dimmed image.'
SELECTIVE_CHANNELS_ALT = 'Two rows of eight 32 by 32 grayscale images. Each row starts with the input that a relu3 channel of the small CNN prefers, made by gradient ascent, followed by the seven validation images that excite that channel most, each titled with its class: the first row for the channel most selective for rings, the second for the channel most selective for vertical lines.'


def _shown(values: Any) -> np.ndarray:
    """A map clipped at its 99th percentile, so a few extreme pixels do not hide the rest."""
    return np.clip(values, 0, np.percentile(values, 99))


def saliency(photo: Any, values: Any) -> ResponsiveFigure:
    """The photo, its saliency map (``values``, clipped at its 99th percentile so that a few extreme
    pixels do not hide the rest) and the map over the photo; two columns on a phone.

    Parameters
    ----------
    photo : array_like, shape (H, W, 3)
        The photo.
    values : array_like, shape (H, W)
        The saliency map.

    Returns
    -------
    ResponsiveFigure
        A wide figure and its narrow (phone) layout.

    Examples
    --------
    >>> from cnncourse.chapter_figures import where_it_looks as figures
    >>> rng = np.random.default_rng(0)
    >>> figures.saliency(rng.integers(0, 256, (16, 16, 3), np.uint8), rng.random((16, 16))).alt == SALIENCY_ALT
    True
    """
    return ResponsiveFigure.of(
        image_grid, [photo, _shown(values), overlay_map(photo, values)], titles=["photo", "saliency", "over the photo"],
        cmap="viridis", panel_inches=2.8,
        narrow=dict(ncols=2, panel_inches=1.9), alt=SALIENCY_ALT)


def smoothgrad(photo: Any, vanilla: Any, smooth: Any, samples: int) -> ResponsiveFigure:
    """The vanilla saliency map and the SmoothGrad map of ``samples`` noisy copies, alone (clipped at
    their 99th percentiles) and over the photo.

    Parameters
    ----------
    photo : array_like, shape (H, W, 3)
        The photo.
    vanilla, smooth : array_like, shape (H, W)
        The vanilla and the SmoothGrad maps.
    samples : int
        Noisy copies averaged, shown in a title.

    Returns
    -------
    ResponsiveFigure
        A wide figure and its narrow (phone) layout.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> photo = rng.integers(0, 256, (16, 16, 3), np.uint8)
    >>> smoothgrad(photo, rng.random((16, 16)), rng.random((16, 16)), 16).wide.axes[1].get_title()
    'SmoothGrad, 16 copies'
    """
    return ResponsiveFigure.of(
        image_grid, [_shown(vanilla), _shown(smooth), overlay_map(photo, vanilla), overlay_map(photo, smooth)],
        titles=["vanilla gradient", f"SmoothGrad, {samples} copies", "vanilla, over the photo",
                "SmoothGrad, over the photo"],
        cmap="viridis", ncols=4, panel_inches=2.5,
        narrow=dict(ncols=2, panel_inches=1.9, titles=["vanilla gradient", f"SmoothGrad,\n{samples} copies",
                                                       "vanilla,\nover the photo", "SmoothGrad,\nover the photo"]),
        alt=SMOOTHGRAD_ALT)


def occlusion(photo: Any, values: Any) -> ResponsiveFigure:
    """The photo with its middle 32×32 square hidden, the occlusion map (orange: hiding the square
    lowers the probability, purple: raises it) and its positive part over the photo.

    Parameters
    ----------
    photo : array_like, shape (224, 224, 3)
        The photo.
    values : array_like, shape (224, 224)
        The occlusion map.

    Returns
    -------
    ResponsiveFigure
        A wide figure and its narrow (phone) layout.

    Examples
    --------
    >>> from cnncourse.chapter_figures import where_it_looks as figures
    >>> rng = np.random.default_rng(0)
    >>> photo, values = rng.integers(0, 256, (224, 224, 3), np.uint8), rng.normal(size=(224, 224))
    >>> figures.occlusion(photo, values).alt == OCCLUSION_ALT
    True
    """
    grey = np.array(photo, copy=True)
    grey[96:128, 96:128] = (124, 116, 104)  # ImageNet's mean colour, in 0-255
    return ResponsiveFigure.of(
        image_grid, [grey, values, overlay_map(photo, values)],
        titles=["one square hidden", "occlusion map", "over the photo"], cmap="PuOr_r", signed=True,
        panel_inches=2.8, narrow=dict(ncols=2, panel_inches=1.9), alt=OCCLUSION_ALT)


def grad_cam_layers(photo: Any, native: dict[str, Any], enlarged: dict[str, Any]) -> Figure:
    """Grad-CAM at each layer: at the layer's own resolution (``native``, tensors), then enlarged to the
    photo's size (``enlarged``, arrays) and drawn over the photo.

    Parameters
    ----------
    photo : array_like, shape (H, W, 3)
        The photo.
    native : dict of str to tensor, 2-D
        Layer -> its Grad-CAM map at the layer's resolution.
    enlarged : dict of str to array_like, shape (H, W)
        Layer -> the same map at the photo's size.

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> import torch
    >>> photo = np.zeros((224, 224, 3), np.uint8)
    >>> grad_cam_layers(photo, {"block5_conv3": torch.rand(14, 14)}, {"block5_conv3": np.ones((224, 224))}
    ...                 ).axes[0].get_title()
    'block5_conv3, (14, 14)'
    """
    layers = list(native)
    return image_grid([native[layer].numpy() for layer in layers]
                      + [overlay_map(photo, enlarged[layer]) for layer in layers],
                      titles=[f"{layer}, {tuple(native[layer].shape)}" for layer in layers]
                      + [f"{layer}, enlarged" for layer in layers], cmap="viridis", ncols=3, panel_inches=2.6)


def class_picture(picture: Any, photo: Any, class_name: str) -> Figure:
    """The picture that gradient ascent made towards the class ``class_name``, beside the photo.

    Parameters
    ----------
    picture, photo : array_like, shape (H, W, 3), uint8
        The picture gradient ascent made and the photo.
    class_name : str
        The class, shown in the title.

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> image = np.zeros((8, 8, 3), np.uint8)
    >>> class_picture(image, image, "tabby").axes[0].get_title()
    "towards 'tabby'"
    """
    return image_grid([picture, photo], titles=[f"towards '{class_name}'", "the photo"], panel_inches=2.8)


def randomization(photo: Any, loaded: dict[str, Any], untrained: dict[str, Any], weights: str) -> Figure:
    """The model-randomization test: each map (a dict: method -> map) of the network loaded with
    ``weights`` (top row) and of an untrained network (bottom row), over the photo.

    Parameters
    ----------
    photo : array_like, shape (H, W, 3)
        The photo.
    loaded, untrained : dict of str to array_like, shape (H, W)
        Method -> map, of the loaded and of an untrained network.
    weights : str
        The loaded network's ``cnncourse_weights``.

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> photo, maps = np.zeros((8, 8, 3), np.uint8), {"saliency": np.eye(8), "Grad-CAM": np.eye(8)}
    >>> randomization(photo, maps, maps, "random").axes[2].get_title()
    'saliency, random weights'
    """
    return image_grid([overlay_map(photo, loaded[name]) for name in loaded]
                      + [overlay_map(photo, untrained[name]) for name in untrained],
                      titles=[f"{name}, loaded ({weights})" for name in loaded]
                      + [f"{name}, random weights" for name in untrained], ncols=2, panel_inches=2.8)


def small_cnn_maps(images: Any, examples: dict[str, int], found: dict[str, dict[str, Any]]) -> ResponsiveFigure:
    """For each example (a dict: class name -> index into ``images``, (N, 1, 32, 32)), the image and
    its maps (``found``: class name -> method -> map) over it; a row per example, three to a row on a phone.

    Parameters
    ----------
    images : tensor, shape (N, 1, 32, 32)
        The validation images.
    examples : dict of str to int
        Class name -> index into ``images``.
    found : dict of str to dict of str to array_like
        Class name -> method -> map.

    Returns
    -------
    ResponsiveFigure
        A wide figure and its narrow (phone) layout.

    Examples
    --------
    >>> import torch
    >>> figure = small_cnn_maps(torch.rand(2, 1, 32, 32), {"ring": 0}, {"ring": {"saliency": np.eye(32)}})
    >>> [ax.get_title() for ax in figure.wide.axes[:2]]
    ['a ring', 'saliency']
    """
    pictures, titles = [], []
    for name, i in examples.items():
        image = images[i, 0].numpy()
        pictures += [image] + [overlay_map(image, values) for values in found[name].values()]
        titles += [f"a {name}"] + [f"{method}" for method in found[name]]
    return ResponsiveFigure.of(image_grid, pictures, titles=titles, ncols=6, panel_inches=1.9,
                               narrow=dict(ncols=3, panel_inches=1.3), alt=SMALL_CNN_ALT)


def selective_channels(pictures: Any, titles: Any) -> ResponsiveFigure:
    """Rows of eight: a channel's preferred input, then the validation images that excite it most.

    Parameters
    ----------
    pictures : sequence of array_like
        The pictures, row by row, eight to a row.
    titles : sequence of str
        One per picture.

    Returns
    -------
    ResponsiveFigure
        A wide figure and its narrow (phone) layout.

    Examples
    --------
    >>> selective_channels([np.eye(4)] * 8, [str(k) for k in range(8)]).alt == SELECTIVE_CHANNELS_ALT
    True
    """
    return ResponsiveFigure.of(image_grid, pictures, titles=titles, ncols=8, panel_inches=1.5,
                               narrow=dict(ncols=4, panel_inches=1.0), alt=SELECTIVE_CHANNELS_ALT)
