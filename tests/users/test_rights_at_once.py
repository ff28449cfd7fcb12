"""Rights take effect at once (manual 3.6.1: "In bovenstaand voorbeeld heeft de gebruiker nu toegang tot
eVIPA"; chapter 4 step 10); only roles wait for the propagation delay (3.6.2)."""

from datetime import date

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from accessportal.models import AuditEvent, Propagation
from accessportal.propagation import propagations_apply_due
from accessportal.services import ServiceError
from roles import access
from roles import services as roles
from roles.models import RoleAssignment, SimulatedApplication
from users import services as users
from users.models import ApplicationRight

pytestmark = pytest.mark.django_db

ADMIN = "BelRAI VL - admin"


def edit_url(side) -> str:
    return f"/toegangsbeheer/subafdelingen/{side.subafdeling.pk}/gebruikers/{side.user.pk}/bewerken/"


def decide(person, slug: str) -> access.Decision:
    return access.access_decide(person=person, app=SimulatedApplication.objects.get(slug=slug), hco="800001")


def update(side, applications):
    return users.user_update(
        actor=side.sb,
        user=side.user,
        email=side.user.email,
        local_email="",
        language="nl",
        applications=applications,
    )


def test_a_granted_right_lets_the_user_in_at_once_and_is_audited(frozen_clock, world, catalogue):
    side, apps = world.main, catalogue["applications"]
    update(side, [apps["e-loket-departement-zorg"], apps["vipa"]])
    assert ApplicationRight.objects.filter(user=side.user, application=apps["vipa"]).exists()
    assert not Propagation.objects.filter(target_model="users.applicationright").exists()
    assert decide(side.user_person, "evipa").status == access.ALLOWED  # the clock did not move
    event = AuditEvent.objects.filter(action="user.update", target_id=str(side.user.pk)).get()
    assert event.after["applications"] == ["e-loket-departement-zorg", "vipa"]


def test_a_withdrawn_right_ends_at_once_with_the_roles_of_its_application(frozen_clock, world, catalogue):
    side, apps = world.main, catalogue["applications"]
    in_effect = roles.role_assign(
        actor=side.sb, user=side.user, role=catalogue["roles"][ADMIN], start_date=date(2026, 3, 2)
    )
    frozen_clock.advance(minutes=20)
    propagations_apply_due()
    waiting = roles.role_assign(
        actor=side.sb, user=side.user, role=catalogue["roles"]["Moduleerder"], start_date=date(2026, 3, 2)
    )
    assert decide(side.user_person, "belrai").status == access.ALLOWED

    update(side, [apps["vipa"]])

    assert not ApplicationRight.objects.filter(
        user=side.user, application=apps["e-loket-departement-zorg"]
    ).exists()
    assert not RoleAssignment.objects.filter(pk__in=[in_effect.pk, waiting.pk]).exists()
    assert not Propagation.objects.filter(
        target_model="roles.roleassignment", target_id=waiting.pk, applied_at=None, cancelled_at=None
    ).exists()
    assert decide(side.user_person, "eloket").broken.key == "right"
    assert decide(side.user_person, "evipa").status == access.ALLOWED
    event = AuditEvent.objects.filter(action="user.update", target_id=str(side.user.pk)).get()
    assert event.before["roles"] == [ADMIN, "Moduleerder"]
    assert event.before["applications"] == ["e-loket-departement-zorg"] and event.after["applications"] == [
        "vipa"
    ]


def test_a_refused_change_changes_no_right(world, catalogue):
    side, apps = world.main, catalogue["applications"]
    with pytest.raises(ServiceError):
        update(side, [apps["vipa"], apps["ebmpracticenet"]])  # EBMPracticeNet is not authorised here
    assert list(side.user.rights.values_list("application__code", flat=True)) == ["e-loket-departement-zorg"]
    assert not AuditEvent.objects.filter(action="user.update").exists()


def test_the_rights_screens_say_nothing_of_a_delay_the_roles_screens_do(client, world, catalogue):
    side = world.main
    client.force_login(side.sb)
    edit = client.get(edit_url(side)).text
    step = client.post(
        edit_url(side),
        {
            "email": side.user.email,
            "language": "nl",
            "title": "DE_HEER",
            "applications": [catalogue["applications"]["vipa"].pk],
        },
    )
    confirm = client.get(step["Location"]).text
    roles_page = client.get(
        f"/toegangsbeheer/subafdelingen/{side.subafdeling.pk}/functies/{side.user.pk}/bewerken/"
    ).text
    for page in (edit, confirm):
        assert "20 minuten" not in page and "van kracht om" not in page
    assert (
        "Opgelet: indien u een profiel creëert, wijzigt of verwijdert zal uw actie binnen maximum 20 minuten van kracht zijn."
        in roles_page
    )


def test_bevestigen_on_the_edit_confirmation_lets_the_user_into_evipa(client, world, catalogue):
    side = world.main
    client.force_login(side.sb)
    step = client.post(
        edit_url(side),
        {
            "email": side.user.email,
            "language": "nl",
            "title": "DE_HEER",
            "applications": [catalogue["applications"]["vipa"].pk],
        },
    )
    client.post(step["Location"])
    client.force_login(side.user_person)
    response = client.get("/toepassingen/evipa/aan-de-slag/")
    assert response.status_code == 200 and "Welkom" in response.text


@pytest.mark.django_db(transaction=True)
def test_the_migration_applies_the_rights_changes_still_pending(world, catalogue):
    """An existing database with a right granted and one withdrawn, both waiting for the delay: the
    first is in effect after the migration, the second is gone with its role and that role's change."""
    side = world.main
    granted = side.user.rights.get()
    role = roles.role_assign(
        actor=side.sb, user=side.user, role=catalogue["roles"][ADMIN], start_date=date(2026, 3, 2)
    )
    other = world.outsider.user.rights.get()
    before = [("users", "0004_person_name_trigram_indexes")]
    latest = MigrationExecutor(connection).loader.graph.leaf_nodes()
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    # history's migrations follow users' latest: its state would bring users' latest back in.
    old = executor.loader.project_state(
        [node for node in latest if node[0] not in ("users", "history")] + before
    ).apps
    OldRight = old.get_model("users", "ApplicationRight")
    OldPropagation = old.get_model("accessportal", "Propagation")
    OldRight.objects.filter(pk=granted.pk).update(effective=False)
    OldRight.objects.filter(pk=other.pk).update(effective=True, revoked_at="2026-03-02T10:00:00+01:00")
    common = {"target_model": "users.applicationright", "due_at": "2026-03-02T10:20:00+01:00"}
    OldPropagation.objects.create(target_id=granted.pk, values={"effective": True}, **common)
    OldPropagation.objects.create(target_id=other.pk, delete=True, **common)

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(latest)

    assert ApplicationRight.objects.filter(pk=granted.pk).exists()
    assert not ApplicationRight.objects.filter(pk=other.pk).exists()
    assert RoleAssignment.objects.filter(pk=role.pk).exists()  # of a right that stays
    assert not Propagation.objects.filter(target_model="users.applicationright", applied_at=None).exists()
    assert Propagation.objects.filter(target_model="roles.roleassignment", applied_at=None).count() == 1
