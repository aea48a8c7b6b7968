"""How the built website looks, in a real browser: both themes, desktop and phone.

Run after building the site (like ``tests/test_site.py``, whose server,
browser and page list it reuses)::

    python -m pytest -m site tests/test_site_look.py

Every page of the table of contents is opened once at 1280 px and once at
390 x 844 px (a phone), and looked at in the light and in the dark theme:

* every visible text meets WCAG AA: a contrast of at least 4.5:1 between
  its colour and the background it is drawn on (the first opaque
  background of it or its ancestors, with the translucent ones above it
  blended in);
* nothing is wider than the screen, except inside a box that scrolls;
* a player keeps one size on every frame (the controls do not move under
  the pointer), and on a phone its frame and its controls fit in one
  screen;
* no build or test noise (``JUNK`` of ``tests/test_site.py``) in the text;
* no console error and no failed request at either width.

A full-page screenshot of each page at 390 px, in the dark theme, goes to
``test-artifacts/screenshots/`` beside ``test_page``'s desktop one.

Every chapter's figures, at both widths: on the phone none is shrunk to less
than ``MIN_PHONE_HEIGHT`` px tall (unless drawn at its own size: a single small
picture), a figure more than ``WIDEST`` times as wide as tall comes with a
narrow arrangement, and the desktop shows the wide one.

And, once: every page has a description and link-preview tags
(``_ext/page_meta.py``) and the right footer; the search lists a page once,
with a snippet of its own text; the desktop has one search box.
"""

from __future__ import annotations

import html
import re
from urllib.parse import urljoin

import pytest

from test_site import (  # noqa: F401 - fixtures, used by name (the module name test_site.py is imported under)
    ARTIFACTS,
    DESKTOP,
    FROZEN_BAR,
    JUNK,
    PAGE_TEXT,
    PAGES,
    PHONE,
    PageLog,
    WAIT_FOR_MATHJAX,
    _slug,
    base_url,
    site,
    watch,
)

pytestmark = pytest.mark.site

THEMES = ("light", "dark")
WCAG_AA = 4.5

# JavaScript run in the page ------------------------------------------------

# Any CSS colour as [r, g, b, a] (0-255, alpha 0-1), read back from a canvas,
# and the WCAG contrast of each visible text against its background.
CONTRAST = """() => {
  const canvas = document.createElement('canvas');
  canvas.width = canvas.height = 1;
  const ctx = canvas.getContext('2d', {willReadFrequently: true});
  const cache = new Map();
  const rgba = (css) => {
    if (cache.has(css)) { return cache.get(css); }
    ctx.clearRect(0, 0, 1, 1);
    ctx.fillStyle = '#000'; ctx.fillStyle = css; ctx.fillRect(0, 0, 1, 1);
    const d = ctx.getImageData(0, 0, 1, 1).data;
    const value = [d[0], d[1], d[2], d[3] / 255];
    cache.set(css, value);
    return value;
  };
  const over = (top, below) => {   // top (with alpha) drawn over an opaque colour
    const a = top[3];
    return [0, 1, 2].map(i => top[i] * a + below[i] * (1 - a)).concat([1]);
  };
  const luminance = (c) => {
    const [r, g, b] = c.slice(0, 3).map(v => {
      v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const background = (el) => {
    const layers = [];
    for (let e = el; e; e = e.parentElement) {
      const c = rgba(getComputedStyle(e).backgroundColor);
      if (c[3] > 0) { layers.push(c); }
      if (c[3] >= 1) { break; }
    }
    let colour = [255, 255, 255, 1];   // the canvas of the browser
    for (let k = layers.length - 1; k >= 0; k--) { colour = over(layers[k], colour); }
    return colour;
  };
  const opacity = (el) => {
    let o = 1;
    for (let e = el; e; e = e.parentElement) { o *= Number(getComputedStyle(e).opacity); }
    return o;
  };
  const describe = (el) => el.tagName.toLowerCase()
    + (el.id ? '#' + el.id : '')
    + (typeof el.className === 'string' && el.className ? '.' + el.className.trim().split(/\\s+/).join('.') : '')
    + (el.parentElement ? ' < ' + el.parentElement.tagName.toLowerCase()
       + (typeof el.parentElement.className === 'string' && el.parentElement.className
          ? '.' + el.parentElement.className.trim().split(/\\s+/)[0] : '') : '');
  const low = [];
  const skip = 'script, style, noscript, template, mjx-assistive-mml, [aria-hidden=true], :disabled';
  for (const el of document.body.querySelectorAll('*')) {
    const own = Array.from(el.childNodes).some(n => n.nodeType === 3 && n.textContent.trim());
    if (!own || el.closest(skip)) { continue; }
    if (!el.checkVisibility({visibilityProperty: true, opacityProperty: true})) { continue; }
    const box = el.getBoundingClientRect();
    if (box.width < 2 || box.height < 2) { continue; }   // visually hidden (screen-reader) text
    const style = getComputedStyle(el);
    const isSvg = el instanceof SVGElement;
    const colour = rgba(isSvg ? style.fill : style.color);
    const alpha = colour[3] * opacity(el);
    if (alpha < 0.05) { continue; }
    const bg = background(isSvg ? el.closest('svg') : el);
    const fg = over([colour[0], colour[1], colour[2], alpha], bg);
    const [a, b] = [luminance(fg), luminance(bg)].sort((x, y) => y - x);
    const ratio = (a + 0.05) / (b + 0.05);
    if (ratio < %(minimum)s) {
      low.push({ratio: Math.round(ratio * 100) / 100, text: el.textContent.trim().slice(0, 40),
                sel: describe(el), colour: style.color, background: 'rgb(' + bg.slice(0, 3).join(',') + ')'});
    }
  }
  return low.sort((x, y) => x.ratio - y.ratio);
}""" % {"minimum": WCAG_AA}

# Step every player through all its frames: its height at each, and whether the
# slider's accessible value says what the counter says; then back to frame 1.
PLAYER_SIZES = """() => Array.from(document.querySelectorAll('.cnn-player')).map((p, index) => {
  const slider = p.querySelector('input[type=range]');
  const n = p.querySelectorAll('.cnn-player-frame').length;
  const heights = [], widths = [], unspoken = [];
  for (let k = 0; k < n; k++) {
    slider.value = k;
    slider.dispatchEvent(new Event('input', {bubbles: true}));
    const box = p.getBoundingClientRect();
    const counter = p.querySelector('.cnn-player-counter').textContent;
    if (slider.getAttribute('aria-valuetext') !== counter) { unspoken.push(counter); }
    heights.push(Math.round(box.height * 10) / 10);
    widths.push(Math.round(box.width * 10) / 10);
  }
  slider.value = 0;
  slider.dispatchEvent(new Event('input', {bubbles: true}));
  return {index, frames: n, min: Math.min(...heights), max: Math.max(...heights),
          width: Math.max(...widths), heights, unspoken};
})"""

# Horizontal overflow: the page itself, and every element that reaches past
# the screen's edges without a scrolling (or clipping) box around it.
OVERFLOW = """() => {
  const inner = window.innerWidth;
  const clipped = (el) => {
    for (let e = el.parentElement; e && e !== document.body; e = e.parentElement) {
      const o = getComputedStyle(e).overflowX;
      if (o !== 'visible') { return true; }
    }
    return false;
  };
  const wide = [];
  for (const el of document.body.querySelectorAll('*')) {
    if (!el.checkVisibility({visibilityProperty: true})) { continue; }
    const box = el.getBoundingClientRect();
    if (box.width === 0 || box.height === 0) { continue; }
    if ((box.right > inner + 1 || box.left < -1) && !clipped(el)) {
      wide.push(el.tagName.toLowerCase() + '.' + String(el.className).trim().split(/\\s+/).join('.')
                + ' [' + Math.round(box.left) + ', ' + Math.round(box.right) + ']');
    }
  }
  return {scrollWidth: document.scrollingElement.scrollWidth, innerWidth: inner, wide: wide.slice(0, 10)};
}"""

# The article's figures (players aside), once all are decoded: the size each is
# drawn at, the size of the picture shown (the narrow <source> on a phone), and
# whether it comes with a narrow arrangement.
IMAGE_SIZES = """async () => {
  const images = Array.from(document.querySelectorAll('article img')).filter(i => !i.closest('.cnn-player'));
  await Promise.all(images.map(i => i.decode().catch(() => null)));
  return images.filter(i => i.checkVisibility()).map(i => {
    const box = i.getBoundingClientRect();
    const picture = i.parentElement.tagName === 'PICTURE' ? i.parentElement : null;
    return {alt: (i.alt || '').slice(0, 60), natural: [i.naturalWidth, i.naturalHeight],
            drawn: [Math.round(box.width), Math.round(box.height)],
            narrow: !!(picture && picture.querySelector('source[media]')),
            wideShown: i.currentSrc === i.src};
  });
}"""
# A figure is readable on a phone when it is drawn at least this tall, or at its own
# size (a single small picture); a figure more than WIDEST times as wide as it is
# tall must come with a narrow arrangement (cnncourse.ResponsiveFigure).
MIN_PHONE_HEIGHT = 120
WIDEST = 3.0


def set_theme(page, theme: str) -> None:
    """Switch the page to the light or dark theme, as the theme's button does (no transitions)."""
    page.emulate_media(color_scheme=theme)
    page.evaluate(
        """theme => {
             localStorage.setItem('mode', theme); localStorage.setItem('theme', theme);
             document.documentElement.dataset.mode = theme;
             document.documentElement.dataset.theme = theme;
             if (!document.getElementById('no-transitions')) {
               const s = document.createElement('style'); s.id = 'no-transitions';
               s.textContent = '*, *::before, *::after {transition: none !important; animation: none !important}';
               document.head.appendChild(s);
             }
           }""",
        theme,
    )


# --------------------------------------------------------------------------
# Every page of the table of contents, at both widths, in both themes
# --------------------------------------------------------------------------

WIDTHS = {"desktop": DESKTOP, "phone": PHONE}
CASES = [(index, width) for index in range(len(PAGES)) for width in WIDTHS]


@pytest.fixture(scope="module")
def look_tab(browser_context):
    """One browser tab, reused by every page of this module."""
    page = browser_context.new_page()
    yield page
    page.close()


def _look_problems(page, width: str) -> list[str]:
    problems = []
    viewport = WIDTHS[width]
    for theme in THEMES:
        set_theme(page, theme)
        for low in page.evaluate(CONTRAST)[:10]:
            problems.append(
                f"{theme} theme: contrast {low['ratio']}:1 < {WCAG_AA}:1 of {low['text']!r} "
                f"({low['sel']}: {low['colour']} on {low['background']})"
            )
        overflow = page.evaluate(OVERFLOW)
        if overflow["scrollWidth"] > overflow["innerWidth"] + 1:
            problems.append(f"{theme} theme: the page is {overflow['scrollWidth']} px wide "
                            f"on a {overflow['innerWidth']} px screen")
        problems += [f"{theme} theme: wider than the screen, outside a scrolling box: {w}"
                     for w in overflow["wide"]]
    # What a reader's first touch of a player does (_ext/static/lazy-frames.js): its lazy
    # frames load; from then on the player must keep one size.
    page.evaluate("""async () => {
      const lazy = [...document.querySelectorAll('.cnn-player img[loading="lazy"]')];
      lazy.forEach((img) => { img.loading = 'eager'; });
      await Promise.all(lazy.map((img) => img.decode().catch(() => null)));
    }""")
    for player in page.evaluate(PLAYER_SIZES):
        name = f"player {player['index'] + 1}"
        if player["max"] - player["min"] > 1:
            problems.append(f"{name} changes height between frames by {player['max'] - player['min']:.0f} px "
                            f"(heights {sorted(set(player['heights']))})")
        if player["unspoken"]:
            problems.append(f"{name}: the slider's aria-valuetext does not say {player['unspoken'][:3]}")
        if player["max"] > viewport["height"]:
            problems.append(f"{name} is {player['max']:.0f} px tall: its frame and its controls do not "
                            f"fit in one {viewport['width']}x{viewport['height']} screen")
    text = page.evaluate(PAGE_TEXT)
    problems += [f"junk on the page: {junk!r}" for junk in JUNK if junk in text]
    problems += [f"a frozen progress bar: {m.group()!r}" for m in FROZEN_BAR.finditer(text)]
    return problems


@pytest.mark.parametrize(("index", "width"), CASES, ids=[f"{PAGES[i]}-{w}" for i, w in CASES])
def test_page_looks_right(index: int, width: str, site, base_url: str, look_tab) -> None:
    """Contrast in both themes, no overflow, players of one size that fit a screen, no junk,
    no console error or failed request, a chapter's figures readable (_figure_problems); on a
    phone, a screenshot to look at."""
    doc, log = PAGES[index], PageLog(base_url)
    listeners = watch(look_tab, log)
    try:
        look_tab.set_viewport_size(WIDTHS[width])
        look_tab.goto(urljoin(base_url, f"{doc}.html"), wait_until="load")
        look_tab.evaluate(WAIT_FOR_MATHJAX)
        problems = _look_problems(look_tab, width)
        if re.match(r"(zh/)?chapters/\d\d_", doc):  # a chapter: its figures
            problems += _figure_problems(look_tab, width)
        if width == "phone":  # in the dark theme, the last one _look_problems showed
            ARTIFACTS.mkdir(parents=True, exist_ok=True)
            look_tab.screenshot(path=str(ARTIFACTS / f"{_slug(doc)}-390px.png"), full_page=True)
    finally:
        for event, listener in listeners.items():
            look_tab.remove_listener(event, listener)
    problems += log.problems()
    assert not problems, f"{doc} at {WIDTHS[width]['width']} px:\n  " + "\n  ".join(problems)


def _figure_problems(page, width: str) -> list[str]:
    """At 390 px no figure is shrunk below MIN_PHONE_HEIGHT px; at 1280 px every figure shows its
    wide arrangement, and strips wider than WIDEST:1 come with a narrow one."""
    problems, viewport = [], WIDTHS[width]
    for image in page.evaluate(IMAGE_SIZES):
        (w, h), (dw, dh), name = image["natural"], image["drawn"], repr(image["alt"])
        if width == "desktop":
            if not image["wideShown"]:
                problems.append(f"{name} shows its narrow arrangement at {viewport['width']} px")
            if image["narrow"] or w / max(h, 1) <= WIDEST:
                continue
            problems.append(f"{name}: {w}x{h} px, wider than {WIDEST:g}:1, without a narrow arrangement")
        elif dh < MIN_PHONE_HEIGHT and dw < w - 1:
            problems.append(f"{name} is shrunk to {dw}x{dh} px at {viewport['width']} px (of {w}x{h}): "
                            "give it a narrow arrangement (cnncourse.ResponsiveFigure)")
    return problems


# --------------------------------------------------------------------------
# The page's head, the footer and the search
# --------------------------------------------------------------------------


def _meta(page_html: str) -> dict[str, str]:
    found = {}
    for tag in re.findall(r"<meta\s[^>]*>", page_html):
        key = re.search(r'(?:name|property)="([^"]+)"', tag)
        value = re.search(r'content="([^"]*)"', tag)
        if key and value:
            found[key.group(1)] = html.unescape(value.group(1))
    return found


def test_every_page_has_a_description_and_a_link_preview_offline(site) -> None:
    missing = []
    for doc in PAGES:
        text = (site / f"{doc}.html").read_text(encoding="utf-8")
        meta = _meta(text)
        for key in ("description", "og:title", "og:description", "og:site_name", "og:type"):
            if len(meta.get(key, "").strip()) < 3:
                missing.append(f"{doc}: no <meta> {key}")
        if len(meta.get("description", "")) > 220:
            missing.append(f"{doc}: description of {len(meta['description'])} characters")
        if "By The " in text:
            missing.append(f"{doc}: the footer reads 'By The ...'")
    assert not missing, "\n".join(missing)


def test_search_lists_a_page_once_with_its_own_text(site, base_url: str, look_tab) -> None:
    look_tab.set_viewport_size(DESKTOP)
    look_tab.goto(urljoin(base_url, "search.html?q=pooling"), wait_until="load")
    look_tab.wait_for_selector("#search-results ul.search li", timeout=15_000)
    look_tab.wait_for_function(
        "() => Array.from(document.querySelectorAll('#search-results ul.search li'))"
        ".every(li => li.querySelector('p.context'))", timeout=15_000)
    results = look_tab.eval_on_selector_all(
        "#search-results ul.search li",
        "lis => lis.map(li => [li.querySelector('a').getAttribute('href'), li.textContent])")
    pages = [href.split("#")[0] for href, _ in results if "#" not in href]
    assert len(pages) == len(set(pages)), f"a page is listed twice: {pages}"
    noisy = [text.strip()[:80] for _, text in results if ".pdf" in text or "Contents" in text]
    assert not noisy, f"snippets show the theme's buttons: {noisy}"


def test_only_one_search_box_on_the_desktop(site, base_url: str, look_tab) -> None:
    look_tab.set_viewport_size(DESKTOP)
    look_tab.goto(urljoin(base_url, f"{PAGES[1]}.html"), wait_until="load")
    boxes = look_tab.locator("button.search-button-field:visible").count()
    assert boxes <= 1, f"{boxes} search boxes are visible at {DESKTOP['width']} px"
