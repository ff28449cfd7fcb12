from django.db import migrations

from accessportal.db import composite_foreign_key


class Migration(migrations.Migration):
    """A right exists only on the user's own subafdeling and only for an application authorised there."""

    dependencies = [("users", "0001_initial"), ("subdivisions", "0001_initial")]

    operations = [
        composite_foreign_key(
            name="right_user_on_own_subafdeling",
            table="users_applicationright",
            columns=["user_id", "subafdeling_id"],
            ref_table="users_subafdelinguser",
            ref_columns=["id", "subafdeling_id"],
        ),
        composite_foreign_key(
            name="right_only_for_authorised_application",
            table="users_applicationright",
            columns=["subafdeling_id", "application_id"],
            ref_table="subdivisions_subafdelingauthorisation",
            ref_columns=["subafdeling_id", "application_id"],
        ),
    ]
