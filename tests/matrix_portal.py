"""Access-matrix entries of the portal's front pages, enterprise and hoedanigheid levels."""

from tests.matrix import everyone, only, signed_in


def main_enterprise(world) -> dict:
    return {"kbo": world.main.enterprise.kbo}


def main_hoedanigheid(world) -> dict:
    return {"hoedanigheid_id": world.main.activation.pk}


LEADERS = {"htb": 200, "co_htb": 200}

EXPECTATIONS = {
    "help": everyone(200),
    "subdivisions:quality": signed_in(200),
    "subdivisions:welcome": signed_in(302),  # the "Werkgever" choice comes first in a new session
    "administrators:enterprise": only(LEADERS, kwargs=main_enterprise),
    "administrators:hoedanigheid-activate": only({"htb": 302, "co_htb": 302}, kwargs=main_enterprise),
    "administrators:hoedanigheid": only({**LEADERS, "tb": 200}, kwargs=main_hoedanigheid),
    "roles:stappenplan": only(LEADERS, kwargs=main_enterprise),
}
