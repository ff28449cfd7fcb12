"""IssuedNumber now belongs to worlds (worlds 0001 takes over its table); training forgets it."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("training", "0003_sandbox_worlds"),
        ("worlds", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(state_operations=[migrations.DeleteModel(name="IssuedNumber")]),
    ]
