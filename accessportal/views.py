from django.conf import settings
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from accessportal.forms import SearchForm
from accessportal.manual import manual_search, manual_sections
from accessportal.models import OutboxMail

# The pages the manual sends people to outside CSAM and the portal, each a short page of the simulation
# that says what the real one is for (templates/accessportal/elsewhere/<slug>.html).
ELSEWHERE = [
    "mijn-egov-rollenbeheer",  # manual 3.2.2, "Hoofdtoegangsbeheerder aangesteld!"
    "gebruikersbeheer-vlaamse-overheid",  # idem
    "contactcenter-sociale-zekerheid",  # manual 3.2.2, "Als u zelf al HTB bent"
    "handleiding-rsz",  # manual 1.3, the BTB manual of the RSZ
]


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
def csam_about(request):
    """CSAM's "WAT IS CSAM?" (manual 3.1): identification, authentication, authorisation and mandates;
    the services FAS, BTB and SSM."""
    return render(request, "csam/about.html")


@require_safe
def csam_contact(request):
    """CSAM's "CONTACT": where the manual sends questions (3.2.2: the contact center of the social
    security; 5.1.1: the eHealth contact center and its web form; 5.1.2: feedback on the manual). The
    manual does not show the real page; this one gathers what it says."""
    return render(request, "csam/contact.html")


@require_safe
def elsewhere(request, slug):
    """A place the manual sends people to outside CSAM and the portal (see ELSEWHERE)."""
    return render(request, f"accessportal/elsewhere/{slug}.html", {"slug": slug})


@require_safe
def manual_help(request):
    """Help: the manual as a document (accessportal.manual), its contents beside it and a search within
    it (``?zoek=``, server-side: the matching sections are listed first, the words marked); every
    portal page links to the section it follows (``#h-3-6-1``)."""
    form = SearchForm(request.GET or None, label=_("Zoeken in de handleiding"))
    hits = manual_search(form.cleaned_data["zoek"]) if form.is_valid() else None
    return render(
        request,
        "accessportal/help.html",
        {"sections": manual_sections(), "form": form, "hits": hits, "help_section": "h-1"},
    )


@require_safe
def healthz(request):
    """A liveness probe and the floor of ``make bench``: the smallest Django view on the same stack
    (every middleware runs), answering plain "ok" without touching the database."""
    return HttpResponse("ok", content_type="text/plain; charset=utf-8")
