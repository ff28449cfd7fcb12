"""A classroom day: the trainer unblocks a trainee's eID card from the dashboard; a trainee's error
(a clock pushed to the year 9999, a sandbox that lost its legal representative) is never the class's
error and "Opnieuw beginnen" repairs it; "Een klas aanmaken" sent twice makes one classroom; the
dashboard's live refresh can pause, keeps focus and announces changes politely."""

import re
from datetime import date, timedelta

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from accessportal.identifiers import insz_format
from accessportal.models import AuditEvent
from accessportal.services import ServiceError
from administrators import services as administrators
from administrators.models import HtbAppointment
from enterprises.models import Facility, LegalMandate
from identity import services as identity
from tests.conftest import trainer_create
from tests.factories import PersonFactory
from tests.training.sandboxes import built
from training import services as training
from training.models import MAX_AHEAD, Classroom, Part, Sandbox

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def trainer(catalogue):
    return trainer_create("Tine")


def classroom_url(classroom) -> str:
    return reverse("training:classroom", kwargs={"classroom_id": classroom.pk})


def row_of(html: str, number: int) -> str:
    match = re.search(rf'<tr id="cursist-{number}"[^>]*>(.*?)</tr>', html, re.S)
    assert match, f"no row for cursist {number}"
    return match.group(1)


def block_card(sandbox, person) -> None:
    wrong = "0000" if sandbox.pin != "0000" else "1111"
    for _attempt in range(3):
        with pytest.raises(ServiceError):
            identity.eid_sign_in(insz=person.insz, pin=wrong)
    person.refresh_from_db()
    assert person.card_blocked


def unblock_url(sandbox, person) -> str:
    return reverse(
        "training:sandbox-card-unblock",
        kwargs={"classroom_id": sandbox.classroom_id, "sandbox_id": sandbox.pk, "person_id": person.pk},
    )


# --- "Kaart deblokkeren" ------------------------------------------------------------------------


def test_a_blocked_card_shows_on_the_row_and_the_trainer_unblocks_it(client, trainer):
    classroom = built(trainer, size=2)
    sandbox = classroom.sandboxes.get(number=2)
    trainee = training.legal_representative_of(sandbox)
    block_card(sandbox, trainee)
    client.force_login(trainer)
    row = row_of(client.get(classroom_url(classroom)).text, 2)
    assert f"eID-kaart van {trainee.full_name} geblokkeerd sinds" in row
    assert "Kaart deblokkeren" in row and unblock_url(sandbox, trainee) in row
    assert "Kaart deblokkeren" not in row_of(client.get(classroom_url(classroom)).text, 1)

    response = client.post(unblock_url(sandbox, trainee))
    assert response.status_code == 302 and response["Location"].endswith("#cursist-2")
    trainee.refresh_from_db()
    assert not trainee.card_blocked and trainee.failed_pin_attempts == 0
    assert AuditEvent.objects.filter(
        action="person.card_unblock", actor=trainer, target_id=str(trainee.pk)
    ).exists()
    page = client.get(response["Location"]).text
    assert f"De eID-kaart van {trainee.full_name} (cursist 2) is gedeblokkeerd." in page
    assert "Kaart deblokkeren" not in row_of(page, 2)
    assert identity.eid_sign_in(insz=trainee.insz, pin=sandbox.pin) == trainee  # the trainee signs in


def test_only_the_classrooms_trainer_or_a_superuser_unblocks(client, trainer):
    sandbox = built(trainer, size=1).sandboxes.get()
    trainee = training.legal_representative_of(sandbox)
    block_card(sandbox, trainee)
    other_trainer = trainer_create("Bart")
    for person in (other_trainer, trainee, PersonFactory()):
        client.force_login(person)
        assert client.post(unblock_url(sandbox, trainee)).status_code == 404
    trainee.refresh_from_db()
    assert trainee.card_blocked
    with pytest.raises(ServiceError):
        training.sandbox_card_unblock(actor=other_trainer, sandbox=sandbox, person_id=trainee.pk)
    client.force_login(PersonFactory(is_superuser=True, is_staff=True))
    assert client.post(unblock_url(sandbox, trainee)).status_code == 302
    trainee.refresh_from_db()
    assert not trainee.card_blocked


def test_a_person_of_another_sandbox_is_404_under_ones_own(client, trainer):
    classroom = built(trainer, size=2)
    first, second = classroom.sandboxes.order_by("number")
    stranger = training.legal_representative_of(second)
    block_card(second, stranger)
    client.force_login(trainer)
    assert client.post(unblock_url(first, stranger)).status_code == 404
    assert client.get(unblock_url(second, stranger)).status_code == 405  # a POST only
    stranger.refresh_from_db()
    assert stranger.card_blocked


def test_a_reset_unblocks_every_card_of_the_sandbox(trainer):
    sandbox = built(trainer, size=1).sandboxes.get()
    employee = sandbox.people.filter(part=Part.EMPLOYEE).first().person
    block_card(sandbox, employee)
    training.sandbox_reset(actor=trainer, sandbox=sandbox)
    employee.refresh_from_db()
    assert not employee.card_blocked
    assert AuditEvent.objects.filter(action="person.card_unblock", target_id=str(employee.pk)).exists()


# --- A trainee's error is never the class's error -----------------------------------------------


def test_a_clock_is_never_pushed_beyond_five_years(client, trainer):
    classroom = built(trainer, size=1)
    sandbox = classroom.sandboxes.get()
    with pytest.raises(ServiceError) as refused:
        training.world_clock_advance(actor=trainer, world=sandbox, to=date(9999, 12, 31))
    assert "De klok gaat hoogstens vijf jaar vooruit" in refused.value.message_dict["to"][0]
    with pytest.raises(ServiceError):
        training.world_clock_advance(actor=trainer, world=sandbox, by=MAX_AHEAD + timedelta(days=1))
    sandbox.refresh_from_db()
    assert sandbox.clock_offset == timedelta(0)
    # The trainee's own clock page says it next to the date, in Dutch.
    client.force_login(training.legal_representative_of(sandbox))
    response = client.post("/opleiding/zandbak/klok/", {"actie": "datum", "to": "31-12-9999"})
    assert response.status_code == 200 and "De klok gaat hoogstens vijf jaar vooruit" in response.text
    # So does the dashboard, in the row.
    client.force_login(trainer)
    url = reverse("training:sandbox-clock", kwargs={"classroom_id": classroom.pk, "sandbox_id": sandbox.pk})
    response = client.post(url, {"vooruit": "datum", "to": "31-12-9999"})
    assert response.status_code == 200 and "De klok gaat hoogstens vijf jaar vooruit" in row_of(
        response.text, 1
    )
    # Up to the bound is fine.
    furthest = timezone.localdate() + timedelta(days=5 * 365)
    training.world_clock_advance(actor=trainer, world=sandbox, to=furthest)


def test_the_database_refuses_a_clock_beyond_five_years(trainer):
    sandbox = built(trainer, size=1).sandboxes.get()
    with pytest.raises(IntegrityError), transaction.atomic():
        Sandbox.objects.filter(pk=sandbox.pk).update(clock_offset=timedelta(days=6 * 365))
    with pytest.raises(IntegrityError), transaction.atomic():
        Sandbox.objects.filter(pk=sandbox.pk).update(clock_offset=-timedelta(minutes=1))


def test_a_row_with_an_out_of_range_clock_never_overflows(trainer):
    sandbox = built(trainer, size=1).sandboxes.get()
    sandbox.clock_offset = timedelta(days=365 * 8000)  # as a row written before the bound existed
    assert sandbox.now() <= timezone.now() + MAX_AHEAD + timedelta(seconds=1)
    assert sandbox.ahead_text


def test_a_sandbox_at_the_bound_and_one_without_its_representative_break_nobodys_page(client, trainer):
    classroom = built(trainer, size=3, scenario="praktijk")
    far, orphan, other = classroom.sandboxes.order_by("number")
    training.world_clock_advance(actor=trainer, world=far, by=MAX_AHEAD - timedelta(minutes=1))
    orphan.people.filter(part=Part.LEGAL_REPRESENTATIVE).delete()  # the representative is gone
    client.force_login(trainer)
    page = client.get(classroom_url(classroom))
    assert page.status_code == 200
    assert "klok: +" in row_of(page.text, 1) and "—" in row_of(page.text, 2)
    assert client.get(classroom_url(classroom), **HTMX).status_code == 200
    for name in ("training:cards",):
        assert client.get(reverse(name, kwargs={"classroom_id": classroom.pk})).status_code == 200
    reset = reverse("training:sandbox-reset", kwargs={"classroom_id": classroom.pk, "sandbox_id": orphan.pk})
    assert client.get(reset).status_code == 200
    # The trainees of the sandbox at the bound and of the healthy one keep working.
    for sandbox in (far, other):
        client.force_login(training.legal_representative_of(sandbox))
        for url in (
            "/",
            "/toegangsbeheer/",
            "/opleiding/zandbak/klok/",
            "/opleiding/zandbak/scenario/",
        ):
            assert client.get(url).status_code == 200, url


def test_opnieuw_beginnen_repairs_a_broken_sandbox(client, trainer):
    classroom = built(trainer, size=1, scenario="praktijk")
    sandbox = classroom.sandboxes.get()
    training.world_clock_advance(actor=trainer, world=sandbox, by=MAX_AHEAD - timedelta(minutes=1))
    employee = sandbox.people.filter(part=Part.EMPLOYEE).first().person
    block_card(sandbox, employee)
    representative = training.legal_representative_of(sandbox)
    HtbAppointment.objects.filter(enterprise=sandbox.enterprise).delete()
    sandbox.people.filter(person=representative).delete()  # the representative is gone
    LegalMandate.objects.filter(enterprise=sandbox.enterprise).update(end_date=date(2016, 1, 1))
    Facility.objects.filter(enterprise=sandbox.enterprise, name__startswith="HUIZE ").delete()
    people_before = set(sandbox.people.values_list("person_id", flat=True))

    client.force_login(trainer)
    url = reverse("training:sandbox-reset", kwargs={"classroom_id": classroom.pk, "sandbox_id": sandbox.pk})
    assert client.post(url).status_code == 302
    sandbox.refresh_from_db()
    assert sandbox.clock_offset == timedelta(0)
    new_representative = training.legal_representative_of(sandbox)
    assert new_representative is not None and new_representative != representative
    assert new_representative.check_pin(sandbox.pin)
    assert (
        LegalMandate.objects.current()
        .filter(enterprise=sandbox.enterprise, person=new_representative)
        .exists()
    )
    assert sandbox.people.filter(part=Part.EMPLOYEE).count() == training.EMPLOYEES
    assert people_before < set(sandbox.people.values_list("person_id", flat=True))  # the others stay
    assert Facility.objects.filter(enterprise=sandbox.enterprise).count() == 3
    assert HtbAppointment.objects.current().get(enterprise=sandbox.enterprise).person == new_representative
    employee.refresh_from_db()
    assert not employee.card_blocked
    assert client.get(classroom_url(classroom)).status_code == 200
    assert training.legal_representative_of(sandbox).full_name in row_of(
        client.get(classroom_url(classroom)).text, 1
    )


# --- "Een klas aanmaken", sent twice ------------------------------------------------------------


def test_the_create_form_sent_twice_makes_one_classroom(client, trainer, django_capture_on_commit_callbacks):
    client.force_login(trainer)
    page = client.get(reverse("training:home")).text
    token = re.search(r'<input type="hidden" name="token" value="([0-9a-f-]{36})"', page).group(1)
    data = {"name": "Donderdagklas", "size": "2", "scenario": "htb", "token": token}
    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(reverse("training:home"), data)
    with django_capture_on_commit_callbacks(execute=True):
        second = client.post(reverse("training:home"), data)  # a double click, or back and send again
    assert Classroom.objects.filter(trainer=trainer).count() == 1
    assert first.status_code == second.status_code == 302 and first["Location"] == second["Location"]
    assert Classroom.objects.get().sandboxes.count() == 2
    # A new form (a new token) makes a new classroom.
    fresh = re.search(
        r'name="token" value="([0-9a-f-]{36})"', client.get(reverse("training:home")).text
    ).group(1)
    assert fresh != token
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("training:home"), {**data, "token": fresh})
    assert Classroom.objects.filter(trainer=trainer).count() == 2


def test_a_token_is_the_trainers_own(trainer):
    first = training.classroom_create(trainer=trainer, name="A", size=1, scenario="htb", token=None)
    again = training.classroom_create(trainer=trainer, name="A", size=1, scenario="htb", token=None)
    assert first != again  # without a token (a crafted request) nothing is deduplicated
    import uuid

    token = uuid.uuid4()
    mine = training.classroom_create(trainer=trainer, name="B", size=1, scenario="htb", token=token)
    assert training.classroom_create(trainer=trainer, name="B", size=1, scenario="htb", token=token) == mine
    with pytest.raises(ServiceError):  # another trainer's form token is not theirs to reuse
        training.classroom_create(
            trainer=trainer_create("Bart"), name="B", size=1, scenario="htb", token=token
        )


# --- The live dashboard ---------------------------------------------------------------------------


def test_the_dashboard_pauses_and_resumes_without_a_script_of_its_own(client, trainer):
    classroom = built(trainer, size=1)
    client.force_login(trainer)
    live = client.get(classroom_url(classroom)).text
    assert 'data-hx-trigger="every 3s"' in live and ">Pauzeren</a>" in live
    toggle = re.search(r'<a id="live-toggle"[^>]*>', live).group(0)
    assert 'href="' + classroom_url(classroom) + '?gepauzeerd=1"' in toggle  # works without JavaScript
    paused = client.get(classroom_url(classroom) + "?gepauzeerd=1&acties=behouden", **HTMX).text
    assert "data-hx-trigger" not in paused and ">Hervatten</a>" in paused and 'id="live-toggle"' in paused
    assert "Bijwerken gepauzeerd." in paused
    for page in (live, paused):
        assert "<script>" not in page and "js:" not in page
        assert not re.search(r'data-hx-trigger="[^"]*\[', page)  # no filter expression (it needs eval)


def test_every_control_of_the_live_table_has_an_id_for_the_focus_to_come_back(client, trainer):
    classroom = built(trainer, size=2)
    sandbox = classroom.sandboxes.get(number=1)
    block_card(sandbox, training.legal_representative_of(sandbox))
    client.force_login(trainer)
    partial = client.get(classroom_url(classroom), **HTMX).text
    controls = re.findall(r"<(a|button|select|textarea)\b([^>]*)>|<input\b([^>]*)>", partial)
    assert controls
    for tag, attributes, input_attributes in controls:
        attributes = attributes or input_attributes
        if 'type="hidden"' in attributes:
            continue
        assert re.search(r'\bid="[^"]+"', attributes), f"<{tag or 'input'} {attributes}> has no id"


def test_changes_are_announced_politely_not_the_whole_table(client, trainer):
    classroom = built(trainer, size=2)
    sandbox = classroom.sandboxes.get(number=2)
    client.force_login(trainer)
    page = client.get(classroom_url(classroom)).text
    assert '<div id="aankondigingen" class="visually-hidden" role="status" aria-live="polite"></div>' in page
    assert page.index('id="aankondigingen"') < page.index('<div id="live"')  # outside what the polls replace
    state = re.search(r"stand=([0-9.\-%A-Fa-f]+)", page).group(1)
    quiet = client.get(f"{classroom_url(classroom)}?acties=behouden&stand={state}", **HTMX).text
    assert "data-hx-swap-oob" not in quiet  # nothing changed, nothing said

    representative = training.legal_representative_of(sandbox)
    administrators.htb_appoint(
        actor=representative, enterprise=sandbox.enterprise, person=representative, email="a@b.be", phone="02"
    )
    news = client.get(f"{classroom_url(classroom)}?acties=behouden&stand={state}", **HTMX).text
    said = re.search(r'<div id="aankondigingen" data-hx-swap-oob="innerHTML">(.*?)</div>', news, re.S).group(
        1
    )
    assert "<p>Cursist 2: HTB aangesteld</p>" in said and "<p>Cursist 2: scenario voltooid</p>" in said
    assert "Cursist 1" not in said
    assert "<table" not in said
    # A malformed state says nothing and breaks nothing.
    assert client.get(f"{classroom_url(classroom)}?stand=x-9.%3Cb%3E", **HTMX).status_code == 200
    assert insz_format(representative.insz)  # the trainee is real
