"""The chain's invariants hold in the database itself: these tests go around the services and try to
break each one with plain ORM writes."""

from datetime import date

import pytest
from django.db import IntegrityError, connection, transaction

from accessportal import clock
from administrators.models import HtbAppointment, LocalAdministrator
from enterprises.models import Employment, LegalMandate
from roles import services as roles
from roles.models import RoleAssignment
from subdivisions.models import Subafdeling, SubafdelingAuthorisation
from tests.factories import (
    ApplicationFactory,
    ApplicationRightFactory,
    EnterpriseFactory,
    HtbAppointmentFactory,
    PersonFactory,
    RoleAssignmentFactory,
    RoleFactory,
    SubafdelingFactory,
    SubafdelingUserFactory,
)
from users.models import ApplicationRight

pytestmark = pytest.mark.django_db


def refused(write):
    with pytest.raises(IntegrityError), transaction.atomic():
        write()


def postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip("the exclusion constraint needs PostgreSQL; CI runs this test there")


def test_one_current_htb_per_enterprise():
    first = HtbAppointmentFactory()
    refused(lambda: HtbAppointmentFactory(enterprise=first.enterprise))
    first.ended_at = clock.now()
    first.save()
    HtbAppointmentFactory(enterprise=first.enterprise)  # the history keeps the ended one
    assert HtbAppointment.objects.filter(enterprise=first.enterprise).count() == 2


def test_one_current_lokale_beheerder_per_hoedanigheid(world):
    activation = world.main.activation
    refused(
        lambda: LocalAdministrator.objects.create(
            activation=activation, person=PersonFactory(), kind="LB", email="x@example.be"
        )
    )


def test_one_subafdeling_per_hoedanigheid_facility_and_type():
    subafdeling = SubafdelingFactory()
    refused(
        lambda: Subafdeling.objects.create(
            activation=subafdeling.activation,
            facility=subafdeling.facility,
            subdivision_type=subafdeling.subdivision_type,
            name="Tweede keer",
            email="x@example.be",
        )
    )


def test_a_right_only_for_an_application_authorised_on_the_subafdeling():
    user = SubafdelingUserFactory()
    application = ApplicationFactory()
    refused(
        lambda: ApplicationRight.objects.create(
            user=user, subafdeling=user.subafdeling, application=application
        )
    )


def test_a_right_only_on_the_users_own_subafdeling():
    user = SubafdelingUserFactory()
    elsewhere = SubafdelingFactory()
    application = ApplicationFactory()
    SubafdelingAuthorisation.objects.create(subafdeling=elsewhere, application=application)
    refused(
        lambda: ApplicationRight.objects.create(user=user, subafdeling=elsewhere, application=application)
    )


def test_a_right_cannot_be_moved_to_an_unauthorised_application():
    right = ApplicationRightFactory()
    right.application = ApplicationFactory()
    refused(right.save)


def test_a_role_only_for_an_application_the_user_has_a_right_for():
    user = SubafdelingUserFactory()
    role = RoleFactory()
    SubafdelingAuthorisation.objects.create(subafdeling=user.subafdeling, application=role.application)
    refused(
        lambda: RoleAssignment.objects.create(
            user=user, role=role, application=role.application, start_date=date(2024, 1, 1)
        )
    )


def test_a_role_cannot_claim_another_application():
    right = ApplicationRightFactory()
    role_of_other_app = RoleFactory()
    refused(
        lambda: RoleAssignment.objects.create(
            user=right.user,
            role=role_of_other_app,
            application=right.application,
            start_date=date(2024, 1, 1),
        )
    )


def test_removing_an_authorisation_removes_the_rights_and_roles_that_depend_on_it():
    assignment = RoleAssignmentFactory()
    authorisation = SubafdelingAuthorisation.objects.get(
        subafdeling=assignment.user.subafdeling, application=assignment.application
    )
    authorisation.delete()
    assert not ApplicationRight.objects.filter(user=assignment.user).exists()
    assert not RoleAssignment.objects.filter(pk=assignment.pk).exists()


def test_an_authorisation_in_use_cannot_be_repointed():
    right = ApplicationRightFactory()
    authorisation = SubafdelingAuthorisation.objects.get(
        subafdeling=right.subafdeling, application=right.application
    )
    authorisation.application = ApplicationFactory()
    refused(authorisation.save)


JAN_1, JAN_31, FEB_1, FEB_5, MAR_1, DEC_31 = (
    date(2024, 1, 1),
    date(2024, 1, 31),
    date(2024, 2, 1),
    date(2024, 2, 5),
    date(2024, 3, 1),
    date(2024, 12, 31),
)


@pytest.mark.parametrize(
    "held, given, overlapping",
    [
        ((JAN_1, None), (DEC_31, None), True),  # no end date: open-ended
        ((JAN_1, JAN_31), (JAN_31, FEB_5), True),  # closed periods: the shared day counts
        ((JAN_1, JAN_31), (FEB_1, None), False),  # the day after
        ((FEB_1, None), (JAN_1, JAN_31), False),  # ends the day before
        ((FEB_1, None), (JAN_1, FEB_1), True),  # ends on its first day
        ((JAN_1, DEC_31), (MAR_1, MAR_1), True),  # within
        ((MAR_1, MAR_1), (JAN_1, None), True),  # around
    ],
)
def test_a_role_twice_for_overlapping_periods_exactly_as_the_service_refuses_it(held, given, overlapping):
    """Roles migration 0004's exclusion constraint says roles.services' rule (``_overlapping``)."""
    postgresql_only()
    first = RoleAssignmentFactory(start_date=held[0], end_date=held[1])
    assert roles._overlapping(first.user, first.role, *given).exists() == overlapping

    def write():
        RoleAssignmentFactory(user=first.user, role=first.role, start_date=given[0], end_date=given[1])

    if overlapping:
        refused(write)
    else:
        write()


def test_a_removed_role_and_another_role_do_not_overlap():
    postgresql_only()
    removed = RoleAssignmentFactory(removed_at=clock.now())
    again = RoleAssignmentFactory(user=removed.user, role=removed.role)  # the same period
    RoleAssignmentFactory(user=removed.user, role=RoleFactory(application=removed.application))
    RoleAssignmentFactory(role=removed.role)  # another user
    removed.removed_at = None
    refused(removed.save)  # back in use, it would overlap
    again.end_date = date(2024, 1, 31)
    again.save()
    removed.start_date = date(2024, 2, 1)
    removed.save()
    again.end_date = None
    refused(again.save)  # new dates are checked too


@pytest.mark.parametrize(
    "write",
    [
        lambda: RoleAssignmentFactory(start_date=date(2024, 5, 2), end_date=date(2024, 5, 1)),
        lambda: LegalMandate.objects.create(
            person=PersonFactory(),
            enterprise=EnterpriseFactory(),
            start_date=date(2024, 5, 2),
            end_date=date(2024, 5, 1),
        ),
        lambda: Employment.objects.create(
            person=PersonFactory(),
            enterprise=EnterpriseFactory(),
            start_date=date(2024, 5, 2),
            end_date=date(2024, 5, 1),
        ),
        lambda: HtbAppointmentFactory(started_at=clock.now(), ended_at=clock.now().replace(year=2000)),
    ],
    ids=["role", "legal-mandate", "employment", "htb-appointment"],
)
def test_an_end_date_never_before_its_start_date(write):
    refused(write)


def test_an_end_date_on_the_start_date_is_fine():
    RoleAssignmentFactory(start_date=date(2024, 5, 1), end_date=date(2024, 5, 1))


def test_saving_a_referenced_row_unchanged_is_fine():
    """Django's save() rewrites every column; the key guard must only refuse a real change."""
    assignment = RoleAssignmentFactory()
    assignment.user.save()
    assignment.role.save()
    ApplicationRight.objects.get(user=assignment.user).save()
    SubafdelingAuthorisation.objects.get(
        subafdeling=assignment.user.subafdeling, application=assignment.application
    ).save()
