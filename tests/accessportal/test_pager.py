from django.core.paginator import Paginator
from django.template import RequestContext, Template
from django.test import RequestFactory

from accessportal.templatetags.portal import page_window


def test_a_long_list_links_a_window_of_pages_not_all_of_them():
    page = Paginator(range(20_000), 10).page(1000)
    numbers = list(page_window(page))
    assert numbers == [1, "…", 996, 997, 998, 999, 1000, 1001, 1002, 1003, 1004, "…", 2000]


def test_the_pager_shows_the_window_with_begin_and_end():
    page = Paginator(range(20_000), 10).page(1)
    html = Template(
        '{% include "partials/pager.html" with page=page target="lijst" label="Pagina" %}'
    ).render(RequestContext(RequestFactory().get("/lijst/?naam=a"), {"page": page}))
    assert html.count("pagina=") < 40 and "Eind" in html and "…" in html
