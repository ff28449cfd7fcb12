"""Codes the simulation derives from a person, so that it can print and show them without storing
them: the CSAM security token (a card of 24 numbered codes) and the simulated itsme code."""

import hashlib
import hmac

from django.conf import settings

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
