"""The simulated CSAM security token: a card of 24 numbered codes, derived from the person."""

import hashlib
import hmac

from django.conf import settings

TOKEN_CODES = 24


def token_code(insz: str, number: int) -> str:
    digest = hmac.new(
        settings.SECRET_KEY.encode(), f"token:{insz}:{number}".encode(), hashlib.sha256
    ).hexdigest()
    return f"{int(digest[:12], 16) % 1_000_000:06d}"


def token_card(insz: str) -> list[tuple[int, str]]:
    return [(number, token_code(insz, number)) for number in range(1, TOKEN_CODES + 1)]
