"""The national register and the simulated digital keys (eID, itsme, token, username + password)."""

import hmac
import re

from django.conf import settings
from django.contrib.auth import authenticate, password_validation
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.debug import sensitive_variables

from accessportal import clock
from accessportal.audit import audit_record, audit_snapshot
from accessportal.identifiers import insz_clean, insz_compact
from accessportal.mail_addresses import mail_address_clean
from accessportal.services import ServiceError
from identity.models import Language, Person
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


# "Persoonlijke gegevens": the person's own contact data and their username + password key.
# Names, title and INSZ come from the national register and are not the person's to change here.

PERSONAL_DATA_FIELDS = ["email", "language", "phone"]
USERNAME_MIN, USERNAME_MAX = 3, 64
USERNAME_PATTERN = re.compile(r"[A-Za-z0-9._-]+")
PHONE_PATTERN = re.compile(r"\+?[0-9 ./()-]+")
PHONE_MAX = 30
PASSWORD_MAX = 128


def phone_clean(phone: str) -> str:
    """A phone number as typed (spaces tidied), or "" for none; 9 to 15 digits, no other signs
    than + . / ( ) - and spaces."""
    value = " ".join((phone or "").split())
    if not value:
        return ""
    digits = sum(ch.isdigit() for ch in value)
    if len(value) > PHONE_MAX or not PHONE_PATTERN.fullmatch(value) or not 9 <= digits <= 15:
        raise ServiceError(
            _("Geef een geldig telefoonnummer in, bv. 02 555 00 00 of +32 470 12 34 56."),
            field="phone",
            code="bad_phone",
        )
    return value


def email_clean(email: str) -> str:
    """The person's own E-mailadres, by the portal's one rule for addresses (accessportal.mail_addresses)."""
    value = Person.objects.normalize_email((email or "").strip())
    if not value:
        raise ServiceError(_("Geef uw e-mailadres in."), field="email", code="required")
    return mail_address_clean(value, field="email")


def language_clean(language: str) -> str:
    if language not in Language.values:
        raise ServiceError(
            _("Kies een taal uit de lijst: Nederlands, Frans, Duits of Engels."),
            field="language",
            code="bad_language",
        )
    return language


def username_clean(username: str, *, person: Person | None = None) -> str:
    """A new username: 3 to 64 letters, digits, dots, dashes and underscores, not yet in use by
    anyone else, whatever the case ("Jan.Claes" and "jan.claes" are one username at sign-in)."""
    value = (username or "").strip()
    if not value:
        raise ServiceError(_("Kies een gebruikersnaam."), field="username", code="required")
    if not USERNAME_MIN <= len(value) <= USERNAME_MAX:
        raise ServiceError(
            _("Een gebruikersnaam telt 3 tot 64 tekens."), field="username", code="username_length"
        )
    if not USERNAME_PATTERN.fullmatch(value):
        raise ServiceError(
            _(
                "Een gebruikersnaam bestaat enkel uit letters zonder accenten, cijfers, punten (.), "
                "koppeltekens (-) en liggende streepjes (_)."
            ),
            field="username",
            code="username_characters",
        )
    taken = Person.objects.filter(username__iexact=value)
    if person is not None and person.pk:
        taken = taken.exclude(pk=person.pk)
    if taken.exists():
        raise ServiceError(
            _("Deze gebruikersnaam is al in gebruik. Kies een andere gebruikersnaam."),
            field="username",
            code="username_taken",
        )
    return value


def _password_message(error: ValidationError) -> ValidationError:
    """Django's password validators, with a Dutch message for each (not all of Django's have one)."""
    params = error.params or {}
    if error.code == "password_too_short":
        minimum = params.get("min_length", 0)
        message = ngettext(
            "Dit wachtwoord is te kort: het moet minstens %(min_length)d teken bevatten.",
            "Dit wachtwoord is te kort: het moet minstens %(min_length)d tekens bevatten.",
            minimum,
        ) % {"min_length": minimum}
    elif error.code == "password_too_common":
        message = _("Dit wachtwoord wordt te vaak gebruikt en is makkelijk te raden. Kies een ander.")
    elif error.code == "password_entirely_numeric":
        message = _("Dit wachtwoord bestaat enkel uit cijfers. Gebruik ook letters of andere tekens.")
    elif error.code == "password_too_similar":
        message = _("Dit wachtwoord lijkt te veel op uw persoonlijke gegevens.")
    else:
        return error
    return ValidationError(message, code=error.code)


def password_check(password: str, person: Person | None = None) -> None:
    """Django's validators (settings.AUTH_PASSWORD_VALIDATORS), with Dutch messages."""
    if len(password or "") > PASSWORD_MAX:
        raise ValidationError(_("Een wachtwoord telt hoogstens 128 tekens."), code="password_too_long")
    try:
        password_validation.validate_password(password, person)
    except ValidationError as error:
        raise ValidationError([_password_message(item) for item in error.error_list]) from None


@transaction.atomic
def personal_data_update(*, actor: Person, email: str, language: str, phone: str) -> Person:
    """ "Mijn persoonlijke gegevens wijzigen": the person's own E-mailadres, Taalkeuze and Telefoon."""
    person = Person.objects.select_for_update().get(pk=actor.pk)
    email, language, phone = email_clean(email), language_clean(language), phone_clean(phone)
    before = audit_snapshot(person, PERSONAL_DATA_FIELDS)
    person.email, person.language, person.phone = email, language, phone
    person.save(update_fields=PERSONAL_DATA_FIELDS)
    audit_record(
        actor=actor,
        action="person.personal_data_update",
        target=person,
        before=before,
        after=audit_snapshot(person, PERSONAL_DATA_FIELDS),
    )
    actor.email, actor.language, actor.phone = email, language, phone
    return person


@sensitive_variables("password")
@transaction.atomic
def password_change(*, actor: Person, password: str, username: str | None = None) -> Person:
    """ "Mijn wachtwoord wijzigen": set the password of the username + password key. A person who
    only signed in with eID so far sets a first password, and a username when they have none yet.
    The audit event says what happened to the key, never anything of the password."""
    person = Person.objects.select_for_update().get(pk=actor.pk)
    before = {"username": person.username, "usable_password": person.has_usable_password()}
    if not person.username:
        person.username = username_clean(username, person=person)
    try:
        password_check(password, person)
    except ValidationError as error:
        raise ValidationError({"new_password1": error.error_list}) from None
    person.set_password(password)
    try:
        with transaction.atomic():
            person.save(update_fields=["password", "username"])
    except IntegrityError:  # the same username, claimed at the same moment by someone else
        raise ServiceError(
            _("Deze gebruikersnaam is al in gebruik. Kies een andere gebruikersnaam."),
            field="username",
            code="username_taken",
        ) from None
    audit_record(
        actor=actor,
        action="person.password_set" if not before["usable_password"] else "person.password_change",
        target=person,
        before=before,
        after={"username": person.username, "usable_password": True},
    )
    actor.username, actor.password = person.username, person.password
    return person
