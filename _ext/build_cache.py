"""Let a build use another jupyter-cache folder than ``_config.yml``'s, and open it safely.

A small Sphinx extension of "How CNNs see", registered in ``_config.yml``
(``sphinx: local_extensions``).

- When ``CNNCOURSE_JUPYTER_CACHE`` is set, the build takes the executed
  notebooks from that folder (and stores new ones there) instead of
  ``execute: cache``. ``make test`` uses it to keep its build, made with
  untrained weights, apart from the reader's ``make book``, and to reuse the
  notebooks nbval has just run (``pytest --book-cache``; see ``conftest.py``),
  so that each notebook runs once per test run.
- The two editions build side by side on one cache folder (``make book``).
  jupyter-cache creates its database the first time a process opens it, with
  nothing to stop a second process from doing the same at the same moment
  ("table settings already exists"). :func:`prepare_cache` creates it before
  myst-nb opens it, one process at a time.
"""

from __future__ import annotations

import os
from pathlib import Path

from sphinx.application import Sphinx


def prepare_cache(folder: str | os.PathLike) -> Path:
    """Create the jupyter-cache ``folder`` and its database, unless they exist.

    Any number of processes may call it at once: they take turns (a lock file in
    the folder), and only the first creates the database.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     sorted(p.name for p in prepare_cache(Path(tmp) / "cache").iterdir())
    ['.lock', '__version__.txt', 'global.db']
    """
    from jupyter_cache.cache.db import create_db

    path = Path(folder)
    path.mkdir(parents=True, exist_ok=True)
    with open(path / ".lock", "w") as lock:
        try:
            import fcntl
        except ImportError:             # Windows: no two builds at once there (the Makefile needs a POSIX shell)
            fcntl = None
        if fcntl is not None:
            fcntl.flock(lock, fcntl.LOCK_EX)      # released when the file closes
        create_db(path).dispose()
    return path


def use_cache_from_environment(app: Sphinx, config) -> None:
    folder = os.environ.get("CNNCOURSE_JUPYTER_CACHE", "").strip()
    if folder:
        config.nb_execution_cache_path = os.path.abspath(folder)
    elif config.nb_execution_cache_path and not os.path.isabs(config.nb_execution_cache_path):
        # Relative to the book's folder, wherever the build is started from: the
        # Chinese edition (zh/) shares the English edition's cache, "../_build/...".
        config.nb_execution_cache_path = os.path.normpath(
            os.path.join(app.confdir, config.nb_execution_cache_path))
    if config.nb_execution_cache_path and getattr(config, "nb_execution_mode", "cache") == "cache":
        prepare_cache(config.nb_execution_cache_path)


def setup(app: Sphinx) -> dict:
    # myst-nb reads its settings at "config-inited" (priority 500): go first.
    app.connect("config-inited", use_cache_from_environment, priority=100)
    return {"version": "1.1", "parallel_read_safe": True, "parallel_write_safe": True}
