from django.db import transaction
from django.utils.translation import gettext as _

from accessportal.audit import audit_record, audit_snapshot
from accessportal.identifiers import insz_clean
from accessportal.services import ServiceError
from identity.models import Person

PERSON_FIELDS = ["insz", "last_name", "first_name", "title", "language", "email", "phone", "username"]


@transaction.atomic
def person_register(
    *, actor=None, insz: str, last_name: str, first_name: str, pin: str | None = None, **fields
) -> Person:
    """Enter a person in the (simulated) national register."""
    number = insz_clean(insz)
    if Person.objects.filter(insz=number).exists():
        raise ServiceError(_("Deze persoon staat al in het rijksregister."), field="insz", code="duplicate")
    person = Person.objects.create_user(
        number, last_name=last_name.strip(), first_name=first_name.strip(), **fields
    )
    if pin:
        person.set_pin(pin)
        person.save(update_fields=["pin"])
    audit_record(
        actor=actor, action="person.register", target=person, after=audit_snapshot(person, PERSON_FIELDS)
    )
    return person
