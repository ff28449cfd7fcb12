from django.db import transaction
from django.utils.translation import gettext as _

from accessportal.audit import audit_record
from accessportal.services import ServiceError
from administrators.models import EnterpriseHoedanigheid
from administrators.selectors import can_manage_hoedanigheid
from enterprises.models import Application, Facility, FacilityListing, SubdivisionType
from subdivisions.models import Subafdeling, SubafdelingAdministrator, SubafdelingAuthorisation


@transaction.atomic
def subafdeling_activate(
    *,
    actor,
    hoedanigheid: EnterpriseHoedanigheid,
    facility: Facility,
    subdivision_type: SubdivisionType,
    email: str,
    applications: list[Application],
    administrator=None,
) -> Subafdeling:
    """Activate a CoBRHA facility as a subafdeling of a hoedanigheid, with its authorised applications.

    ``administrator`` is the subafdelingsbeheerder; without one the TB who activates it manages it
    ("Ik wil zelf instaan voor het beheer van de subafdeling")."""
    if not can_manage_hoedanigheid(actor, hoedanigheid):
        raise ServiceError(_("U bent geen toegangsbeheerder van deze hoedanigheid."))
    if facility.enterprise_id != hoedanigheid.enterprise_id:
        raise ServiceError(_("Deze voorziening hoort niet bij deze onderneming."), field="facility")
    if not hoedanigheid.hoedanigheid.subdivision_types.filter(pk=subdivision_type.pk).exists():
        raise ServiceError(_("Deze subdivisie hoort niet bij deze hoedanigheid."), field="subdivision_type")
    listing = FacilityListing.objects.filter(facility=facility, subdivision_type=subdivision_type).first()
    if listing is None:
        raise ServiceError(
            _("Deze voorziening is in CoBRHA niet gekend als %(type)s.") % {"type": subdivision_type.name},
            field="facility",
        )
    if Subafdeling.objects.filter(
        hoedanigheid=hoedanigheid, facility=facility, subdivision_type=subdivision_type
    ).exists():
        raise ServiceError(
            _("Deze voorziening is al als subafdeling van dit type geactiveerd."),
            field="facility",
            code="duplicate",
        )
    offered = set(hoedanigheid.hoedanigheid.applications.values_list("pk", flat=True))
    refused = [app.name for app in applications if app.pk not in offered]
    if refused:
        raise ServiceError(
            _("Deze toepassingen horen niet bij de hoedanigheid: %(names)s.") % {"names": ", ".join(refused)},
            field="applications",
        )
    subafdeling = Subafdeling.objects.create(
        hoedanigheid=hoedanigheid,
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
