"""accessportal.forms' choice fields: choices read once, and shared by the fields given the same
queryset in one request, never kept from one form to the next."""

import pytest
from django import forms
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accessportal.forms import ModelChoiceField, ModelMultipleChoiceField
from enterprises.models import Application

pytestmark = pytest.mark.django_db


class Both(forms.Form):
    one = ModelChoiceField(queryset=None)
    many = ModelMultipleChoiceField(queryset=None)

    def __init__(self, *args, choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["one"].queryset = choices
        self.fields["many"].queryset = choices


class Fixed(forms.Form):
    one = ModelChoiceField(queryset=Application.objects.order_by("pk"))


def application(code: str) -> Application:
    return Application.objects.create(code=code, name=code.upper())


def rendered(form: forms.Form) -> str:
    return str(form)


def test_fields_given_the_same_queryset_read_it_once():
    first, second = application("een"), application("twee")
    choices = Application.objects.order_by("pk")
    with CaptureQueriesContext(connection) as queries:
        html = rendered(Both(choices=choices)) + rendered(Both(choices=choices))
    assert len(queries) == 1
    assert html.count(f'value="{first.pk}"') == 4 and html.count(f'value="{second.pk}"') == 4


def test_a_class_queryset_is_read_again_by_every_form():
    application("een")
    assert "TWEE" not in rendered(Fixed())
    application("twee")
    with CaptureQueriesContext(connection) as queries:
        assert "TWEE" in rendered(Fixed())
    assert len(queries) == 1


def test_a_shared_queryset_still_validates_each_answer():
    first = application("een")
    choices = Application.objects.order_by("pk")
    form = Both({"one": str(first.pk), "many": [str(first.pk)]}, choices=choices)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["one"] == first and list(form.cleaned_data["many"]) == [first]
    refused = Both({"one": "999999", "many": ["999999"]}, choices=choices)
    assert not refused.is_valid() and set(refused.errors) == {"one", "many"}


def test_no_choices_compile_no_statement(monkeypatch):
    """A field given ``none()`` (the subafdelingen list's action form) lists no rows without the ORM
    compiling a statement for them (which costs as much as a small page's rendering)."""
    from django.db.models.sql.compiler import SQLCompiler

    compiled = []
    as_sql = SQLCompiler.as_sql
    monkeypatch.setattr(
        SQLCompiler, "as_sql", lambda self, *a, **k: compiled.append(1) or as_sql(self, *a, **k)
    )
    form = Both(choices=Application.objects.none())
    assert [value for value, _label in form.fields["one"].choices] == [""]  # the empty label only
    assert list(form.fields["many"].choices) == []
    assert compiled == []
