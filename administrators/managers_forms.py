"""Forms of "Beheer van de gebruikers" of a hoedanigheid (manual 3.4.2, 3.4.3): validation only."""

from django import forms
from django.utils.translation import gettext_lazy as _

from accessportal.forms import PeopleCriteriaForm, SelectionForm, selection_field
from accessportal.identifiers import InszFormField
from accessportal.mail_addresses import PlainEmailField
from administrators.models import AdministratorKind
from administrators.selectors import PERSON_ACTIVE, PERSON_INACTIVE
from administrators.services import LB_NOT_REMOVABLE

TYPE_LABELS = {AdministratorKind.LB.value: "LB", AdministratorKind.CO_LB.value: "co-LB"}


class Status:
    ACTIVE = PERSON_ACTIVE
    INACTIVE = PERSON_INACTIVE
    choices = ((ACTIVE, _("Actief")), (INACTIVE, _("Niet actief")))


class ManagerFilterForm(PeopleCriteriaForm):
    """The criteria of the list of the (co-)lokale beheerders: Type LB / co-LB, Status Actief / Niet
    actief (as the national register knows the person)."""

    types = tuple(TYPE_LABELS.items())
    statuses = Status.choices


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


class RemoveSelectionForm(SelectionForm):
    """The checkboxes of the list and "Verwijderen gebruiker(s)"."""

    selection = "administrator"
    administrator = selection_field(
        required=_("Selecteer minstens één Co-Lokale Beheerder om te verwijderen."),
        not_in_list=_("Deze gebruiker is geen Co-Lokale Beheerder van deze hoedanigheid."),
    )

    def clean_administrator(self):
        chosen = self.cleaned_data["administrator"]
        if any(administrator.kind == AdministratorKind.LB for administrator in chosen):
            raise forms.ValidationError(LB_NOT_REMOVABLE)
        return chosen
