"""Forms of "Beheer van de gebruikers" of a hoedanigheid (manual 3.4.2, 3.4.3): validation only."""

from django import forms
from django.utils.translation import gettext_lazy as _

from accessportal.forms import PeopleCriteriaForm, SelectionForm, selection_field
from accessportal.identifiers import InszFormField
from accessportal.mail_addresses import ContactAddressesForm
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


class AdministratorContactForm(ContactAddressesForm):
    """ "Een lokale beheerder aanmaken": the two fields that are not read from the national register."""


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
