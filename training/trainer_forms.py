"""The trainers' forms (/opleiding/): validation only; the services decide and check again."""

import uuid

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from training.models import MAX_TRAINEES, Scenario

SIZE_MESSAGE = _("Een klas telt 1 tot %(max)s cursisten.")


class ClassroomForm(forms.Form):
    """ "Een klas aanmaken": Naam, Aantal cursisten (1 to 40), Scenario."""

    name = forms.CharField(
        label=_("Naam"),
        max_length=120,
        error_messages={
            "required": _("Geef de klas een naam."),
            "max_length": _("De naam van een klas telt hoogstens 120 tekens."),
        },
    )
    size = forms.IntegerField(
        label=_("Aantal cursisten"),
        min_value=1,
        max_value=MAX_TRAINEES,
    )
    scenario = forms.ChoiceField(
        label=_("Scenario"),
        choices=Scenario.choices,
        error_messages={
            "required": _("Kies een scenario uit de lijst."),
            "invalid_choice": _("Kies een scenario uit de lijst."),
        },
    )
    # A one-time token: the same form sent twice (a double click, back and send again) makes one
    # classroom (services.classroom_create, a unique column).
    token = forms.UUIDField(
        required=False,
        widget=forms.HiddenInput,
        error_messages={
            "invalid": _("Dit formulier is verlopen: laad de pagina opnieuw en vul het opnieuw in.")
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial["token"] = uuid.uuid4()
        # Formatted here, in the language of the request (a lazy string formatted at import is not).
        size_message = SIZE_MESSAGE % {"max": MAX_TRAINEES}
        self.fields["size"].help_text = _("1 tot %(max)s: elke cursist krijgt een eigen zandbak.") % {
            "max": MAX_TRAINEES
        }
        self.fields["size"].error_messages.update(
            {key: size_message for key in ("required", "invalid", "min_value", "max_value")}
        )
        self.fields["size"].widget.attrs.update({"class": "size-input", "inputmode": "numeric"})


class ClockForm(forms.Form):
    """A sandbox's clock on the dashboard: "+20 minuten", "Naar de volgende wijziging", or a date."""

    MINUTES, NEXT, DATE = "20-minuten", "volgende-wijziging", "datum"
    BY = settings.PROPAGATION_DELAY

    vooruit = forms.ChoiceField(
        choices=[(MINUTES, MINUTES), (NEXT, NEXT), (DATE, DATE)],
        error_messages={
            "required": _("Kies hoe ver de klok vooruit moet."),
            "invalid_choice": _("Kies hoe ver de klok vooruit moet."),
        },
    )
    to = forms.DateField(
        label=_("Datum"),
        required=False,
        input_formats=["%d-%m-%Y", "%d/%m/%Y", "%d.%m.%Y", "%Y-%m-%d"],
        # Typed as the portal asks for dates (dd-mm-jjjj), whatever the browser's locale.
        widget=forms.DateInput(
            attrs={"class": "date-input", "placeholder": "dd-mm-jjjj", "autocomplete": "off", "size": 11},
            format="%d-%m-%Y",
        ),
        error_messages={"invalid": _("Geen geldige datum: gebruik het formaat dd-mm-jjjj.")},
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("vooruit") == self.DATE and not cleaned.get("to") and "to" not in self.errors:
            self.add_error("to", _("Kies de datum waarop de klok moet staan."))
        return cleaned

    def advance(self) -> dict:
        """The keyword arguments of ``services.world_clock_advance`` this form asks for."""
        choice = self.cleaned_data["vooruit"]
        if choice == self.MINUTES:
            return {"by": self.BY}
        if choice == self.NEXT:
            return {"to_next_effect": True}
        return {"to": self.cleaned_data["to"]}
