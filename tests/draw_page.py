"""A page with the draw explorer as the website mounts it, served from a temporary folder (for tests and the bench).

The page holds what :meth:`cnncourse.DrawExplorer.page_html` writes (the exported network of a real,
short training run and its examples), then the explorers' host ``cnn-live-host.js`` and ``cnn-net.js``
(deferred, in the order the site's page_scripts gives them), and the host imports ``cnn-draw.mjs``. An ES module needs http, not file://: a
local server in a thread serves the folder.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import shutil
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCRIPTS = ("cnn-net.js", "cnn-live-host.js", "cnn-draw.mjs")

PAGE = """<!doctype html><html lang="{lang}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><link rel="icon" href="data:,">
<script defer src="_static/cnn-live-host.js"></script><script defer src="_static/cnn-net.js"></script>
<style>body{{font-family:sans-serif;margin:8px;max-width:60em}}</style></head><body>
<h1>Chapter 4</h1><p>{filler}</p>{html}<p>{filler}</p></body></html>"""


def write_page(folder: Path, html: str, *, lang: str = "en") -> Path:
    """``folder/index.html`` with ``html`` (the explorer's mount) and the scripts in ``folder/_static``."""
    (folder / "_static").mkdir(parents=True, exist_ok=True)
    for name in SCRIPTS:
        shutil.copy(ROOT / "_static" / name, folder / "_static" / name)
    filler = "Text above and below the explorer, so that the page can scroll. " * 80
    (folder / "index.html").write_text(PAGE.format(lang=lang, filler=filler, html=html), encoding="utf-8")
    return folder / "index.html"


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:  # no log lines in the test output
        pass


@contextlib.contextmanager
def serving(folder: Path):
    """The base URL of a local http server for ``folder``, while the block runs."""
    handler = functools.partial(_Quiet, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
