"""A cursor whose statements PostgreSQL prepares: parsed and planned once per connection, then only
executed. For the hot reads in raw SQL (the access decision API's token, person and chain in one
statement, roles.api; the chain of the other access decisions, roles.chain_state; the signed-in person,
identity.backends; the subafdeling or user every page of a
subafdeling starts from, subdivisions.permissions.subafdeling_managed_by and
users.permissions.user_managed_by; the page of ids of a whole list, accessportal.rows.PagedIds) and,
through ``preparing()``, a few ORM reads, whose plans cost
more than their execution: the chain's twelve
joins take about 1.3 ms to plan and 0.2 ms to run.

Django binds parameters on the client (psycopg's ClientCursor) and turns psycopg's automatic preparing
off (``prepare_threshold`` None); this cursor binds on the server and asks psycopg to prepare every
statement it runs. The prepared statements live on the psycopg connection, so they last as long as the
pool keeps it (PostgreSQL keeps them through ROLLBACK and ROLLBACK TO SAVEPOINT; psycopg deallocates
them all at a rollback of the connection, and prepares them again on their next execution), at most
``prepared_max`` (100) per connection. PostgreSQL plans the first five executions with their values,
then uses one generic plan when it is no worse (these statements' generic plans are the same index
scans). Nothing may send DISCARD ALL or DEALLOCATE ALL through another cursor (psycopg would not know
its statements gone), nor may a pooler in transaction mode (PgBouncer) stand between.

It is Django's cursor wrapper around it: queries are logged (assertNumQueries, the debug toolbar),
execute wrappers run, errors are Django's. On another database (SQLite, the embedded default) it is the
ordinary cursor.
"""

import sys
from contextlib import contextmanager
from functools import cache

from django.db import DEFAULT_DB_ALIAS, connections
from django.utils.asyncio import async_unsafe

# While this cursor executes, psycopg's preparing is on with a threshold no statement reaches, so that
# only the statements executed here (with prepare=True) are prepared; outside, it stays off as Django
# set it, so that psycopg does not count (and keep the texts of) Django's own statements.
_ONLY_WHEN_ASKED = sys.maxsize


@async_unsafe
def prepared_cursor():
    """A cursor (a context manager, like ``connection.cursor()``) that prepares its statements on
    PostgreSQL; placeholders are ``%s`` as usual."""
    db = connections[DEFAULT_DB_ALIAS]  # the connection itself, not the proxy: fewer look-ups
    if db.vendor != "postgresql":
        return db.cursor()
    db.close_if_health_check_failed()
    db.ensure_connection()
    db.validate_thread_sharing()
    with db.wrap_database_errors:
        cursor = _preparing_cursor_class()(db.connection)
    return db.make_debug_cursor(cursor) if db.queries_logged else db.make_cursor(cursor)


@cache
def _preparing_cursor_class():
    from django.db.backends.postgresql.base import ServerBindingCursor

    class PreparingCursor(ServerBindingCursor):
        """Django's server-binding cursor, preparing what it executes."""

        def execute(self, query, params=None, *, prepare=True, binary=None):
            connection = self.connection
            threshold = connection.prepare_threshold
            if threshold is None:
                connection.prepare_threshold = _ONLY_WHEN_ASKED
            try:
                return super().execute(query, params, prepare=prepare, binary=binary)
            finally:
                connection.prepare_threshold = threshold

    return PreparingCursor


@contextmanager
def preparing():
    """The ORM's statements executed inside are prepared like prepared_cursor's (a context manager,
    or a view's decorator): for an ORM read on a hot path whose plan costs more than its execution
    ("Lijst van de subafdelingen": its page, as the criteria choose it, took 0.97 ms a request
    planned each time, 0.43 ms prepared). Only for statements whose generic plan is as good as the
    plan for their values: the count of one subafdeling's users, say, is not (PostgreSQL expects 20
    rows for any subafdeling, scans a trigram index for 20,000 and takes 4.8 ms instead of 2.4). The
    page of a whole list is prepared through accessportal.rows.PagedIds (its generic plan is the same
    index scan as the plan for its values). A queryset is lazy: evaluate it inside the block. On
    another database it changes nothing."""
    db = connections[DEFAULT_DB_ALIAS]
    if db.vendor != "postgresql":
        yield
        return
    db.ensure_connection()
    psycopg_connection = db.connection
    factory = psycopg_connection.cursor_factory
    psycopg_connection.cursor_factory = _preparing_cursor_class()
    try:
        yield
    finally:
        psycopg_connection.cursor_factory = factory
