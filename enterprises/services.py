from datetime import date

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from accessportal.audit import audit_record, audit_snapshot
from accessportal.identifiers import kbo_clean
from accessportal.mail_addresses import mail_address_clean
from accessportal.services import ServiceError
from enterprises.models import (
    Employment,
    Enterprise,
    Facility,
    FacilityListing,
    LegalMandate,
    SubdivisionType,
)
from enterprises.selectors import same_world


def require_same_world(person, enterprise: Enterprise, *, field: str) -> None:
    """Refuse a person of another world than the enterprise's as its register would: unknown. Every
    service that appoints or adds a person for an enterprise checks this again (the look-up did too:
    enterprises.selectors.person_for_enterprise)."""
    if not same_world(person, enterprise):
        raise ServiceError(
            _("Deze persoon is niet gekend in het rijksregister."), field=field, code="unknown_person"
        )


def _check_period(start_date: date, end_date: date | None) -> None:
    if end_date is not None and end_date < start_date:
        raise ServiceError(_("De einddatum mag niet voor de begindatum liggen."), field="end_date")


@transaction.atomic
def enterprise_register(*, actor=None, kbo: str, name: str, **fields) -> Enterprise:
    """Enter an enterprise in the (simulated) KBO."""
    number = kbo_clean(kbo)
    fields["email"] = mail_address_clean(fields.get("email", ""), field="email", required=False)
    if Enterprise.objects.filter(kbo=number).exists():
        raise ServiceError(_("Deze onderneming staat al in de KBO."), field="kbo", code="duplicate")
    enterprise = Enterprise(kbo=number, name=name.strip(), **fields)
    enterprise.full_clean(validate_unique=False)  # the duplicate is refused above and below
    try:
        with transaction.atomic():
            enterprise.save()
    except IntegrityError:  # registered by someone else at the same moment
        raise ServiceError(_("Deze onderneming staat al in de KBO."), field="kbo", code="duplicate") from None
    audit_record(
        actor=actor,
        action="enterprise.register",
        target=enterprise,
        enterprise_kbo=number,
        after=audit_snapshot(enterprise),
    )
    return enterprise


@transaction.atomic
def legal_mandate_add(
    *,
    actor=None,
    enterprise: Enterprise,
    person,
    function: str,
    start_date: date,
    end_date: date | None = None,
) -> LegalMandate:
    _check_period(start_date, end_date)
    mandate = LegalMandate.objects.create(
        enterprise=enterprise, person=person, function=function, start_date=start_date, end_date=end_date
    )
    audit_record(
        actor=actor,
        action="enterprise.legal_mandate_add",
        target=mandate,
        enterprise_kbo=enterprise.kbo,
        after=audit_snapshot(mandate),
    )
    return mandate


@transaction.atomic
def employment_add(
    *, actor=None, enterprise: Enterprise, person, start_date: date, end_date: date | None = None
) -> Employment:
    _check_period(start_date, end_date)
    employment = Employment.objects.create(
        enterprise=enterprise, person=person, start_date=start_date, end_date=end_date
    )
    audit_record(
        actor=actor,
        action="enterprise.employment_add",
        target=employment,
        enterprise_kbo=enterprise.kbo,
        after=audit_snapshot(employment),
    )
    return employment


@transaction.atomic
def facility_register(
    *, actor=None, enterprise: Enterprise, hco_number: str, name: str, listings: dict[SubdivisionType, str]
) -> Facility:
    """Enter a facility in (simulated) CoBRHA, listed under each subdivisie with the given name."""
    hco = str(hco_number).strip()
    if not hco.isdigit():
        raise ServiceError(_("Een HCO-nummer bestaat enkel uit cijfers."), field="hco_number")
    if Facility.objects.filter(hco_number=hco).exists():
        raise ServiceError(_("Dit HCO-nummer bestaat al in CoBRHA."), field="hco_number", code="duplicate")
    try:
        with transaction.atomic():
            facility = Facility.objects.create(enterprise=enterprise, hco_number=hco, name=name.strip())
    except IntegrityError:  # registered by someone else at the same moment
        raise ServiceError(
            _("Dit HCO-nummer bestaat al in CoBRHA."), field="hco_number", code="duplicate"
        ) from None
    FacilityListing.objects.bulk_create(
        FacilityListing(facility=facility, subdivision_type=subdivision_type, name=listed_name)
        for subdivision_type, listed_name in listings.items()
    )
    audit_record(
        actor=actor,
        action="enterprise.facility_register",
        target=facility,
        enterprise_kbo=enterprise.kbo,
        after={
            "hco_number": hco,
            "name": facility.name,
            "listings": {t.code: n for t, n in listings.items()},
        },
    )
    return facility
