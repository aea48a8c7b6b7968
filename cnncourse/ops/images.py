"""Sample photos that ship with the package, and loading of your own images.

The photos live in ``cnncourse/data`` so the course works offline; their
sources and licences (public domain or CC0) are in ``cnncourse/data/LICENSE.md``
and in :data:`SAMPLE_IMAGES`.
"""

from __future__ import annotations

import os
from importlib import resources
from typing import Any

import numpy as np
from PIL import Image, UnidentifiedImageError

from ..core.validate import choice, int_at_least


SAMPLE_IMAGES: dict[str, dict[str, str]] = {
    "cat": {
        "file": "cat.jpg",
        "description": "Chelsea the cat, a tabby, looking to the left",
        "credit": "Stefan van der Walt, via scikit-image (skimage.data.chelsea)",
        "licence": "CC0 1.0 (public domain dedication)",
    },
    "astronaut": {
        "file": "astronaut.jpg",
        "description": "Astronaut Eileen Collins in a NASA portrait",
        "credit": "NASA, via scikit-image (skimage.data.astronaut)",
        "licence": "Public domain (work of the US government)",
    },
    "coffee": {
        "file": "coffee.jpg",
        "description": "A cup of coffee on a saucer, seen from above",
        "credit": "Rachel Michetti, via scikit-image (skimage.data.coffee)",
        "licence": "CC0 1.0 (public domain dedication)",
    },
}
"""The shipped photos by name, with description, credit and licence."""


def load_sample(name: str) -> np.ndarray:
    """Load one of the photos that ship with the course.

    Parameters
    ----------
    name : str
        A key of :data:`SAMPLE_IMAGES`: ``"cat"``, ``"astronaut"`` or ``"coffee"``.

    Returns
    -------
    numpy.ndarray, shape (H, W, 3), uint8
        The photo as RGB.

    Examples
    --------
    >>> load_sample("cat").shape
    (300, 451, 3)
    """
    info = SAMPLE_IMAGES[choice(name, "sample image", list(SAMPLE_IMAGES))]
    with resources.as_file(resources.files("cnncourse") / "data" / info["file"]) as path:
        return load_image(path)


def prepare_photo(image: Any, *, side: int = 224) -> np.ndarray:
    """A photo as VGG16 is shown it in this course: as for ImageNet's evaluation, cropped and resized.

    The shorter side is resized to ``side * 8 / 7`` pixels (256 for 224;
    bilinear, antialiased, as torchvision's ImageNet evaluation does), then
    the central ``side`` x ``side`` square is cut out. An image that is
    already ``side`` x ``side`` is returned as it is (it was prepared), so
    preparing twice changes nothing. Chapters 6 and 7 both show the network
    this square, and :func:`~cnncourse.top_classes` prepares its image with it,
    so their classes agree; :func:`~cnncourse.preprocess` then normalizes it.

    Parameters
    ----------
    image : str, os.PathLike, PIL.Image.Image or array_like
        Anything :func:`load_image` accepts (not a tensor: a tensor is the
        network's input already).
    side : int, optional
        The side of the square, in pixels (at least 1; VGG16 was trained on 224).

    Returns
    -------
    numpy.ndarray, shape (side, side, 3), uint8

    Examples
    --------
    >>> square = prepare_photo(load_sample("cat"))
    >>> square.shape, square.dtype
    ((224, 224, 3), dtype('uint8'))
    >>> bool((prepare_photo(square) == square).all())
    True
    """
    if type(image).__module__.split(".")[0] == "torch":
        raise TypeError("image must be a path, a PIL image or an array, got a tensor: a tensor is the "
                        "network's input already, prepared and normalized")
    side = int_at_least(side, "side", 1)
    rgb = load_image(image)
    height, width = rgb.shape[:2]
    if (height, width) == (side, side):
        return rgb
    shorter = round(side * 8 / 7)
    size = ((shorter, int(shorter * height / width)) if width <= height else
            (int(shorter * width / height), shorter))            # the longer side as torchvision rounds it
    resized = Image.fromarray(rgb).resize(size, Image.Resampling.BILINEAR)
    left, top = (size[0] - side) // 2, (size[1] - side) // 2
    return np.asarray(resized.crop((left, top, left + side, top + side)))


def load_image(source: Any) -> np.ndarray:
    """Load an image from a path, a PIL image or an array, as RGB uint8.

    Grayscale images are repeated into three channels and an alpha channel
    is dropped, so every image comes out the same way.

    Parameters
    ----------
    source : str, os.PathLike, PIL.Image.Image or array_like
        A file path; a PIL image; or an array of shape (H, W), (H, W, 3) or
        (H, W, 4), either uint8 or floats in [0, 1].

    Returns
    -------
    numpy.ndarray, shape (H, W, 3), uint8

    Raises
    ------
    FileNotFoundError
        If the path does not exist.
    ValueError
        If the file is not an image, the array has the wrong shape, or a
        non-uint8 array has values outside [0, 1] (a 0-255 float image is
        rejected, not silently clipped to white).
    TypeError
        If the array is not numeric (or is boolean).

    Examples
    --------
    >>> load_image(np.zeros((4, 5))).shape
    (4, 5, 3)
    """
    if isinstance(source, (str, os.PathLike)):
        path = os.fspath(source)
        if not os.path.exists(path):
            raise FileNotFoundError(f"image path {path!r} does not exist")
        try:
            with Image.open(path) as img:
                return np.asarray(img.convert("RGB"))
        except UnidentifiedImageError as exc:
            raise ValueError(f"image path {path!r} is not an image file PIL can read") from exc
    if isinstance(source, Image.Image):
        return np.asarray(source.convert("RGB"))
    array = np.asarray(source)
    if array.ndim == 2:
        array = array[..., None]
    if array.ndim != 3 or array.shape[-1] not in (1, 3, 4) or 0 in array.shape:
        raise ValueError(
            f"image array must have shape (H, W), (H, W, 3) or (H, W, 4), got {np.shape(source)}"
        )
    if array.dtype != np.uint8:
        if array.dtype == bool or not np.issubdtype(array.dtype, np.number) or np.iscomplexobj(array):
            raise TypeError(f"image array must be uint8 or real numbers in [0, 1], got dtype {array.dtype}")
        if not np.all(np.isfinite(array)):
            raise ValueError("image array contains NaN or infinite values")
        low, high = float(array.min()), float(array.max())
        if low < 0 or high > 1:
            hint = " (values up to 255: divide by 255, or pass a uint8 array)" if high <= 255 and low >= 0 else ""
            raise ValueError(f"image array values must be in [0, 1] unless the dtype is uint8, "
                             f"got values from {low:g} to {high:g}{hint}")
        array = (array * 255).round().astype(np.uint8)
    array = array[..., :3]
    if array.shape[-1] == 1:
        array = np.repeat(array, 3, axis=-1)
    return np.ascontiguousarray(array)


def to_grayscale(image: Any) -> np.ndarray:
    """Convert an image to a float64 grayscale array in [0, 1].

    Uses the ITU-R 601 luma weights (0.299 R + 0.587 G + 0.114 B), like PIL.

    Parameters
    ----------
    image : str, PIL.Image.Image or array_like
        Anything :func:`load_image` reads: a path, or uint8 in [0, 255] or floats in [0, 1].

    Returns
    -------
    numpy.ndarray, shape (H, W), float64

    Examples
    --------
    >>> to_grayscale(np.full((2, 2, 3), 255, dtype=np.uint8))
    array([[1., 1.],
           [1., 1.]])
    """
    rgb = load_image(image).astype(np.float64) / 255.0
    return rgb @ np.array([0.299, 0.587, 0.114])


def default_feature_map() -> np.ndarray:
    """The feature map the explorer starts with: chapter 1's vertical-edge map of the cat.

    Without padding (no artificial edge at the border), at half resolution;
    values about -1 to 1.

    Returns
    -------
    numpy.ndarray, shape (149, 225), float64

    Examples
    --------
    >>> default_feature_map().shape
    (149, 225)
    """
    return edge_map(to_grayscale(load_sample("cat")))


def edge_map(picture: np.ndarray) -> np.ndarray:
    """A grey picture's vertical-edge map at half resolution, as :func:`default_feature_map` makes the cat's.

    Parameters
    ----------
    picture : numpy.ndarray, shape (H, W)
        Grey levels in [0, 1].

    Examples
    --------
    >>> edge_map(np.tile([0.0, 0.0, 1.0, 1.0], (4, 1))).tolist()  # brighter to the right: 3 rows of 1 - 0
    [[3.0]]
    """
    from .convolution import conv2d
    from .kernels import KERNELS

    return conv2d(picture, KERNELS["vertical edge"])[::2, ::2]
