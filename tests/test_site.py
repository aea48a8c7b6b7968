"""The built website, offline, in a real browser (headless Chromium).

Run after building the site (``make test`` does both)::

    npm ci && jupyter-book build . -W -n --keep-going
    python -m pytest tests -m site

The tests read the build in ``_build/html`` (or where ``CNNCOURSE_SITE``
points); without it they skip with a message that says how to build it. They
never build it themselves: building executes every notebook.

* ``test_*_offline``: an internal-link checker over the built HTML (links and
  anchors, no network), and a scan for anything a page would load from
  another host.
* ``test_page``: every page of the table of contents (``_toc.yml``), served
  on 127.0.0.1 and opened in Debian's Chromium through Playwright: no console
  error, no failed request, no request leaving localhost (all are routed; any
  other host is aborted and reported), maths rendered by the local MathJax,
  alt text on every image, the theme's "next" link leads to the next page,
  every player steps and plays, every other control on the page does
  something (of the copy buttons and disclosures the theme repeats on every code
  cell, the first of each kind). A full-page screenshot of each page at desktop
  width goes to ``test-artifacts/screenshots/`` (``tests/test_site_look.py``
  adds one at 390 px, a phone, and checks the page's width there).
* The theme's own controls (search, colour mode, menus), the search page,
  and Thebe's "Live Code" button, which must load nothing before it is clicked.

Chromium is Debian's (``apt-get install -y chromium``, ``/usr/bin/chromium``);
Playwright never downloads a browser here. ``CNNCOURSE_CHROMIUM`` points at
another Chromium-based binary (e.g. ``/usr/bin/google-chrome`` on GitHub's
Ubuntu runners).
"""

from __future__ import annotations

import functools
import http.server
import os
import re
import shutil
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urldefrag, urljoin, urlsplit

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "_ext"))
from page_scan import EXTERNAL, PageRefs, remote_loads, scan_page  # noqa: E402  (what a page loads: one scanner, the build's)

pytestmark = pytest.mark.site

SITE = Path(os.environ.get("CNNCOURSE_SITE") or ROOT / "_build" / "html")
if not SITE.is_absolute():
    SITE = ROOT / SITE
CHROMIUM = Path(
    os.environ.get("CNNCOURSE_CHROMIUM")
    or ("/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else shutil.which("chromium"))
    or "/usr/bin/chromium"
)
ARTIFACTS = ROOT / "test-artifacts" / "screenshots"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--headless",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--use-fake-device-for-media-stream",  # a camera for the explorers' camera test (tests/test_browser_explorers.py)
]
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
HOW_TO_BUILD = (
    "the built website is missing ({index}). Build it first: "
    "`npm ci && jupyter-book build . -W -n --keep-going` (or `make book`), "
    "or point CNNCOURSE_SITE at a build"
)


# --------------------------------------------------------------------------
# The table of contents
# --------------------------------------------------------------------------


def toc_pages(toc_file: Path | None = None) -> list[str]:
    """The documents of ``_toc.yml`` in reading order (root first), without suffix."""
    toc_file = toc_file or Path(os.environ.get("CNNCOURSE_TOC") or ROOT / "_toc.yml")
    toc = yaml.safe_load(toc_file.read_text(encoding="utf-8"))
    pages = [toc["root"]]

    def walk(entries: list[dict]) -> None:
        for entry in entries or []:
            if "file" in entry:
                pages.append(entry["file"])
            for key in ("parts", "chapters", "sections"):
                walk(entry.get(key, []))

    for key in ("parts", "chapters", "sections"):
        walk(toc.get(key, []))
    return [re.sub(r"\.(md|ipynb|rst)$", "", page) for page in pages]


# Every page of both editions: the English site, and the Chinese one in zh/ (zh/_toc.yml,
# written by tools/i18n.py). Each test of a page runs on the pages of both.
EN_PAGES = toc_pages()
ZH_TOC = ROOT / "zh" / "_toc.yml"
ZH_PAGES = [f"zh/{doc}" for doc in toc_pages(ZH_TOC)] if ZH_TOC.is_file() and "CNNCOURSE_TOC" not in os.environ else []
PAGES = EN_PAGES + ZH_PAGES
#: The page that the theme's "next" link of each page leads to (within its edition).
NEXT = {doc: following for edition in (EN_PAGES, ZH_PAGES) for doc, following in zip(edition, edition[1:])}


def page_file(doc: str) -> Path:
    return SITE / f"{doc}.html"


@pytest.fixture(scope="session")
def site() -> Path:
    if not (SITE / "index.html").is_file():
        pytest.skip(HOW_TO_BUILD.format(index=SITE / "index.html"))
    return SITE


# --------------------------------------------------------------------------
# Offline checks of the built HTML: internal links and anchors, remote loads
# --------------------------------------------------------------------------

@functools.lru_cache(maxsize=None)
def _parse(path: Path) -> PageRefs:
    return scan_page(path.read_text(encoding="utf-8", errors="replace"))


def _html_pages(site: Path) -> list[Path]:
    skip = {"_static", "_sources", "_images", "_downloads"}
    return sorted(p for p in site.rglob("*.html") if not skip & set(p.relative_to(site).parts))


def test_internal_links_offline(site: Path) -> None:
    """Every internal link and anchor of every built page leads somewhere."""
    broken = []
    for page in _html_pages(site):
        for tag, url in _parse(page).links:
            if not url or EXTERNAL.match(url) or url.startswith("data:"):
                continue
            target, fragment = urldefrag(url)
            if target:
                path = unquote(urlsplit(target).path)
                dest = (site / path.lstrip("/")) if path.startswith("/") else (page.parent / path)
                dest = dest.resolve()
                if dest.is_dir():
                    dest = dest / "index.html"
            else:
                dest = page
            where = f"{page.relative_to(site)}: <{tag}> {url}"
            if not dest.exists():
                broken.append(f"{where} (no file {dest})")
            elif fragment and dest.suffix == ".html" and unquote(fragment) not in _parse(dest).ids:
                broken.append(f"{where} (no anchor #{fragment})")
    assert not broken, "broken internal links:\n" + "\n".join(broken)


def test_nothing_loads_from_other_hosts_offline(site: Path) -> None:
    """No page loads a script, stylesheet, font, image or frame from a CDN."""
    remote = [
        f"{page.relative_to(site)}: <{tag}> {url}"
        for page in _html_pages(site)
        for tag, url in remote_loads(page.read_text(encoding="utf-8", errors="replace"))
    ]
    assert not remote, "pages load from other hosts:\n" + "\n".join(remote)
    for css in (site / "_static").rglob("*.css"):
        text = css.read_text(encoding="utf-8", errors="replace")
        found = re.findall(r"""(?:@import\s+(?:url\()?|url\()\s*["']?((?:https?:)?//[^"')\s]+)""", text)
        assert not found, f"{css.relative_to(site)} loads {found}"


def test_mathjax_is_served_locally(site: Path) -> None:
    assert (site / "_static" / "mathjax" / "tex-mml-chtml.js").is_file(), (
        "MathJax is not in the build: is _ext/local_assets.py registered in _config.yml?"
    )
    assert (site / "_static" / "mathjax" / "output" / "chtml" / "fonts" / "woff-v2").is_dir()


def test_favicon_and_logo_offline(site: Path) -> None:
    """The course's own favicon and logo, on every page of the table of contents."""
    for name in ("favicon.svg", "logo.svg"):
        assert (site / "_static" / name).is_file(), f"_static/{name} is not in the build"
    for doc in PAGES:
        loads = [url for _, url in _parse(page_file(doc)).loads]
        assert any(url.endswith("_static/favicon.svg") for url in loads), f"{doc}: no favicon"
        assert any(url.endswith("_static/logo.svg") for url in loads), f"{doc}: no logo"


def test_every_toc_page_was_built(site: Path) -> None:
    missing = [doc for doc in PAGES if not page_file(doc).is_file()]
    assert not missing, f"pages of _toc.yml missing from the build: {missing}"


# --------------------------------------------------------------------------
# The browser
# --------------------------------------------------------------------------


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


@pytest.fixture(scope="session")
def base_url(site: Path) -> Iterator[str]:
    """The site, served by a thread on 127.0.0.1 (a free port)."""
    handler = functools.partial(_QuietHandler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


# The browser (``browser_context``) is tests/conftest.py's: one per test session, for every module.


@dataclass
class PageLog:
    """What happened while a page was open."""

    base: str
    console_errors: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    external: list[str] = field(default_factory=list)

    def problems(self) -> list[str]:
        return (
            [f"request left localhost: {u}" for u in self.external]
            + [f"console error: {m}" for m in self.console_errors]
            + [f"failed request: {r}" for r in self.failed]
        )


def watch(page, log: PageLog) -> dict:
    """Record ``page``'s console errors, uncaught exceptions and failed local requests in ``log``.

    Returns the listeners, for ``page.remove_listener`` when the page is used again.
    """
    listeners = {
        "console": lambda m: log.console_errors.append(f"{m.text} ({m.location.get('url', '')})")
        if m.type == "error" else None,
        "pageerror": lambda e: log.console_errors.append(f"uncaught: {e}"),
        # net::ERR_ABORTED: the browser cancelled it (the page moved on), not a failure
        "requestfailed": lambda r: log.failed.append(f"{r.url} ({r.failure})")
        if r.url.startswith(log.base) and "ERR_ABORTED" not in (r.failure or "") else None,
        "response": lambda r: log.failed.append(f"{r.url} (HTTP {r.status})") if r.status >= 400 else None,
    }
    for event, listener in listeners.items():
        page.on(event, listener)
    return listeners


@pytest.fixture
def open_page(browser_context, base_url: str):
    """Open a page with every request routed: local ones served, others aborted and logged."""
    opened = []

    def _open(path: str, viewport: dict = DESKTOP):
        log = PageLog(base_url)
        page = browser_context.new_page()
        page.set_viewport_size(viewport)

        def route(r) -> None:
            url = r.request.url
            if url.startswith(base_url) or url.startswith(("data:", "blob:", "about:")):
                r.continue_()
            else:
                log.external.append(url)
                r.abort()

        page.route("**/*", route)
        watch(page, log)
        page.goto(urljoin(base_url, path), wait_until="load")
        opened.append(page)
        return page, log

    yield _open
    for page in opened:
        page.close()


# JavaScript run in the page -------------------------------------------------

WAIT_FOR_MATHJAX = """async () => {
  if (!document.querySelector('.math')) { return 'no maths'; }
  for (let t = 0; t < 200 && !(window.MathJax && MathJax.startup && MathJax.startup.promise); t++) {
    await new Promise(r => setTimeout(r, 50));
  }
  if (!(window.MathJax && MathJax.startup)) { return 'MathJax never started'; }
  await MathJax.startup.promise;
  return 'typeset';
}"""

MATHS_REPORT = """() => {
  const maths = Array.from(document.querySelectorAll('.math'));
  const untypeset = maths.filter(m => !m.querySelector('mjx-container'))
                         .map(m => m.textContent.trim().slice(0, 80));
  const errors = Array.from(document.querySelectorAll('mjx-merror, .MathJax_Error'))
                      .map(e => (e.getAttribute('data-mjx-error') || e.textContent).slice(0, 80));
  const main = document.querySelector('main') || document.body;
  const copy = main.cloneNode(true);
  copy.querySelectorAll('pre, code, script, style, mjx-container, .highlight, textarea, .math')
      .forEach(e => e.remove());
  return {count: maths.length, untypeset, errors, text: copy.textContent};
}"""

IMAGES_WITHOUT_ALT = """() => Array.from(document.querySelectorAll('img'))
  .filter(i => !(i.getAttribute('alt') || '').trim())
  .map(i => i.getAttribute('src'))"""

BROKEN_IMAGES = """() => Array.from(document.querySelectorAll('img'))
  .filter(i => i.complete && i.naturalWidth === 0)
  .map(i => i.getAttribute('src'))"""

LEFTOVER_WIDGETS = """() => document.querySelectorAll(
  'script[type="application/vnd.jupyter.widget-view+json"], .jupyter-widgets, .widget-area').length"""

# The controls of the page's content (the article), in document order, except
# the players' own (tested by test_page's player checks).
CONTENT_CONTROLS = """() => {
  const article = document.querySelector('article') || document.querySelector('main');
  const sel = 'button, input, select, textarea, summary, [role=button], [contenteditable=true]';
  return Array.from(article.querySelectorAll(sel)).filter(e => !e.closest('.cnn-player'));
}"""

# The theme's controls that come once per code cell or hidden cell, all made by the
# same code: test_page uses the first of each kind on a page (null: not one of them).
REPEATED_KIND = """e => e.matches('button.copybtn') ? 'copy button'
  : e.matches('details > summary') ? 'disclosure' : null"""

# Watch for the effects a control can have: any DOM change (also of
# attributes), a URL change, printing, fullscreen.
ARM = """() => {
  window.__effect = null;
  const obs = new MutationObserver(() => { window.__effect = window.__effect || 'dom'; });
  obs.observe(document.documentElement, {subtree: true, childList: true, attributes: true,
                                         characterData: true});
  window.__observer && window.__observer.disconnect();
  window.__observer = obs;
  window.__href = location.href;
  window.print = () => { window.__effect = 'print'; };
  document.addEventListener('fullscreenchange', () => { window.__effect = 'fullscreen'; }, {once: true});
}"""

EFFECT = "() => window.__effect || (location.href !== window.__href ? 'url' : null)"


def _wait_for_effect(page, timeout: int = 2_000) -> str | None:
    try:
        page.wait_for_function(EFFECT, timeout=timeout)
    except Exception:  # noqa: BLE001 - playwright's TimeoutError: nothing happened
        return None
    return page.evaluate(EFFECT)


def _describe(handle) -> str:
    return handle.evaluate(
        """e => e.tagName.toLowerCase() + (e.className ? '.' + String(e.className).split(' ').join('.') : '')
             + ' "' + (e.getAttribute('aria-label') || e.title || e.textContent || '').trim().slice(0, 40) + '"'"""
    )


def _exercise(page, handle) -> str | None:
    """Use one control the way a reader would; return what it did (None: nothing)."""
    page.evaluate(ARM)
    kind = handle.evaluate("e => e.tagName.toLowerCase() + ':' + (e.type || '')")
    if kind in ("input:range", "input:number"):
        handle.evaluate(
            """e => { const lo = Number(e.min || 0), hi = Number(e.max || 100);
                      e.value = Number(e.value) === hi ? lo : hi;
                      e.dispatchEvent(new Event('input', {bubbles: true}));
                      e.dispatchEvent(new Event('change', {bubbles: true})); }"""
        )
    elif kind.startswith("select"):
        handle.evaluate(
            """e => { e.selectedIndex = (e.selectedIndex + 1) % e.options.length;
                      e.dispatchEvent(new Event('change', {bubbles: true})); }"""
        )
    elif kind.startswith(("input:text", "input:search", "textarea")) or kind == "input:":
        handle.fill("convolution")
        handle.press("Enter")
    else:
        chooser = []  # a file picker is an effect too (Playwright takes it instead of a dialog)
        page.once("filechooser", lambda picker: chooser.append(picker))
        handle.click()
        effect = _wait_for_effect(page, timeout=500)
        return effect or ("file chooser" if chooser else _wait_for_effect(page))
    return _wait_for_effect(page)


def _check_player(page, player, name: str) -> list[str]:
    """Step, jump, slide and play one player; return what went wrong."""
    problems = []
    n = player.evaluate("p => p.querySelectorAll('.cnn-player-frame').length")
    frame = lambda: int(player.get_attribute("data-frame"))  # noqa: E731
    visible = lambda: player.evaluate(  # noqa: E731
        "p => Array.from(p.querySelectorAll('.cnn-player-frame')).findIndex(f => !f.hidden)"
    )
    counter = lambda: player.locator(".cnn-player-counter").text_content()  # noqa: E731
    player.scroll_into_view_if_needed()
    if player.get_attribute("data-frame") is None:
        return [f"{name}: its script did not run (no data-frame)"]
    if n < 2:
        return [f"{name}: has {n} frame(s); a player needs at least two"]
    steps = [("next", 1), ("last", n - 1), ("prev", n - 2), ("first", 0)]
    for action, expected in steps:
        player.locator(f"[data-action={action}]").click()
        if frame() != expected or visible() != expected:
            problems.append(
                f"{name}: after '{action}' data-frame={frame()}, visible frame={visible()}, expected {expected}"
            )
    if f"{frame() + 1} / {n}" not in counter():
        problems.append(f"{name}: the counter says {counter()!r} at step {frame() + 1} of {n}")
    slider = player.locator("input[type=range]")
    target = n // 2
    slider.evaluate(
        "(s, k) => { s.value = k; s.dispatchEvent(new Event('input', {bubbles: true})); }", target
    )
    if frame() != target:
        problems.append(f"{name}: moving the slider to {target} shows frame {frame()}")
    player.locator("[data-action=first]").click()
    player.locator("[data-action=play]").click()
    try:
        player.evaluate(
            """p => new Promise((ok, fail) => {
                 const t0 = Date.now();
                 const tick = () => Number(p.dataset.frame) > 0 ? ok()
                   : Date.now() - t0 > 5000 ? fail(new Error('not playing')) : setTimeout(tick, 50);
                 tick(); })"""
        )
    except Exception:  # noqa: BLE001
        problems.append(f"{name}: 'play' did not advance the frames within 5 s")
    player.locator("[data-action=play]").click()  # pause
    paused_at = frame()
    page.wait_for_timeout(1_200)
    if frame() != paused_at and frame() != n - 1:
        problems.append(f"{name}: 'pause' did not stop the animation")
    return problems


def _slug(doc: str) -> str:
    return doc.replace("/", "__")


# --------------------------------------------------------------------------
# Every page of the table of contents
# --------------------------------------------------------------------------


JUNK = ("NBVAL", "Downloading", "Traceback", "URLError", "Warning:")
FROZEN_BAR = re.compile(r"\d%\|[^|\n]{0,80}\|\s*\d+/\d+")
"""A progress bar left on the page (tqdm's "  0%|          | 0/20"), not a percentage before a player's |◀ button."""
PAGE_TEXT = """() => {
    const article = (document.querySelector('.bd-article') || document.body).cloneNode(true);
    article.querySelectorAll('script, style').forEach(e => e.remove());
    return article.textContent;
}"""


def test_a_frozen_bar_is_junk_and_a_percentage_before_a_player_is_not():
    frozen = ["  0%|          | 0/20 [00:00<?, ?it/s]", "training: 40%|####      | 4/10", "100%|██████████|10/10"]
    fine = ["ring99.0% → 0.0%|◀◀Play▶▶|step 1 / 14", "accuracy 91.6%|◀", "50% | 3/4 of the cells", "0%"]
    assert [bool(FROZEN_BAR.search(t)) for t in frozen + fine] == [True] * len(frozen) + [False] * len(fine)


@pytest.mark.parametrize("index", range(len(PAGES)), ids=PAGES)
def test_page(index: int, site: Path, open_page) -> None:
    doc = PAGES[index]
    page, log = open_page(f"{doc}.html")
    problems: list[str] = []

    # Maths: typeset by the local MathJax, no TeX errors, no raw TeX left.
    state = page.evaluate(WAIT_FOR_MATHJAX)
    assert state != "MathJax never started", f"{doc}: the page has maths but MathJax did not start"
    maths = page.evaluate(MATHS_REPORT)
    if maths["untypeset"]:
        problems.append(f"maths not rendered: {maths['untypeset']}")
    if maths["errors"]:
        problems.append(f"TeX errors: {maths['errors']}")
    raw = re.findall(r"\\\(.{0,40}|\\\[.{0,40}|\$\$.{0,40}|\$[^$\n]{0,80}?[\\^_{][^$\n]{0,80}?\$", maths["text"])
    if raw:
        problems.append(f"raw TeX left in the text: {raw[:5]}")

    # Images: alt text on every one, none broken.
    problems += [f"image without alt text: {src}" for src in page.evaluate(IMAGES_WITHOUT_ALT)]
    problems += [f"broken image: {src}" for src in page.evaluate(BROKEN_IMAGES)]

    # No build or test noise for readers: test markers, download logs, tracebacks,
    # frozen progress bars, warnings (hidden dropdowns included).
    text = page.evaluate(PAGE_TEXT)
    problems += [f"junk on the page: {junk!r} in '...{text[max(0, i - 60):i + 60]}...'"
                 for junk in JUNK for i in [text.find(junk)] if i >= 0]
    problems += [f"a frozen progress bar: '...{text[max(0, m.start() - 60):m.end() + 20]}...'"
                 for m in FROZEN_BAR.finditer(text)]

    # No live widget left on the static site (it would be dead without a kernel).
    if page.evaluate(LEFTOVER_WIDGETS):
        problems.append(
            "a live ipywidget is on the page: tag its cell remove-output and show a cnncourse.Player"
        )

    # Desktop screenshot, before the controls change the page.
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{_slug(doc)}.png"), full_page=True)

    # Every player steps, jumps, slides and plays.
    players = page.locator(".cnn-player")
    for k in range(players.count()):
        problems += _check_player(page, players.nth(k), f"player {k + 1} of {players.count()}")

    # Every other control in the content does something; of the theme's repeated ones
    # (a copy button per code cell, a disclosure per hidden cell), the first of each kind.
    controls = page.evaluate_handle(CONTENT_CONTROLS)
    count = controls.evaluate("c => c.length")
    kinds_done: set[str] = set()
    for k in range(count):
        handle = controls.evaluate_handle("(c, k) => c[k]", k).as_element()
        if not handle.is_visible():
            continue  # e.g. inside a dropdown that is closed
        kind = handle.evaluate(REPEATED_KIND)
        if kind in kinds_done:
            continue
        if kind:
            kinds_done.add(kind)
        label = _describe(handle)
        before = page.url
        effect = _exercise(page, handle)
        if effect is None:
            problems.append(f"control does nothing: {label}")
        if page.url != before:
            page.go_back(wait_until="load")
            controls = page.evaluate_handle(CONTENT_CONTROLS)
        page.keyboard.press("Escape")

    # The theme's "next" link (a plain link) leads to the next page of the table of contents;
    # that page loads in its own test_page.
    nxt = page.locator("a.right-next")
    if doc in NEXT:
        expected = urljoin(log.base, f"{NEXT[doc]}.html")
        if nxt.count() != 1:
            problems.append(f"no 'next' link (expected one to {NEXT[doc]})")
        elif urldefrag(href := nxt.evaluate("a => a.href"))[0] != expected:
            problems.append(f"'next' leads to {href}, expected {expected}")

    problems += log.problems()
    assert not problems, f"{doc}:\n  " + "\n  ".join(problems)


def test_home_redirects_to_the_first_page(site: Path, open_page) -> None:
    page, log = open_page("index.html")
    page.wait_for_url(re.compile(re.escape(PAGES[0]) + r"\.html"), timeout=10_000)
    assert not log.problems(), log.problems()


# --------------------------------------------------------------------------
# The theme's controls, the search, Thebe
# --------------------------------------------------------------------------

THEME_CONTROLS = [
    ("button.theme-switch-button", "colour mode"),
    ("button.search-button__button:visible", "search"),
    ("button.primary-toggle:visible", "site navigation"),
    ("button.dropdown-toggle[aria-label='Launch interactive content']", "launch menu"),
    ("button.dropdown-toggle[aria-label='Source repositories']", "repository menu"),
    ("button.dropdown-toggle[aria-label='Download this page']", "download menu"),
    ("button.btn-fullscreen-button", "fullscreen"),
]


def _is_notebook(doc: str) -> bool:
    return (SITE / "_sources" / f"{doc}.ipynb").is_file()


def _first_notebook_page() -> str:
    for doc in PAGES:
        if _is_notebook(doc):
            return doc
    return PAGES[0]


def test_theme_controls_respond(site: Path, open_page) -> None:
    doc = _first_notebook_page()
    page, log = open_page(f"{doc}.html")
    dead = []
    for selector, name in THEME_CONTROLS:
        control = page.locator(selector).first
        if control.count() == 0:
            if "dropdown" in selector and not _is_notebook(doc):
                continue
            dead.append(f"{name}: not on the page ({selector})")
            continue
        if _exercise(page, control.element_handle()) is None:
            dead.append(f"{name} does nothing")
        page.keyboard.press("Escape")
        page.evaluate("() => document.fullscreenElement && document.exitFullscreen()")
    # The launch menu's links point where they should.
    if _is_notebook(doc):
        hrefs = page.eval_on_selector_all("a[href]", "as => as.map(a => a.href)")
        repo = yaml.safe_load((ROOT / "_config.yml").read_text())["repository"]["url"]  # the one setting
        slug = repo.removeprefix("https://github.com/")
        for start in (
            f"https://mybinder.org/v2/gh/{slug}/main?urlpath=lab/tree/",
            f"https://colab.research.google.com/github/{slug}/blob/reader-notebooks/",  # the reader's copies
            f"{repo}/edit/main/",
            f"{repo}/issues/new",
        ):
            if not any(h.startswith(start) for h in hrefs):
                dead.append(f"no link starting with {start}")
    assert not dead and not log.problems(), dead + log.problems()


def test_search_finds_pages_offline(site: Path, open_page) -> None:
    page, log = open_page("search.html?q=convolution")
    page.wait_for_selector("#search-results ul.search li, #search-results p", timeout=15_000)
    results = page.locator("#search-results ul.search li").count()
    assert results > 0, "the search page found nothing for 'convolution'"
    assert not log.problems(), log.problems()


def test_live_code_loads_nothing_before_it_is_clicked(site: Path, open_page) -> None:
    """Thebe (live code on Binder) is fetched only when the reader asks for it."""
    doc = _first_notebook_page()
    if not _is_notebook(doc):
        pytest.skip("no notebook page in the table of contents")
    page, log = open_page(f"{doc}.html")
    page.wait_for_timeout(500)
    assert not log.external, f"requests left localhost before any click: {log.external}"
    page.locator("button.dropdown-toggle[aria-label='Launch interactive content']").click()
    page.locator("button.btn-launch-thebe").click()
    page.wait_for_timeout(1_000)
    # Here (offline) the request is aborted; on the web it fetches thebe and starts Binder.
    assert any("thebe" in url for url in log.external), (
        f"'Live Code' did not try to load thebe (requests: {log.external})"
    )
