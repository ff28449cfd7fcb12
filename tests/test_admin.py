"""The Django admin a trainer uses: every model registered and reachable, search by INSZ / KBO in
any notation, list pages at a fixed number of queries, the eID unblock action, the inlines that
fill in hidden keys."""

import datetime
import io

import pytest
from django.apps import apps
from django.contrib import admin
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accessportal import clock
from accessportal.identifiers import insz_clean, insz_format, kbo_clean, kbo_format
from accessportal.models import AuditEvent, OutboxMail, Propagation, StructuredMessage
from administrators.models import (
    AdministratorKind,
    CoHtbAppointment,
    HoedanigheidActivation,
    HtbAppointment,
    HtbDraft,
    LocalAdministrator,
)
from enterprises.models import (
    Application,
    Employment,
    Enterprise,
    Facility,
    FacilityListing,
    Hoedanigheid,
    LegalMandate,
    SubdivisionType,
)
from identity.models import Person
from roles.models import Role, RoleAssignment, SimulatedApplication
from subdivisions.models import Subafdeling, SubafdelingAdministrator, SubafdelingAuthorisation
from users.models import ApplicationRight, PortalCertificate, SubafdelingUser, UserImport, UserImportRow
from worlds.numbers import insz_number, kbo_number

pytestmark = pytest.mark.django_db

PROJECT_APPS = ("accessportal", "identity", "enterprises", "administrators", "subdivisions", "users", "roles")
PROJECT_MODELS = sorted(
    model._meta.label
    for model in apps.get_models()
    if model._meta.app_label in PROJECT_APPS and not model._meta.abstract and not model._meta.proxy
)
# Rows of the access chain: shown in the admin with a link to the portal screen that changes them
# through its service (rules checked, an audit event, the propagation), never written by the admin.
CHAIN_ROWS = {
    "administrators.CoHtbAppointment",
    "administrators.HoedanigheidActivation",
    "administrators.HtbAppointment",
    "administrators.LocalAdministrator",
    "roles.RoleAssignment",
    "subdivisions.Subafdeling",
    "subdivisions.SubafdelingAdministrator",
    "subdivisions.SubafdelingAuthorisation",
    "users.ApplicationRight",
    "users.SubafdelingUser",
}
READ_ONLY = {
    "accessportal.AuditEvent",
    "accessportal.OutboxMail",
    "accessportal.Propagation",
    "administrators.HtbDraft",
    "users.PortalCertificate",
    "users.SubafdelingUserTotal",
    "users.UserImport",
    "users.UserImportRow",
} | CHAIN_ROWS

SUPERUSER_INSZ = "75031203339"
SUPERUSER_PASSWORD = "trainer-wachtwoord-2024"


# --- identifiers -------------------------------------------------------------------------------


def make_insz(year: int, month: int, day: int, serial: int) -> str:
    """A valid INSZ of someone born in the 20th century."""
    return insz_clean(insz_number(datetime.date(year, month, day), serial))


def make_kbo(number: int) -> str:
    return kbo_clean(kbo_number(number))


# --- the world ---------------------------------------------------------------------------------


def build_bundle(i: int) -> dict:
    """One enterprise with a row in every table of the portal. ``i`` keeps bundles apart."""
    today = clock.today()
    now = clock.now()
    earlier = now - datetime.timedelta(days=30)

    def person(k: int, **fields):
        return Person.objects.create_user(
            make_insz(1970 + k, i % 12 + 1, i // 12 % 28 + 1, 100 + i),
            last_name=f"Achternaam{k}-{i}",
            first_name=f"Voornaam{k}",
            email=f"p{k}-{i}@example.test",
            **fields,
        )

    representative, htb, lb, sub_admin, member = (person(k) for k in range(5))
    gezondheidszorg, _ = SubdivisionType.objects.get_or_create(code="gezondheidszorg", name="Gezondheidszorg")
    ehealthbox, _ = Application.objects.get_or_create(code="ehealthbox", name="eHealthBox")
    eloket, _ = Application.objects.get_or_create(code="e-loket", name="E-loket Departement Zorg")
    catalogue, created = Hoedanigheid.objects.get_or_create(code="ehealth", name="eHealth Gezondheidszorg")
    if created:
        catalogue.applications.set([ehealthbox, eloket])
        catalogue.subdivision_types.set([gezondheidszorg])
    role, _ = Role.objects.get_or_create(name="Raadpleger", application=eloket)

    enterprise = Enterprise.objects.create(
        kbo=make_kbo(200000 + i), name=f"Zorggroep {i}", legal_form="VZW", postal_code="9000", city="Gent"
    )
    LegalMandate.objects.create(
        person=representative, enterprise=enterprise, start_date=datetime.date(2020, 1, 1)
    )
    Employment.objects.create(person=member, enterprise=enterprise, start_date=datetime.date(2021, 1, 1))
    facility = Facility.objects.create(
        hco_number=f"71{i:06d}", enterprise=enterprise, name=f"Woonzorgcentrum {i}"
    )
    FacilityListing.objects.create(facility=facility, subdivision_type=gezondheidszorg, name=f"WZC {i}")
    HtbAppointment.objects.create(
        person=htb,
        appointed_by=representative,
        enterprise=enterprise,
        email="htb@example.test",
        phone="091234567",
    )
    CoHtbAppointment.objects.create(
        person=lb, appointed_by=htb, enterprise=enterprise, started_at=earlier, ended_at=now
    )
    activation = HoedanigheidActivation.objects.create(
        enterprise=enterprise, hoedanigheid=catalogue, activated_by=htb
    )
    LocalAdministrator.objects.create(
        person=lb,
        appointed_by=htb,
        activation=activation,
        kind=AdministratorKind.LB,
        email="lb@example.test",
    )
    LocalAdministrator.objects.create(
        person=sub_admin,
        appointed_by=htb,
        activation=activation,
        kind=AdministratorKind.CO_LB,
        email="colb@example.test",
        started_at=earlier,
        ended_at=now,
    )
    subafdeling = Subafdeling.objects.create(
        activation=activation,
        facility=facility,
        subdivision_type=gezondheidszorg,
        name=f"WZC {i}",
        email=f"wzc{i}@example.test",
        created_by=lb,
    )
    SubafdelingAuthorisation.objects.create(subafdeling=subafdeling, application=ehealthbox)
    SubafdelingAuthorisation.objects.create(subafdeling=subafdeling, application=eloket)
    SubafdelingAdministrator.objects.create(subafdeling=subafdeling, person=sub_admin, appointed_by=lb)
    user = SubafdelingUser.objects.create(subafdeling=subafdeling, person=member, email="member@example.test")
    ApplicationRight.objects.create(user=user, subafdeling=subafdeling, application=eloket)
    assignment = RoleAssignment.objects.create(
        user=user, role=role, application=eloket, start_date=today, created_by=sub_admin
    )
    AuditEvent.objects.create(
        actor=sub_admin, action="role.assign", target_repr=str(assignment), enterprise_kbo=enterprise.kbo
    )
    OutboxMail.objects.create(
        recipient=member.email, person=member, subject="Nieuwe rol", body="U hebt een rol."
    )
    StructuredMessage.objects.create(recipient=member, subject="Nieuwe rol", body="U hebt een rol.")
    HtbDraft.objects.create(requester=sub_admin, enterprise=enterprise)
    PortalCertificate.objects.create(
        person=member,
        enterprise=enterprise,
        subject="CN=batch.example.be",
        issuer="CN=Test CA",
        serial_number="C0FFEE",
        not_before=now,
        not_after=now + datetime.timedelta(days=365),
        fingerprint="AA:BB",
        der=b"0",
    )
    user_import = UserImport.objects.create(
        subafdeling=subafdeling, actor=sub_admin, filename="gebruikers.csv", digest="0" * 64
    )
    UserImportRow.objects.create(
        user_import=user_import, line=2, insz=member.insz, name=str(member), action="NIEUW"
    )
    Propagation.objects.create(
        target_model="roles.roleassignment",
        target_id=assignment.pk,
        target_repr=str(assignment),
        values={"effective_start_date": str(today)},
        due_at=now,
    )
    SimulatedApplication.objects.get_or_create(
        slug="eloket", defaults={"name": "E-loket Departement Zorg", "application": eloket}
    )
    return {
        "enterprise": enterprise,
        "facility": facility,
        "subafdeling": subafdeling,
        "member": member,
        "user": user,
        "role": role,
        "eloket": eloket,
        "ehealthbox": ehealthbox,
    }


@pytest.fixture
def world():
    return build_bundle(1)


@pytest.fixture
def superuser():
    return Person.objects.create_superuser(
        SUPERUSER_INSZ, password=SUPERUSER_PASSWORD, last_name="Trainer", first_name="Tina"
    )


@pytest.fixture
def admin_client(client, superuser):
    assert client.login(username=insz_format(SUPERUSER_INSZ), password=SUPERUSER_PASSWORD)
    return client


def admin_url(model, view: str, *args) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def changelist_results(client, model, **params) -> list:
    response = client.get(admin_url(model, "changelist"), params)
    assert response.status_code == 200
    return list(response.context["cl"].result_list)


# --- registration and pages ----------------------------------------------------------------------


def test_every_project_model_is_registered():
    missing = [label for label in PROJECT_MODELS if apps.get_model(label) not in admin.site._registry]
    assert PROJECT_MODELS and not missing


@pytest.mark.parametrize("label", PROJECT_MODELS)
def test_changelist_add_and_change_pages(admin_client, world, label):
    model = apps.get_model(label)
    assert admin_client.get(admin_url(model, "changelist")).status_code == 200
    assert admin_client.get(admin_url(model, "add")).status_code == (403 if label in READ_ONLY else 200)
    obj = model._default_manager.first()
    assert obj is not None, f"the test world has no {label}"
    assert admin_client.get(admin_url(model, "change", obj.pk)).status_code == 200
    # Every changelist filter and every search runs.
    assert admin_client.get(admin_url(model, "changelist"), {"q": "75.03.12-033.39"}).status_code == 200
    assert admin_client.get(admin_url(model, "changelist"), {"q": "0406.633.304"}).status_code == 200


@pytest.mark.parametrize("label", sorted(READ_ONLY))
def test_audit_and_outbox_are_read_only(admin_client, world, label):
    model = apps.get_model(label)
    obj = model._default_manager.first()
    model_admin = admin.site._registry[model]
    response = admin_client.get(admin_url(model, "change", obj.pk))
    assert response.status_code == 200
    assert not response.context["has_change_permission"]
    assert admin_client.post(admin_url(model, "change", obj.pk), {}).status_code == 403
    assert admin_client.post(admin_url(model, "delete", obj.pk), {"post": "yes"}).status_code == 403
    assert "delete_selected" not in model_admin.get_actions(response.wsgi_request)
    assert model._default_manager.filter(pk=obj.pk).exists()


def test_changelist_filters_all_work(admin_client, world):
    """Every choice of every list filter of every changelist answers."""
    for label in PROJECT_MODELS:
        model = apps.get_model(label)
        response = admin_client.get(admin_url(model, "changelist"))
        for spec in response.context["cl"].filter_specs:
            for choice in spec.choices(response.context["cl"]):
                url = admin_url(model, "changelist") + choice["query_string"]
                assert admin_client.get(url).status_code == 200, (label, url)


# --- list pages stay at a handful of queries -------------------------------------------------------


def _changelist_query_counts(client) -> dict:
    counts = {}
    for label in PROJECT_MODELS:
        model = apps.get_model(label)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(admin_url(model, "changelist"))
        assert response.status_code == 200
        counts[label] = len(queries)
    return counts


def test_changelists_do_not_grow_with_the_data(admin_client, world):
    _changelist_query_counts(admin_client)  # warm the content type and permission caches
    small = _changelist_query_counts(admin_client)
    for i in range(2, 5):
        build_bundle(i)
    large = _changelist_query_counts(admin_client)
    assert large == small
    assert max(large.values()) <= 12, large


def test_autocomplete_does_not_grow_with_the_data(admin_client, world):
    """The autocompletes behind the person, enterprise, subafdeling and user fields."""
    for i in range(2, 5):
        build_bundle(i)
    cases = [
        (RoleAssignment, "user"),
        (ApplicationRight, "user"),
        (SubafdelingUser, "subafdeling"),
        (SubafdelingUser, "person"),
        (LegalMandate, "enterprise"),
        (Subafdeling, "activation"),
        (Subafdeling, "facility"),
    ]
    for model, field in cases:
        params = {
            "app_label": model._meta.app_label,
            "model_name": model._meta.model_name,
            "field_name": field,
        }
        with CaptureQueriesContext(connection) as queries:
            response = admin_client.get(reverse("admin:autocomplete"), params)
        assert response.status_code == 200
        assert len(response.json()["results"]) >= 4
        assert len(queries) <= 6, (model, field, [q["sql"] for q in queries])


# --- search by INSZ, KBO and HCO number in any notation -------------------------------------------


def test_search_person_by_dotted_insz(admin_client, world):
    member = world["member"]
    dotted = insz_format(member.insz)
    assert "." in dotted
    assert changelist_results(admin_client, Person, q=dotted) == [member]
    assert changelist_results(admin_client, Person, q=member.insz) == [member]
    assert changelist_results(admin_client, Person, q=member.last_name) == [member]


@pytest.mark.parametrize(
    "model", [SubafdelingUser, ApplicationRight, RoleAssignment, Employment, StructuredMessage, OutboxMail]
)
def test_search_related_rows_by_dotted_insz(admin_client, world, model):
    found = changelist_results(admin_client, model, q=insz_format(world["member"].insz))
    assert found
    person_of = {
        SubafdelingUser: lambda row: row.person,
        ApplicationRight: lambda row: row.user.person,
        RoleAssignment: lambda row: row.user.person,
        Employment: lambda row: row.person,
        StructuredMessage: lambda row: row.recipient,
        OutboxMail: lambda row: row.person,
    }[model]
    assert {person_of(row) for row in found} == {world["member"]}


@pytest.mark.parametrize(
    "model",
    [
        Enterprise,
        LegalMandate,
        Employment,
        Facility,
        FacilityListing,
        HtbAppointment,
        CoHtbAppointment,
        HoedanigheidActivation,
        LocalAdministrator,
        Subafdeling,
        SubafdelingAuthorisation,
        SubafdelingAdministrator,
        SubafdelingUser,
        ApplicationRight,
        RoleAssignment,
        AuditEvent,
    ],
)
def test_search_by_dotted_kbo(admin_client, world, model):
    build_bundle(2)  # a second enterprise that must not turn up
    enterprise = world["enterprise"]
    for term in (kbo_format(enterprise.kbo), f"BE {kbo_format(enterprise.kbo)}", enterprise.kbo):
        found = changelist_results(admin_client, model, q=term)
        assert found, term
        assert len(found) == model._default_manager.count() // 2, term


def test_search_by_hco_number(admin_client, world):
    hco = world["facility"].hco_number
    assert changelist_results(admin_client, Facility, q=hco) == [world["facility"]]
    assert changelist_results(admin_client, Subafdeling, q=hco) == [world["subafdeling"]]
    assert changelist_results(admin_client, SubafdelingUser, q=hco) == [world["user"]]
    assert changelist_results(admin_client, Enterprise, q=hco) == [world["enterprise"]]


def test_autocomplete_finds_a_person_by_dotted_insz(admin_client, world):
    params = {
        "app_label": "users",
        "model_name": "subafdelinguser",
        "field_name": "person",
        "term": insz_format(world["member"].insz),
    }
    results = admin_client.get(reverse("admin:autocomplete"), params).json()["results"]
    assert [row["id"] for row in results] == [str(world["member"].pk)]


def test_list_shows_official_notation(admin_client, world):
    response = admin_client.get(admin_url(SubafdelingUser, "changelist"))
    content = response.content.decode()
    assert insz_format(world["member"].insz) in content
    assert kbo_format(world["enterprise"].kbo) in content


# --- person admin ---------------------------------------------------------------------------------


def test_unblock_card_action(admin_client, world):
    member = world["member"]
    Person.objects.filter(pk=member.pk).update(failed_pin_attempts=3, card_blocked_at=clock.now())
    response = admin_client.post(
        admin_url(Person, "changelist"),
        {"action": "unblock_card", "_selected_action": [member.pk]},
        follow=True,
    )
    assert response.status_code == 200
    member.refresh_from_db()
    assert member.failed_pin_attempts == 0
    assert member.card_blocked_at is None
    assert not member.card_blocked
    assert AuditEvent.objects.filter(action="person.card_unblock", target_id=str(member.pk)).exists()


def test_blocked_cards_filter(admin_client, world):
    member = world["member"]
    Person.objects.filter(pk=member.pk).update(failed_pin_attempts=3, card_blocked_at=clock.now())
    assert changelist_results(admin_client, Person, eid="ja") == [member]


def test_add_person_with_dotted_insz(admin_client):
    insz = make_insz(1985, 7, 30, 33)
    response = admin_client.post(
        admin_url(Person, "add"),
        {
            "insz": insz_format(insz),
            "last_name": "Janssens",
            "first_name": "Els",
            "email": "els@example.test",
            "language": "nl",
            "new_pin": "1234",
            "usable_password": "false",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    person = Person.objects.get(insz=insz)
    assert person.birth_date == datetime.date(1985, 7, 30)
    assert person.check_pin("1234")
    assert not person.has_usable_password()


def test_add_person_refuses_an_invalid_insz(admin_client):
    response = admin_client.post(
        admin_url(Person, "add"),
        {"insz": "85.07.30-033.29", "last_name": "Janssens", "first_name": "Els", "language": "nl"},
    )
    assert response.status_code == 200
    assert "insz" in response.context["adminform"].form.errors
    assert not Person.objects.filter(last_name="Janssens").exists()


def test_add_enterprise_with_dotted_kbo(admin_client):
    kbo = make_kbo(300000)
    url = admin_url(Enterprise, "add")
    data = _inline_post_data(admin_client.get(url)) | {"name": "Nieuwe Zorg", "kbo": f"BE {kbo_format(kbo)}"}
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert Enterprise.objects.get(kbo=kbo).name == "Nieuwe Zorg"
    data["kbo"] = kbo_format(kbo)[:-1] + ("1" if kbo[-1] != "1" else "2")
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert "kbo" in response.context["adminform"].form.errors


def test_change_person(admin_client, world):
    member = world["member"]
    url = admin_url(Person, "change", member.pk)
    data = _inline_post_data(admin_client.get(url))
    data.update({"insz": insz_format(member.insz), "first_name": "Gewijzigd", "new_pin": "4321"})
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    member.refresh_from_db()
    assert member.first_name == "Gewijzigd"
    assert member.check_pin("4321")
    assert member.insz == world["member"].insz
    assert admin_client.get(url.replace("/change/", "/password/")).status_code == 200


def test_overview_links_open(admin_client, world):
    """The links on the person and enterprise pages open their filtered lists."""
    for url in (
        admin_url(Person, "change", world["member"].pk),
        admin_url(Enterprise, "change", world["enterprise"].pk),
    ):
        content = admin_client.get(url).content.decode()
        links = [part.split('"')[0].replace("&amp;", "&") for part in content.split('<li><a href="')[1:]]
        links = [link for link in links if "?" in link]
        assert len(links) >= 7
        for link in links:
            response = admin_client.get(link)
            assert response.status_code == 200, link
            assert response.context["cl"].result_count >= 0


# --- inlines and hidden keys ----------------------------------------------------------------------


def _inline_post_data(response) -> dict:
    """The POST data a browser would send back for a change form, inlines included."""
    data = {}
    forms = [response.context["adminform"].form]
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        forms.extend(formset.forms)
        management = formset.management_form
        for name, field in management.fields.items():
            data[management.add_prefix(name)] = management.initial.get(name, field.initial)
    for form in forms:
        for name, field in form.fields.items():
            if field.disabled:
                continue
            value = form.initial.get(name, field.initial)
            if value is None:
                continue
            if hasattr(value, "pk"):
                value = value.pk
            if isinstance(value, list | tuple):
                value = [getattr(item, "pk", item) for item in value]
            if isinstance(value, datetime.datetime):
                local = timezone.localtime(value)
                data[form.add_prefix(name) + "_0"] = local.date().isoformat()
                data[form.add_prefix(name) + "_1"] = local.strftime("%H:%M:%S")
                continue
            if isinstance(value, datetime.date):
                value = value.isoformat()
            data[form.add_prefix(name)] = value
    return data


def _portal_url(row) -> str:
    """The portal screen that changes a chain row, as its admin page must link to it."""
    if isinstance(row, HtbAppointment | CoHtbAppointment):
        return reverse("administrators:enterprise", kwargs={"kbo": row.enterprise.kbo})
    if isinstance(row, HoedanigheidActivation):
        return reverse("administrators:hoedanigheid", kwargs={"hoedanigheid_id": row.pk})
    if isinstance(row, LocalAdministrator):
        return reverse("administrators:managers", kwargs={"hoedanigheid_id": row.activation_id})
    if isinstance(row, Subafdeling):
        return reverse("subdivisions:detail", kwargs={"subafdeling_id": row.pk})
    if isinstance(row, SubafdelingAuthorisation | SubafdelingAdministrator):
        return reverse("subdivisions:detail", kwargs={"subafdeling_id": row.subafdeling_id})
    if isinstance(row, SubafdelingUser):
        return reverse("users:edit", kwargs={"subafdeling_id": row.subafdeling_id, "user_id": row.pk})
    if isinstance(row, ApplicationRight):
        return reverse("users:edit", kwargs={"subafdeling_id": row.subafdeling_id, "user_id": row.user_id})
    assert isinstance(row, RoleAssignment)
    return reverse("roles:person", kwargs={"subafdeling_id": row.user.subafdeling_id, "user_id": row.user_id})


@pytest.mark.parametrize("label", sorted(CHAIN_ROWS))
def test_chain_rows_link_to_the_portal_screen_that_changes_them(admin_client, world, label):
    model = apps.get_model(label)
    row = model._default_manager.first()
    response = admin_client.get(admin_url(model, "change", row.pk))
    assert response.status_code == 200
    assert not response.context["has_change_permission"]
    assert f'href="{_portal_url(row)}"' in response.text
    assert "Wijzigen in het portaal" in response.text


def test_an_admin_post_changes_no_chain_row(admin_client, world):
    """Rights, roles and subafdelingen change only through the portal's services: a POST to their
    admin pages is refused and leaves the rows, the audit trail and the propagations as they were."""
    user, assignment = world["user"], RoleAssignment.objects.get(user=world["user"])
    events, propagations = AuditEvent.objects.count(), Propagation.objects.count()

    url = admin_url(SubafdelingUser, "change", user.pk)
    data = _inline_post_data(admin_client.get(url)) | {"email": "nieuw@example.test", "status": "INACTIVE"}
    assert admin_client.post(url, data).status_code == 403
    url = admin_url(RoleAssignment, "change", assignment.pk)
    data = _inline_post_data(admin_client.get(url)) | {"end_date": clock.today().isoformat()}
    assert admin_client.post(url, data).status_code == 403
    add = admin_client.post(
        admin_url(ApplicationRight, "add"), {"user": user.pk, "application": world["ehealthbox"].pk}
    )
    assert add.status_code == 403
    right = ApplicationRight.objects.get(user=user)
    assert (
        admin_client.post(admin_url(ApplicationRight, "delete", right.pk), {"post": "yes"}).status_code == 403
    )
    bulk = admin_client.post(
        admin_url(RoleAssignment, "changelist"),
        {"action": "delete_selected", "_selected_action": [assignment.pk], "post": "yes"},
    )
    assert bulk.status_code in (200, 302)
    url = admin_url(Subafdeling, "change", world["subafdeling"].pk)
    data = _inline_post_data(admin_client.get(url)) | {"name": "Andere naam"}
    assert admin_client.post(url, data).status_code == 403

    user.refresh_from_db()
    assignment.refresh_from_db()
    world["subafdeling"].refresh_from_db()
    assert user.email == "member@example.test"
    assert assignment.end_date is None
    assert world["subafdeling"].name == "WZC 1"
    assert list(ApplicationRight.objects.filter(user=user)) == [right]
    assert RoleAssignment.objects.filter(pk=assignment.pk).exists()
    assert (AuditEvent.objects.count(), Propagation.objects.count()) == (events, propagations)


def test_the_admin_never_writes_a_card_block(admin_client, world):
    """The eID and itsme blocks are shown; only the audited unblock action clears them."""
    member = world["member"]
    blocked_at = clock.now()
    Person.objects.filter(pk=member.pk).update(card_blocked_at=blocked_at, failed_pin_attempts=3)
    url = admin_url(Person, "change", member.pk)
    response = admin_client.get(url)
    assert {"card_blocked_at", "failed_pin_attempts", "itsme_blocked_at"} <= set(
        response.context["adminform"].readonly_fields
    )
    data = _inline_post_data(response) | {
        "insz": insz_format(member.insz),
        "card_blocked_at_0": "",
        "card_blocked_at_1": "",
        "failed_pin_attempts": "0",
    }
    assert admin_client.post(url, data).status_code == 302
    member.refresh_from_db()
    assert member.card_blocked_at == blocked_at and member.failed_pin_attempts == 3


def test_rows_behind_composite_keys_can_be_saved(admin_client, world):
    """Roles are referenced by composite foreign keys; saving their change page must not trip the
    database's guard on those keys."""
    url = admin_url(Role, "change", world["role"].pk)
    response = admin_client.post(url, _inline_post_data(admin_client.get(url)))
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert RoleAssignment.objects.filter(user=world["user"]).count() == 1


def test_current_appointment_filter(admin_client, world):
    current = changelist_results(admin_client, LocalAdministrator, aanstelling="huidig")
    ended = changelist_results(admin_client, LocalAdministrator, aanstelling="beeindigd")
    assert [row.kind for row in current] == [AdministratorKind.LB]
    assert [row.kind for row in ended] == [AdministratorKind.CO_LB]
    assert changelist_results(admin_client, CoHtbAppointment, aanstelling="huidig") == []


def test_enterprise_inlines(admin_client, world, monkeypatch):
    url = admin_url(Enterprise, "change", world["enterprise"].pk)
    response = admin_client.get(url)
    models = {inline.formset.model for inline in response.context["inline_admin_formsets"]}
    assert models == {LegalMandate, Employment, Facility}
    # A large employer's thousands of employments stay off the page; the overview links to them.
    Employment.objects.create(
        person=world["member"], enterprise=world["enterprise"], start_date=datetime.date(2019, 1, 1)
    )
    monkeypatch.setattr("enterprises.admin.INLINE_ROW_LIMIT", 1)
    response = admin_client.get(url)
    models = {inline.formset.model for inline in response.context["inline_admin_formsets"]}
    assert models == {LegalMandate, Facility}
    response = admin_client.post(url, _inline_post_data(response) | {"name": "Zorggroep Een"})
    assert response.status_code == 302
    world["enterprise"].refresh_from_db()
    assert world["enterprise"].name == "Zorggroep Een"


# --- the demo world ---------------------------------------------------------------------------------


def test_admin_on_the_demo_world(client):
    call_command("seed_demo", stdout=io.StringIO())
    # Marc Vermeulen (75.03.12-033.39) is a demo person: the trainer signs in with his INSZ.
    trainer = Person.objects.get(insz=SUPERUSER_INSZ)
    trainer.is_staff = trainer.is_superuser = True
    trainer.set_password(SUPERUSER_PASSWORD)
    trainer.save()
    assert client.login(username=SUPERUSER_INSZ, password=SUPERUSER_PASSWORD)
    for label in PROJECT_MODELS:
        model = apps.get_model(label)
        assert client.get(admin_url(model, "changelist")).status_code == 200, label
        obj = model._default_manager.first()
        if obj is not None:
            assert client.get(admin_url(model, "change", obj.pk)).status_code == 200, label
    assert changelist_results(client, Person, q="75.03.12-033.39") == [trainer]
    broeders = Enterprise.objects.get(kbo="0406633304")
    assert changelist_results(client, Enterprise, q="0406.633.304") == [broeders]
