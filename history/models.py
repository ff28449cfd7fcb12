"""What the history pages read besides the audit trail itself.

``EventScope`` says where an audit event belongs (a hoedanigheid, a subafdeling, a user of a
subafdeling, the person it is about), so that the Historiek of each of them is one indexed query.
``Period`` keeps the stored periods of what the chain deletes when it changes (a user removed, a right
withdrawn, a role removed, an authorisation withdrawn) and of a subafdeling's blocks, so that "toestand
op datum D" rebuilds the state at D in the database: a row counts at D when ``started_at <= D`` and it
had not ended yet. Both are written by history.recording in the transaction of the audit event.

Ids of the chain's rows are plain integers, not foreign keys: a period outlives the row it describes.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from accessportal.models import AuditEvent


class EventScope(models.Model):
    event = models.ForeignKey(AuditEvent, on_delete=models.CASCADE, related_name="scopes")
    activation_id = models.BigIntegerField(null=True, blank=True)
    subafdeling_id = models.BigIntegerField(null=True, blank=True)
    user_id = models.BigIntegerField(null=True, blank=True)  # a SubafdelingUser
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        indexes = [
            models.Index(fields=["activation_id", "event"], name="history_scope_activation"),
            models.Index(fields=["subafdeling_id", "event"], name="history_scope_subafdeling"),
            models.Index(fields=["user_id", "event"], name="history_scope_user"),
        ]

    def __str__(self):
        return f"{self.event_id}: {self.activation_id}/{self.subafdeling_id}/{self.user_id}"


class PeriodKind(models.TextChoices):
    USER = "user", "gebruiker"
    RIGHT = "right", "recht"
    ROLE = "role", "rol"
    AUTHORISATION = "authorisation", "autorisatie"
    BLOCKED = "blocked", "geblokkeerd"


class PeriodQuerySet(models.QuerySet):
    def at(self, moment):
        """The periods that held at ``moment``."""
        return self.filter(started_at__lte=moment).filter(Q(ended_at__isnull=True) | Q(ended_at__gt=moment))

    def open(self):
        return self.filter(ended_at__isnull=True)


class Period(models.Model):
    kind = models.CharField(max_length=15, choices=PeriodKind.choices)
    object_id = models.BigIntegerField()  # the user, assignment or subafdeling the period is of
    enterprise_kbo = models.CharField(max_length=10, db_index=True)
    activation_id = models.BigIntegerField(null=True, blank=True)
    subafdeling_id = models.BigIntegerField(null=True, blank=True)
    user_id = models.BigIntegerField(null=True, blank=True)
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    application_code = models.CharField(max_length=40, blank=True)
    data = models.JSONField(default=dict, blank=True)  # a role's name and dates
    started_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)

    objects = PeriodQuerySet.as_manager()

    class Meta:
        indexes = [
            models.Index(fields=["kind", "subafdeling_id", "started_at"], name="history_period_subafdeling"),
            models.Index(fields=["kind", "user_id"], name="history_period_user"),
            models.Index(fields=["kind", "object_id"], name="history_period_object"),
        ]

    def __str__(self):
        return f"{self.kind} {self.object_id} {self.started_at:%Y-%m-%d} - {self.ended_at or ''}"
