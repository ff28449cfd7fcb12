"""Forms of the users of a subafdeling (manual 3.6.1, chapter 4 step 10): validation only."""

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from accessportal.forms import ModelMultipleChoiceField, PeopleCriteriaForm, SelectionForm, selection_field
from accessportal.identifiers import InszFormField
from accessportal.mail_addresses import ContactAddressesForm
from identity.models import Language, Title
from users.import_files import MAX_BYTES, file_too_big_message
from users.models import UserStatus
from users.selectors import USER_TYPE

NOT_AUTHORISED = _("Deze toepassing is niet geautoriseerd op deze subafdeling.")


class UserFilterForm(PeopleCriteriaForm):
    """The criteria of the list of a subafdeling's users: Type "SS", their Status, and only the
    applications authorised on the subafdeling."""

    types = ((USER_TYPE, USER_TYPE),)
    statuses = tuple(UserStatus.choices)
    application_refused = NOT_AUTHORISED


class UserStartForm(forms.Form):
    """ "Een gebruiker toevoegen", "INSZ:", "Volgende"."""

    insz = InszFormField(label=_("INSZ"))


class UserForm(ContactAddressesForm):
    """ "Een gebruiker aanmaken" / editing a user: what is not read from the national register
    ("Titel ▼" and "Taalkeuze ▼" are lists, manual chapter 4 step 10). "Beveiligde toepassingen" may
    be left empty: the manual asks only the fields with a * (docs/ARCHITECTURE.md)."""

    field_order = ("title", "language", "email", "local_email", "applications")

    title = forms.ChoiceField(label=_("Titel"), choices=Title.choices)
    language = forms.ChoiceField(label=_("Taalkeuze"), choices=Language.choices)
    applications = ModelMultipleChoiceField(
        label=_("Beveiligde toepassingen"),
        required=False,
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": NOT_AUTHORISED, "invalid_pk_value": NOT_AUTHORISED},
    )

    def __init__(self, *args, applications, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["applications"].queryset = applications
        self.fields["language"].error_messages["invalid_choice"] = _("Kies een taal uit de lijst.")
        self.fields["title"].error_messages["invalid_choice"] = _("Kies een titel uit de lijst.")
        self.fields["title"].error_messages["required"] = _("Kies een titel uit de lijst.")


class UserRemoveForm(SelectionForm):
    """The checkboxes of the list, "Gebruiker(s) verwijderen" and "Uitvoeren"."""

    selection = "gebruiker"
    gebruiker = selection_field(
        required=_("Selecteer minstens één gebruiker om te verwijderen."),
        not_in_list=_("Deze persoon is geen gebruiker van deze subafdeling."),
    )


class PersonLookupForm(forms.Form):
    """The criteria of "Gebruikers opzoeken" and "Beheer van de wachtwoorden" (a GET form): the INSZ in
    any notation (85.07.30-033.28, 85073003328; also its start), and / or the name."""

    use_required_attribute = False

    insz = forms.CharField(label=_("INSZ"), required=False, max_length=20)
    naam = forms.CharField(label=_("Naam of voornaam"), required=False, max_length=100)

    def clean_insz(self):
        value = self.cleaned_data["insz"].strip()
        if value and not re.fullmatch(r"[0-9 .\-/]+", value):
            raise forms.ValidationError(
                _("Een INSZ-nummer bestaat enkel uit cijfers, bv. 85.07.30-033.28 of 85073003328.")
            )
        digits = re.sub(r"\D", "", value)
        if len(digits) > 11:
            raise forms.ValidationError(_("Een INSZ-nummer telt 11 cijfers."))
        return digits

    def clean(self):
        data = super().clean()
        if not self.errors and not data.get("insz") and not data.get("naam", "").strip():
            raise forms.ValidationError(_("Geef een INSZ-nummer of een naam in."))
        return data

    def criteria(self) -> dict:
        """The valid criteria, or none at all when the form was not valid (nobody is found)."""
        if not self.is_bound or not self.is_valid():
            return {}
        return {"insz": self.cleaned_data["insz"], "name": self.cleaned_data["naam"].strip()}


class CertificateForm(forms.Form):
    """ "Beheer van het certificaat…": the certificate file; what it must be is users.certificates' rule."""

    use_required_attribute = False

    certificate = forms.FileField(
        label=_("Certificaat (PEM of DER)"),
        error_messages={
            "required": _("Kies het bestand met uw certificaat."),
            "empty": _("Dit bestand is leeg. Kies het bestand met uw certificaat."),
            "invalid": _("Kies het bestand met uw certificaat."),
        },
        widget=forms.FileInput(attrs={"accept": ".pem,.crt,.cer,.der"}),
    )


class UserImportForm(forms.Form):
    """ "Gebruikers importeren": the file; what it must hold is users.import_files' and users.imports' rule."""

    use_required_attribute = False

    file = forms.FileField(
        label=_("Bestand (.csv of .xlsx)"),
        error_messages={
            "required": _("Kies het bestand met de gebruikers."),
            "empty": _("Dit bestand is leeg. Kies het bestand met de gebruikers."),
            "invalid": _("Kies het bestand met de gebruikers."),
        },
        widget=forms.FileInput(
            attrs={
                "accept": ".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            }
        ),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(file_too_big_message(), code="too_big")
        return upload
