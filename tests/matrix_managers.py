"""Access-matrix entries of "Beheer van de gebruikers" of a hoedanigheid (manual 3.4.2, 3.4.3).

Whoever manages the hoedanigheid (HTB, co-HTB, its LB) sees the list and its export; the wizard
steps without their signed answers send them back to the list (302), the LB included, who may look
but not change. Everybody else, and every administrator of another enterprise, gets 404."""

from tests.matrix import only


def main_hoedanigheid(world) -> dict:
    return {"hoedanigheid_id": world.main.activation.pk}


MANAGERS = {"htb": 200, "co_htb": 200, "tb": 200}
BACK_TO_LIST = {"htb": 302, "co_htb": 302, "tb": 302}

EXPECTATIONS = {
    "administrators:managers": only(MANAGERS, kwargs=main_hoedanigheid),
    "administrators:managers-tab": only(MANAGERS, kwargs=main_hoedanigheid),
    "administrators:managers-export": only(MANAGERS, kwargs=main_hoedanigheid),
    "administrators:managers-appoint": only(BACK_TO_LIST, kwargs=main_hoedanigheid),
    "administrators:managers-appoint-confirm": only(BACK_TO_LIST, kwargs=main_hoedanigheid),
    "administrators:managers-remove": only(BACK_TO_LIST, kwargs=main_hoedanigheid, method="post"),
    "administrators:managers-remove-confirm": only(BACK_TO_LIST, kwargs=main_hoedanigheid),
}
