"""Sandboxes stay sandboxes. A trainee's INSZ look-ups (HTB "Andere persoon", co-HTB, (co-)LB,
subafdelingsbeheerder, user) find only the people of their own sandbox, and a real administrator never
finds a sandbox's person: a person is found for an enterprise only in the enterprise's own world
(enterprises.selectors.person_for_enterprise), and every service that appoints or adds someone checks
it again. No mail, structured message or appointment ever crosses."""

import pytest

from accessportal import clock
from accessportal.models import OutboxMail, StructuredMessage
from accessportal.services import ServiceError
from administrators import services as administrators
from administrators.models import AdministratorKind, CoHtbAppointment, HtbAppointment, LocalAdministrator
from enterprises.models import Enterprise, Facility
from enterprises.selectors import person_for_enterprise
from identity.models import Person
from subdivisions import services as subdivisions
from subdivisions.models import SubafdelingAdministrator
from tests.conftest import classroom_with_sandbox, trainer_create
from training import services as training
from training.models import Part
from users import services as users
from users.models import SubafdelingUser

pytestmark = pytest.mark.django_db

UNKNOWN = "Deze persoon is niet gekend in het rijksregister."


def praktijk(name: str):
    """A chapter-4 sandbox (its HTB, eHealth Gezondheidszorg active) with HUIZE … as a subafdeling."""
    trainer = trainer_create(name)
    classroom = training.classroom_create(trainer=trainer, name=f"Klas {name}", size=1, scenario="praktijk")
    training.classroom_build(classroom_id=classroom.pk)
    sandbox = classroom.sandboxes.select_related("enterprise").get()
    htb = training.legal_representative_of(sandbox)
    employees = [part.person for part in sandbox.people.filter(part=Part.EMPLOYEE).select_related("person")]
    activation = sandbox.enterprise.activations.get()
    huize = Facility.objects.get(enterprise=sandbox.enterprise, name__startswith="HUIZE")
    with clock.simulated(sandbox.now()):
        subafdeling = subdivisions.subafdeling_activate(
            actor=htb,
            activation=activation,
            facility=huize,
            subdivision_type=huize.listings.get().subdivision_type,
            email="huize@example.be",
            applications=[],
        )
    return sandbox, htb, employees, activation, subafdeling


@pytest.fixture
def sandbox(world):
    return praktijk("Tine")


def lookups(client, actor, enterprise, activation, subafdeling, insz: str) -> dict[str, str]:
    """Each INSZ look-up of the portal, as ``actor``: the page's text after "Volgende"."""
    client.force_login(actor)
    pages = {
        "co-HTB": client.post(
            f"/beheer-toegangsbeheerders/ondernemingen/{enterprise.kbo}/co-hoofdtoegangsbeheerders/",
            {"insz": insz},
        ),
        "LB": client.post(
            f"/toegangsbeheer/hoedanigheden/{activation.pk}/gebruikers/",
            {"aanstellen-kind": "LB", "aanstellen-insz": insz},
        ),
        "user": client.post(
            f"/toegangsbeheer/subafdelingen/{subafdeling.pk}/gebruikers/toevoegen/", {"toevoegen-insz": insz}
        ),
    }
    return {name: response.content.decode() for name, response in pages.items()}


def test_the_selector_keeps_to_the_world(world, sandbox):
    box, _htb, employees, _activation, _subafdeling = sandbox
    other_box = praktijk("Bart")[0]
    real = world.main.enterprise
    assert person_for_enterprise(box.enterprise, employees[0].insz) == employees[0]
    assert person_for_enterprise(box.enterprise, world.main.employee.insz) is None
    assert person_for_enterprise(other_box.enterprise, employees[0].insz) is None
    assert person_for_enterprise(real, employees[0].insz) is None
    assert person_for_enterprise(real, world.main.employee.insz) == world.main.employee
    assert box.enterprise.world and box.enterprise.world != other_box.enterprise.world
    assert {p.world for p in Person.objects.filter(sandbox_part__sandbox=box)} == {box.enterprise.world}
    assert Enterprise.objects.filter(world="").count() == 2  # the main and outsider enterprises only


def test_a_trainee_finds_no_real_person_and_no_one_of_another_sandbox(client, world, sandbox):
    box, htb, _employees, activation, subafdeling = sandbox
    _other_box, _other_htb, other_employees, *_ = praktijk("Bart")
    for insz in (world.main.employee.insz, world.nobody.insz, other_employees[0].insz):
        for name, page in lookups(client, htb, box.enterprise, activation, subafdeling, insz).items():
            assert UNKNOWN in page, name
    assert not CoHtbAppointment.objects.filter(enterprise=box.enterprise).exists()
    assert not LocalAdministrator.objects.filter(activation=activation).exists()
    assert not SubafdelingUser.objects.filter(subafdeling=subafdeling).exists()


def test_a_trainee_finds_the_people_of_their_own_sandbox(client, world, sandbox):
    box, htb, employees, activation, subafdeling = sandbox
    pages = lookups(client, htb, box.enterprise, activation, subafdeling, employees[0].insz)
    assert all(UNKNOWN not in page for page in pages.values())
    assert CoHtbAppointment.objects.filter(enterprise=box.enterprise, person=employees[0]).exists()


def test_a_real_administrator_never_finds_a_sandbox_person(client, world, sandbox):
    _box, _htb, employees, *_ = sandbox
    main = world.main
    for insz in (employees[0].insz, training.legal_representative_of(_box).insz):
        for name, page in lookups(
            client, main.htb, main.enterprise, main.activation, main.subafdeling, insz
        ).items():
            assert UNKNOWN in page, name
    assert not CoHtbAppointment.objects.filter(person__in=employees).exists()


def test_the_htb_procedure_of_a_trainee_stays_in_the_sandbox(client, world):
    _trainer, _classroom, box, trainee = world.training
    client.force_login(trainee)
    start = "/beheer-toegangsbeheerders/hoofdtoegangsbeheerder/"
    # A real enterprise is not in the sandbox's KBO, even for its own legal representative's number.
    assert "niet gekend in de Kruispuntbank" in client.post(start, {"kbo": world.main.enterprise.kbo}).text
    location = client.post(start, {"kbo": box.enterprise.kbo})["Location"]
    answers = {
        "choice": "OTHER",
        "htb_insz": world.main.employee.insz,
        "htb_email": "els@example.be",
        "htb_phone": "02 123 45 67",
        "requester_email": "rep@example.be",
        "requester_phone": "02 123 45 68",
    }
    assert UNKNOWN in client.post(location, answers).text
    # A real legal representative does not find a sandbox's enterprise in the KBO either.
    client.force_login(world.main.legal_rep)
    assert "niet gekend in de Kruispuntbank" in client.post(start, {"kbo": box.enterprise.kbo}).text


def test_the_services_check_the_world_again(world, sandbox):
    box, htb, employees, activation, subafdeling = sandbox
    main = world.main
    stranger = world.main.employee  # real: found by no look-up of the sandbox, refused by every service
    with clock.simulated(box.now()):
        attempts = {
            "co-HTB": lambda: administrators.co_htb_appoint(
                actor=htb, enterprise=box.enterprise, person=stranger
            ),
            "LB": lambda: administrators.local_administrator_appoint(
                actor=htb, activation=activation, person=stranger, kind=AdministratorKind.LB, email="x@x.be"
            ),
            "user": lambda: users.user_add(
                actor=htb, subafdeling=subafdeling, person=stranger, email="x@x.be"
            ),
            "subafdelingsbeheerder": lambda: subdivisions.subafdeling_activate(
                actor=htb,
                activation=activation,
                facility=Facility.objects.get(enterprise=box.enterprise, name__startswith="WZC"),
                subdivision_type=Facility.objects.get(enterprise=box.enterprise, name__startswith="WZC")
                .listings.get(subdivision_type__code="gezondheidszorg")
                .subdivision_type,
                email="wzc@example.be",
                applications=[],
                administrator=stranger,
            ),
        }
        for name, attempt in attempts.items():
            with pytest.raises(ServiceError) as refused:
                attempt()
            assert UNKNOWN in refused.value.messages, name
    # and the other way: a sandbox's person is never appointed or added in the real world
    with pytest.raises(ServiceError):
        administrators.htb_appoint(
            actor=main.legal_rep, enterprise=main.enterprise, person=employees[0], email="x@x.be", phone="02"
        )
    with pytest.raises(ServiceError):
        users.user_add(actor=main.sb, subafdeling=main.subafdeling, person=employees[0], email="x@x.be")
    assert (
        not HtbAppointment.objects.filter(person__in=[stranger, *employees])
        .exclude(enterprise=box.enterprise)
        .exists()
    )
    assert (
        not SubafdelingAdministrator.objects.filter(person=stranger)
        .exclude(subafdeling__activation__enterprise=main.enterprise)
        .exists()
    )
    assert not OutboxMail.objects.filter(person=stranger).exists()
    assert not StructuredMessage.objects.filter(recipient=stranger).exists()


def test_an_existing_sandbox_gets_a_world_of_its_own(catalogue):
    """The migration's rule, on a sandbox built before the world marker: its enterprise and people share
    one key, different from every other sandbox's and from the real world's ("")."""
    import importlib

    from django.apps import apps

    migration = importlib.import_module("training.migrations.0003_sandbox_worlds")
    boxes = [classroom_with_sandbox(name)[2] for name in ("Ann", "Bob")]
    Enterprise.objects.update(world="")
    Person.objects.update(world="")
    migration.mark_worlds(apps, None)
    worlds = []
    for box in boxes:
        box.enterprise.refresh_from_db()
        worlds.append(box.enterprise.world)
        assert {p.world for p in Person.objects.filter(sandbox_part__sandbox=box)} == {box.enterprise.world}
    assert "" not in worlds and len(set(worlds)) == 2
