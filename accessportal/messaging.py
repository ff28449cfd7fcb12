"""Structured messages: the portal's own inbox ("Gestructureerde berichten")."""

from django.db import transaction

from accessportal import clock
from accessportal.models import StructuredMessage


def message_send(*, recipient, subject: str, body: str, category: str = "") -> StructuredMessage:
    return StructuredMessage.objects.create(
        recipient=recipient, subject=subject, body=body, category=category
    )


@transaction.atomic
def message_mark_read(*, recipient, message_ids) -> int:
    return StructuredMessage.objects.filter(
        recipient=recipient, pk__in=message_ids, read_at__isnull=True
    ).update(read_at=clock.now())
