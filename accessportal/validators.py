"""Values the portal checks wherever they come in: one rule each, used by the form field (the message
next to the field) and by every service that stores the value (a ``ServiceError`` with the same Dutch
message). INSZ and KBO numbers are in ``accessportal.identifiers``, mail addresses in
``accessportal.mail_addresses``.

Phone numbers: 9 to 15 digits (a Belgian number has 9 digits after its 0, as in 02 555 00 00; ITU-T
E.164 allows at most 15 in the international form), written with digits, spaces and + . / ( ) - only,
at most 30 characters (the columns' length). This is the rule of "Persoonlijke gegevens" and the
helpdesk; the HTB procedure's own 8-25 character check is gone.
"""

import re

from django import forms
from django.utils.translation import gettext as _

from accessportal.services import ServiceError

PHONE_PATTERN = re.compile(r"\+?[0-9 ./()-]+")
PHONE_MAX = 30
PHONE_DIGITS_MIN, PHONE_DIGITS_MAX = 9, 15


def phone_clean(phone: str, *, field: str = "phone", required: bool = False) -> str:
    """A phone number as typed (spaces tidied), or "" for none when none is required; else a
    ServiceError on ``field``."""
    value = " ".join((phone or "").split())
    if not value:
        if required:
            raise ServiceError(_("Dit veld is verplicht."), field=field, code="required")
        return ""
    digits = sum(ch.isdigit() for ch in value)
    if (
        len(value) > PHONE_MAX
        or not PHONE_PATTERN.fullmatch(value)
        or not PHONE_DIGITS_MIN <= digits <= PHONE_DIGITS_MAX
    ):
        raise ServiceError(
            _("Geef een geldig telefoonnummer in, bv. 02 555 00 00 of +32 470 12 34 56."),
            field=field,
            code="bad_phone",
        )
    return value


class PhoneFormField(forms.CharField):
    """A phone number by ``phone_clean``'s rule, its message next to the field."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", PHONE_MAX)
        super().__init__(**kwargs)

    def clean(self, value):
        value = super().clean(value)
        try:
            return phone_clean(value)
        except ServiceError as error:
            raise forms.ValidationError(error.messages[0], code="bad_phone") from error
