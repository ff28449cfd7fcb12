"""Two (here four) "Bevestigen" at once on a confirmation that creates something unique: one of them creates it, the
other gets the service's refusal (shown on the screen like any refusal), never a 500 from the
database's unique constraint. Threads on PostgreSQL, where two requests really run at once (SQLite
serialises every write, so these tests skip there, as tests/roles/test_concurrency.py does)."""

import threading

import pytest
from django.db import connection

from accessportal.services import ServiceError
from administrators import services as administrators
from administrators.models import (
    AdministratorKind,
    CoHtbAppointment,
    HoedanigheidActivation,
    LocalAdministrator,
)
from enterprises import services as enterprises
from subdivisions import services as subdivisions
from subdivisions.models import Subafdeling
from users import services as users
from users.models import ApplicationRight, SubafdelingUser

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip("concurrent writes need PostgreSQL; CI runs these tests there")


def race(call, times: int = 4) -> list[str]:
    """Run ``call`` in ``times`` threads released at the same moment: "done", "refused" (ServiceError)
    or the name of any other exception, per thread."""
    barrier = threading.Barrier(times)
    outcomes = []

    def run():
        try:
            barrier.wait()
            call()
            outcomes.append("done")
        except ServiceError:
            outcomes.append("refused")
        except Exception as error:  # an IntegrityError here is the bug these tests guard against
            outcomes.append(type(error).__name__)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(times)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sorted(outcomes)


def test_adding_one_user_twice_at_once(world):
    side = world.main
    person = side.employee
    outcomes = race(
        lambda: users.user_add(
            actor=side.sb,
            subafdeling=side.subafdeling,
            person=person,
            email="nieuw@example.be",
            applications=[],
        )
    )
    assert outcomes == ["done", "refused", "refused", "refused"]
    assert SubafdelingUser.objects.filter(subafdeling=side.subafdeling, person=person).count() == 1


def test_adding_one_subafdeling_twice_at_once(world, catalogue):
    side = world.main
    gz = catalogue["types"]["gezondheidszorg"]
    facility = enterprises.facility_register(
        enterprise=side.enterprise, hco_number="800101", name="HUIZE NIEUW", listings={gz: "HUIZE NIEUW"}
    )
    outcomes = race(
        lambda: subdivisions.subafdeling_activate(
            actor=side.tb,
            activation=side.activation,
            facility=facility,
            subdivision_type=gz,
            email="huize@example.be",
            applications=[catalogue["applications"]["vipa"]],
            administrator=side.employee,
        )
    )
    assert outcomes == ["done", "refused", "refused", "refused"]
    assert Subafdeling.objects.filter(facility=facility).count() == 1


def test_appointing_one_co_htb_twice_at_once(world):
    side = world.main
    outcomes = race(
        lambda: administrators.co_htb_appoint(
            actor=side.htb, enterprise=side.enterprise, person=side.employee
        )
    )
    assert outcomes == ["done", "refused", "refused", "refused"]
    assert CoHtbAppointment.objects.current().filter(person=side.employee).count() == 1


@pytest.mark.parametrize("kind", [AdministratorKind.LB, AdministratorKind.CO_LB])
def test_appointing_one_local_administrator_twice_at_once(world, kind):
    side = world.main
    outcomes = race(
        lambda: administrators.local_administrator_appoint(
            actor=side.htb,
            activation=side.activation,
            person=side.employee,
            kind=kind,
            email="lb@example.be",
        )
    )
    assert outcomes == ["done", "refused", "refused", "refused"]
    assert LocalAdministrator.objects.current().filter(person=side.employee).count() == 1


def test_activating_one_hoedanigheid_twice_at_once(world, catalogue):
    side = world.main
    jeugdhulp = catalogue["hoedanigheden"]["jeugdhulp"]
    outcomes = race(
        lambda: administrators.hoedanigheid_activate(
            actor=side.htb, enterprise=side.enterprise, hoedanigheid=jeugdhulp, email="jeugd@example.be"
        )
    )
    assert outcomes == ["done", "refused", "refused", "refused"]
    assert (
        HoedanigheidActivation.objects.filter(enterprise=side.enterprise, hoedanigheid=jeugdhulp).count() == 1
    )


def test_granting_one_right_twice_at_once(world, catalogue):
    side = world.main
    apps = [catalogue["applications"]["e-loket-departement-zorg"], catalogue["applications"]["vipa"]]
    outcomes = race(
        lambda: users.user_update(
            actor=side.sb,
            user=side.user,
            email=side.user.email,
            local_email="",
            language="nl",
            applications=apps,
        )
    )
    assert outcomes == ["done"] * 4  # the others find the right already there: nothing to add
    assert ApplicationRight.objects.filter(user=side.user, application=apps[1]).count() == 1


def test_registering_one_enterprise_twice_at_once(db):
    outcomes = race(lambda: enterprises.enterprise_register(kbo="0406.633.304", name="VZW GELIJKTIJDIG"))
    assert outcomes == ["done", "refused", "refused", "refused"]
