"""The HTB procedure, screen by screen (manual 3.2.2 and 3.2.3), and the co-HTBs."""

import re
import threading
import uuid
from dataclasses import dataclass
from datetime import date

import pytest
from django.core import mail
from django.db import connection
from django.urls import reverse

from accessportal.identifiers import insz_format
from accessportal.models import AuditEvent, OutboxMail, StructuredMessage
from administrators.models import CoHtbAppointment, HtbAppointment, HtbDraft
from enterprises import services as enterprises
from identity.models import Person
from tests.factories import EnterpriseFactory, PersonFactory
from tests.labels import missing_in_order

pytestmark = pytest.mark.django_db

START = "/beheer-toegangsbeheerders/hoofdtoegangsbeheerder/"


@dataclass
class Fresh:
    enterprise: object
    rep: Person
    employee: Person
    stranger: Person


@pytest.fixture
def fresh(db):
    """An enterprise in the KBO, not yet in CSAM, like VZW ZORGNETWERK DE LINDE."""
    enterprise = EnterpriseFactory(name="VZW ZORGNETWERK DE LINDE", kbo="0812345603")
    rep = PersonFactory(first_name="Marc", last_name="Vermeulen", email="marc@delinde.be")
    employee = PersonFactory(first_name="Els", last_name="Janssens", email="els@delinde.be", language="fr")
    enterprises.legal_mandate_add(
        enterprise=enterprise, person=rep, function="Bestuurder", start_date=date(2010, 1, 1)
    )
    enterprises.employment_add(enterprise=enterprise, person=employee, start_date=date(2012, 1, 1))
    return Fresh(enterprise, rep, employee, PersonFactory(first_name="Emma", last_name="Dubois"))


def start(client, person, kbo="0812.345.603"):
    client.force_login(person)
    client.cookies["django_language"] = "nl"  # the screens in Dutch, whatever the person's Taalkeuze
    return client.post(START, {"kbo": kbo})


def draft_url(response, step="registratie"):
    location = response["Location"]
    assert location.startswith(START) and location.endswith("/registratie/"), location
    return location.replace("/registratie/", f"/{step}/")


SELF = {"choice": "SELF", "requester_email": "directie@delinde.be", "requester_phone": "+32 3 450 12 10"}


def other(person, **extra):
    return {
        "choice": "OTHER",
        "htb_insz": person.insz,
        "htb_email": "els@delinde.be",
        "htb_phone": "03 450 12 11",
        "requester_email": "marc@delinde.be",
        "requester_phone": "03 450 12 10",
        **extra,
    }


def test_the_procedure_needs_a_signed_in_person(client):
    response = client.get(START)
    assert response.status_code == 302 and response["Location"] == f"/aanmelden/?next={START}"


@pytest.mark.parametrize(
    ("kbo", "message"),
    [
        ("0812.345.604", "controlegetal"),
        ("12345", "10 cijfers"),
        ("0406.633.304", "niet gekend in de Kruispuntbank"),
    ],
)
def test_step_1_refuses_bad_enterprise_numbers(client, fresh, kbo, message):
    response = start(client, fresh.rep, kbo)
    assert response.status_code == 200
    assert message in response.text
    assert not HtbDraft.objects.exists()


@pytest.mark.parametrize("who", ["employee", "stranger"])
def test_step_1_only_for_a_legal_representative(client, fresh, who):
    response = start(client, getattr(fresh, who))
    assert response.status_code == 200
    assert "niet gekend als wettelijk vertegenwoordiger" in response.text
    assert not HtbDraft.objects.exists()


def test_step_1_refuses_an_ended_mandate(client, fresh):
    fresh.rep.legal_mandates.update(end_date=date(2020, 12, 31))
    assert "niet gekend als wettelijk vertegenwoordiger" in start(client, fresh.rep).text


def test_step_2_shows_the_enterprise(client, fresh):
    page = client.get(draft_url(start(client, fresh.rep), "registratie")).text
    assert "Registratie onderneming in CSAM" in page
    assert "0812.345.603" in page and "VZW ZORGNETWERK DE LINDE" in page
    assert "Marc Vermeulen" in page and "Andere persoon" in page
    assert "al geregistreerd" not in page


CAMPAIGNS_NOTE = [
    "Opgelet: de contactgegevens van de Hoofdtoegangsbeheerder worden ook gebruikt voor de "
    "communicatiecampagnes van CSAM.",
    "Zorg er dus voor dat het adres dat u opgeeft:",
    "een correct en bestaand e-mailadres is, en",
    "een algemeen adres is (bv. directie@onderneming.be).",
    "Het is belangrijk dat de onderneming de CSAM-berichten ook ontvangt en behandelt wanneer een "
    "specifieke contactpersoon afwezig is.",
]
OWN_NOTE = "Opmerking: uw contactgegevens zullen voor andere mededelingen in verband met deze aanvraag gebruikt worden."


def test_step_2_has_the_manuals_words_in_order(client, fresh):
    """3.2.2 and 3.2.3: "Andere persoon" with its fields and their note, then "Uw contactgegevens" with
    the note for oneself (the campaigns) and the one for another person (the "Opmerking"); the page
    shows the one that goes with the choice (portal.css)."""
    page = client.get(draft_url(start(client, fresh.rep))).text
    words = [
        "Registratie onderneming in CSAM",
        "De onderneming",
        "Ondernemingsnummer",
        "Naam onderneming",
        "Adres",
        "Hoofdtoegangsbeheerder",
        "Een Hoofdtoegangsbeheerder moet een werknemer of wettelijke vertegenwoordiger van de onderneming "
        "zijn. De Hoofdtoegangsbeheerder:",
        "stelt de Toegangsbeheerders aan die zorgen voor het toegangsbeheer in de domeinen die hen "
        "toegewezen zijn, en",
        "kan een of meerdere Co-hoofdtoegangsbeheerders aanstellen om hem te helpen.",
        'Als u zichzelf niet als Hoofdtoegangsbeheerder wilt aanstellen, kies dan de optie "Andere persoon" '
        "en vul het formulier in.",
        "Hoofdtoegangsbeheerder",
        "Marc Vermeulen",
        "Andere persoon",
        "Rijksregisternummer *",
        "(11 cijfers)",
        "E-mail *",
        *CAMPAIGNS_NOTE,
        "Telefoon *",
        "Uw contactgegevens",
        "Naam",
        "Marc Vermeulen",
        "Rijksregisternummer",
        "E-mail *",
        *CAMPAIGNS_NOTE,
        OWN_NOTE,
        "Telefoon *",
        "Volgende",
    ]
    assert missing_in_order(page, words) is None, missing_in_order(page, words)
    assert "Wanneer u uzelf aanstelt" not in page  # no sentence the manual does not have
    assert 'class="other-person"' in page and 'class="note-self"' in page and "note-other" in page


def test_step_2_preselects_ones_own_name(client, fresh):
    page = client.get(draft_url(start(client, fresh.rep))).text
    assert re.search(r'<input[^>]*value="SELF"[^>]*checked', page)
    assert not re.search(r'<input[^>]*value="OTHER"[^>]*checked', page)


def test_an_htb_appointing_another_has_other_person_preselected(client, world):
    htb = world.main.htb
    world.main.enterprise.legal_mandates.update(person=htb)  # the HTB is also the legal representative
    page = client.get(draft_url(start(client, htb, world.main.enterprise.kbo))).text
    assert re.search(r'<input[^>]*value="OTHER"[^>]*checked', page)
    assert 'value="SELF"' not in page


def test_no_choice_gets_a_message_that_names_the_field_and_links_to_the_radio(client, fresh):
    registration = draft_url(start(client, fresh.rep))
    response = client.post(registration, {k: v for k, v in SELF.items() if k != "choice"})
    assert response.status_code == 200
    page = response.text
    assert '<a href="#id_choice_0">Kies wie Hoofdtoegangsbeheerder wordt.</a>' in page
    assert 'id="id_choice_0"' in page and 'aria-describedby="id_choice_error"' in page
    assert "Dit veld is verplicht." not in page and 'href="#"' not in page


def test_choosing_oneself_ignores_what_the_hidden_fields_hold(client, fresh):
    registration = draft_url(start(client, fresh.rep))
    response = client.post(registration, {**SELF, "htb_insz": "niet-een-nummer", "htb_email": "geen"})
    assert response.status_code == 302
    draft = HtbDraft.objects.get()
    assert (draft.choice, draft.htb_insz, draft.htb_email) == ("SELF", fresh.rep.insz, "directie@delinde.be")


def test_appoint_oneself_3_2_2(client, fresh, django_capture_on_commit_callbacks):
    registration = draft_url(start(client, fresh.rep))
    response = client.post(registration, SELF)
    assert response["Location"] == registration.replace("registratie", "bevestiging")
    confirmation = client.get(response["Location"]).text
    assert "Registratie onderneming in CSAM - Bevestiging" in confirmation
    assert "directie@delinde.be" in confirmation and "Activeringsvoorwaarden" in confirmation
    assert "Uw contactgegevens" not in confirmation

    refused = client.post(response["Location"], {})
    assert refused.status_code == 200 and "Ja, ik bevestig" in refused.text
    assert not HtbAppointment.objects.exists()

    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(response["Location"], {"confirm": "on"})
    page = client.get(done["Location"]).text
    assert "Hoofdtoegangsbeheerder aangesteld!" in page
    assert "Uw onderneming, VZW ZORGNETWERK DE LINDE is nu geactiveerd in CSAM." in page
    assert "U hebt uzelf aangesteld als Hoofdtoegangsbeheerder." in page
    assert "directie@delinde.be verstuurd worden" in page
    appointment = HtbAppointment.objects.get()
    assert (appointment.person, appointment.email) == (fresh.rep, "directie@delinde.be")
    assert [m.to for m in mail.outbox] == [["directie@delinde.be"]]
    assert "U hebt uzelf aangesteld" in mail.outbox[0].body
    assert StructuredMessage.objects.filter(recipient=fresh.rep).count() == 1


def test_appoint_another_person_3_2_3(client, fresh, django_capture_on_commit_callbacks):
    registration = draft_url(start(client, fresh.rep))
    confirmation_url = client.post(registration, other(fresh.employee))["Location"]
    page = client.get(confirmation_url).text
    assert "Els Janssens" in page and "Uw contactgegevens" in page and "marc@delinde.be" in page
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(confirmation_url, {"confirm": "on"})
    page = client.get(done["Location"]).text
    assert "U hebt Els Janssens aangesteld als Hoofdtoegangsbeheerder." in page
    assert "is verzonden naar els@delinde.be" in page
    by_recipient = {m.to[0]: m for m in mail.outbox}
    assert set(by_recipient) == {"els@delinde.be", "marc@delinde.be"}
    to_els = OutboxMail.objects.get(recipient="els@delinde.be")
    assert to_els.language == "fr"  # Els's language
    assert "Gestionnaire d'Accès Principal" in to_els.subject and "VZW ZORGNETWERK DE LINDE" in to_els.subject
    assert (
        "CSAM" in by_recipient["marc@delinde.be"].subject
        and "aanstelling" in by_recipient["marc@delinde.be"].subject
    )
    assert "Els Janssens" in by_recipient["marc@delinde.be"].body


def test_verbeteren_keeps_the_answers(client, fresh):
    registration = draft_url(start(client, fresh.rep))
    client.post(registration, other(fresh.employee))
    page = client.get(registration).text
    assert f'value="{insz_format(fresh.employee.insz)}"' in page and 'value="els@delinde.be"' in page
    assert re.search(r'<input[^>]*value="OTHER"[^>]*checked', page)
    assert not re.search(r'<input[^>]*value="SELF"[^>]*checked', page)


@pytest.mark.parametrize(
    ("answers", "message"),
    [
        (
            {"htb_insz": "", "htb_email": "", "htb_phone": ""},
            "Vul het rijksregisternummer van de Hoofdtoegangsbeheerder in.",
        ),
        ({"htb_email": ""}, "Vul het e-mailadres van de Hoofdtoegangsbeheerder in."),
        ({"htb_phone": ""}, "Vul het telefoonnummer van de Hoofdtoegangsbeheerder in."),
        ({"requester_phone": ""}, "Vul uw telefoonnummer in."),
        ({"htb_insz": "82.09.21-124.62"}, "controlegetal"),
        ({"htb_insz": "85.07.30-033.28"}, "niet gekend in het rijksregister"),
        ({"htb_email": "<script>alert(1)</script>@x.be"}, "e-mailadres"),
        ({"htb_phone": "bel me"}, "geldig telefoonnummer"),
        ({"htb_email": "a" * 250 + "@x.be"}, "niet meer dan 254 tekens"),
    ],
)
def test_step_2_refuses_bad_input_and_keeps_it(client, fresh, answers, message):
    registration = draft_url(start(client, fresh.rep))
    response = client.post(registration, other(fresh.employee, **answers))
    assert response.status_code == 200
    assert message in response.text
    assert "<script>alert(1)</script>" not in response.text
    assert 'value="marc@delinde.be"' in response.text  # the input is kept
    assert HtbDraft.objects.get().choice == ""


def test_the_htb_must_be_an_employee_or_legal_representative(client, fresh):
    registration = draft_url(start(client, fresh.rep))
    response = client.post(registration, other(fresh.stranger))
    assert "werknemer of wettelijke vertegenwoordiger" in response.text


def test_own_number_as_other_person_is_refused(client, fresh):
    registration = draft_url(start(client, fresh.rep))
    assert "eigen rijksregisternummer" in client.post(registration, other(fresh.rep)).text


def test_already_registered_shows_the_current_htb(client, world):
    main = world.main
    page = client.get(draft_url(start(client, main.legal_rep, main.enterprise.kbo))).text
    assert "Deze onderneming is al geregistreerd in CSAM." in page
    assert main.htb.full_name in page


def test_the_current_htb_cannot_appoint_themselves_again(client, world):
    """A legal representative who is HTB gets the manual's message and only "Andere persoon"."""
    main = world.main
    enterprises.legal_mandate_add(
        enterprise=main.enterprise, person=main.htb, function="Bestuurder", start_date=date(2015, 1, 1)
    )
    registration = draft_url(start(client, main.htb, main.enterprise.kbo))
    page = client.get(registration).text
    assert (
        "U bent al gekend als Hoofdtoegangsbeheerder voor deze onderneming. U kan een andere persoon" in page
    )
    assert 'value="SELF"' not in page
    response = client.post(registration, {**SELF})
    assert response.status_code == 200 and not HtbDraft.objects.get().choice
    client.post(registration, other(main.employee))
    client.post(registration.replace("registratie", "bevestiging"), {"confirm": "on"})
    assert HtbAppointment.objects.current().get(enterprise=main.enterprise).person == main.employee


def test_replacing_the_htb_keeps_the_history(client, world):
    main = world.main
    registration = draft_url(start(client, main.legal_rep, main.enterprise.kbo))
    client.post(registration, other(main.employee))
    client.post(registration.replace("registratie", "bevestiging"), {"confirm": "on"})
    history = HtbAppointment.objects.filter(enterprise=main.enterprise).order_by("started_at")
    assert [(a.person, a.ended_at is None) for a in history] == [(main.htb, False), (main.employee, True)]


def test_reloading_and_double_submit_never_appoint_twice(client, fresh):
    registration = draft_url(start(client, fresh.rep))
    client.post(registration, SELF)
    confirmation = registration.replace("registratie", "bevestiging")
    first = client.post(confirmation, {"confirm": "on"})
    second = client.post(confirmation, {"confirm": "on"})
    assert first["Location"] == second["Location"]
    for _ in range(3):
        assert client.get(first["Location"]).status_code == 200
    assert HtbAppointment.objects.count() == 1
    assert OutboxMail.objects.count() == 1
    assert client.post(registration, SELF)["Location"].endswith("/aangesteld/")  # no more answers


def test_a_draft_of_another_person_is_not_found(client, fresh, world):
    registration = draft_url(start(client, fresh.rep))
    client.force_login(world.main.legal_rep)
    for step in ("registratie", "bevestiging", "aangesteld"):
        assert client.get(registration.replace("registratie", step)).status_code == 404
    assert client.post(registration, SELF).status_code == 404
    assert client.get(f"{START}{uuid.uuid4()}/registratie/").status_code == 404
    assert client.get(f"{START}niet-een-uuid/registratie/").status_code == 404


def test_the_rules_are_checked_again_on_confirmation(client, fresh):
    registration = draft_url(start(client, fresh.rep))
    client.post(registration, other(fresh.employee))
    fresh.employee.employments.update(end_date=date(2020, 1, 1))  # left in the meantime
    response = client.post(registration.replace("registratie", "bevestiging"), {"confirm": "on"})
    assert response.status_code == 200 and "werknemer of wettelijke vertegenwoordiger" in response.text
    assert not HtbAppointment.objects.exists()


def test_every_step_is_audited(client, fresh):
    registration = draft_url(start(client, fresh.rep))
    client.post(registration, SELF)
    client.post(registration.replace("registratie", "bevestiging"), {"confirm": "on"})
    actions = list(AuditEvent.objects.order_by("id").values_list("action", flat=True))
    assert actions[-3:] == ["htb_procedure.start", "htb_procedure.answer", "htb.appoint"]


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_confirmations_appoint_once(fresh):
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL; CI runs this test there")
    from django.test import Client

    client = Client()
    registration = draft_url(start(client, fresh.rep))
    client.post(registration, SELF)
    confirmation = registration.replace("registratie", "bevestiging")
    cookies = client.cookies
    results = []

    def submit():
        other_client = Client()
        other_client.cookies = cookies
        results.append(other_client.post(confirmation, {"confirm": "on"}).status_code)
        connection.close()

    threads = [threading.Thread(target=submit) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == [302, 302]
    assert HtbAppointment.objects.count() == 1
    assert OutboxMail.objects.count() == 1


def test_co_htbs(client, world):
    main = world.main
    url = f"/beheer-toegangsbeheerders/ondernemingen/{main.enterprise.kbo}/co-hoofdtoegangsbeheerders/"
    client.force_login(main.htb)
    page = client.get(url).text
    assert main.co_htb.full_name in page
    assert "niet gekend in het rijksregister" in client.post(url, {"insz": "85.07.30-033.28"}).text
    assert "werknemer of wettelijke vertegenwoordiger" in client.post(url, {"insz": world.nobody.insz}).text
    assert client.post(url, {"insz": main.employee.insz})["Location"] == url
    assert CoHtbAppointment.objects.current().filter(enterprise=main.enterprise).count() == 2
    appointment = CoHtbAppointment.objects.current().get(person=main.employee)
    assert client.post(f"{url}{appointment.pk}/verwijderen/")["Location"] == url
    appointment.refresh_from_db()
    assert appointment.ended_at is not None
    client.force_login(
        main.co_htb
    )  # a co-HTB may appoint co-HTBs too; only the HTB's own appointment is not theirs
    client.post(url, {"insz": main.sb.insz})
    assert CoHtbAppointment.objects.current().filter(person=main.sb).exists()
    client.force_login(world.nobody)
    assert client.post(url, {"insz": main.tb.insz}).status_code == 404
    assert not CoHtbAppointment.objects.filter(person=main.tb).exists()
    client.force_login(main.employee)  # removed: loses access at the next request
    assert client.get(url).status_code == 404
    client.force_login(world.outsider.htb)
    assert client.get(url).status_code == 404


def test_mailbox_only_in_demo_mode(client, settings):
    assert client.get("/mailbox/").status_code == 200
    settings.DEMO_MODE = False
    assert client.get("/mailbox/").status_code == 404


def test_step_4_links_where_the_manual_shows_links(client, fresh):
    """3.2.2: csam.be, the gebruikershandleiding (Help), the three management systems and "(meer
    informatie)" are links; the rest is text, in the manual's order."""
    registration = draft_url(start(client, fresh.rep))
    confirmation = client.post(registration, SELF)["Location"]
    page = client.get(client.post(confirmation, {"confirm": "on"})["Location"]).text
    vlaams = reverse("elsewhere-gebruikersbeheer-vlaamse-overheid")
    for link in (
        '<a href="/">csam.be</a>',
        f'<a href="{reverse("help")}#h-3-2-4">gebruikershandleiding</a>',
        f'<a href="{reverse("subdivisions:quality")}">Toegangsbeheer voor Ondernemingen en Organisaties</a>',
        f'<a href="{reverse("elsewhere-mijn-egov-rollenbeheer")}">Mijn eGov-rollenbeheer</a>',
        f'<a href="{vlaams}">Gebruikersbeheer van de Vlaamse overheid</a>',
        f'(meer <a href="{vlaams}">informatie</a>)',
    ):
        assert link in page, link
    words = [
        "Hoofdtoegangsbeheerder aangesteld!",
        "Uw onderneming, VZW ZORGNETWERK DE LINDE is nu geactiveerd in CSAM.",
        "U hebt uzelf aangesteld als Hoofdtoegangsbeheerder.",
        "csam.be laat U:",
        "Toegangsbeheerders aanstellen",
        "de toegang van uw medewerkers tot de onlinediensten aanpassen, en/of",
        "een andere Hoofdtoegangsbeheerder aanstellen.",
        "Raadpleeg de gebruikershandleiding voor meer informatie over het beheer van de beheerders.",
        "Om de toegangen van uw medewerkers te beheren, meldt u zich aan op het geschikte beheersysteem:",
        "Voor de Sociale Zekerheid: Toegangsbeheer voor Ondernemingen en Organisaties",
        "Voor de onlinediensten van financiën, mobiliteit en bepaalde onlinediensten van het Brusselse en "
        "het Waalse Gewest: Mijn eGov-rollenbeheer",
        "Andere specifieke systemen:",
        "Voor de onlinediensten van de Vlaamse overheid: Gebruikersbeheer van de Vlaamse overheid (meer informatie)",
    ]
    assert missing_in_order(page, words) is None, missing_in_order(page, words)


# Issue 17: the errors of the four steps, as a screen reader meets them.


def described_by_points_at_real_ids(html: str) -> None:
    ids = set(re.findall(r' id="([^"]+)"', html))
    for value in re.findall(r'aria-describedby="([^"]+)"', html):
        for target in value.split():
            assert target in ids, f"aria-describedby names {target!r}, which the page does not have"


def test_each_step_has_its_own_title_and_errors_say_fout(client, fresh):
    client.force_login(fresh.rep)
    start_page = client.get(START)
    registration = start(client, fresh.rep)
    url = draft_url(registration)
    titles = {
        "start": re.search(r"<title>(.*?)</title>", start_page.text).group(1),
        "registration": re.search(r"<title>(.*?)</title>", client.get(url).text).group(1),
    }
    client.post(url, SELF)
    confirmation = client.get(draft_url(registration, "bevestiging"))
    titles["confirmation"] = re.search(r"<title>(.*?)</title>", confirmation.text).group(1)
    # Unticked, the box sends nothing: only the CSRF token (which the test client does not check).
    refused = client.post(draft_url(registration, "bevestiging"), {"csrfmiddlewaretoken": "-"})
    assert refused.status_code == 200
    refused_title = re.search(r"<title>(.*?)</title>", refused.text).group(1)
    assert refused_title == "Fout: " + titles["confirmation"]
    # "Ja, ik bevestig": its aria-describedby names the message under it.
    assert 'aria-describedby="id_confirm_error"' in refused.text and 'id="id_confirm_error"' in refused.text
    described_by_points_at_real_ids(refused.text)
    done = client.post(draft_url(registration, "bevestiging"), {"confirm": "on"}, follow=True)
    titles["done"] = re.search(r"<title>(.*?)</title>", done.text).group(1)
    assert len(set(titles.values())) == 4, titles
    assert not any(title.startswith("Fout") for title in titles.values())


def test_the_radios_error_links_to_the_first_radio_and_names_the_field(client, fresh):
    url = draft_url(start(client, fresh.rep))
    response = client.post(url, {"requester_email": "a@b.be", "requester_phone": "03 450 12 10"})
    summary = re.search(
        r'<div class="error-summary"[^>]*tabindex="-1">(.*?)</div>', response.text, re.S
    ).group(1)
    assert (
        '<a href="#id_choice_0">Kies wie Hoofdtoegangsbeheerder wordt.</a>' in summary  # it names the field
    )
    assert 'id="id_choice_0"' in response.text
    assert response.text.count("<title>Fout: ") == 1
    described_by_points_at_real_ids(response.text)


def test_contact_fields_say_what_they_are_for_autofill(client, fresh):
    page = client.get(draft_url(start(client, fresh.rep))).text
    assert re.search(r'<input type="email" name="requester_email"[^>]*autocomplete="email"', page)
    assert re.search(r'<input type="tel" name="requester_phone"[^>]*autocomplete="tel"', page)
    # Another person's details are not the browser's to fill in.
    assert re.search(r'<input type="email" name="htb_email"[^>]*autocomplete="off"', page)


# --- the service's own rules, whatever the form let through ------------------------------------------


def _service_draft(fresh):
    from administrators import procedure

    return procedure, procedure.htb_draft_start(actor=fresh.rep, kbo=fresh.enterprise.kbo)


@pytest.mark.parametrize(
    ("answers", "field", "message"),
    [
        ({"htb_phone": "12345678"}, "htb_phone", "geldig telefoonnummer"),  # 8 digits: the old HTB rule's
        ({"htb_phone": "0" * 16}, "htb_phone", "geldig telefoonnummer"),
        ({"htb_phone": ""}, "htb_phone", "verplicht"),
        ({"requester_phone": "bel me"}, "requester_phone", "geldig telefoonnummer"),
        ({"choice": "BOTH"}, "choice", "Kies wie Hoofdtoegangsbeheerder wordt."),
    ],
)
def test_the_service_refuses_bad_answers_in_dutch(fresh, answers, field, message):
    from accessportal.services import ServiceError

    procedure, draft = _service_draft(fresh)
    with pytest.raises(ServiceError) as refused:
        procedure.htb_draft_answer(actor=fresh.rep, draft=draft, **other(fresh.employee, **answers))
    assert list(refused.value.message_dict) == [field] and message in refused.value.messages[0]
    draft.refresh_from_db()
    assert draft.choice == "" and draft.htb_phone == ""


def test_the_service_maps_self_to_ones_own_contact_details(fresh):
    """SELF: the HTB's details are those typed as "Uw contactgegevens"; the hidden fields are ignored."""
    procedure, draft = _service_draft(fresh)
    draft = procedure.htb_draft_answer(
        actor=fresh.rep, draft=draft, htb_email="els@delinde.be", htb_phone="bel me", **SELF
    )
    assert (draft.htb_insz, draft.htb_email, draft.htb_phone) == (
        fresh.rep.insz,
        "directie@delinde.be",
        "+32 3 450 12 10",
    )
    assert (draft.requester_email, draft.requester_phone) == ("directie@delinde.be", "+32 3 450 12 10")
