"""Two submits of one role at once: the service's own overlap check cannot see the other's row before
it commits, so the database's exclusion constraint (roles migration 0004) refuses the second, and the
service answers with its usual refusal, not a 500. PostgreSQL only: SQLite serialises every write."""

import threading
import time
from datetime import date
from unittest import mock

import psycopg
import pytest
from django.db import OperationalError, connection, transaction

from accessportal.models import AuditEvent, Propagation
from accessportal.services import ServiceError
from roles import services as roles
from roles.models import RoleAssignment
from users.models import ApplicationRight

OVERLAP = "De gebruiker heeft deze rol al voor een overlappende periode."


def _postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip("the exclusion constraint needs PostgreSQL; CI runs this test there")


def _refusal(error: ServiceError) -> tuple[str, str, str]:
    """The field, code and message of a refusal about one field."""
    ((field, [inner]),) = error.error_dict.items()
    return field, inner.code, inner.message


def _checks_passed_by_both(barrier: threading.Barrier):
    """``_assign_checks`` that waits, once it has read, until the other submit has read too: both
    see no overlap, as when two requests arrive at the same moment. A submit run once more (the
    deadlock's loser) reads without waiting."""
    checks, first = roles._assign_checks, threading.local()

    def checked(*args, **kwargs):
        found = checks(*args, **kwargs)
        if not getattr(first, "done", False):
            first.done = True
            barrier.wait(timeout=10)
        return found

    return checked


@pytest.mark.django_db(transaction=True)
def test_two_submits_of_one_role_at_once_add_it_once(world, catalogue):
    _postgresql_only()
    side, role = world.main, catalogue["roles"]["BelRAI VL - admin"]
    outcomes = []

    def submit():
        try:
            roles.role_assign(actor=side.sb, user=side.user, role=role, start_date=date(2026, 3, 2))
            outcomes.append("added")
        except ServiceError as error:
            outcomes.append("refused: {1}".format(*_refusal(error)))
        finally:
            connection.close()

    with mock.patch.object(roles, "_assign_checks", _checks_passed_by_both(threading.Barrier(2))):
        threads = [threading.Thread(target=submit) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert sorted(outcomes) == ["added", "refused: overlap"]
    assert RoleAssignment.objects.filter(user=side.user, role=role).count() == 1


@pytest.mark.django_db
def test_an_overlap_only_the_database_sees_gets_the_usual_refusal_and_writes_nothing(world, catalogue):
    """The race's second submit, in one thread: its checks saw no overlap (they read before the first
    submit committed), its INSERT meets the constraint."""
    _postgresql_only()
    side, role = world.main, catalogue["roles"]["BelRAI VL - admin"]
    roles.role_assign(actor=side.sb, user=side.user, role=role, start_date=date(2026, 3, 2))
    events, propagations = AuditEvent.objects.count(), Propagation.objects.count()
    no_overlap = {"manages": True, "has_right": True, "overlap": False}
    with (
        mock.patch.object(roles, "_assign_checks", return_value=no_overlap),
        pytest.raises(ServiceError) as refused,
    ):
        roles.role_assign(actor=side.sb, user=side.user, role=role, start_date=date(2026, 6, 1))
    assert _refusal(refused.value) == ("role", "overlap", OVERLAP)
    assert RoleAssignment.objects.filter(user=side.user, role=role).count() == 1
    assert (AuditEvent.objects.count(), Propagation.objects.count()) == (events, propagations)


@pytest.mark.django_db
def test_new_dates_only_the_database_sees_overlap_get_the_usual_refusal(world, catalogue):
    _postgresql_only()
    side, role = world.main, catalogue["roles"]["BelRAI VL - admin"]
    first = roles.role_assign(
        actor=side.sb, user=side.user, role=role, start_date=date(2026, 1, 1), end_date=date(2026, 1, 31)
    )
    roles.role_assign(actor=side.sb, user=side.user, role=role, start_date=date(2026, 3, 1))
    with mock.patch.object(roles, "_require_no_overlap"), pytest.raises(ServiceError) as refused:
        roles.role_update(actor=side.sb, assignment=first, start_date=date(2026, 1, 1), end_date=None)
    assert _refusal(refused.value) == ("role", "overlap", OVERLAP)
    first.refresh_from_db()
    assert (first.start_date, first.end_date) == (date(2026, 1, 1), date(2026, 1, 31))


def _deadlock() -> OperationalError:
    """What Django raises when PostgreSQL aborts a transaction as a deadlock: two overlapping INSERTs
    that reach the constraint's check at once wait for each other."""
    error = OperationalError("deadlock detected")
    error.__cause__ = psycopg.errors.DeadlockDetected("deadlock detected")
    return error


def _deadlocked_first(times: int):
    """``_assign_checks`` whose first ``times`` calls end in a deadlock."""
    checks, calls = roles._assign_checks, []

    def checked(*args, **kwargs):
        calls.append(1)
        if len(calls) <= times:
            raise _deadlock()
        return checks(*args, **kwargs)

    return checked


@pytest.mark.django_db
def test_a_submit_aborted_as_a_deadlock_is_run_once_more(world, catalogue):
    side, role = world.main, catalogue["roles"]["BelRAI VL - admin"]
    with mock.patch.object(roles, "_assign_checks", _deadlocked_first(1)):
        added = roles.role_assign(actor=side.sb, user=side.user, role=role, start_date=date(2026, 3, 2))
    assert RoleAssignment.objects.get(user=side.user, role=role) == added
    with (
        mock.patch.object(roles, "_assign_checks", _deadlocked_first(1)),
        pytest.raises(ServiceError) as refused,
    ):
        roles.role_assign(actor=side.sb, user=side.user, role=role, start_date=date(2026, 6, 1))
    assert _refusal(refused.value) == ("role", "overlap", OVERLAP)


@pytest.mark.django_db
def test_a_second_deadlock_is_not_hidden(world, catalogue):
    side, role = world.main, catalogue["roles"]["BelRAI VL - admin"]
    with (
        mock.patch.object(roles, "_assign_checks", _deadlocked_first(2)),
        pytest.raises(OperationalError),
    ):
        roles.role_assign(actor=side.sb, user=side.user, role=role, start_date=date(2026, 3, 2))
    assert not RoleAssignment.objects.filter(user=side.user, role=role).exists()


def _until_another_connection_waits_for_a_lock() -> None:
    """Until (at most ten seconds) another connection to this database waits for a lock."""
    with connection.cursor() as cursor:
        for _ in range(1000):
            cursor.execute("SELECT pg_stat_clear_snapshot()")  # a fresh look at each turn
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                "AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()"
            )
            if cursor.fetchone()[0]:
                return
            time.sleep(0.01)
    raise AssertionError("Nothing waited for the withdrawal.")


@pytest.mark.django_db(transaction=True)
def test_a_role_given_while_its_right_is_withdrawn_gets_the_usual_refusal(world, catalogue):
    """The submit's checks still see the right; its INSERT waits for the withdrawal and then meets
    the foreign key (roles migration 0002): run once more, it says why in Dutch, not a 500."""
    _postgresql_only()
    side, role = world.main, catalogue["roles"]["BelRAI VL - admin"]
    right = ApplicationRight.objects.get(user=side.user, application=role.application)
    withdrawn = threading.Event()

    def withdraw():
        try:
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute("DELETE FROM users_applicationright WHERE id = %s", [right.pk])
                withdrawn.set()
                _until_another_connection_waits_for_a_lock()  # the submit's INSERT
        finally:
            connection.close()

    thread = threading.Thread(target=withdraw)
    thread.start()
    assert withdrawn.wait(timeout=10)
    try:
        with pytest.raises(ServiceError) as refused:
            roles.role_assign(actor=side.sb, user=side.user, role=role, start_date=date(2026, 3, 2))
    finally:
        thread.join()
    assert _refusal(refused.value)[:2] == ("role", "no_right")
    assert not RoleAssignment.objects.filter(user=side.user, role=role).exists()
