"""What the in-browser explorers (``_static/cnn-live-explorers.js`` and the scripts beside it) share with Python.

Their limits (:data:`LIVE_LIMITS`), the note each one shows on the website (:data:`LIVE_NOTE`)
and the texts they write themselves (:data:`LIVE_LABELS`, read from the list
``LABELS`` at the top of each script), which the Chinese edition translates.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

LIVE_LIMITS = {"side": 16, "padding": 4, "stride": 8}
"""Limits of the website's in-browser explorers (``_static/cnn-live-explorers.js``): matrices
of at most ``side`` x ``side``, padding and stride up to these values, so that
every update is instant."""

LIVE_NOTE = ("This explorer runs in your browser (JavaScript, tested equal to cnncourse). For the Python "
             "version, open this page as a notebook with the launch button (the rocket icon) at the top "
             "of the page (Binder or Colab), or run it locally.")
"""The line each in-browser explorer of the website shows."""

LIVE_SCRIPT = Path(__file__).resolve().parent / "static" / "cnn-live-explorers.js"
"""The in-browser explorers (a link to ``_static``, installed with the package); the list ``LABELS`` at its top
holds the texts they write, with those of :data:`LIVE_SCRIPTS`."""

LIVE_SCRIPTS = tuple(LIVE_SCRIPT.with_name(name) for name in
                     ("cnn-live-explorers.js", "cnn-live-activations.js", "cnn-live-picture.js"))
"""Every script that writes texts of the explorers, each declaring its list ``LABELS``."""


def read_live_labels(script: str | Path = LIVE_SCRIPT) -> tuple[str, ...]:
    """The texts the in-browser explorers write themselves, read from the list ``LABELS`` of their script.

    The labels are templates (``{name}`` stands for a value). In Chinese, the
    live config carries their translations as ``labels`` (English text ->
    translation), which ``_static/cnn-live-zh.js`` puts in place. Without the
    script (cnncourse installed on its own) there is no in-browser explorer to
    translate: the list is empty.

    Parameters
    ----------
    script : str or pathlib.Path, optional
        The script that declares ``const LABELS = [...];`` (a JSON array of strings).

    Returns
    -------
    tuple of str

    Examples
    --------
    >>> "Play" in read_live_labels() or not LIVE_SCRIPT.exists()
    True
    """
    path = Path(script)
    if not path.exists():
        return ()
    found = re.search(r"^const LABELS = (\[.*?\]);$", path.read_text(encoding="utf-8"), re.MULTILINE | re.DOTALL)
    if found is None:
        raise ValueError(f"{path.name} declares no list `const LABELS = [...];`")
    return tuple(json.loads(found.group(1)))


LIVE_LABELS = tuple(label for script in LIVE_SCRIPTS for label in read_live_labels(script))
"""The labels the explorers' scripts write themselves, read from their lists ``LABELS`` (see :func:`read_live_labels`)."""
