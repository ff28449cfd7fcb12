"""WCAG 2.2 A/AA and axe-core's best practices on every screen of the access matrix and every form's
error state (issue 17): axe-core runs in the page (the copy axe-playwright-python bundles), and any
violation of any impact fails. The same walk checks what axe cannot: one h1 per page, a distinct
title per screen, "Fout: " in the title and the focus on the error summary when a form has errors."""

import json
import os
from collections import defaultdict

import pytest
from axe_playwright_python.sync_playwright import Axe

from django.core.management import call_command

from tests.e2e.screens import Visit, demo_journeys, walk

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]},
    "resultTypes": ["violations"],
}


def audit(axe, visit: Visit, page, violations, problems) -> None:
    results = axe.run(page, options=AXE_OPTIONS).response
    for violation in results["violations"]:
        for node in violation["nodes"]:
            violations[violation["id"]].append(f"{visit.name} [{visit.level}]: {', '.join(map(str, node['target']))}")
    h1s = page.locator("h1").count()
    if h1s != 1:
        problems.append(f"{visit.name}: {h1s} h1")


def test_every_screen_and_error_state_passes_axe(portal, live_server, world):
    axe = Axe()
    violations: dict[str, list[str]] = defaultdict(list)
    problems: list[str] = []

    def check(visit: Visit, page) -> None:
        results = axe.run(page, options=AXE_OPTIONS).response
        for violation in results["violations"]:
            for node in violation["nodes"]:
                violations[violation["id"]].append(f"{visit.name} [{visit.level}]: {', '.join(map(str, node['target']))}")
        h1s = page.locator("h1").count()
        if h1s != 1:
            problems.append(f"{visit.name}: {h1s} h1")

    visits = walk(portal, world, live_server.url, check, errors=True)
    report = {key: len(nodes) for key, nodes in sorted(violations.items())}
    if os.environ.get("A11Y_REPORT"):
        with open(os.environ["A11Y_REPORT"], "w") as out:
            json.dump({"pages": len(visits), "violations": violations, "problems": problems,
                       "titles": [(v.name, portal and v.url) for v in visits]}, out, indent=1)
    assert not violations, f"{len(visits)} pages; axe: {report}\n" + "\n".join(
        f"{key}: {nodes[:5]}" for key, nodes in violations.items()
    )
    assert not problems, "\n".join(problems)


def test_the_wizards_later_steps_and_the_pages_after_a_form_pass_axe(portal, live_server):
    call_command("seed_demo")
    axe = Axe()
    violations: dict[str, list[str]] = defaultdict(list)
    problems: list[str] = []
    visits = []
    for visit in demo_journeys(portal, live_server.url):
        visits.append(visit)
        audit(axe, visit, portal, violations, problems)
    if os.environ.get("A11Y_REPORT"):
        with open(os.environ["A11Y_REPORT"] + ".journeys", "w") as out:
            json.dump({"pages": len(visits), "violations": violations, "problems": problems}, out, indent=1)
    assert not violations, f"{len(visits)} pages\n" + "\n".join(f"{key}: {nodes[:5]}" for key, nodes in violations.items())
    assert not problems, "\n".join(problems)
