"""Every "Help" link and every "Handleiding x.y" link of the portal opens an existing section of the
manual: in the templates as written, in the views' ``help_section`` values, in the sections the chain's
diagnosis, the stappenplan, the dashboard and the scenarios name, and on every page as served."""

import re
from pathlib import Path

import pytest
from django.conf import settings

from accessportal.manual import manual_anchor, manual_anchors
from tests.test_access_matrix import expectation_for, iter_routes, sample_path

BASE = Path(settings.BASE_DIR)
APPS = ["accessportal", "identity", "enterprises", "administrators", "subdivisions", "users", "roles"]
APPS += ["training", "helpdesk"]
HELP_LINK = re.compile(r"/toegangsbeheer/help/(?:\?[^\"#]*)?#([\w-]+)")


def templates():
    return sorted((BASE / "templates").rglob("*.html"))


def test_the_templates_link_to_existing_sections():
    anchors = manual_anchors()
    found = []
    for template in templates():
        text = template.read_text(encoding="utf-8")
        for anchor in re.findall(r"\{% url 'help' %\}#(h-[\d-]+)", text):
            found.append((template.name, anchor))
        for number in re.findall(r"'([\d.]+)'\|manual_anchor", text):
            found.append((template.name, manual_anchor(number)))
        for anchor in re.findall(r"help_section\|default:'([\w-]+)'", text):
            found.append((template.name, anchor))
        for anchor in re.findall(r"\{\{ help_url \}\}#(h-[\d-]+)", text):
            found.append((template.name, anchor))
    assert len(found) > 10
    missing = [(name, anchor) for name, anchor in found if anchor not in anchors]
    assert not missing, missing


def test_the_views_help_sections_exist():
    """``help_section`` values in the views (the portal header's "Help" link), whatever their form."""
    anchors = manual_anchors()
    values = [
        (module.name, value)
        for app in APPS
        for module in (BASE / app).rglob("*.py")
        for line in module.read_text(encoding="utf-8").splitlines()
        if "help_section" in line
        for value in re.findall(r'"(h-[\w-]+)"', line)
    ]
    assert len(values) > 10
    missing = [(name, value) for name, value in values if value not in anchors]
    assert not missing, missing


def test_the_sections_named_by_the_chain_the_stappenplan_the_dashboard_and_the_scenarios_exist():
    from training.scenarios import STEPS
    from training.selectors import PROGRESS

    anchors = manual_anchors()
    numbers = [step.manual for steps in STEPS.values() for step in steps]
    numbers += [step.manual for step in PROGRESS]
    for source in ("roles/access.py", "roles/selectors.py", "roles/progress.py"):
        numbers += re.findall(r'"(\d+(?:\.\d+)+)"', (BASE / source).read_text(encoding="utf-8"))
    assert len(numbers) > 20
    missing = [number for number in numbers if manual_anchor(number) not in anchors]
    assert not missing, missing


CRAWLED = ["anonymous", "legal_rep", "htb", "tb", "sb", "user_person", "trainer", "trainee"]


@pytest.mark.django_db
@pytest.mark.parametrize("level", CRAWLED)
def test_every_help_link_on_every_page_opens_its_section(client, world, level):
    """Every page a persona can open (the access matrix's routes), as served: each link to Help names
    an existing section."""
    anchors = manual_anchors()
    person = world.persona(level)
    if person is not None:
        client.force_login(person)
    seen, broken = 0, []
    for key, pattern in iter_routes():
        expect = expectation_for(key)
        if expect.method != "get" or expect.for_level(level) != 200:
            continue
        path = sample_path(pattern, expect.kwargs(world))
        response = client.get(path)
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        for anchor in HELP_LINK.findall(response.content.decode()):
            seen += 1
            if anchor not in anchors:
                broken.append(f"{path}: #{anchor}")
    assert seen, f"no Help link on any page for {level}"
    assert not broken, "\n".join(broken)
