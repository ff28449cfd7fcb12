"""Access-matrix entries of the menus' screens (issue 14, point 3): the hoedanigheid level's
"Beheer van de hoedanigheden", "De details van de hoedanigheid raadplegen of wijzigen", "Gebruikers
opzoeken", "Beheer van de toestemmingen" and "Beheer van de wachtwoorden" (whoever manages the
hoedanigheid: HTB, co-HTB, its LB); the top bar's "Uw verantwoordelijken" (anyone signed in); the
certificate of "Persoonlijke gegevens" (anyone with a capacity in the enterprise, users included); the
one-time link of a password reset (anyone: the link is the proof). Everybody else, and every
administrator of another enterprise, gets 404."""

from tests.matrix import everyone, only, signed_in


def main_hoedanigheid(world) -> dict:
    return {"hoedanigheid_id": world.main.activation.pk}


def main_user(world) -> dict:
    return {"hoedanigheid_id": world.main.activation.pk, "user_id": world.main.user.pk}


def main_enterprise(world) -> dict:
    return {"kbo": world.main.enterprise.kbo}


def a_dead_link(world) -> dict:
    return {"uidb64": "MQ", "token": "ongeldig-0"}


MANAGERS = {"htb": 200, "co_htb": 200, "tb": 200}
ACCOUNTS = {"htb": 200, "co_htb": 200, "tb": 200, "sb": 200, "user_person": 200}

EXPECTATIONS = {
    "administrators:hoedanigheid-overview": only(MANAGERS, kwargs=main_hoedanigheid),
    "administrators:hoedanigheid-details": only(MANAGERS, kwargs=main_hoedanigheid),
    "roles:lookup": only(MANAGERS, kwargs=main_hoedanigheid),
    "subdivisions:permissions": only(MANAGERS, kwargs=main_hoedanigheid),
    "users:passwords": only(MANAGERS, kwargs=main_hoedanigheid),
    "users:password-reset": only(MANAGERS, kwargs=main_user),
    "users:responsibles": signed_in(200),
    "users:certificate": only(ACCOUNTS, kwargs=main_enterprise),
    "users:certificate-remove": only(
        {level: 302 for level in ACCOUNTS}, kwargs=main_enterprise, method="post"
    ),
    "identity:password-reset": everyone(200, kwargs=a_dead_link),
}
