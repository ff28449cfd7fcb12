from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from accessportal.audit import audit_record, audit_snapshot
from accessportal.services import ServiceError
from roles.models import Role, RoleAssignment
from subdivisions.selectors import can_manage_subafdeling
from users.models import ApplicationRight, SubafdelingUser


@transaction.atomic
def role_assign(
    *, actor, user: SubafdelingUser, role: Role, start_date: date, end_date: date | None = None
) -> RoleAssignment:
    """Give a user a role of an application they hold a right for."""
    if not can_manage_subafdeling(actor, user.subafdeling):
        raise ServiceError(_("U bent geen beheerder van deze subafdeling."))
    if start_date is None:
        raise ServiceError(_("De startdatum is verplicht."), field="start_date")
    if end_date is not None and end_date < start_date:
        raise ServiceError(_("De einddatum mag niet voor de startdatum liggen."), field="end_date")
    if not ApplicationRight.objects.filter(user=user, application_id=role.application_id).exists():
        raise ServiceError(
            _("Deze rol hoort bij %(application)s: geef de gebruiker eerst het recht op die toepassing.")
            % {"application": role.application.name},
            field="role",
            code="no_right",
        )
    overlapping = RoleAssignment.objects.filter(user=user, role=role).exclude(end_date__lt=start_date)
    if end_date is not None:
        overlapping = overlapping.filter(start_date__lte=end_date)
    if overlapping.exists():
        raise ServiceError(
            _("De gebruiker heeft deze rol al voor een overlappende periode."), field="role", code="overlap"
        )
    assignment = RoleAssignment.objects.create(
        user=user,
        role=role,
        application_id=role.application_id,
        start_date=start_date,
        end_date=end_date,
        created_by=actor,
    )
    audit_record(
        actor=actor,
        action="role.assign",
        target=assignment,
        enterprise_kbo=user.subafdeling.facility.enterprise.kbo,
        after=audit_snapshot(assignment),
    )
    return assignment
