from django.db import migrations

from accessportal.db import composite_foreign_key


class Migration(migrations.Migration):
    """A role exists only for an application the user holds a right for, and only with its own application."""

    dependencies = [("roles", "0001_initial"), ("users", "0002_composite_foreign_keys")]

    operations = [
        composite_foreign_key(
            name="role_only_with_application_right",
            table="roles_roleassignment",
            columns=["user_id", "application_id"],
            ref_table="users_applicationright",
            ref_columns=["user_id", "application_id"],
        ),
        composite_foreign_key(
            name="role_of_its_own_application",
            table="roles_roleassignment",
            columns=["role_id", "application_id"],
            ref_table="roles_role",
            ref_columns=["id", "application_id"],
        ),
    ]
