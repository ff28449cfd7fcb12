"""CSAM / BTB changes: appointing HTBs and co-HTBs, activating hoedanigheden, appointing TBs.

Administrative appointments take effect at once (only role and right changes wait for the
propagation delay)."""

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from accessportal import clock
from accessportal.audit import audit_record, audit_snapshot
from accessportal.services import ServiceError
from administrators import selectors
from administrators.models import (
    AdministratorKind,
    CoHtbAppointment,
    EnterpriseHoedanigheid,
    HtbAppointment,
    LocalAdministrator,
)
from enterprises.models import Enterprise, Hoedanigheid

HTB_FIELDS = ["enterprise", "person", "email", "phone", "appointed_by", "started_at", "ended_at"]


def _lock_enterprise(enterprise: Enterprise) -> Enterprise:
    """Serialise appointments for one enterprise: concurrent requests queue here."""
    return Enterprise.objects.select_for_update().get(pk=enterprise.pk)


def _require_employee_or_representative(person, enterprise: Enterprise, field: str) -> None:
    if not selectors.is_employee_or_legal_representative(person, enterprise):
        raise ServiceError(
            _(
                "Een Hoofdtoegangsbeheerder moet een werknemer of wettelijke vertegenwoordiger van de onderneming zijn."
            ),
            field=field,
            code="not_employee",
        )


@transaction.atomic
def htb_appoint(
    *,
    actor,
    enterprise: Enterprise,
    person,
    email: str,
    phone: str,
    requester_email: str = "",
    requester_phone: str = "",
) -> HtbAppointment:
    """A legal representative appoints the HTB; a current HTB is replaced in the same transaction."""
    enterprise = _lock_enterprise(enterprise)
    if not selectors.is_legal_representative(actor, enterprise):
        raise ServiceError(
            _("U bent momenteel niet gekend als wettelijk vertegenwoordiger van deze onderneming in de KBO."),
            code="not_legal_representative",
        )
    _require_employee_or_representative(person, enterprise, "person")
    previous = selectors.current_htb(enterprise)
    if previous is not None and previous.person_id == person.pk:
        raise ServiceError(
            _("Deze persoon is al gekend als Hoofdtoegangsbeheerder voor deze onderneming."),
            field="person",
            code="already_htb",
        )
    now = clock.now()
    if previous is not None:
        previous.ended_at = now
        previous.save(update_fields=["ended_at"])
    try:
        with transaction.atomic():
            appointment = HtbAppointment.objects.create(
                enterprise=enterprise,
                person=person,
                email=email,
                phone=phone,
                requester_email=requester_email,
                requester_phone=requester_phone,
                appointed_by=actor,
                started_at=now,
            )
    except IntegrityError:
        raise ServiceError(
            _("Deze onderneming heeft al een Hoofdtoegangsbeheerder."), code="duplicate"
        ) from None
    audit_record(
        actor=actor,
        action="htb.appoint",
        target=appointment,
        enterprise_kbo=enterprise.kbo,
        before=audit_snapshot(previous, HTB_FIELDS),
        after=audit_snapshot(appointment, HTB_FIELDS),
    )
    return appointment


@transaction.atomic
def co_htb_appoint(*, actor, enterprise: Enterprise, person) -> CoHtbAppointment:
    enterprise = _lock_enterprise(enterprise)
    if not HtbAppointment.objects.current().filter(enterprise=enterprise, person=actor).exists():
        raise ServiceError(_("Enkel de Hoofdtoegangsbeheerder kan Co-hoofdtoegangsbeheerders aanstellen."))
    _require_employee_or_representative(person, enterprise, "person")
    if selectors.is_htb_or_co_htb(person, enterprise):
        raise ServiceError(
            _("Deze persoon is al (co-)hoofdtoegangsbeheerder van deze onderneming."),
            field="person",
            code="duplicate",
        )
    appointment = CoHtbAppointment.objects.create(enterprise=enterprise, person=person, appointed_by=actor)
    audit_record(
        actor=actor,
        action="co_htb.appoint",
        target=appointment,
        enterprise_kbo=enterprise.kbo,
        after=audit_snapshot(appointment),
    )
    return appointment


@transaction.atomic
def hoedanigheid_activate(
    *, actor, enterprise: Enterprise, hoedanigheid: Hoedanigheid, email: str = ""
) -> EnterpriseHoedanigheid:
    enterprise = _lock_enterprise(enterprise)
    if not selectors.is_htb_or_co_htb(actor, enterprise):
        raise ServiceError(_("Enkel de (co-)hoofdtoegangsbeheerder kan een hoedanigheid activeren."))
    if EnterpriseHoedanigheid.objects.filter(enterprise=enterprise, hoedanigheid=hoedanigheid).exists():
        raise ServiceError(
            _("Deze hoedanigheid is al geactiveerd voor deze onderneming."),
            field="hoedanigheid",
            code="duplicate",
        )
    activation = EnterpriseHoedanigheid.objects.create(
        enterprise=enterprise, hoedanigheid=hoedanigheid, email=email or enterprise.email, activated_by=actor
    )
    audit_record(
        actor=actor,
        action="hoedanigheid.activate",
        target=activation,
        enterprise_kbo=enterprise.kbo,
        after=audit_snapshot(activation),
    )
    return activation


@transaction.atomic
def local_administrator_appoint(
    *,
    actor,
    hoedanigheid: EnterpriseHoedanigheid,
    person,
    kind: str,
    email: str,
    local_email: str = "",
) -> LocalAdministrator:
    """Appoint the lokale beheerder (replacing the current one) or add a co-lokale beheerder."""
    enterprise = _lock_enterprise(hoedanigheid.enterprise)
    if not selectors.is_htb_or_co_htb(actor, enterprise):
        raise ServiceError(_("Enkel de (co-)hoofdtoegangsbeheerder kan toegangsbeheerders aanstellen."))
    if kind not in AdministratorKind.values:
        raise ServiceError(_("Onbekend type beheerder."), field="kind")
    current = LocalAdministrator.objects.current().filter(hoedanigheid=hoedanigheid)
    if current.filter(person=person).exists():
        raise ServiceError(
            _("Deze persoon is al beheerder van deze hoedanigheid."), field="person", code="duplicate"
        )
    previous = current.filter(kind=AdministratorKind.LB).first() if kind == AdministratorKind.LB else None
    now = clock.now()
    if previous is not None:
        previous.ended_at = now
        previous.save(update_fields=["ended_at"])
    administrator = LocalAdministrator.objects.create(
        hoedanigheid=hoedanigheid,
        person=person,
        kind=kind,
        email=email,
        local_email=local_email,
        appointed_by=actor,
        started_at=now,
    )
    audit_record(
        actor=actor,
        action="local_administrator.appoint",
        target=administrator,
        enterprise_kbo=enterprise.kbo,
        before=audit_snapshot(previous),
        after=audit_snapshot(administrator),
    )
    return administrator


@transaction.atomic
def co_htb_remove(*, actor, appointment: CoHtbAppointment) -> CoHtbAppointment:
    """End a co-HTB appointment; the person loses the capacity at their next request."""
    enterprise = _lock_enterprise(appointment.enterprise)
    if not HtbAppointment.objects.current().filter(enterprise=enterprise, person=actor).exists():
        raise ServiceError(_("Enkel de Hoofdtoegangsbeheerder kan Co-hoofdtoegangsbeheerders verwijderen."))
    appointment = CoHtbAppointment.objects.select_for_update().get(pk=appointment.pk)
    if appointment.ended_at is not None:
        return appointment
    before = audit_snapshot(appointment)
    appointment.ended_at = clock.now()
    appointment.save(update_fields=["ended_at"])
    audit_record(
        actor=actor,
        action="co_htb.remove",
        target=appointment,
        enterprise_kbo=enterprise.kbo,
        before=before,
        after=audit_snapshot(appointment),
    )
    return appointment
