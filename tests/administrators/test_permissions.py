"""The rules of administrators/permissions.py, each written once and read by every screen.

"The HTB is Lokale Beheerder of every active hoedanigheid while none is appointed" (manual 3.4) has a
Python form (over the administrators a page already read) and a database form (inside a queryset);
every reader (the role of a person, "Beheer van de gebruikers", the Hiërarchie, the access decision's
fixers, "Uw verantwoordelijken", the LB that an appointment replaces) goes through them."""

import pytest
from django.db.models import Value

from accessportal import clock
from administrators import permissions, selectors
from administrators.models import AdministratorKind, HoedanigheidActivation, LocalAdministrator
from roles.selectors import hierarchy_of
from tests.factories import LocalAdministratorFactory

pytestmark = pytest.mark.django_db

LB, CO_LB = AdministratorKind.LB, AdministratorKind.CO_LB


def both_forms(activation) -> tuple[bool, bool]:
    current = list(LocalAdministrator.objects.current().filter(activation=activation))
    in_python = permissions.htb_is_local_administrator(current)
    in_sql = HoedanigheidActivation.objects.filter(
        permissions.htb_is_local_administrator_expression(Value(activation.pk)), pk=activation.pk
    ).exists()
    return in_python, in_sql


def test_the_htb_is_lb_exactly_while_no_lb_is_appointed_in_both_forms(world):
    main = world.main
    activation, htb = main.activation, main.htb
    assert both_forms(activation) == (False, False)  # the world appointed its TB as LB
    assert permissions.local_administrator_role_of(activation, htb) is None
    assert permissions.acting_local_administrator(activation).person == main.tb

    LocalAdministrator.objects.filter(activation=activation, kind=LB).update(ended_at=clock.now())
    assert both_forms(activation) == (True, True)
    assert permissions.local_administrator_role_of(activation, htb) == LB
    assert permissions.acting_local_administrator(activation).person == htb
    assert [(row.pk, row.row_kind) for row in selectors.manager_rows(activation)] == [(htb.pk, LB)]
    assert hierarchy_of(main.subafdeling).htb_as_local_administrator

    LocalAdministratorFactory(activation=activation, kind=CO_LB)  # a co-LB does not end it
    assert both_forms(activation) == (True, True)
    assert permissions.local_administrator_role_of(activation, htb) == LB


def test_a_person_who_is_no_administrator_and_no_htb_has_no_role(world):
    assert permissions.local_administrator_role_of(world.main.activation, world.main.employee) is None
    assert permissions.local_administrator_role_of(world.main.activation, world.outsider.htb) is None
