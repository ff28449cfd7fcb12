"""Every screen of the access matrix in a representative state, and every form's error state, in one
browser: the accessibility check (tests/e2e/test_accessibility.py, axe-core) and the HTML validity
check (tests/e2e/validate_html.py, the Nu Html Checker, `make validate`) walk the same pages.

A screen is a route of the access matrix answered with 200 for some persona: it is visited as the
first such persona in ``PREFERENCE`` (public pages anonymously, then the main enterprise's HTB, whose
pages show the most),
with the sample objects the matrix itself uses. Routes that only redirect (a wizard's later steps,
which need the signed answers of the step before) are reached by ``demo_journeys``: the earlier step
filled in and sent, as a person would. The error states come from sending every POST form of every
screen empty (the browser's own validation off, so the server's messages show)."""

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from django.conf import settings
from django.test import Client
from playwright.sync_api import Page, Response

from tests.test_access_matrix import expectation_for, iter_routes, sample_path

# The persona a screen is visited as: the first of these that the matrix lets in (200).
PREFERENCE = [
    "anonymous",
    "htb",
    "tb",
    "sb",
    "user_person",
    "legal_rep",
    "trainer",
    "trainee",
    "nobody",
]

# A screen answers 200; the simulated application's refusal (403) is a screen too.
SCREEN_STATUSES = (200, 403)

# Not screens of the portal: Django's own admin (its templates are Django's), and the downloads.
NOT_SCREENS = ("admin:", "^admin/", "admin/")

# Forms that are not a person's input: the language switch, signing out, the trainer's "print" links.
IGNORED_FORMS = "form[action$='/i18n/setlang/'], form[action*='afmelden']"


@dataclass
class Visit:
    """One page as the browser received it."""

    name: str
    level: str
    url: str
    status: int
    html: str = field(repr=False)
    content_type: str = ""

    @property
    def is_html(self) -> bool:
        return self.content_type.startswith("text/html")


def give_session(page: Page, person, base_url: str) -> None:
    """The browser gets a session of ``person`` (None: no session); signing in has its own journeys."""
    page.context.clear_cookies()
    if person is None:
        return
    client = Client()
    client.force_login(person)
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": base_url}])


def sign_in_as(page: Page, world, level: str, base_url: str) -> None:
    give_session(page, world.persona(level), base_url)


def matrix_screens(world) -> Iterator[tuple[str, str, str]]:
    """(route name, persona, path) of every GET route answered with 200 for some persona."""
    for key, pattern in iter_routes():
        if key.startswith(NOT_SCREENS):
            continue
        expect = expectation_for(key)
        if expect.method != "get":
            continue
        level = next((level for level in PREFERENCE if expect.for_level(level) in SCREEN_STATUSES), None)
        if level is None:
            continue
        yield key, level, sample_path(pattern, expect.kwargs(world))


def _visit(name: str, level: str, response: Response | None, page: Page) -> Visit:
    assert response is not None, name
    return Visit(
        name=name,
        level=level,
        url=page.url,
        status=response.status,
        html=response.text(),
        content_type=response.headers.get("content-type", ""),
    )


def goto(page: Page, name: str, level: str, url: str) -> Visit | None:
    """Open a page; a download (CSV, PDF) is not a screen and gives None."""
    try:
        response = page.goto(url, wait_until="load")
    except Exception as error:  # Playwright: "Download is starting"
        if "Download is starting" in str(error):
            return None
        raise
    visit = _visit(name, level, response, page)
    return visit if visit.is_html else None


def submit(page: Page, name: str, level: str, form_index: int) -> Visit:
    """Send the page's n-th POST form with its text fields emptied and no choice made."""
    with page.expect_navigation(wait_until="load") as navigation:
        page.evaluate(
            """([index, ignored]) => {
                const forms = [...document.querySelectorAll('form')].filter(
                    f => f.method === 'post' && !f.matches(ignored));
                const form = forms[index];
                form.noValidate = true;
                for (const el of form.elements) {
                    if (el.type === 'hidden' || el.type === 'submit' || el.type === 'button') continue;
                    if (el.type === 'checkbox' || el.type === 'radio') el.checked = false;
                    else if (el.tagName === 'SELECT') el.selectedIndex = 0;
                    else if (el.type !== 'file') el.value = '';
                }
                const submitter = form.querySelector('button:not([type=button]), input[type=submit]');
                form.requestSubmit(submitter || undefined);
            }""",
            [form_index, IGNORED_FORMS],
        )
    return _visit(f"{name} (fout)", level, navigation.value, page)


def walk(page: Page, world, base_url: str, check: Callable[[Visit, Page], None], errors: bool) -> list[Visit]:
    """Visit every screen (and, with ``errors``, send each of its forms empty), calling ``check``
    on each page in the browser. Returns the visits."""
    visits: list[Visit] = []
    current = None
    for name, level, path in matrix_screens(world):
        if level != current:
            sign_in_as(page, world, level, base_url)
            current = level
        visit = goto(page, name, level, base_url + path)
        if visit is None:
            continue
        assert visit.status in SCREEN_STATUSES, f"{name} as {level}: {visit.status}"
        visits.append(visit)
        check(visit, page)
        if not errors:
            continue
        for form_index in _forms_to_send(page):
            goto(page, name, level, base_url + path)
            error_visit = submit(page, name, level, form_index)
            visits.append(error_visit)
            check(error_visit, page)
    return visits


def _forms_to_send(page: Page) -> list[int]:
    return page.evaluate(
        """(ignored) => {
            const forms = [...document.querySelectorAll('form')].filter(
                f => f.method === 'post' && !f.matches(ignored));
            return forms.map((f, i) => [f, i]).filter(([f]) => [...f.elements].some(
                el => ['text', 'email', 'tel', 'password', 'number', 'date', 'radio', 'checkbox',
                       'select-one', 'textarea'].includes(el.type))).map(([f, i]) => i);
        }""",
        IGNORED_FORMS,
    )


def step(page: Page, name: str, level: str, action: Callable[[], None]) -> Visit:
    """Do what moves the browser to the next page (a click), and take that page as it came."""
    with page.expect_navigation(wait_until="load") as navigation:
        action()
    return _visit(name, level, navigation.value, page)


def sign_in_demo(page: Page, insz: str, base_url: str) -> None:
    from identity.models import Person

    give_session(page, Person.objects.get(insz=insz.replace(".", "").replace("-", "")), base_url)


LUC = "68.01.05-057.64"  # HTB of ORGANISATIE BROEDERS VAN LIEFDE VZW in the demo world
MARC = "75.03.12-033.39"  # legal representative of VZW ZORGNETWERK DE LINDE, which has no HTB yet
SARAH = "90.06.14-212.39"
VIPA = "Vlaams Infrastructuurfonds voor Persoonsgebonden Aangelegenheden"


def demo_journeys(page: Page, base_url: str) -> Iterator[Visit]:
    """The wizards' later steps, the welcome page and the pages after a form was sent, in the demo
    world (``seed_demo``): the steps of chapter 4 and of manual 3.2.2."""
    # The "Werkgever" choice, then the welcome page.
    sign_in_demo(page, LUC, base_url)
    yield step(page, "portal:quality (eerste keer)", "htb", lambda: page.goto(base_url + "/toegangsbeheer/"))
    yield step(page, "portal:welcome", "htb", lambda: page.get_by_role("button", name="Werkgever").click())
    # A subafdeling added (chapter 4 steps 2-8).
    page.get_by_role("link", name="Hoedanigheid: eHealth Gezondheidszorg").click()
    page.get_by_role("link", name="Gebruikers - Subafdelingen").click()
    page.get_by_role("navigation", name="Gebruikers - Subafdelingen").get_by_role(
        "link", name="Subafdelingen"
    ).click()
    adding = page.locator("#toevoegen")
    adding.get_by_label("Een subafdeling toevoegen").select_option(label="Gezondheidszorg")
    yield step(page, "subdivisions:add", "htb", lambda: adding.get_by_role("button", name="Volgende").click())
    page.get_by_label("Voorziening").select_option(label="HUIZE TERLOO (201870)")
    yield step(
        page, "subdivisions:add-details", "htb", lambda: page.get_by_role("button", name="Volgende").click()
    )
    page.get_by_label("E-mailadres van de subafdeling").fill("huizeterloo@broedersvanliefde.be")
    page.get_by_label("Ik wil zelf instaan voor het beheer van de subafdeling").check()
    yield step(
        page,
        "subdivisions:add-applications",
        "htb",
        lambda: page.get_by_role("button", name="Volgende").click(),
    )
    page.get_by_label(VIPA).check()
    yield step(
        page, "subdivisions:add-confirm", "htb", lambda: page.get_by_role("button", name="Opslaan").click()
    )
    yield step(
        page,
        "subdivisions:list (toegevoegd)",
        "htb",
        lambda: page.get_by_role("button", name="Bevestigen").click(),
    )
    # A user added to it (step 10), then changed.
    yield step(
        page,
        "users:list (nieuwe subafdeling)",
        "htb",
        lambda: page.get_by_role("link", name="HUIZE TERLOO", exact=True).click(),
    )
    adding = page.locator("#toevoegen")
    adding.get_by_label("INSZ").fill(SARAH)
    yield step(page, "users:create", "htb", lambda: adding.get_by_role("button", name="Volgende").click())
    yield step(page, "users:create (fout)", "htb", lambda: page.get_by_role("button", name="Opslaan").click())
    page.get_by_label("E-mailadres *").fill("sarah.maes@huizeterloo.be")
    page.get_by_label(VIPA).check()
    yield step(
        page, "users:create-confirm", "htb", lambda: page.get_by_role("button", name="Opslaan").click()
    )
    yield step(
        page, "users:list (toegevoegd)", "htb", lambda: page.get_by_role("button", name="Bevestigen").click()
    )
    yield step(
        page,
        "users:edit (Sarah)",
        "htb",
        lambda: page.locator("table").get_by_role("link", name="Maes").first.click(),
    )
    page.get_by_label("E-mailadres *").fill("s.maes@huizeterloo.be")
    yield step(page, "users:edit-confirm", "htb", lambda: page.get_by_role("button", name="Opslaan").click())
    # Sarah as co-lokale beheerder of the hoedanigheid (manual 3.4.3).
    page.get_by_role("button", name="Bevestigen").click()
    page.goto(base_url + "/toegangsbeheer/onthaal/")
    page.get_by_role("link", name="Hoedanigheid: eHealth Gezondheidszorg").click()
    page.get_by_role("link", name="Beheer van de gebruikers").click()
    appoint = page.locator("#aanstellen")
    appoint.get_by_label("Actie").select_option(label="Een Co-Lokale Beheerder toevoegen")
    appoint.get_by_label("INSZ").fill(SARAH)
    yield step(
        page,
        "administrators:managers-appoint",
        "htb",
        lambda: appoint.get_by_role("button", name="Volgende").click(),
    )
    yield step(
        page,
        "administrators:managers-appoint (fout)",
        "htb",
        lambda: page.get_by_role("button", name="Opslaan").click(),
    )
    page.get_by_label("E-mailadres *").fill("sarah.maes@broedersvanliefde.be")
    yield step(
        page,
        "administrators:managers-appoint-confirm",
        "htb",
        lambda: page.get_by_role("button", name="Opslaan").click(),
    )
    yield step(
        page,
        "administrators:managers (aangesteld)",
        "htb",
        lambda: page.get_by_role("button", name="Bevestigen").click(),
    )
    # Marc registers De Linde and appoints himself (manual 3.2.2): the four HTB steps.
    sign_in_demo(page, MARC, base_url)
    page.goto(base_url + "/beheer-toegangsbeheerders/hoofdtoegangsbeheerder/")
    page.get_by_label("Ondernemingsnummer").fill("0812.345.603")
    yield step(
        page,
        "administrators:htb-registration (De Linde)",
        "legal_rep",
        lambda: page.get_by_role("button", name="Een Hoofdtoegangsbeheerder aanstellen").click(),
    )
    page.get_by_role("radio", name="Andere persoon").check()
    yield step(
        page,
        "administrators:htb-registration (fout, andere persoon)",
        "legal_rep",
        lambda: page.get_by_role("button", name="Volgende").click(),
    )
    page.get_by_role("radio", name="Marc Vermeulen", exact=True).check()
    page.locator("#id_requester_email").fill("directie@delinde.be")
    page.locator("#id_requester_phone").fill("+32 3 450 12 00")
    yield step(
        page,
        "administrators:htb-confirmation",
        "legal_rep",
        lambda: page.get_by_role("button", name="Volgende").click(),
    )
    yield step(
        page,
        "administrators:htb-confirmation (fout)",
        "legal_rep",
        lambda: page.get_by_role("button", name="Bevestig", exact=True).click(),
    )
    page.get_by_role("checkbox", name="Ja, ik bevestig").check()
    yield step(
        page,
        "administrators:htb-done",
        "legal_rep",
        lambda: page.get_by_role("button", name="Bevestig", exact=True).click(),
    )
    # The eHealth contact center's form, sent.
    page.goto(base_url + "/contactcenter-ehealth/")
    for name, value in (
        ("last_name", "Peeters"),
        ("first_name", "An"),
        ("phone", "02 555 00 00"),
        ("email", "an@example.be"),
        ("message", "Wat ontbreekt er?"),
    ):
        page.locator(f"#id_{name}").fill(value)
    subject = page.locator("#id_subject")
    if subject.evaluate("el => el.tagName") == "SELECT":
        subject.select_option(index=1)
    else:
        subject.fill("Aanmelden")
    yield step(
        page, "helpdesk:sent", "legal_rep", lambda: page.locator("form button[type=submit]").last.click()
    )
