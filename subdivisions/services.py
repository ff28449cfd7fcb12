from django.db import transaction
from django.utils.translation import gettext as _

from accessportal.audit import audit_record
from accessportal.mail_addresses import mail_address_clean
from accessportal.services import ServiceError
from administrators.models import HoedanigheidActivation
from administrators.permissions import require_activation_manager
from enterprises.models import Application, Facility, FacilityListing, SubdivisionType
from enterprises.services import require_same_world
from subdivisions.models import (
    Subafdeling,
    SubafdelingAdministrator,
    SubafdelingAuthorisation,
    SubafdelingStatus,
)
from subdivisions.selectors import authorisation_dependants


@transaction.atomic
def subafdeling_activate(
    *,
    actor,
    activation: HoedanigheidActivation,
    facility: Facility,
    subdivision_type: SubdivisionType,
    email: str,
    applications: list[Application],
    administrator=None,
) -> Subafdeling:
    """Activate a CoBRHA facility as a subafdeling of a hoedanigheid, with its authorised applications.

    ``administrator`` is the subafdelingsbeheerder; without one the TB who activates it manages it
    ("Ik wil zelf instaan voor het beheer van de subafdeling"). The hoedanigheid's row lock makes two
    "Bevestigen" at once queue: the second finds the subafdeling activated."""
    activation = (
        HoedanigheidActivation.objects.select_for_update(of=("self",))
        .select_related("hoedanigheid", "enterprise")
        .get(pk=activation.pk)
    )
    require_activation_manager(actor, activation)
    email = mail_address_clean(email, field="email")
    if administrator is not None:
        require_same_world(administrator, activation.enterprise, field="insz")
    if facility.enterprise_id != activation.enterprise_id:
        raise ServiceError(_("Deze voorziening hoort niet bij deze onderneming."), field="facility")
    if not activation.hoedanigheid.subdivision_types.filter(pk=subdivision_type.pk).exists():
        raise ServiceError(_("Deze subdivisie hoort niet bij deze hoedanigheid."), field="subdivision_type")
    listing = FacilityListing.objects.filter(facility=facility, subdivision_type=subdivision_type).first()
    if listing is None:
        raise ServiceError(
            _("Deze voorziening is in CoBRHA niet gekend als %(type)s.") % {"type": subdivision_type.name},
            field="facility",
        )
    if Subafdeling.objects.filter(
        activation=activation, facility=facility, subdivision_type=subdivision_type
    ).exists():
        raise ServiceError(
            _("Deze voorziening is al als subafdeling van dit type geactiveerd."),
            field="facility",
            code="duplicate",
        )
    offered = set(activation.hoedanigheid.applications.values_list("pk", flat=True))
    refused = [app.name for app in applications if app.pk not in offered]
    if refused:
        raise ServiceError(
            _("Deze toepassingen horen niet bij de hoedanigheid: %(names)s.") % {"names": ", ".join(refused)},
            field="applications",
        )
    subafdeling = Subafdeling.objects.create(
        activation=activation,
        facility=facility,
        subdivision_type=subdivision_type,
        name=listing.name,
        email=email,
        created_by=actor,
    )
    SubafdelingAuthorisation.objects.bulk_create(
        SubafdelingAuthorisation(subafdeling=subafdeling, application=app) for app in applications
    )
    SubafdelingAdministrator.objects.create(
        subafdeling=subafdeling, person=administrator or actor, appointed_by=actor
    )
    audit_record(
        actor=actor,
        action="subafdeling.activate",
        target=subafdeling,
        enterprise_kbo=facility.enterprise.kbo,
        after={
            "hco_number": facility.hco_number,
            "type": subdivision_type.code,
            "email": email,
            "applications": sorted(app.code for app in applications),
            "administrator": (administrator or actor).insz,
        },
    )
    return subafdeling


def _subafdeling_status_set(
    *, actor, subafdeling: Subafdeling, status: str, action: str, refusal
) -> Subafdeling:
    subafdeling = (
        Subafdeling.objects.select_for_update()
        .select_related("activation__enterprise", "facility")
        .get(pk=subafdeling.pk)
    )
    require_activation_manager(actor, subafdeling.activation)
    if subafdeling.status == status:
        raise ServiceError(refusal, code="unchanged")
    before = subafdeling.status
    subafdeling.status = status
    subafdeling.save(update_fields=["status"])
    audit_record(
        actor=actor,
        action=action,
        target=subafdeling,
        enterprise_kbo=subafdeling.activation.enterprise.kbo,
        before={"status": before},
        after={"status": status},
    )
    return subafdeling


@transaction.atomic
def subafdeling_block(*, actor, subafdeling: Subafdeling) -> Subafdeling:
    """ "De subafdeling blokkeren": only the status changes; users, rights, roles and the
    subafdelingsbeheerder stay, so that unblocking restores everything as it was."""
    return _subafdeling_status_set(
        actor=actor,
        subafdeling=subafdeling,
        status=SubafdelingStatus.GEBLOKKEERD,
        action="subafdeling.block",
        refusal=_("Deze subafdeling is al geblokkeerd."),
    )


@transaction.atomic
def subafdeling_unblock(*, actor, subafdeling: Subafdeling) -> Subafdeling:
    """ "De subafdeling deblokkeren": the subafdeling is active again, with all its data."""
    return _subafdeling_status_set(
        actor=actor,
        subafdeling=subafdeling,
        status=SubafdelingStatus.ACTIEF,
        action="subafdeling.unblock",
        refusal=_("Deze subafdeling is niet geblokkeerd."),
    )


@transaction.atomic
def subafdeling_authorisations_update(
    *, actor, subafdeling: Subafdeling, applications: list[Application]
) -> tuple[list[Application], list[Application]]:
    """Set the applications authorised on a subafdeling; returns (added, removed).

    Adding takes effect at once. Removing an authorisation deletes it, and the database removes the
    users' rights for that application and the roles that depend on them (composite foreign keys,
    users and roles migrations 0002); the audit event counts what went with it."""
    subafdeling = (
        Subafdeling.objects.select_for_update()
        .select_related("activation__enterprise", "activation__hoedanigheid")
        .get(pk=subafdeling.pk)
    )
    require_activation_manager(actor, subafdeling.activation)
    offered = set(subafdeling.activation.hoedanigheid.applications.values_list("pk", flat=True))
    refused = [app.name for app in applications if app.pk not in offered]
    if refused:
        raise ServiceError(
            _("Deze toepassingen horen niet bij de hoedanigheid: %(names)s.") % {"names": ", ".join(refused)},
            field="applications",
        )
    current = {
        authorisation.application_id: authorisation.application
        for authorisation in subafdeling.authorisations.select_related("application")
    }
    wanted = {app.pk: app for app in applications}
    added = [app for pk, app in wanted.items() if pk not in current]
    removed = [app for pk, app in current.items() if pk not in wanted]
    if not added and not removed:
        return [], []
    dependants = authorisation_dependants(subafdeling, removed) if removed else {"rights": [], "roles": []}
    if removed:
        subafdeling.authorisations.filter(application__in=[app.pk for app in removed]).delete()
    SubafdelingAuthorisation.objects.bulk_create(
        SubafdelingAuthorisation(subafdeling=subafdeling, application=app) for app in added
    )
    audit_record(
        actor=actor,
        action="subafdeling.authorisations_update",
        target=subafdeling,
        enterprise_kbo=subafdeling.activation.enterprise.kbo,
        before={"applications": sorted(app.code for app in current.values())},
        after={
            "applications": sorted(app.code for app in wanted.values()),
            "rights_removed": len(dependants["rights"]),
            "roles_removed": len(dependants["roles"]),
        },
    )
    return added, removed
