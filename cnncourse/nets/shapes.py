"""The offline data set of chapter 4: small images of lines, corners, crosses and rings.

:func:`make_shapes` draws grayscale images of simple shapes at random
positions, sizes, angles and thicknesses, on a varying background with
noise; :func:`train_val_split` holds some out for validation. Nothing is
downloaded, and the same seed gives the same images. Lines and corners are
exactly what the first filters of a CNN learn to detect, which is why the
course trains its small network on them.
"""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np
import torch

from ..core.validate import fraction, int_at_least


SHAPE_CLASSES: tuple[str, ...] = (
    "horizontal line",
    "vertical line",
    "diagonal line",
    "corner",
    "cross",
    "ring",
)
"""The classes of :func:`make_shapes`, in label order (label 0 is the first)."""


def _segment_distance(yy: np.ndarray, xx: np.ndarray, p0: np.ndarray, p1: np.ndarray) -> np.ndarray:
    """Distance of every pixel centre to the segment from ``p0`` to ``p1`` (y, x)."""
    d = p1 - p0
    t = ((yy - p0[0]) * d[0] + (xx - p0[1]) * d[1]) / max(float(d @ d), 1e-9)
    t = np.clip(t, 0.0, 1.0)
    return np.hypot(yy - (p0[0] + t * d[0]), xx - (p0[1] + t * d[1]))


def _direction(angle_deg: float) -> np.ndarray:
    """Unit vector (dy, dx) at ``angle_deg`` counter-clockwise from the x-axis."""
    a = math.radians(angle_deg)
    return np.array([-math.sin(a), math.cos(a)])  # image rows grow downwards


def _segments(label: int, size: int, rng: np.random.Generator) -> tuple[list, np.ndarray | None]:
    """The segments (and ring centre/radius) that draw one shape of class ``label``."""
    jitter = rng.uniform(-15, 15)
    if label in (0, 1, 2):  # a single line
        angle = {0: 0.0, 1: 90.0, 2: rng.choice([45.0, 135.0])}[label] + jitter
        length = rng.uniform(0.4, 0.85) * size
        half = 0.5 * length * _direction(angle)
        room = np.maximum(size / 2 - np.abs(half) - 2.5, 0)
        centre = size / 2 + rng.uniform(-room, room)
        return [(centre - half, centre + half)], None
    if label == 3:  # a corner: two arms meeting at right angles at a vertex
        angle = rng.choice([0.0, 90.0, 180.0, 270.0]) + jitter
        arms = rng.uniform(0.3, 0.6, size=2) * size
        a, b = arms[0] * _direction(angle), arms[1] * _direction(angle + 90)
        lo = np.minimum(0, np.minimum(a, b))
        hi = np.maximum(0, np.maximum(a, b))
        vertex = np.array([rng.uniform(2.5 - lo[k], size - 2.5 - hi[k]) for k in range(2)])
        return [(vertex, vertex + a), (vertex, vertex + b)], None
    if label == 4:  # a cross: two lines crossing away from their ends (+ or x)
        angle = rng.choice([0.0, 45.0]) + jitter
        arms = rng.uniform(0.4, 0.75, size=2) * size
        at = rng.uniform(0.3, 0.7, size=2)  # where along each line they cross
        a, b = _direction(angle) * arms[0], _direction(angle + 90) * arms[1]
        ends = np.array([-at[0] * a, (1 - at[0]) * a, -at[1] * b, (1 - at[1]) * b])
        lo, hi = ends.min(axis=0), ends.max(axis=0)
        centre = np.array([rng.uniform(2.5 - lo[k], size - 2.5 - hi[k]) for k in range(2)])
        return [(centre + ends[0], centre + ends[1]), (centre + ends[2], centre + ends[3])], None
    radius = rng.uniform(0.14, 0.36) * size  # a ring
    centre = rng.uniform(radius + 2.5, size - radius - 2.5, size=2)
    return [], np.array([*centre, radius])


def _draw(label: int, size: int, rng: np.random.Generator) -> np.ndarray:
    yy, xx = np.mgrid[0:size, 0:size].astype(np.float64) + 0.5
    segments, ring = _segments(label, size, rng)
    if ring is None:
        distance = np.min([_segment_distance(yy, xx, p0, p1) for p0, p1 in segments], axis=0)
    else:
        distance = np.abs(np.hypot(yy - ring[0], xx - ring[1]) - ring[2])
    thickness = rng.uniform(1.0, 2.5)
    # Anti-aliased stroke: 1 inside the stroke, fading to 0 over one pixel.
    stroke = np.clip(thickness / 2 + 0.5 - distance, 0.0, 1.0)
    # Clutter: a few small specks that belong to no shape.
    for _ in range(rng.integers(0, 4)):
        centre = rng.uniform(0, size, size=2)
        speck = np.clip(rng.uniform(0.8, 1.6) - np.hypot(yy - centre[0], xx - centre[1]), 0.0, 1.0)
        stroke = np.maximum(stroke, rng.uniform(0.3, 0.8) * speck)
    contrast = rng.uniform(0.4, 1.0)
    # A background that gets brighter in one random direction.
    slope = rng.normal(0.0, 0.15, size=2) / size
    background = rng.uniform(0.0, 0.3) + slope[0] * (yy - size / 2) + slope[1] * (xx - size / 2)
    noise = rng.normal(0.0, rng.uniform(0.05, 0.25), size=(size, size))
    return np.clip(background + contrast * stroke + noise, 0.0, 1.0)


def make_shapes(n: int, *, side: int = 32, seed: int = 0) -> tuple[torch.Tensor, torch.Tensor]:
    """Draw ``n`` noisy grayscale images of simple shapes, with their labels.

    The classes are :data:`SHAPE_CLASSES`: a horizontal, vertical or diagonal
    line, a corner, a cross and a ring. Each image has a random position,
    length or radius, angle (a few degrees off the class's orientation),
    stroke thickness (1 to 3 pixels), contrast, background and amount of
    Gaussian noise, so one fixed template cannot classify them: a network has
    to find oriented lines and where they meet. Classes are balanced (they
    differ by at most one image) and shuffled.

    Parameters
    ----------
    n : int
        Number of images, at least 1.
    side : int, optional
        Height and width in pixels, at least 16.
    seed : int, optional
        Seed of the random generator: the same seed gives the same images.

    Returns
    -------
    images : torch.Tensor, shape (n, 1, side, side), float32
        Pixel values in [0, 1], bright shapes on a darker background.
    labels : torch.Tensor, shape (n,), int64
        Indices into :data:`SHAPE_CLASSES`.

    Examples
    --------
    >>> images, labels = make_shapes(12, seed=1)
    >>> images.shape, labels.dtype
    (torch.Size([12, 1, 32, 32]), torch.int64)
    >>> sorted(labels.tolist()) == [0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5]
    True
    """
    n = int_at_least(n, "n", 1)
    side = int_at_least(side, "side", 16)
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)):
        raise TypeError(f"seed must be an int, got {seed!r}")
    rng = np.random.default_rng(seed)
    labels = rng.permutation(np.arange(n) % len(SHAPE_CLASSES))
    images = np.stack([_draw(int(label), side, rng) for label in labels])
    return (torch.from_numpy(images[:, None].astype(np.float32)),
            torch.from_numpy(labels.astype(np.int64)))


class ShapesSplit(NamedTuple):
    """Images and labels for training and for validation.

    Attributes
    ----------
    train_images, val_images : torch.Tensor, shape (N, 1, H, W)
        The training and the validation images.
    train_labels, val_labels : torch.Tensor, shape (N,)
        Their class indices.
    """

    train_images: torch.Tensor
    train_labels: torch.Tensor
    val_images: torch.Tensor
    val_labels: torch.Tensor


def train_val_split(images: torch.Tensor, labels: torch.Tensor, *, val_fraction: float = 0.2,
                    seed: int = 0) -> ShapesSplit:
    """Split images and labels at random into a training and a validation part.

    The validation images are never used to update the weights, so the
    accuracy on them says how well the network does on images it has not
    seen.

    Parameters
    ----------
    images : torch.Tensor, shape (N, C, H, W)
    labels : torch.Tensor, shape (N,)
    val_fraction : float, optional
        Share of the images held out, strictly between 0 and 1.
    seed : int, optional
        Seed of the shuffle.

    Returns
    -------
    ShapesSplit
        ``(train_images, train_labels, val_images, val_labels)``.

    Examples
    --------
    >>> split = train_val_split(*make_shapes(10), val_fraction=0.2)
    >>> len(split.train_labels), len(split.val_labels)
    (8, 2)
    """
    if images.ndim != 4 or labels.ndim != 1 or len(images) != len(labels):
        raise ValueError(f"images must have shape (N, C, H, W) and labels (N,), got "
                         f"{tuple(images.shape)} and {tuple(labels.shape)}")
    val_fraction = fraction(val_fraction, "val_fraction")
    n_val = max(1, round(len(labels) * val_fraction))
    if n_val >= len(labels):
        raise ValueError(f"{len(labels)} images are too few to hold out {val_fraction:.0%} and train on the rest")
    order = torch.randperm(len(labels), generator=torch.Generator().manual_seed(seed))
    val, tr = order[:n_val], order[n_val:]
    return ShapesSplit(images[tr], labels[tr], images[val], labels[val])
