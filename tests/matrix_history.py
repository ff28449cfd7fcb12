"""Access-matrix entries of the history app: the Historiek pages and the map answer whoever may see
the object today (through the same selectors as its screens); another enterprise's objects are 404."""

from tests.matrix import only


def main_enterprise(world) -> dict:
    return {"kbo": world.main.enterprise.kbo}


def main_hoedanigheid(world) -> dict:
    return {"hoedanigheid_id": world.main.activation.pk}


def main_subafdeling(world) -> dict:
    return {"subafdeling_id": world.main.subafdeling.pk}


def main_user(world) -> dict:
    return {"subafdeling_id": world.main.subafdeling.pk, "user_id": world.main.user.pk}


LEADERS = {"htb": 200, "co_htb": 200}
HOEDANIGHEID = {**LEADERS, "tb": 200}
SUBAFDELING = {**HOEDANIGHEID, "sb": 200}

EXPECTATIONS = {
    "history:enterprise": only(LEADERS, kwargs=main_enterprise),
    "history:map": only(LEADERS, kwargs=main_enterprise),
    "history:hoedanigheid": only(HOEDANIGHEID, kwargs=main_hoedanigheid),
    "history:subafdeling": only(SUBAFDELING, kwargs=main_subafdeling),
    "history:user": only(SUBAFDELING, kwargs=main_user),
}
