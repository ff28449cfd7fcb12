"""A cursor whose statements PostgreSQL prepares: parsed and planned once per connection, then only
executed. For the hot reads in raw SQL (the access decision API's token and chain, roles.api and
roles.chain_state), whose plans cost more than their execution: the chain's twelve joins take about
1.3 ms to plan and 0.2 ms to run.

Django binds parameters on the client (psycopg's ClientCursor) and turns psycopg's automatic preparing
off (``prepare_threshold`` None); this cursor binds on the server and asks psycopg to prepare every
statement it runs. The prepared statements live on the psycopg connection, so they last as long as the
pool keeps it; psycopg deallocates them all after a ROLLBACK (Django's rollback and ROLLBACK TO
SAVEPOINT) and re-prepares on the next execution, and keeps at most ``prepared_max`` (100) per
connection. PostgreSQL plans the first five executions with their values, then uses one generic plan
when it is no worse (these statements' generic plans are the same index scans).

It is Django's cursor wrapper around it: queries are logged (assertNumQueries, the debug toolbar),
execute wrappers run, errors are Django's. On another database (SQLite, the embedded default) it is the
ordinary cursor.
"""

import sys
from functools import cache

from django.db import connection

# A threshold no statement reaches: only the statements run with prepare=True are prepared (Django's
# ClientCursor never prepares anything), while psycopg keeps track of them, and of the ROLLBACKs that
# discard them, as it does with preparing on.
_ONLY_WHEN_ASKED = sys.maxsize


def prepared_cursor():
    """A cursor (a context manager, like ``connection.cursor()``) that prepares its statements on
    PostgreSQL; placeholders are ``%s`` as usual."""
    if connection.vendor != "postgresql":
        return connection.cursor()
    connection.close_if_health_check_failed()
    connection.ensure_connection()
    connection.validate_thread_sharing()
    raw = connection.connection
    if raw.prepare_threshold is None:
        raw.prepare_threshold = _ONLY_WHEN_ASKED
    with connection.wrap_database_errors:
        cursor = _preparing_cursor_class()(raw)
    return (
        connection.make_debug_cursor(cursor) if connection.queries_logged else connection.make_cursor(cursor)
    )


@cache
def _preparing_cursor_class():
    from django.db.backends.postgresql.base import ServerBindingCursor

    class PreparingCursor(ServerBindingCursor):
        """Django's server-binding cursor, preparing what it executes."""

        def execute(self, query, params=None, *, prepare=True, binary=None):
            return super().execute(query, params, prepare=prepare, binary=binary)

    return PreparingCursor
