"""The demo world of make run on /opleiding/: its clock (the sandbox's mechanism: +20 minuten, the next
change, a date; forward only; its people's requests run on it), its people's eID cards, and "De
demowereld herladen" as a background task with its progress in the database."""

import re
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from accessportal.identifiers import insz_compact
from accessportal.models import AuditEvent
from accessportal.services import ServiceError
from identity import services as identity
from identity.models import Person
from roles.models import Role, RoleAssignment
from tests.conftest import trainer_create
from tests.factories import PersonFactory
from tests.training.sandboxes import built
from training import services as training
from training import tasks
from training.models import DemoWorld, ReloadState
from users.models import SubafdelingUser
from worlds.demo import LOAD_STEPS

pytestmark = pytest.mark.django_db

HOME = "/opleiding/"
CLOCK = "/opleiding/demowereld/klok/"
RELOAD = "/opleiding/demowereld/herladen/"


@pytest.fixture
def demo(catalogue):
    call_command("seed_demo")
    training.demo_world()  # its row (a migration makes it; a browser journey's flush before may not have)


@pytest.fixture
def trainer(catalogue):
    return trainer_create("Tine")


def person(insz: str) -> Person:
    return Person.objects.get(insz=insz_compact(insz))


def offset() -> timedelta:
    return DemoWorld.objects.get(pk=1).clock_offset


def give_lotte_a_role(client):
    """Nina gives Lotte "BelRAI VL - admin" (chapter 4 step 11), on the roles editor."""
    lotte = SubafdelingUser.objects.get(person=person("01.12.03-046.95"))
    client.force_login(person("93.07.17-078.56"))
    url = reverse("roles:edit", kwargs={"subafdeling_id": lotte.subafdeling_id, "user_id": lotte.pk})
    role = Role.objects.get(name="BelRAI VL - admin")
    start = timezone.localdate(DemoWorld.objects.get(pk=1).now())
    response = client.post(url, {"role": role.pk, "start_date": f"{start:%d-%m-%Y}", "end_date": ""})
    assert response.status_code == 302
    return RoleAssignment.objects.get(user=lotte, role=role)


def test_the_home_page_shows_the_demo_clock_and_people(client, demo, trainer):
    client.force_login(trainer)
    page = client.get(HOME).text
    for text in ("Klok van de demowereld", "+20 minuten", "Naar de volgende wijziging", "Naar een datum"):
        assert text in page
    assert "Marc Vermeulen" in page and "Emma Dubois" in page and "gelijk met de echte tijd" in page


def test_chapter_4_live_a_role_takes_effect_on_the_demo_clock(client, demo, trainer):
    assignment = give_lotte_a_role(client)
    assert assignment.effective_start_date is None  # saved, in effect after 20 minutes
    client.force_login(trainer)
    response = client.post(CLOCK, {"vooruit": "20-minuten"})
    assert response.status_code == 302 and response["Location"].endswith("#demo-klok")
    assert timedelta(minutes=20) <= offset() < timedelta(minutes=21)
    assignment.refresh_from_db()
    assert assignment.effective_start_date is not None  # it took effect by the demo clock
    page = client.get(HOME).text
    assert "De klok van de demowereld staat nu op" in page and "20 min voor op de echte tijd" in page


def test_the_next_change_and_a_date_move_the_demo_clock_forward_only(client, demo, trainer):
    assignment = give_lotte_a_role(client)
    client.force_login(trainer)
    client.post(CLOCK, {"vooruit": "volgende-wijziging"})
    assignment.refresh_from_db()
    assert assignment.effective_start_date is not None
    assert timedelta(minutes=19) < offset() < timedelta(minutes=21)
    target = timezone.localdate() + timedelta(days=2)
    client.post(CLOCK, {"vooruit": "datum", "to": f"{target:%d-%m-%Y}"})
    assert timezone.localdate(timezone.now() + offset()) == target
    page = client.get(client.post(CLOCK, {"vooruit": "datum", "to": "01-01-2020"})["Location"]).text
    assert "De klok gaat enkel vooruit." in page
    page = client.get(client.post(CLOCK, {"vooruit": "volgende-wijziging"})["Location"]).text
    assert "Er wacht geen enkele wijziging" in page
    assert timezone.localdate(timezone.now() + offset()) == target


def test_the_demo_peoples_requests_run_on_the_demo_clock_and_nobody_elses(client, demo, trainer, world):
    training.world_clock_advance(actor=trainer, world=training.demo_world(), by=timedelta(days=3))
    assignment = give_lotte_a_role(client)  # Nina's request ran on the demo clock
    assert assignment.pending_until > timezone.now() + timedelta(days=3)
    event = AuditEvent.objects.filter(action__startswith="role.").latest("id")
    assert event.occurred_at > timezone.now() + timedelta(days=2, hours=23)
    client.force_login(world.main.user_person)  # someone outside the demo world: real time
    client.get("/toepassingen/evipa/aan-de-slag/")
    real = AuditEvent.objects.filter(actor=world.main.user_person, action__startswith="application.").get()
    assert abs(real.occurred_at - timezone.now()) < timedelta(minutes=1)
    sandbox = built(trainer, size=1).sandboxes.get()
    assert sandbox.clock_offset == timedelta(0)  # the sandboxes keep their own clocks


def test_a_change_due_on_the_demo_clock_takes_effect_at_a_demo_persons_next_request(client, demo, trainer):
    assignment = give_lotte_a_role(client)
    DemoWorld.objects.filter(pk=1).update(clock_offset=timedelta(minutes=30))  # no sweep ran
    client.force_login(person("01.12.03-046.95"))
    client.get("/")
    assignment.refresh_from_db()
    assert assignment.effective_start_date is not None


def test_only_trainers_move_the_demo_clock_and_only_in_demo_mode(client, demo, trainer, settings):
    client.force_login(person("79.02.28-135.19"))
    assert client.post(CLOCK, {"vooruit": "20-minuten"}).status_code == 404
    assert offset() == timedelta(0)
    settings.DEMO_MODE = False
    client.force_login(trainer)
    assert client.post(CLOCK, {"vooruit": "20-minuten"}).status_code == 404
    assert "Klok van de demowereld" not in client.get(HOME).text


def test_a_trainer_unblocks_a_demo_persons_card_from_the_home_page(client, demo, trainer):
    marc = person("75.03.12-033.39")
    for _attempt in range(3):
        with pytest.raises(ServiceError):
            identity.eid_sign_in(insz=marc.insz, pin="9999")
    client.force_login(trainer)
    page = client.get(HOME).text
    row = re.search(r"<tr>\s*<td>Marc Vermeulen</td>(.*?)</tr>", page, re.S).group(1)
    assert "geblokkeerd sinds" in row and "Kaart deblokkeren" in row
    url = reverse("training:demo-card-unblock", kwargs={"person_id": marc.pk})
    response = client.post(url)
    assert response.status_code == 302 and response["Location"].endswith("#demo-personen")
    marc.refresh_from_db()
    assert not marc.card_blocked
    assert "De eID-kaart van Marc Vermeulen is gedeblokkeerd." in client.get(response["Location"]).text
    assert identity.eid_sign_in(insz=marc.insz, pin="1234") == marc
    # Nobody outside the demo world, and nobody but a trainer.
    outsider = PersonFactory()
    outsider.card_blocked_at = timezone.now()
    outsider.save()
    assert (
        client.post(reverse("training:demo-card-unblock", kwargs={"person_id": outsider.pk})).status_code
        == 404
    )
    outsider.refresh_from_db()
    assert outsider.card_blocked
    client.force_login(person("79.02.28-135.19"))
    assert client.post(url).status_code == 404


# --- "De demowereld herladen" ---------------------------------------------------------------------


def test_the_page_says_who_will_be_signed_out(client, demo, trainer):
    marc = person("75.03.12-033.39")
    other_browser = client.__class__()
    other_browser.force_login(marc)
    client.force_login(trainer)
    page = client.get(RELOAD).text
    assert "Wie wordt afgemeld" in page
    assert re.search(r"Marc Vermeulen — <strong>nu aangemeld</strong>", page)
    assert "Els Janssens — niet aangemeld" in page
    assert page.count("<li>") >= 9


def test_the_reload_runs_as_a_background_task_and_shows_its_progress(
    client, demo, trainer, django_capture_on_commit_callbacks
):
    training.world_clock_advance(actor=trainer, world=training.demo_world(), by=timedelta(hours=2))
    client.force_login(trainer)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(RELOAD)
    assert response.status_code == 302 and response["Location"] == RELOAD
    world = DemoWorld.objects.get(pk=1)
    assert world.reload_state == ReloadState.QUEUED and world.reload_requested_by == trainer
    queued = client.get(RELOAD).text
    assert 'data-hx-trigger="every 1s"' in queued and "In de wachtrij" in queued
    assert client.post(RELOAD).status_code == 302  # asked again while queued: refused
    assert "De demowereld wordt al herladen" in client.get(RELOAD).text

    DemoWorld.objects.filter(pk=1).update(
        reload_state=ReloadState.RUNNING,
        reload_step=3,
        reload_step_label=LOAD_STEPS[1],
    )
    partial = client.get(RELOAD, HTTP_HX_REQUEST="true").text
    assert partial.lstrip().startswith('<div id="herladen"') and "<html" not in partial
    assert "Stap 3 van 6: Broeders van Liefde" in partial and 'value="3"' in partial
    DemoWorld.objects.filter(pk=1).update(reload_state=ReloadState.QUEUED, reload_step=0)

    for callback in callbacks:  # the transaction commits: the task runs (eagerly in tests)
        callback()
    world.refresh_from_db()
    assert world.reload_state == ReloadState.IDLE and world.reload_step == world.reload_steps == 6
    assert world.clock_offset == timedelta(0)  # real time again
    done = client.get(RELOAD, HTTP_HX_REQUEST="true").text
    assert "data-hx-trigger" not in done and "De demowereld is herladen" in done and "PIN-code 1234" in done
    assert AuditEvent.objects.filter(action="training.demo_reset", actor=trainer).exists()


def test_the_reload_runs_inline_when_the_broker_is_unreachable(
    client, demo, trainer, monkeypatch, django_capture_on_commit_callbacks
):
    def broker_down(*args, **kwargs):
        raise ConnectionError("broker unreachable")

    monkeypatch.setattr(tasks.reload_demo_world, "delay", broker_down)
    client.force_login(trainer)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(RELOAD)
    assert DemoWorld.objects.get(pk=1).reload_state == ReloadState.IDLE
    assert Person.objects.filter(insz=insz_compact("75.03.12-033.39")).count() == 1


def test_a_failed_reload_says_so_and_the_next_one_repairs(client, demo, trainer, monkeypatch):
    training.demo_reload_request(actor=trainer)

    def broken(progress=None):
        progress("Personen, ondernemingen en voorzieningen")
        raise RuntimeError("schijf vol")

    monkeypatch.setattr("worlds.demo.demo_world_load", broken)
    assert training.demo_reload_run() is False
    world = DemoWorld.objects.get(pk=1)
    assert world.reload_state == ReloadState.FAILED and "schijf vol" in world.reload_error
    client.force_login(trainer)
    assert "Het herladen is mislukt" in client.get(RELOAD).text
    monkeypatch.undo()
    training.demo_reload_request(actor=trainer)
    assert training.demo_reload_run() is True
    assert DemoWorld.objects.get(pk=1).reload_state == ReloadState.IDLE
    assert training.demo_reload_run() is False  # nothing queued: a second delivery does nothing


def test_the_reload_reports_each_step(demo, trainer):
    steps = []
    training.demo_world_reset(actor=trainer, progress=steps.append)
    assert len(steps) == training.DEMO_RELOAD_STEPS and steps[0] == "De demowereld verwijderen"


def test_a_demo_person_sees_the_demo_clock_while_it_runs_ahead(client, demo, trainer):
    nina = person("93.07.17-078.56")
    client.force_login(nina)
    assert "Klok van de demowereld" not in client.get("/toegangsbeheer/").text  # at real time: no banner
    training.world_clock_advance(actor=trainer, world=training.demo_world(), by=timedelta(minutes=20))
    page = client.get("/toegangsbeheer/", follow=True).text.replace("\xa0", " ")
    assert "Klok van de demowereld" in page and "20 minuten voor op de echte tijd" in page
