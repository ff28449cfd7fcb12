# ruff: noqa: S608
# (statements built from the two tables' own names, constants of this module)
"""The triggers that keep ``users.models.SubafdelingUserTotal``: a subafdeling's number of users, kept by
the database itself at every INSERT, DELETE (and, for completeness, move) of a user, in the writing
statement's transaction, so that it is exact for every writer: the services, bulk_create, the scale
world's COPY, a cascade.

PostgreSQL: statement-level triggers over the statement's transition tables, one UPDATE per statement
whatever its number of rows (COPY of 200,000 users included). SQLite: row-level triggers. Concurrent
additions to one subafdeling wait for each other's commit on its total's row, as the count needs.
"""

from django.db import migrations

from accessportal.db import vendor_statements

TOTAL = "users_subafdelingusertotal"
USERS = "users_subafdelinguser"
_ADD_ONE = (
    f"INSERT INTO {TOTAL} (subafdeling_id, users) VALUES (NEW.subafdeling_id, 1) "
    f"ON CONFLICT (subafdeling_id) DO UPDATE SET users = {TOTAL}.users + 1"
)
_TAKE_ONE = f"UPDATE {TOTAL} SET users = users - 1 WHERE subafdeling_id = OLD.subafdeling_id"

_POSTGRESQL = [
    f"""CREATE OR REPLACE FUNCTION users_total_added() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        INSERT INTO {TOTAL} (subafdeling_id, users)
        SELECT subafdeling_id, count(*) FROM added GROUP BY subafdeling_id
        ON CONFLICT (subafdeling_id) DO UPDATE SET users = {TOTAL}.users + EXCLUDED.users;
        RETURN NULL;
    END $$""",
    f"""CREATE OR REPLACE FUNCTION users_total_removed() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        UPDATE {TOTAL} t SET users = t.users - r.users
        FROM (SELECT subafdeling_id, count(*) AS users FROM removed GROUP BY subafdeling_id) r
        WHERE t.subafdeling_id = r.subafdeling_id;
        RETURN NULL;
    END $$""",
    f"""CREATE OR REPLACE FUNCTION users_total_moved() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        {_TAKE_ONE};
        {_ADD_ONE};
        RETURN NULL;
    END $$""",
    f"CREATE TRIGGER users_total_insert AFTER INSERT ON {USERS} REFERENCING NEW TABLE AS added "
    "FOR EACH STATEMENT EXECUTE FUNCTION users_total_added()",
    f"CREATE TRIGGER users_total_delete AFTER DELETE ON {USERS} REFERENCING OLD TABLE AS removed "
    "FOR EACH STATEMENT EXECUTE FUNCTION users_total_removed()",
    # a column list allows no transition tables: row by row, for a move no service makes
    f"CREATE TRIGGER users_total_move AFTER UPDATE OF subafdeling_id ON {USERS} FOR EACH ROW "
    "WHEN (OLD.subafdeling_id IS DISTINCT FROM NEW.subafdeling_id) EXECUTE FUNCTION users_total_moved()",
]
_POSTGRESQL_DROP = [
    *(f"DROP TRIGGER IF EXISTS users_total_{event} ON {USERS}" for event in ("insert", "delete", "move")),
    *(f"DROP FUNCTION IF EXISTS users_total_{done}()" for done in ("added", "removed", "moved")),
]
_SQLITE = [
    f"CREATE TRIGGER users_total_insert AFTER INSERT ON {USERS} FOR EACH ROW BEGIN {_ADD_ONE}; END",
    f"CREATE TRIGGER users_total_delete AFTER DELETE ON {USERS} FOR EACH ROW BEGIN {_TAKE_ONE}; END",
    f"CREATE TRIGGER users_total_move AFTER UPDATE OF subafdeling_id ON {USERS} FOR EACH ROW "
    f"WHEN OLD.subafdeling_id IS NOT NEW.subafdeling_id BEGIN {_TAKE_ONE}; {_ADD_ONE}; END",
]
_SQLITE_DROP = [f"DROP TRIGGER IF EXISTS users_total_{event}" for event in ("insert", "delete", "move")]
# Every subafdeling's users as they are, once the triggers count the next ones (in the same transaction).
_RECOUNT = [
    f"DELETE FROM {TOTAL}",
    f"INSERT INTO {TOTAL} (subafdeling_id, users) SELECT subafdeling_id, count(*) FROM {USERS} "
    "GROUP BY subafdeling_id",
]


def user_total_triggers() -> migrations.RunPython:
    """The triggers, and every total recounted: for the migration that creates the table, and after any
    migration that makes SQLite rebuild users_subafdelinguser (which drops its triggers)."""
    return migrations.RunPython(
        vendor_statements(
            {"postgresql": [*_POSTGRESQL, *_RECOUNT], "sqlite": [*_SQLITE_DROP, *_SQLITE, *_RECOUNT]}
        ),
        vendor_statements({"postgresql": _POSTGRESQL_DROP, "sqlite": _SQLITE_DROP}),
        elidable=False,
    )
