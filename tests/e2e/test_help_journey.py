"""Help reads like the manual: a trainee looks up De Linde in KBO Public Search from the manual's
3.2.2, finds Marc Vermeulen as legal representative, then starts 3.2.2 from the Help page; and Help,
the scenario panel, the contact form and the search pages read well at 1280 px and at 320 px, without
horizontal scrolling."""

import os
import re
import shutil

import pytest
from django.core.management import call_command
from playwright.sync_api import Page, expect

from accessportal.identifiers import insz_format
from tests.conftest import classroom_with_sandbox

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

MARC_INSZ = "75.03.12-033.39"


@pytest.fixture
def shots(portal, tmp_path):
    """``shots(name)``: a full-page screenshot into HELP_SHOTS_DIR when it is set, to look at.

    Only then: a full-page shot of the whole manual takes seconds on a loaded machine and nothing reads it.
    """

    def take(name: str) -> None:
        if not os.environ.get("HELP_SHOTS_DIR"):
            return
        path = tmp_path / f"{name}.png"
        portal.screenshot(path=path, full_page=True)
        shutil.copy(path, os.environ["HELP_SHOTS_DIR"])

    return take


OVERFLOWING = """() => {
  const width = document.documentElement.clientWidth, out = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const range = document.createRange();
    range.selectNodeContents(node);
    const right = node.nodeType === 1 ? node.getBoundingClientRect().right : range.getBoundingClientRect().right;
    const element = node.nodeType === 1 ? node : node.parentElement;
    if (right > width + 0.5) out.push(`${element.tagName}.${element.className} ${Math.round(right)}`);
  }
  return out.slice(0, 5);
}"""


def no_horizontal_scroll(page: Page) -> None:
    wide = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert wide <= 0, f"{page.url} scrolls {wide}px sideways: {page.evaluate(OVERFLOWING)}"


def test_a_trainee_checks_de_linde_in_kbo_public_search_then_starts_3_2_2_from_help(portal, shots):
    call_command("seed_demo")
    portal.set_viewport_size({"width": 1280, "height": 900})
    portal.goto(portal.url_for("/toegangsbeheer/help/"))
    expect(portal.get_by_role("heading", level=1)).to_contain_text("Handleiding Toegangsbeheer eHealth")

    # The search of the manual finds where it speaks of KBO Public Search.
    portal.get_by_label("Zoeken in de handleiding").fill("KBO Public Search")
    portal.get_by_role("button", name="Zoeken").click()
    results = portal.locator("section.manual-results")
    expect(results.get_by_role("heading")).to_have_text("Zoekresultaten voor “KBO Public Search”")
    expect(results.locator("mark").first).to_have_text("KBO")
    shots("help-search-1280")
    results.get_by_role("link", name=re.compile(r"^3\.2\.2 Registratie van de aanvraag")).click()
    expect(portal).to_have_url(re.compile(r"#h-3-2-2$"))
    section = portal.locator("#h-3-2-2")
    expect(section.get_by_role("heading", level=4)).to_contain_text("duidt zichzelf aan als HTB")

    # From the manual's own screen to KBO Public Search, and De Linde.
    section.get_by_role("link", name="KBO Public Search").first.click()
    expect(portal.get_by_role("heading", level=1)).to_have_text("KBO Public Search")
    portal.get_by_label("Ondernemingsnummer of naam").fill("De Linde")
    portal.get_by_role("button", name="Zoeken").click()
    entry = portal.locator("article.register-entry").filter(has_text="VZW ZORGNETWERK DE LINDE")
    expect(entry).to_contain_text("0812.345.603")
    expect(entry).to_contain_text("Lindelaan 12, 2000 Antwerpen")
    marc = entry.locator("tbody tr").filter(has_text="Marc Vermeulen")
    expect(marc).to_contain_text("Bestuurder")
    expect(entry).not_to_contain_text("75.03.12")
    shots("kbo-de-linde-1280")

    # Back to Help, 3.2.2 from its contents, and its first step: CSAM's home page.
    portal.get_by_role("link", name="Help").click()
    portal.locator(".manual-toc-wide").get_by_role("link", name=re.compile(r"^3\.2\.2 ")).click()
    portal.locator("#h-3-2-2").get_by_role("link", name="https://www.csam.be/nl").click()
    expect(portal.get_by_role("heading", level=1)).to_have_text(
        "CSAM, de toegangspoort tot de diensten van de overheid"
    )
    portal.get_by_role("link", name="Aan de slag").nth(1).click()
    expect(portal.get_by_role("heading", level=1)).to_have_text("Beheer der Toegangsbeheerders")
    expect(portal.get_by_role("link", name="Step-by-Step Guide")).to_have_attribute(
        "href", "/toegangsbeheer/help/#h-3-2"
    )
    portal.get_by_role("link", name="Een Hoofdtoegangsbeheerder aanstellen", exact=True).click()
    portal.get_by_role("link", name="Aanmelden met eID").click()
    portal.get_by_label("Rijksregisternummer").fill(MARC_INSZ)
    portal.get_by_label("PIN-code").fill("1234")
    portal.get_by_role("button", name="Aanmelden", exact=True).click()
    expect(portal.get_by_role("heading", level=1)).to_have_text("Een Hoofdtoegangsbeheerder aanstellen")
    portal.get_by_label("Ondernemingsnummer").fill("0812.345.603")
    portal.get_by_role("button", name="Een Hoofdtoegangsbeheerder aanstellen").click()
    expect(portal.get_by_role("heading", level=1)).to_have_text("Registratie onderneming in CSAM")
    expect(portal.get_by_role("radio", name="Marc Vermeulen", exact=True)).to_be_visible()


PAGES = [
    ("help", "/toegangsbeheer/help/"),
    ("help-3-3", "/toegangsbeheer/help/#h-3-3"),
    ("help-search", "/toegangsbeheer/help/?zoek=hoedanigheid+activeren"),
    ("kbo", "/kbo-public-search/?zoek=0406.633.304"),
    ("cobrha", "/cobrha-viewer/?zoek=0406.633.304"),
    ("contact-errors", None),
    ("departement-zorg", "/departement-zorg/"),
    ("wat-is-csam", "/wat-is-csam/"),
    ("csam-contact", "/contact/"),
    ("egov", "/extern/mijn-egov-rollenbeheer/"),
]


@pytest.mark.parametrize("width", [1280, 320])
def test_the_pages_read_well_without_horizontal_scrolling(portal, shots, width):
    call_command("seed_demo")
    portal.set_viewport_size({"width": width, "height": 900})
    for name, path in PAGES:
        if path is None:  # the contact form, sent empty: every message next to its field
            portal.goto(portal.url_for("/contactcenter-ehealth/"))
            portal.get_by_role("button", name="Verzenden").click()
            expect(portal.get_by_role("alert")).to_contain_text("Geef uw naam in.")
        else:
            portal.goto(portal.url_for(path))
        no_horizontal_scroll(portal)
        shots(f"{name}-{width}")
    if width == 320:  # the contents fold away above the manual on a narrow screen
        portal.goto(portal.url_for("/toegangsbeheer/help/"))
        expect(portal.locator(".manual-toc-wide")).to_be_hidden()
        portal.locator(".manual-toc-narrow summary").click()
        portal.locator(".manual-toc-narrow").get_by_role("link", name=re.compile(r"^3\.6\.1 ")).click()
        expect(portal).to_have_url(re.compile(r"#h-3-6-1$"))
        expect(portal.locator("#h-3-6-1")).to_be_in_viewport()


@pytest.mark.parametrize("width", [1280, 320])
def test_the_scenario_panel_quotes_the_manual_readably(portal, shots, width):
    _trainer, _classroom, sandbox, trainee = classroom_with_sandbox("Opleider")
    portal.set_viewport_size({"width": width, "height": 900})
    portal.goto(portal.url_for("/aanmelden/eid/?next=/opleiding/zandbak/scenario/"))
    portal.get_by_label("Rijksregisternummer").fill(insz_format(trainee.insz))
    portal.get_by_label("PIN-code").fill(sandbox.pin)
    portal.get_by_role("button", name="Aanmelden", exact=True).click()
    current = portal.locator(".sandbox-step.current")
    quote = current.locator("details.sandbox-manual")
    expect(quote).to_have_attribute("open", "")
    expect(quote.locator(".manual-body")).to_contain_text("Ga naar https://www.csam.be/nl")
    font = quote.locator(".manual-body > ul > li").first.evaluate(
        "p => parseFloat(getComputedStyle(p).fontSize)"
    )
    assert font >= 15, f"the manual's text in the panel is {font}px"
    no_horizontal_scroll(portal)
    shots(f"panel-full-{width}")
    portal.goto(portal.url_for("/beheer-toegangsbeheerders/"))
    top = portal.locator(".sandbox-panel-top")
    top.locator("details.sandbox-manual summary").click()
    expect(top.locator(".manual-body")).to_be_visible()
    no_horizontal_scroll(portal)
    shots(f"panel-top-{width}")
    top.get_by_role("link", name="Handleiding 3.2.2 in de Help").click()
    expect(portal).to_have_url(re.compile(r"/toegangsbeheer/help/#h-3-2-2$"))
