"""Manual 3.6.2 and 2.2: Nina Peeters gives Lotte Willems the role "BelRAI VL - admin" from today;
BelRAI refuses Lotte while the role is pending and says until when; 20 minutes later she gets in."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from accessportal import clock
from accessportal.propagation import propagations_apply_due
from roles.models import RoleAssignment

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

ADMIN = "BelRAI VL - admin"


def sign_in(portal, insz: str, next_path: str) -> None:
    portal.goto(portal.url_for(f"/aanmelden/eid/?next={next_path}"))
    portal.get_by_label("Rijksregisternummer").fill(insz)
    portal.get_by_label("PIN-code").fill("1234")
    portal.get_by_role("button", name="Aanmelden").click()


def test_nina_gives_lotte_a_belrai_role_that_lets_her_in_twenty_minutes_later(portal, tmp_path):
    call_command("seed_demo")
    with clock.simulated_everywhere(timezone.now().replace(second=0, microsecond=0)) as simulated:
        today = clock.today()
        due = timezone.localtime(simulated.moment + timedelta(minutes=20))

        # Nina, lokale beheerder of Residentiële zorginstelling, opens "Functies en Verantwoordelijkheden
        # Hiërarchie" and the pencil next to Lotte Willems.
        sign_in(portal, "93.07.17-078.56", "/toegangsbeheer/")
        portal.get_by_role("button", name="Werkgever").click()
        portal.get_by_role("link", name="Hoedanigheid: Residentiële zorginstelling").click()
        portal.get_by_role("link", name="Functies en Verantwoordelijkheden Hiërarchie").click()
        expect(portal.get_by_role("heading", name="Overzicht Personeelsbestand")).to_be_visible()
        lotte_row = portal.locator("tr", has_text="Willems")
        lotte_row.get_by_role("link", name="Bewerken").click()
        expect(portal.get_by_role("heading", name="Bewerken Functies")).to_be_visible()
        expect(portal.get_by_text("binnen maximum 20 minuten van kracht")).to_be_visible()

        # The role from today: "Toevoegen"; the row says when it takes effect.
        portal.get_by_label("Functie").select_option(label=ADMIN)
        portal.get_by_label("Startdatum").fill(f"{today:%d-%m-%Y}")
        portal.get_by_role("button", name="Toevoegen").click()
        expect(portal.locator("tbody:not(.new-role) tr", has_text=ADMIN)).to_contain_text(
            f"van kracht om {clock.moment_text(due)}"  # "05/12/2026 00:11" after midnight
        )
        portal.screenshot(path=tmp_path / "bewerken-functies.png", full_page=True)
        assignment = RoleAssignment.objects.get(role__name=ADMIN, user__person__last_name="Willems")
        assert assignment.start_date == today and assignment.effective_start_date is None

        # Lotte tries BelRAI: refused, the role is pending until HH:MM.
        portal.context.clear_cookies()
        portal.goto(portal.url_for("/toepassingen/belrai/"))
        portal.get_by_role("link", name="Aanmelden", exact=True).first.click()
        portal.get_by_role("link", name="Aanmelden met eID").click()
        portal.get_by_label("Rijksregisternummer").fill("01.12.03-046.95")
        portal.get_by_label("PIN-code").fill("1234")
        portal.get_by_role("button", name="Aanmelden").click()
        expect(portal.get_by_text("opgeslagen maar nog niet van kracht")).to_be_visible()
        expect(portal.get_by_text(f"Probeer opnieuw vanaf {clock.moment_text(due)}")).to_be_visible()
        expect(portal.locator(".chain-pending")).to_contain_text(ADMIN)
        portal.screenshot(path=tmp_path / "belrai-pending.png", full_page=True)

        # The clock moves 20 minutes; the sweep applies the role; Lotte gets in.
        simulated.advance(minutes=20)
        assert propagations_apply_due() == 1
        portal.get_by_role("link", name="Opnieuw proberen").click()
        expect(portal.get_by_text("Welkom Lotte Willems")).to_be_visible()
        expect(portal.locator(".app-roles")).to_contain_text(ADMIN)
        expect(portal.locator(".app-path")).to_contain_text(f"en de rol {ADMIN}.")
        portal.screenshot(path=tmp_path / "belrai-start.png", full_page=True)
