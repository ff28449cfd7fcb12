"""Forms of "Gebruikers - Subafdelingen" and "Een subafdeling toevoegen" (manual 3.5.1, chapter 4
steps 3-8) and of the subafdeling's own pages: validation only."""

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from accessportal.forms import ModelChoiceField, ModelMultipleChoiceField
from accessportal.identifiers import InszFormField
from accessportal.mail_addresses import PlainEmailField

PAGE_SIZE = 20


class SubafdelingFilterForm(forms.Form):
    """ "De lijst van de subafdelingen tonen op basis van de volgende criteria" (a GET form)."""

    naam = forms.CharField(label=_("Naam"), required=False, max_length=250)
    identificatie = forms.CharField(label=_("Identificatie"), required=False, max_length=12)
    type = ModelChoiceField(label=_("Type"), required=False, queryset=None, empty_label=_("Alle"))

    def __init__(self, *args, types, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["type"].queryset = types
        self.fields["type"].error_messages["invalid_choice"] = _("Kies een type uit de lijst.")

    def clean_identificatie(self):
        value = self.cleaned_data["identificatie"].strip()
        if value and not re.fullmatch(r"[0-9]+", value):
            raise forms.ValidationError(_("Een identificatie (HCO-nummer) bestaat enkel uit cijfers."))
        return value

    def filters(self) -> dict:
        """The valid criteria; an invalid one is shown next to its field and ignored."""
        data = getattr(self, "cleaned_data", {})
        return {name: data.get(name) for name in ("naam", "identificatie", "type")}


class StatusActionForm(forms.Form):
    """The radio per row and "De subafdeling blokkeren" / "De subafdeling deblokkeren", "Uitvoeren"."""

    BLOCK = "blokkeren"
    UNBLOCK = "deblokkeren"

    subafdeling = ModelChoiceField(
        queryset=None,
        error_messages={
            "required": _("Selecteer een subafdeling."),
            "invalid_choice": _("Deze subafdeling hoort niet bij deze hoedanigheid."),
        },
    )
    actie = forms.ChoiceField(
        label=_("Actie"),
        choices=((BLOCK, _("De subafdeling blokkeren")), (UNBLOCK, _("De subafdeling deblokkeren"))),
        error_messages={"required": _("Kies een actie."), "invalid_choice": _("Kies een actie.")},
    )

    def __init__(self, *args, queryset, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["subafdeling"].queryset = queryset


class OwnStatusForm(forms.Form):
    """ "Beheer van de status van de subafdeling": the action on this one subafdeling."""

    actie = forms.ChoiceField(
        choices=(
            (StatusActionForm.BLOCK, _("De subafdeling blokkeren")),
            (StatusActionForm.UNBLOCK, _("De subafdeling deblokkeren")),
        ),
        error_messages={"required": _("Kies een actie."), "invalid_choice": _("Kies een actie.")},
    )


class AddStartForm(forms.Form):
    """ "Een subafdeling toevoegen" (the subdivisie) + "Volgende"."""

    type = ModelChoiceField(
        label=_("Een subafdeling toevoegen"),
        queryset=None,
        to_field_name="code",
        empty_label=None,
        error_messages={"required": _("Kies een type."), "invalid_choice": _("Kies een type uit de lijst.")},
    )

    def __init__(self, *args, types, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["type"].queryset = types


class FacilityForm(forms.Form):
    """Step 5: the CoBRHA facility of the chosen type."""

    listing = ModelChoiceField(
        label=_("Voorziening"),
        queryset=None,
        empty_label=_("Kies een voorziening"),
        error_messages={
            "required": _("Kies een voorziening."),
            "invalid_choice": _("Deze voorziening kan niet als subafdeling van dit type toegevoegd worden."),
        },
    )

    def __init__(self, *args, listings, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["listing"].queryset = listings
        self.fields["listing"].label_from_instance = lambda listing: listing.label


class Management:
    SELF = "zelf"
    OTHER = "beheerder"
    choices = (
        (SELF, _("Ik wil zelf instaan voor het beheer van de subafdeling")),
        (OTHER, _("Ik wil een beheerder aanstellen om de subafdeling te beheren")),
    )


class SubafdelingDetailsForm(forms.Form):
    """Step 6: "Contactgegevens van de subafdeling" and "Subafdelingsbeheerder"."""

    email = PlainEmailField(
        label=_("E-mailadres van de subafdeling"),
        help_text=_(
            "* Het e-mailadres van de subafdeling zal gebruikt worden voor eventuele communicatie die "
            "verband houdt met het domein waarop deze subafdeling betrekking heeft, zoals een gerichte "
            "informatiecampagne, ..."
        ),
    )
    beheer = forms.ChoiceField(
        label=_("Subafdelingsbeheerder"),
        choices=Management.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Kies wie de subafdeling beheert.")},
    )
    insz = InszFormField(label=_("INSZ"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].error_messages["invalid"] = _("Geef een geldig e-mailadres in.")
        self.fields["email"].error_messages["required"] = _("Geef het e-mailadres van de subafdeling in.")

    def clean(self):
        data = super().clean()
        if data.get("beheer") == Management.OTHER and not data.get("insz") and "insz" not in self.errors:
            self.add_error("insz", _("Geef het INSZ van de subafdelingsbeheerder in."))
        return data


class ApplicationsForm(forms.Form):
    """Step 7 and the detail page: the applications of the hoedanigheid as checkboxes."""

    applications = ModelMultipleChoiceField(
        label=_("Beveiligde toepassingen"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Deze toepassing hoort niet bij de hoedanigheid.")},
    )

    def __init__(self, *args, offered, require_one=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["applications"].queryset = offered
        self.require_one = require_one

    def clean_applications(self):
        chosen = self.cleaned_data["applications"]
        if self.require_one and not chosen:
            raise forms.ValidationError(_("Selecteer minstens één toepassing."))
        return chosen
