from django.db import migrations, models
from django.db.models import OuterRef, Subquery

from accessportal.db import rebuilt_by_sqlite

# The composite key that references users_subafdelinguser (users 0002).
KEYS = [
    {
        "name": "right_user_on_own_subafdeling",
        "table": "users_applicationright",
        "columns": ["user_id", "subafdeling_id"],
        "ref_table": "users_subafdelinguser",
        "ref_columns": ["id", "subafdeling_id"],
    },
]


def titles_of_the_people(apps, schema_editor):
    """An existing user's title is the one the national register gave the person."""
    SubafdelingUser = apps.get_model("users", "SubafdelingUser")
    Person = apps.get_model("identity", "Person")
    SubafdelingUser.objects.update(
        title=Subquery(Person.objects.filter(pk=OuterRef("person_id")).values("title")[:1])
    )


class Migration(migrations.Migration):
    """ "Titel ▼" on "Een gebruiker aanmaken" (manual chapter 4 step 10): chosen per user, like the
    language."""

    dependencies = [
        ("users", "0006_rights_without_propagation_state"),
        ("identity", "0002_itsme_code_and_its_block"),
    ]

    operations = [
        *rebuilt_by_sqlite(
            [
                migrations.AddField(
                    model_name="subafdelinguser",
                    name="title",
                    field=models.CharField(
                        choices=[("DE_HEER", "De heer"), ("MEVROUW", "Mevrouw"), ("JUFFROUW", "Juffrouw")],
                        default="DE_HEER",
                        max_length=10,
                        verbose_name="Titel",
                    ),
                ),
            ],
            *KEYS,
        ),
        migrations.RunPython(titles_of_the_people, migrations.RunPython.noop, elidable=False),
    ]
