"""The one browser of a test session, shared by every browser test (marked ``site``).

Playwright's sync API cannot run two instances at once in a process: a module
that started its own ``sync_playwright()`` while another module's browser was
still open failed (or passed only thanks to the order of the files). So the
browser lives here, session-scoped, and nowhere else: tests ask for
``browser_context`` by name and do not import it (a fixture imported into a
test module is a second fixture, with a second browser).

It needs Chromium, not the built website: a test that needs the site asks for
``site``/``base_url`` as well (see tests/test_site.py).
"""

from __future__ import annotations

import os

import pytest


@pytest.fixture(scope="session")
def browser_context(tmp_path_factory: pytest.TempPathFactory):
    """Debian's Chromium, headless, with a fresh profile; never a downloaded browser."""
    from test_site import CHROMIUM, CHROMIUM_ARGS, DESKTOP

    if not CHROMIUM.exists():
        pytest.skip(
            f"Chromium is not installed ({CHROMIUM} is missing): "
            "`apt-get install -y chromium` (Debian/Ubuntu), or set CNNCOURSE_CHROMIUM"
        )
    sync_api = pytest.importorskip(
        "playwright.sync_api", reason="Playwright is missing: pip install -r requirements-test.txt"
    )
    os.environ.setdefault("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")
    with sync_api.sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(tmp_path_factory.mktemp("chromium-profile")),
            executable_path=str(CHROMIUM),
            headless=True,
            args=CHROMIUM_ARGS,
            viewport=DESKTOP,
            service_workers="block",
        )
        context.set_default_timeout(15_000)
        yield context
        context.close()


def blank_page_with(context, script, global_name: str):
    """A blank page of ``context`` with only ``script`` (a path) loaded; yields it, then checks that
    no error was thrown in it. For a module-scoped fixture: ``yield from blank_page_with(...)``."""
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.set_content("<!doctype html><html><head></head><body></body></html>")
    page.add_script_tag(content=script.read_text(encoding="utf-8"))
    assert page.evaluate(f"typeof globalThis.{global_name}") == "object", errors
    yield page
    page.close()
    assert not errors, errors
