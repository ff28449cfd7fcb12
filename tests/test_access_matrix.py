"""The access matrix: every URL pattern of the project, requested by every persona.

Each route declares what anonymous visitors, a person linked to nothing, the administrators of an
outsider enterprise and each administrator level of the enterprise that owns the object get. A route
without a declaration fails the suite, so no new screen can forget its permissions. Objects in the
URL belong to the main enterprise: an outsider must get 404, never a hint that they exist.
"""

import importlib
import re
from pathlib import Path

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from tests.matrix import ADMIN_LOGIN, LEVELS, LOGIN, Expect, everyone, only, signed_in

pytestmark = pytest.mark.django_db


def draft_of_main_legal_rep(world) -> dict:
    from administrators.procedure import htb_draft_start

    return {"draft_id": htb_draft_start(actor=world.main.legal_rep, kbo=world.main.enterprise.kbo).pk}


def main_enterprise(world) -> dict:
    return {"kbo": world.main.enterprise.kbo}


def another_co_htb(world) -> dict:
    """A co-HTB appointment of the main enterprise to remove (not the persona's own)."""
    from administrators.models import CoHtbAppointment
    from administrators.services import co_htb_appoint

    enterprise, employee = world.main.enterprise, world.main.employee
    appointment = CoHtbAppointment.objects.current().filter(enterprise=enterprise, person=employee).first()
    if appointment is None:
        appointment = co_htb_appoint(actor=world.main.htb, enterprise=enterprise, person=employee)
    return {"kbo": enterprise.kbo, "appointment_id": appointment.pk}


# Declared expectations, by route name (or by pattern for unnamed routes).
EXPECTATIONS: dict[str, Expect] = {
    "csam-home": everyone(200),
    "set_language": everyone(302, method="post"),
    "mailbox": everyone(200),  # demo mode only; 404 otherwise (tests/administrators)
    "identity:sign-in": everyone(200),
    "identity:sign-in-eid": everyone(200),
    "identity:sign-in-itsme": everyone(200),
    "identity:sign-in-itsme-confirm": everyone(302),  # nothing pending: back to the phone number
    "identity:sign-in-token": everyone(200),
    "identity:sign-in-password": everyone(200),
    "identity:sign-out": everyone(200),
    "identity:digital-keys": signed_in(),
    "enterprises:mandates": signed_in(),
    "administrators:btb": everyone(200),
    "administrators:htb-start": signed_in(),
    "administrators:htb-registration": only({"legal_rep": 200}, kwargs=draft_of_main_legal_rep),
    "administrators:htb-confirmation": only({"legal_rep": 302}, kwargs=draft_of_main_legal_rep),
    "administrators:htb-done": only({"legal_rep": 302}, kwargs=draft_of_main_legal_rep),
    "administrators:co-htbs": only({"htb": 200, "co_htb": 200}, kwargs=main_enterprise),
    "administrators:co-htb-remove": only({"htb": 302, "co_htb": 302}, kwargs=another_co_htb, method="post"),
}

# Each screen's own entries, kept beside its tests (tests/matrix_*.py) by whoever builds it.
for entries in sorted(Path(__file__).parent.glob("matrix_*.py")):
    EXPECTATIONS.update(importlib.import_module(f"tests.{entries.stem}").EXPECTATIONS)

# Django's admin is one permission boundary (is_staff); none of the personas is staff.
ADMIN_EXCEPTIONS: dict[str, Expect] = {
    "admin:login": everyone(200),
    "admin:logout": everyone(302),  # a GET only redirects back to the admin; logging out takes a POST
}
ADMIN_DEFAULT = everyone(ADMIN_LOGIN)


def iter_routes(resolver: URLResolver | None = None, prefix: str = "", namespace: str = ""):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        pattern = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            ns = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from iter_routes(entry, pattern, ns)
        elif isinstance(entry, URLPattern):
            key = f"{namespace}{entry.name}" if entry.name else pattern
            yield key, pattern


def expectation_for(key: str) -> Expect | None:
    if key.startswith("admin:") or key.startswith("^admin/") or key.startswith("admin/"):
        return ADMIN_EXCEPTIONS.get(key, ADMIN_DEFAULT)
    return EXPECTATIONS.get(key)


SAMPLE_VALUES = {"app_label": "identity", "object_id": "1", "content_type_id": "1", "url": "onbekend"}


def sample_path(pattern: str, kwargs: dict) -> str:
    """Turn a route pattern into a concrete path, filling its parameters."""
    values = {**SAMPLE_VALUES, **{k: str(v) for k, v in kwargs.items()}}
    path = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: values.get(m.group(1), "1"), pattern)
    path = re.sub(r"\(\?P<(\w+)>[^)]*\)", lambda m: values.get(m.group(1), "1"), path)
    return "/" + path.lstrip("^").rstrip("$").replace("\\", "")


def test_every_route_declares_every_level():
    missing = [key for key, _pattern in iter_routes() if expectation_for(key) is None]
    assert not missing, f"Routes without an access-matrix entry: {missing}"


@pytest.mark.parametrize("level", LEVELS)
def test_access_matrix(client, world, level):
    person = world.persona(level)
    if person is not None:
        client.force_login(person)
    failures = []
    for key, pattern in iter_routes():
        expect = expectation_for(key)
        path = sample_path(pattern, expect.kwargs(world))
        response = getattr(client, expect.method)(path)
        wanted = expect.for_level(level)
        if wanted == LOGIN:
            ok = response.status_code == 302 and response["Location"].startswith("/aanmelden/")
        elif wanted == ADMIN_LOGIN:
            ok = response.status_code == 302 and response["Location"].startswith("/admin/login/")
        else:
            ok = response.status_code == wanted
        if not ok:
            failures.append(f"{key} {path}: got {response.status_code}, expected {wanted}")
    assert not failures, "\n".join(failures)
