"""The chain's invariants hold in the database itself: these tests go around the services and try to
break each one with plain ORM writes."""

from datetime import date

import pytest
from django.db import IntegrityError, transaction

from accessportal import clock
from administrators.models import HtbAppointment, LocalAdministrator
from enterprises.models import Employment, LegalMandate
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
