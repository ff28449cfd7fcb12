"""``manage.py unblock_keys <INSZ>``: unblock a person's eID card and itsme from the command line.

A blocked card or itsme refuses every key, the admin's sign-in included: when the only administrator
is blocked, nobody is left to unblock them in the admin. This does what the admin's action does
(identity.services.card_unblock, audited without an actor).
"""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from accessportal.identifiers import insz_clean
from identity.models import Person
from identity.services import card_unblock


class Command(BaseCommand):
    help = "Unblock the eID card and itsme of the person with this INSZ and reset their wrong attempts."

    def add_arguments(self, parser):
        parser.add_argument("insz", help="e.g. 85.07.30-033.28")

    def handle(self, *args, insz, **options):
        try:
            number = insz_clean(insz)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        person = Person.objects.filter(insz=number).first()
        if person is None:
            raise CommandError("Deze persoon staat niet in het rijksregister.")
        card_unblock(actor=None, person=person)
        self.stdout.write(
            self.style.SUCCESS(f"De eID-kaart en itsme van {person.full_name} zijn gedeblokkeerd.")
        )
