"""Let a build use another jupyter-cache folder than ``_config.yml``'s.

A small Sphinx extension of "How CNNs see", registered in ``_config.yml``
(``sphinx: local_extensions``). When ``CNNCOURSE_JUPYTER_CACHE`` is set, the
build takes the executed notebooks from that folder (and stores new ones
there) instead of ``execute: cache``. ``make test`` uses it to keep its
build, made with untrained weights, apart from the reader's ``make book``,
and to reuse the notebooks nbval has just run (``pytest --book-cache``; see
``conftest.py``), so that each notebook runs once per test run.
"""

from __future__ import annotations

import os

from sphinx.application import Sphinx


def use_cache_from_environment(app: Sphinx, config) -> None:
    folder = os.environ.get("CNNCOURSE_JUPYTER_CACHE", "").strip()
    if folder:
        config.nb_execution_cache_path = os.path.abspath(folder)
    elif config.nb_execution_cache_path and not os.path.isabs(config.nb_execution_cache_path):
        # Relative to the book's folder, wherever the build is started from: the
        # Chinese edition (zh/) shares the English edition's cache, "../_build/...".
        config.nb_execution_cache_path = os.path.normpath(
            os.path.join(app.confdir, config.nb_execution_cache_path))


def setup(app: Sphinx) -> dict:
    # myst-nb reads its settings at "config-inited" (priority 500): go first.
    app.connect("config-inited", use_cache_from_environment, priority=100)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
