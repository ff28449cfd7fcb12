from django.db import migrations

from accessportal.db import rebuilt_by_sqlite

# The composite keys that touch users_applicationright (users 0002, roles 0002), as in 0003.
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


class Migration(migrations.Migration):
    """A right is in effect from the moment it exists (manual 3.6.1): no propagation state."""

    dependencies = [("users", "0005_pending_rights_take_effect_now")]

    operations = rebuilt_by_sqlite(
        [
            migrations.RemoveField(model_name="applicationright", name="effective"),
            migrations.RemoveField(model_name="applicationright", name="pending_until"),
            migrations.RemoveField(model_name="applicationright", name="revoked_at"),
        ],
        *KEYS,
    )
