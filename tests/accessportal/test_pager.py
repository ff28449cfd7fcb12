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


def _pager(**context) -> str:
    page = Paginator(range(100), 10).page(3)
    return Template('{% include "partials/pager.html" %}').render(
        RequestContext(RequestFactory().get("/lijst/?naam=a"), {"page": page, **context})
    )


def test_with_a_target_the_pager_swaps_only_the_list_and_says_which_list():
    html = _pager(target="lijst", label="Gebruikers")
    assert 'data-hx-target="#lijst"' in html and 'aria-label="Gebruikers"' in html


def test_without_a_target_the_links_load_the_page_and_name_the_pager():
    html = _pager()
    assert "data-hx-" not in html and 'aria-label="Paginering"' in html
    assert 'href="?naam=a&amp;pagina=2">Vorige</a>' in html and ">4</a>" in html


def test_the_kept_pager_follows_the_page_the_query_and_the_list():
    """The pager is kept per process ({% keep %}) under the page, the list's query and its words."""

    def pager(query: str, number: int, **context) -> str:
        page = Paginator(range(100), 10).page(number)
        return Template('{% include "partials/pager.html" %}').render(
            RequestContext(RequestFactory().get(f"/lijst/?{query}"), {"page": page, **context})
        )

    first = pager("naam=a", 3)
    assert pager("naam=a", 3) == first
    assert 'href="?naam=b&amp;pagina=2"' in pager("naam=b", 3)
    assert '<strong aria-current="page">4</strong>' in pager("naam=a", 4)
    assert 'aria-label="Gebruikers"' in pager("naam=a", 3, label="Gebruikers")
    assert 'data-hx-target="#lijst"' in pager("naam=a", 3, target="lijst")
