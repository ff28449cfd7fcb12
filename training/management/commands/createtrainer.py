"""``manage.py createtrainer``: a trainer's account, who signs in with "Aanmelden met gebruikersnaam".

A person is keyed by INSZ: the trainer gets a fresh, valid one nobody has. Trainers are the members
of the group "Opleiders" (created on first use); in the admin, adding a person to that group makes
them a trainer too.
"""

import getpass

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.urls import reverse

from identity.models import Person
from training.services import trainer_register


class Command(BaseCommand):
    help = (
        "Create a trainer (group 'Opleiders') who signs in with a username and password at "
        "/aanmelden/gebruikersnaam/ and manages classrooms at /opleiding/."
    )

    def add_arguments(self, parser):
        parser.add_argument("--username", required=True)
        parser.add_argument("--first-name", required=True)
        parser.add_argument("--last-name", required=True)
        parser.add_argument("--email", default="")
        parser.add_argument("--password", help="Asked for (twice) when not given.")

    def handle(self, *args, **options):
        username = options["username"].strip()
        if not username:
            raise CommandError("Geef een gebruikersnaam.")
        if Person.objects.filter(username__iexact=username).exists():
            raise CommandError(f"De gebruikersnaam {username} is al in gebruik.")
        password = options["password"] or self._ask_password()
        candidate = Person(
            username=username, first_name=options["first_name"], last_name=options["last_name"]
        )
        try:
            password_validation.validate_password(password, candidate)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        try:
            trainer = self._create(options, username, password)
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from error
        self.stdout.write(
            self.style.SUCCESS(
                f"Opleider {trainer.full_name} aangemaakt (INSZ {trainer.insz_display}). "
                f"Aanmelden met gebruikersnaam op {reverse('identity:sign-in-password')}, "
                f"daarna {reverse('training:home')}."
            )
        )

    def _create(self, options, username: str, password: str) -> Person:
        return trainer_register(
            first_name=options["first_name"],
            last_name=options["last_name"],
            email=options["email"],
            username=username,
            password=password,
        )

    def _ask_password(self) -> str:
        for _attempt in range(3):
            password = getpass.getpass("Wachtwoord: ")
            if password and password == getpass.getpass("Wachtwoord (nogmaals): "):
                return password
            self.stderr.write("De wachtwoorden zijn leeg of verschillen. Probeer opnieuw.")
        raise CommandError("Geen wachtwoord gekozen.")
