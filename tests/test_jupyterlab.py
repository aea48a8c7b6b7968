"""The notebooks in a real JupyterLab, run in headless Chromium, offline.

Marked ``site`` like the browser test of the website (``make site-test``
runs both). It starts ``jupyter lab`` from this environment (no browser, a
token, a free port on 127.0.0.1) on a temporary copy of chapters 1 and 6 and of the Chinese chapter 1,
opens each in Debian's Chromium through Playwright, runs all cells
(JupyterLab's ``notebook:run-all-cells``) with untrained VGG16 weights, and
checks what a learner sees:

* each explorer shows **once**: one live widget per ``explorer.show(...)``,
  and no recorded player of it beside it (the website's player is in the same
  output, and JupyterLab shows the widget);
* MyST is **rendered** (jupyterlab-myst): admonitions are ``aside`` elements,
  no raw ```` ```{note} ```` or ``{admonition}`` text is left;
* the website's note ("On this website ...") is nowhere in the notebook;
* the text's measured values (``{eval}`glued(...)``` expressions) read "…"
  before the run and the reader's own values after it: never a storage name
  such as ``ch1_equiv_inside``, an expression, or an error;
* moving the explorer's slider (the keyboard, as a learner would) changes
  the picture;
* chapter 1's explorer, an anywidget computed in the browser, answers a click and a typed kernel
  without a kernel round trip (well under 100 ms), sends its state to Python (``explorer.kernel``),
  and follows ``explorer.position = ...`` set in a cell;
* no cell fails.

A screenshot of each notebook goes to ``test-artifacts/jupyterlab/``.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

# `make site-test` shares tests out with --dist loadgroup: the tests of one edition run on one
# pytest-xdist worker, which starts one JupyterLab server for them; the two editions run side by side.
pytestmark = [pytest.mark.site]

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = Path(os.environ.get("CNNCOURSE_CHROMIUM") or "/usr/bin/chromium")
ARTIFACTS = ROOT / "test-artifacts" / "jupyterlab"
TOKEN = "cnncourse-test"
# The explorer of each chapter: its slider, and the text of the picture's alt or cells that must change.
CHAPTERS = {
    "01_convolution.ipynb": 1,
    "06_feature_maps.ipynb": 1,
    "zh/01_convolution.ipynb": 1,  # the Chinese edition's copy (zh/chapters)
}
# Every chapter of both editions: Run All, then the text's values are read. That takes about 8 minutes
# (measured: 495 s on 2 cores), so `make test` runs it only for CHAPTERS above; `make lab-test` sets
# CNNCOURSE_LAB_EVERY_CHAPTER=1 and runs it for all.
EVERY_CHAPTER = sorted([p.name for p in (ROOT / "chapters").glob("*.ipynb")]
                       + [f"zh/{p.name}" for p in (ROOT / "zh" / "chapters").glob("*.ipynb")])
RUN_TIMEOUT_S = 240


def _in_its_edition(names):
    """The tests of each edition on one worker, with one JupyterLab server."""
    return [pytest.param(name, marks=pytest.mark.xdist_group(f"jupyterlab-{'zh' if '/' in name else 'en'}"))
            for name in names]

# Queries stay inside the open notebook (window.jupyterapp.shell.currentWidget).
CELLS_STATE = """() => {
  const root = window.jupyterapp.shell.currentWidget.node;
  const prompts = Array.from(root.querySelectorAll('.jp-CodeCell .jp-InputPrompt'))
                       .map(p => p.textContent.trim());
  const errors = Array.from(root.querySelectorAll(
      '.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"] .jp-RenderedText, '
      + '.jp-RenderedText[data-mime-type="application/vnd.jupyter.error"]'))
    .map(e => e.textContent).filter(t => /Error|Traceback/.test(t)).map(t => t.slice(0, 600));
  return {prompts, errors};
}"""

WHAT_A_LEARNER_SEES = """() => {
  const root = window.jupyterapp.shell.currentWidget.node;
  const cells = Array.from(root.querySelectorAll('.jp-Notebook .jp-Cell'));
  const code = cells.filter(c => c.classList.contains('jp-CodeCell'));
  const source = c => (c.querySelector('.jp-InputArea-editor') || {}).textContent || '';
  const shows = code.filter(c => /\\w\\.show\\(title=/.test(source(c)));  // CodeMirror: lines without newlines
  const live = '.jupyter-widgets.cnn-display, .cnn-livebox';  // an ipywidgets explorer, or an anywidget one
  const widgetOutputs = Array.from(root.querySelectorAll('.jp-OutputArea-output'))
                             .filter(o => o.querySelector(live));
  const markdown = cells.filter(c => c.classList.contains('jp-MarkdownCell'))
                        .map(c => c.querySelector('.myst, .jp-RenderedMarkdown, .jp-MarkdownOutput'))
                        .filter(Boolean).map(m => m.textContent);
  return {
    shows: shows.length,
    showOutputs: shows.map(c => c.querySelectorAll('.jp-OutputArea-output').length),
    showWidgets: shows.map(c => c.querySelectorAll(live).length > 0),
    showPlayers: shows.map(c => c.querySelectorAll('.cnn-player').length),
    widgetOutputs: widgetOutputs.length,
    admonitions: root.querySelectorAll('.jp-MarkdownCell aside.myst-admonition').length,
    rawMyst: markdown.filter(t => /```\\{|\\{(note|admonition|tip|warning)\\}/.test(t)).map(t => t.slice(0, 120)),
    websiteText: markdown.filter(t => t.includes('On this website')).length,
  };
}"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _lab_settings(folder: Path) -> None:
    """Every cell rendered (no windowing: the checks read the whole notebook), no news pop-up."""
    settings = {
        "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {"windowingMode": "none"},
        "@jupyterlab/apputils-extension/notification.jupyterlab-settings": {"fetchNews": "false"},
    }
    for name, values in settings.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(values))


@contextlib.contextmanager
def jupyter_lab(work: Path, root: Path, **env: str):
    """A JupyterLab server (headless, offline, settings in ``work``) on the notebooks in ``root``; yields its URL.

    ``env`` adds environment variables for the server and its kernels.
    """
    lab_command = Path(sys.executable).with_name("jupyter-lab")
    _lab_settings(work / "settings")
    port = _free_port()
    environment = dict(os.environ, **env, JUPYTERLAB_SETTINGS_DIR=str(work / "settings"),
                       JUPYTER_RUNTIME_DIR=str(work / "runtime"), JUPYTER_CONFIG_DIR=str(work / "config"),
                       PYTHONPATH=os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]).rstrip(os.pathsep))
    environment.pop("CNNCOURSE_RECORD_PLAYERS", None)  # a learner's JupyterLab does not record players
    log = (work / "server.log").open("w")
    server = subprocess.Popen(
        [str(lab_command), "--no-browser", "--allow-root", "--ip=127.0.0.1", f"--port={port}",
         f"--ServerApp.token={TOKEN}", "--ServerApp.open_browser=False", f"--ServerApp.root_dir={root}",
         "--LabApp.expose_app_in_browser=True", "--LabApp.news_url=None",
         "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate"],
        env=environment, stdout=log, stderr=subprocess.STDOUT, cwd=work)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            if server.poll() is not None:
                pytest.fail(f"jupyter lab stopped: {(work / 'server.log').read_text()[-2000:]}")
            try:
                urllib.request.urlopen(f"{url}/api/status?token={TOKEN}", timeout=2)
                break
            except OSError:
                if time.monotonic() > deadline:
                    pytest.fail("jupyter lab did not answer within 60 s")
                time.sleep(0.5)
        yield url
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """A JupyterLab server on a copy of the chapters; yields its base URL."""
    if not CHROMIUM.exists():
        pytest.skip(f"no Chromium at {CHROMIUM} (apt-get install -y chromium, or set CNNCOURSE_CHROMIUM)")
    lab_command = Path(sys.executable).with_name("jupyter-lab")
    if not lab_command.exists():
        pytest.skip(f"JupyterLab is not installed in this environment ({lab_command})")
    pytest.importorskip("jupyterlab_myst", reason="jupyterlab-myst is not installed (requirements.txt)")
    work = tmp_path_factory.mktemp("lab")
    notebooks = work / "chapters"
    notebooks.mkdir()
    for name in EVERY_CHAPTER:
        edition, _, file = name.rpartition("/")
        (notebooks / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(ROOT / edition / "chapters" / file, notebooks / name)
    with jupyter_lab(work, notebooks, CNNCOURSE_WEIGHTS="random") as url:
        yield url


def _run_all(page, name: str) -> dict:
    page.wait_for_function("() => window.jupyterapp && window.jupyterapp.shell.currentWidget"
                           " && window.jupyterapp.shell.currentWidget.node.querySelector('.jp-Cell')",
                           timeout=60_000)
    page.wait_for_function(
        "() => { const w = window.jupyterapp.shell.currentWidget;"
        " return w && w.sessionContext && w.sessionContext.session && w.sessionContext.session.kernel"
        " && w.sessionContext.session.kernel.status === 'idle'; }", timeout=60_000)
    page.evaluate("() => window.jupyterapp.commands.execute('notebook:run-all-cells')")
    deadline = time.monotonic() + RUN_TIMEOUT_S
    while True:
        state = page.evaluate(CELLS_STATE)
        if state["errors"]:
            return state
        # "[ ]:" not run yet, "[*]:" running; a collapsed cell (a hidden solution) shows no prompt.
        waiting = [p for p in state["prompts"] if p in ("[ ]:", "[*]:")]
        if state["prompts"] and not waiting and any(p[1:-2].isdigit() for p in state["prompts"]):
            return state
        if time.monotonic() > deadline:
            pytest.fail(f"{name}: the cells did not finish within {RUN_TIMEOUT_S} s: {state['prompts']}")
        time.sleep(1)


# Each Markdown cell with inline expressions: its source, what it shows, and the stored results.
INLINE_VALUES = """() => window.jupyterapp.shell.currentWidget.content.widgets
  .filter(cell => cell.model.type === 'markdown' && /\\{eval\\}`/.test(cell.model.sharedModel.getSource()))
  .map(cell => ({
    source: cell.model.sharedModel.getSource(),
    shown: ((cell.node.querySelector('.myst, .jp-RenderedMarkdown, .jp-MarkdownOutput') || {})
            .textContent || ''),
    results: (cell.model.getMetadata('user_expressions') || []).map(e => ({
      expression: e.expression, status: e.result.status,
      text: (e.result.data || {})['text/plain'] || e.result.evalue || ''})),
  }))"""
# Filled: every stored result is the kernel's, and the rendered text shows it (the renderer may lag).
FILLED = ("() => { const cells = (" + INLINE_VALUES + ")(); return cells.length > 0"
          " && cells.every(c => c.results.length && c.results.every(r => r.text !== '…')"
          " && c.shown.split('…').length === c.source.split('…').length); }")
RENDERED = ("() => { const w = window.jupyterapp && window.jupyterapp.shell.currentWidget;"
            " if (!w || !w.content || !w.content.widgets) return false; const cells = (" + INLINE_VALUES + ")();"
            " return cells.length > 0 && cells.every(c => c.shown.length > 0); }")
FIRST_VALUE = """() => window.jupyterapp.shell.currentWidget.content.widgets
  .find(cell => cell.model.type === 'markdown' && /\\{eval\\}`/.test(cell.model.sharedModel.getSource()))
  .node.scrollIntoView()"""
STORAGE_NAME = re.compile(r"\bch\d_\w+|glued\(|\{eval\}|\{glue")


def _inline_values(page, name: str, *, run: bool) -> list[dict]:
    """The text's values before (``run=False``) or after a Run All: "…", then the kernel's values."""
    if run:  # jupyterlab-myst evaluates a cell's expressions just after running it
        from playwright.sync_api import TimeoutError as PlaywrightTimeout

        try:
            page.wait_for_function(FILLED, timeout=60_000)
        except PlaywrightTimeout:
            pass  # the checks below say which value is missing
    cells = page.evaluate(INLINE_VALUES)
    assert cells, f"{name}: no Markdown cell shows a measured value"
    for cell in cells:
        where = f"{name}: {cell['shown'][:100]!r}"
        assert not STORAGE_NAME.search(cell["shown"]), f"{where} shows a storage name or a raw role"
        placeholders = cell["shown"].count("…") - cell["source"].count("…")
        if not run:
            assert placeholders >= 1, f"{where}: an unrun value should read '…'"
            continue
        assert placeholders == 0, f"{where}: a value still reads '…' after the run"
        for result in cell["results"]:
            assert result["status"] == "ok", f"{where}: {result}"
            assert result["text"] in cell["shown"], f"{where} does not show {result}"
    return cells


PICTURE = """() => Array.from(document.querySelectorAll('.jupyter-widgets.cnn-display, .cnn-livebox .cnn-live-display'))
    .map(e => e.innerHTML + Array.from(e.querySelectorAll('canvas')).map(c => c.cnnMatrix ? JSON.stringify(c.cnnMatrix.grid) : '').join(''))
    .join('')"""


def _picture(page) -> str:
    """The explorer's picture (its display area's HTML, and what its canvases hold)."""
    return page.evaluate(PICTURE)


def _open_and_run_all(page, lab: str, name: str) -> None:
    """Open ``name`` in a workspace of its own, check its values read '…', Run All: no cell may fail."""
    page.set_default_timeout(30_000)
    page.goto(f"{lab}/lab/workspaces/{name.replace('/', '-')[:-6]}/tree/{name}?token={TOKEN}&reset")
    page.wait_for_function(RENDERED, timeout=60_000)
    _inline_values(page, name, run=False)
    state = _run_all(page, name)
    assert not state["errors"], f"{name}: a cell failed: {state['errors']}"


def _close(page) -> None:
    """Shut the notebook's kernel down (a dozen kernels holding VGG16 would fill the memory), close the page."""
    page.evaluate("() => window.jupyterapp.shell.currentWidget.sessionContext.shutdown()")
    page.close()


@pytest.mark.skipif(not os.environ.get("CNNCOURSE_LAB_EVERY_CHAPTER"),
                    reason="every chapter in JupyterLab takes 8 minutes: make lab-test")
@pytest.mark.parametrize("name", _in_its_edition(n for n in EVERY_CHAPTER if n not in CHAPTERS))
def test_after_run_all_the_text_shows_the_readers_own_values(lab, browser_context, name):
    page = browser_context.new_page()
    _open_and_run_all(page, lab, name)
    _inline_values(page, name, run=True)
    _close(page)


@pytest.mark.parametrize("name", _in_its_edition(CHAPTERS))
def test_a_chapter_runs_in_jupyterlab_with_one_live_explorer_and_rendered_myst(lab, browser_context, name):
    page = browser_context.new_page()  # the session's browser (tests/conftest.py), 1280 x 900
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    _open_and_run_all(page, lab, name)

    page.wait_for_selector(".jupyter-widgets.cnn-display, .cnn-livebox", state="attached", timeout=30_000)
    seen = page.evaluate(WHAT_A_LEARNER_SEES)
    assert seen["shows"] == CHAPTERS[name], seen
    assert seen["showOutputs"] == [1] * seen["shows"], f"an explorer's cell has more than one output: {seen}"
    assert all(seen["showWidgets"]), f"an explorer shows no live widget: {seen}"
    assert seen["showPlayers"] == [0] * seen["shows"], f"JupyterLab shows the recorded player too: {seen}"
    assert seen["widgetOutputs"] == seen["shows"], f"each explorer is shown once: {seen}"
    assert seen["admonitions"] >= 1 and not seen["rawMyst"], f"MyST is not rendered: {seen}"
    assert seen["websiteText"] == 0, "the website's note is in the notebook"
    _inline_values(page, name, run=True)

    slider = page.locator(".jupyter-widgets.cnn-display, .cnn-livebox").first.locator(
        "xpath=ancestor::div[contains(@class, 'jp-OutputArea-output')]").locator(
        ".widget-slider .noUi-handle, .widget-slider .ui-slider-handle, .cnn-livebox input[type=range]").first
    slider.scroll_into_view_if_needed()
    before = _picture(page)
    slider.focus()
    page.keyboard.press("ArrowRight")
    page.wait_for_function(f"(before) => ({PICTURE})() !== before", arg=before, timeout=30_000)
    assert _picture(page) != before
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    slider.scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / f"{name.replace('/', '-')[:-6]}.png"))
    page.evaluate(FIRST_VALUE)  # a paragraph with the reader's own values
    page.screenshot(path=str(ARTIFACTS / f"{name.replace('/', '-')[:-6]}-values.png"))
    assert not errors, f"{name}: JavaScript errors: {errors}"
    _close(page)


# In the page: the time from a reader's change to the redrawn explorer (the change's event, then layout).
TIMED = """async ([what, value]) => {
  const box = document.querySelector('.cnn-livebox'), t0 = performance.now();
  const control = box.querySelector(what);
  control.value = value;
  control.dispatchEvent(new Event(what.startsWith('textarea') ? 'change' : 'input', {bubbles: true}));
  void box.offsetHeight;
  return [performance.now() - t0, box.dataset.step, box.dataset.problem || null];
}"""
# Runs code in the notebook's kernel (as a cell would) and returns what it printed.
KERNEL = """code => new Promise((done, failed) => {
  const kernel = window.jupyterapp.shell.currentWidget.sessionContext.session.kernel, out = [];
  const future = kernel.requestExecute({code});
  future.onIOPub = msg => {
    if (msg.header.msg_type === 'stream') out.push(msg.content.text);
    if (msg.header.msg_type === 'error') failed(new Error(msg.content.evalue));
  };
  future.done.then(() => done(out.join('')));
})"""


@pytest.mark.parametrize("name", _in_its_edition(["01_convolution.ipynb"]))
def test_the_anywidget_explorer_answers_at_once_and_python_reads_and_sets_it(lab, browser_context, name):
    page = browser_context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    _open_and_run_all(page, lab, name)
    page.wait_for_selector(".cnn-livebox", timeout=30_000)
    page.locator(".cnn-livebox").first.scroll_into_view_if_needed()
    took, step, problem = page.evaluate(TIMED, ["input[type=range]", "4"])
    assert (step, problem) == ("4", None) and took < 100, (took, step, problem)
    took, _, problem = page.evaluate(TIMED, ["textarea[aria-label=kernel]", "0 1\n1 0"])
    assert problem is None and took < 100, (took, problem)
    # The front end's state reaches Python (through the comm, soon after), and Python's reaches the front end.
    deadline = time.monotonic() + 10
    while "[[0.0, 1.0], [1.0, 0.0]]" not in (said := page.evaluate(KERNEL, "print(explorer.kernel.tolist())")):
        assert time.monotonic() < deadline, f"Python did not get the typed kernel: {said}"
        time.sleep(0.2)
    assert page.evaluate(KERNEL, "print(explorer.position, explorer.output.tolist())").startswith("4 [[1.0, 2.0, 1.0, 1.0]")
    page.evaluate(KERNEL, "explorer.position = 9")
    page.wait_for_function("() => document.querySelector('.cnn-livebox').dataset.step === '9'", timeout=10_000)
    page.evaluate(KERNEL, "explorer.kernel = [[1, 1, 1]]")
    page.wait_for_function("() => document.querySelector('.cnn-livebox textarea[aria-label=kernel]').value === '1 1 1'",
                           timeout=10_000)
    assert not errors, f"{name}: JavaScript errors: {errors}"
    _close(page)
