from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.utils.translation import gettext_lazy as _

from accessportal.identifiers import InszFormField, insz_compact


class InszAdminAuthenticationForm(AdminAuthenticationForm):
    """The admin's sign-in, accepting the INSZ in any notation (85.07.30-033.28 has 15 characters)."""

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        self.fields["username"].max_length = 20
        self.fields["username"].widget.attrs["maxlength"] = 20

    def clean_username(self):
        return insz_compact(self.cleaned_data["username"])


class EidSignInForm(forms.Form):
    insz = InszFormField(label=_("Rijksregisternummer"))
    pin = forms.CharField(label=_("PIN-code"), max_length=12, widget=forms.PasswordInput(render_value=False))


class PasswordSignInForm(forms.Form):
    username = forms.CharField(label=_("Gebruikersnaam"), max_length=64)
    password = forms.CharField(label=_("Wachtwoord"), max_length=128, widget=forms.PasswordInput)


class TokenSignInForm(PasswordSignInForm):
    code = forms.CharField(label=_("Code van uw token"), max_length=6, min_length=6)


class ItsmeForm(forms.Form):
    phone = forms.CharField(label=_("GSM-nummer"), max_length=20, help_text=_("bv. 0470 12 34 56"))
