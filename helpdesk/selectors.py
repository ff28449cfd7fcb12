"""The helpdesk's reads: trainers see every ticket of the simulation's contact center; nobody else
sees any (their pages answer 404)."""

from django.db.models import Count, QuerySet

from helpdesk.models import Ticket
from training.services import is_trainer


def tickets_for(person, *, status: str = "") -> QuerySet[Ticket]:
    if not is_trainer(person):
        return Ticket.objects.none()
    tickets = Ticket.objects.annotate(answer_count=Count("answers"))
    if status in Ticket.Status.values:
        tickets = tickets.filter(status=status)
    return tickets.order_by("-created_at", "-id")


def ticket_for(person, number: str) -> Ticket | None:
    if not is_trainer(person):
        return None
    return Ticket.objects.filter(number=number).select_related("sender").first()


def earlier_ticket(ticket: Ticket) -> Ticket | None:
    """The ticket whose number the sender gave as "Ticketnummer", if it exists."""
    if not ticket.reference:
        return None
    return Ticket.objects.filter(number__iexact=ticket.reference).exclude(pk=ticket.pk).first()
