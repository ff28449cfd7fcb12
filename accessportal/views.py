from django.conf import settings
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_safe

from accessportal.manual import manual_sections
from accessportal.models import OutboxMail


@require_safe
def csam_home(request):
    """CSAM's public home page (manual 3.2.2) with its three services."""
    return render(
        request,
        "accessportal/csam_home.html",
        {
            "digital_keys_url": reverse("identity:digital-keys"),
            "btb_url": reverse("administrators:btb"),
            "mandates_url": reverse("enterprises:mandates"),
        },
    )


@require_safe
def mailbox(request):
    """The demo mailbox: every mail the portal sent, as it would arrive (demo mode only)."""
    if not settings.DEMO_MODE:
        raise Http404
    mails = OutboxMail.objects.order_by("-created_at")
    recipient = request.GET.get("aan", "").strip()
    if recipient:
        mails = mails.filter(recipient__iexact=recipient)
    page = Paginator(mails, 20).get_page(request.GET.get("pagina"))
    return render(
        request,
        "accessportal/mailbox.html",
        {"page": page, "recipient": recipient, "from_email": settings.DEFAULT_FROM_EMAIL},
    )


@require_safe
def manual_help(request):
    """Help: the manual, section by section; each portal page links to the section it follows."""
    return render(request, "accessportal/help.html", {"sections": manual_sections()})


@require_safe
def healthz(request):
    """A liveness probe and the floor of ``make bench``: the smallest Django view on the same stack
    (every middleware runs), answering plain "ok" without touching the database."""
    return HttpResponse("ok", content_type="text/plain; charset=utf-8")
