"""Codes the simulation derives from a person, so that it can print and show them without storing
them: the CSAM security token (a card of 24 numbered codes) and the simulated itsme code."""

import hashlib
import hmac
from datetime import UTC

from django.conf import settings
from django.contrib.auth.tokens import PasswordResetTokenGenerator

from accessportal import clock

TOKEN_CODES = 24
ITSME_CODE_DIGITS = 5
# The itsme code of every person of the demo world (README, "De demowereld"), beside PIN-code 1234.
DEMO_ITSME_CODE = "12345"


def derived_code(seed: str, digits: int) -> str:
    """A code of ``digits`` digits that only this installation can derive (it depends on SECRET_KEY)."""
    digest = hmac.new(settings.SECRET_KEY.encode(), seed.encode(), hashlib.sha256).hexdigest()
    return f"{int(digest[:12], 16) % 10**digits:0{digits}d}"


def token_code(insz: str, number: int) -> str:
    return derived_code(f"token:{insz}:{number}", 6)


def token_card(insz: str) -> list[tuple[int, str]]:
    return [(number, token_code(insz, number)) for number in range(1, TOKEN_CODES + 1)]


def itsme_code(insz: str) -> str:
    """The simulated itsme code of a person (a trainee's card prints it; "Mijn digitale sleutels"
    shows it). Only its hash is stored on the person (Person.itsme_code), like the PIN's."""
    return derived_code(f"itsme:{insz}", ITSME_CODE_DIGITS)


class PasswordResetLinkTokens(PasswordResetTokenGenerator):
    """The one-time link of "Beheer van de wachtwoorden" (a toegangsbeheerder resets a user's password).

    Django's generator, bound to the person's password hash only: the reset makes the password
    unusable with a new random hash, so the link dies when the person chooses a new password (or when
    another reset is asked), and not when they merely sign in with eID in between (Django also binds
    its tokens to ``last_login``). Valid for ``settings.PASSWORD_RESET_TIMEOUT`` seconds on the
    portal's clock (accessportal.clock), so tests and trainers can move time past it."""

    key_salt = "identity.tokens.PasswordResetLinkTokens"

    def _make_hash_value(self, user, timestamp):
        return f"{user.pk}{user.password}{timestamp}"

    def _now(self):
        return clock.now().astimezone(UTC).replace(tzinfo=None)


password_reset_tokens = PasswordResetLinkTokens()
