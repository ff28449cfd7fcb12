import threading
from datetime import date

import pytest
from django.db import connection

from accessportal.services import ServiceError
from roles import services as roles
from roles.models import RoleAssignment


@pytest.mark.django_db(transaction=True)
def test_two_submits_of_one_role_at_once_add_it_once(world, catalogue):
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL; CI runs this test there")
    side, role = world.main, catalogue["roles"]["BelRAI VL - admin"]
    outcomes = []

    def submit():
        try:
            roles.role_assign(actor=side.sb, user=side.user, role=role, start_date=date(2026, 3, 2))
            outcomes.append("added")
        except ServiceError:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=submit) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["added", "refused"]
    assert RoleAssignment.objects.filter(user=side.user, role=role).count() == 1
