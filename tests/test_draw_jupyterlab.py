"""The draw explorer in a real JupyterLab (anywidget), headless Chromium, offline.

A small notebook makes ``DrawExplorer(SmallCNN(), images, labels)``; the anywidget front end
(the website's ``cnn-draw.mjs`` on ``cnn-net.js``) renders in the output; a stroke drawn with the
mouse reaches Python (``draw.image``), and ``draw.image = ...`` from a cell redraws the explorer.
No cell fails, no error in the browser's console. Marked ``site`` (needs Chromium and JupyterLab).
"""

from __future__ import annotations

import sys
from pathlib import Path

import nbformat
import pytest
from test_jupyterlab import CHROMIUM, TOKEN, jupyter_lab

pytestmark = [pytest.mark.site]

ROOT = Path(__file__).resolve().parent.parent
CELLS = [
    "import numpy as np\nimport torch\nfrom cnncourse import DrawExplorer, SmallCNN, make_shapes\n\n"
    "torch.manual_seed(0)\nimages, labels = make_shapes(60, seed=0)\n"
    "draw = DrawExplorer(SmallCNN(), images, labels)\ndraw",
    "print('ink pixels:', int((draw.image > 0).sum()))",
    "draw.image = np.eye(32, dtype=np.float32)",
]


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """A JupyterLab server on a folder holding the small notebook; yields its base URL."""
    if not CHROMIUM.exists():
        pytest.skip(f"no Chromium at {CHROMIUM}")
    lab_command = Path(sys.executable).with_name("jupyter-lab")
    if not lab_command.exists():
        pytest.skip(f"JupyterLab is not installed in this environment ({lab_command})")
    pytest.importorskip("anywidget", reason="anywidget is not installed")
    work = tmp_path_factory.mktemp("draw-lab")
    (work / "notebooks").mkdir()
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in CELLS])
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(notebook, work / "notebooks" / "draw.ipynb")
    with jupyter_lab(work, work / "notebooks", OMP_NUM_THREADS="1") as url:
        yield url


def _run_cell(page, index: int) -> None:
    """Run cell ``index`` and wait until the kernel has answered (its prompt shows a number)."""
    page.evaluate("""i => { const w = window.jupyterapp.shell.currentWidget;
      w.content.activeCellIndex = i; return window.jupyterapp.commands.execute('notebook:run-cell'); }""", index)
    page.wait_for_function("""i => { const w = window.jupyterapp.shell.currentWidget;
      const p = w.content.widgets[i].node.querySelector('.jp-InputPrompt');
      return p && /\\[\\d+\\]/.test(p.textContent) && w.sessionContext.session.kernel.status === 'idle'; }""",
                           arg=index, timeout=120_000)


INK = """() => { const c = document.querySelector('.cnn-draw-ink');
  const d = c.getContext('2d').getImageData(0, 0, 32, 32).data; let n = 0;
  for (let i = 0; i < d.length; i += 4) if (d[i] > 0) n++; return n; }"""


def test_draw_in_jupyterlab_reaches_python_and_back(lab, browser_context):
    page = browser_context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" and "favicon" not in m.text else None)
    page.set_default_timeout(60_000)
    page.goto(f"{lab}/lab/workspaces/draw/tree/draw.ipynb?token={TOKEN}&reset")
    page.wait_for_function("() => window.jupyterapp && window.jupyterapp.shell.currentWidget"
                           " && window.jupyterapp.shell.currentWidget.sessionContext.session"
                           " && window.jupyterapp.shell.currentWidget.sessionContext.session.kernel"
                           " && window.jupyterapp.shell.currentWidget.sessionContext.session.kernel.status === 'idle'")
    _run_cell(page, 0)
    page.wait_for_selector(".cnn-draw .cnn-draw-stage canvas[data-stage=pool3]")
    assert page.evaluate(INK) == 0
    ink = page.locator(".cnn-draw-ink")
    ink.scroll_into_view_if_needed()
    box = ink.bounding_box()
    page.mouse.move(box["x"] + box["width"] * 0.2, box["y"] + box["height"] * 0.5)
    page.mouse.down()
    for k in range(1, 13):
        page.mouse.move(box["x"] + box["width"] * (0.2 + 0.05 * k), box["y"] + box["height"] * 0.5)
    page.mouse.up()
    drawn = page.evaluate(INK)
    assert drawn >= 10
    _run_cell(page, 1)
    output = page.evaluate("() => window.jupyterapp.shell.currentWidget.content.widgets[1].node"
                           ".querySelector('.jp-OutputArea-output').textContent")
    assert output.strip() == f"ink pixels: {drawn}"
    _run_cell(page, 2)
    page.wait_for_function(INK.replace("return n;", "return n === 32;"))
    page.evaluate("() => window.jupyterapp.shell.currentWidget.sessionContext.shutdown()")
    page.close()
    assert not errors, errors
