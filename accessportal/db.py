"""Database constraints Django cannot declare: composite foreign keys.

A right may only exist for an application authorised on the user's subafdeling, and a role only for
an application the user has a right for. Both are "these two columns together must exist over
there", which a composite foreign key states exactly. PostgreSQL gets a real one; SQLite, which
cannot add a foreign key to an existing table, gets triggers with the same effect (refuse an
orphan, cascade a delete).
"""

from django.db import migrations


def composite_foreign_key(*, name, table, columns, ref_table, ref_columns, vendors=("postgresql", "sqlite")):
    cols, ref_cols = ", ".join(columns), ", ".join(ref_columns)
    match = " AND ".join(f"{ref} = NEW.{col}" for col, ref in zip(columns, ref_columns, strict=True))
    children = " AND ".join(f"{col} = OLD.{ref}" for col, ref in zip(columns, ref_columns, strict=True))
    exists_child = f"SELECT 1 FROM {table} WHERE {children}"
    # Django's save() writes every column: only a real change of the key may be refused.
    changed = " OR ".join(f"OLD.{ref} IS NOT NEW.{ref}" for ref in ref_columns)
    sqlite_forward = [
        f"CREATE TRIGGER {name}_ins BEFORE INSERT ON {table} FOR EACH ROW "
        f"WHEN NOT EXISTS (SELECT 1 FROM {ref_table} WHERE {match}) "
        f"BEGIN SELECT RAISE(ABORT, 'FOREIGN KEY constraint failed: {name}'); END",
        f"CREATE TRIGGER {name}_upd BEFORE UPDATE OF {cols} ON {table} FOR EACH ROW "
        f"WHEN NOT EXISTS (SELECT 1 FROM {ref_table} WHERE {match}) "
        f"BEGIN SELECT RAISE(ABORT, 'FOREIGN KEY constraint failed: {name}'); END",
        f"CREATE TRIGGER {name}_del AFTER DELETE ON {ref_table} FOR EACH ROW "
        f"BEGIN DELETE FROM {table} WHERE {children}; END",
        f"CREATE TRIGGER {name}_refupd BEFORE UPDATE OF {ref_cols} ON {ref_table} FOR EACH ROW "
        f"WHEN ({changed}) AND EXISTS ({exists_child}) "
        f"BEGIN SELECT RAISE(ABORT, 'FOREIGN KEY constraint failed: {name}'); END",
    ]
    sqlite_backward = [
        f"DROP TRIGGER IF EXISTS {name}_{suffix}" for suffix in ("ins", "upd", "del", "refupd")
    ]
    postgres_forward = [
        f"ALTER TABLE {table} ADD CONSTRAINT {name} FOREIGN KEY ({cols}) "
        f"REFERENCES {ref_table} ({ref_cols}) ON DELETE CASCADE"
    ]
    postgres_backward = [f"ALTER TABLE {table} DROP CONSTRAINT IF EXISTS {name}"]

    return migrations.RunPython(
        vendor_statements({"postgresql": postgres_forward, "sqlite": sqlite_forward}, vendors=vendors),
        vendor_statements({"postgresql": postgres_backward, "sqlite": sqlite_backward}, vendors=vendors),
        elidable=False,
    )


def vendor_statements(statements_by_vendor: dict, *, vendors=None):
    """A RunPython function that executes the statements written for the database's vendor
    (``vendors``: only on those, nothing elsewhere); a vendor with none written is refused."""

    def apply(apps, schema_editor):
        vendor = schema_editor.connection.vendor
        if vendors is not None and vendor not in vendors:
            return
        if vendor not in statements_by_vendor:
            raise NotImplementedError(f"No statements written for {vendor}.")
        for statement in statements_by_vendor[vendor]:
            schema_editor.execute(statement)

    return apply


def rebuilt_by_sqlite(operations, *keys):
    """SQLite adds a NOT NULL column by rebuilding the table (copy, drop, rename), which its triggers
    do not survive: the composite keys touching the table (given as ``composite_foreign_key``'s
    keyword arguments) are taken down around ``operations`` and put back after. PostgreSQL alters
    the table in place and keeps its constraints."""
    sqlite_only = [composite_foreign_key(**key, vendors=("sqlite",)) for key in keys]
    take_down = [
        migrations.RunPython(operation.reverse_code, operation.code, elidable=False)
        for operation in sqlite_only
    ]
    return [*take_down, *operations, *sqlite_only]
