"""Trigram indexes on the people's names, for the "Naam" and "Voornaam" criteria of the users list
(``icontains``: ``UPPER(name) LIKE '%…%'``); PostgreSQL only, SQLite skips this migration.

Without them a search in a subafdeling of 20,000 users read every person of the register (201,000
in the scale world) twice, for the count and for the page: 150 ms a request (``make bench``). The
indexes are on identity_person but live here because searching by part of a name is what the users
list (and the roles editor's staff overview, with the same criteria) does."""

from django.db import migrations

INDEXES = {
    "identity_person_last_name_trgm": "last_name",
    "identity_person_first_name_trgm": "first_name",
}


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, column in INDEXES.items():
        schema_editor.execute(
            f'CREATE INDEX IF NOT EXISTS "{name}" ON "identity_person" '
            f'USING gin ((UPPER("{column}"::text)) gin_trgm_ops)'
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f'DROP INDEX IF EXISTS "{name}"')


class Migration(migrations.Migration):
    dependencies = [
        ("identity", "0001_initial"),
        ("users", "0003_propagation_state"),
    ]

    operations = [migrations.RunPython(create, drop, elidable=False)]
