"""pytest configuration shared by the unit tests and the notebook tests.

Notebooks are committed without outputs, so nbval has nothing to compare a
cell tagged ``nbval-check-output`` with. The expected output of such a cell
lives in its metadata (``expected_output``, written by ``python
tests/golden.py``); this hook hands it to nbval as the reference output
before the cells run.
"""

from __future__ import annotations

import copy
import os
import sys
import time
from pathlib import Path

import nbformat
import pytest

CHECK_TAG = "nbval-check-output"

# Notebooks run offline in tests: untrained VGG16 weights unless told otherwise.
os.environ.setdefault("CNNCOURSE_WEIGHTS", "random")


def pytest_addoption(parser):
    parser.addoption(
        "--book-cache", default=None, metavar="DIR",
        help="after nbval ran a notebook without a failure, store it with its outputs in this "
             "jupyter-cache folder, so that a book build with the same cache does not run it again")


def pytest_collection_modifyitems(session, config, items):
    for item in items:
        cell = getattr(item, "cell", None)
        if cell is None or CHECK_TAG not in cell.get("metadata", {}).get("tags", []):
            continue
        expected = cell.get("metadata", {}).get("expected_output")
        if expected is not None:
            cell.outputs = [nbformat.from_dict(output) for output in expected]
            cell.execution_count = 1


# -- One execution per notebook in `make test` -------------------------------------
# nbval runs every cell in a kernel and keeps what it printed (``item.test_outputs``).
# With --book-cache, a notebook whose cells all passed is stored with those outputs
# in jupyter-cache, where `jupyter-book build` (execute_notebooks: cache) finds it
# instead of running the notebook a second time.

_RUNS: dict[str, dict] = {}


def pytest_configure(config):
    if config.getoption("--book-cache", None) is not None:
        # The outputs must be the book's: explorers carry their recorded player there
        # (what _ext/record_players.py sets for a build), which the kernels inherit.
        os.environ["CNNCOURSE_RECORD_PLAYERS"] = "1"


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if item.config.getoption("--book-cache", None) is None or not hasattr(item, "cell_num"):
        return
    run = _RUNS.setdefault(str(item.fspath), {"outputs": {}, "ok": True, "start": time.perf_counter()})
    run["end"] = time.perf_counter()
    if report.failed or report.skipped:
        run["ok"] = False
    elif report.when == "call":
        run["outputs"][item.cell_num] = copy.deepcopy(getattr(item, "test_outputs", None) or [])


def pytest_sessionfinish(session, exitstatus):
    folder = session.config.getoption("--book-cache", None)
    if folder is None:
        return
    from jupyter_cache import get_cache
    from jupyter_cache.base import CacheBundleIn

    # Several xdist workers may finish at once on a new folder: create its database one at a time.
    sys.path.insert(0, str(Path(__file__).parent / "_ext"))
    import build_cache  # the book's extension, as _config.yml's local_extensions loads it

    cache = get_cache(str(build_cache.prepare_cache(Path(folder).resolve())))
    for path, run in _RUNS.items():
        notebook = nbformat.read(path, as_version=4)
        code = [cell for cell in notebook.cells if cell.cell_type == "code"]
        if not run["ok"] or sorted(run["outputs"]) != list(range(len(code))):
            continue   # a failure, a skipped cell or a partial run: the build runs it itself
        for number, cell in enumerate(code):
            cell.outputs = [nbformat.from_dict(output) for output in run["outputs"][number]]
            cell.execution_count = number + 1
        cache.cache_notebook_bundle(
            CacheBundleIn(notebook, str(Path(path).resolve()),
                          data={"execution_seconds": run["end"] - run["start"], "executed_by": "nbval"}),
            check_validity=False, overwrite=True)


@pytest.fixture(autouse=True)
def _doctest_names(doctest_namespace):
    """The docstring examples run with NumPy, PyTorch and the package's public names at hand."""
    import numpy as np
    import torch

    import cnncourse

    doctest_namespace.update(np=np, torch=torch, **{name: getattr(cnncourse, name) for name in cnncourse.__all__})
