"""IssuedNumber moves from training to worlds with the number generator: the state takes it over
with its table as it is, then the table gets the worlds app's name; no row is copied."""

import accessportal.clock
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("training", "0003_sandbox_worlds"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="IssuedNumber",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("kind", models.CharField(max_length=4)),
                        ("number", models.CharField(max_length=12)),
                        ("issued_at", models.DateTimeField(default=accessportal.clock.now)),
                    ],
                    options={
                        "verbose_name": "uitgegeven nummer",
                        "verbose_name_plural": "uitgegeven nummers",
                        "db_table": "training_issuednumber",
                        "constraints": [
                            models.UniqueConstraint(fields=("kind", "number"), name="issued_number_once")
                        ],
                    },
                ),
            ],
        ),
        migrations.AlterModelTable(name="issuednumber", table=None),
    ]
