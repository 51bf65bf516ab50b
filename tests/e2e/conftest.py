"""Playwright driving Debian's Chromium (headless) against pytest-django's live server."""

import os
from pathlib import Path

import pytest
from django.db import connections

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
AXE_SCRIPT = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"


@pytest.fixture
def browser(live_server, monkeypatch):
    """A fresh Chromium per test, started only after the test database is ready.

    Playwright keeps an event loop running in this thread, and Django's connection handler is context-local: a
    browser started before the database fixtures (as a session fixture would be) makes them use a second connection
    object, which skips restoring the reference data between transactional tests.
    """
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the ORM calls the tests make are still synchronous.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: `make test` installs Debian's chromium package.")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            # The machine has no network but loopback: keep Chromium from phoning home.
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                "--disable-quic",
            ],
        )
        yield browser
        # Connections opened while Playwright's loop ran belong to that context; close them in it.
        connections.close_all()
        browser.close()


@pytest.fixture
def page(browser, live_server, settings):
    # The live server serves static files from the finders, so skip the hashed manifest names here.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    context = browser.new_context(base_url=live_server.url)
    page = context.new_page()
    yield page
    context.close()


def accessibility_violations(page) -> list[dict]:
    """Run axe-core (WCAG 2.2 A and AA rules) on the current page; return its violations."""
    # Evaluated through the DevTools protocol, which the page's Content-Security-Policy does not govern; an added
    # <script> tag would be an inline script, which it refuses.
    page.evaluate(AXE_SCRIPT.read_text())
    result = page.evaluate(
        "() => axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21aa', 'wcag22aa']}})"
    )
    return [{"id": v["id"], "help": v["help"], "nodes": [n["html"] for n in v["nodes"]]} for v in result["violations"]]
