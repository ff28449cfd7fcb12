"""Access-matrix entries of the simulated applications and the access decision API.

The applications' public pages are open to everybody. The work page ("Aanmelden") needs a signed-in
person and then always answers with a decision: every persona of the world is refused eVIPA (403),
for none holds the VIPA right (the main and outsider users only hold the E-loket right, the others are
users nowhere). The API knows no sessions: without an application's token everybody gets 401."""

from tests.matrix import everyone, signed_in


def evipa(world) -> dict:
    return {"slug": "evipa"}


EXPECTATIONS = {
    "roles:application": everyone(200, kwargs=evipa),
    "roles:application-work": signed_in(403, kwargs=evipa),
    "roles:api": everyone(401),
}
