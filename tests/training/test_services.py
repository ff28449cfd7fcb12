"""Training's core: classrooms of sandboxes, the sandbox's own clock, reset, the demo world's reset."""

from datetime import date, timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from accessportal import clock
from accessportal.identifiers import insz_clean, kbo_clean
from accessportal.models import Propagation
from accessportal.services import ServiceError
from administrators import services as administrators
from administrators.models import HoedanigheidActivation, HtbAppointment
from enterprises.models import Enterprise, Facility
from identity.models import Person
from roles import services as roles
from tests.conftest import trainer_create
from tests.training.sandboxes import ROLE, built, praktijk_with_pending_role
from training import services as training
from training.models import Part, Sandbox
from training.scenarios import scenario_panel
from users.models import ApplicationRight

pytestmark = pytest.mark.django_db


@pytest.fixture
def trainer(catalogue):
    return trainer_create("Tine")


def test_only_a_trainer_creates_a_classroom_of_1_to_40(trainer, world):
    with pytest.raises(ServiceError):
        training.classroom_create(trainer=world.main.htb, name="Klas", size=3, scenario="htb")
    for size in (0, 41):
        with pytest.raises(ServiceError) as refused:
            training.classroom_create(trainer=trainer, name="Klas", size=size, scenario="htb")
        assert "size" in refused.value.message_dict
    with pytest.raises(ServiceError):
        training.classroom_create(trainer=trainer, name="Klas", size=3, scenario="onbekend")


def test_sandboxes_get_valid_new_numbers_people_and_facilities(trainer):
    classroom = built(trainer, size=3)
    sandboxes = list(classroom.sandboxes.select_related("enterprise"))
    assert [s.number for s in sandboxes] == [1, 2, 3] and classroom.sandboxes.count() == 3
    kbos = [s.enterprise.kbo for s in sandboxes]
    assert len(set(kbos)) == 3 and all(kbo_clean(kbo) == kbo for kbo in kbos)
    people = Person.objects.filter(sandbox_part__sandbox__classroom=classroom)
    assert people.count() == 3 * (1 + training.EMPLOYEES)
    assert all(insz_clean(p.insz) == p.insz for p in people)
    for sandbox in sandboxes:
        representative = training.legal_representative_of(sandbox)
        assert representative.check_pin(sandbox.pin)
        assert sandbox.enterprise.legal_mandates.get().person == representative
        assert Facility.objects.filter(enterprise=sandbox.enterprise).count() == 3
        assert not HtbAppointment.objects.filter(enterprise=sandbox.enterprise).exists()  # 3.2.2 starts here
    classroom.refresh_from_db()
    assert classroom.built_at is not None


def test_building_again_only_adds_what_is_missing(trainer):
    classroom = built(trainer, size=2)
    classroom.sandboxes.get(number=2).delete()
    assert training.classroom_build(classroom_id=classroom.pk) == 1
    assert classroom.sandboxes.count() == 2


def test_the_chapter_4_scenario_starts_with_an_htb_and_ehealth(trainer):
    sandbox = built(trainer, size=1, scenario="praktijk").sandboxes.get()
    representative = training.legal_representative_of(sandbox)
    assert HtbAppointment.objects.current().get(enterprise=sandbox.enterprise).person == representative
    assert HoedanigheidActivation.objects.get(enterprise=sandbox.enterprise).hoedanigheid.code == (
        "ehealth-gezondheidszorg"
    )


def test_a_sandbox_clock_applies_only_its_own_changes_and_only_forward(trainer, world, catalogue):
    world_role = roles.role_assign(
        actor=world.main.sb, user=world.main.user, role=catalogue["roles"][ROLE], start_date=date(2026, 1, 1)
    )
    sandbox, assignment = praktijk_with_pending_role(trainer)
    before = timezone.now()
    moment = training.world_clock_advance(actor=trainer, world=sandbox, by=timedelta(minutes=19))
    assignment.refresh_from_db()
    assert assignment.effective_start_date is None and moment >= before + timedelta(minutes=19)
    training.world_clock_advance(actor=trainer, world=sandbox, to_next_effect=True)
    assignment.refresh_from_db()
    assert assignment.effective_start_date is not None
    assert timezone.now() - before < timedelta(minutes=1)  # real time is untouched
    world_role.refresh_from_db()
    assert world_role.effective_start_date is None  # another enterprise's change waits for real time
    with pytest.raises(ServiceError) as refused:
        training.world_clock_advance(actor=trainer, world=sandbox, to=date(2020, 1, 1))
    assert "to" in refused.value.message_dict
    with pytest.raises(ServiceError) as nothing:
        training.world_clock_advance(actor=trainer, world=sandbox, to_next_effect=True)
    assert nothing.value.code == "nothing_pending"  # a message without a field keeps its code


def test_clock_to_a_date_keeps_the_time_of_day(trainer):
    sandbox = built(trainer, size=1).sandboxes.get()
    target = clock.today() + timedelta(days=3)
    moment = training.world_clock_advance(actor=trainer, world=sandbox, to=target)
    assert timezone.localtime(moment).date() == target
    sandbox.refresh_from_db()
    assert timedelta(days=2, hours=23) < sandbox.clock_offset < timedelta(days=3, hours=1)


def test_a_trainees_requests_run_on_the_sandbox_clock(client, trainer):
    sandbox = built(trainer, size=1).sandboxes.get()
    training.world_clock_advance(actor=trainer, world=sandbox, by=timedelta(days=10))
    trainee = training.legal_representative_of(sandbox)
    client.force_login(trainee)
    response = client.post("/beheer-toegangsbeheerders/hoofdtoegangsbeheerder/", {"kbo": "0000000000"})
    assert response.status_code in (200, 302)
    sandbox.refresh_from_db()
    assert sandbox.last_error  # the error message the trainee saw is kept for the dashboard
    assert sandbox.last_error_at > timezone.now() + timedelta(days=9)  # noted on the sandbox's clock


def test_the_last_error_of_someone_outside_sandboxes_is_not_kept(client, world, trainer):
    built(trainer, size=1)
    client.force_login(world.main.legal_rep)
    client.post("/beheer-toegangsbeheerders/hoofdtoegangsbeheerder/", {"kbo": "0000000000"})
    assert not Sandbox.objects.exclude(last_error="").exists()


def test_reset_returns_to_the_scenarios_start_keeps_people_and_puts_the_clock_back(trainer):
    sandbox, _role = praktijk_with_pending_role(trainer)
    training.world_clock_advance(actor=trainer, world=sandbox, by=timedelta(hours=1))
    people = set(sandbox.people.values_list("person_id", flat=True))
    training.sandbox_reset(actor=trainer, sandbox=sandbox)
    assert not ApplicationRight.objects.filter(subafdeling__facility__enterprise=sandbox.enterprise).exists()
    assert HtbAppointment.objects.current().filter(enterprise=sandbox.enterprise).count() == 1
    assert HoedanigheidActivation.objects.filter(enterprise=sandbox.enterprise).count() == 1
    assert not Propagation.objects.filter(enterprise_kbo=sandbox.enterprise.kbo, applied_at=None).exists()
    sandbox.refresh_from_db()
    assert sandbox.clock_offset == timedelta(0)  # real time again
    assert set(sandbox.people.values_list("person_id", flat=True)) == people
    assert training.legal_representative_of(sandbox).check_pin(sandbox.pin)


def test_scenario_steps_tick_as_the_trainee_acts(client, trainer):
    sandbox = built(trainer, size=1).sandboxes.get()
    representative = training.legal_representative_of(sandbox)
    panel = scenario_panel(sandbox)
    assert panel["current"].step.key == "signed_in_csam" and not panel["finished"]
    client.post("/aanmelden/eid/", {"insz": representative.insz, "pin": sandbox.pin})
    assert scenario_panel(sandbox)["current"].step.key == "draft"
    with clock.simulated(sandbox.now()):
        administrators.htb_appoint(
            actor=representative,
            enterprise=sandbox.enterprise,
            person=representative,
            email=representative.email,
            phone="02",
        )
    panel = scenario_panel(sandbox)
    assert panel["finished"] and all(step.done for step in panel["steps"])


def test_persona_of_never_leaves_the_sandbox(trainer, world):
    classroom = built(trainer, size=2)
    first, second = classroom.sandboxes.order_by("number")
    colleague = first.people.filter(part=Part.EMPLOYEE).first().person
    assert training.persona_of(first, colleague.pk) == colleague
    assert training.persona_of(first, training.legal_representative_of(second).pk) is None
    assert training.persona_of(first, world.main.htb.pk) is None


def test_the_demo_world_reset_reloads_it_as_designed(trainer):
    call_command("seed_demo")
    barbara = Enterprise.objects.get(kbo="0422152314")
    jan = HtbAppointment.objects.current().get(enterprise=barbara).person
    administrators.co_htb_appoint(
        actor=jan, enterprise=barbara, person=Person.objects.get(insz=insz_clean("93.07.17-078.56"))
    )
    training.demo_world_reset(actor=trainer)
    barbara = Enterprise.objects.get(kbo="0422152314")
    assert not barbara.co_htb_appointments.exists()
    assert HtbAppointment.objects.current().get(enterprise=barbara).person.last_name == "Claes"
    assert Person.objects.filter(insz=insz_clean("87.11.30-091.40")).count() == 1
