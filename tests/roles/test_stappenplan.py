import pytest
from django.core.management import call_command

from roles.selectors import next_step, stappenplan
from tests.factories import EnterpriseFactory, HtbAppointmentFactory

pytestmark = pytest.mark.django_db


def test_a_new_enterprise_starts_at_step_one():
    steps = stappenplan(EnterpriseFactory())
    assert not any(step.done for step in steps)
    assert next_step(steps).manual == "2.1.1"


def test_after_the_htb_the_hoedanigheid_is_next(client):
    appointment = HtbAppointmentFactory()
    steps = stappenplan(appointment.enterprise)
    assert [s.done for s in steps][:2] == [True, False]
    assert next_step(steps).title == "Hoedanigheid activeren"
    client.force_login(appointment.person)
    page = client.get(f"/toegangsbeheer/ondernemingen/{appointment.enterprise.kbo}/stappenplan/").text
    assert (
        f'href="/toegangsbeheer/ondernemingen/{appointment.enterprise.kbo}/">Hoedanigheid activeren</a>'
        in page
    )
    assert "Volgende stap" in page


def test_st_barbara_has_done_every_step(client):
    call_command("seed_demo")
    from enterprises.models import Enterprise

    barbara = Enterprise.objects.get(kbo="0422152314")
    steps = stappenplan(barbara)
    assert all(step.done for step in steps)
    broeders = stappenplan(Enterprise.objects.get(kbo="0406633304"))
    assert next_step(broeders).manual == "2.1.4"  # a subafdeling, no users with rights yet


def test_the_goal_is_reached_when_a_user_signed_in_to_an_application(client):
    from accessportal.identifiers import insz_compact
    from enterprises.models import Enterprise
    from identity.models import Person

    call_command("seed_demo")
    barbara = Enterprise.objects.get(kbo="0422152314")
    jan = Person.objects.get(insz=insz_compact("79.02.28-135.19"))
    client.force_login(jan)
    url = f"/toegangsbeheer/ondernemingen/{barbara.kbo}/stappenplan/"
    assert 'class="goal done"' not in client.get(url).text
    client.force_login(Person.objects.get(insz=insz_compact("87.11.30-091.40")))  # Freddy, with his role
    assert client.get("/toepassingen/belrai/aan-de-slag/").status_code == 200
    client.force_login(jan)
    assert 'class="goal done"' in client.get(url).text
