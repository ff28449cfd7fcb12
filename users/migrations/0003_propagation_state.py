from django.db import migrations, models

from accessportal.db import rebuilt_by_sqlite

# The composite keys that touch users_applicationright (users 0002, roles 0002).
KEYS = [
    {
        "name": "right_user_on_own_subafdeling",
        "table": "users_applicationright",
        "columns": ["user_id", "subafdeling_id"],
        "ref_table": "users_subafdelinguser",
        "ref_columns": ["id", "subafdeling_id"],
    },
    {
        "name": "right_only_for_authorised_application",
        "table": "users_applicationright",
        "columns": ["subafdeling_id", "application_id"],
        "ref_table": "subdivisions_subafdelingauthorisation",
        "ref_columns": ["subafdeling_id", "application_id"],
    },
    {
        "name": "role_only_with_application_right",
        "table": "roles_roleassignment",
        "columns": ["user_id", "application_id"],
        "ref_table": "users_applicationright",
        "ref_columns": ["user_id", "application_id"],
    },
]


def rights_saved_before_propagation_are_effective(apps, schema_editor):
    apps.get_model("users", "ApplicationRight").objects.update(effective=True)


class Migration(migrations.Migration):
    """A right's state for the propagation delay: what the applications see (``effective``), a saved
    removal (``revoked_at``) and the moment of its next change (``pending_until``)."""

    dependencies = [
        ("users", "0002_composite_foreign_keys"),
        ("roles", "0002_composite_foreign_keys"),
    ]

    operations = rebuilt_by_sqlite(
        [
            migrations.AddField(
                model_name="applicationright",
                name="effective",
                field=models.BooleanField(default=False, verbose_name="van kracht"),
            ),
            migrations.AddField(
                model_name="applicationright",
                name="pending_until",
                field=models.DateTimeField(blank=True, null=True, verbose_name="van kracht om"),
            ),
            migrations.AddField(
                model_name="applicationright",
                name="revoked_at",
                field=models.DateTimeField(blank=True, null=True, verbose_name="verwijderd op"),
            ),
            migrations.RunPython(rights_saved_before_propagation_are_effective, migrations.RunPython.noop),
        ],
        *KEYS,
    )
