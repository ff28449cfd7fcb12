from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import password_validation
from django.contrib.auth.forms import PasswordChangeForm, SetPasswordForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from accessportal.identifiers import InszFormField, insz_compact
from accessportal.validators import phone_clean
from identity import services
from identity.models import Language
from identity.throttle import client_address
from identity.tokens import ITSME_CODE_DIGITS


class InszAdminAuthenticationForm(AdminAuthenticationForm):
    """The admin's sign-in, accepting the INSZ in any notation (85.07.30-033.28 has 15 characters);
    throttled like every sign-in form (per INSZ and per address), and refused to a person whose keys
    are blocked."""

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        self.fields["username"].max_length = 20
        self.fields["username"].widget.attrs["maxlength"] = 20

    def clean_username(self):
        return insz_compact(self.cleaned_data["username"])

    def clean(self):
        insz = self.cleaned_data.get("username")
        if not insz or not self.cleaned_data.get("password"):
            return super().clean()
        where = {"scope": "insz", "identifier": insz, "address": client_address(self.request)}
        services.signin_throttle_check(**where)
        try:
            cleaned = super().clean()
        except ValidationError:
            services.signin_failure_record(**where)
            raise
        services.signin_throttle_reset(scope="insz", identifier=insz)
        return cleaned

    def confirm_login_allowed(self, user):
        super().confirm_login_allowed(user)
        if user.keys_blocked:
            raise services.keys_blocked_refusal(user)


class EidSignInForm(forms.Form):
    # The card's number and PIN are the card's, not the browser's to remember (WCAG 1.3.5: said, not guessed).
    insz = InszFormField(
        label=_("Rijksregisternummer"), widget=forms.TextInput(attrs={"autocomplete": "off"})
    )
    pin = forms.CharField(
        label=_("PIN-code"),
        max_length=12,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
    )


class PasswordSignInForm(forms.Form):
    username = forms.CharField(
        label=_("Gebruikersnaam"), max_length=64, widget=forms.TextInput(attrs={"autocomplete": "username"})
    )
    password = forms.CharField(
        label=_("Wachtwoord"),
        max_length=128,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class TokenSignInForm(PasswordSignInForm):
    code = forms.CharField(
        label=_("Code van uw token"),
        max_length=6,
        min_length=6,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code"}),
    )


class ItsmeForm(forms.Form):
    phone = forms.CharField(
        label=_("GSM-nummer"),
        max_length=20,
        help_text=_("bv. 0470 12 34 56"),
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )


class ItsmeCodeForm(forms.Form):
    """The simulated itsme app asks the person's own itsme code."""

    code = forms.RegexField(
        label=_("Uw itsme-code"),
        regex=rf"^[0-9]{{{ITSME_CODE_DIGITS}}}$",
        strip=True,
        error_messages={
            "required": _("Geef uw itsme-code in."),
            "invalid": _("Een itsme-code bestaat uit 5 cijfers."),
        },
        widget=forms.PasswordInput(
            render_value=False, attrs={"inputmode": "numeric", "autocomplete": "off", "maxlength": 5}
        ),
    )


# "Persoonlijke gegevens" (validation only; identity.services checks everything again on save).


class PersonalDataForm(forms.Form):
    """ "Mijn persoonlijke gegevens wijzigen": what the person may change about themselves."""

    email = forms.EmailField(
        label=_("E-mailadres"),
        max_length=254,
        error_messages={
            "required": _("Geef uw e-mailadres in."),
            "invalid": _("Geef een geldig e-mailadres in, bv. naam@voorbeeld.be."),
        },
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    language = forms.ChoiceField(
        label=_("Taalkeuze"),
        choices=Language.choices,
        error_messages={
            "required": _("Kies een taal uit de lijst: Nederlands, Frans, Duits of Engels."),
            "invalid_choice": _("Kies een taal uit de lijst: Nederlands, Frans, Duits of Engels."),
        },
    )
    phone = forms.CharField(
        label=_("Telefoon"),
        required=False,
        max_length=30,
        help_text=_("bv. 02 555 00 00 of +32 470 12 34 56"),
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )

    def clean_email(self):
        return _field_check(services.email_clean, self.cleaned_data["email"])

    def clean_phone(self):
        return _field_check(phone_clean, self.cleaned_data["phone"])


def _field_check(check, value, **kwargs):
    """Run one of the services' checks and raise its message as this field's error."""
    try:
        return check(value, **kwargs)
    except ValidationError as error:
        raise ValidationError(error.messages) from None


class _PersonPasswordMixin:
    """The username + password key: Django's password forms with Dutch validator messages, a
    length limit, and a "Gebruikersnaam" field when the person has no username yet."""

    def __init__(self, user, *args, **kwargs):
        super().__init__(user, *args, **kwargs)
        self.asks_username = not user.username
        if self.asks_username:
            self.fields["username"] = forms.CharField(
                label=_("Gebruikersnaam"),
                help_text=_(
                    "3 tot 64 tekens: letters zonder accenten, cijfers, punten (.), koppeltekens (-) en "
                    "liggende streepjes (_). U meldt zich ermee aan, samen met uw wachtwoord."
                ),
                error_messages={"required": _("Kies een gebruikersnaam.")},
                widget=forms.TextInput(attrs={"autocomplete": "username", "maxlength": 64}),
            )
            order = [name for name in self.fields if name != "username"]
            position = 1 if "old_password" in self.fields else 0
            self.order_fields([*order[:position], "username", *order[position:]])
        self.fields["new_password1"].help_text = " ".join(
            password_validation.password_validators_help_texts()
        )

    def clean_username(self):
        return _field_check(services.username_clean, self.cleaned_data["username"], person=self.user)

    def clean(self):
        # Django's SetPasswordForm.clean shows the validators' messages under the confirmation
        # field; here they stand next to "Nieuw wachtwoord", where the password was chosen.
        self.validate_passwords("new_password1", "new_password2")
        password = self.cleaned_data.get("new_password1")
        if password:
            try:
                services.password_check(password, self.user)
            except ValidationError as error:
                self.add_error("new_password1", error)
        return self.cleaned_data


class PersonPasswordChangeForm(_PersonPasswordMixin, PasswordChangeForm):
    """For a person with a password: "Oud wachtwoord" first."""


class FirstPasswordForm(_PersonPasswordMixin, SetPasswordForm):
    """No current password asked: for a person who just signed in with eID or itsme (a first password,
    or a new one in place of a forgotten one)."""


def password_form(person, data=None, *, ask_current: bool):
    """The password form; ``ask_current`` when the person has a password and no recent sign-in with
    eID or itsme proves who they are."""
    ask_current = ask_current and person.has_usable_password()
    return (PersonPasswordChangeForm if ask_current else FirstPasswordForm)(person, data)
