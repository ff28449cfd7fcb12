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
