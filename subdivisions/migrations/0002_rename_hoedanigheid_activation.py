"""The subafdeling's FK to its hoedanigheid's activation is called ``activation``: a rename, the rows stay
(the unique constraint is rebuilt around it)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("administrators", "0003_rename_hoedanigheid_activation"),
        ("subdivisions", "0001_initial"),
    ]

    operations = [
        migrations.RemoveConstraint(model_name="subafdeling", name="one_subafdeling_per_facility_and_type"),
        migrations.RenameField(model_name="subafdeling", old_name="hoedanigheid", new_name="activation"),
        migrations.AlterField(
            model_name="subafdeling",
            name="activation",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="subafdelingen",
                to="administrators.hoedanigheidactivation",
                verbose_name="Hoedanigheid",
            ),
        ),
        migrations.AddConstraint(
            model_name="subafdeling",
            constraint=models.UniqueConstraint(
                fields=("activation", "facility", "subdivision_type"),
                name="one_subafdeling_per_facility_and_type",
                violation_error_message="Deze voorziening is al als subafdeling van dit type geactiveerd.",
            ),
        ),
    ]
