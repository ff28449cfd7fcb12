"""The national register and the simulated digital keys (eID, itsme, token, username + password).

Every key follows one course. The throttle (identity.throttle) is asked first; then the secret (PIN,
itsme code, password) is hashed and compared outside any transaction: on SQLite a write transaction
holds the database's single write lock, and forty trainees signing in at once must not queue behind
each other's PBKDF2. The outcome is then written in a short transaction on the locked row (a wrong
PIN counted, the key blocked at the limit, the counter reset, the sign-in audited), so two wrong PINs
at the same moment still count twice. A person whose keys are blocked (``Person.keys_blocked``) is
refused by every key.

An anonymous visitor cannot tell an unknown INSZ or gsm-nummer from a known one: the answer is the
same message, and takes as long (a dummy secret is hashed); an unknown identifier even counts its
wrong attempts towards a "blocked" answer, in the cache, as a card would.
"""

import hmac
import math
import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth import password_validation
from django.contrib.auth.hashers import check_password, make_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.encoding import force_bytes, force_str
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.debug import sensitive_variables

from accessportal import clock
from accessportal.audit import audit_record, audit_snapshot
from accessportal.identifiers import insz_clean
from accessportal.mail_addresses import mail_address_clean
from accessportal.services import ServiceError
from accessportal.validators import phone_clean
from identity import throttle
from identity.models import ItsmeCodeOrigin, Language, Person
from identity.tokens import password_reset_tokens, token_code

PERSON_FIELDS = ["insz", "last_name", "first_name", "title", "language", "email", "phone", "username"]
ITSME_MAX_CODE_ATTEMPTS = 3
# The keys that prove who signs in, as the manual's "digitale sleutels" with a card or an app do.
STRONG_KEYS = ("eid", "itsme")
# A first password, or a new one without the current one, needs a strong sign-in this recent.
STRONG_SIGN_IN_MAX_AGE = timedelta(minutes=5)


@sensitive_variables("pin", "password", "itsme_code")
@transaction.atomic
def person_register(
    *,
    actor=None,
    insz: str,
    last_name: str,
    first_name: str,
    pin: str | None = None,
    password: str | None = None,
    itsme_code: str | None = None,
    itsme_code_origin: str = ItsmeCodeOrigin.OWN,
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
    if pin or itsme_code:
        if pin:
            person.set_pin(pin)
        if itsme_code:
            person.set_itsme_code(itsme_code, origin=itsme_code_origin)
        person.save(update_fields=["pin", "itsme_code", "itsme_code_origin"])
    audit_record(
        actor=actor, action="person.register", target=person, after=audit_snapshot(person, PERSON_FIELDS)
    )
    return person


# --- Refusals -------------------------------------------------------------------------------------


def _card_blocked_message() -> str:
    return _(
        "Uw eID-kaart is geblokkeerd na drie foute PIN-codes. Zolang ze geblokkeerd is, kunt u zich met "
        "geen enkele digitale sleutel aanmelden. Vraag de opleider of de beheerder om ze te deblokkeren."
    )


def _itsme_blocked_message() -> str:
    return _(
        "Uw itsme is geblokkeerd na drie foute itsme-codes. Zolang het geblokkeerd is, kunt u zich met "
        "geen enkele digitale sleutel aanmelden. Vraag de opleider of de beheerder om het te deblokkeren."
    )


def keys_blocked_refusal(person: Person, key: str = "") -> ServiceError:
    """Why every key of this person is refused (Person.keys_blocked), the key just used first."""
    if not person.is_active:
        message = _(
            "Uw account is gedeactiveerd: u kunt zich met geen enkele digitale sleutel aanmelden. "
            "Vraag de beheerder om het opnieuw te activeren."
        )
    elif person.itsme_blocked and (key == "itsme" or not person.card_blocked):
        message = _itsme_blocked_message()
    else:
        message = _card_blocked_message()
    return ServiceError(message, code="keys_blocked")


def throttled_refusal(wait_seconds: int) -> ServiceError:
    minutes = max(1, math.ceil(wait_seconds / 60))
    return ServiceError(
        ngettext(
            "Te veel mislukte pogingen. Probeer opnieuw over %(minutes)s minuut.",
            "Te veel mislukte pogingen. Probeer opnieuw over %(minutes)s minuten.",
            minutes,
        )
        % {"minutes": minutes},
        code="throttled",
    )


# --- Throttling: the rule for every sign-in form, the admin's included ----------------------------


def signin_throttle_check(*, scope: str, identifier: str, address: str) -> None:
    """Refuse (ServiceError, code "throttled") while the identifier or the address had too many failed
    sign-ins in the window; the message names the minutes to wait."""
    wait = max(
        throttle.wait_seconds(throttle.identifier_limit(scope), identifier),
        throttle.wait_seconds(throttle.address_limit(), address),
    )
    if wait:
        raise throttled_refusal(wait)


def signin_failure_record(*, scope: str, identifier: str, address: str) -> None:
    throttle.failure(throttle.identifier_limit(scope), identifier)
    throttle.failure(throttle.address_limit(), address)


def signin_throttle_reset(*, scope: str, identifier: str) -> None:
    """A successful sign-in clears the identifier's failures (not the address's: others share it)."""
    throttle.reset(throttle.identifier_limit(scope), identifier)


# --- The course every key follows -----------------------------------------------------------------


@dataclass(frozen=True)
class _SecretKey:
    """A key that blocks after three wrong secrets: the eID card (PIN) and itsme (itsme code)."""

    name: str
    scope: str  # what identifies the person at the throttle
    counter: str
    blocked_at: str
    wrong_action: str

    @property
    def max_attempts(self) -> int:
        return settings.EID_MAX_PIN_ATTEMPTS if self.name == "eid" else ITSME_MAX_CODE_ATTEMPTS

    def check(self, person: Person, secret: str) -> bool:
        return person.check_pin(secret) if self.name == "eid" else person.check_itsme_code(secret)


EID = _SecretKey("eid", "insz", "failed_pin_attempts", "card_blocked_at", "signin.eid_wrong_pin")
ITSME = _SecretKey("itsme", "phone", "failed_itsme_attempts", "itsme_blocked_at", "signin.itsme_wrong_code")


def _key_blocked(key: _SecretKey) -> ServiceError:
    """The answer of a blocked card or itsme, before any secret is checked: it says nothing else of
    the person (not even that the account is inactive), and an unknown identifier says it too."""
    return ServiceError(
        _card_blocked_message() if key is EID else _itsme_blocked_message(), code="keys_blocked"
    )


def _wrong_secret(key: _SecretKey, failed: int) -> ServiceError:
    """The answer to a wrong PIN or itsme code, and to an unknown INSZ or gsm-nummer alike."""
    left = key.max_attempts - failed
    if left < 0:
        return _key_blocked(key)
    if key is EID:
        if left == 0:
            message = _(
                "Het rijksregisternummer of de PIN-code is niet correct. Uw eID-kaart is nu geblokkeerd. "
                "Vraag de opleider of de beheerder om ze te deblokkeren."
            )
        else:
            message = ngettext(
                "Het rijksregisternummer of de PIN-code is niet correct. Nog %(left)s poging voordat uw "
                "eID-kaart geblokkeerd wordt.",
                "Het rijksregisternummer of de PIN-code is niet correct. Nog %(left)s pogingen voordat uw "
                "eID-kaart geblokkeerd wordt.",
                left,
            ) % {"left": left}
        return ServiceError(message, code="wrong_secret")
    if left == 0:
        message = _(
            "Het gsm-nummer of de itsme-code is niet correct. Uw itsme is nu geblokkeerd. "
            "Vraag de opleider of de beheerder om het te deblokkeren."
        )
    else:
        message = ngettext(
            "Het gsm-nummer of de itsme-code is niet correct. Nog %(left)s poging voordat uw itsme "
            "geblokkeerd wordt.",
            "Het gsm-nummer of de itsme-code is niet correct. Nog %(left)s pogingen voordat uw itsme "
            "geblokkeerd wordt.",
            left,
        ) % {"left": left}
    return ServiceError(message, field="code", code="wrong_secret")


def _wrong_secret_record(person: Person, key: _SecretKey) -> ServiceError:
    """Count a wrong secret on the locked row and block the key at the limit; the refusal to show. A
    key blocked meanwhile (by another wrong attempt at the same moment) is left as it is."""
    with transaction.atomic():
        locked = Person.objects.select_for_update().get(pk=person.pk)
        if getattr(locked, key.blocked_at) is not None:
            return _key_blocked(key)
        failed = getattr(locked, key.counter) + 1
        setattr(locked, key.counter, failed)
        if failed >= key.max_attempts:
            setattr(locked, key.blocked_at, clock.now())
        locked.save(update_fields=[key.counter, key.blocked_at])
        audit_record(
            actor=locked,
            action=key.wrong_action,
            target=locked,
            after={key.counter: failed, "blocked": failed >= key.max_attempts},
        )
    return _wrong_secret(key, failed)


def _sign_in_record(person: Person, key: str, counter: str | None = None) -> Person:
    """Record a sign-in whose secrets were right, unless the person's keys are blocked by now."""
    with transaction.atomic():
        locked = Person.objects.select_for_update().get(pk=person.pk)
        if not locked.keys_blocked:
            if counter and getattr(locked, counter):
                setattr(locked, counter, 0)
                locked.save(update_fields=[counter])
            audit_record(actor=locked, action="signin.success", target=locked, after={"key": key})
    return locked


def _refused(refusal: ServiceError, *, scope: str, identifier: str, address: str):
    signin_failure_record(scope=scope, identifier=identifier, address=address)
    raise refusal


def _finish(person: Person, key: str, *, scope: str, identifier: str, address: str, counter=None) -> Person:
    signed_in = _sign_in_record(person, key, counter)
    if signed_in.keys_blocked:
        _refused(keys_blocked_refusal(signed_in, key), scope=scope, identifier=identifier, address=address)
    signin_throttle_reset(scope=scope, identifier=identifier)
    return signed_in


@sensitive_variables("secret")
def _secret_key_sign_in(key: _SecretKey, *, identifier: str, secret: str, address: str, people) -> Person:
    signin_throttle_check(scope=key.scope, identifier=identifier, address=address)
    where = {"scope": key.scope, "identifier": identifier, "address": address}
    person = people.first() if identifier else None
    if person is None:
        make_password(secret)  # an unknown identifier costs the time a wrong secret costs
        _refused(_wrong_secret(key, throttle.unknown_failure(key.name, identifier)), **where)
    if getattr(person, key.blocked_at) is not None:
        _refused(_key_blocked(key), **where)
    if not key.check(person, secret):
        _refused(_wrong_secret_record(person, key), **where)
    return _finish(person, key.name, counter=key.counter, **where)


# --- The keys -------------------------------------------------------------------------------------


@sensitive_variables("pin")
def eid_sign_in(*, insz: str, pin: str, address: str = "") -> Person:
    """Check the eID card's PIN. Three wrong PINs block the card until a trainer unblocks it."""
    number = insz_clean(insz)
    return _secret_key_sign_in(
        EID, identifier=number, secret=pin or "", address=address, people=Person.objects.filter(insz=number)
    )


def phone_digits(phone: str) -> str:
    """A phone number as digits only, in the international form without +: 32470123456."""
    digits = "".join(ch for ch in phone or "" if ch.isdigit())
    if digits.startswith("00"):
        digits = digits[2:]
    elif digits.startswith("0"):
        digits = "32" + digits[1:]
    return digits


def itsme_phone_check(*, phone: str, address: str = "") -> str:
    """The first step of itsme: a well-formed gsm-nummer, as digits. Whether an itsme account exists
    for it is not told here: the app's step asks the itsme code of whatever number was given."""
    digits = phone_digits(phone)
    if not 9 <= len(digits) <= 15:
        raise ServiceError(_("Geef een geldig gsm-nummer in."), field="phone", code="bad_phone")
    signin_throttle_check(scope=ITSME.scope, identifier=digits, address=address)
    return digits


@sensitive_variables("code")
def itsme_sign_in(*, phone: str, code: str, address: str = "") -> Person:
    """The simulated itsme app: the person confirms with their own 5-digit itsme code. Three wrong
    codes block itsme until a trainer unblocks it, as three wrong PINs block the eID card."""
    digits = phone_digits(phone)
    return _secret_key_sign_in(
        ITSME,
        identifier=digits,
        secret=(code or "").strip(),
        address=address,
        people=Person.objects.filter(itsme_phone=digits),
    )


def card_unblock(*, actor, person: Person) -> Person:
    """Unblock the person's eID card and itsme and reset both counters of wrong attempts (the trainer's
    or the admin's "deblokkeren"); their failed sign-ins at the throttle are forgotten too."""
    fields = ["failed_pin_attempts", "card_blocked_at", "failed_itsme_attempts", "itsme_blocked_at"]
    with transaction.atomic():
        locked = Person.objects.select_for_update().get(pk=person.pk)
        before = audit_snapshot(locked, fields)
        locked.failed_pin_attempts = locked.failed_itsme_attempts = 0
        locked.card_blocked_at = locked.itsme_blocked_at = None
        locked.save(update_fields=fields)
        audit_record(
            actor=actor,
            action="person.card_unblock",
            target=locked,
            before=before,
            after=audit_snapshot(locked, fields),
        )
    for field in fields:
        setattr(person, field, getattr(locked, field))
    signin_throttle_reset(scope=EID.scope, identifier=locked.insz)
    signin_throttle_reset(scope=ITSME.scope, identifier=locked.itsme_phone)
    return locked


def _username_key(username: str) -> str:
    return (username or "").strip().lower()


@sensitive_variables("password")
def _password_person(username: str, password: str, address: str) -> Person:
    """The person whose username and password these are; one answer for an unknown username and a
    wrong password, which take the same time."""
    identifier = _username_key(username)
    signin_throttle_check(scope="username", identifier=identifier, address=address)
    person = Person.objects.filter(username__iexact=identifier).first() if identifier else None
    if person is None or not person.has_usable_password():
        make_password(password)
        matches = False
    else:
        matches = person.check_password(password)
    if not matches:
        _refused(
            ServiceError(_("De gebruikersnaam of het wachtwoord is niet correct."), code="bad_credentials"),
            scope="username",
            identifier=identifier,
            address=address,
        )
    return person


@sensitive_variables("password")
def password_sign_in(*, username: str, password: str, address: str = "") -> Person:
    person = _password_person(username, password, address)
    return _finish(person, "password", scope="username", identifier=_username_key(username), address=address)


@sensitive_variables("password", "code")
def token_sign_in(*, username: str, password: str, code_number: int, code: str, address: str = "") -> Person:
    identifier = _username_key(username)
    person = _password_person(username, password, address)
    if not hmac.compare_digest(token_code(person.insz, code_number), (code or "").strip()):
        _refused(
            ServiceError(_("De code van uw token is niet correct."), field="code", code="bad_token"),
            scope="username",
            identifier=identifier,
            address=address,
        )
    return _finish(person, "token", scope="username", identifier=identifier, address=address)


# --- The proof a password change asks for ---------------------------------------------------------


def sign_in_proof(*, person: Person, key: str) -> dict:
    """What the session keeps of a sign-in: which key, whose, and when (on the clock)."""
    return {"key": key, "person": person.pk, "at": clock.now().isoformat()}


def strong_sign_in_recent(*, person: Person, sign_in) -> bool:
    """Whether ``sign_in`` (a sign_in_proof) is this person's sign-in with eID or itsme of the last five
    minutes. A persona switch in a training sandbox is none: it signs in without a key."""
    if not isinstance(sign_in, dict) or sign_in.get("key") not in STRONG_KEYS:
        return False
    if sign_in.get("person") != person.pk:
        return False
    try:
        moment = datetime.fromisoformat(sign_in["at"])
    except (KeyError, TypeError, ValueError):
        return False
    if moment.tzinfo is None:
        return False
    return timedelta(0) <= clock.now() - moment <= STRONG_SIGN_IN_MAX_AGE


# "Persoonlijke gegevens": the person's own contact data and their username + password key.
# Names, title and INSZ come from the national register and are not the person's to change here.

PERSONAL_DATA_FIELDS = ["email", "language", "phone"]
USERNAME_MIN, USERNAME_MAX = 3, 64
USERNAME_PATTERN = re.compile(r"[A-Za-z0-9._-]+")
PASSWORD_MAX = 128


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


def proof_required_refusal() -> ServiceError:
    return ServiceError(
        _(
            "Bevestig eerst wie u bent: geef uw huidige wachtwoord, of meld u opnieuw aan met uw eID of "
            "itsme. Daarna hebt u 5 minuten om uw wachtwoord te kiezen."
        ),
        code="proof_required",
    )


@sensitive_variables("password", "current_password")
def password_change(
    *,
    actor: Person,
    password: str,
    username: str | None = None,
    current_password: str | None = None,
    strong_sign_in: dict | None = None,
) -> Person:
    """ "Mijn wachtwoord wijzigen": set the password of the username + password key. A person who
    only signed in with eID so far sets a first password, and a username when they have none yet.

    Whoever holds the session is not yet proven to be the person: the change needs the current
    password (``current_password``), or a sign-in with eID or itsme of the last five minutes
    (``strong_sign_in``, the session's sign_in_proof). The audit event says what happened to the key,
    never anything of the password. Hashing runs before the short write transaction."""
    person = Person.objects.get(pk=actor.pk)
    if current_password is not None:
        usable = person.has_usable_password()
        if not (usable and check_password(current_password, person.password)):
            raise ServiceError(
                _("Uw huidige wachtwoord is niet correct."), field="old_password", code="bad_password"
            )
    elif not strong_sign_in_recent(person=person, sign_in=strong_sign_in):
        raise proof_required_refusal()
    proven_hash = person.password
    new_username = username_clean(username, person=person) if not person.username else None
    try:
        password_check(password, person)
    except ValidationError as error:
        raise ValidationError({"new_password1": error.error_list}) from None
    encoded = make_password(password)
    with transaction.atomic():
        person = Person.objects.select_for_update().get(pk=actor.pk)
        if person.password != proven_hash:  # changed since it was proven: prove it again
            raise proof_required_refusal()
        before = {"username": person.username, "usable_password": person.has_usable_password()}
        if not person.username:
            person.username = new_username or username_clean(username, person=person)
        person.password = encoded
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


# --- A password reset by a toegangsbeheerder ("Beheer van de wachtwoorden") ------------------------
#
# The administrator's side (who may reset whose password, the mail) is users.services.user_password_reset;
# here is the person's side: the key made unusable, the one-time link, and the new password.


def password_reset_start(*, actor, person: Person, enterprise_kbo: str = "") -> tuple[str, str]:
    """Make the person's password unusable at once (the old one no longer signs in; eID and itsme still
    do) and return the one-time link's two parts (the person's id in base 64 and the token). Must run
    inside the caller's transaction, which audits the reset and sends the mail."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("password_reset_start must run inside the caller's transaction.")
    person = Person.objects.select_for_update().get(pk=person.pk)
    before = {"username": person.username, "usable_password": person.has_usable_password()}
    person.set_unusable_password()
    person.save(update_fields=["password"])
    audit_record(
        actor=actor,
        action="person.password_reset",
        target=person,
        enterprise_kbo=enterprise_kbo,
        before=before,
        after={"username": person.username, "usable_password": False},
    )
    return urlsafe_base64_encode(force_bytes(person.pk)), password_reset_tokens.make_token(person)


def password_reset_person(uidb64: str) -> Person | None:
    """The person a reset link names, or None for a link that names nobody."""
    try:
        pk = int(force_str(urlsafe_base64_decode(uidb64)))
    except (TypeError, ValueError, OverflowError):
        return None
    if not 0 < pk < 2**31:
        return None
    return Person.objects.filter(pk=pk, is_active=True).first()


def password_reset_link_valid(person: Person | None, token: str) -> bool:
    return person is not None and password_reset_tokens.check_token(person, token or "")


def _link_expired() -> ServiceError:
    return ServiceError(
        _(
            "Deze link is niet meer geldig: hij werd al gebruikt, een nieuwere werd verstuurd of hij is "
            "verlopen. Vraag uw toegangsbeheerder om een nieuwe link."
        ),
        code="link_invalid",
    )


@sensitive_variables("password")
def password_reset_complete(
    *, person: Person, token: str, password: str, username: str | None = None
) -> Person:
    """The new password chosen through the one-time link (and a username when the person has none).
    The link serves once: the new password changes the hash the token is bound to. The password follows
    the portal's rules (password_check); the audit event says nothing of it."""
    if not password_reset_link_valid(person, token):
        raise _link_expired()
    new_username = username_clean(username, person=person) if not person.username else None
    try:
        password_check(password, person)
    except ValidationError as error:
        raise ValidationError({"new_password1": error.error_list}) from None
    encoded = make_password(password)
    with transaction.atomic():
        person = Person.objects.select_for_update().get(pk=person.pk)
        if not password_reset_link_valid(person, token):  # used at the same moment in another tab
            raise _link_expired()
        if not person.username:
            person.username = new_username or username_clean(username, person=person)
        person.password = encoded
        try:
            with transaction.atomic():
                person.save(update_fields=["password", "username"])
        except IntegrityError:
            raise ServiceError(
                _("Deze gebruikersnaam is al in gebruik. Kies een andere gebruikersnaam."),
                field="username",
                code="username_taken",
            ) from None
        audit_record(
            actor=person,
            action="person.password_reset_complete",
            target=person,
            before={"usable_password": False},
            after={"username": person.username, "usable_password": True},
        )
    return person
