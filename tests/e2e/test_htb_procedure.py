"""Manual 3.2.2 and 3.2.3: a legal representative appoints the Hoofdtoegangsbeheerder in CSAM's BTB."""

import re

import pytest
from django.core.management import call_command
from playwright.sync_api import Page, expect

from accessportal.identifiers import kbo_compact
from administrators.models import HtbAppointment

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

DE_LINDE = "0812.345.603"
DE_LINDE_NAME = "VZW ZORGNETWERK DE LINDE"
DE_LINDE_ADDRESS = "Lindelaan 12, 2000 Antwerpen"
MARC_INSZ = "75.03.12-033.39"
ELS_INSZ = "82.09.21-124.61"
EMMA_INSZ = "02.04.15-022.15"
NOT_AN_EMPLOYEE = (
    "Een Hoofdtoegangsbeheerder moet een werknemer of wettelijke vertegenwoordiger van de onderneming zijn."
)


def de_linde_htbs():
    return HtbAppointment.objects.filter(enterprise__kbo=kbo_compact(DE_LINDE))


def box(portal: Page, heading: str):
    """The ``<section class="box">`` under the given h2, as a user reads the screen by its headings."""
    return portal.locator("section").filter(has=portal.get_by_role("heading", name=heading, exact=True))


def heading_1(portal: Page):
    return portal.get_by_role("heading", level=1)


def open_htb_registration_as_marc(portal: Page, shots) -> None:
    """From the CSAM home page to "Registratie onderneming in CSAM" for De Linde, signing in on the way."""
    portal.goto(portal.url_for("/"))
    expect(heading_1(portal)).to_have_text("CSAM, de toegangspoort tot de diensten van de overheid")
    portal.get_by_role("link", name="Aan de slag").nth(1).click()

    expect(heading_1(portal)).to_have_text("Beheer der Toegangsbeheerders")
    expect(portal.locator("ol.steps > li")).to_have_text(
        ["EEN HOOFDTOEGANGSBEHEERDER AANSTELLEN", "TOEGANGSBEHEERDERS AANSTELLEN", "TOEGANGEN BEHEREN"]
    )
    standard = box(portal, "STANDAARDPROCEDURE")
    expect(standard).to_contain_text("alleen uitgevoerd worden door een wettelijke vertegenwoordiger")
    shots("btb")
    standard.get_by_role("link", name="Een Hoofdtoegangsbeheerder aanstellen", exact=True).click()

    expect(portal).to_have_url(re.compile(r"/aanmelden/\?next=.*hoofdtoegangsbeheerder"))
    expect(heading_1(portal)).to_have_text("Aanmelden bij de online overheid")
    shots("sign-in-choice")
    portal.get_by_role("link", name="Aanmelden met eID").click()
    expect(heading_1(portal)).to_have_text("Aanmelden met eID-kaartlezer")
    portal.get_by_label("Rijksregisternummer").fill(MARC_INSZ)
    portal.get_by_label("PIN-code").fill("1234")
    portal.get_by_role("button", name="Aanmelden", exact=True).click()

    expect(heading_1(portal)).to_have_text("Een Hoofdtoegangsbeheerder aanstellen")
    expect(portal.get_by_text(re.compile(r"^Welkom Marc Vermeulen \| Afmelden$"))).to_be_visible()
    portal.get_by_label("Ondernemingsnummer").fill(DE_LINDE)
    shots("htb-start")
    portal.get_by_role("button", name="Een Hoofdtoegangsbeheerder aanstellen").click()

    expect(heading_1(portal)).to_have_text("Registratie onderneming in CSAM")
    enterprise = box(portal, "De onderneming")
    for fact in (DE_LINDE, DE_LINDE_NAME, DE_LINDE_ADDRESS):
        expect(enterprise).to_contain_text(fact)
    # De Linde has no Hoofdtoegangsbeheerder yet: no "al geregistreerd" notice, both choices offered.
    expect(portal.get_by_role("status")).to_have_count(0)
    expect(portal.get_by_role("radio")).to_have_count(2)


def confirm_without_ticking_is_refused(portal: Page) -> None:
    portal.get_by_role("button", name="Bevestig", exact=True).click()
    expect(heading_1(portal)).to_have_text("Registratie onderneming in CSAM - Bevestiging")
    expect(portal.get_by_role("alert")).to_contain_text(
        'Vink "Ja, ik bevestig" aan om de activeringsvoorwaarden te aanvaarden.'
    )
    expect(portal.get_by_role("checkbox", name="Ja, ik bevestig")).not_to_be_checked()
    assert de_linde_htbs().count() == 0


def mail_in_mailbox(portal: Page, recipient: str, subject: str):
    mail = portal.locator("article.mail").filter(has_text=recipient).filter(has_text=subject)
    expect(mail).to_have_count(1)
    expect(mail.locator(".mail-subject")).to_have_text(subject)
    return mail


@pytest.fixture
def shots(portal, tmp_path):
    """``shots(name)`` saves a full-page screenshot of the current screen into tmp_path."""

    def take(name: str) -> None:
        portal.screenshot(path=tmp_path / f"{name}.png", full_page=True)

    return take


def test_marc_appoints_himself_htb_of_de_linde(portal, shots):
    """3.2.2: the legal representative registers his enterprise and appoints himself."""
    call_command("seed_demo")
    open_htb_registration_as_marc(portal, shots)

    # His own name is chosen; "Andere persoon"'s fields are not there, not even for the Tab key, and
    # under "Uw contactgegevens" stands the note for the Hoofdtoegangsbeheerder's own contact details.
    own = portal.get_by_role("radio", name="Marc Vermeulen", exact=True)
    expect(own).to_be_checked()
    for field in ("#id_htb_insz", "#id_htb_email", "#id_htb_phone"):
        expect(portal.locator(field)).to_be_hidden()
    contact = box(portal, "Uw contactgegevens")
    expect(contact.get_by_text("Opgelet: de contactgegevens van de Hoofdtoegangsbeheerder")).to_be_visible()
    expect(contact.get_by_text("Opmerking: uw contactgegevens")).to_be_hidden()
    own.focus()
    portal.keyboard.press("Tab")
    expect(portal.locator("#id_requester_email")).to_be_focused()
    # "Andere persoon" opens its fields, and closes them again, without JavaScript.
    portal.get_by_role("radio", name="Andere persoon").check()
    expect(portal.locator("#id_htb_insz")).to_be_visible()
    expect(contact.get_by_text("Opmerking: uw contactgegevens")).to_be_visible()
    shots("registration-other-opened")
    own.check()
    expect(portal.locator("#id_htb_insz")).to_be_hidden()
    expect(contact).to_contain_text("Marc Vermeulen")
    expect(contact).to_contain_text(MARC_INSZ)
    contact.get_by_label("E-mail").fill("directie@delinde.be")
    contact.get_by_label("Telefoon").fill("+32 3 450 12 00")
    shots("registration-self")
    portal.get_by_role("button", name="Volgende").click()

    expect(heading_1(portal)).to_have_text("Registratie onderneming in CSAM - Bevestiging")
    expect(box(portal, "De onderneming")).to_contain_text(DE_LINDE_NAME)
    htb = box(portal, "Hoofdtoegangsbeheerder")
    for fact in ("Marc Vermeulen", MARC_INSZ, "directie@delinde.be", "+32 3 450 12 00"):
        expect(htb).to_contain_text(fact)
    # Appointing oneself, "Uw contactgegevens" are the HTB's: the box is not repeated.
    expect(box(portal, "Uw contactgegevens")).to_have_count(0)
    shots("confirmation-self")

    confirm_without_ticking_is_refused(portal)
    shots("confirmation-refused")
    portal.get_by_role("checkbox", name="Ja, ik bevestig").check()
    portal.get_by_role("button", name="Bevestig", exact=True).click()

    expect(heading_1(portal)).to_have_text("Hoofdtoegangsbeheerder aangesteld!")
    done = portal.get_by_role("main")
    expect(done).to_contain_text(f"Uw onderneming, {DE_LINDE_NAME} is nu geactiveerd in CSAM.")
    expect(done).to_contain_text("U hebt uzelf aangesteld als Hoofdtoegangsbeheerder")
    expect(done).to_contain_text("directie@delinde.be")
    shots("done-self")

    portal.reload()
    expect(heading_1(portal)).to_have_text("Hoofdtoegangsbeheerder aangesteld!")
    appointment = de_linde_htbs().get()
    assert (appointment.person.insz, appointment.email, appointment.ended_at) == (
        "75031203339",
        "directie@delinde.be",
        None,
    )

    portal.goto(portal.url_for("/mailbox/"))
    expect(heading_1(portal)).to_have_text("Demo-mailbox")
    mail_in_mailbox(
        portal,
        "directie@delinde.be",
        f"CSAM: u bent aangesteld als Hoofdtoegangsbeheerder van {DE_LINDE_NAME}",
    )
    shots("mailbox-self")


def test_marc_appoints_els_janssens_htb_of_de_linde(portal, shots):
    """3.2.3: the legal representative appoints an employee ("Andere persoon")."""
    call_command("seed_demo")
    open_htb_registration_as_marc(portal, shots)

    portal.get_by_role("radio", name="Andere persoon").check()
    other = portal.get_by_role("radio", name="Andere persoon")
    other.focus()
    portal.keyboard.press("Tab")
    expect(portal.locator("#id_htb_insz")).to_be_focused()  # its fields are next in the tab order now
    contact = box(portal, "Uw contactgegevens")
    expect(contact.get_by_text("Opmerking: uw contactgegevens")).to_be_visible()
    expect(contact.get_by_text("Opgelet: de contactgegevens van de Hoofdtoegangsbeheerder")).to_be_hidden()
    portal.locator("#id_htb_insz").fill(EMMA_INSZ)
    portal.locator("#id_htb_email").fill("els.janssens@delinde.be")
    portal.locator("#id_htb_phone").fill("+32 3 450 12 11")
    portal.locator("#id_requester_email").fill("marc.vermeulen@delinde.be")
    portal.locator("#id_requester_phone").fill("+32 3 450 12 10")
    portal.get_by_role("button", name="Volgende").click()

    # Emma Dubois works elsewhere: refused, on the same form, with everything typed kept.
    expect(heading_1(portal)).to_have_text("Registratie onderneming in CSAM")
    expect(portal.get_by_role("alert")).to_contain_text(NOT_AN_EMPLOYEE)
    expect(portal.locator("#id_htb_insz_error")).to_have_text(NOT_AN_EMPLOYEE)
    expect(portal.get_by_role("radio", name="Andere persoon")).to_be_checked()
    expect(portal.locator("#id_htb_insz")).to_have_value(EMMA_INSZ)
    expect(portal.locator("#id_htb_email")).to_have_value("els.janssens@delinde.be")
    expect(portal.locator("#id_htb_phone")).to_have_value("+32 3 450 12 11")
    expect(portal.locator("#id_requester_email")).to_have_value("marc.vermeulen@delinde.be")
    expect(portal.locator("#id_requester_phone")).to_have_value("+32 3 450 12 10")
    shots("registration-not-an-employee")

    portal.locator("#id_htb_insz").fill(ELS_INSZ)
    portal.get_by_role("button", name="Volgende").click()

    expect(heading_1(portal)).to_have_text("Registratie onderneming in CSAM - Bevestiging")
    htb = box(portal, "Hoofdtoegangsbeheerder")
    for fact in ("Els Janssens", ELS_INSZ, "els.janssens@delinde.be", "+32 3 450 12 11"):
        expect(htb).to_contain_text(fact)
    requester = box(portal, "Uw contactgegevens")
    for fact in ("Marc Vermeulen", MARC_INSZ, "marc.vermeulen@delinde.be", "+32 3 450 12 10"):
        expect(requester).to_contain_text(fact)
    shots("confirmation-other")

    # "← Verbeteren" brings the form back with Els's answers.
    portal.get_by_role("link", name="Verbeteren").click()
    expect(heading_1(portal)).to_have_text("Registratie onderneming in CSAM")
    expect(portal.get_by_role("radio", name="Andere persoon")).to_be_checked()
    expect(portal.locator("#id_htb_insz")).to_have_value(re.compile(r"^82\.?09\.?21-?124\.?61$"))
    expect(portal.locator("#id_htb_email")).to_have_value("els.janssens@delinde.be")
    expect(portal.locator("#id_htb_phone")).to_have_value("+32 3 450 12 11")
    expect(portal.locator("#id_requester_email")).to_have_value("marc.vermeulen@delinde.be")
    expect(portal.locator("#id_requester_phone")).to_have_value("+32 3 450 12 10")
    shots("registration-corrected")
    portal.get_by_role("button", name="Volgende").click()

    expect(heading_1(portal)).to_have_text("Registratie onderneming in CSAM - Bevestiging")
    expect(box(portal, "Hoofdtoegangsbeheerder")).to_contain_text("Els Janssens")
    confirm_without_ticking_is_refused(portal)
    portal.get_by_role("checkbox", name="Ja, ik bevestig").check()
    portal.get_by_role("button", name="Bevestig", exact=True).click()

    expect(heading_1(portal)).to_have_text("Hoofdtoegangsbeheerder aangesteld!")
    done = portal.get_by_role("main")
    expect(done).to_contain_text(f"Uw onderneming, {DE_LINDE_NAME} is nu geactiveerd in CSAM.")
    expect(done).to_contain_text(
        "U hebt Els Janssens aangesteld als Hoofdtoegangsbeheerder. Een bevestigingsmail met verdere "
        "instructies is verzonden naar els.janssens@delinde.be"
    )
    shots("done-other")
    appointment = de_linde_htbs().get()
    assert (appointment.person.insz, appointment.email, appointment.requester_email) == (
        "82092112461",
        "els.janssens@delinde.be",
        "marc.vermeulen@delinde.be",
    )

    portal.goto(portal.url_for("/mailbox/"))
    mail_in_mailbox(
        portal,
        "els.janssens@delinde.be",
        f"CSAM: u bent aangesteld als Hoofdtoegangsbeheerder van {DE_LINDE_NAME}",
    )
    to_marc = mail_in_mailbox(
        portal,
        "marc.vermeulen@delinde.be",
        f"CSAM: bevestiging van de aanstelling van de Hoofdtoegangsbeheerder van {DE_LINDE_NAME}",
    )
    expect(to_marc.locator(".mail-body")).to_contain_text("U hebt Els Janssens aangesteld")
    shots("mailbox-other")
