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
    "runOnly": {
        "type": "tag",
        "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"],
    },
    "resultTypes": ["violations"],
}


PAGE_FACTS = """() => {
    const summary = document.querySelector('.error-summary, .app-error-summary');
    const links = summary ? [...summary.querySelectorAll('a[href^="#"]')] : [];
    return {
        title: document.title,
        h1: document.querySelectorAll('h1').length,
        summary: !!summary,
        summaryFocused: !!summary && document.activeElement === summary,
        deadLinks: links.filter(a => a.getAttribute('href') === '#'
                                     || !document.getElementById(a.getAttribute('href').slice(1)))
                        .map(a => a.getAttribute('href')),
    };
}"""
# At 320 px: nothing when the page does not scroll sideways, else the elements that stick out.
TOO_WIDE = """() => {
    const width = document.documentElement.clientWidth;
    if (document.documentElement.scrollWidth <= width) return null;
    const clipped = el => {
        for (let up = el.parentElement; up && up !== document.body; up = up.parentElement) {
            if (getComputedStyle(up).overflowX !== 'visible' && up.getBoundingClientRect().right <= width + 1) return true;
        }
        return false;
    };
    const out = [...document.body.querySelectorAll('*')].filter(
        el => el.getBoundingClientRect().right > width + 1 && !clipped(el));
    const outermost = out.filter(el => !out.includes(el.parentElement));
    return outermost.slice(0, 4).map(el => el.tagName.toLowerCase() + (el.className ? '.' + el.className : '')
                                          + ' ' + Math.round(el.getBoundingClientRect().right) + 'px');
}"""
WIDE = {"width": 1280, "height": 800}
NARROW = {"width": 320, "height": 640}


def audit(axe, visit: Visit, page, violations, problems, titles) -> None:
    """axe-core's rules, then what axe cannot know: one h1, the error summary focused with "Fout: " in
    the title and links that lead somewhere, no sideways scrolling at 320 px (WCAG 1.4.10)."""
    results = axe.run(page, options=AXE_OPTIONS).response
    for violation in results["violations"]:
        for node in violation["nodes"]:
            violations[violation["id"]].append(
                f"{visit.name} [{visit.level}]: {', '.join(map(str, node['target']))}"
            )
    facts = page.evaluate(PAGE_FACTS)
    where = f"{visit.name} [{visit.level}]"
    if facts["h1"] != 1:
        problems.append(f"{where}: {facts['h1']} h1")
    if facts["summary"]:
        if not facts["title"].startswith("Fout: "):
            problems.append(f"{where}: an error summary, but the title is {facts['title']!r}")
        if not facts["summaryFocused"]:
            problems.append(f"{where}: the error summary does not have the focus")
        if facts["deadLinks"]:
            problems.append(f"{where}: the error summary links to nothing: {facts['deadLinks']}")
    elif facts["title"].startswith("Fout: "):
        problems.append(f"{where}: 'Fout: ' in the title without an error summary")
    if " (" not in visit.name:  # a screen's own title; a sent form may land on another screen
        titles[facts["title"]].add(visit.name)
    page.set_viewport_size(NARROW)
    overflow = page.evaluate(TOO_WIDE)
    page.set_viewport_size(WIDE)
    if overflow:
        problems.append(f"{where}: scrolls sideways at 320 px: {overflow}")


def shared_titles(titles) -> list[str]:
    return [f"{title!r} on {sorted(names)}" for title, names in titles.items() if len(names) > 1]


def test_every_screen_and_error_state_passes_axe(portal, live_server, world):
    axe = Axe()
    violations: dict[str, list[str]] = defaultdict(list)
    problems: list[str] = []

    titles: dict[str, set[str]] = defaultdict(set)

    def check(visit: Visit, page) -> None:
        audit(axe, visit, page, violations, problems, titles)

    portal.set_viewport_size(WIDE)
    visits = walk(portal, world, live_server.url, check, errors=True)
    problems.extend(shared_titles(titles))
    report = {key: len(nodes) for key, nodes in sorted(violations.items())}
    if os.environ.get("A11Y_REPORT"):
        with open(os.environ["A11Y_REPORT"], "w") as out:
            json.dump(
                {
                    "pages": len(visits),
                    "violations": violations,
                    "problems": problems,
                    "titles": {t: sorted(n) for t, n in titles.items()},
                },
                out,
                indent=1,
            )
    assert not violations, f"{len(visits)} pages; axe: {report}\n" + "\n".join(
        f"{key}: {nodes[:5]}" for key, nodes in violations.items()
    )
    assert not problems, "\n".join(problems)


def test_the_wizards_later_steps_and_the_pages_after_a_form_pass_axe(portal, live_server):
    call_command("seed_demo")
    axe = Axe()
    violations: dict[str, list[str]] = defaultdict(list)
    problems: list[str] = []
    titles: dict[str, set[str]] = defaultdict(set)
    visits = []
    portal.set_viewport_size(WIDE)
    for visit in demo_journeys(portal, live_server.url):
        visits.append(visit)
        audit(axe, visit, portal, violations, problems, titles)
    problems.extend(shared_titles(titles))
    if os.environ.get("A11Y_REPORT"):
        with open(os.environ["A11Y_REPORT"] + ".journeys", "w") as out:
            json.dump({"pages": len(visits), "violations": violations, "problems": problems}, out, indent=1)
    assert not violations, f"{len(visits)} pages\n" + "\n".join(
        f"{key}: {nodes[:5]}" for key, nodes in violations.items()
    )
    assert not problems, "\n".join(problems)
