"""Named example kernels: identity, edge detectors, Sobel, blur and sharpen.

The edge kernels are written so that, with :func:`cnncourse.conv2d`
(cross-correlation), a *positive* response means "brighter below" (horizontal
edge), "brighter to the right" (vertical edge) or "brighter towards the lower
right" (diagonal edge).
"""

from __future__ import annotations

import numpy as np

from ..core.validate import choice


KERNELS: dict[str, np.ndarray] = {
    "identity": np.array([[0, 0, 0], [0, 1, 0], [0, 0, 0]], dtype=float),
    "horizontal edge": np.array([[-1, -1, -1], [0, 0, 0], [1, 1, 1]], dtype=float),
    "vertical edge": np.array([[-1, 0, 1], [-1, 0, 1], [-1, 0, 1]], dtype=float),
    "diagonal edge": np.array([[-2, -1, 0], [-1, 0, 1], [0, 1, 2]], dtype=float),
    "sobel x": np.array([[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]], dtype=float),
    "sobel y": np.array([[-1, -2, -1], [0, 0, 0], [1, 2, 1]], dtype=float),
    "box blur": np.full((3, 3), 1 / 9),
    "gaussian blur": np.array([[1, 2, 1], [2, 4, 2], [1, 2, 1]], dtype=float) / 16,
    "sharpen": np.array([[0, -1, 0], [-1, 5, -1], [0, -1, 0]], dtype=float),
}
"""The example kernels by name (3x3, float64). Treat them as read-only."""

for _kernel in KERNELS.values():
    _kernel.flags.writeable = False


def get_kernel(name: str) -> np.ndarray:
    """Return a writable copy of the named example kernel.

    Parameters
    ----------
    name : str
        One of the keys of :data:`KERNELS`.

    Returns
    -------
    numpy.ndarray, shape (3, 3)

    Raises
    ------
    ValueError
        For an unknown name; the message lists the valid names.

    Examples
    --------
    >>> get_kernel("vertical edge")
    array([[-1.,  0.,  1.],
           [-1.,  0.,  1.],
           [-1.,  0.,  1.]])
    """
    return KERNELS[choice(name, "kernel name", list(KERNELS))].copy()
