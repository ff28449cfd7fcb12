from django.core.management.base import BaseCommand, CommandError

from roles.models import SimulatedApplication
from roles.services import application_token_rotate


class Command(BaseCommand):
    help = "Give a simulated application (evipa, eloket, belrai) a new token for /api/toegang/ and print it."

    def add_arguments(self, parser):
        parser.add_argument("slug", help="evipa, eloket or belrai")

    def handle(self, *args, slug, **options):
        app = SimulatedApplication.objects.filter(slug=slug).first()
        if app is None:
            known = ", ".join(SimulatedApplication.objects.values_list("slug", flat=True)) or "-"
            raise CommandError(f"Onbekende toepassing {slug!r}; bekend: {known}.")
        self.stdout.write(application_token_rotate(actor=None, app=app))
