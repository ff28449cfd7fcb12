from dataclasses import dataclass, field

from django.db.models import Q, QuerySet

from administrators.models import CoHtbAppointment, EnterpriseHoedanigheid, HtbAppointment
from administrators.selectors import hoedanigheden_managed_by
from enterprises.models import Enterprise
from subdivisions.models import Subafdeling


def subafdelingen_managed_by(person) -> QuerySet[Subafdeling]:
    """The subafdelingen the person manages: as subafdelingsbeheerder or as TB of the hoedanigheid."""
    return Subafdeling.objects.filter(
        Q(administrators__person=person, administrators__ended_at__isnull=True)
        | Q(hoedanigheid__in=hoedanigheden_managed_by(person))
    ).distinct()


def can_manage_subafdeling(person, subafdeling: Subafdeling) -> bool:
    return subafdelingen_managed_by(person).filter(pk=subafdeling.pk).exists()


@dataclass
class HoedanigheidCapacity:
    hoedanigheid: EnterpriseHoedanigheid
    manages: bool  # as (co-)lokale beheerder or as HTB / co-HTB
    subafdelingen: list[Subafdeling] = field(default_factory=list)


@dataclass
class EnterpriseCapacity:
    """What one person holds in one enterprise: the lines of the portal's welcome page."""

    enterprise: Enterprise
    htb_level: str | None  # "HTB", "CO_HTB" or None
    hoedanigheden: list[HoedanigheidCapacity] = field(default_factory=list)


def portal_capacities(person) -> list[EnterpriseCapacity]:
    """Every enterprise where the person holds a capacity, with the hoedanigheden and subafdelingen
    they may open; a handful of queries whatever the size of the enterprises."""
    led = dict.fromkeys(
        CoHtbAppointment.objects.current().filter(person=person).values_list("enterprise_id", flat=True),
        "CO_HTB",
    ) | dict.fromkeys(
        HtbAppointment.objects.current().filter(person=person).values_list("enterprise_id", flat=True), "HTB"
    )
    hoedanigheden = list(
        hoedanigheden_managed_by(person)
        .select_related("enterprise", "hoedanigheid")
        .order_by("enterprise__name", "hoedanigheid__name")
    )
    managed_ids = {h.pk for h in hoedanigheden}
    subafdelingen = list(
        subafdelingen_managed_by(person)
        .select_related(
            "hoedanigheid__enterprise", "hoedanigheid__hoedanigheid", "subdivision_type", "facility"
        )
        .order_by("subdivision_type__name", "name")
    )
    enterprises: dict[int, EnterpriseCapacity] = {}

    def enterprise_entry(enterprise: Enterprise) -> EnterpriseCapacity:
        if enterprise.pk not in enterprises:
            enterprises[enterprise.pk] = EnterpriseCapacity(enterprise, led.get(enterprise.pk))
        return enterprises[enterprise.pk]

    by_hoedanigheid: dict[int, HoedanigheidCapacity] = {}
    for hoedanigheid in hoedanigheden:
        entry = HoedanigheidCapacity(hoedanigheid, manages=True)
        by_hoedanigheid[hoedanigheid.pk] = entry
        enterprise_entry(hoedanigheid.enterprise).hoedanigheden.append(entry)
    for subafdeling in subafdelingen:
        parent = subafdeling.hoedanigheid
        if parent.pk not in by_hoedanigheid:  # a subafdelingsbeheerder only: the hoedanigheid as context
            by_hoedanigheid[parent.pk] = HoedanigheidCapacity(parent, manages=parent.pk in managed_ids)
            enterprise_entry(parent.enterprise).hoedanigheden.append(by_hoedanigheid[parent.pk])
        by_hoedanigheid[parent.pk].subafdelingen.append(subafdeling)
    without_hoedanigheid = [pk for pk in led if pk not in enterprises]
    for enterprise in Enterprise.objects.filter(pk__in=without_hoedanigheid) if without_hoedanigheid else []:
        enterprise_entry(enterprise)
    return sorted(enterprises.values(), key=lambda entry: entry.enterprise.name)


def subafdeling_managed_by(person, subafdeling_id) -> Subafdeling | None:
    """A subafdeling the person manages (as its subafdelingsbeheerder or as TB above it); None for
    every other one, of any enterprise."""
    return (
        subafdelingen_managed_by(person)
        .filter(pk=subafdeling_id)
        .select_related(
            "hoedanigheid__enterprise", "hoedanigheid__hoedanigheid", "facility", "subdivision_type"
        )
        .first()
    )
