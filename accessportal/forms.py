"""Forms shared by the apps: validation only."""

from django import forms
from django.utils.translation import gettext_lazy as _

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
