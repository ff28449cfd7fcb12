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
