"""EnterpriseHoedanigheid becomes HoedanigheidActivation and the lokale beheerder's FK to it is called
``activation``: renames only, the rows stay (the partial unique indexes are rebuilt around the rename)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("administrators", "0002_htbdraft"),
        ("enterprises", "0002_enterprise_world"),
        ("subdivisions", "0001_initial"),  # its FK to the old name is created before the rename
    ]

    operations = [
        migrations.RenameModel(old_name="EnterpriseHoedanigheid", new_name="HoedanigheidActivation"),
        migrations.AlterField(
            model_name="hoedanigheidactivation",
            name="enterprise",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT, related_name="activations", to="enterprises.enterprise"
            ),
        ),
        migrations.RemoveConstraint(model_name="localadministrator", name="one_current_lb_per_hoedanigheid"),
        migrations.RemoveConstraint(model_name="localadministrator", name="one_current_administration_per_person"),
        migrations.RenameField(model_name="localadministrator", old_name="hoedanigheid", new_name="activation"),
        migrations.AlterField(
            model_name="localadministrator",
            name="activation",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="administrators",
                to="administrators.hoedanigheidactivation",
                verbose_name="Hoedanigheid",
            ),
        ),
        migrations.AddConstraint(
            model_name="localadministrator",
            constraint=models.UniqueConstraint(
                condition=models.Q(("ended_at__isnull", True), ("kind", "LB")),
                fields=("activation",),
                name="one_current_lb_per_hoedanigheid",
            ),
        ),
        migrations.AddConstraint(
            model_name="localadministrator",
            constraint=models.UniqueConstraint(
                condition=models.Q(("ended_at__isnull", True)),
                fields=("activation", "person"),
                name="one_current_administration_per_person",
            ),
        ),
    ]
