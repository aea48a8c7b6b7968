"""Make the book build record the explorers' players.

A small Sphinx extension of "How CNNs see", registered in ``_config.yml``
(``sphinx: local_extensions``). A displayed explorer
(``cnncourse.widgets.base.Explorer``) is one output: the live widget, and,
when ``CNNCOURSE_RECORD_PLAYERS`` is set, its recorded player as
``text/html``, which the website shows in place of the widget (it drops
widget views, see ``nb_mime_priority_overrides``). Recording costs time and
makes a saved notebook large, so JupyterLab, Colab and nbval leave it unset,
and the build sets it here: the kernels that myst-nb starts inherit it.
"""

from __future__ import annotations

import os

from sphinx.application import Sphinx

VARIABLE = "CNNCOURSE_RECORD_PLAYERS"


def setup(app: Sphinx) -> dict:
    os.environ[VARIABLE] = "1"  # before any notebook is executed
    return {"parallel_read_safe": True, "parallel_write_safe": True}
