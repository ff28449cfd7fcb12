"""PageTitleMiddleware (issue 17): the h1 before the site's name, "Fout: " with an error summary, and
nothing else touched (htmx's partials, other content types, a title that already says the h1)."""

from django.http import HttpResponse
from django.test import RequestFactory

from accessportal.middleware import PageTitleMiddleware


def page(body: str, title: str = "CSAM", content_type: str = "text/html; charset=utf-8") -> HttpResponse:
    return HttpResponse(f"<html><head><title>{title}</title></head><body>{body}</body></html>", content_type)


def title_after(response: HttpResponse, htmx: bool = False) -> str:
    request = RequestFactory().get("/")
    request.htmx = htmx
    content = PageTitleMiddleware(lambda request: response)(request).content.decode()
    return content.split("<title>")[1].split("</title>")[0]


def test_the_h1_goes_before_the_site_name():
    assert (
        title_after(page('<h1 class="x">Gebruikers <em>toevoegen</em></h1>')) == "Gebruikers toevoegen - CSAM"
    )


def test_a_title_that_holds_the_h1_stays():
    assert title_after(page("<h1>Aanmelden</h1>", title="Aanmelden | CSAM")) == "Aanmelden | CSAM"


def test_an_error_summary_puts_fout_first():
    body = '<h1>Aanmelden</h1><div class="error-summary" role="alert" tabindex="-1"></div>'
    assert title_after(page(body, title="Aanmelden | CSAM")) == "Fout: Aanmelden | CSAM"


def test_the_script_of_the_same_name_is_no_error_summary():
    body = '<script src="/static/js/error-summary.js" defer></script><h1>Aanmelden</h1>'
    assert title_after(page(body, title="Aanmelden | CSAM")) == "Aanmelden | CSAM"


def test_htmx_partials_and_other_content_are_left_alone():
    assert title_after(page("<h1>Lijst</h1>"), htmx=True) == "CSAM"
    assert title_after(page("<h1>Lijst</h1>", content_type="text/plain")) == "CSAM"
