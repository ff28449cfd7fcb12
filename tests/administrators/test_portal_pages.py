"""The enterprise and hoedanigheid levels of the portal and the hoedanigheid activation (manual 3.3)."""

import pytest

from accessportal.models import AuditEvent
from administrators.models import HoedanigheidActivation

pytestmark = pytest.mark.django_db


def enterprise_url(world):
    return f"/toegangsbeheer/ondernemingen/{world.main.enterprise.kbo}/"


def activate_url(world):
    return f"/toegangsbeheer/ondernemingen/{world.main.enterprise.kbo}/hoedanigheid-activeren/"


def test_enterprise_page_offers_the_hoedanigheden_not_yet_active(client, world):
    client.force_login(world.main.htb)
    page = client.get(enterprise_url(world)).text
    assert f"Benaming: <strong>{world.main.enterprise.name}</strong>" in page
    assert "eHealth Gezondheidszorg" in page  # active, in the table
    assert 'value="jeugdhulp"' in page and 'value="ehealth-gezondheidszorg"' not in page
    assert "De hoedanigheid activeren" in page


def test_activate_jeugdhulp_volgende_opslaan_bevestigen(client, world):
    client.force_login(world.main.co_htb)  # a co-HTB may do what the HTB does here
    form = client.get(activate_url(world), {"hoedanigheid": "jeugdhulp"})
    assert form.status_code == 200 and "Opslaan" in form.text
    assert f'value="{world.main.enterprise.email}"' in form.text
    bad = client.post(
        activate_url(world), {"hoedanigheid": "jeugdhulp", "email": "<b>geen-mail</b>", "action": "opslaan"}
    )
    assert bad.status_code == 200 and "e-mailadres" in bad.text and "<b>geen-mail</b>" not in bad.text
    overview = client.post(
        activate_url(world), {"hoedanigheid": "jeugdhulp", "email": "jeugd@hoofdzorg.be", "action": "opslaan"}
    )
    assert "Bevestigen" in overview.text and "jeugd@hoofdzorg.be" in overview.text
    assert not HoedanigheidActivation.objects.filter(hoedanigheid__code="jeugdhulp").exists()  # Opslaan alone
    answers = overview.context["answers"]
    done = client.post(
        activate_url(world), {"hoedanigheid": "jeugdhulp", "answers": answers, "action": "bevestigen"}
    )
    activation = HoedanigheidActivation.objects.get(
        enterprise=world.main.enterprise, hoedanigheid__code="jeugdhulp"
    )
    assert done["Location"] == f"/toegangsbeheer/hoedanigheden/{activation.pk}/"
    assert activation.email == "jeugd@hoofdzorg.be" and activation.activated_by == world.main.co_htb
    page = client.get(done["Location"]).text
    assert "De hoedanigheid Jeugdhulp werd geactiveerd." in page
    assert "als Lokale Beheerder voor de volgende hoedanigheid" in page
    again = client.post(
        activate_url(world), {"hoedanigheid": "jeugdhulp", "answers": answers, "action": "bevestigen"}
    )
    assert again.status_code == 302  # a second Bevestigen: nothing new, no error page
    assert HoedanigheidActivation.objects.filter(hoedanigheid__code="jeugdhulp").count() == 1
    assert AuditEvent.objects.filter(action="hoedanigheid.activate").count() == 3  # two worlds + this one


def test_tampered_answers_change_nothing(client, world):
    client.force_login(world.main.htb)
    overview = client.post(
        activate_url(world), {"hoedanigheid": "jeugdhulp", "email": "jeugd@hoofdzorg.be", "action": "opslaan"}
    )
    answers = overview.context["answers"]
    forged = answers.replace(answers[5], "X" if answers[5] != "X" else "Y", 1)
    response = client.post(
        activate_url(world), {"hoedanigheid": "jeugdhulp", "answers": forged, "action": "bevestigen"}
    )
    assert response["Location"] == enterprise_url(world)
    other = client.post(
        activate_url(world),
        {"hoedanigheid": "residentiele-zorginstelling", "answers": answers, "action": "bevestigen"},
    )
    assert other["Location"] == enterprise_url(world)
    assert not HoedanigheidActivation.objects.filter(
        hoedanigheid__code__in=["jeugdhulp", "residentiele-zorginstelling"]
    ).exists()


def test_an_already_active_hoedanigheid_cannot_be_chosen(client, world):
    client.force_login(world.main.htb)
    response = client.get(activate_url(world), {"hoedanigheid": "ehealth-gezondheidszorg"})
    assert response["Location"] == enterprise_url(world)


@pytest.mark.parametrize("level", ["tb", "sb", "user_person", "legal_rep", "outsider_htb"])
def test_only_the_htb_and_co_htbs_reach_the_enterprise_level(client, world, level):
    client.force_login(world.persona(level))
    assert client.get(enterprise_url(world)).status_code == 404
    assert client.get(activate_url(world), {"hoedanigheid": "jeugdhulp"}).status_code == 404


def test_hoedanigheid_page(client, world):
    client.force_login(world.main.tb)
    page = client.get(f"/toegangsbeheer/hoedanigheden/{world.main.activation.pk}/").text
    assert "Welkom" in page and world.main.tb.full_name in page
    for label in ("Benaming", "Ondernemingsnummer", "Creatiedatum", "E-mailadres", "Functionaliteiten"):
        assert label in page
    assert "Hoedanigheidsbeheer" in page
    assert world.main.activation.email in page


def test_a_removed_co_htb_loses_access_at_the_next_request(client, world):
    from administrators import services

    client.force_login(world.main.co_htb)
    assert client.get(enterprise_url(world)).status_code == 200
    appointment = world.main.enterprise.co_htb_appointments.get(person=world.main.co_htb)
    services.co_htb_remove(actor=world.main.htb, appointment=appointment)
    assert client.get(enterprise_url(world)).status_code == 404
