"""Word for word (issue 14): the screens of chapters 3 and 4 with the manual's words in the manual's
order, and the small rules the manual's screenshots show (tabs, links, lists, formats)."""

import re

import pytest
from django.urls import reverse

from administrators import services as administrators
from tests.labels import missing_in_order

pytestmark = pytest.mark.django_db

IDENTIFICATION = ["Identificatiegegevens", "Gebruikersnaam", "Naam", "Voornaam", "Titel", "INSZ", "Taalkeuze"]
LOCAL_EMAIL_NOTE = (
    "(dit adres mag gebruikt worden in het kader van uw individuele contacten met het contactcenter Eranova)"
)
USER_CRITERIA = [
    "De lijst van de gebruikers tonen op basis van de volgende criteria",
    "Naam",
    "Voornaam",
    "Gebruikersnaam",
    "Type",
    "INSZ",
    "Status",
    "Beveiligde toepassingen",
]


def in_order(page: str, words: list[str]) -> None:
    missing = missing_in_order(page, words)
    assert missing is None, f"not in the manual's order: {missing!r}"


def hoedanigheid_url(name: str, side) -> str:
    return reverse(name, kwargs={"hoedanigheid_id": side.activation.pk})


# --- "Gebruikers - Subafdelingen" (3.5.1, chapter 4 steps 2-3 and 9) -----------------------------


def test_the_menu_opens_the_gebruikers_tab_with_both_tabs(client, world):
    side = world.main
    client.force_login(side.tb)
    home = client.get(hoedanigheid_url("administrators:hoedanigheid", side)).text
    tab_url = hoedanigheid_url("administrators:managers-tab", side)
    assert f'<a href="{tab_url}">Gebruikers - Subafdelingen</a>' in home
    page = client.get(tab_url).text
    in_order(page, ["Gebruikers - Subafdelingen", "Gebruikers", "Subafdelingen", *USER_CRITERIA])
    assert f'<a href="{tab_url}" aria-current="page">Gebruikers</a>' in page
    assert f'<a href="{hoedanigheid_url("subdivisions:list", side)}">Subafdelingen</a>' in page


def test_the_subafdelingen_tab_keeps_both_tabs(client, world):
    side = world.main
    client.force_login(side.tb)
    page = client.get(hoedanigheid_url("subdivisions:list", side)).text
    in_order(
        page,
        [
            "Gebruikers - Subafdelingen",
            "Gebruikers",
            "Subafdelingen",
            "De lijst van de subafdelingen tonen op basis van de volgende criteria",
            "Naam",
            "Identificatie",
            "Type",
            "Lijst van de subafdelingen",
            "Naam",
            "Identificatie",
            "Type",
            "Actie",
            "Uitvoeren",
            "Een subafdeling toevoegen",
            "Volgende",
        ],
    )
    assert f'<a href="{hoedanigheid_url("administrators:managers-tab", side)}">Gebruikers</a>' in page
    assert (
        f'<a href="{hoedanigheid_url("subdivisions:list", side)}" aria-current="page">Subafdelingen</a>'
        in page
    )


def test_a_subafdelings_name_opens_its_users_and_the_pencil_its_details(client, world):
    """Chapter 4 step 9: "Hij klikt nogmaals op 'Huize Terloo'" opens step 10's list of users."""
    side = world.main
    client.force_login(side.tb)
    page = client.get(hoedanigheid_url("subdivisions:list", side)).text
    users = reverse("users:list", kwargs={"subafdeling_id": side.subafdeling.pk})
    details = reverse("subdivisions:detail", kwargs={"subafdeling_id": side.subafdeling.pk})
    assert f'<a href="{users}">{side.subafdeling.name}</a>' in page
    assert re.search(rf'<a href="{details}" title="Bewerken"><span aria-hidden="true">✎</span>', page)
    assert (
        "Gebruikers van de subafdeling" in client.get(users).text
        or side.subafdeling.name in client.get(users).text
    )


# --- The LB screens (3.4.2, 3.4.3) ---------------------------------------------------------------


def test_the_lb_list_has_the_beveiligde_toepassingen_criterion(client, world, catalogue):
    side = world.main
    client.force_login(side.htb)
    url = hoedanigheid_url("administrators:managers", side)
    page = client.get(url).text
    in_order(page, ["Gebruikers", *USER_CRITERIA])
    assert '<select name="toepassing"' in page and "Vlaams Infrastructuurfonds" in page
    assert side.tb.last_name in page
    vipa = catalogue["applications"]["vipa"].pk
    filtered = client.get(url, {"toepassing": vipa}).text
    assert side.tb.last_name not in filtered  # a lokale beheerder holds no right on an application
    assert "Geen gebruikers gevonden voor deze criteria." in filtered


def test_een_lokale_beheerder_aanmaken_has_the_manuals_words_in_order(client, world):
    side = world.main
    client.force_login(side.htb)
    step1 = client.post(
        hoedanigheid_url("administrators:managers", side),
        {"aanstellen-kind": "LB", "aanstellen-insz": side.employee.insz},
    )
    form = client.get(step1["Location"]).text
    in_order(
        form,
        [
            "Een lokale beheerder aanmaken",
            "De velden met een * moeten verplicht worden ingevuld",
            *IDENTIFICATION,
            "E-mailadres *",
            "Lokaal e-mailadres",
            LOCAL_EMAIL_NOTE,
            "Beveiligde toepassingen",
            "Annuleren",
            "Opslaan",
        ],
    )
    step2 = client.post(step1["Location"], {"email": "lb@voorziening.be"})
    confirmation = client.get(step2["Location"]).text
    in_order(
        confirmation,
        [
            *IDENTIFICATION,
            "Creatiedatum",
            "Wijzigingsdatum",
            "Status",
            "Actief",
            "E-mailadres",
            "Lokaal e-mailadres",
            "Beveiligde toepassingen",
            "Vorige",
            "Bevestigen",
        ],
    )


# --- Users of a subafdeling (3.6.1, chapter 4 step 10) -------------------------------------------


def test_een_gebruiker_aanmaken_has_the_manuals_words_and_a_titel_list(client, world):
    side = world.main
    client.force_login(side.sb)
    step1 = client.post(
        reverse("users:list", kwargs={"subafdeling_id": side.subafdeling.pk}),
        {"toevoegen-insz": side.employee.insz},
    )
    page = client.get(step1["Location"]).text
    in_order(
        page,
        [
            "Een gebruiker aanmaken",
            "De velden met een * moeten verplicht worden ingevuld",
            *IDENTIFICATION,
            "E-mailadres *",
            "Lokaal e-mailadres",
            LOCAL_EMAIL_NOTE,
            "Beveiligde toepassingen",
            "E-loket Departement Zorg",
            "Vlaams Infrastructuurfonds voor Persoonsgebonden Aangelegenheden",
            "Annuleren",
            "Opslaan",
        ],
    )
    titles = re.search(r'<select name="title"[^>]*>(.*?)</select>', page, re.S)
    assert titles is not None
    assert re.findall(r"<option[^>]*>([^<]+)</option>", titles.group(1)) == ["De heer", "Mevrouw", "Juffrouw"]
    assert f'<option value="{side.employee.title}" selected>' in titles.group(1)


def test_the_users_list_shows_the_manuals_user_type(client, world):
    side = world.main
    client.force_login(side.sb)
    page = client.get(reverse("users:list", kwargs={"subafdeling_id": side.subafdeling.pk})).text
    in_order(page, ["Gebruikers", *USER_CRITERIA, "Naam", "Voornaam", "Gebruikersnaam", "Type", "INSZ"])
    assert "<td>SS</td>" in page


def test_the_edit_confirmation_has_the_manuals_title(client, world):
    side = world.main
    client.force_login(side.sb)
    edit = reverse("users:edit", kwargs={"subafdeling_id": side.subafdeling.pk, "user_id": side.user.pk})
    step = client.post(
        edit, {"email": side.user.email, "language": "nl", "title": "DE_HEER", "applications": []}
    )
    page = client.get(step["Location"]).text
    in_order(
        page,
        [
            "Wijziging van de gegevens van een subafdelingsverantwoordelijke",
            *IDENTIFICATION,
            "Creatiedatum",
            "Wijzigingsdatum",
            "Status",
            "E-mailadres",
            "Lokaal e-mailadres",
            "Beveiligde toepassingen",
            "Vorige",
            "Bevestigen",
        ],
    )


# --- The welcome page (3.5.1, chapter 4 step 1) ---------------------------------------------------


def test_the_welcome_page_lists_the_hoedanigheden_in_the_manuals_order(client, world, catalogue):
    """St Barbara in 3.5.1: eHealth Gezondheidszorg before Residentiële zorginstelling; Broeders van
    Liefde in chapter 4: Behandelingscentrum, Economie, eHealth Gezondheidszorg."""
    side = world.main
    for code in ("residentiele-zorginstelling", "economie", "behandelingscentrum"):
        administrators.hoedanigheid_activate(
            actor=side.htb, enterprise=side.enterprise, hoedanigheid=catalogue["hoedanigheden"][code]
        )
    client.force_login(side.htb)
    client.post("/toegangsbeheer/", {"quality": "werkgever"})
    page = client.get("/toegangsbeheer/onthaal/").text
    in_order(
        page,
        [
            "Hoedanigheid: Behandelingscentrum",
            "Hoedanigheid: Economie",
            "Hoedanigheid: eHealth Gezondheidszorg",
            "Hoedanigheid: Residentiële zorginstelling",
        ],
    )


# --- The simulator's own screens say so in small print (issue 14, point 7) -----------------------


def test_the_stappenplan_and_the_mailbox_are_marked_as_the_simulators(client, world):
    side = world.main
    client.force_login(side.htb)
    for url in (reverse("roles:stappenplan", kwargs={"kbo": side.enterprise.kbo}), reverse("mailbox")):
        page = client.get(url).text
        assert (
            '<p class="simulator-addition"><span class="simulator-addition-label">Toevoeging van de simulator'
            in page
        ), url


def test_the_manuals_screens_carry_no_such_mark(client, world):
    side = world.main
    client.force_login(side.tb)
    for url in (
        hoedanigheid_url("subdivisions:list", side),
        hoedanigheid_url("administrators:managers-tab", side),
        reverse("users:list", kwargs={"subafdeling_id": side.subafdeling.pk}),
    ):
        assert "Toevoeging van de simulator" not in client.get(url).text, url
