"""Measured numbers into the prose: myst-nb's ``glue``, without the dependency.

A sentence that states a measured number (a timing, an accuracy, a ratio)
must never contradict the output printed above it, on any machine or with
either set of VGG16 weights. So the chapters do not type such numbers into
their text: a cell measures the value and *glues* it under a name, and the
text refers to the name, ``{glue:text}`name:.1f```. The book build
(myst-nb) puts the value of the run into the sentence.

:func:`glue` writes the same output as ``myst_nb.glue(name, value,
display=False)``, so it works wherever the notebook runs (JupyterLab, Colab,
nbval), with or without myst-nb installed: the output is invisible in a
notebook and read by the book build.
"""

from __future__ import annotations

import numbers
from typing import Any


GLUE_PREFIX = "application/papermill.record/"
"""The mime-type prefix under which myst-nb looks for glued values."""


def plain_value(value: Any) -> Any:
    """``value`` as a plain Python ``bool``, ``int``, ``float`` or ``str``.

    NumPy and PyTorch scalars print as ``np.float64(0.5)`` or ``tensor(0.5)``,
    which myst-nb's format specs cannot read; plain numbers print as ``0.5``.

    Examples
    --------
    >>> import numpy as np
    >>> plain_value(np.float64(0.25)), plain_value(np.int64(3)), plain_value("faster")
    (0.25, 3, 'faster')
    """
    if isinstance(value, (bool, str)):
        return value
    item = getattr(value, "item", None)
    if callable(item):  # a NumPy or PyTorch scalar (or a one-element array)
        try:
            value = item()
        except (ValueError, RuntimeError) as exc:
            raise TypeError(f"glue value must be a single number, got an array of shape "
                            f"{tuple(value.shape)}") from exc
    if isinstance(value, bool):
        return value
    if isinstance(value, numbers.Integral):
        return int(value)
    if isinstance(value, numbers.Real):
        return float(value)
    raise TypeError(f"glue value must be a number or a string, got {type(value).__name__}")


def glue(name: str, value: Any) -> None:
    """Store ``value`` under ``name`` for the text of the page (myst-nb glue), showing nothing.

    Parameters
    ----------
    name : str
        The key the text refers to, e.g. ``{glue:text}`ch1_loop_ms:.0f```.
        Keys are unique per page; prefix them with the chapter (``ch1_``).
    value : number or str
        A number (NumPy and PyTorch scalars are converted) or a short text,
        e.g. a comparison worded from the run ("faster" / "slower"); a text
        is translated like every label (``cnncourse.i18n.tr``).

    Examples
    --------
    >>> glue("ch1_ratio", 312.5)  # outside IPython it does nothing
    """
    if not isinstance(name, str) or not name.isidentifier():
        raise ValueError(f"glue name must be a Python identifier such as 'ch1_ratio', got {name!r}")
    value = plain_value(value)
    if isinstance(value, str):  # a word or sentence worded from the run: in the page's language
        from .i18n import tr

        value = tr(value)
    try:
        from IPython import get_ipython
        from IPython.display import display
    except ModuleNotFoundError:  # plain Python: nothing to show and no page to fill
        return
    if get_ipython() is None:
        return
    display({GLUE_PREFIX + "text/plain": repr(value)}, raw=True,
            metadata={"scrapbook": {"name": name, "mime_prefix": GLUE_PREFIX}})
