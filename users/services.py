from django.db import transaction
from django.utils.translation import gettext as _

from accessportal import clock
from accessportal.audit import audit_record
from accessportal.propagation import propagations_cancel
from accessportal.services import ServiceError
from enterprises.models import Application
from subdivisions.models import Subafdeling
from subdivisions.selectors import can_manage_subafdeling
from users.models import ApplicationRight, SubafdelingUser


def _rights_grant(user: SubafdelingUser, applications) -> None:
    """New rights take effect at once: after "Bevestigen" the user "heeft nu toegang" (manual 3.6.1,
    chapter 4 step 10)."""
    ApplicationRight.objects.bulk_create(
        ApplicationRight(user=user, subafdeling=user.subafdeling, application=app) for app in applications
    )


def _rights_withdraw(user: SubafdelingUser, rights: list[ApplicationRight]) -> list[str]:
    """Withdrawn rights end at once, and the roles of their applications with them (roles migration
    0002 cascades); the roles' changes still waiting for the propagation delay are withdrawn too.
    Returns the names of the roles that ended, for the audit trail."""
    if not rights:
        return []
    roles = list(  # through the reverse relation: roles depend on users, not the other way round
        user.role_assignments.filter(
            application_id__in=[right.application_id for right in rights]
        ).select_related("role")
    )
    for assignment in roles:
        propagations_cancel(target=assignment)
    ApplicationRight.objects.filter(pk__in=[right.pk for right in rights]).delete()
    return sorted({assignment.role.name for assignment in roles})


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
    title: str = "",
) -> SubafdelingUser:
    """Register a person as a user of a subafdeling with rights on authorised applications, in
    effect at once (manual 3.6.1). Language and title default to the person's."""
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
        title=title or person.title,
    )
    _rights_grant(user, applications)
    audit_record(
        actor=actor,
        action="user.add",
        target=user,
        enterprise_kbo=subafdeling.facility.enterprise.kbo,
        after={
            "person": person.insz,
            "email": email,
            "title": user.title,
            "applications": sorted(app.code for app in applications),
        },
    )
    return user


def _require_manager(actor, subafdeling: Subafdeling) -> None:
    if not can_manage_subafdeling(actor, subafdeling):
        raise ServiceError(_("U bent geen beheerder van deze subafdeling."))


@transaction.atomic
def user_update(
    *,
    actor,
    user: SubafdelingUser,
    email: str,
    local_email: str,
    language: str,
    applications: list[Application],
    title: str = "",
) -> SubafdelingUser:
    """Change a user's account data and make their rights match the checked applications (only
    applications authorised on the subafdeling). Rights are granted and withdrawn at once; a right
    that goes takes the roles of its application with it (the database cascades, see roles
    migration 0002)."""
    user = (
        SubafdelingUser.objects.select_for_update()
        .select_related("subafdeling__facility__enterprise")
        .get(pk=user.pk)
    )
    subafdeling = user.subafdeling
    _require_manager(actor, subafdeling)
    applications = list(applications)
    _require_authorised(subafdeling, applications)
    current = {right.application_id: right for right in user.rights.select_related("application")}
    wanted = {app.pk: app for app in applications}
    before = {
        "email": user.email,
        "local_email": user.local_email,
        "language": user.language,
        "title": user.title,
        "applications": sorted(right.application.code for right in current.values()),
    }
    user.email, user.local_email, user.language = email, local_email, language
    user.title = title or user.title
    user.modified_at = clock.now()
    user.save(update_fields=["email", "local_email", "language", "title", "modified_at"])
    ended_roles = _rights_withdraw(user, [right for pk, right in current.items() if pk not in wanted])
    _rights_grant(user, [app for pk, app in wanted.items() if pk not in current])
    if ended_roles:
        before["roles"] = ended_roles
    audit_record(
        actor=actor,
        action="user.update",
        target=user,
        enterprise_kbo=subafdeling.facility.enterprise.kbo,
        before=before,
        after={
            "email": email,
            "local_email": local_email,
            "language": language,
            "title": user.title,
            "applications": sorted(app.code for app in applications),
        },
    )
    return user


@transaction.atomic
def users_remove(*, actor, subafdeling: Subafdeling, users) -> list[SubafdelingUser]:
    """Remove users from a subafdeling; their rights and roles go with them (cascade). Refused when
    none of them is (still) a user of this subafdeling."""
    _require_manager(actor, subafdeling)
    ids = [user.pk for user in users]
    chosen = list(
        SubafdelingUser.objects.select_for_update()
        .filter(subafdeling=subafdeling, pk__in=ids)
        .select_related("person")
        .prefetch_related("rights__application")
    )
    if not chosen or len(chosen) != len(set(ids)):
        raise ServiceError(
            _("De geselecteerde personen zijn geen gebruiker meer van deze subafdeling."), code="gone"
        )
    before = [
        {
            "person": user.person.insz,
            "email": user.email,
            "applications": sorted(right.application.code for right in user.rights.all()),
        }
        for user in chosen
    ]
    SubafdelingUser.objects.filter(pk__in=[user.pk for user in chosen]).delete()
    audit_record(
        actor=actor,
        action="users.remove",
        target=subafdeling,
        enterprise_kbo=subafdeling.facility.enterprise.kbo,
        before={"users": before},
        after={"users": []},
    )
    return chosen
