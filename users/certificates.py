"""The X.509 certificate of "Beheer van het certificaat te gebruiken op het portaal van de sociale
zekerheid": one rule for what the portal accepts, read with ``cryptography``'s x509 parser.

A file of at most 32 KB holding one certificate, PEM ("-----BEGIN CERTIFICATE-----") or DER; no private
key (a person who sends one is told to keep it for themselves); not expired. Anything else is refused
with a Dutch message and changes nothing."""

from dataclasses import dataclass
from datetime import datetime

from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.serialization import Encoding
from django.utils import timezone
from django.utils.translation import gettext as _

from accessportal import clock
from accessportal.services import ServiceError

MAX_SIZE = 32 * 1024
PEM_MARKER = b"-----BEGIN CERTIFICATE-----"
FIELD = "certificate"


@dataclass(frozen=True)
class ParsedCertificate:
    subject: str
    issuer: str
    serial_number: str
    not_before: datetime
    not_after: datetime
    fingerprint: str
    der: bytes


def _hex_with_colons(value: bytes) -> str:
    return ":".join(f"{byte:02X}" for byte in value)


def certificate_parse(data: bytes) -> ParsedCertificate:
    """The certificate in ``data`` (an uploaded file's bytes), or a ServiceError on ``certificate``."""
    if not data:
        raise ServiceError(_("Kies het bestand met uw certificaat."), field=FIELD, code="required")
    if len(data) > MAX_SIZE:
        raise ServiceError(
            _("Dit bestand is te groot voor een certificaat (hoogstens 32 KB)."),
            field=FIELD,
            code="too_large",
        )
    if b"PRIVATE KEY-----" in data:
        raise ServiceError(
            _(
                "Dit bestand bevat een private sleutel. Laad enkel het certificaat op: uw private sleutel "
                "houdt u voor uzelf."
            ),
            field=FIELD,
            code="private_key",
        )
    try:
        if PEM_MARKER in data:
            certificate = x509.load_pem_x509_certificate(data[data.index(PEM_MARKER) :])
        else:
            certificate = x509.load_der_x509_certificate(data)
        der = certificate.public_bytes(Encoding.DER)
        subject = certificate.subject.rfc4514_string()
        issuer = certificate.issuer.rfc4514_string()
        not_before, not_after = certificate.not_valid_before_utc, certificate.not_valid_after_utc
    except (ValueError, TypeError):
        raise ServiceError(
            _("Dit bestand is geen geldig X.509-certificaat. Kies een certificaat in PEM- of DER-formaat."),
            field=FIELD,
            code="invalid",
        ) from None
    if not_after < clock.now():
        raise ServiceError(
            _("Dit certificaat is verlopen op %(date)s. Kies een certificaat dat nog geldig is.")
            % {"date": f"{timezone.localtime(not_after):%d/%m/%Y}"},
            field=FIELD,
            code="expired",
        )
    return ParsedCertificate(
        subject=subject[:1000],
        issuer=issuer[:1000],
        serial_number=f"{certificate.serial_number:X}"[:100],
        not_before=not_before,
        not_after=not_after,
        fingerprint=_hex_with_colons(certificate.fingerprint(hashes.SHA256())),
        der=der,
    )
