"""A user cannot hold a role twice for overlapping periods, in the database itself (PostgreSQL only,
SQLite skips this migration).

roles.services refuses an overlap with its own check (``_overlapping``: closed periods, no end date
is open-ended, a removed role does not count), but two submits at once each pass that check before
either has written; the exclusion constraint below says the same rule, so PostgreSQL refuses the
second INSERT (or UPDATE) even then, and the service turns the refusal into its usual message. It
replaces a row lock on the user that cost every role change a statement. On SQLite, the embedded
database of a classroom, transactions begin IMMEDIATE (accessportal.settings): one writer at a time,
so the service's check is enough there."""

from django.db import migrations

CONSTRAINT = "roleassignment_no_overlapping_periods"


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS btree_gist")  # = on integers in a GiST index
    schema_editor.execute(
        f'ALTER TABLE "roles_roleassignment" ADD CONSTRAINT "{CONSTRAINT}" EXCLUDE USING gist '
        '("user_id" WITH =, "role_id" WITH =, daterange("start_date", "end_date", \'[]\') WITH &&) '
        'WHERE ("removed_at" IS NULL)'
    )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f'ALTER TABLE "roles_roleassignment" DROP CONSTRAINT IF EXISTS "{CONSTRAINT}"')


class Migration(migrations.Migration):
    dependencies = [("roles", "0003_propagation_state_and_applications")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
