"""'Wat verandert er?' (issue 19): the preview before "Bevestigen", decided by the applications' own
access decision (roles.access.access_decide) on the chain with the change applied in memory."""

from datetime import date, timedelta

import pytest
from django.apps import apps as django_apps
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accessportal.propagation import propagations_apply_due
from administrators import services as administrators
from administrators.models import AdministratorKind
from administrators.permissions import acting_local_administrator
from identity.models import Person
from roles import access, preview
from roles import services as roles
from roles.models import Role, RoleAssignment, SimulatedApplication
from subdivisions import services as subdivisions
from subdivisions.models import Subafdeling, SubafdelingStatus
from tests.factories import (
    HoedanigheidActivationFactory,
    PersonFactory,
    SubafdelingAuthorisationFactory,
    SubafdelingFactory,
    SubafdelingUserFactory,
)
from users import services as users
from users.models import ApplicationRight, SubafdelingUser, UserStatus

pytestmark = pytest.mark.django_db

BELRAI_ROLE = "BelRAI VL - admin"


@pytest.fixture
def main(frozen_clock, world):
    """The main side at 10:20, its user's E-loket right in effect."""
    frozen_clock.advance(minutes=20)
    propagations_apply_due()
    return world.main


def texts(result) -> list[str]:
    return [line.text for line in result.capabilities + result.access]


def app_named(code: str):
    return django_apps.get_model("enterprises", "Application").objects.get(code=code)


def add_users(subafdeling, count: int, *, codes=("e-loket-departement-zorg",)) -> list[SubafdelingUser]:
    """``count`` users with rights on ``codes``, written in bulk (a large subafdeling)."""
    people = Person.objects.bulk_create(PersonFactory.build_batch(count))
    added = SubafdelingUser.objects.bulk_create(
        SubafdelingUser(
            subafdeling=subafdeling,
            person=person,
            email=person.email,
            last_name=person.last_name,
            first_name=person.first_name,
        )
        for person in people
    )
    applications = [app_named(code) for code in codes]
    ApplicationRight.objects.bulk_create(
        ApplicationRight(user=user, subafdeling=subafdeling, application=application)
        for user in added
        for application in applications
    )
    return added


def chain_rows() -> dict[str, int]:
    """Every table the chain, its audit and its deliveries write."""
    labels = [
        "subdivisions.Subafdeling",
        "subdivisions.SubafdelingAuthorisation",
        "subdivisions.SubafdelingAdministrator",
        "users.SubafdelingUser",
        "users.ApplicationRight",
        "roles.RoleAssignment",
        "administrators.LocalAdministrator",
        "administrators.HtbAppointment",
        "administrators.HoedanigheidActivation",
        "accessportal.AuditEvent",
        "accessportal.Propagation",
        "accessportal.OutboxMail",
    ]
    return {label: django_apps.get_model(label).objects.count() for label in labels}


def decisions(facility, people) -> dict[tuple[int, str], str]:
    """(person, application) → the decision's status, as the applications decide now."""
    apps = list(SimulatedApplication.objects.select_related("application").prefetch_related("roles"))
    return {
        (person.pk, app.name): access.access_decide(
            person=person, app=app, hco=facility.hco_number, facility=facility
        ).status
        for person in people
        for app in apps
    }


def predicted(changes: dict) -> set[tuple[int, str, bool]]:
    return {
        (person, app, gains)
        for (gains, _when, people), apps in changes.items()
        for app in apps
        for person in people
    }


def observed(before: dict, after: dict) -> set[tuple[int, str, bool]]:
    """Who gained or lost access (allowed, or pending: on the way) between two sets of decisions."""
    found = set()
    for key, was in before.items():
        will = after[key]
        had, has = was in (access.ALLOWED, access.PENDING), will in (access.ALLOWED, access.PENDING)
        if (will == access.ALLOWED and was != access.ALLOWED) or (has and not had):
            found.add((*key, True))
        elif (had and not has) or (was == access.ALLOWED and will == access.PENDING):
            found.add((*key, False))
    return found


@pytest.fixture
def mixed(main, catalogue):
    """Users of the main subafdeling in every situation: rights on one or two applications, a BelRAI role
    in effect and one still propagating, an inactive user, a user without rights, and one who also works
    through a second subafdeling (another hoedanigheid) of the same facility."""
    subafdeling = main.subafdeling
    eloket, vipa = app_named("e-loket-departement-zorg"), app_named("vipa")
    role = Role.objects.get(name=BELRAI_ROLE)
    people = {"user": main.user_person}
    for key, codes in {
        "both": [eloket, vipa],
        "vipa": [vipa],
        "none": [],
        "role": [eloket],
        "pending": [eloket],
        "inactive": [eloket],
        "twice": [eloket, vipa],
    }.items():
        person = PersonFactory()
        people[key] = person
        users.user_add(
            actor=main.sb, subafdeling=subafdeling, person=person, email=person.email, applications=codes
        )
    role_user = SubafdelingUser.objects.get(person=people["role"])
    roles.role_assign(actor=main.sb, user=role_user, role=role, start_date=date(2026, 1, 1))
    SubafdelingUser.objects.filter(person=people["inactive"]).update(status=UserStatus.INACTIEF)
    second = SubafdelingFactory(
        activation=HoedanigheidActivationFactory(
            enterprise=main.enterprise, hoedanigheid=catalogue["hoedanigheden"]["jeugdhulp"]
        ),
        facility=subafdeling.facility,
        subdivision_type=catalogue["types"]["jeugdhulp"],
    )
    SubafdelingAuthorisationFactory(subafdeling=second, application=eloket)
    twice = SubafdelingUserFactory(subafdeling=second, person=people["twice"])
    ApplicationRight.objects.create(user=twice, subafdeling=second, application=eloket)
    # The first role is in effect after the delay; the second one is saved later and still waits.
    propagations_apply_due()
    pending_user = SubafdelingUser.objects.get(person=people["pending"], subafdeling=subafdeling)
    roles.role_assign(actor=main.sb, user=pending_user, role=role, start_date=date(2026, 1, 1))
    return people


def facility_people(subafdeling):
    return list(
        Person.objects.filter(subafdeling_users__subafdeling__facility=subafdeling.facility).distinct()
    )


# --- The snapshot answers as the chain does ---------------------------------------------------------------


def test_the_snapshot_decides_as_the_current_chain_for_every_person_and_application(mixed, main):
    subafdeling = main.subafdeling
    facility = Subafdeling.objects.select_related("facility__enterprise").get(pk=subafdeling.pk).facility
    snapshot = preview.FacilitySnapshot(facility, subafdeling=subafdeling)
    apps = list(SimulatedApplication.objects.select_related("application").prefetch_related("roles"))
    seen = set()
    for person in mixed.values():
        for app in apps:
            now = access.access_decide(person=person, app=app, hco=facility.hco_number, facility=facility)
            there = access.access_decide(
                person=Person(pk=person.pk),
                app=app,
                hco=facility.hco_number,
                facility=facility,
                name_the_person=False,
                state=snapshot,
            )
            assert (there.status, there.effective_at, there.roles) == (
                now.status,
                now.effective_at,
                now.roles,
            )
            assert [(link.key, link.status) for link in there.links] == [
                (link.key, link.status) for link in now.links
            ]
            seen.add(now.status)
    assert seen == {access.ALLOWED, access.PENDING, access.REFUSED}  # a mixed case indeed


# --- Agreement with the decision after "Bevestigen" -----------------------------------------------------


def test_a_block_agrees_with_the_decision_after_confirming(mixed, main):
    subafdeling = main.subafdeling
    facility = subafdeling.facility
    people = facility_people(subafdeling)
    before_decisions = decisions(facility, people)
    before = preview.FacilitySnapshot(facility, subafdeling=subafdeling)
    after = before.proposed()
    after.set_status(subafdeling.pk, SubafdelingStatus.GEBLOKKEERD)
    changes = preview.access_changes(before, after, delayed=False)
    subdivisions.subafdeling_block(actor=main.tb, subafdeling=subafdeling)
    expected = observed(before_decisions, decisions(facility, people))
    assert predicted(changes) == expected
    twice = mixed["twice"].pk
    assert (twice, "E-loket Departement Zorg", False) not in expected  # still through the second one
    assert (twice, "eVIPA", False) in expected
    assert (mixed["pending"].pk, "BelRAI", False) in expected
    assert all(when == "onmiddellijk" for (_gains, when, _people) in changes)


def test_an_authorisation_removed_agrees_with_the_decision_after_confirming(mixed, main):
    subafdeling = main.subafdeling
    facility = subafdeling.facility
    people = facility_people(subafdeling)
    vipa = app_named("vipa")
    before_decisions = decisions(facility, people)
    before = preview.FacilitySnapshot(facility, subafdeling=subafdeling)
    after = before.proposed()
    after.set_authorisations(subafdeling.pk, {vipa.pk})
    changes = preview.access_changes(before, after, delayed=False)
    subdivisions.subafdeling_authorisations_update(
        actor=main.tb, subafdeling=subafdeling, applications=[vipa]
    )
    assert predicted(changes) == observed(before_decisions, decisions(facility, people))
    assert {app for apps in changes.values() for app in apps} == {"E-loket Departement Zorg", "BelRAI"}


def test_a_role_added_agrees_with_the_decision_once_propagated(frozen_clock, mixed, main):
    """The person concerned (another one's role saved earlier also reaches the applications meanwhile)."""
    subafdeling = main.subafdeling
    facility = subafdeling.facility
    people = [mixed["both"]]
    user = SubafdelingUser.objects.get(person=mixed["both"], subafdeling=subafdeling)
    role = Role.objects.get(name=BELRAI_ROLE)
    before_decisions = decisions(facility, people)
    result = preview.preview_role_assign(user, role, date(2026, 3, 2))
    name = mixed["both"].full_name
    assert texts(result) == [f"{name} krijgt toegang tot BelRAI (na 20 minuten)."]
    roles.role_assign(actor=main.sb, user=user, role=role, start_date=date(2026, 3, 2))
    assert decisions(facility, [mixed["both"]])[(mixed["both"].pk, "BelRAI")] == access.PENDING
    frozen_clock.advance(minutes=20)
    propagations_apply_due()
    # What the screen said, checked against the decision once the delay has passed.
    assert observed(before_decisions, decisions(facility, people)) == {(mixed["both"].pk, "BelRAI", True)}


def test_a_role_with_a_later_start_date_says_from_when(main):
    role = Role.objects.get(name=BELRAI_ROLE)
    result = preview.preview_role_assign(main.user, role, date(2026, 4, 1))
    assert texts(result) == [f"{main.user_person.full_name} krijgt toegang tot BelRAI (vanaf 01/04/2026)."]


def test_a_role_removed_takes_effect_after_the_delay(frozen_clock, main):
    role = Role.objects.get(name=BELRAI_ROLE)
    assignment = roles.role_assign(actor=main.sb, user=main.user, role=role, start_date=date(2026, 1, 1))
    frozen_clock.advance(minutes=20)
    propagations_apply_due()
    assignment.refresh_from_db()
    result = preview.preview_role_remove(main.user, assignment)
    assert texts(result) == [f"{main.user_person.full_name} verliest de toegang tot BelRAI (na 20 minuten)."]
    roles.role_remove(actor=main.sb, assignment=assignment)
    facility = main.subafdeling.facility
    assert decisions(facility, [main.user_person])[(main.user_person.pk, "BelRAI")] == access.ALLOWED
    frozen_clock.advance(minutes=20)
    propagations_apply_due()
    assert decisions(facility, [main.user_person])[(main.user_person.pk, "BelRAI")] == access.REFUSED


def test_a_right_granted_takes_effect_at_once(main):
    vipa, eloket = app_named("vipa"), app_named("e-loket-departement-zorg")
    result = preview.preview_user_update(main.user, [eloket, vipa])
    assert texts(result) == [f"{main.user_person.full_name} krijgt toegang tot eVIPA (onmiddellijk)."]
    users.user_update(
        actor=main.sb,
        user=main.user,
        email=main.user.email,
        local_email="",
        language="nl",
        applications=[eloket, vipa],
    )
    facility = main.subafdeling.facility
    assert decisions(facility, [main.user_person])[(main.user_person.pk, "eVIPA")] == access.ALLOWED


def test_a_right_withdrawn_takes_its_roles(main):
    role = Role.objects.get(name=BELRAI_ROLE)
    RoleAssignment.objects.create(
        user=main.user,
        role=role,
        application=role.application,
        start_date=date(2026, 1, 1),
        effective_start_date=date(2026, 1, 1),
    )
    result = preview.preview_user_update(main.user, [])
    name = main.user_person.full_name
    assert texts(result) == [
        f"{name} verliest de toegang tot BelRAI en E-loket Departement Zorg (onmiddellijk)."
    ]


def test_a_new_user_and_a_removed_one(main):
    person = PersonFactory(first_name="Jan", last_name="Peeters")
    result = preview.preview_user_add(main.subafdeling, person, [app_named("vipa")])
    assert texts(result) == ["Jan Peeters krijgt toegang tot eVIPA (onmiddellijk)."]
    result = preview.preview_users_remove(main.subafdeling, [main.user])
    assert texts(result) == [
        f"{main.user_person.full_name} verliest de toegang tot E-loket Departement Zorg (onmiddellijk)."
    ]


def test_nothing_changes_for_access_says_so(client, main):
    result = preview.preview_user_update(main.user, [app_named("e-loket-departement-zorg")])
    assert result.access == [] and result.capabilities == []


# --- Capabilities -------------------------------------------------------------------------------------


def test_an_lb_appointed_replaces_the_acting_one(main):
    person = PersonFactory(first_name="Lies", last_name="Claes")
    replaced = acting_local_administrator(main.activation)
    result = preview.preview_local_administrator_appoint(
        main.activation, person, AdministratorKind.LB, replaced
    )
    assert texts(result) == [
        "Lies Claes wordt Lokale Beheerder (toegangsbeheerder) van de hoedanigheid eHealth Gezondheidszorg: "
        "beheert er de subafdelingen, hun gebruikers en hun rechten (onmiddellijk).",
        f"{main.tb.full_name} is niet langer Lokale Beheerder van de hoedanigheid eHealth Gezondheidszorg en "
        "beheert er de subafdelingen en gebruikers niet meer (onmiddellijk).",
    ]
    assert result.access == []


def test_a_co_lb_appointed_and_the_htb_as_acting_lb(main, catalogue):
    activation = administrators.hoedanigheid_activate(
        actor=main.htb, enterprise=main.enterprise, hoedanigheid=catalogue["hoedanigheden"]["jeugdhulp"]
    )
    person = PersonFactory(first_name="Lies", last_name="Claes")
    replaced = acting_local_administrator(activation)
    result = preview.preview_local_administrator_appoint(activation, person, AdministratorKind.LB, replaced)
    assert texts(result)[1] == (
        f"{main.htb.full_name} is niet langer Lokale Beheerder van de hoedanigheid Jeugdhulp, maar beheert ze "
        "verder als Hoofdtoegangsbeheerder (onmiddellijk)."
    )
    result = preview.preview_local_administrator_appoint(activation, person, AdministratorKind.CO_LB)
    assert texts(result) == [
        "Lies Claes wordt Co-Lokale Beheerder van de hoedanigheid Jeugdhulp: beheert er de subafdelingen, "
        "hun gebruikers en hun rechten (onmiddellijk)."
    ]


# --- The screens -------------------------------------------------------------------------------------


def status_url(subafdeling) -> str:
    return reverse("subdivisions:status", kwargs={"subafdeling_id": subafdeling.pk})


def test_a_block_of_300_users_pages_the_names_in_as_many_queries_as_one_user(
    client, main, django_assert_max_num_queries
):
    subafdeling = main.subafdeling
    client.force_login(main.tb)
    with CaptureQueriesContext(connection) as small:
        assert "1 gebruiker" not in client.get(status_url(subafdeling)).text
    add_users(subafdeling, 300)
    rows = chain_rows()
    with django_assert_max_num_queries(len(small) + 1):
        page = client.get(status_url(subafdeling)).text
    assert "Wat verandert er?" in page
    assert "301 gebruikers verliezen de toegang tot E-loket Departement Zorg (onmiddellijk)." in page
    names = sorted(
        Person.objects.filter(subafdeling_users__subafdeling=subafdeling).values_list(
            "last_name", "first_name", "pk"
        )
    )
    first = Person.objects.get(pk=names[0][2]).full_name
    on_page_two = Person.objects.get(pk=names[25][2]).full_name
    assert first in page and on_page_two not in page and "Pagina 1 van 13" in page
    page = client.get(status_url(subafdeling), {"wijzigingen-1": 2}).text
    assert on_page_two in page and first not in page and "Pagina 2 van 13" in page
    assert chain_rows() == rows  # showing the preview writes nothing
    assert len(small) <= 10  # the screen's own 5; the preview: the chain and its names 3, the applications 2


def test_the_status_page_of_a_blocked_subafdeling_shows_who_regains_access(client, main):
    subdivisions.subafdeling_block(actor=main.tb, subafdeling=main.subafdeling)
    client.force_login(main.tb)
    page = client.get(status_url(main.subafdeling)).text
    assert f"{main.user_person.full_name} krijgt toegang tot E-loket Departement Zorg (onmiddellijk)." in page


def test_the_authorisations_confirmation_shows_the_preview_and_writes_nothing(client, main):
    subafdeling = main.subafdeling
    client.force_login(main.htb)
    detail = reverse("subdivisions:detail", kwargs={"subafdeling_id": subafdeling.pk})
    confirm = client.post(detail, {"applications": [app_named("vipa").pk]})["Location"]
    rows = chain_rows()
    page = client.get(confirm).text
    assert (
        f"{main.user_person.full_name} verliest de toegang tot E-loket Departement Zorg (onmiddellijk)."
        in page
    )
    assert chain_rows() == rows


def test_the_role_editor_previews_without_saving(client, main):
    role = Role.objects.get(name=BELRAI_ROLE)
    client.force_login(main.sb)
    url = reverse("roles:edit", kwargs={"subafdeling_id": main.subafdeling.pk, "user_id": main.user.pk})
    rows = chain_rows()
    page = client.post(
        url, {"role": role.pk, "start_date": "02-03-2026", "end_date": "", "voorbeeld": "1"}
    ).text
    assert f"{main.user_person.full_name} krijgt toegang tot BelRAI (na 20 minuten)." in page
    assert chain_rows() == rows


def test_the_role_removal_confirmation_shows_the_preview(client, frozen_clock, main):
    role = Role.objects.get(name=BELRAI_ROLE)
    assignment = roles.role_assign(actor=main.sb, user=main.user, role=role, start_date=date(2026, 1, 1))
    frozen_clock.advance(minutes=20)
    propagations_apply_due()
    client.force_login(main.sb)
    url = reverse(
        "roles:remove",
        kwargs={
            "subafdeling_id": main.subafdeling.pk,
            "user_id": main.user.pk,
            "assignment_id": assignment.pk,
        },
    )
    page = client.get(url).text
    assert f"{main.user_person.full_name} verliest de toegang tot BelRAI (na 20 minuten)." in page


def test_the_user_removal_confirmation_shows_the_preview(client, main):
    client.force_login(main.sb)
    list_url = reverse("users:list", kwargs={"subafdeling_id": main.subafdeling.pk})
    remove = reverse("users:remove", kwargs={"subafdeling_id": main.subafdeling.pk})
    confirm = client.post(remove, {"gebruiker": [main.user.pk]})["Location"]
    assert list_url != confirm
    rows = chain_rows()
    page = client.get(confirm).text
    assert "Wat verandert er?" in page
    assert (
        f"{main.user_person.full_name} verliest de toegang tot E-loket Departement Zorg (onmiddellijk)."
        in page
    )
    assert chain_rows() == rows


def test_a_change_without_an_access_effect_says_nobody(client, main):
    other = SubafdelingFactory(activation=main.activation)
    client.force_login(main.tb)
    page = client.get(status_url(other)).text
    assert "Niemand krijgt of verliest toegang." in page


def test_the_delay_is_the_setting(main, settings):
    settings.PROPAGATION_DELAY = timedelta(minutes=5)
    role = Role.objects.get(name=BELRAI_ROLE)
    result = preview.preview_role_assign(main.user, role, date(2026, 3, 2))
    assert texts(result) == [f"{main.user_person.full_name} krijgt toegang tot BelRAI (na 5 minuten)."]


def test_the_lb_appointment_confirmation_shows_what_it_gives_and_takes(client, main):
    from tests.administrators.test_managers import start, url

    client.force_login(main.htb)
    step1 = start(client, main.activation, main.employee.insz, AdministratorKind.LB)
    confirm = client.post(step1["Location"], {"email": "lb@voorziening.be", "local_email": ""})["Location"]
    rows = chain_rows()
    page = client.get(confirm).text
    assert url(main.activation) != confirm
    assert (
        f"{main.employee.full_name} wordt Lokale Beheerder (toegangsbeheerder) van de hoedanigheid "
        "eHealth Gezondheidszorg" in page
    )
    assert f"{main.tb.full_name} is niet langer Lokale Beheerder" in page
    assert "Niemand krijgt of verliest toegang." in page
    assert chain_rows() == rows


def test_the_activation_overview_and_the_htb_confirmation_show_the_preview(client, main):
    client.force_login(main.htb)
    activate = reverse("administrators:hoedanigheid-activate", kwargs={"kbo": main.enterprise.kbo})
    page = client.post(
        activate, {"hoedanigheid": "jeugdhulp", "email": "j@hoofdzorg.be", "action": "opslaan"}
    ).text
    assert (
        f"{main.htb.full_name} (Hoofdtoegangsbeheerder) wordt Lokale Beheerder van de hoedanigheid Jeugdhulp"
        in page
    )
    result = preview.preview_htb_appoint(main.enterprise, main.employee)
    assert (
        texts(result)[1]
        == f"{main.htb.full_name} is niet langer Hoofdtoegangsbeheerder van VZW HOOFDZORG (onmiddellijk)."
    )
    assert result.access == []  # registered in CSAM before and after: nobody's access changes


@pytest.mark.parametrize("screen", ["status", "authorisations", "users-remove", "role-remove"])
def test_the_confirmation_pages_stay_within_their_queries_with_many_users(client, main, screen):
    subafdeling = main.subafdeling
    role = Role.objects.get(name=BELRAI_ROLE)
    assignment = RoleAssignment.objects.create(
        user=main.user,
        role=role,
        application=role.application,
        start_date=date(2026, 1, 1),
        effective_start_date=date(2026, 1, 1),
    )

    def page_url():
        if screen == "status":
            client.force_login(main.tb)
            return status_url(subafdeling)
        if screen == "authorisations":
            client.force_login(main.htb)
            detail = reverse("subdivisions:detail", kwargs={"subafdeling_id": subafdeling.pk})
            return client.post(detail, {"applications": [app_named("vipa").pk]})["Location"]
        client.force_login(main.sb)
        if screen == "users-remove":
            remove = reverse("users:remove", kwargs={"subafdeling_id": subafdeling.pk})
            return client.post(remove, {"gebruiker": [main.user.pk]})["Location"]
        return reverse(
            "roles:remove",
            kwargs={
                "subafdeling_id": subafdeling.pk,
                "user_id": main.user.pk,
                "assignment_id": assignment.pk,
            },
        )

    def count():
        address = page_url()
        with CaptureQueriesContext(connection) as queries:
            assert client.get(address).status_code == 200
        return len(queries)

    add_users(subafdeling, 30, codes=("e-loket-departement-zorg", "vipa"))
    first = count()  # the catalogue of simulated applications read once, then from the cache
    few = count()
    add_users(subafdeling, 150, codes=("e-loket-departement-zorg", "vipa"))
    many = count()
    # The preview adds the same three queries (the chain of the facility, with the names) whatever the
    # number of users; the rest is the screen's own.
    assert first == few + 2 and many == few and many <= 10, (first, few, many)


def test_a_role_ended_by_its_new_dates_agrees_with_the_decision_once_propagated(client, frozen_clock, main):
    role = Role.objects.get(name=BELRAI_ROLE)
    assignment = roles.role_assign(actor=main.sb, user=main.user, role=role, start_date=date(2026, 1, 1))
    frozen_clock.advance(minutes=20)
    propagations_apply_due()
    assignment.refresh_from_db()
    client.force_login(main.sb)
    change = reverse(
        "roles:change",
        kwargs={
            "subafdeling_id": main.subafdeling.pk,
            "user_id": main.user.pk,
            "assignment_id": assignment.pk,
        },
    )
    rows = chain_rows()
    page = client.post(change, {"start_date": "01-01-2026", "end_date": "01-03-2026", "voorbeeld": "1"}).text
    name = main.user_person.full_name
    assert f"{name} verliest de toegang tot BelRAI (na 20 minuten)." in page
    assert chain_rows() == rows
    roles.role_update(
        actor=main.sb, assignment=assignment, start_date=date(2026, 1, 1), end_date=date(2026, 3, 1)
    )
    facility = main.subafdeling.facility
    assert decisions(facility, [main.user_person])[(main.user_person.pk, "BelRAI")] == access.ALLOWED
    frozen_clock.advance(minutes=20)
    propagations_apply_due()
    assert decisions(facility, [main.user_person])[(main.user_person.pk, "BelRAI")] == access.REFUSED


def test_a_page_number_of_any_kind_shows_a_page(client, main):
    add_users(main.subafdeling, 40)
    client.force_login(main.tb)
    for value in ("0", "-1", "999", "abc", "<script>", "1e9"):
        response = client.get(status_url(main.subafdeling), {"wijzigingen-1": value})
        assert response.status_code == 200
        assert "41 gebruikers verliezen de toegang" in response.text and "<script>" not in response.text


def test_an_htb_appointed_where_none_is_current_gives_the_users_their_access_back(main):
    from administrators.models import HtbAppointment

    HtbAppointment.objects.filter(enterprise=main.enterprise).update(ended_at=main.subafdeling.created_at)
    result = preview.preview_htb_appoint(main.enterprise, main.employee)
    assert texts(result) == [
        f"{main.employee.full_name} wordt Hoofdtoegangsbeheerder van VZW HOOFDZORG: kan hoedanigheden activeren, "
        "toegangsbeheerders aanstellen en is Lokale Beheerder van elke hoedanigheid zonder aangestelde Lokale "
        "Beheerder (onmiddellijk).",
        f"{main.user_person.full_name} krijgt toegang tot E-loket Departement Zorg (onmiddellijk).",
    ]


def test_the_htb_confirmation_screen_shows_the_preview(client, db):
    from enterprises import services as enterprises
    from tests.administrators.test_htb_procedure import SELF, draft_url, start
    from tests.factories import EnterpriseFactory

    EnterpriseFactory(name="VZW ZORGNETWERK DE LINDE", kbo="0812345603")
    rep = PersonFactory(first_name="Marc", last_name="Vermeulen")
    enterprises.legal_mandate_add(
        enterprise=django_apps.get_model("enterprises", "Enterprise").objects.get(kbo="0812345603"),
        person=rep,
        function="Bestuurder",
        start_date=date(2010, 1, 1),
    )
    confirmation = client.post(draft_url(start(client, rep)), SELF)["Location"]
    rows = chain_rows()
    page = client.get(confirmation).text
    assert "Wat verandert er?" in page
    assert "Marc Vermeulen wordt Hoofdtoegangsbeheerder van VZW ZORGNETWERK DE LINDE" in page
    assert "Niemand krijgt of verliest toegang." in page
    assert chain_rows() == rows


def test_the_subafdeling_addition_confirmation_names_its_beheerder(client, world, catalogue):
    from enterprises import services as enterprises
    from tests.subdivisions.test_subafdelingen import add_url, start_wizard

    terloo = enterprises.facility_register(
        enterprise=world.main.enterprise,
        hco_number="201870",
        name="HUIZE TERLOO",
        listings={catalogue["types"]["gezondheidszorg"]: "HUIZE TERLOO"},
    )
    client.force_login(world.main.tb)
    details = start_wizard(client, world, terloo)
    employee = world.main.employee
    applications = client.post(
        details, {"email": "t@example.be", "beheer": "beheerder", "insz": employee.insz_display}
    )["Location"]
    confirm = client.post(applications, {"applications": [catalogue["applications"]["vipa"].pk]})["Location"]
    assert confirm.startswith(add_url(world, "subdivisions:add-confirm"))
    page = client.get(confirm).text
    assert (
        f"{employee.full_name} wordt subafdelingsbeheerder van HUIZE TERLOO (HCO-nummer 201870): beheert er "
        "de gebruikers, hun rechten en hun rollen (onmiddellijk)." in page
    )
    assert "Niemand krijgt of verliest toegang." in page


def test_many_users_added_at_once_for_a_bulk_import(main):
    vipa, eloket = app_named("vipa"), app_named("e-loket-departement-zorg")
    newcomers = PersonFactory.create_batch(30)
    additions = [(person, [vipa]) for person in newcomers] + [(main.user_person, [eloket, vipa])]
    result = preview.preview_users_add(main.subafdeling, additions)
    assert texts(result) == ["31 gebruikers krijgen toegang tot eVIPA (onmiddellijk)."]
    assert len(result.access[0].names) == 25 and result.access[0].next_url == "?wijzigingen-1=2"


def test_the_catalogue_of_applications_is_read_once_and_a_change_of_it_shows_at_once(main):
    subafdeling = main.subafdeling
    name = main.user_person.full_name
    preview.preview_subafdeling_status(subafdeling, block=True)
    with CaptureQueriesContext(connection) as queries:
        result = preview.preview_subafdeling_status(subafdeling, block=True)
    assert texts(result) == [f"{name} verliest de toegang tot E-loket Departement Zorg (onmiddellijk)."]
    assert not any("simulatedapplication" in query["sql"] for query in queries)
    eloket = SimulatedApplication.objects.get(name="E-loket Departement Zorg")
    eloket.name = "E-loket Zorg"
    eloket.save()
    assert texts(preview.preview_subafdeling_status(subafdeling, block=True)) == [
        f"{name} verliest de toegang tot E-loket Zorg (onmiddellijk)."
    ]
    eloket.roles.add(Role.objects.get(name=BELRAI_ROLE))  # now a role is needed, which nobody has
    assert texts(preview.preview_subafdeling_status(subafdeling, block=True)) == []
    eloket.roles.clear()
    assert len(texts(preview.preview_subafdeling_status(subafdeling, block=True))) == 1


def test_the_rights_that_go_with_an_authorisation_are_paged_in_the_database(client, main):
    subafdeling = main.subafdeling
    add_users(subafdeling, 60)
    client.force_login(main.htb)
    detail = reverse("subdivisions:detail", kwargs={"subafdeling_id": subafdeling.pk})
    confirm = client.post(detail, {"applications": [app_named("vipa").pk]})["Location"]
    seen = []
    for number in (1, 2, 3):
        page = client.get(f"{confirm}&pagina={number}").text
        table = page.split("Rechten die verwijderd zullen worden", 1)[1].split("</table>")[0]
        seen += [row.split("</td>")[2] for row in table.split("<tr>")[2:]]
    assert [len(seen[:25]), len(seen[25:50]), len(seen[50:])] == [25, 25, 11]
    assert len(set(seen)) == 61  # every user's right once: 60 and the main user
