"""Structured messages: the portal's own inbox ("Gestructureerde berichten").

Writes (``message_send``, ``message_mark_read``) and the permission-aware reads: a person only
ever sees their own messages; another person's message is "not found" (``message_of`` → None).
"""

from django.db import transaction
from django.db.models import QuerySet

from accessportal import clock
from accessportal.models import StructuredMessage


def message_send(*, recipient, subject: str, body: str, category: str = "") -> StructuredMessage:
    return StructuredMessage.objects.create(
        recipient=recipient, subject=subject, body=body, category=category
    )


@transaction.atomic
def message_mark_read(*, recipient, message_ids) -> int:
    marked = StructuredMessage.objects.filter(
        recipient=recipient, pk__in=message_ids, read_at__isnull=True
    ).update(read_at=clock.now())
    if getattr(recipient, "unread_message_count", None) is not None:
        # The count read with the person at the start of this request (the menu's badge): the page
        # that opens a message shows it already read.
        recipient.unread_message_count = max(0, recipient.unread_message_count - marked)
    return marked


def messages_of(person) -> QuerySet[StructuredMessage]:
    """The person's own messages, newest first (the model's ordering, served by its index)."""
    if person is None or not getattr(person, "pk", None):
        return StructuredMessage.objects.none()
    return StructuredMessage.objects.filter(recipient=person).order_by("-created_at", "-id")


def message_of(person, message_id) -> StructuredMessage | None:
    """One of the person's own messages, or None when it does not exist or is someone else's."""
    try:
        message_id = int(message_id)
    except (TypeError, ValueError):
        return None
    return messages_of(person).filter(pk=message_id).first()
