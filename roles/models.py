from datetime import date

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from accessportal import clock
from enterprises.models import Application, end_not_before_start
from users.models import SubafdelingUser


class Role(models.Model):
    """A role ("functie") of the manual's list, belonging to one application."""

    name = models.CharField(_("Functie"), max_length=150, unique=True)
    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="roles")
    sort_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = _("rol")
        verbose_name_plural = _("rollen (catalogus)")
        constraints = [
            # The target of the assignments' composite foreign key (role, application).
            models.UniqueConstraint(fields=["id", "application"], name="role_id_application"),
        ]

    def __str__(self):
        return self.name


class RoleAssignment(models.Model):
    """A role given to a user. The database only accepts it when the user holds a right for the
    role's application (composite foreign keys, see migration 0002)."""

    user = models.ForeignKey(SubafdelingUser, on_delete=models.CASCADE, related_name="role_assignments")
    role = models.ForeignKey(Role, on_delete=models.PROTECT, related_name="assignments")
    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="+")
    start_date = models.DateField(_("Startdatum"))
    end_date = models.DateField(_("Einddatum"), null=True, blank=True)
    # What the applications see, set when the propagation delay has passed (accessportal.propagation):
    # no effective start date means the assignment has not reached them yet.
    effective_start_date = models.DateField(_("Startdatum van kracht"), null=True, blank=True)
    effective_end_date = models.DateField(_("Einddatum van kracht"), null=True, blank=True)
    removed_at = models.DateTimeField(_("verwijderd op"), null=True, blank=True)
    pending_until = models.DateTimeField(_("van kracht om"), null=True, blank=True)
    created_at = models.DateTimeField(default=clock.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["start_date", "role__name"]
        verbose_name = _("toegekende rol")
        verbose_name_plural = _("toegekende rollen")
        constraints = [end_not_before_start("roleassignment")]
        indexes = [models.Index(fields=["user", "role"])]

    def __str__(self):
        return f"{self.role} - {self.user}"

    def effective_on(self, day: date) -> bool:
        """Whether the applications see this role on ``day``."""
        return (
            self.effective_start_date is not None
            and self.effective_start_date <= day
            and (self.effective_end_date is None or day <= self.effective_end_date)
        )

    @property
    def pending_text(self) -> str:
        """When a saved change takes effect, as the "Status" says it ("14:20" today)."""
        return clock.moment_text(self.pending_until) if self.pending_until else ""

    def state(self, day: date | None = None) -> str:
        """What the row's "Status" says: removing, saved (a change not yet in effect), ended,
        planned (starts later), or active."""
        day = day or clock.today()
        if self.removed_at is not None:
            return "removing"
        if self.pending_until is not None or self.effective_start_date is None:
            return "saved"
        if self.effective_end_date is not None and self.effective_end_date < day:
            return "ended"
        if self.effective_start_date > day:
            return "planned"
        return "active"


class SimulatedApplication(models.Model):
    """An application of the Departement Zorg that people sign in to at ``/toepassingen/<slug>/``
    (eVIPA, E-loket, BelRAI): it needs a right on ``application`` and, when ``roles`` is not empty,
    one of those roles. Its token authenticates it on the access decision API (only a hash is kept)."""

    slug = models.SlugField(unique=True)
    name = models.CharField(_("Naam"), max_length=120)
    tagline = models.CharField(_("Omschrijving"), max_length=250, blank=True)
    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="+")
    roles = models.ManyToManyField(Role, blank=True, related_name="+")
    token_hash = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("gesimuleerde toepassing")
        verbose_name_plural = _("gesimuleerde toepassingen")

    def __str__(self):
        return self.name
