"""Chapter 1's explorer in a real JupyterLab: the anywidget version against the ipywidgets version, side by side.

Run from the repository root (needs JupyterLab, Chromium and Playwright; git, for the old version)::

    python benchmarks/bench_notebook_explorers.py [--old 6534704] [-n 60]

Writes two notebooks that show ``ConvolutionExplorer()`` (the classic 5 x 5 example): one with the
package of commit ``--old`` (the ipywidgets explorer, computed by the kernel), one with this working tree's
(the anywidget explorer, computed in the browser). One JupyterLab server runs both (each notebook puts
its package first on ``sys.path``); Chromium opens each, runs it, and times ``-n`` changes of each kind:
from the control's event (the slider's key, a typed kernel's ``change``) to the explorer's redrawn
picture, in the page (``performance.now()``; the old one waits for the kernel's new HTML, the new one
for its own redraw and layout). Prints the median and 95th percentile of each, and their ratio
(target: the new one at least 5 times faster at the 95th percentile).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).parent))
from _timing import timed  # noqa: E402

CHROMIUM = os.environ.get("CNNCOURSE_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
TOKEN = "cnncourse-bench"

# One change and the time until the picture is redrawn. Old: a key on the noUiSlider handle or a typed
# kernel, then the kernel's new HTML arrives (a mutation of the display). New: the same, redrawn at once.
MEASURE = """async ([kind, n]) => {
  const root = window.jupyterapp.shell.currentWidget.node;
  const live = root.querySelector('.cnn-livebox');
  const display = live ? live.querySelector('.cnn-live-display') : root.querySelector('.jupyter-widgets.cnn-display');
  const frame = () => new Promise(r => requestAnimationFrame(() => r()));
  const changed = () => new Promise((resolve, reject) => {
    const seen = new MutationObserver(() => { seen.disconnect(); resolve(performance.now()); });
    seen.observe(display, {childList: true, subtree: true, characterData: true, attributes: true});
    setTimeout(() => reject(new Error('no redraw within 5 s')), 5000);
  });
  const kernels = ['1 0 1\\n0 1 0\\n1 0 1', '0 1 0\\n1 0 1\\n0 1 0'];
  const times = [];
  for (let k = 0; k < n + 3; k++) {
    await frame();
    let t0, t1;
    if (live) {
      t0 = performance.now();
      if (kind === 'position') {
        const s = live.querySelector('input[type=range]');
        s.value = (Number(s.value) + 1) % (Number(s.max) + 1);
        s.dispatchEvent(new Event('input', {bubbles: true}));
      } else {
        const t = live.querySelector('textarea[aria-label=kernel]');
        t.value = kernels[k % 2];
        t.dispatchEvent(new Event('change', {bubbles: true}));
      }
      void live.offsetHeight;
      t1 = performance.now();
    } else {
      const output = display.closest('.jp-OutputArea-output');
      const done = changed();
      t0 = performance.now();
      if (kind === 'position') {
        const handle = output.querySelector('.noUi-handle');
        const at = Number(handle.getAttribute('aria-valuenow')), max = Number(handle.getAttribute('aria-valuemax'));
        handle.dispatchEvent(new KeyboardEvent('keydown', {key: at >= max ? 'Home' : 'ArrowRight', bubbles: true}));
      } else {
        const t = Array.from(output.querySelectorAll('textarea')).find(a => a.value.includes('\\n'));
        t.value = kernels[k % 2];
        t.dispatchEvent(new Event('change', {bubbles: true}));
      }
      t1 = await done;
      void display.offsetHeight;
      t1 = Math.max(t1, performance.now());
    }
    if (k >= 3) times.push(t1 - t0);
  }
  return times;
}"""


def notebook(package: Path) -> dict:
    source = (f"import sys\nsys.path.insert(0, {str(package)!r})\nfrom cnncourse import ConvolutionExplorer\n"
              "explorer = ConvolutionExplorer()\nexplorer")
    return {"cells": [{"cell_type": "code", "execution_count": None, "id": "explorer", "metadata": {},
                       "outputs": [], "source": source}],
            "metadata": {"kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"}},
            "nbformat": 4, "nbformat_minor": 5}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def open_and_run(page, url: str, name: str) -> None:
    page.goto(f"{url}/lab/tree/{name}?token={TOKEN}&reset")
    page.wait_for_function("() => { const w = window.jupyterapp && window.jupyterapp.shell.currentWidget;"
                           " return w && w.sessionContext && w.sessionContext.session && w.sessionContext.session.kernel"
                           " && w.sessionContext.session.kernel.status === 'idle'; }", timeout=90_000)
    page.evaluate("() => window.jupyterapp.commands.execute('notebook:run-all-cells')")
    page.wait_for_function("() => window.jupyterapp.shell.currentWidget.node"
                           ".querySelector('.cnn-livebox, .jupyter-widgets.cnn-display .cnn-step')", timeout=90_000)
    page.wait_for_timeout(1000)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--old", default="6534704", help="the commit with the ipywidgets explorer")
    parser.add_argument("-n", type=int, default=60, help="changes of each kind")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        old = work / "old"
        old.mkdir()
        archive = subprocess.run(["git", "archive", args.old, "cnncourse"], cwd=ROOT, check=True, capture_output=True)
        subprocess.run(["tar", "-x", "-C", str(old)], input=archive.stdout, check=True)
        notebooks = work / "notebooks"
        notebooks.mkdir()
        for name, package in (("old.ipynb", old), ("new.ipynb", ROOT)):
            (notebooks / name).write_text(json.dumps(notebook(package)))
        port, log = free_port(), (work / "lab.log").open("w")
        env = dict(os.environ, JUPYTER_RUNTIME_DIR=str(work / "runtime"), JUPYTER_CONFIG_DIR=str(work / "config"),
                   JUPYTERLAB_SETTINGS_DIR=str(work / "settings"), OMP_NUM_THREADS="1")
        env.pop("CNNCOURSE_RECORD_PLAYERS", None)
        server = subprocess.Popen(
            [str(Path(sys.executable).with_name("jupyter-lab")), "--no-browser", "--allow-root", "--ip=127.0.0.1",
             f"--port={port}", f"--ServerApp.token={TOKEN}", f"--ServerApp.root_dir={notebooks}",
             "--LabApp.expose_app_in_browser=True", "--LabApp.news_url=None",
             "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate"],
            env=env, stdout=log, stderr=subprocess.STDOUT, cwd=work)
        url = f"http://127.0.0.1:{port}"
        try:
            for _ in range(120):
                try:
                    urllib.request.urlopen(f"{url}/api/status?token={TOKEN}", timeout=2)
                    break
                except OSError:
                    time.sleep(0.5)
            results, opened = {}, {}
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=["--no-sandbox"])
                for name in ("old.ipynb", "new.ipynb"):
                    page = browser.new_page(viewport={"width": 1280, "height": 900})
                    opened[name], _ = timed(lambda: open_and_run(page, url, name))
                    for kind in ("position", "kernel"):
                        results[name, kind] = np.array(page.evaluate(MEASURE, [kind, args.n]))
                    page.evaluate("() => window.jupyterapp.shell.currentWidget.sessionContext.shutdown()")
                    page.close()
                browser.close()
        finally:
            server.terminate()
            server.wait(timeout=20)
            log.close()
    print(f"== Chapter 1's explorer in JupyterLab: from a change to the redrawn picture, {args.n} changes each")
    print(f"{'change':10s} {'ipywidgets (' + args.old + ')':>28s} {'anywidget (this tree)':>28s} {'p95 ratio':>10s}")
    print(f"{'':10s} {'median ms':>13s} {'p95 ms':>14s} {'median ms':>13s} {'p95 ms':>14s}")
    for kind in ("position", "kernel"):
        old, new = results["old.ipynb", kind], results["new.ipynb", kind]
        ratio = np.percentile(old, 95) / np.percentile(new, 95)
        print(f"{kind:10s} {np.median(old):13.2f} {np.percentile(old, 95):14.2f} {np.median(new):13.2f} "
              f"{np.percentile(new, 95):14.2f} {ratio:9.1f}x")
    print(f"== Opening and running each notebook until its explorer shows: ipywidgets {opened['old.ipynb']:.1f} s, "
          f"anywidget {opened['new.ipynb']:.1f} s")


if __name__ == "__main__":
    main()
