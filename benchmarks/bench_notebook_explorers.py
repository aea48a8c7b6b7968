"""Chapter 1's explorer in a real JupyterLab: the anywidget version against the ipywidgets version, side by side.

Run from the repository root (needs JupyterLab, Chromium and Playwright; git, for the old version)::

    python benchmarks/bench_notebook_explorers.py [--old 6534704] [-n 60]

Writes two notebooks that show ``ConvolutionExplorer()`` (the classic 5 x 5 example): one with the
package of commit ``--old`` (the ipywidgets explorer, computed by the kernel), one with this working tree's
(the anywidget explorer, computed in the browser). One JupyterLab server runs both (each notebook puts
its package first on ``sys.path``); Chromium opens each, runs it, and times ``-n`` changes of each kind:
from the control's event (a real arrow key on the slider, a typed kernel's ``change``) to the mutation of
the explorer's picture, in the page (the old one waits for the kernel's new HTML, the new one redraws
itself). Prints the median and 95th percentile of each, and their ratio
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

# One change and the time until the picture is redrawn, both taken in the page: from the key's event
# (a real key press on the slider, as a reader's) or the typed kernel's change, to the mutation of the
# explorer's picture (the old one's HTML from the kernel; the new one's own redraw).
ARM = """kind => {
  const root = window.jupyterapp.shell.currentWidget.node, live = root.querySelector('.cnn-livebox');
  const display = live ? live.querySelector('.cnn-live-display')  // the old one's picture: its last HTML area
                       : Array.from(root.querySelectorAll('.jupyter-widgets.cnn-display')).pop();
  const output = display.closest('.jp-OutputArea-output'), t = window.__bench = {t0: null, t1: null};
  const seen = new MutationObserver(() => { if (t.t1 === null) t.t1 = performance.now(); seen.disconnect(); });
  seen.observe(display, {childList: true, subtree: true, characterData: true, attributes: true});
  if (kind === 'kernel') {
    const area = live ? live.querySelector('textarea[aria-label=kernel]')
                      : Array.from(output.querySelectorAll('textarea')).find(a => a.value.includes('\\n'));
    const next = area.value.startsWith('1 0 1') ? '0 1 0\\n1 0 1\\n0 1 0' : '1 0 1\\n0 1 0\\n1 0 1';
    t.t0 = performance.now();
    area.value = next;
    area.dispatchEvent(new Event('change', {bubbles: true}));
    return null;
  }
  document.addEventListener('keydown', e => { if (t.t0 === null) t.t0 = e.timeStamp; }, {capture: true, once: true});
  const s = live ? live.querySelector('input[type=range]') : output.querySelector('.noUi-handle');
  const value = name => Number(live ? s[name] : s.getAttribute('aria-value' + {value: 'now', max: 'max', min: 'min'}[name]));
  if (value('value') >= value('max')) window.__direction = -1;
  if (value('value') <= value('min') || !window.__direction) window.__direction = 1;
  return window.__direction > 0 ? 'ArrowRight' : 'ArrowLeft';
}"""
SLIDER = ".cnn-livebox input[type=range], .widget-slider .noUi-handle"


def measure(page, kind: str, n: int) -> np.ndarray:
    """``n`` changes of ``kind`` (after 3 to warm up): milliseconds from each to the redrawn picture."""
    times = []
    for k in range(n + 3):
        page.wait_for_timeout(30)
        key = page.evaluate(ARM, kind)
        if key:
            page.locator(SLIDER).first.press(key)
        try:
            page.wait_for_function("() => window.__bench.t1 !== null && window.__bench.t0 !== null", timeout=10_000)
        except Exception:
            raise SystemExit(f"no redraw after change {k} ({kind}, key {key}): {page.evaluate('() => window.__bench')}")
        took = page.evaluate("() => window.__bench.t1 - window.__bench.t0")
        if k >= 3:
            times.append(took)
    return np.array(times)


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
                        results[name, kind] = measure(page, kind, args.n)
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
