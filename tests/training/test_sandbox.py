"""A trainee's side of training mode: the simulation banner, personas, the sandbox's clock, the guided
scenario's panel and its reset (/opleiding/zandbak/)."""

import re
from datetime import timedelta

import pytest
from django.db.models import F
from django.utils import timezone

from accessportal import clock
from accessportal.models import AuditEvent
from administrators import procedure
from administrators import services as administrators
from administrators.models import HoedanigheidActivation, HtbAppointment, HtbDraft
from enterprises.models import Facility, Hoedanigheid
from roles import services as roles
from roles.models import Role
from subdivisions import services as subdivisions
from subdivisions.models import Subafdeling
from tests.conftest import trainer_create
from tests.training.sandboxes import ROLE
from training import services as training
from training.middleware import SESSION_KEY
from training.models import Part, Sandbox
from users import services as users
from users.models import ApplicationRight

pytestmark = pytest.mark.django_db

PERSONAS = "/opleiding/zandbak/personen/"
CLOCK = "/opleiding/zandbak/klok/"
SCENARIO = "/opleiding/zandbak/scenario/"
RESET = "/opleiding/zandbak/scenario/opnieuw-beginnen/"
PAGES = [PERSONAS, CLOCK, SCENARIO, RESET]


@pytest.fixture(autouse=True)
def _catalogue(catalogue):
    """Every sandbox is built on the sector catalogue (hoedanigheden, subdivisie types, applications)."""


def switch_url(person) -> str:
    return f"/opleiding/zandbak/personen/{person.pk}/wisselen/"


def sandbox_of(scenario: str, name: str = "Tine") -> Sandbox:
    trainer = trainer_create(name)
    classroom = training.classroom_create(trainer=trainer, name=f"Klas {name}", size=1, scenario=scenario)
    training.classroom_build(classroom_id=classroom.pk)
    return classroom.sandboxes.select_related("classroom", "enterprise").get()


def employees(sandbox: Sandbox) -> list:
    return [part.person for part in sandbox.people.filter(part=Part.EMPLOYEE).select_related("person")]


def fresh(sandbox: Sandbox) -> Sandbox:
    return Sandbox.objects.select_related("classroom", "enterprise").get(pk=sandbox.pk)


def activate_huize(sandbox: Sandbox, actor):
    """The chapter-4 steps 8-9: HUIZE … as a subafdeling of eHealth Gezondheidszorg, VIPA (and
    E-loket, for a role) authorised."""
    activation = HoedanigheidActivation.objects.get(enterprise=sandbox.enterprise)
    huize = Facility.objects.get(enterprise=sandbox.enterprise, name__startswith="HUIZE")
    offered = Hoedanigheid.objects.get(code="ehealth-gezondheidszorg").applications
    authorised = list(offered.filter(code__in=["vipa", "e-loket-departement-zorg"]))
    with clock.simulated(fresh(sandbox).now()):
        return subdivisions.subafdeling_activate(
            actor=actor,
            activation=activation,
            facility=huize,
            subdivision_type=huize.listings.get().subdivision_type,
            email="huize@example.be",
            applications=authorised,
        )


def add_user_with_a_pending_role(sandbox: Sandbox, actor, subafdeling, person):
    """The person becomes a user with the VIPA and E-loket rights (in effect at once) and gets the
    role "BelRAI VL - admin", which waits for the propagation delay: that role."""
    with clock.simulated(fresh(sandbox).now()):
        user = users.user_add(
            actor=actor,
            subafdeling=subafdeling,
            person=person,
            email=person.email,
            applications=list(subafdeling.applications.all()),
        )
        return roles.role_assign(
            actor=actor, user=user, role=Role.objects.get(name=ROLE), start_date=clock.today()
        )


def praktijk_with_pending_role(name: str = "Tine"):
    """A chapter-4 sandbox where the HTB activated HUIZE, added an employee with the VIPA right and
    gave them a role that still waits: (sandbox, htb, the employee, the role)."""
    sandbox = sandbox_of("praktijk", name)
    htb = training.legal_representative_of(sandbox)
    user = employees(sandbox)[-1]
    subafdeling = activate_huize(sandbox, htb)
    return sandbox, htb, user, add_user_with_a_pending_role(sandbox, htb, subafdeling, user)


def text_of(response) -> str:
    """The page's HTML, with Django's non-breaking spaces ("3\xa0dagen") as plain ones."""
    return response.content.decode().replace("\xa0", " ")


def messages_of(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


def current_step(html: str) -> str | None:
    match = re.search(
        r'aria-current="step">\s*<span class="sandbox-mark"[^>]*>[^<]*</span>\s*'
        r'<span class="sandbox-step-title">([^<]+)</span>',
        html,
    )
    return match.group(1) if match else None


# --- The banner ---------------------------------------------------------------------------------


def test_the_banner_is_shown_to_a_sandbox_person_on_every_kind_of_page(client, world):
    _trainer, classroom, sandbox, trainee = world.training
    client.force_login(trainee)
    client.post("/toegangsbeheer/", {"quality": "werkgever"})
    expected = (
        f"zandbak {sandbox.number} van klas {classroom.name} — u bent {trainee.full_name} "
        "(Wettelijk vertegenwoordiger)"
    )
    for url in ["/", "/toegangsbeheer/onthaal/", "/toepassingen/evipa/", "/toegangsbeheer/help/", PERSONAS]:
        html = client.get(url).content.decode()
        assert 'class="sandbox-banner"' in html and "css/sandbox.css" in html, url
        assert "Simulatie" in html and expected in html, url
        assert "Van persoon wisselen" in html and ">Klok<" in html and ">Scenario<" in html, url
    csam = client.get("/").content.decode()
    assert f"{PERSONAS}?next=/" in csam  # back to where the trainee was
    assert "sandbox-panel-top" in csam  # the scenario's panel on CSAM pages
    portal = client.get("/toegangsbeheer/onthaal/").content.decode()
    assert re.search(r'<aside class="portal-menu".*sandbox-panel-side.*</aside>', portal, re.S)
    application = client.get("/toepassingen/evipa/").content.decode()
    assert "sandbox-panel" not in application  # a simulated application shows the banner only


@pytest.mark.parametrize("level", ["anonymous", "htb", "legal_rep", "user_person", "trainer"])
def test_no_banner_outside_sandboxes(client, world, level):
    person = world.persona(level)
    if person is not None:
        client.force_login(person)
    for url in ["/", "/toegangsbeheer/help/", "/toepassingen/evipa/"]:
        html = client.get(url).content.decode()
        assert "sandbox-banner" not in html and "css/sandbox.css" not in html and "Simulatie —" not in html


def test_the_banner_shows_the_sandbox_clock_ahead_of_real_time(client, world):
    _trainer, _classroom, sandbox, trainee = world.training
    training.world_clock_advance(actor=trainee, world=sandbox, by=timedelta(days=3))
    client.force_login(trainee)
    html = text_of(client.get("/"))
    assert "3 dagen voor op de echte tijd" in html and "gelijk met de echte tijd" not in html
    html = client.get(CLOCK).content.decode()
    shown = timezone.localtime(fresh(sandbox).now())
    assert f"<strong>{shown:%d-%m-%Y}" in html  # the sandbox's date, not today's
    client.force_login(world.outsider_training[3])
    assert "gelijk met de echte tijd" in client.get("/").content.decode()


# --- Only for the people of a sandbox -----------------------------------------------------------


@pytest.mark.parametrize("level", ["nobody", "legal_rep", "htb", "user_person", "trainer", "outsider_htb"])
def test_every_sandbox_page_is_404_outside_a_sandbox(client, world, level):
    client.force_login(world.persona(level))
    for url in PAGES:
        assert client.get(url).status_code == 404, url
    assert client.post(CLOCK, {"actie": "20-minuten"}).status_code == 404
    assert client.post(RESET).status_code == 404
    _trainer, _classroom, sandbox, _trainee = world.training
    assert client.post(switch_url(employees(sandbox)[0])).status_code == 404
    assert fresh(sandbox).clock_offset == timedelta(0)


def test_anonymous_visitors_sign_in_first(client, world):
    _trainer, _classroom, sandbox, _trainee = world.training
    for url in [*PAGES, switch_url(employees(sandbox)[0])]:
        response = client.get(url) if url in PAGES else client.post(url)
        assert response.status_code == 302 and response["Location"].startswith("/aanmelden/"), url


# --- Personas -------------------------------------------------------------------------------------


def test_personas_list_the_sandbox_people_and_what_they_are_now(client, django_assert_max_num_queries):
    sandbox, htb, user, _role = praktijk_with_pending_role()
    client.force_login(htb)
    with django_assert_max_num_queries(10):
        response = client.get(PERSONAS)
    assert response.status_code == 200
    html = response.content.decode()
    assert "zonder PIN-code" in html and "Simulatie" in html
    for part in sandbox.people.select_related("person"):
        assert part.person.full_name in html
    assert html.count("Wettelijk vertegenwoordiger") >= 2  # the banner and the table
    assert html.count("<td>Werknemer</td>") == 4
    htb_row = re.search(rf"<tr class=\"current\">.*?{htb.full_name}.*?</tr>", html, re.S).group(0)
    assert "Hoofdtoegangsbeheerder" in htb_row and "Dit bent u nu" in htb_row
    user_row = re.search(rf"<tr>\s*<td>{user.full_name}</td>.*?</tr>", html, re.S).group(0)
    assert "Gebruiker: HUIZE" in user_row and "Wisselen" in user_row
    assert switch_url(user) in user_row
    assert html.count(">nog niets<") == 3  # the other employees hold nothing yet


def test_switching_persona_needs_no_pin_and_keeps_the_sandbox(client, world):
    _trainer, _classroom, sandbox, trainee = world.training
    colleague = employees(sandbox)[0]
    client.force_login(trainee)
    response = client.post(switch_url(colleague), {"next": "/"})
    assert response.status_code == 302 and response["Location"] == "/"
    assert int(client.session["_auth_user_id"]) == colleague.pk
    assert client.session[SESSION_KEY] == sandbox.pk
    page = client.get("/")
    assert any(
        colleague.full_name in message and "zonder PIN-code" in message for message in messages_of(page)
    )
    assert f"u bent {colleague.full_name} (Werknemer)" in page.content.decode()
    colleague.refresh_from_db()
    assert colleague.failed_pin_attempts == 0


def test_a_switch_lands_on_the_portal_when_the_page_belonged_to_the_previous_person(client):
    sandbox, htb, user, _role = praktijk_with_pending_role()
    client.force_login(htb)
    enterprise_page = f"/toegangsbeheer/ondernemingen/{sandbox.enterprise.kbo}/"
    response = client.post(switch_url(user), {"next": enterprise_page})
    assert response["Location"] == "/toegangsbeheer/onthaal/"
    response = client.post(switch_url(htb), {"next": "/toepassingen/evipa/"})
    assert response["Location"] == "/toepassingen/evipa/"
    response = client.post(switch_url(user), {"next": "https://elders.example/"})
    assert response["Location"] == "/toegangsbeheer/onthaal/"


def test_no_switch_to_a_person_of_another_sandbox_or_a_real_person(client, world):
    _trainer, _classroom, sandbox, trainee = world.training
    other = world.outsider_training[2]
    client.force_login(trainee)
    for person in [
        employees(other)[0],
        training.legal_representative_of(other),
        world.main.htb,
        world.nobody,
    ]:
        assert client.post(switch_url(person)).status_code == 404
        assert int(client.session["_auth_user_id"]) == trainee.pk
        assert client.session[SESSION_KEY] == sandbox.pk
    assert client.post("/opleiding/zandbak/personen/999999/wisselen/").status_code == 404
    assert client.get(switch_url(employees(sandbox)[0])).status_code == 405  # a switch is a POST


# --- The sandbox's clock --------------------------------------------------------------------------


def test_plus_20_minutes_moves_only_this_sandbox(client, world):
    _trainer, _classroom, sandbox, trainee = world.training
    other = world.outsider_training[2]
    client.force_login(trainee)
    response = client.post(CLOCK, {"actie": "20-minuten"})
    assert response.status_code == 302 and response["Location"] == CLOCK
    offset = fresh(sandbox).clock_offset
    assert timedelta(minutes=20) <= offset < timedelta(minutes=21)
    assert fresh(other).clock_offset == timedelta(0)
    assert abs(fresh(other).now() - timezone.now()) < timedelta(seconds=5)
    assert abs(clock.now() - timezone.now()) < timedelta(seconds=5)  # real time is untouched
    page = client.get(CLOCK)
    shown = timezone.localtime(fresh(sandbox).now())
    [message] = messages_of(page)
    assert message.startswith(f"De klok van de zandbak staat nu op {shown:%d-%m-%Y} ")
    assert "Er werd geen enkele wachtende wijziging van kracht." in message
    assert "20 minuten voor op de echte tijd" in text_of(page)


def test_the_clock_goes_forward_only(client, world):
    _trainer, _classroom, sandbox, trainee = world.training
    client.force_login(trainee)
    response = client.post(CLOCK, {"actie": "datum", "to": "01-01-2020"})
    assert response.status_code == 200
    assert response.context["form"].errors == {"to": ["De klok gaat enkel vooruit."]}
    html = response.content.decode()
    assert '<ul class="errorlist" id="id_to_error"><li>De klok gaat enkel vooruit.</li></ul>' in html
    assert 'class="error-summary"' in html and 'value="01-01-2020"' in html  # the input is kept
    assert '<form method="post" class="box" novalidate>' in html  # no HTML5 validation
    for typed, error in [("31-02-2026", "Geen geldige datum"), ("", "Geef een datum in (dd-mm-jjjj).")]:
        response = client.post(CLOCK, {"actie": "datum", "to": typed})
        assert response.status_code == 200 and error in response.content.decode()
    assert fresh(sandbox).clock_offset == timedelta(0)
    assert fresh(sandbox).last_error == "Geef een datum in (dd-mm-jjjj)."  # noted for the trainer


def test_to_a_date_keeps_the_time_of_day(client, world):
    _trainer, _classroom, sandbox, trainee = world.training
    client.force_login(trainee)
    target = timezone.localdate() + timedelta(days=5)
    response = client.post(CLOCK, {"actie": "datum", "to": f"{target:%d-%m-%Y}"})
    assert response.status_code == 302
    assert timedelta(days=4, hours=22) < fresh(sandbox).clock_offset < timedelta(days=5, hours=2)
    [message] = messages_of(client.get(CLOCK))
    assert f"staat nu op {target:%d-%m-%Y}" in message


def test_to_the_next_change_with_nothing_pending_says_so(client, world):
    _trainer, _classroom, sandbox, trainee = world.training
    client.force_login(trainee)
    page = client.get(CLOCK)
    assert "Er wacht geen enkele wijziging in deze zandbak." in page.content.decode()
    response = client.post(CLOCK, {"actie": "volgende-wijziging"})
    assert response.status_code == 302
    assert messages_of(client.get(CLOCK)) == ["Er wacht geen enkele wijziging in deze zandbak."]
    assert fresh(sandbox).clock_offset == timedelta(0)


def test_a_pending_role_takes_effect_when_the_sandbox_clock_passes_its_moment(client, world, catalogue):
    world_role = roles.role_assign(  # saved in real time, still pending
        actor=world.main.sb, user=world.main.user, role=catalogue["roles"][ROLE], start_date=clock.today()
    )
    _sandbox, htb, _user, assignment = praktijk_with_pending_role()
    client.force_login(htb)
    html = client.get(CLOCK).content.decode()
    assert "Wachtende wijzigingen" in html and "Toegekende rol" in html
    assert f"{timezone.localtime(assignment.pending_until):%d-%m-%Y %H:%M}" in html
    client.post(CLOCK, {"actie": "20-minuten"})
    assignment.refresh_from_db()
    assert assignment.effective_start_date is not None
    [message] = messages_of(client.get(CLOCK))
    assert "1 wachtende wijziging werd van kracht." in message
    world_role.refresh_from_db()
    assert world_role.effective_start_date is None  # another enterprise's change still waits for real time


def test_to_the_next_change_applies_it(client):
    sandbox, htb, _user, assignment = praktijk_with_pending_role()
    client.force_login(htb)
    client.post(CLOCK, {"actie": "volgende-wijziging"})
    assignment.refresh_from_db()
    assert assignment.effective_start_date is not None
    offset = fresh(sandbox).clock_offset
    assert timedelta(minutes=19) < offset <= timedelta(minutes=20, seconds=5)
    [message] = messages_of(client.get(CLOCK))
    assert "1 wachtende wijziging werd van kracht." in message


def test_a_change_due_on_the_sandbox_clock_takes_effect_at_the_trainees_next_request(client):
    sandbox, htb, _user, assignment = praktijk_with_pending_role()
    # The sandbox's time ran on past the moment (real minutes passed) without a sweep applying it.
    Sandbox.objects.filter(pk=sandbox.pk).update(clock_offset=F("clock_offset") + timedelta(minutes=30))
    assignment.refresh_from_db()
    assert assignment.effective_start_date is None
    client.force_login(htb)
    client.get(CLOCK)
    assignment.refresh_from_db()
    assert assignment.effective_start_date is not None
    assert timedelta(minutes=30) <= fresh(sandbox).clock_offset < timedelta(minutes=31)


# --- The middleware: a trainee's requests run on the sandbox's clock, their last error is kept ------


def test_a_trainees_request_runs_on_the_sandbox_clock(client, world):
    _trainer, _classroom, _sandbox, trainee = world.training
    client.force_login(trainee)
    client.post(CLOCK, {"actie": "datum", "to": f"{timezone.localdate() + timedelta(days=10):%d-%m-%Y}"})
    client.get("/toepassingen/evipa/aan-de-slag/")
    attempt = AuditEvent.objects.filter(actor=trainee, action__startswith="application.").latest("id")
    assert attempt.occurred_at > timezone.now() + timedelta(days=9)
    client.force_login(world.main.user_person)
    client.get("/toepassingen/evipa/aan-de-slag/")
    real = AuditEvent.objects.filter(actor=world.main.user_person, action__startswith="application.").get()
    assert abs(real.occurred_at - timezone.now()) < timedelta(minutes=1)


def test_the_last_error_a_trainee_saw_is_kept(client, world):
    _trainer, _classroom, sandbox, trainee = world.training
    draft = procedure.htb_draft_start(actor=trainee, kbo=sandbox.enterprise.kbo)
    client.force_login(trainee)
    response = client.post(
        f"/beheer-toegangsbeheerders/hoofdtoegangsbeheerder/{draft.pk}/registratie/",
        {
            "choice": HtbDraft.Choice.OTHER,
            "htb_insz": "85.07.30-033.99",
            "htb_email": "htb@example.be",
            "htb_phone": "02 123 45 67",
            "requester_email": "wv@example.be",
            "requester_phone": "02 123 45 67",
        },
    )
    assert response.status_code == 200
    assert fresh(sandbox).last_error == "Dit INSZ-nummer is ongeldig: het controlegetal klopt niet."


# --- The scenario's panel, its page and its reset -------------------------------------------------


def test_the_htb_scenario_advances_as_the_legal_representative_acts(client):
    sandbox = sandbox_of("htb")
    representative = training.legal_representative_of(sandbox)
    client.post("/aanmelden/eid/", {"insz": representative.insz, "pin": sandbox.pin})
    assert client.session[SESSION_KEY] == sandbox.pk
    assert current_step(client.get("/").content.decode()) == "De procedure starten"
    with clock.simulated(fresh(sandbox).now()):
        draft = procedure.htb_draft_start(actor=representative, kbo=sandbox.enterprise.kbo)
    assert current_step(client.get(SCENARIO).content.decode()) == "Registratie van de aanvraag"
    with clock.simulated(fresh(sandbox).now()):
        procedure.htb_draft_answer(
            actor=representative,
            draft=draft,
            choice=HtbDraft.Choice.SELF,
            requester_email=representative.email,
            requester_phone="02 123 45 67",
        )
    assert current_step(client.get("/").content.decode()) == "De aanvraag bevestigen"
    with clock.simulated(fresh(sandbox).now()):
        procedure.htb_draft_confirm(actor=representative, draft=draft, confirmed=True)
    html = client.get(SCENARIO).content.decode()
    assert current_step(html) is None
    assert "Alle stappen zijn gedaan: het scenario is voltooid." in html
    assert html.count('<span class="sandbox-step-state">gedaan</span>') == 4


def test_the_chapter_4_scenario_advances_to_the_application_sign_in(client):
    sandbox = sandbox_of("praktijk")
    htb = training.legal_representative_of(sandbox)
    user = employees(sandbox)[-1]
    client.post("/aanmelden/eid/", {"insz": htb.insz, "pin": sandbox.pin})
    assert current_step(client.get("/").content.decode()) == "Een subafdeling activeren"
    subafdeling = activate_huize(sandbox, htb)
    html = client.get(SCENARIO).content.decode()
    assert current_step(html) == "Een gebruiker toevoegen met het recht op VIPA"
    with clock.simulated(fresh(sandbox).now()):
        users.user_add(
            actor=htb,
            subafdeling=subafdeling,
            person=user,
            email=user.email,
            applications=list(subafdeling.applications.filter(code="vipa")),
        )
    assert current_step(client.get("/").content.decode()) == "Aanmelden op de toepassing"  # roles: optional
    response = client.post(switch_url(user), {"next": "/toepassingen/evipa/"})
    assert response["Location"] == "/toepassingen/evipa/"
    assert client.get("/toepassingen/evipa/aan-de-slag/").status_code == 200  # allowed in, the clock unmoved
    assert fresh(sandbox).clock_offset == timedelta(0)
    html = client.get(SCENARIO).content.decode()
    assert current_step(html) is None and "het scenario is voltooid" in html


def test_the_scenario_page_quotes_the_manual_for_every_step(client, world):
    _trainer, _classroom, _sandbox, trainee = world.training
    client.force_login(trainee)
    html = client.get(SCENARIO).content.decode()
    assert '<h1 id="sandbox-panel-title">Een Hoofdtoegangsbeheerder aanstellen</h1>' in html
    assert html.count('<blockquote class="sandbox-excerpt">') == 4
    assert html.count("Wat te doen") == 4
    assert 'href="/toegangsbeheer/help/#h-3-2-2"' in html and 'href="/toegangsbeheer/help/#h-3-2-3"' in html
    assert "sandbox-panel-top" not in html  # the page is the panel


def test_reset_of_the_htb_scenario_removes_the_htb_and_keeps_people_and_pin(client, world):
    _trainer, _classroom, sandbox, trainee = world.training
    with clock.simulated(sandbox.now()):
        administrators.htb_appoint(
            actor=trainee, enterprise=sandbox.enterprise, person=trainee, email=trainee.email, phone="02"
        )
    client.force_login(trainee)
    page = client.get(RESET)
    assert page.status_code == 200 and "Opnieuw beginnen" in page.content.decode()
    # A GET only asks for the confirmation.
    assert HtbAppointment.objects.current().filter(enterprise=sandbox.enterprise).exists()
    response = client.post(RESET)
    assert response.status_code == 302 and response["Location"] == SCENARIO
    assert not HtbAppointment.objects.current().filter(enterprise=sandbox.enterprise).exists()
    [message] = messages_of(client.get(SCENARIO))
    assert message.startswith(
        "De zandbak staat terug aan het begin van het scenario, met de klok op de echte tijd."
    )
    assert sandbox.people.count() == 1 + training.EMPLOYEES
    assert training.legal_representative_of(sandbox).check_pin(sandbox.pin)
    assert int(client.session["_auth_user_id"]) == trainee.pk


def test_reset_of_the_chapter_4_scenario_returns_to_htb_and_ehealth(client):
    sandbox, htb, _user, _role = praktijk_with_pending_role()
    client.post("/aanmelden/eid/", {"insz": htb.insz, "pin": sandbox.pin})
    client.post(RESET)
    assert HtbAppointment.objects.current().get(enterprise=sandbox.enterprise).person == htb
    assert list(
        HoedanigheidActivation.objects.filter(enterprise=sandbox.enterprise).values_list(
            "hoedanigheid__code", flat=True
        )
    ) == ["ehealth-gezondheidszorg"]
    assert not Subafdeling.objects.filter(activation__enterprise=sandbox.enterprise).exists()
    assert not ApplicationRight.objects.filter(subafdeling__facility__enterprise=sandbox.enterprise).exists()
    assert sandbox.people.count() == 1 + training.EMPLOYEES
    assert all(part.person.check_pin(sandbox.pin) for part in sandbox.people.select_related("person"))
    assert current_step(client.get("/").content.decode()) == "Een subafdeling activeren"


@pytest.mark.parametrize("url", ["/", CLOCK, SCENARIO, RESET])
def test_sandbox_pages_stay_within_about_ten_queries(client, world, url, django_assert_max_num_queries):
    _trainer, _classroom, _sandbox, trainee = world.training
    client.force_login(trainee)
    with django_assert_max_num_queries(10):
        assert client.get(url).status_code == 200
