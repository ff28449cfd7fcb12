"""Forms and fields shared by the apps (validation only): the bounded search form, the criteria above
the lists of people, and the form fields every form of the portal (and its admin) uses to choose
database rows.

Django's ``ModelChoiceField`` and ``ModelMultipleChoiceField`` pass what the browser sent straight to
the database: an id beyond the column's range (2^63, 2^64) makes SQLite raise OverflowError on a
``pk__in`` look-up, and the admin's widgets re-render such a value with the same look-up, both a 500.
These fields first check that each value can be a key of the column at all (an integer in the column's
range, text within its length); anything else is "not one of the choices", shown next to the field like
any other wrong choice, and is never rendered back into the page.
"""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.db import connections, models
from django.utils.translation import gettext_lazy as _


def row_key_fits(model_field: models.Field, value, using: str = "default") -> bool:
    """Whether ``value`` can be a value of ``model_field`` in the database at all."""
    if isinstance(value, models.Model):
        return True
    text = str(value)
    if "\x00" in text:
        return False
    if isinstance(model_field, models.IntegerField):
        try:
            number = int(text)
        except ValueError:  # not a number, or more digits than Python converts
            return False
        low, high = connections[using].ops.integer_field_range(model_field.get_internal_type())
        return (low is None or number >= low) and (high is None or number <= high)
    max_length = getattr(model_field, "max_length", None)
    return max_length is None or len(text) <= max_length


class ReadOnceChoiceIterator(forms.models.ModelChoiceIterator):
    """The choices of a list, read from the database once per field: Django's iterator reads them
    again at every pass (a list validated, keyed and rendered read them three times), and counts
    them in a statement of its own. The portal's lists are short (types, applications, roles, a page
    of rows), so keeping their rows costs nothing. No choices (``none()``) compile no statement."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in self._rows():
            yield self.choice(obj)

    def __len__(self):  # Django's counts in a statement of its own
        return len(self._rows()) + (self.field.empty_label is not None)

    def _rows(self):
        if self.queryset.query.is_empty():  # none(): no rows, and no statement to compile for them
            return ()
        return self.queryset  # the field's own queryset: its rows are kept after the first pass


class _RowKeys:
    """What both fields share: the key column of the choices, and the check of one value against it,
    and choices read once (ReadOnceChoiceIterator)."""

    iterator = ReadOnceChoiceIterator

    def _set_queryset(self, queryset):
        # The queryset as given, not Django's copy of it (queryset.all()): the fields of a page given
        # the same choices read them once (the subafdelingen list's criteria and "Een subafdeling
        # toevoegen"). A form's field still gets a copy of its class's queryset (__deepcopy__), so no
        # rows outlive a request.
        self._queryset = queryset
        self.widget.choices = self.choices

    queryset = property(forms.ModelChoiceField._get_queryset, _set_queryset)

    def _key_field(self) -> models.Field:
        meta = self.queryset.model._meta
        return meta.get_field(self.to_field_name) if self.to_field_name else meta.pk

    def _fits(self, value) -> bool:
        return row_key_fits(self._key_field(), value, self.queryset.db)

    def _refuse(self, value):
        raise ValidationError(
            self.error_messages["invalid_choice"], code="invalid_choice", params={"value": str(value)[:50]}
        )


class ModelChoiceField(_RowKeys, forms.ModelChoiceField):
    def to_python(self, value):
        if value not in self.empty_values and not self._fits(value):
            self._refuse(value)
        return super().to_python(value)

    def prepare_value(self, value):
        if value not in self.empty_values and not self._fits(value):
            return None
        return super().prepare_value(value)


class ModelMultipleChoiceField(_RowKeys, forms.ModelMultipleChoiceField):
    def clean(self, value):
        # Before Django's clean, whose first step (prepare_value, below) would silently drop them.
        if isinstance(value, list | tuple):
            for key in value:
                if key not in self.empty_values and not self._fits(key):
                    self._refuse(key)
        return super().clean(value)

    def prepare_value(self, value):
        if isinstance(value, list | tuple | set | frozenset):
            value = [item for item in value if item in self.empty_values or self._fits(item)]
        elif (
            value not in self.empty_values
            and not isinstance(value, models.QuerySet | models.Model)
            and not self._fits(value)
        ):
            return []
        return super().prepare_value(value)


SEARCH_MIN_LENGTH = 2
SEARCH_MAX_LENGTH = 100


class SearchForm(forms.Form):
    """One search field, bounded: the manual's search, KBO Public Search and the CoBRHA Viewer."""

    zoek = forms.CharField(
        label=_("Zoekterm"),
        strip=True,
        error_messages={"required": _("Geef een zoekterm in.")},
    )

    def __init__(self, *args, label=None, help_text=None, **kwargs):
        super().__init__(*args, **kwargs)
        if label:
            self.fields["zoek"].label = label
        if help_text:
            self.fields["zoek"].help_text = help_text

    def clean_zoek(self):
        value = " ".join(self.cleaned_data["zoek"].split())
        if len(value) > SEARCH_MAX_LENGTH:
            raise forms.ValidationError(
                _("Uw zoekterm is te lang: ten hoogste %(max)s tekens.") % {"max": SEARCH_MAX_LENGTH},
                code="too_long",
            )
        if len(value) < SEARCH_MIN_LENGTH:
            raise forms.ValidationError(
                _("Geef minstens %(min)s tekens in.") % {"min": SEARCH_MIN_LENGTH}, code="too_short"
            )
        return value


# --- The criteria above a paged list of people ------------------------------------------------------

PAGE_SIZES = (10, 20, 50)


def page_size_field() -> forms.TypedChoiceField:
    """ "Aantal gebruikers": how many rows a page of the list shows."""
    return forms.TypedChoiceField(
        label=_("Aantal gebruikers"),
        required=False,
        choices=[(size, size) for size in PAGE_SIZES],
        coerce=int,
        empty_value=PAGE_SIZES[0],
    )


def form_fragment_key(form: forms.Form) -> str:
    """What a form shows depends on, when its validation reads nothing else (a list's criteria box,
    an unbound form that {% keep %} keeps): the form's class and prefix, whether and with which
    values of its own fields it is bound (unbound: their initial values), and the choices of its
    lists (an application authorised since, a subafdeling renamed). A list's choices are read once
    (ReadOnceChoiceIterator): a form rendered after a miss reads them no second time."""
    data = form.data
    parts = [type(form).__qualname__, form.prefix or "", str(form.is_bound)]
    for name, field in form.fields.items():
        key = form.add_prefix(name)
        if not form.is_bound:
            values = [form.get_initial_for_field(field, name)]
        else:
            values = data.getlist(key) if hasattr(data, "getlist") else [data.get(key)]
        parts.append(f"{name}={values!r}")
        if isinstance(field, forms.ChoiceField):
            parts.append(repr([(str(value), str(label)) for value, label in field.choices]))
    return "\n".join(parts)


class ListCriteriaForm(forms.Form):
    """The criteria above a paged list of people (a GET form). ``filters()`` gives the valid ones of
    ``criteria`` (an invalid one is shown next to its field and ignored), ``page_size()`` the chosen
    "Aantal gebruikers". The INSZ may be typed in any notation, also partly: only its digits count."""

    criteria: tuple[str, ...] = ()

    def clean_insz(self):
        value = self.cleaned_data["insz"].strip()
        if value and not re.fullmatch(r"[0-9 .\-/]+", value):
            raise forms.ValidationError(_("Een INSZ-nummer bestaat enkel uit cijfers."))
        return re.sub(r"\D", "", value)

    def filters(self) -> dict:
        data = getattr(self, "cleaned_data", {})
        return {name: data.get(name) for name in self.criteria}

    def page_size(self) -> int:
        return getattr(self, "cleaned_data", {}).get("aantal") or PAGE_SIZES[0]

    def searches_people(self) -> bool:
        """Whether a criterion on the person (a part of a name, the INSZ's start) narrows the list to a
        few rows: they are counted with the page (accessportal.http.CountedPaginator)."""
        from identity.selectors import PERSON_CRITERIA  # identity's forms build on this module

        filters = self.filters()
        return any(filters.get(name) for name in PERSON_CRITERIA)


class PeopleCriteriaForm(ListCriteriaForm):
    """ "De lijst van de gebruikers tonen op basis van de volgende criteria" (manual 3.4.2, 3.6.1): the
    lists of a hoedanigheid's (co-)lokale beheerders and of a subafdeling's users. Each list gives its
    ``types`` and ``statuses``, the ``applications`` of "Beveiligde toepassingen" and the message for
    an application that is not among them."""

    criteria = ("naam", "voornaam", "gebruikersnaam", "type", "insz", "status", "toepassing")
    types: tuple = ()
    statuses: tuple = ()
    application_refused = _("Kies een toepassing uit de lijst.")

    naam = forms.CharField(label=_("Naam"), required=False, max_length=100)
    voornaam = forms.CharField(label=_("Voornaam"), required=False, max_length=100)
    gebruikersnaam = forms.CharField(label=_("Gebruikersnaam"), required=False, max_length=64)
    type = forms.ChoiceField(label=_("Type"), required=False)
    insz = forms.CharField(label=_("INSZ"), required=False, max_length=20)
    status = forms.ChoiceField(label=_("Status"), required=False)
    toepassing = ModelChoiceField(
        label=_("Beveiligde toepassingen"), required=False, queryset=None, empty_label=_("Alle")
    )
    aantal = page_size_field()

    def __init__(self, *args, applications, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["type"].choices = (("", _("Alle")), *self.types)
        self.fields["status"].choices = (("", _("Alle")), *self.statuses)
        self.fields["toepassing"].queryset = applications
        self.fields["toepassing"].error_messages["invalid_choice"] = self.application_refused


class SelectionForm(forms.Form):
    """The checkboxes of a list's rows for an action on several of them ("Gebruiker(s) verwijderen"):
    the field ``selection`` (named as the checkboxes are) chooses among the form's ``queryset``."""

    selection = ""

    def __init__(self, *args, queryset, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields[self.selection].queryset = queryset


def selection_field(*, required, not_in_list) -> ModelMultipleChoiceField:
    return ModelMultipleChoiceField(
        queryset=None,
        error_messages={"required": required, "invalid_choice": not_in_list, "invalid_pk_value": not_in_list},
    )
