"""What the website's in-browser explorers (``_static/cnn-live-explorers.js``) share with the Python ones.

Their limits (:data:`LIVE_LIMITS`), the note each one shows (:data:`LIVE_NOTE`)
and the texts they write themselves (:data:`LIVE_LABELS`, read from the one list
``LABELS`` at the top of the script), which the Chinese pages translate.
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

LIVE_SCRIPT = Path(__file__).resolve().parents[2] / "_static" / "cnn-live-explorers.js"
"""The website's in-browser explorers; the list ``LABELS`` at its top is the one list of the texts they write."""


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


LIVE_LABELS = read_live_labels()
"""The labels ``_static/cnn-live-explorers.js`` writes itself, read from its list ``LABELS`` (see :func:`read_live_labels`)."""
