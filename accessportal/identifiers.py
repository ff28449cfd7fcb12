"""Belgian identifiers: INSZ (national and BIS numbers) and KBO enterprise numbers.

python-stdnum checks the format and the check digits. On top of it we refuse what stdnum lets
through but no real register would issue: the serial numbers 000 and 999, birth dates that do not
exist (31 February, month 00) and birth dates in the future. Every notation people type is
accepted (``85.07.30-033.28``, ``85073003328``, ``0406.633.304``, ``BE 406633304``); values are
stored compact and shown in the official notation.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from stdnum import exceptions as stdnum_errors
from stdnum.be import ssn, vat

from accessportal import clock


def insz_compact(value: str) -> str:
    return ssn.compact(str(value or ""))


def insz_clean(value: str) -> str:
    """Return the compact INSZ, or raise a ValidationError with a Dutch message."""
    number = insz_compact(value)
    if not number.isdigit() or len(number) != 11:
        raise ValidationError(_("Een INSZ-nummer bestaat uit 11 cijfers."), code="insz_length")
    try:
        ssn.validate(number)
    except stdnum_errors.InvalidChecksum:
        raise ValidationError(
            _("Dit INSZ-nummer is ongeldig: het controlegetal klopt niet."), code="insz_checksum"
        ) from None
    except stdnum_errors.ValidationError:
        raise ValidationError(_("Dit INSZ-nummer is ongeldig."), code="insz_invalid") from None
    if number[6:9] in {"000", "999"}:
        raise ValidationError(
            _("Dit INSZ-nummer is ongeldig: het volgnummer mag niet 000 of 999 zijn."), code="insz_serial"
        )
    try:
        birth_date = ssn.get_birth_date(number)
    except stdnum_errors.ValidationError:
        birth_date = None
    if birth_date is None:
        raise ValidationError(
            _("Dit INSZ-nummer is ongeldig: het bevat geen bestaande geboortedatum."), code="insz_date"
        )
    if birth_date > clock.today():
        raise ValidationError(
            _("Dit INSZ-nummer is ongeldig: de geboortedatum ligt in de toekomst."), code="insz_future"
        )
    return number


def insz_format(value: str) -> str:
    """The official notation: 85.07.30-033.28."""
    number = insz_compact(value)
    if len(number) != 11:
        return value or ""
    return f"{number[0:2]}.{number[2:4]}.{number[4:6]}-{number[6:9]}.{number[9:11]}"


def insz_portal_format(value: str) -> str:
    """The notation of the social security portal's lists: 850730 033 28."""
    number = insz_compact(value)
    if len(number) != 11:
        return value or ""
    return f"{number[0:6]} {number[6:9]} {number[9:11]}"


def insz_birth_date(value: str):
    return ssn.get_birth_date(insz_compact(value))


def insz_is_male(value: str) -> bool:
    return ssn.get_gender(insz_compact(value)) == "M"


def kbo_compact(value: str) -> str:
    return vat.compact(str(value or ""))


def kbo_clean(value: str) -> str:
    """Return the compact ten-digit KBO number, or raise a ValidationError with a Dutch message."""
    number = kbo_compact(value)
    if not number.isdigit() or len(number) != 10:
        raise ValidationError(
            _("Een ondernemingsnummer bestaat uit 10 cijfers, bijvoorbeeld 0406.633.304."), code="kbo_length"
        )
    try:
        vat.validate(number)
    except stdnum_errors.InvalidChecksum:
        raise ValidationError(
            _("Dit ondernemingsnummer is ongeldig: het controlegetal klopt niet."), code="kbo_checksum"
        ) from None
    except stdnum_errors.ValidationError:
        raise ValidationError(_("Dit ondernemingsnummer is ongeldig."), code="kbo_invalid") from None
    return number


def kbo_format(value: str) -> str:
    """The official notation: 0406.633.304."""
    number = kbo_compact(value)
    if len(number) != 10:
        return value or ""
    return f"{number[0:4]}.{number[4:7]}.{number[7:10]}"


def kbo_portal_format(value: str) -> str:
    """The social security portal's notation, without the leading zero: 406.633.304."""
    number = kbo_compact(value)
    if len(number) != 10:
        return value or ""
    return f"{int(number[0:4])}.{number[4:7]}.{number[7:10]}"


class _NumberFormField(forms.CharField):
    """A form field that takes any usual notation (so it allows more characters than the compact
    number has) and cleans to the compact number."""

    cleaner = staticmethod(lambda value: value)

    def __init__(self, *args, **kwargs):
        kwargs["max_length"] = 20
        super().__init__(*args, **kwargs)

    def clean(self, value):
        value = super().clean(value)
        return self.cleaner(value) if value else value


class InszFormField(_NumberFormField):
    cleaner = staticmethod(insz_clean)


class KboFormField(_NumberFormField):
    cleaner = staticmethod(kbo_clean)


class _CompactField(models.CharField):
    """A CharField that stores the compact form and validates with its cleaner."""

    cleaner = staticmethod(lambda value: value)
    compactor = staticmethod(lambda value: value)
    form_class = _NumberFormField

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": self.form_class, **kwargs})

    def to_python(self, value):
        value = super().to_python(value)
        return self.compactor(value) if value else value

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        return self.compactor(value) if value else value

    def validate(self, value, model_instance):
        super().validate(value, model_instance)
        if value:
            self.cleaner(value)


class InszField(_CompactField):
    description = "Belgian INSZ (national or BIS number)"
    cleaner = staticmethod(insz_clean)
    compactor = staticmethod(insz_compact)
    form_class = InszFormField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 11)
        kwargs.setdefault("verbose_name", "INSZ")
        super().__init__(*args, **kwargs)


class KboField(_CompactField):
    description = "Belgian KBO enterprise number"
    cleaner = staticmethod(kbo_clean)
    compactor = staticmethod(kbo_compact)
    form_class = KboFormField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 10)
        kwargs.setdefault("verbose_name", "Ondernemingsnummer")
        super().__init__(*args, **kwargs)
