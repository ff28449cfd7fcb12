"""Forms of a trainee's sandbox (/opleiding/zandbak/): validation only. How far the sandbox's clock may
move is the service's rule (training.services.world_clock_advance)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from roles.editor_forms import PortalDateField


class ClockDateForm(forms.Form):
    """ "Naar een datum": a date typed as the portal asks, dd-mm-jjjj, or as people often do (a screen of
    the simulator: no need to be strict); a plain text input, no date picker and no HTML5 validation.
    The time of day stays. A past date is the service's refusal."""

    to = PortalDateField(
        label=_("Datum"),
        required=True,
        strict=False,
        error_messages={"required": _("Geef een datum in (dd-mm-jjjj).")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to"].widget.attrs["aria-describedby"] = "klok-datum-formaat"
