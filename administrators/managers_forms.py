"""Forms of "Beheer van de gebruikers" of a hoedanigheid (manual 3.4.2, 3.4.3): validation only."""

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from accessportal.forms import ModelChoiceField, ModelMultipleChoiceField
from accessportal.identifiers import InszFormField
from accessportal.mail_addresses import PlainEmailField
from administrators.models import AdministratorKind
from administrators.services import LB_NOT_REMOVABLE

PAGE_SIZES = (10, 20, 50)

TYPE_LABELS = {AdministratorKind.LB.value: "LB", AdministratorKind.CO_LB.value: "co-LB"}


class Status:
    ACTIVE = "ACTIEF"
    INACTIVE = "NIET_ACTIEF"
    choices = (("", _("Alle")), (ACTIVE, _("Actief")), (INACTIVE, _("Niet actief")))


class ManagerFilterForm(forms.Form):
    """ "De lijst van de gebruikers tonen op basis van de volgende criteria" (a GET form).

    The INSZ may be typed in any notation, also partly: only its digits count."""

    naam = forms.CharField(label=_("Naam"), required=False, max_length=100)
    voornaam = forms.CharField(label=_("Voornaam"), required=False, max_length=100)
    gebruikersnaam = forms.CharField(label=_("Gebruikersnaam"), required=False, max_length=64)
    type = forms.ChoiceField(label=_("Type"), required=False, choices=(("", _("Alle")), *TYPE_LABELS.items()))
    insz = forms.CharField(label=_("INSZ"), required=False, max_length=20)
    status = forms.ChoiceField(label=_("Status"), required=False, choices=Status.choices)
    toepassing = ModelChoiceField(
        label=_("Beveiligde toepassingen"),
        required=False,
        queryset=None,
        empty_label=_("Alle"),
        error_messages={"invalid_choice": _("Kies een toepassing uit de lijst.")},
    )
    aantal = forms.TypedChoiceField(
        label=_("Aantal gebruikers"),
        required=False,
        choices=[(size, size) for size in PAGE_SIZES],
        coerce=int,
        empty_value=PAGE_SIZES[0],
    )

    def __init__(self, *args, applications, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["toepassing"].queryset = applications

    def clean_insz(self):
        value = self.cleaned_data["insz"].strip()
        if value and not re.fullmatch(r"[0-9 .\-/]+", value):
            raise forms.ValidationError(_("Een INSZ-nummer bestaat enkel uit cijfers."))
        return re.sub(r"\D", "", value)

    def filters(self) -> dict:
        """The criteria that are valid; an invalid one is shown next to its field and ignored."""
        data = getattr(self, "cleaned_data", {})
        names = ("naam", "voornaam", "gebruikersnaam", "type", "insz", "status", "toepassing")
        return {name: data.get(name) for name in names}

    def page_size(self) -> int:
        return getattr(self, "cleaned_data", {}).get("aantal") or PAGE_SIZES[0]


class AppointStartForm(forms.Form):
    """The list and the field at the bottom: "Van lokale beheerder veranderen" / "Een Co-Lokale
    Beheerder toevoegen", "INSZ:", "Volgende"."""

    kind = forms.ChoiceField(
        label=_("Actie"),
        choices=(
            (AdministratorKind.LB.value, _("Van lokale beheerder veranderen")),
            (AdministratorKind.CO_LB.value, _("Een Co-Lokale Beheerder toevoegen")),
        ),
    )
    insz = InszFormField(label=_("INSZ"))


class AdministratorContactForm(forms.Form):
    """ "Een lokale beheerder aanmaken": the two fields that are not read from the national register."""

    email = PlainEmailField(label=_("E-mailadres"))
    local_email = PlainEmailField(
        label=_("Lokaal e-mailadres"),
        required=False,
        help_text=_(
            "(dit adres mag gebruikt worden in het kader van uw individuele contacten met het contactcenter Eranova)"
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].error_messages["invalid"] = _("Geef een geldig e-mailadres in.")
        self.fields["local_email"].error_messages["invalid"] = _("Geef een geldig e-mailadres in.")


class RemoveSelectionForm(forms.Form):
    """The checkboxes of the list and "Verwijderen gebruiker(s)"."""

    administrator = ModelMultipleChoiceField(
        queryset=None,
        error_messages={
            "required": _("Selecteer minstens één Co-Lokale Beheerder om te verwijderen."),
            "invalid_choice": _("Deze gebruiker is geen Co-Lokale Beheerder van deze hoedanigheid."),
            "invalid_pk_value": _("Deze gebruiker is geen Co-Lokale Beheerder van deze hoedanigheid."),
        },
    )

    def __init__(self, *args, queryset, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["administrator"].queryset = queryset

    def clean_administrator(self):
        chosen = self.cleaned_data["administrator"]
        if any(administrator.kind == AdministratorKind.LB for administrator in chosen):
            raise forms.ValidationError(LB_NOT_REMOVABLE)
        return chosen
