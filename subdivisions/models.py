from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accessportal import clock
from administrators.models import Appointment, HoedanigheidActivation
from enterprises.models import Application, Facility, SubdivisionType, end_not_before_start


class SubafdelingStatus(models.TextChoices):
    ACTIEF = "ACTIEF", _("Actief")
    GEBLOKKEERD = "GEBLOKKEERD", _("Geblokkeerd")


class Subafdeling(models.Model):
    """A facility (HCO) activated under a hoedanigheid of its enterprise, for one subdivisie."""

    activation = models.ForeignKey(
        HoedanigheidActivation,
        on_delete=models.PROTECT,
        related_name="subafdelingen",
        verbose_name=_("Hoedanigheid"),
    )
    facility = models.ForeignKey(Facility, on_delete=models.PROTECT, related_name="subafdelingen")
    subdivision_type = models.ForeignKey(
        SubdivisionType, on_delete=models.PROTECT, related_name="subafdelingen"
    )
    name = models.CharField(_("Naam van de subafdeling"), max_length=250)
    email = models.EmailField(_("E-mailadres van de subafdeling"))
    status = models.CharField(
        _("Status"), max_length=12, choices=SubafdelingStatus.choices, default=SubafdelingStatus.ACTIEF
    )
    created_at = models.DateTimeField(_("Creatiedatum"), default=clock.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    applications = models.ManyToManyField(
        Application, through="SubafdelingAuthorisation", related_name="subafdelingen"
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("subafdeling")
        verbose_name_plural = _("subafdelingen")
        constraints = [
            models.UniqueConstraint(
                fields=["activation", "facility", "subdivision_type"],
                name="one_subafdeling_per_facility_and_type",
                violation_error_message=_("Deze voorziening is al als subafdeling van dit type geactiveerd."),
            )
        ]

    def __str__(self):
        return f"{self.subdivision_type.name}: {self.name}"

    @property
    def hco_number(self) -> str:
        return self.facility.hco_number

    @property
    def is_blocked(self) -> bool:
        return self.status == SubafdelingStatus.GEBLOKKEERD


class SubafdelingAuthorisation(models.Model):
    """An application authorised on a subafdeling ("Autorisaties ... verbonden met de subafdeling")."""

    subafdeling = models.ForeignKey(Subafdeling, on_delete=models.CASCADE, related_name="authorisations")
    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="authorisations")
    created_at = models.DateTimeField(default=clock.now)

    class Meta:
        verbose_name = _("autorisatie van een subafdeling")
        verbose_name_plural = _("autorisaties van subafdelingen")
        constraints = [
            models.UniqueConstraint(
                fields=["subafdeling", "application"], name="one_authorisation_per_application"
            )
        ]

    def __str__(self):
        return f"{self.application} @ {self.subafdeling}"


class SubafdelingAdministrator(Appointment):
    """The subafdelingsbeheerder of a subafdeling."""

    subafdeling = models.ForeignKey(Subafdeling, on_delete=models.PROTECT, related_name="administrators")

    class Meta:
        ordering = ["-started_at"]
        verbose_name = _("subafdelingsbeheerder")
        verbose_name_plural = _("subafdelingsbeheerders")
        constraints = [
            models.UniqueConstraint(
                fields=["subafdeling", "person"],
                condition=Q(ended_at__isnull=True),
                name="one_current_subafdeling_administration",
            ),
            end_not_before_start("subafdelingadministrator", "started_at", "ended_at"),
        ]

    def __str__(self):
        return f"{self.person} - {self.subafdeling}"
