"""Matrices typed into the explorers' text boxes, and matrices filled step by step.

Examples
--------
>>> format_matrix(parse_matrix("1 2; 3 4"))
'1 2\\n3 4'
"""

from __future__ import annotations

import re

import numpy as np


def parse_matrix(text: str, name: str = "kernel") -> np.ndarray:
    """Parse rows of numbers (one row per line or per ``;``) into a 2-D array.

    Raises ``ValueError`` naming ``name`` when the text is not a rectangular
    table of finite numbers.

    Parameters
    ----------
    text : str
        The numbers, separated by spaces or commas.
    name : str, optional
        What the matrix is, for the error message.

    Returns
    -------
    numpy.ndarray, 2-D, float64

    Examples
    --------
    >>> parse_matrix("1 0 -1; 2, 0, -2")
    array([[ 1.,  0., -1.],
           [ 2.,  0., -2.]])
    """
    rows = [r for r in re.split(r"[;\n]", text) if r.strip()]
    if not rows:
        raise ValueError(f"{name} is empty: type one row of numbers per line")
    table = []
    for number, row in enumerate(rows, start=1):
        try:
            table.append([float(v) for v in re.split(r"[,\s]+", row.strip())])
        except ValueError:
            raise ValueError(f"{name} row {number} ({row.strip()!r}) is not a list of numbers") from None
    widths = {len(r) for r in table}
    if len(widths) != 1:
        raise ValueError(f"{name} rows have different lengths {sorted(widths)}: it must be rectangular")
    array = np.array(table)
    if not np.all(np.isfinite(array)):
        raise ValueError(f"{name} must contain only finite numbers")
    return array


def format_matrix(array: np.ndarray) -> str:
    """Rows of numbers, one row per line: the inverse of :func:`parse_matrix`.

    Examples
    --------
    >>> print(format_matrix([[1, 0.5], [-2, 0]]))
    1 0.5
    -2 0
    """
    return "\n".join(" ".join(f"{v:g}" for v in row) for row in np.asarray(array))


def filled_so_far(output: np.ndarray, step: int) -> np.ndarray:
    """``output`` with the cells after ``step`` (in reading order) blank (NaN).

    Examples
    --------
    >>> filled_so_far(np.ones((2, 2)), 1)
    array([[ 1.,  1.],
           [nan, nan]])
    """
    partial = np.full(output.shape, np.nan)
    partial.flat[: step + 1] = output.flat[: step + 1]
    return partial
