from django.db import transaction
from django.utils.translation import gettext as _

from accessportal.audit import audit_record
from accessportal.services import ServiceError
from enterprises.models import Application
from subdivisions.models import Subafdeling
from subdivisions.selectors import can_manage_subafdeling
from users.models import ApplicationRight, SubafdelingUser


def _require_authorised(subafdeling: Subafdeling, applications: list[Application]) -> None:
    authorised = set(subafdeling.authorisations.values_list("application_id", flat=True))
    refused = [app.name for app in applications if app.pk not in authorised]
    if refused:
        raise ServiceError(
            _("Deze toepassingen zijn niet geautoriseerd op de subafdeling: %(names)s.")
            % {"names": ", ".join(refused)},
            field="applications",
            code="not_authorised",
        )


@transaction.atomic
def user_add(
    *,
    actor,
    subafdeling: Subafdeling,
    person,
    email: str,
    applications: list[Application] = (),
    local_email: str = "",
    language: str | None = None,
) -> SubafdelingUser:
    """Register a person as a user of a subafdeling with rights on authorised applications."""
    if not can_manage_subafdeling(actor, subafdeling):
        raise ServiceError(_("U bent geen beheerder van deze subafdeling."))
    if SubafdelingUser.objects.filter(subafdeling=subafdeling, person=person).exists():
        raise ServiceError(
            _("Deze persoon is al gebruiker van deze subafdeling."), field="person", code="duplicate"
        )
    applications = list(applications)
    _require_authorised(subafdeling, applications)
    user = SubafdelingUser.objects.create(
        subafdeling=subafdeling,
        person=person,
        email=email,
        local_email=local_email,
        language=language or person.language,
    )
    ApplicationRight.objects.bulk_create(
        ApplicationRight(user=user, subafdeling=subafdeling, application=app) for app in applications
    )
    audit_record(
        actor=actor,
        action="user.add",
        target=user,
        enterprise_kbo=subafdeling.facility.enterprise.kbo,
        after={
            "person": person.insz,
            "email": email,
            "applications": sorted(app.code for app in applications),
        },
    )
    return user
