"""accessportal.prepared: a cursor whose statements PostgreSQL prepares once per connection (the
ordinary cursor on SQLite), answering as the ordinary cursor does, logged and with Django's errors."""

import pytest
from django.db import DatabaseError, connection, transaction
from django.test.utils import CaptureQueriesContext

from accessportal.prepared import prepared_cursor

pytestmark = pytest.mark.django_db

SQL = "SELECT %s + 1, %s"


def answer(value: int, text: str):
    with prepared_cursor() as cursor:
        cursor.execute(SQL, [value, text])
        return cursor.fetchall()


def prepared_statements() -> list[str]:
    """The statements PostgreSQL holds prepared on this connection (none elsewhere)."""
    if connection.vendor != "postgresql":
        return []
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        return [row[0] for row in cursor.fetchall()]


def test_it_answers_as_the_ordinary_cursor_and_is_logged():
    with connection.cursor() as cursor:
        cursor.execute(SQL, [41, "één"])
        expected = cursor.fetchall()
    with CaptureQueriesContext(connection) as queries:
        assert answer(41, "één") == expected == [(42, "één")]
    assert len(queries.captured_queries) == 1
    assert "SELECT" in queries.captured_queries[0]["sql"]


def test_on_postgresql_the_statement_is_prepared_once_and_reused():
    answer(1, "a")
    answer(2, "b")
    held = [statement for statement in prepared_statements() if "+ 1" in statement]
    assert len(held) == (1 if connection.vendor == "postgresql" else 0)


def test_an_error_is_djangos_and_a_rolled_back_savepoint_keeps_the_statements_usable():
    assert answer(1, "a") == [(2, "a")]
    with pytest.raises(DatabaseError), transaction.atomic(), prepared_cursor() as cursor:
        cursor.execute("SELECT * FROM no_such_table WHERE id = %s", [1])
    assert answer(2, "b") == [(3, "b")]  # the statement prepared before the rollback still answers
    assert answer(3, "c") == [(4, "c")]


def test_the_selectors_that_start_every_page_are_prepared(world):
    from subdivisions.permissions import subafdeling_managed_by

    main = world.main
    assert subafdeling_managed_by(main.tb, main.subafdeling.pk) == main.subafdeling
    assert subafdeling_managed_by(main.tb, main.subafdeling.pk) == main.subafdeling
    held = [s for s in prepared_statements() if 'FROM "subdivisions_subafdeling"' in s]
    assert len(held) == (1 if connection.vendor == "postgresql" else 0)
