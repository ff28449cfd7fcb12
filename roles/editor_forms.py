"""Forms of the roles editor, "Functies en Verantwoordelijkheden Hiërarchie" (manual 3.6.2): validation
only. Whether a role may be given (the right it needs, the dates, overlaps) is the services' rule
(roles/services.py); these forms only turn what was typed into values."""

import re
from datetime import date

from django import forms
from django.utils.translation import gettext_lazy as _

from accessportal.forms import ListCriteriaForm, ModelChoiceField, page_size_field
from roles.models import Role

INVALID_DATE = _("Geen geldige datum: gebruik het formaat dd-mm-jjjj.")
OTHER_NOTATION = _("Typ de datum als dd-mm-jjjj, met streepjes: %(date)s.")
DATE_PLACEHOLDER = _("dd-mm-jjjj")
DATE_PATTERN = re.compile(r"(\d{1,2})-(\d{1,2})-(\d{4})")
# Other notations people type, recognised only to say how the portal wants them.
OTHER_NOTATIONS = (
    (re.compile(r"(\d{1,2})[/.](\d{1,2})[/.](\d{4})"), (0, 1, 2)),
    (re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})"), (2, 1, 0)),
)


def _date(day: int, month: int, year: int) -> date | None:
    try:
        return date(year, month, day) if year >= 1900 else None
    except ValueError:
        return None


class PortalDateField(forms.Field):
    """A date typed as the portal asks: "*: Datum formaat: (dd-mm-jjjj)" (manual 3.6.2), e.g. 22-11-2023.

    Only that notation: a date typed otherwise (22/11/2023, 22.11.2023, 2023-11-22) is refused with
    the same date written the portal's way, so the person sees at once what to type. ``strict=False``
    (a screen of the simulator, not of the manual) takes those notations too. A plain text input: no
    browser date picker and no HTML5 validation, the message comes from here. Optional by default: a
    missing start date is the service's refusal ("De startdatum is verplicht.")."""

    widget = forms.TextInput
    default_error_messages = {"invalid": INVALID_DATE, "notation": OTHER_NOTATION}

    def __init__(self, *, strict: bool = True, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)
        self.strict = strict
        self.widget.attrs.update(
            {
                "placeholder": DATE_PLACEHOLDER,
                "autocomplete": "off",
                "size": 12,
                "class": "date-input",
                "aria-describedby": "datum-formaat",
            }
        )

    def to_python(self, value):
        if isinstance(value, date):
            return value
        text = (value or "").strip()
        if not text:
            return None
        match = DATE_PATTERN.fullmatch(text)
        if match is not None:
            day, month, year = (int(part) for part in match.groups())
            typed = _date(day, month, year)
            if typed is None:
                raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
            return typed
        for pattern, order in OTHER_NOTATIONS:
            other = pattern.fullmatch(text)
            if other is not None:
                parts = [int(part) for part in other.groups()]
                meant = _date(*(parts[index] for index in order))
                if meant is not None and not self.strict:
                    return meant
                if meant is not None:
                    raise forms.ValidationError(
                        self.error_messages["notation"], code="notation", params={"date": f"{meant:%d-%m-%Y}"}
                    )
        raise forms.ValidationError(self.error_messages["invalid"], code="invalid")

    def prepare_value(self, value):
        return f"{value:%d-%m-%Y}" if isinstance(value, date) else value


class RoleSelect(forms.Select):
    """The list of the roles: every role of the catalogue; those the user cannot get now are shown
    disabled, with the reason in their label."""

    def __init__(self, *args, unavailable=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.unavailable = unavailable or {}

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        if getattr(value, "value", value) in self.unavailable:
            option["attrs"]["disabled"] = True
        return option


class _PreloadedIterator(forms.models.ModelChoiceIterator):
    """The choices of a list of roles already read: no query when the list is rendered."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for role in self.field.roles:
            yield self.choice(role)

    def __len__(self):
        return len(self.field.roles) + (self.field.empty_label is not None)

    def __bool__(self):
        return self.field.empty_label is not None or bool(self.field.roles)


class RoleChoiceField(ModelChoiceField):
    """A role of ``roles`` (a list, in the catalogue's order); ``unavailable`` maps the id of a role
    the user cannot get now to the reason shown in its label."""

    iterator = _PreloadedIterator

    def __init__(self, *args, **kwargs):
        self.roles, self.unavailable = [], {}
        super().__init__(*args, widget=RoleSelect(), **kwargs)

    def set_roles(self, roles: list, unavailable: dict) -> None:
        self.roles, self.unavailable = list(roles), unavailable
        self.widget.unavailable = unavailable
        self.widget.choices = self.choices

    @property
    def unavailable_ids(self) -> tuple[int, ...]:
        """The roles shown disabled: with the choices, what the rendered list depends on."""
        return tuple(sorted(self.unavailable))

    def label_from_instance(self, obj):
        reason = self.unavailable.get(obj.pk)
        return f"{obj.name} {reason}" if reason else obj.name

    def to_python(self, value):
        if value in self.empty_values:
            return None
        by_pk = {str(role.pk): role for role in self.roles}
        if str(value) not in by_pk:
            raise forms.ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return by_pk[str(value)]


class RoleAssignForm(forms.Form):
    """The new row of "Bewerken Functies": the role, "Startdatum *", "Einddatum"; "Toevoegen".

    A disabled role still validates here, so that a crafted request meets the service's refusal."""

    use_required_attribute = False  # no HTML5 validation: the messages come from the server

    role = RoleChoiceField(
        label=_("Functie"),
        queryset=Role.objects.none(),
        empty_label=_("Kies een functie"),
        error_messages={
            "required": _("Kies een functie uit de lijst."),
            "invalid_choice": _("Kies een functie uit de lijst."),
        },
    )
    start_date = PortalDateField(label=_("Startdatum"))
    end_date = PortalDateField(label=_("Einddatum"))

    def __init__(self, *args, roles: list, unavailable: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].set_roles(roles, unavailable)


class RoleDatesForm(forms.Form):
    """Changing a role ("Wijzigen"): its "Startdatum *" and "Einddatum"."""

    use_required_attribute = False

    start_date = PortalDateField(label=_("Startdatum"))
    end_date = PortalDateField(label=_("Einddatum"))


class StaffFilterForm(ListCriteriaForm):
    """The criteria of "Overzicht Personeelsbestand". ``subafdelingen`` adds the Subafdeling criterion
    (the hoedanigheid's overview)."""

    criteria = ("naam", "voornaam", "insz", "functie", "subafdeling")

    naam = forms.CharField(label=_("Naam"), required=False, max_length=100)
    voornaam = forms.CharField(label=_("Voornaam"), required=False, max_length=100)
    insz = forms.CharField(label=_("INSZ"), required=False, max_length=20)
    functie = ModelChoiceField(
        label=_("Functie"),
        required=False,
        queryset=None,
        empty_label=_("Alle"),
        error_messages={"invalid_choice": _("Kies een functie uit de lijst.")},
    )
    subafdeling = ModelChoiceField(
        label=_("Subafdeling"),
        required=False,
        queryset=None,
        empty_label=_("Alle"),
        error_messages={"invalid_choice": _("Kies een subafdeling uit de lijst.")},
    )
    aantal = page_size_field()

    def __init__(self, *args, roles, subafdelingen=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["functie"].queryset = roles
        if subafdelingen is None:
            del self.fields["subafdeling"]
        else:
            self.fields["subafdeling"].queryset = subafdelingen
            self.fields["subafdeling"].label_from_instance = _subafdeling_label


def _subafdeling_label(subafdeling) -> str:
    return _("%(type)s: %(name)s; HCO-nummer: %(hco)s") % {
        "type": subafdeling.subdivision_type.name,
        "name": subafdeling.name,
        "hco": subafdeling.facility.hco_number,
    }
