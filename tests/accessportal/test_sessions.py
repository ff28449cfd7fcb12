"""Sessions are read through the cache (cached_db): what the cache holds never outlives the session."""

import pytest
from django.conf import settings
from django.test import Client

pytestmark = pytest.mark.django_db

WELCOME = "/toegangsbeheer/"


def test_a_signed_out_session_is_not_read_back_from_the_cache(world):
    browser = Client()
    browser.force_login(world.main.htb)
    assert browser.get(WELCOME).status_code == 200
    stolen = browser.cookies[settings.SESSION_COOKIE_NAME].value
    assert browser.post("/afmelden/").status_code == 302
    replay = Client()
    replay.cookies[settings.SESSION_COOKIE_NAME] = stolen
    assert replay.get(WELCOME).status_code == 302  # to the sign-in page


def test_a_session_of_a_changed_password_is_refused_though_cached(world):
    browser = Client()
    browser.force_login(world.main.htb)
    assert browser.get(WELCOME).status_code == 200
    world.main.htb.set_password("een heel ander wachtwoord")
    world.main.htb.save()
    assert browser.get(WELCOME).status_code == 302
