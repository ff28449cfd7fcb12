"""The overlap rule of a user's role periods (roles.services._overlap_sql), as role_assign asks it
(in its one written-out statement of checks) and as role_update asks it (through the ORM), at its
edges: a period may start the day after another ends, not on its last day; an open end overlaps
everything after; a removed role and another role do not count."""

from datetime import date

import pytest

from accessportal.services import ServiceError
from roles import services
from roles.models import RoleAssignment
from tests.factories import RoleAssignmentFactory

pytestmark = pytest.mark.django_db

ROLE = "BelRAI VL - zorgverlener met certificaat"
OTHER_ROLE = "e-loket - Beheer Financiële gegevens"
OVERLAP = "De gebruiker heeft deze rol al voor een overlappende periode."
EXISTING = (date(2026, 1, 1), date(2026, 6, 30))

CASES = [
    # (start, end of the new period), whether it overlaps EXISTING
    ((date(2026, 7, 1), None), False),
    ((date(2025, 6, 1), date(2025, 12, 31)), False),
    ((date(2025, 6, 1), date(2026, 1, 1)), True),
    ((date(2026, 6, 30), None), True),
    ((date(2026, 6, 30), date(2026, 7, 30)), True),
    ((date(2025, 1, 1), None), True),
    ((date(2026, 2, 1), date(2026, 3, 1)), True),
]


def existing(main, catalogue, *, start=EXISTING[0], end=EXISTING[1], **fields) -> RoleAssignment:
    return RoleAssignmentFactory(
        user=main.user, role=catalogue["roles"][ROLE], start_date=start, end_date=end, **fields
    )


def assign(main, catalogue, start, end, name=ROLE) -> bool:
    """Whether role_assign gave the role (False: refused as an overlap)."""
    try:
        services.role_assign(
            actor=main.sb, user=main.user, role=catalogue["roles"][name], start_date=start, end_date=end
        )
    except ServiceError as error:
        assert OVERLAP in str(error)
        return False
    return True


@pytest.mark.parametrize(("period", "overlaps"), CASES)
def test_role_assign_refuses_exactly_the_overlapping_periods(world, catalogue, period, overlaps):
    existing(world.main, catalogue)
    assert assign(world.main, catalogue, *period) is not overlaps
    assert RoleAssignment.objects.filter(user=world.main.user).count() == (1 if overlaps else 2)


@pytest.mark.parametrize(("period", "overlaps"), CASES)
def test_role_update_refuses_exactly_the_overlapping_periods(world, catalogue, period, overlaps):
    existing(world.main, catalogue)
    moved = existing(world.main, catalogue, start=date(2030, 1, 1), end=date(2030, 1, 31))
    start, end = period
    try:
        services.role_update(actor=world.main.sb, assignment=moved, start_date=start, end_date=end)
    except ServiceError as error:
        assert OVERLAP in str(error) and overlaps
    else:
        assert not overlaps
    moved.refresh_from_db()
    assert (moved.start_date, moved.end_date) == (
        (date(2030, 1, 1), date(2030, 1, 31)) if overlaps else period
    )


def test_an_open_period_overlaps_any_later_one(world, catalogue):
    existing(world.main, catalogue, end=None)
    assert not assign(world.main, catalogue, date(2040, 1, 1), date(2040, 1, 2))
    assert assign(world.main, catalogue, date(2025, 1, 1), date(2025, 12, 31))


def test_a_removed_role_and_another_role_do_not_count(world, catalogue):
    removed = existing(world.main, catalogue)
    services.role_remove(actor=world.main.sb, assignment=removed)
    assert assign(world.main, catalogue, *EXISTING)
    assert assign(world.main, catalogue, *EXISTING, name=OTHER_ROLE)
