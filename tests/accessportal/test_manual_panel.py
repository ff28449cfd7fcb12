"""The scenario panel of training mode quotes the manual's sections as Help renders them: whole,
readable, with a link to open the section in Help."""

import pytest

from accessportal.manual import manual_section
from training.models import Scenario
from training.scenarios import STEPS, PanelStep

pytestmark = pytest.mark.django_db


def test_each_step_quotes_its_whole_rendered_section():
    for steps in STEPS.values():
        for step in steps:
            section = PanelStep(step, done=False).section
            assert section is manual_section(step.manual)
            assert section.html.strip()


def test_the_scenario_page_quotes_the_sections_whole_with_a_link_to_help(client, world):
    _trainer, _classroom, _sandbox, trainee = world.training
    client.force_login(trainee)
    html = client.get("/opleiding/zandbak/scenario/").content.decode()
    section = manual_section("3.2.2")
    assert section.html in html  # the whole section, not an excerpt cut mid-sentence
    assert "Uit de handleiding (3.2.2): Registratie van de aanvraag" in html
    assert '<figure class="manual-scherm">' in html and "**" not in html
    assert 'href="/toegangsbeheer/help/#h-3-2-2">Handleiding 3.2.2 in de Help</a>' in html


def test_the_side_panel_under_the_portal_menu_quotes_the_current_step(client, world):
    _trainer, _classroom, _sandbox, trainee = world.training
    client.force_login(trainee)
    html = client.get("/beheer-toegangsbeheerders/").content.decode()
    assert '<details class="sandbox-excerpt sandbox-manual">' in html
    assert manual_section(STEPS[Scenario.HTB][0].manual).html in html
