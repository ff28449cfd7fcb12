from django.core.management.base import BaseCommand, CommandError

from accessportal.services import ServiceError
from worlds.demo import DEMO_PIN, PEOPLE, DemoWorldError, demo_world_load


class Command(BaseCommand):
    help = "Load the demo world of DESIGN.md (idempotent: a complete demo world is left as it is)."

    def handle(self, *args, **options):
        try:
            people = demo_world_load()
        except (DemoWorldError, ServiceError) as error:
            raise CommandError("; ".join(getattr(error, "messages", [str(error)]))) from error
        if not people:
            self.stdout.write("De demowereld is al geladen; er werd niets gewijzigd.")
            return
        self.stdout.write(
            self.style.SUCCESS("De demowereld is geladen. Aanmelden met eID, PIN-code " + DEMO_PIN + ":")
        )
        for person in PEOPLE:
            self.stdout.write(f"  {person.first_name + ' ' + person.last_name:<20} {person.insz}")
