"""CSAM / BTB: who manages access for an enterprise.

Appointments are never deleted: ending one sets ``ended_at`` and keeps it in the history. The
"current" appointment is the one without ``ended_at``; the database allows one current HTB per
enterprise and one current lokale beheerder per hoedanigheid.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accessportal import clock
from enterprises.models import Enterprise, Hoedanigheid, end_not_before_start


class AppointmentQuerySet(models.QuerySet):
    def current(self):
        return self.filter(ended_at__isnull=True)


class Appointment(models.Model):
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    appointed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    started_at = models.DateTimeField(_("Begin"), default=clock.now)
    ended_at = models.DateTimeField(_("Einde"), null=True, blank=True)

    objects = AppointmentQuerySet.as_manager()

    class Meta:
        abstract = True

    @property
    def is_current(self) -> bool:
        return self.ended_at is None


class HtbAppointment(Appointment):
    """The Hoofdtoegangsbeheerder of an enterprise, appointed by a legal representative."""

    enterprise = models.ForeignKey(Enterprise, on_delete=models.PROTECT, related_name="htb_appointments")
    email = models.EmailField(_("E-mail"))
    phone = models.CharField(_("Telefoon"), max_length=30)
    requester_email = models.EmailField(_("E-mail van de aanvrager"), blank=True)
    requester_phone = models.CharField(_("Telefoon van de aanvrager"), max_length=30, blank=True)

    class Meta:
        ordering = ["-started_at"]
        verbose_name = _("aanstelling hoofdtoegangsbeheerder")
        verbose_name_plural = _("aanstellingen hoofdtoegangsbeheerder")
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise"],
                condition=Q(ended_at__isnull=True),
                name="one_current_htb_per_enterprise",
                violation_error_message=_("Deze onderneming heeft al een Hoofdtoegangsbeheerder."),
            ),
            end_not_before_start("htbappointment", "started_at", "ended_at"),
        ]

    def __str__(self):
        return f"HTB {self.person} - {self.enterprise.name}"


class CoHtbAppointment(Appointment):
    enterprise = models.ForeignKey(Enterprise, on_delete=models.PROTECT, related_name="co_htb_appointments")

    class Meta:
        ordering = ["-started_at"]
        verbose_name = _("aanstelling co-hoofdtoegangsbeheerder")
        verbose_name_plural = _("aanstellingen co-hoofdtoegangsbeheerder")
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise", "person"],
                condition=Q(ended_at__isnull=True),
                name="one_current_co_htb_per_person",
            ),
            end_not_before_start("cohtbappointment", "started_at", "ended_at"),
        ]

    def __str__(self):
        return f"Co-HTB {self.person} - {self.enterprise.name}"


class HoedanigheidActivation(models.Model):
    """A hoedanigheid of the catalogue activated for an enterprise (manual 3.3): "an activation".

    ``hoedanigheid`` is the catalogue entry; everything below it (its lokale beheerders, its
    subafdelingen) points at the activation through a field called ``activation``."""

    enterprise = models.ForeignKey(Enterprise, on_delete=models.PROTECT, related_name="activations")
    hoedanigheid = models.ForeignKey(Hoedanigheid, on_delete=models.PROTECT, related_name="activations")
    email = models.EmailField(_("E-mailadres"), blank=True)
    created_at = models.DateTimeField(_("Creatiedatum"), default=clock.now)
    activated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["enterprise__name", "hoedanigheid__sort_order", "hoedanigheid__name"]
        verbose_name = _("actieve hoedanigheid")
        verbose_name_plural = _("actieve hoedanigheden")
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise", "hoedanigheid"], name="one_activation_per_hoedanigheid"
            )
        ]

    def __str__(self):
        return f"{self.hoedanigheid.name} - {self.enterprise.name}"


class AdministratorKind(models.TextChoices):
    LB = "LB", _("Lokale Beheerder")
    CO_LB = "CO_LB", _("Co-Lokale Beheerder")


class LocalAdministrator(Appointment):
    """A toegangsbeheerder (lokale beheerder, LB) or co-LB of one hoedanigheid of an enterprise."""

    activation = models.ForeignKey(
        HoedanigheidActivation,
        on_delete=models.PROTECT,
        related_name="administrators",
        verbose_name=_("Hoedanigheid"),
    )
    kind = models.CharField(_("Type"), max_length=5, choices=AdministratorKind.choices)
    email = models.EmailField(_("E-mailadres"))
    local_email = models.EmailField(_("Lokaal e-mailadres"), blank=True)

    class Meta:
        ordering = ["kind", "person__last_name"]
        verbose_name = _("toegangsbeheerder (lokale beheerder)")
        verbose_name_plural = _("toegangsbeheerders (lokale beheerders)")
        constraints = [
            models.UniqueConstraint(
                fields=["activation"],
                condition=Q(ended_at__isnull=True, kind="LB"),
                name="one_current_lb_per_hoedanigheid",
            ),
            models.UniqueConstraint(
                fields=["activation", "person"],
                condition=Q(ended_at__isnull=True),
                name="one_current_administration_per_person",
            ),
            end_not_before_start("localadministrator", "started_at", "ended_at"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.person} - {self.activation}"


class HtbDraft(models.Model):
    """The answers of one run of the HTB procedure (manual 3.2.2-3.2.3), kept between its steps.

    The confirmation turns it into an HtbAppointment once; reloading the final page shows that
    appointment again and never appoints twice."""

    class Choice(models.TextChoices):
        SELF = "SELF", _("Hoofdtoegangsbeheerder")
        OTHER = "OTHER", _("Andere persoon")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    requester = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    enterprise = models.ForeignKey(Enterprise, on_delete=models.CASCADE, related_name="+")
    choice = models.CharField(max_length=5, choices=Choice.choices, blank=True)
    htb_insz = models.CharField(_("Rijksregisternummer"), max_length=11, blank=True)
    htb_email = models.EmailField(_("E-mail"), blank=True)
    htb_phone = models.CharField(_("Telefoon"), max_length=30, blank=True)
    requester_email = models.EmailField(_("E-mail"), blank=True)
    requester_phone = models.CharField(_("Telefoon"), max_length=30, blank=True)
    created_at = models.DateTimeField(default=clock.now)
    appointment = models.OneToOneField(
        HtbAppointment, null=True, blank=True, on_delete=models.SET_NULL, related_name="draft"
    )

    class Meta:
        verbose_name = _("aanvraag hoofdtoegangsbeheerder (ontwerp)")
        verbose_name_plural = _("aanvragen hoofdtoegangsbeheerder (ontwerpen)")

    def __str__(self):
        return f"{self.enterprise.name} - {self.requester}"

    @property
    def is_confirmed(self) -> bool:
        return self.appointment_id is not None

    @property
    def is_complete(self) -> bool:
        return bool(self.choice and self.htb_email and self.htb_phone)
