"""Starting and stopping Playwright strands no database connection of the thread that runs it: a
connection left open across start() or stop() would stay checked out of the pool, and the worker's
test database could not be dropped at the end of a full run ("is being accessed by other users")."""

import threading

import pytest
from django.db import connections

from tests.e2e.running import playwright_running

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_playwright_starts_and_stops_with_the_thread_s_connections_handed_back():
    # In a thread of its own: the worker's thread may already run the session's Playwright.
    seen, errors = {}, []

    def run():
        try:
            before = connections["default"]
            before.ensure_connection()  # as a `db` test leaves it, open
            with playwright_running():
                seen["before, once Playwright runs"] = before.connection
                during = connections["default"]
                during.ensure_connection()  # as a journey's or a later test's
            seen["during, once Playwright stopped"] = during.connection
        except Exception as error:  # reported by the test thread
            errors.append(error)
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    assert not errors, errors
    assert seen == {"before, once Playwright runs": None, "during, once Playwright stopped": None}
