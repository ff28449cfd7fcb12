"""Who holds which capacity in an enterprise: the permission-aware reads of CSAM/BTB."""

from django.db.models import Q, QuerySet

from administrators.models import (
    AdministratorKind,
    CoHtbAppointment,
    EnterpriseHoedanigheid,
    HtbAppointment,
    HtbDraft,
    LocalAdministrator,
)
from enterprises.models import Employment, Enterprise, Hoedanigheid, LegalMandate


def is_legal_representative(person, enterprise: Enterprise) -> bool:
    return LegalMandate.objects.current().filter(person=person, enterprise=enterprise).exists()


def is_employee_or_legal_representative(person, enterprise: Enterprise) -> bool:
    return (
        is_legal_representative(person, enterprise)
        or Employment.objects.current().filter(person=person, enterprise=enterprise).exists()
    )


def current_htb(enterprise: Enterprise) -> HtbAppointment | None:
    return HtbAppointment.objects.current().filter(enterprise=enterprise).select_related("person").first()


def is_registered_in_csam(enterprise: Enterprise) -> bool:
    return HtbAppointment.objects.current().filter(enterprise=enterprise).exists()


def is_htb_or_co_htb(person, enterprise: Enterprise) -> bool:
    return (
        HtbAppointment.objects.current().filter(person=person, enterprise=enterprise).exists()
        or CoHtbAppointment.objects.current().filter(person=person, enterprise=enterprise).exists()
    )


def enterprises_led_by(person) -> QuerySet[Enterprise]:
    """The enterprises where the person is HTB or co-HTB now."""
    return Enterprise.objects.filter(
        Q(htb_appointments__person=person, htb_appointments__ended_at__isnull=True)
        | Q(co_htb_appointments__person=person, co_htb_appointments__ended_at__isnull=True)
    ).distinct()


def hoedanigheden_managed_by(person) -> QuerySet[EnterpriseHoedanigheid]:
    """The hoedanigheden the person manages: as their (co-)lokale beheerder, or as HTB / co-HTB of the
    enterprise (the HTB is toegangsbeheerder of every domain)."""
    return EnterpriseHoedanigheid.objects.filter(
        Q(administrators__person=person, administrators__ended_at__isnull=True)
        | Q(enterprise__in=enterprises_led_by(person))
    ).distinct()


def can_manage_hoedanigheid(person, hoedanigheid: EnterpriseHoedanigheid) -> bool:
    return hoedanigheden_managed_by(person).filter(pk=hoedanigheid.pk).exists()


def current_local_administrator(hoedanigheid: EnterpriseHoedanigheid) -> LocalAdministrator | None:
    return (
        LocalAdministrator.objects.current()
        .filter(hoedanigheid=hoedanigheid, kind=AdministratorKind.LB)
        .select_related("person")
        .first()
    )


def enterprise_in_kbo(kbo: str) -> Enterprise | None:
    return Enterprise.objects.filter(kbo=kbo).first()


def htb_draft_of(person, draft_id) -> HtbDraft | None:
    """A draft of the HTB procedure, only for the person who started it."""
    return (
        HtbDraft.objects.filter(pk=draft_id, requester=person)
        .select_related("enterprise", "appointment__person")
        .first()
    )


def enterprise_led_by(person, kbo: str) -> Enterprise | None:
    """An enterprise where the person is HTB or co-HTB now; None for every other enterprise."""
    return enterprises_led_by(person).filter(kbo=kbo).first()


def co_htbs_of(enterprise: Enterprise) -> QuerySet[CoHtbAppointment]:
    return CoHtbAppointment.objects.current().filter(enterprise=enterprise).select_related("person")


def hoedanigheid_managed_by(person, hoedanigheid_id) -> EnterpriseHoedanigheid | None:
    """A hoedanigheid the person manages; None for every other one, of any enterprise."""
    return (
        hoedanigheden_managed_by(person)
        .filter(pk=hoedanigheid_id)
        .select_related("enterprise", "hoedanigheid")
        .first()
    )


def hoedanigheden_to_activate(enterprise: Enterprise) -> QuerySet[Hoedanigheid]:
    return Hoedanigheid.objects.exclude(activations__enterprise=enterprise)


def htb_level(person, enterprise: Enterprise) -> str | None:
    if HtbAppointment.objects.current().filter(person=person, enterprise=enterprise).exists():
        return "HTB"
    if CoHtbAppointment.objects.current().filter(person=person, enterprise=enterprise).exists():
        return "CO_HTB"
    return None
