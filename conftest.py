"""pytest configuration shared by the unit tests and the notebook tests.

Notebooks are committed without outputs, so nbval has nothing to compare a
cell tagged ``nbval-check-output`` with. The expected output of such a cell
lives in its metadata (``expected_output``, written by ``python
tests/golden.py``); this hook hands it to nbval as the reference output
before the cells run.
"""

from __future__ import annotations

import os

import nbformat
import pytest

CHECK_TAG = "nbval-check-output"

# Notebooks run offline in tests: untrained VGG16 weights unless told otherwise.
os.environ.setdefault("CNNCOURSE_WEIGHTS", "random")


def pytest_collection_modifyitems(session, config, items):
    for item in items:
        cell = getattr(item, "cell", None)
        if cell is None or CHECK_TAG not in cell.get("metadata", {}).get("tags", []):
            continue
        expected = cell.get("metadata", {}).get("expected_output")
        if expected is not None:
            cell.outputs = [nbformat.from_dict(output) for output in expected]
            cell.execution_count = 1


@pytest.fixture(autouse=True)
def _doctest_names(doctest_namespace):
    """The docstring examples run with NumPy, PyTorch and the package's public names at hand."""
    import numpy as np
    import torch

    import cnncourse

    doctest_namespace.update(np=np, torch=torch, **{name: getattr(cnncourse, name) for name in cnncourse.__all__})
