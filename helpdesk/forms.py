"""The eHealth contact center's web form (manual 5.1.1, figure 3) and the trainers' answer: validation
only (the services check everything again)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from accessportal.mail_addresses import PlainEmailField
from accessportal.services import ServiceError
from accessportal.validators import phone_clean
from helpdesk.services import TEXT_MAX


class ContactForm(forms.Form):
    # "Uw gegevens"
    last_name = forms.CharField(
        label=_("Naam"), max_length=100, error_messages={"required": _("Geef uw naam in.")}
    )
    first_name = forms.CharField(
        label=_("Voornaam"), max_length=100, error_messages={"required": _("Geef uw voornaam in.")}
    )
    phone = forms.CharField(
        label=_("Tel nr of gsm"),
        max_length=30,
        error_messages={"required": _("Geef uw telefoon- of gsm-nummer in.")},
    )
    email = PlainEmailField(
        label=_("e-mail"),
        error_messages={
            "required": _("Geef uw e-mailadres in."),
            "invalid": _("Geef een geldig e-mailadres in."),
        },
    )
    # "Uw vraag"
    subject = forms.CharField(
        label=_("Onderwerp"),
        max_length=200,
        error_messages={"required": _("Geef het onderwerp van uw vraag in.")},
    )
    reference = forms.CharField(
        label=_("Ticketnummer"),
        max_length=32,
        required=False,
        help_text=_(
            "Referentie van uw aanvraag tijdens uw eerste uitwisseling met het eHealth-contactcenter "
            "(formulier, mail of telefonisch contact)"
        ),
    )
    message = forms.CharField(
        label=_("Uw bericht"),
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 8}),
        error_messages={"required": _("Schrijf uw bericht.")},
    )
    attachment = forms.FileField(
        label=_("Een bestand toevoegen"),
        required=False,
        help_text=_("PDF, PNG, JPEG of tekst (.txt), ten hoogste 5 MB."),
        error_messages={"empty": _("Het bestand is leeg.")},
    )

    def clean_phone(self):
        try:
            return phone_clean(self.cleaned_data["phone"])
        except ServiceError as error:
            raise forms.ValidationError(error.messages) from None


class AnswerForm(forms.Form):
    body = forms.CharField(
        label=_("Antwoord"),
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 8}),
        error_messages={"required": _("Schrijf uw antwoord.")},
    )
