"""The trainers' pages (/opleiding/): createtrainer, classrooms, their build and live dashboard, the
trainees' cards, a sandbox's reset and clock, the demo world's reset."""

import re
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accessportal.identifiers import insz_clean, insz_format, kbo_clean, kbo_format
from administrators import services as administrators
from administrators.models import HtbAppointment
from enterprises.models import Enterprise
from identity.models import Person
from tests.conftest import trainer_create
from tests.factories import PersonFactory
from tests.training.sandboxes import built, praktijk_with_pending_role
from training import services as training
from training import trainer_views
from training.middleware import SESSION_KEY
from training.models import Classroom, Sandbox
from worlds.demo import DE_LINDE

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def trainer(catalogue):
    return trainer_create("Tine")


@pytest.fixture
def trainer_client(client, trainer):
    client.force_login(trainer)
    return client


def classroom_url(classroom, name="training:classroom") -> str:
    return reverse(name, kwargs={"classroom_id": classroom.pk})


def sandbox_url(sandbox, name) -> str:
    return reverse(name, kwargs={"classroom_id": sandbox.classroom_id, "sandbox_id": sandbox.pk})


def row_of(html: str, number: int) -> str:
    match = re.search(rf'<tr id="cursist-{number}"[^>]*>(.*?)</tr>', html, re.S)
    assert match, f"no row for cursist {number}"
    return match.group(1)


def marks(row: str) -> list[str]:
    return re.findall(r'class="step (done|todo|optional)"', row)


START = ["todo", "todo", "optional", "todo", "todo", "optional", "todo"]  # tb and role are optional


# --- createtrainer --------------------------------------------------------------------------------


def test_createtrainer_makes_a_trainer_who_signs_in_with_a_username(client, catalogue):
    call_command(
        "createtrainer",
        username="tine",
        first_name="Tine",
        last_name="Opleider",
        email="tine@opleiding.test",
        password="trainer-wachtwoord-1",
    )
    trainer = Person.objects.get(username="tine")
    assert trainer.full_name == "Tine Opleider" and trainer.email == "tine@opleiding.test"
    assert insz_clean(trainer.insz) == trainer.insz
    assert trainer.groups.filter(name=training.TRAINER_GROUP).exists()
    assert training.is_trainer(trainer)

    response = client.post(
        reverse("identity:sign-in-password"), {"username": "tine", "password": "trainer-wachtwoord-1"}
    )
    assert response.status_code == 302
    assert client.get(reverse("training:home")).status_code == 200


def test_createtrainer_asks_the_password_and_refuses_duplicates_and_weak_ones(catalogue, monkeypatch):
    answers = iter(["trainer-wachtwoord-2", "trainer-wachtwoord-2"])
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(answers))
    call_command("createtrainer", username="bart", first_name="Bart", last_name="Opleider")
    bart = Person.objects.get(username="bart")
    assert bart.check_password("trainer-wachtwoord-2")
    with pytest.raises(CommandError, match="al in gebruik"):
        call_command(
            "createtrainer", username="BART", first_name="B", last_name="O", password="nog-een-wachtwoord-9"
        )
    with pytest.raises(CommandError):
        call_command("createtrainer", username="kort", first_name="K", last_name="O", password="1")
    assert not Person.objects.filter(username="kort").exists()
    assert Person.objects.filter(username__iexact="bart").count() == 1


def test_a_person_added_to_the_group_in_the_admin_is_a_trainer(client, world):
    person = world.nobody
    client.force_login(person)
    assert client.get(reverse("training:home")).status_code == 404
    person.groups.add(Group.objects.get_or_create(name=training.TRAINER_GROUP)[0])
    assert client.get(reverse("training:home")).status_code == 200


# --- Home and "Een klas aanmaken" -------------------------------------------------------------


def test_only_trainers_see_the_home_page(client, world):
    assert client.get(reverse("training:home"))["Location"].startswith("/aanmelden/")
    for person in (world.nobody, world.main.htb, world.training[3]):
        client.force_login(person)
        assert client.get(reverse("training:home")).status_code == 404
    client.force_login(world.training[0])
    response = client.get(reverse("training:home"))
    assert response.status_code == 200
    assert "Een klas aanmaken" in response.text and "Klas Opleider" in response.text
    assert "Klas Buitenstaander" not in response.text  # another trainer's classroom


def test_creating_a_classroom_builds_its_sandboxes_and_shows_the_classroom(
    trainer_client, trainer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = trainer_client.post(
            reverse("training:home"), {"name": "Woensdagklas", "size": "3", "scenario": "htb"}
        )
    classroom = Classroom.objects.get(trainer=trainer)
    assert response.status_code == 302 and response["Location"] == classroom_url(classroom)
    assert (classroom.name, classroom.size, classroom.scenario) == ("Woensdagklas", 3, "htb")
    assert classroom.sandboxes.count() == 3
    page = trainer_client.get(response["Location"])
    assert "De klas Woensdagklas is aangemaakt" in page.text
    assert page.text.count('<tr id="cursist-') == 3
    home = trainer_client.get(reverse("training:home"))
    assert "Woensdagklas" in home.text and "klaar" in home.text


def test_the_build_falls_back_to_inline_when_the_broker_is_down(trainer, monkeypatch):
    from training import tasks

    def broker_down(*args, **kwargs):
        raise ConnectionError("broker unreachable")

    monkeypatch.setattr(tasks.build_classroom, "delay", broker_down)
    classroom = training.classroom_create(trainer=trainer, name="Klas", size=2, scenario="htb")
    tasks.build_classroom_enqueue(classroom.pk)
    assert classroom.sandboxes.count() == 2


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"name": "Klas", "size": "0", "scenario": "htb"}, "size", "Een klas telt 1 tot 40 cursisten."),
        ({"name": "Klas", "size": "41", "scenario": "htb"}, "size", "Een klas telt 1 tot 40 cursisten."),
        ({"name": "Klas", "size": "veel", "scenario": "htb"}, "size", "Een klas telt 1 tot 40 cursisten."),
        ({"name": "  ", "size": "3", "scenario": "htb"}, "name", "Geef de klas een naam."),
        (
            {"name": "Klas", "size": "3", "scenario": "onbekend"},
            "scenario",
            "Kies een scenario uit de lijst.",
        ),
    ],
)
def test_bad_input_is_refused_next_to_the_field(trainer_client, data, field, message):
    response = trainer_client.post(reverse("training:home"), data)
    assert response.status_code == 200
    assert not Classroom.objects.exists()
    assert f'<ul class="errorlist" id="id_{field}_error"><li>{message}</li></ul>' in response.text
    assert "Er is een probleem" in response.text
    assert response.context["form"].data["scenario"] == data["scenario"]  # input kept


# --- The build in progress ----------------------------------------------------------------------


def test_the_progress_partial_counts_the_sandboxes_built(trainer_client, trainer):
    classroom = training.classroom_create(trainer=trainer, name="Klas", size=3, scenario="htb")
    page = trainer_client.get(classroom_url(classroom))
    assert "0 van 3 zandbakken klaar" in page.text and '<progress id="opbouw" max="3" value="0"' in page.text
    assert 'data-hx-trigger="every 1s"' in page.text and "<html" in page.text

    training.sandbox_build(classroom=classroom, number=1)
    partial = trainer_client.get(classroom_url(classroom), **HTMX)
    assert partial.status_code == 200
    assert "1 van 3 zandbakken klaar" in partial.text and 'value="1"' in partial.text
    assert "<html" not in partial.text and partial.text.lstrip().startswith('<div id="live"')

    training.classroom_build(classroom_id=classroom.pk)
    done = trainer_client.get(classroom_url(classroom), **HTMX)
    assert 'data-hx-trigger="every 3s"' in done.text and done.text.count('<tr id="cursist-') == 3


def test_a_stalled_build_is_queued_again_once(trainer_client, trainer, monkeypatch):
    queued = []
    monkeypatch.setattr(trainer_views, "build_classroom_enqueue", queued.append)
    classroom = training.classroom_create(trainer=trainer, name="Klas", size=3, scenario="htb")
    trainer_client.get(classroom_url(classroom), **HTMX)
    assert queued == []  # just created: the worker has 15 seconds

    training.sandbox_build(classroom=classroom, number=1)
    Classroom.objects.filter(pk=classroom.pk).update(created_at=timezone.now() - timedelta(minutes=1))
    trainer_client.get(classroom_url(classroom), **HTMX)
    assert queued == []  # the first sandbox came just now

    from accessportal.models import AuditEvent

    AuditEvent.objects.filter(action="training.sandbox_build").update(
        occurred_at=timezone.now() - timedelta(seconds=20)
    )
    response = trainer_client.get(classroom_url(classroom), **HTMX)
    assert queued == [classroom.pk]
    assert "De opbouw stond stil" in response.text
    trainer_client.get(classroom_url(classroom), **HTMX)
    assert queued == [classroom.pk]  # not again at every poll


def test_a_stalled_build_finishes_when_queued_again(trainer_client, trainer):
    classroom = training.classroom_create(trainer=trainer, name="Klas", size=2, scenario="htb")
    Classroom.objects.filter(pk=classroom.pk).update(created_at=timezone.now() - timedelta(seconds=16))
    trainer_client.get(classroom_url(classroom), **HTMX)  # the task runs eagerly in tests
    classroom.refresh_from_db()
    assert classroom.built_at is not None and classroom.sandboxes.count() == 2


# --- Three sandboxes: numbers, isolation, sign-in ------------------------------------------------


def test_three_sandboxes_have_valid_unique_numbers_and_are_isolated(client, trainer):
    classroom = built(trainer, size=3)
    sandboxes = list(classroom.sandboxes.select_related("enterprise").order_by("number"))
    kbos = [s.enterprise.kbo for s in sandboxes]
    assert len(set(kbos)) == 3 and all(kbo_clean(kbo) == kbo for kbo in kbos)
    people = Person.objects.filter(sandbox_part__sandbox__classroom=classroom)
    inszs = [p.insz for p in people]
    assert len(inszs) == 3 * (1 + training.EMPLOYEES) and len(set(inszs)) == len(inszs)
    assert all(insz_clean(insz) == insz for insz in inszs)

    first, second = sandboxes[0], sandboxes[1]
    trainee = training.legal_representative_of(first)
    response = client.post(
        reverse("identity:sign-in-eid"), {"insz": insz_format(trainee.insz), "pin": first.pin}
    )
    assert response.status_code == 302
    assert client.session[SESSION_KEY] == first.pk
    administrators.htb_appoint(
        actor=trainee, enterprise=first.enterprise, person=trainee, email=trainee.email, phone="02"
    )
    other = training.legal_representative_of(second)
    administrators.htb_appoint(
        actor=other, enterprise=second.enterprise, person=other, email=other.email, phone="02"
    )

    def stappenplan(sandbox):
        return client.get(reverse("roles:stappenplan", kwargs={"kbo": sandbox.enterprise.kbo}))

    assert stappenplan(first).status_code == 200
    assert stappenplan(second).status_code == 404
    own = reverse("administrators:enterprise", kwargs={"kbo": first.enterprise.kbo})
    assert client.get(own).status_code == 200
    other_page = reverse("administrators:enterprise", kwargs={"kbo": second.enterprise.kbo})
    assert client.get(other_page).status_code == 404
    assert client.get(classroom_url(classroom)).status_code == 404  # a trainee is no trainer


def test_a_wrong_pin_is_refused(client, trainer):
    sandbox = built(trainer, size=1).sandboxes.get()
    trainee = training.legal_representative_of(sandbox)
    wrong = "0000" if sandbox.pin != "0000" else "1111"
    response = client.post(reverse("identity:sign-in-eid"), {"insz": trainee.insz, "pin": wrong})
    assert (
        response.status_code == 200
        and "Het rijksregisternummer of de PIN-code is niet correct" in response.text
    )


# --- The dashboard --------------------------------------------------------------------------------


def test_the_dashboard_marks_a_step_done_when_the_trainee_did_it(trainer_client, trainer):
    classroom = built(trainer, size=2)
    sandbox = classroom.sandboxes.get(number=1)
    page = trainer_client.get(classroom_url(classroom))
    for header in (
        "HTB aangesteld",
        "Hoedanigheid actief",
        "TB aangesteld",
        "Subafdeling actief",
        "Gebruiker met recht",
        "Rol van kracht",
        "Aangemeld op de toepassing",
    ):
        assert header in page.text
    row = row_of(page.text, 1)
    assert marks(row) == START and "nog niet gedaan" in row and "optioneel, niet gedaan" in row
    assert "stap 1 van 4: Aanmelden bij CSAM" in row
    representative = training.legal_representative_of(sandbox)
    assert representative.full_name in row
    assert sandbox.enterprise.name in row and kbo_format(sandbox.enterprise.kbo) in row

    administrators.htb_appoint(
        actor=representative,
        enterprise=sandbox.enterprise,
        person=representative,
        email=representative.email,
        phone="02 123 45 67",
    )
    training.sandbox_error_note(sandbox_id=sandbox.pk, message="Dit ondernemingsnummer is niet gekend.")
    partial = trainer_client.get(classroom_url(classroom), **HTMX)
    row = row_of(partial.text, 1)
    assert marks(row) == ["done", *START[1:]]
    assert '<span class="visually-hidden">gedaan</span>' in row
    assert "voltooid" in row  # the HTB scenario's goal: the HTB is appointed
    assert "Dit ondernemingsnummer is niet gekend." in row
    assert marks(row_of(partial.text, 2)) == START  # the other trainee did nothing yet
    assert "1/2" in partial.text  # the column's total
    assert partial.text.count("<form") == 2 * 2  # the first dashboard brings each row's actions

    poll = trainer_client.get(classroom_url(classroom) + "?acties=behouden", **HTMX)
    assert marks(row_of(poll.text, 1)) == ["done", *START[1:]]
    assert f'<div id="acties-{sandbox.pk}" class="row-actions" data-hx-preserve="true"></div>' in poll.text
    assert "<form" not in poll.text  # the page keeps its own (hx-preserve)


def test_the_chapter_4_dashboard_starts_with_htb_hoedanigheid_and_the_htb_as_tb(trainer_client, trainer):
    classroom = built(trainer, size=1, scenario="praktijk")
    row = row_of(trainer_client.get(classroom_url(classroom)).text, 1)
    # The HTB is lokale beheerder while none is appointed (manual 3.4), as on the stappenplan.
    assert marks(row) == ["done", "done", "done", "todo", "todo", "optional", "todo"]


def test_the_dashboard_reads_all_rows_in_the_same_number_of_queries(trainer_client, trainer):
    one = built(trainer, size=1, name="Klein")
    five = built(trainer, size=5, name="Groot")

    def count(classroom, **headers):
        with CaptureQueriesContext(connection) as queries:
            response = trainer_client.get(classroom_url(classroom), **headers)
        assert response.status_code == 200
        return len(queries)

    assert count(one) == count(five) <= 10
    assert count(one, **HTMX) == count(five, **HTMX) <= 10
    with CaptureQueriesContext(connection) as queries:
        trainer_client.get(classroom_url(one, "training:cards"))
    few = len(queries)
    with CaptureQueriesContext(connection) as queries:
        trainer_client.get(classroom_url(five, "training:cards"))
    assert len(queries) == few <= 10


# --- A sandbox's clock and reset ------------------------------------------------------------------


def test_the_clock_moves_forward_from_the_dashboard(trainer_client, trainer):
    classroom = built(trainer, size=2)
    sandbox, other = classroom.sandboxes.order_by("number")
    url = sandbox_url(sandbox, "training:sandbox-clock")

    response = trainer_client.post(url, {"vooruit": "20-minuten"})
    assert response.status_code == 302 and response["Location"].endswith("#cursist-1")
    sandbox.refresh_from_db()
    assert timedelta(minutes=20) <= sandbox.clock_offset < timedelta(minutes=21)
    other.refresh_from_db()
    assert other.clock_offset == timedelta(0)
    page = trainer_client.get(response["Location"])
    assert "De klok van cursist 1 staat nu op" in page.text
    assert "klok: +20 min" in row_of(page.text, 1) and "echte tijd" in row_of(page.text, 2)

    target = timezone.localdate(sandbox.now()) + timedelta(days=3)  # the sandbox's own date: near
    response = trainer_client.post(url, {"vooruit": "datum", "to": target.isoformat()})  # midnight
    assert response.status_code == 302  # it is a day ahead of the real one
    sandbox.refresh_from_db()
    assert timezone.localdate(sandbox.now()) == target
    assert "klok: +3 dagen" in row_of(trainer_client.get(classroom_url(classroom)).text, 1)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"vooruit": "volgende-wijziging"}, "Er wacht geen enkele wijziging in deze zandbak."),
        ({"vooruit": "datum", "to": "2020-01-01"}, "De klok gaat enkel vooruit."),
        ({"vooruit": "datum", "to": ""}, "Kies de datum waarop de klok moet staan."),
        ({"vooruit": "datum", "to": "31-02-2030"}, "Geen geldige datum: gebruik het formaat dd-mm-jjjj."),
        ({}, "Kies hoe ver de klok vooruit moet."),
    ],
)
def test_a_refused_clock_move_shows_the_message_in_its_row(trainer_client, trainer, data, message):
    sandbox = built(trainer, size=1).sandboxes.get()
    response = trainer_client.post(sandbox_url(sandbox, "training:sandbox-clock"), data)
    assert response.status_code == 200
    assert "Er is een probleem" in response.text
    assert f'<ul class="errorlist" id="klok-fout-{sandbox.pk}"><li>{message}</li></ul>' in response.text
    sandbox.refresh_from_db()
    assert sandbox.clock_offset == timedelta(0)


def test_the_clock_goes_to_the_next_pending_change(trainer_client, trainer):
    sandbox, assignment = praktijk_with_pending_role(trainer)
    assert assignment.effective_start_date is None
    response = trainer_client.post(
        sandbox_url(sandbox, "training:sandbox-clock"), {"vooruit": "volgende-wijziging"}
    )
    assert response.status_code == 302
    assignment.refresh_from_db()
    assert assignment.effective_start_date is not None
    sandbox.refresh_from_db()
    assert timedelta(minutes=19) < sandbox.clock_offset < timedelta(minutes=21)
    row = row_of(trainer_client.get(classroom_url(sandbox.classroom)).text, 1)
    assert marks(row) == ["done", "done", "done", "done", "done", "done", "todo"]  # the role too


def test_reset_undoes_the_trainees_work_after_a_confirmation(trainer_client, trainer):
    classroom = built(trainer, size=1)
    sandbox = classroom.sandboxes.get()
    representative = training.legal_representative_of(sandbox)
    administrators.htb_appoint(
        actor=representative, enterprise=sandbox.enterprise, person=representative, email="a@b.be", phone="02"
    )
    url = sandbox_url(sandbox, "training:sandbox-reset")
    confirm = trainer_client.get(url)
    assert confirm.status_code == 200
    assert "Scenario opnieuw beginnen" in confirm.text and sandbox.enterprise.name in confirm.text
    assert HtbAppointment.objects.filter(enterprise=sandbox.enterprise).exists()  # a GET changes nothing

    response = trainer_client.post(url)
    assert response.status_code == 302 and response["Location"].endswith("#cursist-1")
    assert not HtbAppointment.objects.filter(enterprise=sandbox.enterprise).exists()
    page = trainer_client.get(response["Location"])
    assert "De zandbak van cursist 1 staat terug aan het begin van het scenario" in page.text
    assert marks(row_of(page.text, 1)) == START


# --- The cards ---------------------------------------------------------------------------------------


def test_the_cards_show_every_trainees_numbers(trainer_client, trainer):
    classroom = built(trainer, size=2)
    response = trainer_client.get(classroom_url(classroom, "training:cards"))
    assert response.status_code == 200
    text = response.text
    assert text.count('<article class="trainee-card"') == 2
    assert "Simulatie — fictieve gegevens" in text
    assert "/aanmelden/" in text and "/beheer-toegangsbeheerders/" in text
    for sandbox in classroom.sandboxes.select_related("enterprise"):
        assert sandbox.enterprise.name in text and kbo_format(sandbox.enterprise.kbo) in text
        assert f'<dd class="number pin">{sandbox.pin}</dd>' in text
        for part in sandbox.people.select_related("person"):
            assert part.person.full_name in text and insz_format(part.person.insz) in text
            assert part.person.itsme_phone_display in text and part.person.itsme_code_shown in text
    assert 'src="/static/js/training-print.js"' in text and "data-print hidden" in text


def test_one_card_and_the_chapter_4_start(trainer_client, trainer):
    classroom = built(trainer, size=2, scenario="praktijk")
    first, second = classroom.sandboxes.select_related("enterprise").order_by("number")
    response = trainer_client.get(sandbox_url(second, "training:card"))
    assert response.status_code == 200
    assert response.text.count('<article class="trainee-card"') == 1
    assert second.enterprise.name in response.text and first.enterprise.name not in response.text
    assert "/toegangsbeheer/" in response.text and "/beheer-toegangsbeheerders/" not in response.text


# --- The demo world ---------------------------------------------------------------------------------


def test_the_demo_world_is_reloaded_after_a_confirmation(trainer_client, django_capture_on_commit_callbacks):
    call_command("seed_demo")
    de_linde = Enterprise.objects.get(kbo=kbo_clean(DE_LINDE))
    marc = de_linde.legal_mandates.get().person
    administrators.htb_appoint(actor=marc, enterprise=de_linde, person=marc, email=marc.email, phone="02")
    url = reverse("training:demo-reset")
    assert "De demowereld herladen" in trainer_client.get(url).text
    assert HtbAppointment.objects.filter(enterprise__kbo=kbo_clean(DE_LINDE)).exists()

    with django_capture_on_commit_callbacks(execute=True):  # the Celery task runs eagerly in tests
        response = trainer_client.post(url)
    assert response.status_code == 302 and response["Location"] == url  # the reload's progress
    assert not HtbAppointment.objects.filter(enterprise__kbo=kbo_clean(DE_LINDE)).exists()  # 3.2.2 again
    assert Enterprise.objects.filter(kbo=kbo_clean(DE_LINDE)).exists()
    assert "De demowereld is herladen" in trainer_client.get(response["Location"]).text


def test_the_demo_reset_exists_in_demo_mode_only(trainer_client, settings):
    settings.DEMO_MODE = False
    assert trainer_client.get(reverse("training:demo-reset")).status_code == 404
    assert "De demowereld herladen" not in trainer_client.get(reverse("training:home")).text


# --- 404s -----------------------------------------------------------------------------------------------


def test_another_trainers_classroom_and_sandboxes_are_404(client, world):
    trainer, classroom, sandbox, _trainee = world.training
    _other_trainer, other_classroom, other_sandbox, _other_trainee = world.outsider_training
    client.force_login(trainer)
    assert client.get(classroom_url(other_classroom)).status_code == 404
    assert client.get(classroom_url(other_classroom, "training:cards")).status_code == 404
    for name in ("training:card", "training:sandbox-reset"):
        assert client.get(sandbox_url(other_sandbox, name)).status_code == 404
        # another classroom's sandbox under one's own classroom
        mixed = reverse(name, kwargs={"classroom_id": classroom.pk, "sandbox_id": other_sandbox.pk})
        assert client.get(mixed).status_code == 404
    assert client.post(sandbox_url(other_sandbox, "training:sandbox-reset")).status_code == 404
    assert (
        client.post(
            sandbox_url(other_sandbox, "training:sandbox-clock"), {"vooruit": "20-minuten"}
        ).status_code
        == 404
    )
    other_sandbox.refresh_from_db()
    assert other_sandbox.clock_offset == timedelta(0)
    assert client.get(sandbox_url(sandbox, "training:card")).status_code == 200


def test_a_superuser_sees_every_classroom(client, world):
    _trainer, classroom, _sandbox, _trainee = world.training
    admin = PersonFactory(is_superuser=True, is_staff=True)
    client.force_login(admin)
    assert client.get(classroom_url(classroom)).status_code == 200


def test_clock_ahead_text():
    text = trainer_views.clock_ahead_text
    assert text(timedelta(minutes=20)) == "+20 min"
    assert text(timedelta(hours=2, minutes=20)) == "+2 u 20 min"
    assert text(timedelta(days=1, hours=1)) == "+1 dag 1 u"
    assert text(timedelta(days=3, seconds=30)) == "+3 dagen"
    assert text(timedelta(seconds=59)) == "+0 min"


def test_sandboxes_of_a_classroom_are_counted_in_the_home_list(trainer_client, trainer):
    classroom = training.classroom_create(trainer=trainer, name="Halfklaar", size=3, scenario="htb")
    training.sandbox_build(classroom=classroom, number=1)
    assert "in opbouw (1 van 3)" in trainer_client.get(reverse("training:home")).text
    assert Sandbox.objects.filter(classroom=classroom).count() == 1


def test_the_home_page_pages_its_classrooms_in_the_same_number_of_queries(trainer_client, trainer):
    def count(**headers):
        with CaptureQueriesContext(connection) as queries:
            response = trainer_client.get(reverse("training:home"), **headers)
        assert response.status_code == 200
        return len(queries), response

    training.classroom_create(trainer=trainer, name="Klas 0", size=1, scenario="htb")
    training.demo_world()  # the demo world's row, as the migration leaves it (a flush may not have)
    few, _response = count()
    for number in range(1, 22):
        training.classroom_create(trainer=trainer, name=f"Klas {number}", size=2, scenario="htb")
    more, response = count()
    assert few == more <= 10
    assert response.text.count("in opbouw (0 van 2)") == trainer_views.PAGE_SIZE
    page_2 = trainer_client.get(reverse("training:home") + "?pagina=2", **HTMX)
    assert page_2.text.lstrip().startswith('<div id="klassen">') and "<html" not in page_2.text
    assert "Klas 1<" in page_2.text and "Klas 0<" in page_2.text  # the oldest two
