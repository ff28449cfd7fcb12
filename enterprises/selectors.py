"""Reads of the simulated registers.

- Who and what a look-up may find: the registers as seen from one world (identity.models' ``world``):
  ``person_for_enterprise``, ``same_world``, ``enterprise_for_person``.
- The public search pages: KBO Public Search (manual 3.2.2: who is legal representative of an
  enterprise, now) and the CoBRHA Viewer (manual 1.2.3: the HCO numbers of the facilities). Public data
  only: names and functions, never an INSZ; every world's enterprises, as a trainee needs their own.
"""

import contextlib
import re

from django.core.exceptions import ValidationError
from django.db.models import Prefetch, Q, QuerySet

from accessportal.identifiers import insz_compact, kbo_clean, kbo_compact
from enterprises.models import Enterprise, Facility, FacilityListing, LegalMandate
from identity.models import Person

NUMBER_SIGNS = re.compile(r"[\s./-]")


def _looks_like_a_number(query: str) -> bool:
    """Digits in any usual notation (0812.345.603, BE 0812 345 603, 812345603)."""
    return kbo_compact(query).isdigit()


def kbo_public_search(query: str) -> QuerySet[Enterprise]:
    """The enterprises with this number (any notation; a wrong number raises a ValidationError with a
    Dutch message) or whose name holds the query, each with its current legal mandates."""
    if _looks_like_a_number(query):
        found = Enterprise.objects.filter(kbo=kbo_clean(query))
    else:
        found = Enterprise.objects.filter(name__icontains=query)
    mandates = (
        LegalMandate.objects.current().select_related("person").order_by("function", "person__last_name")
    )
    return found.order_by("name", "kbo").prefetch_related(
        Prefetch("legal_mandates", queryset=mandates, to_attr="current_mandates")
    )


def cobrha_search(query: str) -> QuerySet[Facility]:
    """The facilities with this HCO number, of the enterprise with this number, or whose name (or the
    name of one of their listings) holds the query, each with its enterprise and listings."""
    digits = NUMBER_SIGNS.sub("", query)
    if digits.isdigit():
        condition = Q(hco_number=digits.lstrip("0") or "0") | Q(hco_number=digits)
        with contextlib.suppress(ValidationError):  # not an enterprise number: HCO numbers only
            condition |= Q(enterprise__kbo=kbo_clean(query))
        found = Facility.objects.filter(condition)
    else:
        matching = FacilityListing.objects.filter(name__icontains=query).values("facility_id")
        found = Facility.objects.filter(Q(name__icontains=query) | Q(pk__in=matching))
    listings = FacilityListing.objects.select_related("subdivision_type").order_by("subdivision_type__name")
    return (
        found.select_related("enterprise")
        .order_by("name", "hco_number")
        .prefetch_related(Prefetch("listings", queryset=listings))
    )


def person_for_enterprise(enterprise: Enterprise, insz: str) -> Person | None:
    """The active person with this INSZ in the national register of the enterprise's world: every INSZ
    look-up that adds or appoints someone for an enterprise (HTB "Andere persoon", co-HTB, (co-)LB,
    subafdelingsbeheerder, user) goes through here. A sandbox finds only its own people; a real
    enterprise never finds a sandbox's."""
    return Person.objects.filter(insz=insz_compact(insz), is_active=True, world=enterprise.world).first()


def persons_for_enterprise(enterprise: Enterprise, insz_numbers) -> dict[str, Person]:
    """The same look-up for many INSZ numbers at once (a bulk import's dry run): compact INSZ -> person."""
    numbers = {insz_compact(insz) for insz in insz_numbers}
    found = Person.objects.filter(insz__in=numbers, is_active=True, world=enterprise.world)
    return {person.insz: person for person in found}


def same_world(person, enterprise: Enterprise) -> bool:
    """The services' re-check of the same rule, for a person found earlier (a wizard's answers)."""
    return person is not None and person.world == enterprise.world


def enterprise_for_person(person, kbo: str) -> Enterprise | None:
    """The enterprise with this number in the KBO of the person's world."""
    return Enterprise.objects.filter(kbo=kbo_compact(kbo), world=getattr(person, "world", "")).first()
