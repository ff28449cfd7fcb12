"""The menus of the manual's screenshots (chapter 4 steps 2 and 11, 3.6.1): every entry is there with
the manual's words, and every entry is a link that works."""

import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

HOEDANIGHEIDSBEHEER = [
    "Beginpagina",
    "Beheer van de hoedanigheden",
    "Beheer van de gebruikers",
    "Gebruikers - Subafdelingen",
    "De details van de hoedanigheid raadplegen of wijzigen",
    "Gebruikers opzoeken",
    "Functies en Verantwoordelijkheden Hiërarchie",
    "Beheer van de toestemmingen",
    "Beheer van de wachtwoorden",
]
PERSOONLIJKE_GEGEVENS = [
    "Mijn persoonlijke gegevens wijzigen",
    "Mijn wachtwoord wijzigen",
    "Beheer van het certificaat te gebruiken op het portaal van de sociale zekerheid",
]


def menu_links(page: str) -> dict[str, str]:
    """The Functionaliteiten menu's entries: label → href (an entry without a link is dead text)."""
    menu = page[page.index('<aside class="portal-menu"') :]
    menu = menu[: menu.index("</aside>")]
    entries = re.findall(r"<li>(.*?)</li>", menu, flags=re.S)
    links = {}
    for entry in entries:
        match = re.fullmatch(r'\s*<a href="([^"]+)">([^<]+)</a>.*', entry, flags=re.S)
        assert match, f"a menu entry without a link: {entry!r}"
        links[match.group(2).strip()] = match.group(1)
    return links


@pytest.mark.parametrize("level", ["htb", "co_htb", "tb"])
def test_the_hoedanigheid_menu_has_every_entry_of_the_manual_in_its_order_and_each_works(
    client, world, level
):
    client.force_login(getattr(world.main, level))
    page = client.get(f"/toegangsbeheer/hoedanigheden/{world.main.activation.pk}/").text
    links = menu_links(page)
    assert [label for label in links if label in HOEDANIGHEIDSBEHEER] == HOEDANIGHEIDSBEHEER
    for label in HOEDANIGHEIDSBEHEER + PERSOONLIJKE_GEGEVENS:
        response = client.get(links[label].split("#")[0])
        assert response.status_code == 200, (label, links[label], response.status_code)


def test_the_top_bar_has_uw_verantwoordelijken_between_home_and_help(client, world):
    client.force_login(world.main.tb)
    page = client.get(f"/toegangsbeheer/hoedanigheden/{world.main.activation.pk}/").text
    bar = page[page.index('<nav class="portal-links"') :]
    bar = bar[: bar.index("</nav>")]
    labels = re.findall(r">([^<>]+)</a>", bar)
    assert labels == ["Home", "Uw verantwoordelijken", "Help", "Uit"]


def test_the_subafdeling_menu_of_3_6_1_has_the_certificate_under_persoonlijke_gegevens(client, world):
    client.force_login(world.main.sb)
    page = client.get(f"/toegangsbeheer/subafdelingen/{world.main.subafdeling.pk}/gebruikers/").text
    links = menu_links(page)
    assert [label for label in links if label in PERSOONLIJKE_GEGEVENS] == PERSOONLIJKE_GEGEVENS
    assert "Gebruikers opzoeken" not in links  # the subafdelingsbeheerder does not manage the hoedanigheid
    assert client.get(links[PERSOONLIJKE_GEGEVENS[-1]]).status_code == 200


def test_a_removed_co_lb_loses_the_hoedanigheid_menu_at_the_next_request(client, world):
    """The menu is kept per process (portal/base.html) under the rights it shows: the subafdelingsbeheerder
    who was also co-LB keeps the subafdeling's menu and loses the hoedanigheid's at once."""
    from administrators import services as administrators
    from administrators.models import AdministratorKind

    main = world.main
    appointment = administrators.local_administrator_appoint(
        actor=main.htb,
        activation=main.activation,
        person=main.sb,
        kind=AdministratorKind.CO_LB,
        email="sb@x.be",
    )
    client.force_login(main.sb)
    users_page = reverse("users:list", kwargs={"subafdeling_id": main.subafdeling.pk})
    assert "Hoedanigheidsbeheer" in client.get(users_page).content.decode()
    administrators.local_administrator_remove(actor=main.htb, administrator=appointment)
    page = client.get(users_page).content.decode()
    assert "Hoedanigheidsbeheer" not in page and "Beheer subafdeling" in page
