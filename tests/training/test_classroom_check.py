"""`make classroom-check` reads the trainer's pages as a trainer's browser gets them: its parsers must
keep up with the dashboard's and the cards' markup (the check itself runs outside `make test`)."""

import importlib.util
from pathlib import Path

import pytest

from administrators import services as administrators
from tests.conftest import trainer_create
from tests.training.sandboxes import built
from training import services as training

pytestmark = pytest.mark.django_db

CHECK = Path(__file__).resolve().parents[2] / "deploy" / "classroom_check.py"


@pytest.fixture(scope="module")
def check():
    spec = importlib.util.spec_from_file_location("classroom_check", CHECK)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_check_reads_every_card_and_the_steps_the_dashboard_shows(client, catalogue, check):
    trainer = trainer_create("Tine")
    classroom = built(trainer, size=2)
    first = classroom.sandboxes.get(number=1)
    representative = training.legal_representative_of(first)
    administrators.htb_appoint(
        actor=representative,
        enterprise=first.enterprise,
        person=representative,
        email=representative.email,
        phone="02 123 45 67",
    )
    client.force_login(trainer)

    cards = check.cards(_Page(client), f"/opleiding/klassen/{classroom.pk}/")
    assert set(cards) == {1, 2}
    assert (
        cards[1]["pin"] == first.pin
        and cards[1]["insz"].replace(".", "").replace("-", "") == representative.insz
    )
    assert cards[1]["kbo"].replace(".", "") == first.enterprise.kbo

    page = client.get(f"/opleiding/klassen/{classroom.pk}/?acties=behouden", HTTP_HX_REQUEST="true").text
    assert check.dashboard_steps(page) == {1: {"htb"}, 2: set()}


class _Page:
    """The check's Browser.get, answered by Django's test client."""

    def __init__(self, client):
        self.client = client

    def get(self, path):
        return self.client.get(path)
