"""The eHealth contact center of the simulation (manual 5.1.1): its web form, open to everyone as the
real one is, and the helpdesk's pages for trainers (/opleiding/helpdesk/), who see every ticket, answer
it (the answer is mailed to the sender and shown on the ticket) and download its attachment.

The manual shows the form (figure 3) but not what follows; the confirmation page, the mails and the
trainers' pages follow the portal's conventions (Post/Redirect/Get, errors next to the field).
An attachment is never shown inline: it is downloaded as an attachment, with nosniff, by trainers only.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from accessportal.http import add_service_error, get_or_404
from accessportal.services import ServiceError
from helpdesk import selectors, services
from helpdesk.attachments import ALLOWED
from helpdesk.forms import AnswerForm, ContactForm
from helpdesk.models import Ticket
from training.services import is_trainer

SENT_KEY = "helpdesk_sent_ticket"
HOURLY_LIMIT = 10
PAGE_SIZE = 20


def _throttled(request) -> bool:
    """More than HOURLY_LIMIT tickets an hour from one session are refused. Counted per session, not
    per address: a classroom shares one address."""
    key = f"helpdesk.sent.{request.session.session_key or request.META.get('REMOTE_ADDR', '')}"
    cache.add(key, 0, timeout=3600)
    try:
        return cache.incr(key) > HOURLY_LIMIT
    except ValueError:
        return False


def _initial(user) -> dict:
    if not user.is_authenticated:
        return {}
    return {
        "last_name": user.last_name,
        "first_name": user.first_name,
        "email": user.email,
        "phone": getattr(user, "phone", ""),
    }


@require_http_methods(["GET", "HEAD", "POST"])
def contact(request):
    """ "Neem contact op met de openbare instelling eHealth-platform": the web form of figure 3."""
    if request.method == "POST":
        form = ContactForm(request.POST, request.FILES)
        if form.is_valid():
            if not request.session.session_key:
                request.session.save()
            if _throttled(request):
                form.add_error(
                    None,
                    _(
                        "U hebt het afgelopen uur al veel vragen verstuurd. Probeer het later opnieuw of "
                        "bel het contactcenter."
                    ),
                )
            else:
                try:
                    ticket = services.ticket_create(
                        sender=request.user,
                        language=get_language() or "nl",
                        **form.cleaned_data,
                    )
                except ServiceError as error:
                    add_service_error(form, error)
                else:
                    request.session[SENT_KEY] = ticket.number
                    return redirect("helpdesk:sent")
    else:
        form = ContactForm(initial=_initial(request.user))
    return render(request, "helpdesk/contact.html", {"form": form})


@require_safe
def sent(request):
    """The confirmation with the ticket number, once, for the sender who just sent the form."""
    number = request.session.get(SENT_KEY)
    ticket = Ticket.objects.filter(number=number).first() if number else None
    if ticket is None:
        return redirect("helpdesk:contact")
    return render(request, "helpdesk/sent.html", {"ticket": ticket})


# --- The helpdesk of the simulation: trainers only -------------------------------------------------


@login_required
@require_safe
def tickets(request):
    if not is_trainer(request.user):
        raise Http404
    status = request.GET.get("status", "")
    page = Paginator(selectors.tickets_for(request.user, status=status), PAGE_SIZE).get_page(
        request.GET.get("pagina")
    )
    template = "helpdesk/tickets.html"
    if request.htmx:
        template += "#results"
    return render(request, template, {"page": page, "status": status, "statuses": Ticket.Status.choices})


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def ticket(request, number):
    found = get_or_404(selectors.ticket_for, request.user, number)
    if request.method == "POST":
        form = AnswerForm(request.POST)
        if form.is_valid():
            try:
                services.ticket_answer(actor=request.user, ticket=found, body=form.cleaned_data["body"])
            except ServiceError as error:
                add_service_error(form, error)
            else:
                messages.success(
                    request, _("Uw antwoord is verstuurd naar %(email)s.") % {"email": found.email}
                )
                return redirect("helpdesk:ticket", number=found.number)
    else:
        form = AnswerForm()
    return render(
        request,
        "helpdesk/ticket.html",
        {
            "ticket": found,
            "answers": found.answers.select_related("author"),
            "earlier": selectors.earlier_ticket(found),
            "form": form,
        },
    )


@login_required
@require_safe
def attachment(request, number):
    """The attachment, downloaded, never shown inline: Content-Disposition attachment, nosniff, the
    content type found by sniffing and a name of our own."""
    found = get_or_404(selectors.ticket_for, request.user, number)
    if not found.attachment or found.attachment_type not in ALLOWED:
        raise Http404
    try:
        handle = found.attachment.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    extension = ALLOWED[found.attachment_type][1]
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=f"{found.number}-bijlage.{extension}",
        content_type=found.attachment_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
