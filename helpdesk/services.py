"""The helpdesk's writes: a question sent through the contact center's web form becomes a ticket with
a ticket number, mailed to the sender (manual 5.1.1: "omdat u op die manier een ticketnummer krijgt
waar u in communicatie naar kan verwijzen"); a trainer answers it, and the answer is mailed too."""

import uuid

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from accessportal import clock
from accessportal.audit import audit_record, audit_snapshot
from accessportal.mail_addresses import is_plain_mail_address
from accessportal.outbox import mail_enqueue_template
from accessportal.services import ServiceError
from accessportal.validators import phone_clean
from helpdesk.attachments import attachment_check
from helpdesk.models import Ticket, TicketAnswer
from training.services import is_trainer

TEXT_MAX = 5000
AUDITED = ["number", "subject", "reference", "status", "attachment_type", "attachment_size"]


def ticket_number(ticket: Ticket) -> str:
    """EH-2026-000042: the year it came in and its sequence number."""
    return f"EH-{ticket.created_at:%Y}-{ticket.pk:06d}"


def _required(value: str, field: str, message, limit: int) -> str:
    value = (value or "").strip()
    if not value:
        raise ServiceError(message, field=field, code="required")
    if len(value) > limit:
        raise ServiceError(
            _("Dit veld telt ten hoogste %(max)s tekens.") % {"max": limit}, field=field, code="too_long"
        )
    return value


@transaction.atomic
def ticket_create(
    *,
    sender,
    last_name: str,
    first_name: str,
    phone: str,
    email: str,
    subject: str,
    message: str,
    reference: str = "",
    attachment=None,
    language: str = "nl",
) -> Ticket:
    """Register a question of the web form (Figuur 3) and mail its ticket number to the sender."""
    last_name = _required(last_name, "last_name", _("Geef uw naam in."), 100)
    first_name = _required(first_name, "first_name", _("Geef uw voornaam in."), 100)
    phone = phone_clean(phone)
    if not phone:
        raise ServiceError(_("Geef uw telefoon- of gsm-nummer in."), field="phone", code="required")
    email = (email or "").strip()
    if not is_plain_mail_address(email):
        raise ServiceError(_("Geef een geldig e-mailadres in."), field="email", code="invalid")
    subject = _required(subject, "subject", _("Geef het onderwerp van uw vraag in."), 200)
    message = _required(message, "message", _("Schrijf uw bericht."), TEXT_MAX)
    reference = " ".join((reference or "").split())[:32]
    kind = attachment_check(attachment) if attachment else None

    ticket = Ticket.objects.create(
        number=uuid.uuid4().hex,  # replaced by the real number once the row has its id
        sender=sender if getattr(sender, "pk", None) else None,
        language=language,
        last_name=last_name,
        first_name=first_name,
        phone=phone,
        email=email,
        subject=subject,
        reference=reference,
        message=message,
    )
    ticket.number = ticket_number(ticket)
    if kind is not None:
        ticket.attachment.save("bijlage", attachment, save=False)
        ticket.attachment_name = (attachment.name or "")[:200]
        ticket.attachment_type = kind.content_type
        ticket.attachment_size = kind.size
    try:
        ticket.save()
        audit_record(
            actor=sender,
            action="helpdesk.ticket_create",
            target=ticket,
            after=audit_snapshot(ticket, AUDITED),
        )
        mail_enqueue_template(
            to=ticket.email,
            template="helpdesk_ticket_received",
            context={"ticket": ticket},
            language=language,
            person=ticket.sender,
        )
    except Exception:
        if ticket.attachment:
            ticket.attachment.delete(save=False)
        raise
    return ticket


@transaction.atomic
def ticket_answer(*, actor, ticket: Ticket, body: str) -> TicketAnswer:
    """A trainer answers a ticket: the answer is kept on the ticket and mailed to the sender."""
    if not is_trainer(actor):
        raise ServiceError(_("Alleen een opleider kan een vraag beantwoorden."), code="not_a_trainer")
    body = _required(body, "body", _("Schrijf uw antwoord."), TEXT_MAX)
    ticket = Ticket.objects.select_for_update().get(pk=ticket.pk)
    before = audit_snapshot(ticket, AUDITED)
    answer = TicketAnswer.objects.create(ticket=ticket, author=actor, body=body, created_at=clock.now())
    ticket.status = Ticket.Status.ANSWERED
    ticket.save(update_fields=["status"])
    audit_record(
        actor=actor,
        action="helpdesk.ticket_answer",
        target=ticket,
        before=before,
        after={**audit_snapshot(ticket, AUDITED), "answer": answer.pk},
    )
    mail_enqueue_template(
        to=ticket.email,
        template="helpdesk_ticket_answered",
        context={"ticket": ticket, "answer": answer},
        language=ticket.language,
        person=ticket.sender,
    )
    return answer
