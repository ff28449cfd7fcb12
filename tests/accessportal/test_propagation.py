"""The propagation delay (manual 3.6.2: "binnen maximum 20 minuten van kracht"): a role change is saved
at once and applied by the sweep when it is due, exactly once, in order, never early. Rights take effect
at once (tests/users/test_rights_at_once.py)."""

import threading
from datetime import date, timedelta

import pytest
from django.db import connection

from accessportal import propagation
from accessportal.models import OutboxMail, Propagation, StructuredMessage
from accessportal.tasks import sweep_outbox
from roles import services as roles
from roles.models import RoleAssignment
from users.models import ApplicationRight

pytestmark = pytest.mark.django_db

ADMIN = "BelRAI VL - admin"


@pytest.fixture
def setup(frozen_clock, world, catalogue):
    """The world of conftest.py built at 10:00 (its rights in effect at once), at 10:20."""
    frozen_clock.advance(minutes=20)
    return world.main, catalogue


def assign(side, catalogue, **dates):
    dates.setdefault("start_date", date(2026, 3, 2))
    return roles.role_assign(actor=side.sb, user=side.user, role=catalogue["roles"][ADMIN], **dates)


def test_rights_never_wait_for_the_propagation_delay(frozen_clock, world):
    assert ApplicationRight.objects.filter(user=world.main.user).exists()
    assert not Propagation.objects.filter(target_model="users.applicationright").exists()
    frozen_clock.advance(minutes=20)
    assert propagation.propagations_apply_due() == 0


def test_a_role_is_not_in_effect_at_19_59_and_is_at_20_00(frozen_clock, setup):
    side, catalogue = setup
    assignment = assign(side, catalogue)
    assert assignment.state() == "saved"
    frozen_clock.advance(minutes=19, seconds=59)
    propagation.propagations_apply_due()
    assignment.refresh_from_db()
    assert assignment.effective_start_date is None and not assignment.effective_on(date(2026, 3, 2))
    frozen_clock.advance(seconds=1)
    assert propagation.propagations_apply_due() == 1
    assignment.refresh_from_db()
    assert assignment.effective_start_date == date(2026, 3, 2) and assignment.state() == "active"


def test_the_user_gets_a_mail_and_a_message_when_the_role_takes_effect(frozen_clock, setup):
    side, catalogue = setup
    assign(side, catalogue)
    assert not StructuredMessage.objects.filter(recipient=side.user_person, category="role").exists()
    frozen_clock.advance(minutes=20)
    propagation.propagations_apply_due()
    message = StructuredMessage.objects.get(recipient=side.user_person, category="role")
    assert ADMIN in message.subject and "van kracht" in message.body
    row = OutboxMail.objects.get(person=side.user_person, subject=message.subject)
    assert row.recipient == side.user.email
    propagation.propagations_apply_due()  # a second sweep sends nothing again
    assert StructuredMessage.objects.filter(recipient=side.user_person, category="role").count() == 1


def test_a_change_of_dates_reaches_the_applications_after_the_delay(frozen_clock, setup):
    side, catalogue = setup
    assignment = assign(side, catalogue)
    frozen_clock.advance(minutes=20)
    propagation.propagations_apply_due()
    roles.role_update(
        actor=side.sb, assignment=assignment, start_date=date(2026, 3, 2), end_date=date(2026, 3, 2)
    )
    assignment.refresh_from_db()
    assert assignment.end_date == date(2026, 3, 2) and assignment.effective_end_date is None
    assert assignment.state() == "saved"
    frozen_clock.advance(minutes=20)
    propagation.propagations_apply_due()
    assignment.refresh_from_db()
    assert assignment.effective_end_date == date(2026, 3, 2) and assignment.state() == "active"
    assert assignment.state(date(2026, 3, 3)) == "ended"


def test_an_unchanged_update_saves_no_propagation(setup):
    side, catalogue = setup
    assignment = assign(side, catalogue)
    before = Propagation.objects.count()
    roles.role_update(actor=side.sb, assignment=assignment, start_date=assignment.start_date)
    assert Propagation.objects.count() == before


def test_a_removal_is_delayed_as_well(frozen_clock, setup):
    side, catalogue = setup
    assignment = assign(side, catalogue)
    frozen_clock.advance(minutes=20)
    propagation.propagations_apply_due()
    roles.role_remove(actor=side.sb, assignment=assignment)
    assignment.refresh_from_db()
    assert assignment.state() == "removing" and assignment.effective_on(date(2026, 3, 2))
    frozen_clock.advance(minutes=19)
    propagation.propagations_apply_due()
    assert RoleAssignment.objects.filter(pk=assignment.pk).exists()
    frozen_clock.advance(minutes=1)
    propagation.propagations_apply_due()
    assert not RoleAssignment.objects.filter(pk=assignment.pk).exists()


def test_removing_a_role_that_never_took_effect_withdraws_it_at_once(setup):
    side, catalogue = setup
    assignment = assign(side, catalogue)
    roles.role_remove(actor=side.sb, assignment=assignment)
    assert not RoleAssignment.objects.filter(pk=assignment.pk).exists()
    assert Propagation.objects.get(target_id=assignment.pk, target_model="roles.roleassignment").cancelled_at


def test_changes_of_one_target_apply_in_their_order(frozen_clock, setup):
    side, catalogue = setup
    assignment = assign(side, catalogue)
    frozen_clock.advance(minutes=5)
    roles.role_update(
        actor=side.sb, assignment=assignment, start_date=date(2026, 3, 2), end_date=date(2026, 3, 31)
    )
    frozen_clock.advance(minutes=15)  # 20 minutes after the first change, 15 after the second
    second = Propagation.objects.filter(target_id=assignment.pk, target_model="roles.roleassignment").last()
    assert propagation.propagation_apply(propagation_id=second.pk) is False  # not due
    assert propagation.propagations_apply_due() == 1
    assignment.refresh_from_db()
    assert assignment.effective_end_date is None and assignment.pending_until == second.due_at
    frozen_clock.advance(minutes=5)
    propagation.propagations_apply_due()
    assignment.refresh_from_db()
    assert assignment.effective_end_date == date(2026, 3, 31) and assignment.pending_until is None


def test_a_later_change_waits_for_an_earlier_one_of_the_same_target(frozen_clock, setup):
    side, catalogue = setup
    assignment = assign(side, catalogue)
    roles.role_update(
        actor=side.sb, assignment=assignment, start_date=date(2026, 3, 2), end_date=date(2026, 3, 9)
    )
    first, second = Propagation.objects.filter(target_id=assignment.pk, target_model="roles.roleassignment")
    frozen_clock.advance(minutes=30)
    assert propagation.propagation_apply(propagation_id=second.pk) is False  # the first is still waiting
    assert propagation.propagation_apply(propagation_id=first.pk) is True
    assert propagation.propagation_apply(propagation_id=second.pk) is True
    assignment.refresh_from_db()
    assert assignment.effective_end_date == date(2026, 3, 9)


def test_a_propagation_is_applied_once_however_often_it_is_asked(frozen_clock, setup):
    side, catalogue = setup
    assign(side, catalogue)
    row = Propagation.objects.latest("pk")
    frozen_clock.advance(minutes=20)
    assert propagation.propagation_apply(propagation_id=row.pk) is True
    assert propagation.propagation_apply(propagation_id=row.pk) is False
    assert propagation.propagations_apply_due() == 0
    assert StructuredMessage.objects.filter(recipient=side.user_person, category="role").count() == 1


def test_the_outbox_sweep_task_applies_due_propagations(frozen_clock, setup):
    side, catalogue = setup
    assignment = assign(side, catalogue)
    frozen_clock.advance(minutes=20)
    sweep_outbox()
    assignment.refresh_from_db()
    assert assignment.state() == "active"


def test_a_change_scheduled_on_commit_does_not_apply_early(django_capture_on_commit_callbacks, setup):
    """Tasks run eagerly in tests: the countdown task runs at once and must find nothing due yet."""
    side, catalogue = setup
    with django_capture_on_commit_callbacks(execute=True):
        assignment = assign(side, catalogue)
    assignment.refresh_from_db()
    assert assignment.effective_start_date is None and assignment.state() == "saved"


def test_next_pending_effect(frozen_clock, setup):
    side, catalogue = setup
    assert propagation.next_pending_effect() is None
    assign(side, catalogue)
    assert propagation.next_pending_effect() == frozen_clock.moment + timedelta(minutes=20)


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_sweeps_apply_each_change_exactly_once(frozen_clock, world, catalogue):
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL; CI runs this test there")
    side = world.main
    frozen_clock.advance(minutes=20)
    propagation.propagations_apply_due()
    assignments = [
        roles.role_assign(
            actor=side.sb,
            user=side.user,
            role=catalogue["roles"][ADMIN],
            start_date=date(2026, 3, day),
            end_date=date(2026, 3, day),
        )
        for day in range(3, 28)
    ]
    frozen_clock.advance(minutes=20)
    moment = frozen_clock.moment
    applied = []

    def sweep():
        from accessportal import clock

        with clock.simulated(moment):
            applied.append(propagation.propagations_apply_due())
        connection.close()

    threads = [threading.Thread(target=sweep) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(applied) == len(assignments)
    assert not Propagation.objects.filter(applied_at=None, cancelled_at=None).exists()
    assert StructuredMessage.objects.filter(recipient=side.user_person, category="role").count() == len(
        assignments
    )
    assert OutboxMail.objects.filter(person=side.user_person).count() == len(assignments)
