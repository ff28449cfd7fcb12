from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from accessportal import clock
from enterprises.models import Application, Enterprise
from identity.models import Language, Title
from subdivisions.models import Subafdeling


class UserStatus(models.TextChoices):
    ACTIEF = "ACTIEF", _("Actief")
    INACTIEF = "INACTIEF", _("Inactief")


class SubafdelingUser(models.Model):
    """A person registered as a user of a subafdeling, with the account data of that registration."""

    subafdeling = models.ForeignKey(Subafdeling, on_delete=models.CASCADE, related_name="users")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="subafdeling_users"
    )
    email = models.EmailField(_("E-mailadres"))
    local_email = models.EmailField(_("Lokaal e-mailadres"), blank=True)
    language = models.CharField(_("Taalkeuze"), max_length=2, choices=Language.choices, default=Language.NL)
    # "Titel ▼" on "Een gebruiker aanmaken" (manual chapter 4 step 10): chosen there, like the language.
    title = models.CharField(_("Titel"), max_length=10, choices=Title.choices, default=Title.DE_HEER)
    status = models.CharField(
        _("Status"), max_length=10, choices=UserStatus.choices, default=UserStatus.ACTIEF
    )
    created_at = models.DateTimeField(_("Creatiedatum"), default=clock.now)
    modified_at = models.DateTimeField(_("Wijzigingsdatum"), null=True, blank=True)
    applications = models.ManyToManyField(Application, through="ApplicationRight", related_name="+")
    # The person's names, copied when the user is added (save() below) and when the person's names
    # change (user_names_follow): the list sorts and searches one subafdeling's users through indexes
    # of their own, without walking the whole register (migration 0010: a search grew with its size).
    last_name = models.CharField(max_length=100, editable=False)
    first_name = models.CharField(max_length=100, editable=False)

    class Meta:
        ordering = ["last_name", "first_name"]
        verbose_name = _("gebruiker van een subafdeling")
        verbose_name_plural = _("gebruikers van subafdelingen")
        constraints = [
            models.UniqueConstraint(
                fields=["subafdeling", "person"],
                name="one_user_per_person_and_subafdeling",
                violation_error_message=_("Deze persoon is al gebruiker van deze subafdeling."),
            ),
            # The target of the rights' composite foreign key (user, subafdeling).
            models.UniqueConstraint(fields=["id", "subafdeling"], name="subafdelinguser_id_subafdeling"),
        ]
        indexes = [
            models.Index(
                fields=["subafdeling", "last_name", "first_name", "id"], name="subafdelinguser_by_name"
            )
        ]

    def __str__(self):
        return f"{self.person} @ {self.subafdeling}"

    def save(self, *args, **kwargs):
        if self._state.adding and not self.last_name:
            self.last_name, self.first_name = self.person.last_name, self.person.first_name
        super().save(*args, **kwargs)


def user_names_follow(sender, instance, created=False, update_fields=None, **kwargs) -> None:
    """A person saved with other names: their users get them too (post_save of the person, users.apps)."""
    if created or (update_fields is not None and not {"last_name", "first_name"} & set(update_fields)):
        return
    SubafdelingUser.objects.filter(person=instance).exclude(
        last_name=instance.last_name, first_name=instance.first_name
    ).update(last_name=instance.last_name, first_name=instance.first_name)


class SubafdelingUserTotal(models.Model):
    """How many users a subafdeling has: the users list's number of pages, read instead of counting the
    subafdeling's users at every request (20,000 index entries took PostgreSQL 2 to 3 ms in
    ``make bench``'s world, the largest cost of that page).

    Nothing in Django writes it: the database's triggers keep it (migration 0011), at every INSERT and
    DELETE of a user, in the statement's own transaction, whoever writes (a service, bulk_create, the
    scale world's COPY, a cascade). A subafdeling without users may have no row: it has 0. SQLite
    drops a table's triggers when it rebuilds the table: a migration that alters users_subafdelinguser
    puts them back (``users.totals.user_total_triggers``)."""

    subafdeling = models.OneToOneField(
        Subafdeling, on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    users = models.PositiveIntegerField()

    class Meta:
        verbose_name = _("aantal gebruikers van een subafdeling")

    def __str__(self):
        return f"{self.subafdeling_id}: {self.users}"


class ApplicationRight(models.Model):
    """The right of a user to use an application. The database only accepts it for an application
    authorised on the user's own subafdeling (composite foreign keys, see migration 0002).

    A right takes effect the moment it is saved and ends the moment it is withdrawn: after
    "Bevestigen" the user "heeft nu toegang tot eVIPA" (manual 3.6.1, chapter 4 step 10). Only roles
    wait for the propagation delay (manual 3.6.2)."""

    user = models.ForeignKey(SubafdelingUser, on_delete=models.CASCADE, related_name="rights")
    subafdeling = models.ForeignKey(Subafdeling, on_delete=models.CASCADE, related_name="+")
    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="rights")
    created_at = models.DateTimeField(default=clock.now)

    class Meta:
        verbose_name = _("recht op een toepassing")
        verbose_name_plural = _("rechten op toepassingen")
        constraints = [
            models.UniqueConstraint(fields=["user", "application"], name="one_right_per_application"),
        ]

    def __str__(self):
        return f"{self.application} - {self.user}"


class PortalCertificate(models.Model):
    """ "Beheer van het certificaat te gebruiken op het portaal van de sociale zekerheid" (the
    "Persoonlijke gegevens" of the portal's menu, manual 3.6.1 and chapter 4 step 11): the X.509
    certificate a person registers for their account in one enterprise, as the social security's
    batch and REST channels ask a certificate naming the enterprise or its client application. One per
    person and enterprise; registering another replaces it. The certificate itself is kept (DER) with
    what the page shows of it, parsed once by users.certificates."""

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="portal_certificates"
    )
    enterprise = models.ForeignKey(Enterprise, on_delete=models.CASCADE, related_name="+")
    subject = models.CharField(_("Onderwerp"), max_length=1000)
    issuer = models.CharField(_("Uitgever"), max_length=1000)
    serial_number = models.CharField(_("Serienummer"), max_length=100)
    not_before = models.DateTimeField(_("Geldig vanaf"))
    not_after = models.DateTimeField(_("Geldig tot"))
    fingerprint = models.CharField(_("Vingerafdruk (SHA-256)"), max_length=95)
    der = models.BinaryField(_("Certificaat (DER)"))
    uploaded_at = models.DateTimeField(_("Opgeladen op"), default=clock.now)

    class Meta:
        verbose_name = _("certificaat voor het portaal")
        verbose_name_plural = _("certificaten voor het portaal")
        constraints = [
            models.UniqueConstraint(
                fields=["person", "enterprise"], name="one_portal_certificate_per_account"
            )
        ]

    def __str__(self):
        return f"{self.subject} ({self.person})"


class ImportStatus(models.TextChoices):
    GECONTROLEERD = "GECONTROLEERD", _("Gecontroleerd")
    BEZIG = "BEZIG", _("Bezig")
    KLAAR = "KLAAR", _("Klaar")


class ImportAction(models.TextChoices):
    """What a row of an import file does (the dry run's plan), or did (the result)."""

    NIEUW = "NIEUW", _("Nieuwe gebruiker")
    WIJZIGING = "WIJZIGING", _("Wijziging")
    ONGEWIJZIGD = "ONGEWIJZIGD", _("Geen wijziging")
    FOUT = "FOUT", _("Fout")


class UserImport(models.Model):
    """ "Gebruikers importeren": one uploaded file of a subafdeling, checked (the dry run writes only this
    row and its rows), then confirmed and run by a Celery task (users.tasks.user_import_run), which marks
    each row done in the transaction that applies it: a re-run (a worker killed mid-way, a second
    "Bevestigen") skips what is done. ``digest`` is the SHA-256 of the file: the same file is not
    started twice while an import of it runs."""

    subafdeling = models.ForeignKey(Subafdeling, on_delete=models.CASCADE, related_name="user_imports")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    filename = models.CharField(_("Bestand"), max_length=255)
    digest = models.CharField(max_length=64)
    status = models.CharField(
        _("Status"), max_length=15, choices=ImportStatus.choices, default=ImportStatus.GECONTROLEERD
    )
    created_at = models.DateTimeField(default=clock.now)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("import van gebruikers")
        verbose_name_plural = _("imports van gebruikers")
        indexes = [models.Index(fields=["subafdeling", "digest"], name="userimport_subafdeling_digest")]

    def __str__(self):
        return f"{self.filename} ({self.subafdeling})"


class UserImportRow(models.Model):
    """One line of an import file: what it asks (``data``: the cells as read), the dry run's plan and,
    once applied, its result. ``done_at`` is set in the same transaction as the change itself."""

    user_import = models.ForeignKey(UserImport, on_delete=models.CASCADE, related_name="rows")
    line = models.PositiveIntegerField(_("Regel"))
    insz = models.CharField(_("INSZ"), max_length=11, blank=True)
    name = models.CharField(_("Naam"), max_length=201, blank=True)
    data = models.JSONField(default=dict)
    action = models.CharField(_("Actie"), max_length=12, choices=ImportAction.choices)
    changes = models.JSONField(default=dict)
    message = models.TextField(_("Toelichting"), blank=True)
    done_at = models.DateTimeField(null=True, blank=True)
    result = models.CharField(_("Resultaat"), max_length=12, choices=ImportAction.choices, blank=True)

    class Meta:
        ordering = ["line"]
        verbose_name = _("regel van een import")
        verbose_name_plural = _("regels van een import")
        constraints = [
            models.UniqueConstraint(fields=["user_import", "line"], name="one_import_row_per_line"),
        ]

    def __str__(self):
        return f"{self.user_import_id}:{self.line}"
