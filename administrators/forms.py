from django import forms
from django.utils.translation import gettext_lazy as _

from accessportal.forms import ModelChoiceField
from accessportal.identifiers import InszFormField, KboFormField
from accessportal.mail_addresses import PlainEmailField
from accessportal.validators import PhoneFormField
from administrators.models import HtbDraft


class EnterpriseNumberForm(forms.Form):
    kbo = KboFormField(label=_("Ondernemingsnummer"))


class HtbRegistrationForm(forms.Form):
    """ "Registratie onderneming in CSAM": oneself (preselected, as in the manual's screenshot of 3.2.2)
    or "Andere persoon", and the contact details. Every message names its field."""

    choice = forms.ChoiceField(
        label=_("Hoofdtoegangsbeheerder"),
        widget=forms.RadioSelect,
        choices=HtbDraft.Choice.choices,
        error_messages={
            "required": _("Kies wie Hoofdtoegangsbeheerder wordt."),
            "invalid_choice": _("Kies wie Hoofdtoegangsbeheerder wordt."),
        },
    )
    # Another person's details are not the browser's to fill in; the requester's own are (WCAG 1.3.5).
    htb_insz = InszFormField(
        label=_("Rijksregisternummer"),
        required=False,
        help_text=_("(11 cijfers)"),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    htb_email = PlainEmailField(
        label=_("E-mail"), required=False, widget=forms.EmailInput(attrs={"autocomplete": "off"})
    )
    htb_phone = PhoneFormField(
        label=_("Telefoon"),
        required=False,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
    )
    requester_email = PlainEmailField(
        label=_("E-mail"),
        error_messages={"required": _("Vul uw e-mailadres in.")},
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    requester_phone = PhoneFormField(
        label=_("Telefoon"),
        error_messages={"required": _("Vul uw telefoonnummer in.")},
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )

    OTHER_PERSON_REQUIRED = {
        "htb_insz": _("Vul het rijksregisternummer van de Hoofdtoegangsbeheerder in."),
        "htb_email": _("Vul het e-mailadres van de Hoofdtoegangsbeheerder in."),
        "htb_phone": _("Vul het telefoonnummer van de Hoofdtoegangsbeheerder in."),
    }

    def __init__(self, *args, requester_name: str, allow_self: bool, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [
            (HtbDraft.Choice.SELF.value, requester_name),
            (HtbDraft.Choice.OTHER.value, _("Andere persoon")),
        ]
        self.fields["choice"].choices = choices if allow_self else choices[1:]
        if self.initial.get("choice") not in (value for value, _label in self.fields["choice"].choices):
            self.initial["choice"] = self.fields["choice"].choices[0][0]

    def clean(self):
        data = super().clean()
        if data.get("choice") == HtbDraft.Choice.OTHER:
            for name, message in self.OTHER_PERSON_REQUIRED.items():
                if not data.get(name) and name not in self.errors:
                    self.add_error(name, message)
        elif data.get("choice") == HtbDraft.Choice.SELF:
            for name in self.OTHER_PERSON_REQUIRED:  # hidden and unused: whatever they hold is no error
                self._errors.pop(name, None)
        return data

    def answers(self) -> dict:
        """The answers as typed; which of them become the HTB's is the service's rule (htb_draft_answer)."""
        data = self.cleaned_data
        return {
            key: data.get(key) or ""
            for key in ("choice", "htb_insz", "htb_email", "htb_phone", "requester_email", "requester_phone")
        }


class HtbConfirmationForm(forms.Form):
    confirm = forms.BooleanField(label=_("Ja, ik bevestig"), required=False)


class PersonNumberForm(forms.Form):
    insz = InszFormField(label=_("Rijksregisternummer"))


class HoedanigheidChoiceForm(forms.Form):
    """ "De hoedanigheid activeren": the hoedanigheden the enterprise does not have yet."""

    hoedanigheid = ModelChoiceField(
        label=_("De hoedanigheid activeren"), queryset=None, to_field_name="code", empty_label=None
    )

    def __init__(self, *args, queryset, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["hoedanigheid"].queryset = queryset


class HoedanigheidActivationForm(forms.Form):
    email = PlainEmailField(label=_("E-mailadres"))


class HoedanigheidDetailsForm(forms.Form):
    """ "De details van de hoedanigheid raadplegen of wijzigen": the hoedanigheid's E-mailadres."""

    use_required_attribute = False  # no HTML5 validation: the messages come from the server

    email = PlainEmailField(
        label=_("E-mailadres"),
        error_messages={
            "required": _("Geef het e-mailadres van de hoedanigheid in."),
            "invalid": _("Geef een geldig e-mailadres in, bv. naam@voorbeeld.be."),
        },
    )
