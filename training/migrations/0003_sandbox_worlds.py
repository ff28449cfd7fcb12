"""Every existing sandbox gets a world of its own: its enterprise and its people are marked with the
sandbox's key (identity 0002, enterprises 0002), so that look-ups never cross into or out of it."""

import secrets

from django.db import migrations


def mark_worlds(apps, schema_editor):
    Sandbox = apps.get_model("training", "Sandbox")
    Enterprise = apps.get_model("enterprises", "Enterprise")
    Person = apps.get_model("identity", "Person")
    for sandbox in Sandbox.objects.all():
        world = f"zandbak-{secrets.token_hex(8)}"
        Enterprise.objects.filter(pk=sandbox.enterprise_id).update(world=world)
        Person.objects.filter(sandbox_part__sandbox=sandbox).update(world=world)


class Migration(migrations.Migration):
    dependencies = [
        ("training", "0002_demo_world_clock_bounds_issued_numbers"),
        ("identity", "0003_person_world"),
        ("enterprises", "0002_enterprise_world"),
    ]

    operations = [migrations.RunPython(mark_worlds, migrations.RunPython.noop)]
