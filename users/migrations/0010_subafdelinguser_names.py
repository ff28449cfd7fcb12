"""The person's names on the user of a subafdeling (users.models.SubafdelingUser.last_name and
first_name), so that the users list sorts and searches one subafdeling's users through indexes of
their own.

Before, "Naam" found its matches in the whole register (the trigram indexes of migration 0004) and
then kept those of the subafdeling: in ``make bench`` a search for "peete" read 2,685 people of 201,000
to keep 264, and at ten times the register it was 3.9 times slower. Now (PostgreSQL only):

- a GiST index on (subafdeling, name trigrams) per name finds one subafdeling's matches and nothing
  else: 0.4 ms for those 264 in both worlds (a GIN index on both columns, with btree_gin, still read
  every user's trigrams: 0.4 ms, and 1.8 ms at ten times the register);
- a GIN trigram index per name serves the searches over all subafdelingen of a hoedanigheid
  ("Gebruikers opzoeken", "Overzicht Personeelsbestand"), where no single subafdeling bounds them;
- the unfiltered list reads its first page from the (subafdeling, names) btree index (0.2 ms).

The subafdeling's id must reach these indexes as a bigint: btree_gist has no integer = bigint operator
(users.selectors.user_rows casts it)."""

from django.db import migrations, models
from django.db.models import OuterRef, Subquery

from accessportal.db import rebuilt_by_sqlite

NAMES = ("last_name", "first_name")

# The composite key that references users_subafdelinguser (users 0002): SQLite's triggers for it go
# while SQLite rebuilds the table for the new columns.
KEY = {
    "name": "right_user_on_own_subafdeling",
    "table": "users_applicationright",
    "columns": ["user_id", "subafdeling_id"],
    "ref_table": "users_subafdelinguser",
    "ref_columns": ["id", "subafdeling_id"],
}


def copy_names(apps, schema_editor):
    SubafdelingUser = apps.get_model("users", "SubafdelingUser")
    Person = apps.get_model("identity", "Person")
    if schema_editor.connection.vendor == "postgresql":  # one pass over both tables
        schema_editor.execute(
            'UPDATE "users_subafdelinguser" u SET "last_name" = p."last_name", "first_name" = p."first_name" '
            'FROM "identity_person" p WHERE p."id" = u."person_id"'
        )
        return
    person = Person.objects.filter(pk=OuterRef("person_id"))
    SubafdelingUser.objects.update(
        last_name=Subquery(person.values("last_name")[:1]), first_name=Subquery(person.values("first_name")[:1])
    )


def trigram_indexes_create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS btree_gist")
    for column in NAMES:
        schema_editor.execute(
            f'CREATE INDEX IF NOT EXISTS "subafdelinguser_{column}_in_subafdeling" ON "users_subafdelinguser" '
            f'USING gist ("subafdeling_id", (UPPER("{column}"::text)) gist_trgm_ops)'
        )
        schema_editor.execute(
            f'CREATE INDEX IF NOT EXISTS "subafdelinguser_{column}_trgm" ON "users_subafdelinguser" '
            f'USING gin ((UPPER("{column}"::text)) gin_trgm_ops)'
        )


def trigram_indexes_drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for column in NAMES:
        schema_editor.execute(f'DROP INDEX IF EXISTS "subafdelinguser_{column}_in_subafdeling"')
        schema_editor.execute(f'DROP INDEX IF EXISTS "subafdelinguser_{column}_trgm"')


class Migration(migrations.Migration):
    dependencies = [
        ("identity", "0003_person_world"),
        ("subdivisions", "0001_initial"),
        ("users", "0009_user_import"),
    ]

    operations = [
        *rebuilt_by_sqlite(
            [
                migrations.AddField(
                    model_name="subafdelinguser",
                    name="last_name",
                    field=models.CharField(default="", editable=False, max_length=100),
                    preserve_default=False,
                ),
                migrations.AddField(
                    model_name="subafdelinguser",
                    name="first_name",
                    field=models.CharField(default="", editable=False, max_length=100),
                    preserve_default=False,
                ),
            ],
            KEY,
        ),
        migrations.RunPython(copy_names, migrations.RunPython.noop, elidable=False),
        migrations.AlterModelOptions(
            name="subafdelinguser",
            options={
                "ordering": ["last_name", "first_name"],
                "verbose_name": "gebruiker van een subafdeling",
                "verbose_name_plural": "gebruikers van subafdelingen",
            },
        ),
        migrations.AddIndex(
            model_name="subafdelinguser",
            index=models.Index(
                fields=["subafdeling", "last_name", "first_name", "id"], name="subafdelinguser_by_name"
            ),
        ),
        migrations.RunPython(trigram_indexes_create, trigram_indexes_drop, elidable=False),
    ]
