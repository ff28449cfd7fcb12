"""{% keep %}: a rendered fragment kept per process under the values it shows (accessportal.fragments)."""

import pytest
from django import forms
from django.template import Context, Template, TemplateSyntaxError
from django.urls import reverse

from accessportal import fragments
from accessportal.forms import form_fragment_key
from enterprises.models import Enterprise
from subdivisions.models import Subafdeling


def render(text: str, **values) -> str:
    return Template(text).render(Context(values))


def test_a_fragment_is_rendered_once_per_key():
    kept = '{% keep "greeting" name %}Dag {{ name }}, {{ unkeyed }}{% endkeep %}'
    assert render(kept, name="An", unkeyed="eerst") == "Dag An, eerst"
    assert render(kept, name="An", unkeyed="later") == "Dag An, eerst"  # kept: not rendered again
    assert render(kept, name="Bert", unkeyed="later") == "Dag Bert, later"  # another key
    assert render('{% keep "other" name %}{{ name }}!{% endkeep %}', name="An") == "An!"  # another name


def test_a_fragment_keeps_its_escaping():
    assert render('{% keep "x" name %}<b>{{ name }}</b>{% endkeep %}', name="<i>") == "<b>&lt;i&gt;</b>"


def test_a_fragment_with_a_csrf_token_is_refused():
    with pytest.raises(fragments.FragmentError, match="CSRF"):
        render('{% keep "form" %}{% csrf_token %}{% endkeep %}', csrf_token="abc")


def test_the_fragments_of_a_process_are_bounded(monkeypatch):
    monkeypatch.setattr(fragments, "LIMIT", 3)
    for number in range(3):
        render('{% keep "n" n %}{{ n }}{% endkeep %}', n=number)
    assert fragments.fragment_get(("n", 0)) == "0"
    render('{% keep "n" n %}{{ n }}{% endkeep %}', n=3)  # the fourth: the kept ones go first
    assert fragments.fragment_get(("n", 0)) is None and fragments.fragment_get(("n", 3)) == "3"


def test_unless_renders_the_fragment_every_time_while_its_condition_holds():
    kept = '{% keep "form" name unless bound %}{{ name }} {{ errors }}{% endkeep %}'
    assert render(kept, name="An", errors="fout", bound=True) == "An fout"
    assert render(kept, name="An", errors="", bound=False) == "An "
    assert render(kept, name="An", errors="andere fout", bound=True) == "An andere fout"  # not kept
    assert render(kept, name="An", errors="later", bound=False) == "An "  # kept while unbound


def test_keep_needs_a_quoted_name():
    with pytest.raises(TemplateSyntaxError):
        Template("{% keep name %}x{% endkeep %}")
    with pytest.raises(TemplateSyntaxError):
        Template('{% keep "x" unless a b %}x{% endkeep %}')


@pytest.mark.django_db
def test_the_portal_header_shows_a_new_name_at_the_next_request(client, world):
    """The header's context (enterprise, hoedanigheid, subafdeling) is kept under the names it shows:
    renamed, it is a new key."""
    main = world.main
    client.force_login(main.sb)
    url = reverse("users:list", kwargs={"subafdeling_id": main.subafdeling.pk})

    def header() -> str:
        page = client.get(url).text
        return page[page.index('<div class="portal-context">') : page.index("</header>")]

    assert main.subafdeling.name in header()
    Subafdeling.objects.filter(pk=main.subafdeling.pk).update(name="Hernoemde afdeling")
    assert "Hernoemde afdeling" in header()
    Enterprise.objects.filter(pk=main.enterprise.pk).update(name="Hernoemde onderneming")
    assert "<strong>Hernoemde onderneming</strong>" in header()


def test_a_forms_key_names_its_initial_values_and_its_bound_values():
    class Dates(forms.Form):
        start = forms.CharField()

    assert form_fragment_key(Dates(initial={"start": "01-01-2030"})) != form_fragment_key(Dates())
    assert form_fragment_key(Dates({"start": "a"})) != form_fragment_key(Dates({"start": "b"}))
    assert form_fragment_key(Dates({"start": "a"})) != form_fragment_key(Dates(initial={"start": "a"}))
