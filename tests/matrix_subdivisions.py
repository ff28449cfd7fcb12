"""Access-matrix entries of "Gebruikers - Subafdelingen" and of a subafdeling's own pages (manual
3.5.1, 3.6.1, chapter 4 steps 2-9).

Whoever manages the hoedanigheid (HTB, co-HTB, its LB) sees the list of its subafdelingen and adds
them; the wizard steps without their signed answers, and the list's POST without a selection, send
them back to the list (302). The subafdelingsbeheerder opens only the pages of their subafdeling
(details and status); the removal confirmation without its signed selection sends them back to the
details (302). Everybody else, and every administrator of another enterprise, gets 404."""

from tests.matrix import only


def main_hoedanigheid(world) -> dict:
    return {"hoedanigheid_id": world.main.activation.pk}


def main_subafdeling(world) -> dict:
    return {"subafdeling_id": world.main.subafdeling.pk}


MANAGERS = {"htb": 200, "co_htb": 200, "tb": 200}
BACK_TO_LIST = {"htb": 302, "co_htb": 302, "tb": 302}
SUBAFDELING = {**MANAGERS, "sb": 200}
BACK_TO_DETAIL = {**BACK_TO_LIST, "sb": 302}

EXPECTATIONS = {
    "subdivisions:list": only(MANAGERS, kwargs=main_hoedanigheid),
    "subdivisions:list-status": only(BACK_TO_LIST, kwargs=main_hoedanigheid, method="post"),
    "subdivisions:add": only(BACK_TO_LIST, kwargs=main_hoedanigheid),
    "subdivisions:add-details": only(BACK_TO_LIST, kwargs=main_hoedanigheid),
    "subdivisions:add-applications": only(BACK_TO_LIST, kwargs=main_hoedanigheid),
    "subdivisions:add-confirm": only(BACK_TO_LIST, kwargs=main_hoedanigheid),
    "subdivisions:detail": only(SUBAFDELING, kwargs=main_subafdeling),
    "subdivisions:status": only(SUBAFDELING, kwargs=main_subafdeling),
    "subdivisions:authorisations-confirm": only(BACK_TO_DETAIL, kwargs=main_subafdeling),
}
