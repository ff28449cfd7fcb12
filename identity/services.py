"""The national register and the simulated digital keys (eID, itsme, token, username + password)."""

import hmac

from django.conf import settings
from django.contrib.auth import authenticate
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accessportal import clock
from accessportal.audit import audit_record, audit_snapshot
from accessportal.identifiers import insz_clean, insz_compact
from accessportal.services import ServiceError
from identity.models import Person
from identity.tokens import token_code

PERSON_FIELDS = ["insz", "last_name", "first_name", "title", "language", "email", "phone", "username"]


@transaction.atomic
def person_register(
    *,
    actor=None,
    insz: str,
    last_name: str,
    first_name: str,
    pin: str | None = None,
    password: str | None = None,
    **fields,
) -> Person:
    """Enter a person in the (simulated) national register."""
    number = insz_clean(insz)
    if Person.objects.filter(insz=number).exists():
        raise ServiceError(_("Deze persoon staat al in het rijksregister."), field="insz", code="duplicate")
    if fields.get("itsme_phone"):
        fields["itsme_phone"] = phone_digits(fields["itsme_phone"])
    person = Person.objects.create_user(
        number, password=password, last_name=last_name.strip(), first_name=first_name.strip(), **fields
    )
    if pin:
        person.set_pin(pin)
        person.save(update_fields=["pin"])
    audit_record(
        actor=actor, action="person.register", target=person, after=audit_snapshot(person, PERSON_FIELDS)
    )
    return person


def _signed_in(person: Person, key: str) -> Person:
    audit_record(actor=person, action="signin.success", target=person, after={"key": key})
    return person


def eid_sign_in(*, insz: str, pin: str) -> Person:
    """Check the eID card's PIN. Three wrong PINs block the card until a trainer unblocks it."""
    number = insz_clean(insz)
    refusal = None
    with transaction.atomic():
        person = Person.objects.select_for_update().filter(insz=number, is_active=True).first()
        if person is None:
            raise ServiceError(
                _("Dit rijksregisternummer is niet gekend. Controleer het nummer op uw identiteitskaart."),
                field="insz",
                code="unknown",
            )
        if person.card_blocked:
            refusal = ServiceError(
                _(
                    "Uw eID-kaart is geblokkeerd na drie foute PIN-codes. Vraag de opleider of de beheerder om ze te deblokkeren."
                ),
                code="card_blocked",
            )
        elif not person.check_pin(pin or ""):
            person.failed_pin_attempts += 1
            left = settings.EID_MAX_PIN_ATTEMPTS - person.failed_pin_attempts
            if left <= 0:
                person.card_blocked_at = clock.now()
                refusal = ServiceError(
                    _(
                        "Foute PIN-code. Uw eID-kaart is nu geblokkeerd. Vraag de opleider of de beheerder om ze te deblokkeren."
                    ),
                    field="pin",
                    code="card_blocked",
                )
            else:
                refusal = ServiceError(
                    ngettext(
                        "Foute PIN-code. Nog %(left)s poging voordat uw eID-kaart geblokkeerd wordt.",
                        "Foute PIN-code. Nog %(left)s pogingen voordat uw eID-kaart geblokkeerd wordt.",
                        left,
                    )
                    % {"left": left},
                    field="pin",
                    code="wrong_pin",
                )
            person.save(update_fields=["failed_pin_attempts", "card_blocked_at"])
            audit_record(
                actor=person,
                action="signin.eid_wrong_pin",
                target=person,
                after={"failed_pin_attempts": person.failed_pin_attempts, "blocked": person.card_blocked},
            )
        else:
            if person.failed_pin_attempts:
                person.failed_pin_attempts = 0
                person.save(update_fields=["failed_pin_attempts"])
            _signed_in(person, "eid")
    if refusal is not None:
        raise refusal
    return person


@transaction.atomic
def card_unblock(*, actor, person: Person) -> Person:
    before = {"failed_pin_attempts": person.failed_pin_attempts, "card_blocked_at": person.card_blocked_at}
    person.failed_pin_attempts = 0
    person.card_blocked_at = None
    person.save(update_fields=["failed_pin_attempts", "card_blocked_at"])
    audit_record(
        actor=actor, action="eid.unblock", target=person, before=before, after={"failed_pin_attempts": 0}
    )
    return person


def _password_person(request, username: str, password: str) -> Person:
    person = Person.objects.filter(username__iexact=(username or "").strip(), is_active=True).first()
    if person is None or authenticate(request, insz=person.insz, password=password) is None:
        raise ServiceError(_("De gebruikersnaam of het wachtwoord is niet correct."), code="bad_credentials")
    return person


@transaction.atomic
def password_sign_in(*, request, username: str, password: str) -> Person:
    return _signed_in(_password_person(request, username, password), "password")


@transaction.atomic
def token_sign_in(*, request, username: str, password: str, code_number: int, code: str) -> Person:
    person = _password_person(request, username, password)
    if not hmac.compare_digest(token_code(person.insz, code_number), (code or "").strip()):
        raise ServiceError(_("De code van uw token is niet correct."), field="code", code="bad_token")
    return _signed_in(person, "token")


def phone_digits(phone: str) -> str:
    """A phone number as digits only, in the international form without +: 32470123456."""
    digits = "".join(ch for ch in phone or "" if ch.isdigit())
    if digits.startswith("00"):
        digits = digits[2:]
    elif digits.startswith("0"):
        digits = "32" + digits[1:]
    return digits


def itsme_person(*, phone: str) -> Person:
    """The person whose itsme app is registered on this phone number."""
    digits = phone_digits(phone)
    if not 9 <= len(digits) <= 15:
        raise ServiceError(_("Geef een geldig gsm-nummer in."), field="phone", code="bad_phone")
    person = Person.objects.filter(itsme_phone=digits, is_active=True).first()
    if person is None:
        raise ServiceError(
            _("Er is geen itsme-account gekend voor dit gsm-nummer."), field="phone", code="unknown_phone"
        )
    return person


@transaction.atomic
def itsme_confirm(*, person_id: int) -> Person:
    person = Person.objects.get(pk=person_id, is_active=True)
    return _signed_in(person, "itsme")


def person_by_insz(insz: str) -> Person | None:
    return Person.objects.filter(insz=insz_compact(insz)).first()
