"""The eHealth contact center (manual 5.1.1, figure 3): the web form, its tickets, their attachments,
and the helpdesk of the simulation where trainers answer them."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import Resolver404, resolve

from accessportal.models import AuditEvent, OutboxMail
from helpdesk import views
from helpdesk.models import Ticket
from tests.conftest import trainer_create

pytestmark = pytest.mark.django_db

CONTACT = "/contactcenter-ehealth/"
SENT = "/contactcenter-ehealth/verzonden/"
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 20
EXE = (
    b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00"
    + b"\x00" * 100
    + b"This program cannot be run"
)
ELF = b"\x7fELF\x02\x01\x01" + b"\x00" * 100


def answers(**changes) -> dict:
    return {
        "last_name": "Peeters",
        "first_name": "An",
        "phone": "+32 470 12 34 56",
        "email": "an.peeters@example.be",
        "subject": "Geen toegang tot eVIPA",
        "reference": "",
        "message": "Mijn collega kan niet aanmelden op eVIPA. Wat ontbreekt er?",
        **changes,
    }


def upload(name: str, content: bytes, content_type: str = "application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def test_the_form_has_the_manual_s_fields_the_tip_and_the_help_box(client):
    page = client.get(CONTACT).content.decode()
    assert "<h1>Neem contact op met de openbare instelling eHealth-platform</h1>" in page
    for legend in ("Uw gegevens", "Uw vraag"):
        assert f"<legend>{legend}</legend>" in page
    for label in ("Naam *", "Voornaam *", "Tel nr of gsm *", "e-mail *", "Onderwerp *", "Uw bericht *"):
        assert f">{label}</label>" in page
    assert ">Ticketnummer</label>" in page and ">Een bestand toevoegen</label>" in page
    assert "Referentie van uw aanvraag tijdens uw eerste uitwisseling met het eHealth-contactcenter" in page
    assert "TIP!</strong> Wij raden aan minstens een melding te doen via het webformulier" in page
    assert "HULP NODIG ?" in page and "Maandag tot vrijdag" in page and "07:00 tot 20:00" in page
    assert "+32-2-788 51 55" in page
    assert 'enctype="multipart/form-data"' in page


def test_a_signed_in_person_finds_their_data_filled_in(client, world):
    person = world.main.htb
    client.force_login(person)
    page = client.get(CONTACT).content.decode()
    assert f'value="{person.last_name}"' in page and f'value="{person.email}"' in page


def test_an_empty_form_is_refused_field_by_field_and_nothing_is_stored(client):
    response = client.post(CONTACT, {})
    assert response.status_code == 200
    page = response.content.decode()
    for message in (
        "Geef uw naam in.",
        "Geef uw voornaam in.",
        "Geef uw telefoon- of gsm-nummer in.",
        "Geef uw e-mailadres in.",
        "Geef het onderwerp van uw vraag in.",
        "Schrijf uw bericht.",
    ):
        assert message in page
    assert not Ticket.objects.exists() and not OutboxMail.objects.exists()


def test_a_wrong_phone_or_e_mail_is_refused_next_to_the_field(client):
    page = client.post(CONTACT, answers(phone="bel me", email="an@")).content.decode()
    assert "Geef een geldig telefoonnummer in" in page
    assert "Geef een geldig e-mailadres in." in page
    assert 'value="Geen toegang tot eVIPA"' in page  # the answers are kept
    assert not Ticket.objects.exists()


def test_a_question_becomes_a_ticket_with_a_number_mailed_to_the_sender(client):
    response = client.post(CONTACT, {**answers(), "attachment": upload("scherm.pdf", PDF)})
    assert response.status_code == 302 and response["Location"] == SENT
    ticket = Ticket.objects.get()
    assert re.fullmatch(r"EH-\d{4}-\d{6}", ticket.number)
    assert (ticket.last_name, ticket.subject, ticket.status) == ("Peeters", "Geen toegang tot eVIPA", "open")
    page = client.get(SENT).content.decode()
    assert ticket.number in page and "an.peeters@example.be" in page
    mail = OutboxMail.objects.get(recipient="an.peeters@example.be")
    assert ticket.number in mail.subject and ticket.number in mail.body
    assert "Beste An Peeters," in mail.body
    assert AuditEvent.objects.filter(action="helpdesk.ticket_create", target_id=str(ticket.pk)).exists()
    # The attachment: the sniffed type, a random name of our own under MEDIA_ROOT, not under static.
    assert (ticket.attachment_type, ticket.attachment_size, ticket.attachment_name) == (
        "application/pdf",
        len(PDF),
        "scherm.pdf",
    )
    stored = Path(ticket.attachment.path)
    assert stored.read_bytes() == PDF
    assert stored.is_relative_to(Path(settings.MEDIA_ROOT)) and "scherm" not in stored.name
    assert re.fullmatch(r"[0-9a-f]{32}", stored.name)


def test_the_confirmation_shows_only_the_sender_s_own_ticket(client):
    assert client.get(SENT)["Location"] == CONTACT


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("setup.exe", EXE),
        ("rapport.pdf", EXE),  # an executable with another name
        ("programma", ELF),
        ("foto.pdf", PNG),  # the name does not agree with the content
        ("script.sh", b"#!/bin/sh\nrm -rf /\n"),
        ("pagina.html", b"<html><script>alert(1)</script></html>"),
    ],
)
def test_an_executable_or_another_kind_of_file_is_refused_in_dutch(client, name, content):
    response = client.post(CONTACT, {**answers(), "attachment": upload(name, content)})
    assert response.status_code == 200
    assert "Dit bestand kan niet worden toegevoegd. Voeg een PDF, een afbeelding (PNG of JPEG)" in (
        response.content.decode()
    )
    assert not Ticket.objects.exists() and not OutboxMail.objects.exists()
    assert not list(Path(settings.MEDIA_ROOT).rglob("*")) if Path(settings.MEDIA_ROOT).exists() else True


def test_an_oversized_attachment_is_refused(client):
    big = PDF + b"0" * (5 * 1024 * 1024)
    response = client.post(CONTACT, {**answers(), "attachment": upload("groot.pdf", big)})
    assert response.status_code == 200
    assert "Het bestand is te groot: ten hoogste 5 MB." in response.content.decode()
    assert not Ticket.objects.exists()


@pytest.mark.parametrize(
    ("name", "content", "kind"),
    [("scherm.png", PNG, "image/png"), ("notities.txt", "Geen toegang, zie €\n".encode(), "text/plain")],
)
def test_an_image_or_a_text_is_accepted(client, name, content, kind):
    assert client.post(CONTACT, {**answers(), "attachment": upload(name, content)}).status_code == 302
    assert Ticket.objects.get().attachment_type == kind


def test_many_questions_in_an_hour_are_refused(client, monkeypatch):
    monkeypatch.setattr(views, "HOURLY_LIMIT", 2)
    for _ in range(2):
        assert client.post(CONTACT, answers()).status_code == 302
    response = client.post(CONTACT, answers())
    assert response.status_code == 200 and "U hebt het afgelopen uur al veel vragen verstuurd" in (
        response.content.decode()
    )
    assert Ticket.objects.count() == 2


def test_no_url_serves_the_uploaded_files():
    assert settings.MEDIA_ROOT
    assert not str(settings.MEDIA_ROOT).startswith(str(settings.STATIC_ROOT))
    for path in ("/media/helpdesk/x", f"/{Path(settings.MEDIA_ROOT).name}/helpdesk/x"):
        with pytest.raises(Resolver404):
            resolve(path)


# --- The helpdesk of the simulation --------------------------------------------------------------


def sent_ticket(client, **changes) -> Ticket:
    attachment = changes.pop("attachment", None)
    data = {**answers(**changes), **({"attachment": attachment} if attachment else {})}
    assert client.post(CONTACT, data).status_code == 302
    return Ticket.objects.order_by("-id").first()


def test_a_trainer_sees_answers_and_the_sender_gets_the_answer(client, world):
    ticket = sent_ticket(client, attachment=upload("scherm.pdf", PDF))
    trainer = trainer_create("Tine")
    client.force_login(trainer)
    listing = client.get("/opleiding/helpdesk/").content.decode()
    assert ticket.number in listing and "Geen toegang tot eVIPA" in listing
    assert '<td data-label="Status">Open</td>' in listing
    detail = client.get(f"/opleiding/helpdesk/{ticket.number}/").content.decode()
    assert "Mijn collega kan niet aanmelden op eVIPA" in detail and "+32 470 12 34 56" in detail

    refused = client.post(f"/opleiding/helpdesk/{ticket.number}/", {"body": ""})
    assert refused.status_code == 200 and "Schrijf uw antwoord." in refused.content.decode()

    response = client.post(
        f"/opleiding/helpdesk/{ticket.number}/", {"body": "Uw collega heeft nog geen recht op VIPA."}
    )
    assert response.status_code == 302
    ticket.refresh_from_db()
    assert ticket.status == "beantwoord"
    page = client.get(f"/opleiding/helpdesk/{ticket.number}/").content.decode()
    assert "Uw collega heeft nog geen recht op VIPA." in page and "Antwoord van Tine" in page
    mail = OutboxMail.objects.filter(recipient="an.peeters@example.be").order_by("-created_at").first()
    assert "antwoord op uw vraag" in mail.subject and "Uw collega heeft nog geen recht op VIPA." in mail.body
    assert AuditEvent.objects.filter(action="helpdesk.ticket_answer", actor=trainer).exists()
    answered = client.get("/opleiding/helpdesk/", {"status": "beantwoord"}).content.decode()
    assert ticket.number in answered and '<td data-label="Status">Beantwoord (1)</td>' in answered


def test_a_trainer_downloads_an_attachment_never_inline(client):
    ticket = sent_ticket(client, attachment=upload("scherm.pdf", PDF))
    client.force_login(trainer_create("Tine"))
    response = client.get(f"/opleiding/helpdesk/{ticket.number}/bijlage/")
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="{ticket.number}-bijlage.pdf"'
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == PDF


def test_a_ticket_refers_to_the_earlier_one_by_its_number(client):
    first = sent_ticket(client)
    second = sent_ticket(client, reference=first.number, subject="Nog steeds geen toegang")
    client.force_login(trainer_create("Tine"))
    page = client.get(f"/opleiding/helpdesk/{second.number}/").content.decode()
    assert f'href="/opleiding/helpdesk/{first.number}/">{first.number}</a>' in page


def test_nobody_but_a_trainer_sees_a_ticket(client, world):
    ticket = sent_ticket(client, attachment=upload("scherm.pdf", PDF))
    client.force_login(world.main.htb)
    for path in (
        "/opleiding/helpdesk/",
        f"/opleiding/helpdesk/{ticket.number}/",
        f"/opleiding/helpdesk/{ticket.number}/bijlage/",
    ):
        assert client.get(path).status_code == 404
    assert client.post(f"/opleiding/helpdesk/{ticket.number}/", {"body": "x"}).status_code == 404
    ticket.refresh_from_db()
    assert ticket.status == "open"
