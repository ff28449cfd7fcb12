"""The user's edit page says what the applications see of each right while a change waits."""

import pytest

from accessportal.propagation import propagations_apply_due
from users import services as users

pytestmark = pytest.mark.django_db


def edit_url(side) -> str:
    return f"/toegangsbeheer/subafdelingen/{side.subafdeling.pk}/gebruikers/{side.user.pk}/bewerken/"


def test_a_new_right_shows_when_it_takes_effect(client, frozen_clock, world):
    client.force_login(world.main.sb)
    page = client.get(edit_url(world.main)).text
    assert "opgeslagen, van kracht om 10:20" in page
    frozen_clock.advance(minutes=20)
    propagations_apply_due()
    page = client.get(edit_url(world.main)).text
    assert "opgeslagen, van kracht" not in page and "(van kracht)" in page


def test_a_removed_right_is_unticked_and_shows_until_when_it_still_works(client, frozen_clock, world):
    side = world.main
    frozen_clock.advance(minutes=20)
    propagations_apply_due()
    users.user_update(
        actor=side.sb, user=side.user, email=side.user.email, local_email="", language="nl", applications=[]
    )
    client.force_login(side.sb)
    page = client.get(edit_url(side)).text
    assert "verwijderd, nog van kracht tot 10:40" in page
    assert "checked" not in page.split("Beveiligde toepassingen", 1)[1].split("</fieldset>", 1)[0]
