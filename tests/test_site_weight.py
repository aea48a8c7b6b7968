"""How much a reader's browser loads for each page of the built website.

Run after building the site, like ``tests/test_site.py`` (whose server and
browser fixtures these tests share)::

    python -m pytest tests/test_site_weight.py -m site

**What counts as a page's weight**: every response body the browser receives
for the page, from a fresh cache, between opening it and the network going
quiet *after scrolling to the bottom* (so images that load lazily once they
come into view count; a player's later frames, which load when the reader
steps to them, do not). The local MathJax and its fonts count on pages with
maths. The limits (issue 13): at most :data:`MAX_PAGE_BYTES` per page and
:data:`MAX_HTML_BYTES` per HTML document.

Also checked here: no page carries the notebooks' ipywidgets state, MathJax
loads only on pages with maths, the theme's Font Awesome JavaScript is gone
(its icons come from the web font), every player still shows each of its
frames (now image files, see ``_ext/page_weight.py``), and the "Live Code"
button says what it needs within 10 s when mybinder.org is out of reach.

``python tests/test_site_weight.py [SITE]`` prints the weights of a build as a
table (the figures of the issue's before/after note).
"""

from __future__ import annotations

import sys
from pathlib import Path
from urllib.parse import urljoin

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from test_site import (  # noqa: F401 - the fixtures are used by name
    DESKTOP,
    PAGES,
    WAIT_FOR_MATHJAX,
    base_url,
    page_file,
    site,
)

pytestmark = pytest.mark.site

MAX_PAGE_BYTES = 4_000_000
MAX_HTML_BYTES = 600_000
LIVE_CODE_WAIT_MS = 10_000

SCROLL_TO_THE_BOTTOM = """async () => {
  for (let y = 0; y < document.documentElement.scrollHeight; y += window.innerHeight) {
    window.scrollTo(0, y);
    await new Promise(r => setTimeout(r, 60));
  }
  window.scrollTo(0, document.documentElement.scrollHeight);
  await new Promise(r => setTimeout(r, 200));
}"""


def load_page(context, base: str, doc: str):
    """Open ``doc`` with every request routed (other hosts aborted), the HTTP cache off.

    Returns the page, the list of its responses and the list of the URLs that
    tried to leave localhost. Playwright turns the HTTP cache off while a
    route is set, so every page is weighed as on a first visit.
    """
    page = context.new_page()
    page.set_viewport_size(DESKTOP)
    responses: list = []
    external: list[str] = []

    def route(r) -> None:
        url = r.request.url
        if url.startswith(base) or url.startswith(("data:", "blob:", "about:")):
            r.continue_()
        else:
            external.append(url)
            r.abort()

    page.route("**/*", route)
    page.on("response", lambda response: responses.append(response))
    page.goto(urljoin(base, f"{doc}.html"), wait_until="load")
    return page, responses, external


def weigh(context, base: str, doc: str) -> dict:
    """The bytes ``doc`` loads: in all, its HTML, and per kind of resource, with the URLs."""
    page, responses, _ = load_page(context, base, doc)
    try:
        return weigh_open_page(page, responses)
    finally:
        page.close()


def weigh_open_page(page, responses: list) -> dict:
    """:func:`weigh` for a page :func:`load_page` has just opened."""
    page.evaluate(WAIT_FOR_MATHJAX)
    page.evaluate(SCROLL_TO_THE_BOTTOM)
    try:  # every lazy frame the scroll asked for (a page with a live explorer may never go idle)
        page.wait_for_load_state("networkidle", timeout=20_000)
    except PlaywrightTimeout:
        page.wait_for_timeout(2_000)  # then weigh what it has loaded, which is what a reader gets
    sizes: dict[str, int] = {}
    kinds: dict[str, int] = {}
    for response in responses:
        try:
            size = len(response.body())
        except Exception:  # noqa: BLE001 - a redirect or an aborted request has no body
            continue
        sizes[response.url] = sizes.get(response.url, 0) + size
        kind = response.request.resource_type
        kinds[kind] = kinds.get(kind, 0) + size
    html = sum(size for url, size in sizes.items() if url.split("?")[0].split("#")[0].endswith(".html"))
    return {"total": sum(sizes.values()), "html": html, "kinds": kinds, "urls": sizes}


def _biggest(urls: dict[str, int], n: int = 6) -> str:
    top = sorted(urls.items(), key=lambda item: -item[1])[:n]
    return "\n    ".join(f"{size:>10,} B  {url}" for url, size in top)


# --------------------------------------------------------------------------
# Page weight
# --------------------------------------------------------------------------


@pytest.mark.parametrize("doc", PAGES)
def test_page_weight_then_every_player_frame(doc: str, site: Path, browser_context, base_url: str) -> None:
    """The page's weight (one load for both checks), then each frame of each player."""
    page, responses, external = load_page(browser_context, base_url, doc)
    try:
        problems = _hidden_frames_loaded_with_the_page(page)
        weight = weigh_open_page(page, responses)
        problems += _player_frame_problems(page)
    finally:
        page.close()
    html_file = page_file(doc).stat().st_size
    assert html_file <= MAX_HTML_BYTES, (
        f"{doc}.html is {html_file:,} bytes (limit {MAX_HTML_BYTES:,}): is an inline image "
        "left in it (see _ext/page_weight.py)?"
    )
    assert weight["total"] <= MAX_PAGE_BYTES, (
        f"{doc} loads {weight['total']:,} bytes (limit {MAX_PAGE_BYTES:,}); the biggest:\n    "
        + _biggest(weight["urls"])
    )
    mathjax = [url for url in weight["urls"] if "/mathjax/" in url]
    has_maths = 'class="math' in page_file(doc).read_text(encoding="utf-8")
    assert has_maths or not mathjax, f"{doc} has no maths but loads MathJax: {mathjax[:3]}"
    assert not any("fontawesome.js" in url for url in weight["urls"]), (
        f"{doc} loads the theme's Font Awesome JavaScript; its icons come from the web font"
    )
    assert not external, f"{doc}: requests left localhost: {external}"
    assert not problems, f"{doc}:\n  " + "\n  ".join(problems)


def test_no_widget_state_in_the_pages(site: Path) -> None:
    """The notebooks' saved widget state is never shown: it stays out of the pages."""
    carrying = [doc for doc in PAGES if "widget-state+json" in page_file(doc).read_text(encoding="utf-8")]
    assert not carrying, f"pages with ipywidgets state (dead weight): {carrying}"


# --------------------------------------------------------------------------
# The players show every frame, now from image files
# --------------------------------------------------------------------------

FRAME_REPORT = """p => {
  const shown = Array.from(p.querySelectorAll('.cnn-player-frame')).filter(f => !f.hidden);
  const imgs = shown.flatMap(f => Array.from(f.querySelectorAll('img')));
  return {shown: shown.length, frame: Number(p.dataset.frame),
          inline: imgs.filter(i => (i.getAttribute('src') || '').startsWith('data:') &&
                                   i.getAttribute('src').length > 2048).length,
          waiting: imgs.filter(i => !(i.complete && i.naturalWidth > 0)).map(i => i.currentSrc || i.src)};
}"""

FRAMES_LOADED = """p => Array.from(p.querySelectorAll('.cnn-player-frame'))
  .filter(f => !f.hidden)
  .every(f => Array.from(f.querySelectorAll('img')).every(i => i.complete && i.naturalWidth > 0))"""


def _hidden_frames_loaded_with_the_page(page) -> list[str]:
    """Before any pointer reaches a player (lazy-frames.js then loads all its frames):
    no picture of a hidden frame is requested with the page."""
    eager = page.evaluate(
        """() => Array.from(document.querySelectorAll('.cnn-player')).map(p =>
             Array.from(p.querySelectorAll('.cnn-player-frame[hidden] img'))
               .filter(i => !(i.getAttribute('src') || '').startsWith('data:') && i.loading !== 'lazy').length)"""
    )
    return [f"player {k + 1}: {n} image(s) of hidden frames load with the page (not lazily)"
            for k, n in enumerate(eager) if n]


def _player_frame_problems(page) -> list[str]:
    """Step each player from its first frame to its last: one frame shown, its images loaded."""
    problems = []
    players = page.locator(".cnn-player")
    for k in range(players.count()):
        player = players.nth(k)
        name = f"player {k + 1} of {players.count()}"
        player.scroll_into_view_if_needed()
        n = player.evaluate("p => p.querySelectorAll('.cnn-player-frame').length")
        player.locator("[data-action=first]").click()
        for step in range(n):
            try:
                page.wait_for_function(FRAMES_LOADED, arg=player.element_handle(), timeout=5_000)
            except Exception:  # noqa: BLE001 - playwright's TimeoutError
                pass
            report = player.evaluate(FRAME_REPORT)
            if report["shown"] != 1 or report["frame"] != step:
                problems.append(f"{name}: at step {step + 1} it shows {report}")
            if report["waiting"]:
                problems.append(f"{name}: step {step + 1} shows images that never loaded {report['waiting'][:2]}")
            if report["inline"]:
                problems.append(f"{name}: step {step + 1} still has {report['inline']} big inline image(s)")
            player.locator("[data-action=next]").click()
    return problems


# --------------------------------------------------------------------------
# Live Code without mybinder.org
# --------------------------------------------------------------------------


def test_live_code_says_what_it_needs_offline(site: Path, browser_context, base_url: str) -> None:
    """Offline, "Live Code" gives up with a message (not "Loading thebe from CDN..." forever)."""
    doc = next((d for d in PAGES if "btn-launch-thebe" in page_file(d).read_text(encoding="utf-8")), None)
    if doc is None:
        pytest.skip("no page with a 'Live Code' button")
    page, _, external = load_page(browser_context, base_url, doc)
    try:
        page.locator("button.dropdown-toggle[aria-label='Launch interactive content']").click()
        page.locator("button.btn-launch-thebe").click()
        message = page.locator(".cnn-live-code-message")
        message.wait_for(state="visible", timeout=LIVE_CODE_WAIT_MS)
        text = message.text_content() or ""
    finally:
        page.close()
    assert "mybinder.org" in text and "internet" in text, f"the message does not say what is needed: {text!r}"
    assert any("thebe" in url for url in external), f"'Live Code' did not try to load thebe: {external}"


# --------------------------------------------------------------------------
# ``python tests/test_site_weight.py [SITE]``: the table of weights
# --------------------------------------------------------------------------


def main(site_dir: str | None = None) -> None:  # pragma: no cover - a reporting script
    import functools
    import http.server
    import tempfile
    import threading

    from playwright.sync_api import sync_playwright
    from test_site import CHROMIUM, CHROMIUM_ARGS, SITE, _QuietHandler

    root = Path(site_dir or SITE)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(root)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    print(f"{'page':<36}{'HTML file':>12}{'loaded in all':>15}  by kind")
    with sync_playwright() as playwright, tempfile.TemporaryDirectory() as profile:
        context = playwright.chromium.launch_persistent_context(
            profile, executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS, viewport=DESKTOP
        )
        for doc in PAGES:
            weight = weigh(context, base, doc)
            kinds = ", ".join(f"{k} {v / 1e3:.0f} kB" for k, v in sorted(weight["kinds"].items(), key=lambda kv: -kv[1]))
            size = (root / f"{doc}.html").stat().st_size
            print(f"{doc:<36}{size:>12,}{weight['total']:>15,}  {kinds}")
        context.close()
    server.shutdown()


if __name__ == "__main__":  # pragma: no cover
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    main(sys.argv[1] if len(sys.argv) > 1 else None)
