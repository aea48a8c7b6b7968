"""Record the expected outputs of a notebook's checked cells.

Usage::

    python tests/golden.py chapters/01_convolution.ipynb [more.ipynb ...]

Runs each notebook top to bottom in a fresh kernel (with untrained VGG16
weights, as the tests do) and stores the text output of every cell marked
with the tag ``nbval-check-output`` in that cell's metadata (``expected_output``). The
notebook is written back without outputs or execution counts. Review the
diff: the stored values are the numbers the chapter's text states.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import nbformat
from nbclient import NotebookClient

CHECK_TAG = "nbval-check-output"
TEXT_KEYS = ("text/plain",)


def text_outputs(outputs: list) -> list[dict]:
    """Keep the text of streams and results; drop images, HTML and metadata."""
    kept = []
    for out in outputs:
        if out["output_type"] == "stream":
            if kept and kept[-1]["output_type"] == "stream" and kept[-1]["name"] == out["name"]:
                kept[-1]["text"] += out["text"]  # one stream, however the kernel chunked it
            else:
                kept.append({"output_type": "stream", "name": out["name"], "text": out["text"]})
        elif out["output_type"] in ("execute_result", "display_data"):
            data = {k: v for k, v in out["data"].items() if k in TEXT_KEYS}
            if data:
                kept.append({"output_type": out["output_type"], "data": data, "metadata": {},
                             **({"execution_count": 1} if out["output_type"] == "execute_result" else {})})
    return kept


def record(path: Path) -> int:
    nb = nbformat.read(path, as_version=4)
    executed = nbformat.read(path, as_version=4)
    os.environ.setdefault("CNNCOURSE_WEIGHTS", "random")
    NotebookClient(executed, timeout=900, kernel_name="python3",
                   resources={"metadata": {"path": str(path.parent)}}).execute()
    count = 0
    for cell, run in zip(nb.cells, executed.cells):
        if cell.cell_type != "code":
            continue
        cell.outputs, cell.execution_count = [], None
        if CHECK_TAG in cell.metadata.get("tags", []):
            cell.metadata["expected_output"] = text_outputs(run.outputs)
            count += 1
        else:
            cell.metadata.pop("expected_output", None)
    nbformat.write(nb, path)
    return count


if __name__ == "__main__":
    for name in sys.argv[1:]:
        print(f"{name}: recorded {record(Path(name))} checked cell(s)")
