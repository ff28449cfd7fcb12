"""Browser journeys in real Chromium through Playwright.

Playwright cannot download its own browser here, so Debian's /usr/bin/chromium is launched with
``executable_path`` (``CHROMIUM_PATH`` overrides; tests/e2e/chromium.py finds it, and `make test`
installs one first where none is found). Where a Chromium that ``playwright install chromium``
fetched exists, that one is used. With neither, the journeys fail with what to install: they are
never skipped silently.
"""

import os

import pytest

from tests.e2e.chromium import find_chromium
from tests.e2e.running import playwright_running

# Playwright's sync API runs an event loop in the test thread; the live server's database access
# from that thread is safe here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


@pytest.fixture(scope="session")
def playwright(_pw_api_request_contexts):
    """pytest-playwright's fixture, started and stopped by playwright_running()."""
    with playwright_running() as pw:
        if _pw_api_request_contexts:
            _pw_api_request_contexts.instrument(pw)
        yield pw


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    chromium = find_chromium()
    if chromium is None:
        pytest.fail(
            "No Chromium found for the browser journeys. Install Debian's package "
            "(`sudo apt-get install chromium`), or where the internet allows, "
            "`.venv/bin/playwright install chromium`; or point CHROMIUM_PATH at a Chromium binary.",
            pytrace=False,
        )
    args = {**browser_type_launch_args, "args": CHROMIUM_FLAGS}
    if chromium:
        args["executable_path"] = chromium
    return args


@pytest.fixture
def portal(live_server, page):
    """The page, with ``portal.url(path)`` building addresses on the live server."""
    page.set_default_timeout(10_000)
    page.url_for = lambda path: f"{live_server.url}{path}"
    return page


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    """A Flemish trainee's browser: Dutch first, Brussels time."""
    return {**browser_context_args, "locale": "nl-BE", "timezone_id": "Europe/Brussels"}
