"""Help: the manual as a document (accessportal/manual.py, docs/handleiding/), its contents and its
search."""

import re

import pytest
from django.urls import Resolver404, resolve

from accessportal import manual
from accessportal.manual import manual_search, manual_section, manual_sections

HELP = "/toegangsbeheer/help/"

# Words the scan got wrong (SCREENS.md): none may be left in the cleaned manual.
OCR_ERRORS = [
    "Toegangsheerders",
    "BeRRAI",
    "BeIRAI",
    "Taakkeuze",
    "Hoedingsbeheer",
    "Wijzig persoonlijke gegevens wijzigen",
    "Wijzig wachtwoord wijzigen",
    "actiek\u043d\u043e\u043f",  # "actieknop" with Cyrillic letters
    "Quit",
    "Weelkom",
    "rollebeheer",
    "factuureerder",
    "Opgeliet",
    "Behandelincentrum",
    "EBMPractienet",
    "Wachlijstbeheerder",
    "Residentiele",
    "apoteek",
    "#Health",
    "ophalen van de sociale zekerheid",
]
TABLE_OF_CONTENTS = """
    1 1.1 1.2 1.2.1 1.2.2 1.2.3 1.3 2 2.1 2.1.1 2.1.2 2.1.3 2.1.4 2.2 3 3.1 3.2 3.2.1 3.2.2 3.2.3 3.2.4
    3.2.4.1 3.2.4.2 3.2.4.3 3.3 3.4 3.4.1 3.4.2 3.4.3 3.5 3.5.1 3.6 3.6.1 3.6.2 3.6.2.1 3.6.2.2 4 5 5.1.1
    5.1.2
"""
SCAN_DEBRIS = ["**", "](", "<pre", "&lt;", "&gt;", "xxxx", "[REDACTED]", "[redacted]", "<input", "\\(", "^e"]


def test_every_section_of_the_manual_is_there_in_order():
    numbers = [section.number for section in manual_sections()]
    toc = TABLE_OF_CONTENTS.split()
    assert numbers == toc
    assert len({section.anchor for section in manual_sections()}) == len(numbers)
    assert manual_section("3.6.1").title == "Beheren van gebruikers"
    assert manual_section("3.6.1").anchor == "h-3-6-1"


@pytest.mark.parametrize("section", manual_sections(), ids=lambda section: section.number)
def test_every_section_renders_as_html_without_scan_debris(section):
    numbers = [other.number for other in manual_sections()]
    has_subsections = any(number.startswith(section.number + ".") for number in numbers)
    if not has_subsections and section.number != "3.6.2.1":  # 3.6.2.1 is a heading only in the manual
        assert section.html.strip(), f"{section.number} has no text"
    for debris in SCAN_DEBRIS:
        assert debris not in section.html, f"{section.number} still has {debris!r}"
    for error in OCR_ERRORS:
        assert error not in section.text and error not in section.title, f"{section.number}: {error!r}"
    assert ' id="' not in section.html  # the Help page and the panel may both show it: no duplicate ids
    assert section.heading_level == min(section.level + 1, 6)


def test_the_manual_has_real_structure():
    terminology = manual_section("1.1").html
    assert "<table>" in terminology and "<th>Gebruikte termen</th>" in terminology
    assert '<td data-label="Betekenis">Het contactcenter van eHealth</td>' in terminology
    assert "<ol>" in manual_section("1.2.3").html
    assert "<strong>hoofdtoegangsbeheerder</strong>" in manual_section("2.1").html
    assert '<ol start="5">' in manual_section("4").html  # the example's steps keep their numbers
    figure = manual_section("1.2.1").html
    assert (
        '<figure class="manual-figuur"><figcaption>Figuur 1 Inschakelen navigatievenster</figcaption>'
        in figure
    )
    screens = manual_section("3.2.2").html
    assert (
        '<figure class="manual-scherm"><figcaption><span class="manual-screen-tag">Scherm</span>' in screens
    )
    assert "Beheer der Toegangsbeheerders" in screens and "Mijn eGov-rollenbeheer" in screens
    assert "Figuur 3 Webformulier contactcenter eHealth" in manual_section("5.1.1").html
    assert "itsupport.zorg@vlaanderen.be" in manual_section("5.1.2").text


def test_every_link_of_the_manual_lands_in_the_manual_or_on_a_page_of_the_simulator():
    anchors = manual.manual_anchors()
    links = [
        (section.number, href)
        for section in manual_sections()
        for href in re.findall(r'href="([^"]*)"', section.html)
    ]
    assert len(links) > 40
    for number, href in links:
        if href.startswith("#"):
            assert href[1:] in anchors, f"{number}: {href}"
        else:
            assert href.startswith("/"), f"{number}: {href} leaves the simulator"
            try:
                resolve(href.split("?")[0])
            except Resolver404:
                pytest.fail(f"{number}: {href} is not a page of the simulator")


def test_the_manual_refuses_a_link_out_of_the_simulator():
    with pytest.raises(ValueError, match="own sections or to the simulator"):
        manual._href("https://www.csam.be/nl")
    assert manual._href("route:help") == HELP
    assert manual._href("route:roles:application/evipa") == "/toepassingen/evipa/"
    assert manual._href("route:administrators:btb?stap=2") == "/beheer-toegangsbeheerders/?stap=2"


def test_raw_html_in_the_source_stays_text():
    md = manual._markdown()
    rendered = manual._clean(md.render('<script>alert(1)</script> <a href="javascript:x">a</a> **b**'))
    assert "<script" not in rendered and "<a href" not in rendered and "<strong>b</strong>" in rendered


def test_the_manual_is_rendered_once_per_process():
    assert manual_sections() is manual_sections()


@pytest.mark.django_db
def test_the_help_page_shows_the_manual_with_its_contents(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(2):
        page = client.get(HELP).content.decode()
    assert "<pre" not in page and "**" not in page
    assert '<h1 id="handleiding-titel">Handleiding Toegangsbeheer eHealth' in page
    for section in manual_sections():
        assert f'<section id="{section.anchor}" class="manual-section' in page
        assert f'<a href="#{section.anchor}">{section.number} ' in page
    assert (
        '<h4 class="manual-heading"><span class="manual-number">3.6.1</span> Beheren van gebruikers</h4>'
        in page
    )
    assert "HULP NODIG ?" in page and "+32-2-788 51 55" in page


@pytest.mark.django_db
def test_searching_the_manual_lists_the_sections_with_the_words_marked(client):
    page = client.get(HELP, {"zoek": "eranova"}).content.decode()
    assert "Zoekresultaten voor “eranova”" in page
    results = page.split('<ol class="manual-hits">')[1].split("</ol>")[0]
    assert '<a href="#h-1-1">1.1 Terminologie</a>' in results
    assert "<mark>ERANOVA</mark>" in results and "<mark>Eranova</mark>" in results
    # every section below is still there
    assert 'id="h-5-1-2"' in page


def test_search_ignores_case_and_accents_and_needs_every_word():
    assert [hit.section.number for hit in manual_search("residentiele zorginstelling jeugdhulp")][:2] == [
        "2.1.2",
        "3.3",
    ]
    assert manual_search("hiërarchie") == manual_search("HIERARCHIE")
    assert manual_search("eranova zzzonbekend") == []


@pytest.mark.django_db
def test_search_is_bounded_with_a_dutch_message(client):
    long = client.get(HELP, {"zoek": "a" * 101})
    assert long.status_code == 200
    assert "Uw zoekterm is te lang: ten hoogste 100 tekens." in long.content.decode()
    short = client.get(HELP, {"zoek": "a"}).content.decode()
    assert "Geef minstens 2 tekens in." in short
    nothing = client.get(HELP, {"zoek": "zzzonbekend"}).content.decode()
    assert "Geen sectie van de handleiding bevat al deze woorden." in nothing


@pytest.mark.django_db
def test_a_search_with_markup_is_shown_as_text(client):
    page = client.get(HELP, {"zoek": "<script>x</script>"}).content.decode()
    assert "<script>x" not in page and "&lt;script&gt;x" in page
