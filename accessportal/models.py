import uuid

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils.translation import gettext_lazy as _

from accessportal import clock


class AuditEvent(models.Model):
    """One row per service call: who did what, on what, when, with the state before and after."""

    occurred_at = models.DateTimeField(default=clock.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(max_length=80, db_index=True)
    target_type = models.CharField(max_length=80, blank=True)
    target_id = models.CharField(max_length=64, blank=True)
    target_repr = models.CharField(max_length=300, blank=True)
    enterprise_kbo = models.CharField(max_length=10, blank=True, db_index=True)
    before = models.JSONField(null=True, blank=True, encoder=DjangoJSONEncoder)
    after = models.JSONField(null=True, blank=True, encoder=DjangoJSONEncoder)

    class Meta:
        ordering = ["-occurred_at", "-id"]
        verbose_name = _("auditgebeurtenis")
        verbose_name_plural = _("audittrail")
        indexes = [models.Index(fields=["target_type", "target_id"])]

    def __str__(self):
        return f"{self.occurred_at:%d/%m/%Y %H:%M} {self.action} {self.target_repr}"


def _new_message_id() -> str:
    return f"<{uuid.uuid4().hex}@{settings.MAIL_DOMAIN}>"


class OutboxMail(models.Model):
    """A mail written in the transaction of the change that caused it; Celery delivers it.

    ``sent_at`` is set in the same transaction that hands the mail to the mail backend while the
    row is locked, so two workers never send one row twice. The Message-ID makes a duplicate
    detectable should a crash fall between the hand-over and the commit.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    message_id = models.CharField(max_length=200, unique=True, default=_new_message_id, editable=False)
    recipient = models.EmailField(_("ontvanger"))
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    language = models.CharField(max_length=5, default="nl")
    subject = models.CharField(max_length=250)
    body = models.TextField()
    created_at = models.DateTimeField(default=clock.now, db_index=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("uitgaande mail")
        verbose_name_plural = _("uitgaande mails")
        indexes = [
            models.Index(
                fields=["created_at"], condition=models.Q(sent_at__isnull=True), name="outbox_mail_unsent"
            )
        ]

    def __str__(self):
        return f"{self.recipient}: {self.subject}"

    @property
    def is_sent(self) -> bool:
        return self.sent_at is not None


class StructuredMessage(models.Model):
    """A message in the person's "Gestructureerde berichten" inbox of the portal."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="structured_messages"
    )
    category = models.CharField(max_length=40, blank=True)
    subject = models.CharField(max_length=250)
    body = models.TextField()
    created_at = models.DateTimeField(default=clock.now)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("gestructureerd bericht")
        verbose_name_plural = _("gestructureerde berichten")
        indexes = [models.Index(fields=["recipient", "read_at"])]

    def __str__(self):
        return self.subject


class Propagation(models.Model):
    """A saved change to a role that the applications only see after the propagation
    delay (manual 3.6.2: "binnen maximum 20 minuten van kracht").

    The row names its target by model label and id (this app imports no other), carries the values
    the target's *effective* fields take when it is applied, or ``delete``, and optionally a notice
    (mail + structured message) to send at that moment. ``accessportal.propagation`` applies it
    exactly once, never before ``due_at``.
    """

    target_model = models.CharField(max_length=80)
    target_id = models.BigIntegerField()
    target_repr = models.CharField(max_length=300, blank=True)
    # The enterprise the change belongs to: a training sandbox applies its own on its own clock.
    enterprise_kbo = models.CharField(max_length=10, blank=True, db_index=True)
    values = models.JSONField(default=dict, blank=True, encoder=DjangoJSONEncoder)
    delete = models.BooleanField(default=False)
    notify = models.JSONField(null=True, blank=True, encoder=DjangoJSONEncoder)
    created_at = models.DateTimeField(default=clock.now)
    due_at = models.DateTimeField()
    applied_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due_at", "id"]
        verbose_name = _("propagatie")
        verbose_name_plural = _("propagaties")
        indexes = [
            models.Index(
                fields=["due_at"],
                condition=models.Q(applied_at__isnull=True, cancelled_at__isnull=True),
                name="propagation_pending_due",
            ),
            models.Index(fields=["target_model", "target_id"], name="propagation_target"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(applied_at__isnull=True) | models.Q(cancelled_at__isnull=True),
                name="propagation_applied_or_cancelled",
            ),
        ]

    def __str__(self):
        return f"{self.target_repr or self.target_model} @ {self.due_at:%Y-%m-%d %H:%M}"
