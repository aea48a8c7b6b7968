"""Class names: the default names of a classifier's outputs, and a class found by index or by name.

Examples
--------
>>> names = default_class_names(6)
>>> names[5], find_class("Ring", names), find_class(2, names)
('ring', 5, 2)
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from typing import Any

import numpy as np

from .shapes import SHAPE_CLASSES


def default_class_names(count: int) -> list[str]:
    """Names for ``count`` outputs: ImageNet's 1000 categories, the shapes' 6 classes, else ``class k``.

    Parameters
    ----------
    count : int
        The classifier's number of outputs.

    Returns
    -------
    list of str

    Examples
    --------
    >>> default_class_names(3)
    ['class 0', 'class 1', 'class 2']
    """
    if count == 1000:
        from .weights import imagenet_categories

        return imagenet_categories()
    if count == len(SHAPE_CLASSES):
        return list(SHAPE_CLASSES)
    return [f"class {k}" for k in range(count)]


def find_class(target: Any, names: Sequence[str]) -> int:
    """The index of a class given by index or by name (any case); ``ValueError`` naming the closest names.

    Parameters
    ----------
    target : int or str
        An index from 0 to ``len(names) - 1``, or a name (a name of digits is an index).
    names : sequence of str
        The class names, one per output.

    Returns
    -------
    int

    Examples
    --------
    >>> find_class("tabby cat", ["tabby", "tiger cat"])
    Traceback (most recent call last):
    ...
    ValueError: no class is called 'tabby cat': did you mean 'tabby'?
    """
    count = len(names)
    if isinstance(target, (int, np.integer)) and not isinstance(target, bool):
        if not 0 <= target < count:
            raise ValueError(f"class index must be between 0 and {count - 1}, got {target}")
        return int(target)
    if not isinstance(target, str):
        raise TypeError(f"a class must be an index or a name, got {target!r}")
    name = target.strip()
    lowered = [n.lower() for n in names]
    if name.lower() in lowered:
        return lowered.index(name.lower())
    if name.isdigit():
        return find_class(int(name), names)
    close = difflib.get_close_matches(name.lower(), lowered, n=5, cutoff=0.6)
    close += [n for n in lowered if name.lower() in n and n not in close][: 5 - len(close)]
    if close:
        shown = ", ".join(repr(names[lowered.index(n)]) for n in close)
        raise ValueError(f"no class is called {name!r}: did you mean {shown}?")
    raise ValueError(f"no class is called {name!r}, nor anything close; the classes include "
                     + ", ".join(repr(n) for n in names[:5]) + f" ({count} in all)")


def top_class(scores: Any) -> tuple[int, float]:
    """The class with the highest score, and its softmax probability.

    Parameters
    ----------
    scores : torch.Tensor, shape (classes,)
        One image's class scores (logits).

    Returns
    -------
    tuple of (int, float)
        The class and its probability.

    Examples
    --------
    >>> import torch
    >>> index, p = top_class(torch.tensor([0.0, 2.0, 0.0]))
    >>> index, round(p, 3)
    (1, 0.787)
    """
    import torch

    probabilities = torch.softmax(torch.as_tensor(scores, dtype=torch.float32), dim=0)
    index = int(probabilities.argmax())
    return index, float(probabilities[index])
