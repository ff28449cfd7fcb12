"""The questions sent through the eHealth contact center's web form (manual 5.1.1, figure 3) and the
answers of the simulation's helpdesk (the trainers)."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from accessportal import clock


def attachment_path(_ticket, _filename) -> str:
    """A random name without the sender's file name or extension, under MEDIA_ROOT, which no URL
    serves: an attachment leaves only through the trainers' download view."""
    return f"helpdesk/{uuid.uuid4().hex}"


class Ticket(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        ANSWERED = "beantwoord", _("Beantwoord")

    number = models.CharField(_("Ticketnummer"), max_length=32, unique=True)
    created_at = models.DateTimeField(_("Ontvangen op"), default=clock.now, db_index=True)
    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    language = models.CharField(max_length=5, default="nl")
    last_name = models.CharField(_("Naam"), max_length=100)
    first_name = models.CharField(_("Voornaam"), max_length=100)
    phone = models.CharField(_("Tel nr of gsm"), max_length=30)
    email = models.EmailField(_("e-mail"))
    subject = models.CharField(_("Onderwerp"), max_length=200)
    reference = models.CharField(_("Ticketnummer van een eerdere vraag"), max_length=32, blank=True)
    message = models.TextField(_("Uw bericht"))
    attachment = models.FileField(_("Bijlage"), upload_to=attachment_path, blank=True, max_length=100)
    attachment_name = models.CharField(_("Naam van de bijlage"), max_length=200, blank=True)
    attachment_type = models.CharField(_("Soort bijlage"), max_length=40, blank=True)
    attachment_size = models.PositiveIntegerField(_("Grootte van de bijlage"), null=True, blank=True)
    status = models.CharField(_("Status"), max_length=12, choices=Status.choices, default=Status.OPEN)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("ticket")
        verbose_name_plural = _("tickets")
        indexes = [models.Index(fields=["status", "created_at"])]

    def __str__(self):
        return f"{self.number}: {self.subject}"

    @property
    def sender_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


class TicketAnswer(models.Model):
    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="answers")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    body = models.TextField(_("Antwoord"))
    created_at = models.DateTimeField(_("Verstuurd op"), default=clock.now)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("antwoord")
        verbose_name_plural = _("antwoorden")

    def __str__(self):
        return f"{self.ticket.number} {self.created_at:%d/%m/%Y %H:%M}"
