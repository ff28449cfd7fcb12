"""Addresses the portal stores or sends mail to: one valid address, no markup, no quoted local part and
no second recipient. One rule for every address (personal data, the HTB procedure, hoedanigheid
activation, lokale beheerders, users, subafdelingen, enterprises): the form field refuses them next to
the field, and every service that stores one checks it again with ``mail_address_clean``."""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accessportal.services import ServiceError

MAX_LENGTH = 254
UNSAFE_CHARACTERS = re.compile(r"[<>\"'`,;\\\s]")


def is_plain_mail_address(value: str) -> bool:
    if not value or len(value) > MAX_LENGTH or UNSAFE_CHARACTERS.search(value):
        return False
    try:
        validate_email(value)
    except ValidationError:
        return False
    return True


def mail_address_clean(value: str, *, field: str, required: bool = True) -> str:
    """The address, stripped, or "" when none is given and none is required; else a ServiceError on
    ``field`` with a Dutch message."""
    value = (value or "").strip()
    if not value:
        if required:
            raise ServiceError(_("Dit veld is verplicht."), field=field, code="required")
        return ""
    if len(value) > MAX_LENGTH:
        raise ServiceError(_("Een e-mailadres telt hoogstens 254 tekens."), field=field, code="too_long")
    if not is_plain_mail_address(value):
        raise ServiceError(
            _("Geef een geldig e-mailadres in, bv. naam@voorbeeld.be."), field=field, code="invalid_email"
        )
    return value


class PlainEmailField(forms.EmailField):
    """The form side of the same rule (is_plain_mail_address)."""

    default_error_messages = {"invalid": gettext_lazy("Geef een geldig e-mailadres in.")}

    def __init__(self, **kwargs):
        kwargs["max_length"] = min(kwargs.get("max_length") or MAX_LENGTH, MAX_LENGTH)
        super().__init__(**kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        # Too long is the max_length validator's own message, next.
        if value and len(value) <= self.max_length and not is_plain_mail_address(value):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return value


class ContactAddressesForm(forms.Form):
    """ "E-mailadres *" and "Lokaal e-mailadres" of the person forms ("Een lokale beheerder
    aanmaken", "Een gebruiker aanmaken", manual 3.4.2, 3.6.1): what the national register does not
    give."""

    email = PlainEmailField(label=gettext_lazy("E-mailadres"))
    local_email = PlainEmailField(
        label=gettext_lazy("Lokaal e-mailadres"),
        required=False,
        help_text=gettext_lazy(
            "(dit adres mag gebruikt worden in het kader van uw individuele contacten met het contactcenter Eranova)"
        ),
    )
