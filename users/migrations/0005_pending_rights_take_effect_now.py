from django.db import migrations

from accessportal import clock

RIGHT = "users.applicationright"
ROLE = "roles.roleassignment"


def pending_rights_take_effect_now(apps, schema_editor):
    """The rights' changes still waiting for the propagation delay take effect now: a granted right
    is in effect (it exists), a withdrawn one is deleted, with its roles (the composite key
    cascades) and their own pending changes."""
    Propagation = apps.get_model("accessportal", "Propagation")
    ApplicationRight = apps.get_model("users", "ApplicationRight")
    RoleAssignment = apps.get_model("roles", "RoleAssignment")
    now = clock.now()
    pending = Propagation.objects.filter(target_model=RIGHT, applied_at=None, cancelled_at=None)
    withdrawn = set(pending.filter(delete=True).values_list("target_id", flat=True))
    withdrawn |= set(ApplicationRight.objects.exclude(revoked_at=None).values_list("pk", flat=True))
    pending.update(applied_at=now)
    for right in ApplicationRight.objects.filter(pk__in=withdrawn):
        roles = RoleAssignment.objects.filter(user_id=right.user_id, application_id=right.application_id)
        Propagation.objects.filter(
            target_model=ROLE,
            target_id__in=list(roles.values_list("pk", flat=True)),
            applied_at=None,
            cancelled_at=None,
        ).update(cancelled_at=now)
        roles.delete()
        right.delete()


def rights_in_effect_again(apps, schema_editor):
    """Back to the propagation state: every right that exists is in effect."""
    apps.get_model("users", "ApplicationRight").objects.update(effective=True)


class Migration(migrations.Migration):
    """Rights take effect at once (manual 3.6.1, chapter 4 step 10); only roles keep the propagation
    delay. The rights' changes still pending in an existing database are applied now; migration 0006
    then drops the rights' propagation state."""

    dependencies = [
        ("users", "0004_person_name_trigram_indexes"),
        ("roles", "0003_propagation_state_and_applications"),
        ("accessportal", "0003_propagation_enterprise"),
    ]

    operations = [
        migrations.RunPython(pending_rights_take_effect_now, rights_in_effect_again, elidable=False),
    ]
