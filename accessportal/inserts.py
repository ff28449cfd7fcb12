"""New rows of several models in one statement: on PostgreSQL ``WITH a AS (INSERT …) INSERT …``, one
round trip where bulk_create per model takes one each. For rows that are always written together,
such as the history of an audit event (history.recording: its periods and its scopes).

PostgreSQL runs every data-modifying statement in a WITH to completion, whether or not the main
statement reads its result, so each INSERT writes all its rows. Each INSERT is the one bulk_create
would send, built by Django's compiler (``sql.InsertQuery``: the fields' ``pre_save``, conversions and
database defaults as bulk_create applies them), but without RETURNING. Elsewhere than PostgreSQL
(SQLite, the embedded default) it is bulk_create per model.
"""

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import AutoField
from django.db.models.sql import InsertQuery


def instances_insert(*lists) -> None:
    """Insert each list of new instances (one model per list, empty lists allowed) in one statement
    on PostgreSQL. The instances get no primary key there (nothing reads it back): use this only for
    rows nobody refers to afterwards in the same request."""
    lists = [objs for objs in lists if objs]
    if not lists:
        return
    db = connections[DEFAULT_DB_ALIAS]
    if db.vendor != "postgresql":
        for objs in lists:
            type(objs[0])._default_manager.bulk_create(objs)
        return
    statements = [_insert_sql(objs, db) for objs in lists]
    *written_first, (last_sql, last_params) = statements
    ctes = ", ".join(f"inserted_{n} AS ({sql})" for n, (sql, _params) in enumerate(written_first))
    params = [param for _sql, statement_params in written_first for param in statement_params]
    with db.cursor() as cursor:
        cursor.execute(f"WITH {ctes} {last_sql}" if ctes else last_sql, [*params, *last_params])


def _insert_sql(objs: list, db) -> tuple[str, tuple]:
    """bulk_create's INSERT of ``objs`` (new instances of one model, primary key from its sequence),
    without RETURNING."""
    model = type(objs[0])
    for obj in objs:
        obj._prepare_related_fields_for_save(operation_name="bulk_create")  # as bulk_create does
    fields = [
        field
        for field in model._meta.concrete_fields
        if not field.generated and not isinstance(field, AutoField)
    ]
    query = InsertQuery(model)
    query.insert_values(fields, objs)
    (statement,) = query.get_compiler(connection=db).as_sql()  # one statement: no RETURNING, bulk VALUES
    return statement
