"""Who and what a look-up may find: the registers as seen from one world (identity.models' ``world``)."""

from accessportal.identifiers import insz_compact, kbo_compact
from enterprises.models import Enterprise
from identity.models import Person


def person_for_enterprise(enterprise: Enterprise, insz: str) -> Person | None:
    """The active person with this INSZ in the national register of the enterprise's world: every INSZ
    look-up that adds or appoints someone for an enterprise (HTB "Andere persoon", co-HTB, (co-)LB,
    subafdelingsbeheerder, user) goes through here. A sandbox finds only its own people; a real
    enterprise never finds a sandbox's."""
    return Person.objects.filter(insz=insz_compact(insz), is_active=True, world=enterprise.world).first()


def same_world(person, enterprise: Enterprise) -> bool:
    """The services' re-check of the same rule, for a person found earlier (a wizard's answers)."""
    return person is not None and person.world == enterprise.world


def enterprise_for_person(person, kbo: str) -> Enterprise | None:
    """The enterprise with this number in the KBO of the person's world."""
    return Enterprise.objects.filter(kbo=kbo_compact(kbo), world=getattr(person, "world", "")).first()
