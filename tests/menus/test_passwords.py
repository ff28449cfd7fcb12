""" "Beheer van de wachtwoorden": the toegangsbeheerder resets a user's password; the user gets a mail
through the outbox with a one-time link, valid for 24 hours, and chooses a new password by the
portal's rules."""

import re
from datetime import timedelta

import pytest

from accessportal import clock
from accessportal.models import AuditEvent, OutboxMail
from accessportal.services import ServiceError
from identity.models import Person
from identity.services import password_sign_in
from users.services import user_password_reset

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Lindeboom-2026!"


def passwords_url(world) -> str:
    return f"/toegangsbeheer/hoedanigheden/{world.main.activation.pk}/wachtwoorden/"


def confirm_url(world, user) -> str:
    return f"{passwords_url(world)}{user.pk}/"


@pytest.fixture
def user_with_password(world):
    person = world.main.user_person
    person.username = "gebruiker.een"
    person.set_password("Oud-wachtwoord-1")
    person.save()
    return person


def link_in(mail: OutboxMail) -> str:
    match = re.search(r"http://testserver(/wachtwoord-opnieuw-instellen/[^/\s]+/[^/\s]+/)", mail.body)
    assert match, mail.body
    return match.group(1)


def links_to(address: str) -> set[str]:
    return {link_in(mail) for mail in OutboxMail.objects.filter(recipient=address)}


def test_the_whole_reset_from_the_menu_to_the_new_password_and_a_second_use_refused(
    client, world, user_with_password, frozen_clock
):
    main = world.main
    client.force_login(main.tb)
    page = client.get(passwords_url(world), {"insz": user_with_password.insz_display}).text
    assert "<h1>Beheer van de wachtwoorden</h1>" in page
    assert confirm_url(world, main.user) in page
    confirm = client.get(confirm_url(world, main.user)).text
    assert (
        "Wachtwoord opnieuw instellen" in confirm and main.user.email in confirm and "Bevestigen" in confirm
    )
    done = client.post(confirm_url(world, main.user))
    assert done.status_code == 302
    assert "werd opnieuw ingesteld" in client.get(done["Location"]).text

    mail = OutboxMail.objects.get(recipient=main.user.email, subject__contains="nieuw wachtwoord")
    assert mail.person == user_with_password
    assert "één keer" in mail.body and "24 uur" in mail.body and main.tb.full_name in mail.body
    assert not Person.objects.get(pk=user_with_password.pk).check_password("Oud-wachtwoord-1")  # dead
    event = AuditEvent.objects.get(action="person.password_reset")
    assert event.actor == main.tb and event.enterprise_kbo == main.enterprise.kbo
    assert "password" not in str(event.after).replace("usable_password", "")

    client.logout()
    link = link_in(mail)
    step = client.get(link)
    assert step.status_code == 302 and step["Location"].endswith("/nieuw/")
    form = client.get(step["Location"])
    assert "Een nieuw wachtwoord kiezen" in form.text and "gebruiker.een" in form.text
    weak = client.post(step["Location"], {"new_password1": "12345678901", "new_password2": "12345678901"})
    assert weak.status_code == 200 and "enkel uit cijfers" in weak.text
    assert not Person.objects.get(pk=user_with_password.pk).has_usable_password()
    different = client.post(step["Location"], {"new_password1": NEW_PASSWORD, "new_password2": "anders-1234"})
    assert (
        different.status_code == 200
        and not Person.objects.get(pk=user_with_password.pk).has_usable_password()
    )
    saved = client.post(step["Location"], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert saved.status_code == 302 and saved["Location"] == "/aanmelden/gebruikersnaam/"
    assert password_sign_in(username="gebruiker.een", password=NEW_PASSWORD) == user_with_password
    assert AuditEvent.objects.filter(
        action="person.password_reset_complete", actor=user_with_password
    ).exists()

    again = client.get(link)  # the link served once
    assert again.status_code == 200 and "Deze link is niet meer geldig" in again.text
    assert client.get(step["Location"]).text.count("Deze link is niet meer geldig") == 1


def test_the_link_expires_after_24_hours_and_a_newer_link_replaces_it(
    client, world, user_with_password, frozen_clock
):
    main = world.main
    user_password_reset(actor=main.tb, user=main.user, site_url="http://testserver/")
    (first,) = links_to(main.user.email)
    user_password_reset(actor=main.tb, user=main.user, site_url="http://testserver/")
    (second,) = links_to(main.user.email) - {first}  # the clock stands still: both mails share a moment
    assert "Deze link is niet meer geldig" in client.get(first).text  # the newer one replaced it
    frozen_clock.advance(hours=24, minutes=1)
    assert "Deze link is niet meer geldig" in client.get(second).text


def test_signing_in_with_eid_in_between_keeps_the_link_valid(client, world, user_with_password, frozen_clock):
    main = world.main
    user_password_reset(actor=main.tb, user=main.user, site_url="http://testserver/")
    link = link_in(OutboxMail.objects.filter(recipient=main.user.email).latest("created_at"))
    person = Person.objects.get(pk=user_with_password.pk)
    person.last_login = clock.now() + timedelta(minutes=5)
    person.save(update_fields=["last_login"])
    assert client.get(link).status_code == 302


def test_an_altered_link_changes_nothing(client, world, user_with_password):
    main = world.main
    user_password_reset(actor=main.tb, user=main.user, site_url="http://testserver/")
    link = link_in(OutboxMail.objects.filter(recipient=main.user.email).latest("created_at"))
    uid = link.split("/")[2]
    for bad in (
        link[:-3] + "xx/",
        f"/wachtwoord-opnieuw-instellen/{uid}/nieuw/",
        "/wachtwoord-opnieuw-instellen/!!/x/",
    ):
        response = client.get(bad)
        assert response.status_code == 200 and "Deze link is niet meer geldig" in response.text


def test_only_users_of_subafdelingen_the_administrator_manages(client, world, user_with_password):
    main, outsider = world.main, world.outsider
    client.force_login(outsider.htb)
    assert client.post(confirm_url(world, main.user)).status_code == 404
    client.force_login(main.tb)
    foreign = f"{passwords_url(world)}{outsider.user.pk}/"
    assert client.post(foreign).status_code == 404
    client.force_login(main.sb)  # manages the subafdeling, not the hoedanigheid: not this screen
    assert client.get(passwords_url(world)).status_code == 404
    with pytest.raises(ServiceError):
        user_password_reset(actor=outsider.tb, user=main.user, site_url="http://testserver/")
    with pytest.raises(ServiceError):
        user_password_reset(actor=main.user_person, user=main.user, site_url="http://testserver/")
    assert not OutboxMail.objects.filter(subject__contains="nieuw wachtwoord").exists()
    assert Person.objects.get(pk=user_with_password.pk).check_password("Oud-wachtwoord-1")


def test_a_person_without_a_username_chooses_one_with_the_password(client, world):
    main = world.main
    person = main.user_person
    assert not person.username
    user_password_reset(actor=main.htb, user=main.user, site_url="http://testserver/")
    link = link_in(OutboxMail.objects.filter(recipient=main.user.email).latest("created_at"))
    step = client.get(link)["Location"]
    passwords = {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    bad = client.post(step, {"username": "josé.peeters", **passwords})
    assert bad.status_code == 200 and "Een gebruikersnaam bestaat enkel uit letters" in bad.text
    assert not Person.objects.get(pk=person.pk).has_usable_password()
    done = client.post(step, {"username": "nieuwe.naam", **passwords})
    assert done.status_code == 302
    assert password_sign_in(username="nieuwe.naam", password=NEW_PASSWORD) == person
