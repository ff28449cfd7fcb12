"""templates/django/forms/widgets/: Django's widget templates with their includes written in. They
must render the very HTML Django's own do, for every kind of widget the portal's forms use."""

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates, TemplatesSetting

CHOICES = [("", "Alle"), ("1", "Een & <twee>"), ("2", "Drie")]
GROUPED = [("Groep", [("a", "A"), ("b", "B")]), ("c", "C")]
WIDGETS = [
    (forms.TextInput(attrs={"class": "wide", "required": True, "disabled": False}), "x", 'a"b'),
    (forms.TextInput(), "leeg", None),
    (forms.DateInput(attrs={"autocomplete": "off"}), "datum", "2026-12-05"),
    (forms.EmailInput(), "mail", "a@b.be"),
    (forms.HiddenInput(), "verborgen", "7"),
    (forms.Select(choices=CHOICES, attrs={"id": "id_type"}), "type", "1"),
    (forms.Select(choices=GROUPED), "groep", "b"),
    (forms.SelectMultiple(choices=CHOICES), "meer", ["1", "2"]),
    (forms.CheckboxSelectMultiple(choices=CHOICES, attrs={"id": "id_apps"}), "apps", ["2"]),
    (forms.CheckboxSelectMultiple(choices=GROUPED), "apps", []),
    (forms.RadioSelect(choices=CHOICES, attrs={"id": "id_kies", "class": "radio"}), "kies", "1"),
    (forms.RadioSelect(choices=CHOICES), "kies", None),
    (forms.CheckboxInput(), "vink", True),
    (forms.Textarea(), "tekst", "<b>"),
]


@pytest.mark.parametrize(("widget", "name", "value"), WIDGETS)
def test_the_written_in_templates_render_djangos_html(widget, name, value):
    stock = widget.render(name, value, renderer=DjangoTemplates())
    ours = widget.render(name, value, renderer=TemplatesSetting())
    assert ours == stock


def test_the_portal_renders_widgets_through_the_written_in_templates():
    from django.forms.renderers import get_default_renderer

    for name in ("input", "select", "multiple_input"):
        template = get_default_renderer().get_template(f"django/forms/widgets/{name}.html")
        assert "with its includes written in" in template.template.source, name
