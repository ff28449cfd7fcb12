"""Playwright's sync API started and stopped without stranding a database connection."""

from contextlib import contextmanager

from django.db import connections
from playwright.sync_api import sync_playwright


@contextmanager
def playwright_running():
    """Playwright's sync API, with the thread's database connections handed back to the pool first.

    While Playwright runs, its event loop counts as running in the test thread, and Django's
    connection handler (a thread-critical asgiref Local) then keeps this thread's connections in
    another storage: ``django.db.connection`` is another DatabaseWrapper before start() and after
    stop() than in between. A connection still open on either side would stay checked out of the
    pool for good, and the worker's test database could not be dropped at the end ("is being
    accessed by other users"): in a full run, the tests before the first journey leave theirs open
    (a ``db`` test does not close it), the tests after the last journey theirs."""
    connections.close_all()
    with sync_playwright() as pw:
        try:
            yield pw
        finally:
            connections.close_all()
