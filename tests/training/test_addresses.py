"""The address trainees type on their own laptops (training.addresses.classroom_address) and its QR
code, on /opleiding/ and on every printed card."""

import re
import socket

import pytest
from django.test import RequestFactory
from django.urls import reverse

from tests.conftest import trainer_create
from tests.training.sandboxes import built
from training import addresses

pytestmark = pytest.mark.django_db


@pytest.fixture
def trainer(catalogue):
    return trainer_create("Tine")


def request_for(host: str, secure: bool = False):
    return RequestFactory().get("/opleiding/", HTTP_HOST=host, secure=secure)


@pytest.fixture
def lan(monkeypatch):
    monkeypatch.setattr(addresses, "lan_address", lambda: "192.168.1.30")


@pytest.fixture(autouse=True)
def _hosts(settings):
    settings.ALLOWED_HOSTS = ["*"]
    settings.CLASSROOM_URL = ""


def test_the_configured_classroom_url_wins(settings, lan):
    settings.CLASSROOM_URL = "http://10.0.0.2:8000"
    assert addresses.classroom_address(request_for("127.0.0.1:8000")) == "http://10.0.0.2:8000/"
    settings.CLASSROOM_URL = "http://10.0.0.2:8000/"
    assert addresses.classroom_address(request_for("example.test")) == "http://10.0.0.2:8000/"


def test_a_host_other_than_loopback_is_the_address(lan):
    assert addresses.classroom_address(request_for("192.168.1.20:8000")) == "http://192.168.1.20:8000/"
    assert addresses.classroom_address(request_for("opleiding.example.be")) == "http://opleiding.example.be/"
    assert (
        addresses.classroom_address(request_for("opleiding.example.be", secure=True))
        == "https://opleiding.example.be/"
    )


@pytest.mark.parametrize("host", ["127.0.0.1:8000", "localhost:8000", "[::1]:8000", "127.0.1.1:8000"])
def test_a_loopback_host_becomes_the_lan_address_with_the_same_port(lan, host):
    assert addresses.classroom_address(request_for(host)) == "http://192.168.1.30:8000/"


def test_without_a_lan_address_the_loopback_one_stays(monkeypatch):
    monkeypatch.setattr(addresses, "lan_address", lambda: None)
    assert addresses.classroom_address(request_for("127.0.0.1:8000")) == "http://127.0.0.1:8000/"
    assert addresses.classroom_address(request_for("[::1]:8000")) == "http://[::1]:8000/"


class FakeSocket:
    """A UDP socket whose route lookup answers ``address`` (or fails); it records what it was asked."""

    def __init__(self, address=None, error=None):
        self.address, self.error, self.connected = address, error, None

    def __call__(self, family, kind):
        assert (family, kind) == (socket.AF_INET, socket.SOCK_DGRAM)
        return self

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def connect(self, target):
        if self.error:
            raise self.error
        self.connected = target

    def getsockname(self):
        return (self.address, 43210)


def test_the_lan_address_is_a_route_lookup(monkeypatch):
    fake = FakeSocket("192.168.1.44")
    monkeypatch.setattr(addresses.socket, "socket", fake)
    assert addresses.lan_address() == "192.168.1.44"
    assert fake.connected == addresses.ROUTE_PROBE  # UDP connect: nothing is sent
    monkeypatch.setattr(addresses.socket, "socket", FakeSocket("127.0.0.1"))
    assert addresses.lan_address() is None
    monkeypatch.setattr(addresses.socket, "socket", FakeSocket(error=OSError("network unreachable")))
    assert addresses.lan_address() is None


def test_the_qr_code_is_inline_svg_without_script_or_style():
    svg = addresses.qr_svg("http://192.168.1.30:8000/", title="QR-code van http://192.168.1.30:8000/")
    assert svg.startswith("<svg") and 'class="qr"' in svg and "viewBox" in svg
    assert "<script" not in svg and "style=" not in svg
    assert "<title>QR-code van http://192.168.1.30:8000/</title>" in svg


def test_the_trainer_page_and_every_card_show_the_address_and_its_qr_code(client, trainer, lan):
    classroom = built(trainer, size=2)
    client.force_login(trainer)
    home = client.get(reverse("training:home"), HTTP_HOST="127.0.0.1:8000").text
    assert "http://192.168.1.30:8000/" in home and re.search(r'<svg viewBox="[^"]+" class="qr">', home)
    cards = client.get(
        reverse("training:cards", kwargs={"classroom_id": classroom.pk}), HTTP_HOST="127.0.0.1:8000"
    ).text
    assert cards.count('class="qr"') == 2
    assert cards.count("http://192.168.1.30:8000/aanmelden/") >= 2
    assert "127.0.0.1" not in cards
    assert (
        "http://192.168.1.30:8000/"
        in client.get(
            reverse("training:classroom", kwargs={"classroom_id": classroom.pk}), HTTP_HOST="localhost:8000"
        ).text
    )
