from datetime import timedelta

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.timesince import timesince
from django.utils.translation import gettext_lazy as _

from accessportal import clock
from enterprises.models import Enterprise

MAX_TRAINEES = 40


class Scenario(models.TextChoices):
    HTB = "htb", _("Een Hoofdtoegangsbeheerder aanstellen")
    PRAKTIJK = "praktijk", _("Voorbeeld uit de praktijk")


class Classroom(models.Model):
    """A trainer's group of trainees; each trainee works in a sandbox of their own."""

    name = models.CharField(_("Naam van de klas"), max_length=120)
    trainer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="classrooms")
    scenario = models.CharField(_("Scenario"), max_length=20, choices=Scenario.choices, default=Scenario.HTB)
    size = models.PositiveSmallIntegerField(
        _("Aantal cursisten"), validators=[MinValueValidator(1), MaxValueValidator(MAX_TRAINEES)]
    )
    created_at = models.DateTimeField(default=clock.now)
    built_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("klas")
        verbose_name_plural = _("klassen")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(size__gte=1, size__lte=MAX_TRAINEES), name="classroom_size_1_to_40"
            )
        ]

    def __str__(self):
        return self.name


class Sandbox(models.Model):
    """One trainee's own world: a fresh enterprise in the simulated KBO with its people and CoBRHA
    facilities, a clock of its own (``clock_offset`` ahead of real time, only ever growing) and the
    last error message the trainee saw."""

    classroom = models.ForeignKey(Classroom, on_delete=models.CASCADE, related_name="sandboxes")
    number = models.PositiveSmallIntegerField(_("Cursist"))
    enterprise = models.OneToOneField(Enterprise, on_delete=models.PROTECT, related_name="sandbox")
    pin = models.CharField(_("PIN-code"), max_length=4)  # printed on the trainee's card: a simulation
    clock_offset = models.DurationField(default=timedelta(0))
    last_error = models.TextField(_("Laatste foutmelding"), blank=True)
    last_error_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["classroom", "number"]
        verbose_name = _("zandbak")
        verbose_name_plural = _("zandbakken")
        constraints = [
            models.UniqueConstraint(fields=["classroom", "number"], name="one_sandbox_per_trainee"),
            models.CheckConstraint(
                condition=models.Q(clock_offset__gte=timedelta(0)), name="sandbox_clock_ahead"
            ),
        ]

    def __str__(self):
        return f"{self.classroom} #{self.number}"

    @property
    def ahead_text(self) -> str:
        """ "3 dagen, 2 uur": how far the sandbox's clock runs ahead of real time ("" when it does not)."""
        if self.clock_offset < timedelta(minutes=1):
            return ""
        now = timezone.now()
        return timesince(now, now + self.clock_offset)


class Part(models.TextChoices):
    LEGAL_REPRESENTATIVE = "WV", _("Wettelijk vertegenwoordiger")
    EMPLOYEE = "WN", _("Werknemer")


class SandboxPerson(models.Model):
    """A person who exists only in one sandbox (the trainee plays them through the persona switch)."""

    sandbox = models.ForeignKey(Sandbox, on_delete=models.CASCADE, related_name="people")
    person = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="sandbox_part"
    )
    part = models.CharField(max_length=2, choices=Part.choices)
    sort_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["sandbox", "sort_order"]
        verbose_name = _("persoon van een zandbak")
        verbose_name_plural = _("personen van zandbakken")

    def __str__(self):
        return f"{self.person} ({self.get_part_display()})"
