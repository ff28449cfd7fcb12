"""Sandbox data a trainee can trust: every generated INSZ, KBO and HCO number valid and unique (also
across classrooms built at once, and never one of the demo world's), first names of the sex the INSZ
says, facility names that show their HCO number once, and a scenario panel that names the facility."""

import random
import threading
from datetime import date

import pytest
from django.core.management import call_command
from django.db import connection

from accessportal.identifiers import insz_clean, insz_compact, insz_is_male, kbo_clean, kbo_compact
from enterprises.models import Facility, FacilityListing
from identity.models import Person, Title
from tests.conftest import trainer_create
from tests.training.sandboxes import built
from training import services as training
from training.models import Classroom
from training.scenarios import scenario_panel
from worlds import numbers
from worlds.demo import DE_LINDE, DEMO_HCOS, PEOPLE, demo_inszs, demo_kbos
from worlds.models import IssuedNumber

pytestmark = pytest.mark.django_db


@pytest.fixture
def trainer(catalogue):
    return trainer_create("Tine")


class Scripted(random.Random):
    """A random source that first gives the values it is told, then random ones."""

    def __init__(self, *values):
        super().__init__(1)
        self.values = list(values)

    def randint(self, a, b):
        return self.values.pop(0) if self.values else super().randint(a, b)

    def randrange(self, *args):
        return self.values.pop(0) if self.values else super().randrange(*args)


def test_check_digits():
    assert numbers.insz_number(date(1985, 7, 30), 33) == "85073003328"
    assert numbers.insz_number(date(2001, 12, 3), 46) == "01120304695"  # born 2000+: prefixed with 2
    assert numbers.kbo_number(4066333) == "0406633304"
    for serial in (0, 999):
        with pytest.raises(ValueError):
            numbers.insz_number(date(1985, 7, 30), serial)


def test_a_serial_tells_the_sex():
    rng = random.Random(5)
    assert all(numbers.insz_serial(rng, male=True) % 2 == 1 for _ in range(200))
    assert all(numbers.insz_serial(rng, male=False) % 2 == 0 for _ in range(200))


def test_every_sandbox_person_has_a_first_name_of_the_sex_of_their_insz(trainer):
    classroom = built(trainer, size=4)
    people = Person.objects.filter(sandbox_part__sandbox__classroom=classroom)
    assert people.count() == 4 * (1 + training.EMPLOYEES)
    for person in people:
        male = insz_is_male(person.insz)
        assert (person.first_name in training.MEN) == male, (person.first_name, person.insz)
        assert person.title == (Title.DE_HEER if male else Title.MEVROUW)  # no "Mevrouw Dirk"
        assert insz_clean(person.insz) == person.insz


def test_the_demo_worlds_numbers_are_never_generated(catalogue, monkeypatch):
    marc = PEOPLE[0]  # 75.03.12-033.39
    with monkeypatch.context() as unreserved:  # the scripted draws do give the demo's numbers
        unreserved.setattr(numbers, "reserved", lambda kind: frozenset())
        assert numbers.insz_issue(Scripted(date(1975, 3, 12).toordinal(), 33), male=True) == insz_compact(
            marc.insz
        )
        assert numbers.kbo_issue(Scripted(int(kbo_compact(DE_LINDE)[1:8]))) == kbo_compact(DE_LINDE)
    IssuedNumber.objects.all().delete()
    rng = Scripted(date(1975, 3, 12).toordinal(), 33)
    assert numbers.insz_issue(rng, male=True) != insz_compact(marc.insz)  # drawn first, then refused
    rng = Scripted(int(kbo_compact(DE_LINDE)[1:8]))
    assert numbers.kbo_issue(rng) != kbo_compact(DE_LINDE)
    assert set(DEMO_HCOS) == numbers.reserved(numbers.HCO)
    assert set(demo_inszs()) == numbers.reserved(numbers.INSZ)
    assert set(demo_kbos()) == numbers.reserved(numbers.KBO)


def test_the_demo_world_registers_exactly_its_reserved_hco_numbers(catalogue):
    call_command("seed_demo")
    registered = set(
        Facility.objects.filter(enterprise__kbo__in=demo_kbos()).values_list("hco_number", flat=True)
    )
    assert registered == set(DEMO_HCOS)


def test_a_number_in_use_or_issued_before_is_not_issued_again(world):
    taken = world.main.enterprise.kbo
    rng = Scripted(int(taken[1:8]), int(taken[1:8]))
    first = numbers.kbo_issue(rng)
    assert first != taken
    again = Scripted(int(first[1:8]))
    assert numbers.kbo_issue(again) != first  # issued once (IssuedNumber), even before it is used
    assert IssuedNumber.objects.filter(kind=numbers.KBO, number=first).count() == 1


def test_sandbox_numbers_are_valid_and_unique_across_classrooms(trainer):
    first, second = built(trainer, size=3, name="A"), built(trainer, size=3, name="B")
    sandboxes = [
        *first.sandboxes.select_related("enterprise"),
        *second.sandboxes.select_related("enterprise"),
    ]
    kbos = [s.enterprise.kbo for s in sandboxes]
    assert len(set(kbos)) == 6 and all(kbo_clean(k) == k for k in kbos)
    inszs = list(Person.objects.filter(sandbox_part__isnull=False).values_list("insz", flat=True))
    assert len(set(inszs)) == len(inszs) == 6 * (1 + training.EMPLOYEES)
    hcos = list(
        Facility.objects.filter(enterprise__sandbox__isnull=False).values_list("hco_number", flat=True)
    )
    assert len(set(hcos)) == len(hcos) == 6 * 3
    assert not set(hcos) & set(DEMO_HCOS)


@pytest.mark.django_db(transaction=True)
def test_two_classrooms_built_at_once_draw_different_numbers(catalogue, monkeypatch):
    """Both builds draw the very same random numbers: the claims make one of them wait and move on."""
    if connection.vendor != "postgresql":
        pytest.skip("concurrent builds need PostgreSQL; CI runs this test there")
    trainer = trainer_create("Tine")
    classrooms = [
        training.classroom_create(trainer=trainer, name=f"Klas {n}", size=2, scenario="htb") for n in (1, 2)
    ]
    monkeypatch.setattr(training.secrets, "randbits", lambda bits: 42)  # the same seed everywhere
    failures = []

    def build(classroom):
        try:
            training.classroom_build(classroom_id=classroom.pk)
        except Exception as error:
            failures.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=build, args=(classroom,)) for classroom in classrooms]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    kbos = list(Classroom.objects.values_list("sandboxes__enterprise__kbo", flat=True))
    assert len(kbos) == 4 and len(set(kbos)) == 4
    inszs = list(Person.objects.filter(sandbox_part__isnull=False).values_list("insz", flat=True))
    assert len(inszs) == 4 * (1 + training.EMPLOYEES) and len(set(inszs)) == len(inszs)


def test_a_sandbox_facility_shows_its_hco_number_once(trainer):
    sandbox = built(trainer, size=1, scenario="praktijk").sandboxes.get()
    for listing in FacilityListing.objects.filter(facility__enterprise=sandbox.enterprise).select_related(
        "facility"
    ):
        assert listing.name == listing.facility.name  # CoBRHA's name, without the number
        assert listing.label == f"{listing.facility.name} ({listing.facility.hco_number})"
        assert listing.label.count(listing.facility.hco_number) == 1


def test_a_cobrha_name_with_its_number_is_not_given_it_twice(catalogue):
    call_command("seed_demo")
    listing = FacilityListing.objects.select_related("facility").get(name="T SUSTERHUYIS (4085)")
    assert listing.label == "T SUSTERHUYIS (4085)"
    terloo = FacilityListing.objects.select_related("facility").get(name="HUIZE TERLOO")
    assert terloo.label == "HUIZE TERLOO (201870)"


def test_the_add_subafdeling_list_shows_each_facility_with_its_number_once(client, trainer):
    sandbox = built(trainer, size=1, scenario="praktijk").sandboxes.get()
    htb = training.legal_representative_of(sandbox)
    huize = Facility.objects.get(enterprise=sandbox.enterprise, name__startswith="HUIZE ")
    from subdivisions.forms import FacilityForm

    form = FacilityForm(listings=FacilityListing.objects.filter(facility=huize).select_related("facility"))
    [(_value, label)] = [choice for choice in form.fields["listing"].choices if choice[0]]
    assert label == f"{huize.name} ({huize.hco_number})"
    assert htb is not None


def test_the_scenario_panel_names_the_sandboxes_own_facility(trainer):
    sandbox = built(trainer, size=1, scenario="praktijk").sandboxes.get()
    huize = Facility.objects.get(enterprise=sandbox.enterprise, name__startswith="HUIZE ")
    panel = scenario_panel(sandbox)
    step = next(item for item in panel["steps"] if item.step.key == "subafdeling")
    assert huize.name in step.todo and "…" not in step.todo


def test_a_trainer_gets_a_new_valid_insz_of_the_sex_of_a_known_first_name(catalogue):
    trainer = training.trainer_register(
        first_name="Tine", last_name="Opleider", username="tine", password="x" * 12
    )
    assert not insz_is_male(trainer.insz) and insz_clean(trainer.insz) == trainer.insz
    assert trainer.insz not in numbers.reserved(numbers.INSZ)
