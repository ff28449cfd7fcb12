"""The mail outbox: mails are rows first, written in the transaction of the change.

``mail_enqueue`` asks Celery to relay the row once the transaction commits; if the broker is down
or loses the message, the periodic sweep sends it anyway. ``mail_deliver`` locks the row, hands the
mail to Django's mail backend and marks it sent in one transaction: exactly once per row.
"""

import logging

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation

from accessportal import clock
from accessportal.models import OutboxMail

logger = logging.getLogger(__name__)


def _schedule_relay(mail_id) -> None:
    from accessportal.tasks import relay_mail

    try:
        relay_mail.delay(str(mail_id))
    except Exception:  # the broker is down: the sweep will send it
        logger.warning("Could not hand mail %s to the broker; the outbox sweep will send it.", mail_id)


def mail_enqueue(*, to: str, subject: str, body: str, language: str = "nl", person=None) -> OutboxMail:
    mail = OutboxMail.objects.create(
        recipient=to, subject=subject, body=body, language=language, person=person
    )
    transaction.on_commit(lambda: _schedule_relay(mail.pk))
    return mail


def mail_enqueue_template(*, to: str, template: str, context: dict, language: str = "nl", person=None):
    """Render ``mails/<template>_subject.txt`` and ``mails/<template>.txt`` in the recipient's
    language and put the result in the outbox."""
    with translation.override(language):
        subject = " ".join(render_to_string(f"mails/{template}_subject.txt", context).split())
        body = render_to_string(f"mails/{template}.txt", context).strip() + "\n"
    return mail_enqueue(to=to, subject=subject, body=body, language=language, person=person)


def mail_deliver(*, mail_id) -> bool:
    """Send one outbox mail if nobody sent it yet. Returns whether this call sent it."""
    with transaction.atomic():
        mail = (
            OutboxMail.objects.select_for_update(skip_locked=True)
            .filter(pk=mail_id, sent_at__isnull=True)
            .first()
        )
        if mail is None:
            return False
        mail.attempts += 1
        message = EmailMessage(
            subject=mail.subject,
            body=mail.body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[mail.recipient],
            headers={"Message-ID": mail.message_id},
        )
        try:
            message.send()
        except Exception as error:
            mail.last_error = f"{type(error).__name__}: {error}"[:2000]
            mail.save(update_fields=["attempts", "last_error"])
            logger.warning("Mail %s could not be sent: %s", mail.pk, mail.last_error)
            return False
        mail.sent_at = clock.now()
        mail.last_error = ""
        mail.save(update_fields=["attempts", "sent_at", "last_error"])
        return True


def outbox_sweep(*, limit: int = 500) -> int:
    """Send the mails the broker lost: unsent rows older than OUTBOX_RETRY_AFTER."""
    cutoff = clock.now() - settings.OUTBOX_RETRY_AFTER
    pending = list(
        OutboxMail.objects.filter(sent_at__isnull=True, created_at__lte=cutoff)
        .order_by("created_at")
        .values_list("pk", flat=True)[:limit]
    )
    return sum(1 for mail_id in pending if mail_deliver(mail_id=mail_id))
