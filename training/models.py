from datetime import datetime, timedelta

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.timesince import timesince
from django.utils.translation import gettext_lazy as _

from accessportal import clock
from enterprises.models import Enterprise

MAX_TRAINEES = 40
# How far a simulated clock may run ahead of real time: far enough for any role's end date in a
# scenario, near enough that a date never overflows (a clock pushed to the year 9999).
MAX_AHEAD = timedelta(days=5 * 365 + 1)


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
    # The one-time token of the form that created it: a form sent twice makes one classroom.
    creation_token = models.UUIDField(null=True, blank=True, unique=True, editable=False)

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


class SimulatedWorld(models.Model):
    """A world with a clock of its own: ``clock_offset`` ahead of real time (0 to ``MAX_AHEAD``), moved
    forward by ``services.world_clock_advance``; its people's requests run on it (training.middleware)
    and its enterprises' saved changes take effect by it. A sandbox, or the demo world of make run."""

    clock_offset = models.DurationField(default=timedelta(0))

    class Meta:
        abstract = True

    @property
    def ahead(self) -> timedelta:
        """How far the clock runs ahead of real time. A row whose offset lies outside 0..MAX_AHEAD
        (written before the bound existed, or by hand) runs at the bound, so it never overflows a date."""
        return min(max(self.clock_offset, timedelta(0)), MAX_AHEAD)

    def now(self) -> datetime:
        """The world's time: real time (``clock.wall_now``) plus how far it runs ahead."""
        return clock.wall_now() + self.ahead

    @property
    def ahead_text(self) -> str:
        """ "3 dagen, 2 uur": how far the clock runs ahead of real time ("" when it does not)."""
        if self.ahead < timedelta(minutes=1):
            return ""
        now = clock.real_now()
        return timesince(now, now + self.ahead)

    def enterprise_kbos(self) -> list[str]:
        """The KBO numbers of the world's enterprises: their changes take effect on its clock."""
        raise NotImplementedError


def _clock_bounds(prefix: str) -> list[models.CheckConstraint]:
    return [
        models.CheckConstraint(
            condition=models.Q(clock_offset__gte=timedelta(0)), name=f"{prefix}_clock_ahead"
        ),
        models.CheckConstraint(
            condition=models.Q(clock_offset__lte=MAX_AHEAD), name=f"{prefix}_clock_at_most_5_years"
        ),
    ]


class Sandbox(SimulatedWorld):
    """One trainee's own world: a fresh enterprise in the simulated KBO with its people and CoBRHA
    facilities, a clock of its own and the last error message the trainee saw. ``audit_floor``: the
    audit event of its last reset; what happened before it no longer counts as the trainee's progress."""

    classroom = models.ForeignKey(Classroom, on_delete=models.CASCADE, related_name="sandboxes")
    number = models.PositiveSmallIntegerField(_("Cursist"))
    enterprise = models.OneToOneField(Enterprise, on_delete=models.PROTECT, related_name="sandbox")
    pin = models.CharField(_("PIN-code"), max_length=4)  # printed on the trainee's card: a simulation
    last_error = models.TextField(_("Laatste foutmelding"), blank=True)
    last_error_at = models.DateTimeField(null=True, blank=True)
    audit_floor = models.PositiveBigIntegerField(default=0, editable=False)

    class Meta:
        ordering = ["classroom", "number"]
        verbose_name = _("zandbak")
        verbose_name_plural = _("zandbakken")
        constraints = [
            models.UniqueConstraint(fields=["classroom", "number"], name="one_sandbox_per_trainee"),
            *_clock_bounds("sandbox"),
        ]

    def __str__(self):
        return f"{self.classroom} #{self.number}"

    def enterprise_kbos(self) -> list[str]:
        return [self.enterprise.kbo]


class ReloadState(models.TextChoices):
    IDLE = "idle", _("klaar")
    QUEUED = "queued", _("in de wachtrij")
    RUNNING = "running", _("bezig")
    FAILED = "failed", _("mislukt")


class DemoWorld(SimulatedWorld):
    """The demo world of make run (worlds/demo.py), one row: its clock, and the state of "De
    demowereld herladen", which a Celery worker (another process) runs while the page shows it."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1, editable=False)
    reload_state = models.CharField(max_length=10, choices=ReloadState.choices, default=ReloadState.IDLE)
    reload_step = models.PositiveSmallIntegerField(default=0)
    reload_steps = models.PositiveSmallIntegerField(default=0)
    reload_step_label = models.CharField(max_length=200, blank=True)
    reload_requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reload_requested_at = models.DateTimeField(null=True, blank=True)
    reload_finished_at = models.DateTimeField(null=True, blank=True)
    reload_error = models.TextField(blank=True)

    class Meta:
        verbose_name = _("demowereld")
        verbose_name_plural = _("demowereld")
        constraints = [
            models.CheckConstraint(condition=models.Q(id=1), name="demoworld_one_row"),
            *_clock_bounds("demoworld"),
        ]

    def __str__(self):
        return str(_("Demowereld"))

    def enterprise_kbos(self) -> list[str]:
        from worlds.demo import demo_kbos

        return demo_kbos()


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
