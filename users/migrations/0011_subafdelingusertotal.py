"""A subafdeling's number of users, kept by the database's triggers (users.totals): the users list
reads its number of pages from it instead of counting the subafdeling's users at every request
(``SELECT COUNT(*)`` over 20,000 index entries took PostgreSQL 2 to 3 ms in ``make bench``'s world).
The existing users are counted once, in the migration's transaction."""

import django.db.models.deletion
from django.db import migrations, models

from users.totals import user_total_triggers


class Migration(migrations.Migration):
    dependencies = [
        ("subdivisions", "0002_rename_hoedanigheid_activation"),
        ("users", "0010_subafdelinguser_names"),
    ]

    operations = [
        migrations.CreateModel(
            name="SubafdelingUserTotal",
            fields=[
                (
                    "subafdeling",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="+",
                        serialize=False,
                        to="subdivisions.subafdeling",
                    ),
                ),
                ("users", models.PositiveIntegerField()),
            ],
            options={"verbose_name": "aantal gebruikers van een subafdeling"},
        ),
        user_total_triggers(),
    ]
