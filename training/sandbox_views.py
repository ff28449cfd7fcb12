"""A trainee's sandbox (/opleiding/zandbak/): its people ("Van persoon wisselen"), its clock, the guided
scenario and its reset.

Only a person of a sandbox reaches these pages (``request.sandbox``, set by training.middleware, whose
requests run on the sandbox's clock); anybody else gets 404, an anonymous visitor the sign-in page. No
object of another sandbox is ever accepted: a persona id of another sandbox, or of a real person, is 404
and changes nothing.

The manual knows no training mode; where it is silent these pages say plainly that they are a
simulation: switching persons takes no PIN-code (in the real CSAM every person signs in with their own
eID), and the sandbox's clock moves forward only, like a payment provider's test clock. Every action
is a POST followed by a redirect (Post/Redirect/Get) with a message saying what happened.
"""

from functools import wraps
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accessportal.http import add_service_error, flash_refusal, safe_next_url
from accessportal.propagation import next_pending_effect
from training import selectors, services
from training.sandbox_forms import ClockDateForm

STEP = settings.PROPAGATION_DELAY  # "+20 minuten": the propagation delay of the manual (3.6.2)


def sandbox_required(view):
    """Anonymous visitors sign in first; signed-in people outside a sandbox get 404."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if getattr(request, "sandbox", None) is None:
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper


def _back(request) -> str:
    """Where the trainee came from (``next``, inside this site only), to go back after switching."""
    return safe_next_url(request, "")


def _context(request, **extra) -> dict:
    sandbox = request.sandbox
    return {"back": _back(request), "training_now": sandbox.now(), **extra}


# --- Personas --------------------------------------------------------------------------------------


@sandbox_required
@require_safe
def personas(request):
    """ "Van persoon wisselen": the sandbox's people, what they are now, and a "Wisselen" button each."""
    return render(
        request,
        "training/sandbox/personas.html",
        _context(request, personas=selectors.sandbox_personas(request.sandbox, request.user.pk)),
    )


@sandbox_required
@require_POST
def persona_switch(request, person_id):
    """ "Wisselen": continue as another person of the sandbox, without a PIN-code (a simulation). Django
    rotates the session; the sign-in signal keeps the sandbox in it. A person of another sandbox, or a
    real one, is 404 and nothing changes."""
    person = services.persona_switch(actor=request.user, sandbox=request.sandbox, person_id=person_id)
    if person is None:
        raise Http404
    target = _landing(request)
    if person.pk != request.user.pk:
        login(request, person, backend=settings.AUTHENTICATION_BACKENDS[0])
    messages.success(
        request,
        _("Simulatie: u werkt nu verder als %(name)s, zonder PIN-code.") % {"name": person.full_name},
    )
    return redirect(target)


def _landing(request) -> str:
    """Where a switch lands: the page the trainee was on when it is the same for every person (a page
    without an object in its address, e.g. the CSAM home, the portal's welcome page, the HTB
    procedure's start, or a simulated application); a page of one person's capacity (a subafdeling, a
    draft) would be 404 for the next person, so the switch lands on the portal's welcome page then."""
    welcome = reverse("subdivisions:welcome")
    back = safe_next_url(request, "")
    if not back:
        return welcome
    try:
        match = resolve(urlsplit(back).path)
    except Resolver404:
        return welcome
    return back if not match.kwargs or match.url_name in ("application", "application-work") else welcome


def _with_next(url: str, back: str) -> str:
    return f"{url}?{urlencode({'next': back})}" if back else url


# --- The sandbox's clock ---------------------------------------------------------------------------


def _advance(request, action: str, form: ClockDateForm):
    """Move the sandbox's clock as asked; returns the new moment, or None when the form is refused."""
    sandbox = request.sandbox
    if action == "20-minuten":
        return services.world_clock_advance(actor=request.user, world=sandbox, by=STEP)
    if action == "volgende-wijziging":
        return services.world_clock_advance(actor=request.user, world=sandbox, to_next_effect=True)
    if action == "datum" and form.is_valid():
        return services.world_clock_advance(actor=request.user, world=sandbox, to=form.cleaned_data["to"])
    return None


@sandbox_required
@require_http_methods(["GET", "POST"])
def sandbox_clock(request):
    """ "Klok": the sandbox's time, its next pending change, and three ways forward: "+20 minuten",
    "Naar de volgende wijziging", "Naar een datum". Real time and other sandboxes are untouched."""
    sandbox = request.sandbox
    action = request.POST.get("actie", "") if request.method == "POST" else ""
    form = ClockDateForm(request.POST if action == "datum" else None)
    if request.method == "POST":
        here = _with_next(reverse("training:trainee-clock"), _back(request))
        applied_before = selectors.changes_applied(sandbox)
        try:
            moment = _advance(request, action, form)
        except ValidationError as error:
            if action != "datum":
                flash_refusal(request, error)
                return redirect(here)
            add_service_error(form, error)
            moment = None
        if moment is not None:
            applied = selectors.changes_applied(sandbox) - applied_before
            messages.success(request, _clock_message(moment, applied))
            return redirect(here)
        if action != "datum":
            return redirect(here)
    now = sandbox.now()
    return render(
        request,
        "training/sandbox/clock.html",
        _context(
            request,
            form=form,
            now=now,
            ahead=sandbox.ahead_text,
            next_due=next_pending_effect(enterprise_kbo=sandbox.enterprise.kbo),
            pending=selectors.pending_changes(sandbox),
        ),
    )


def _clock_message(moment, applied: int) -> str:
    when = timezone.localtime(moment).strftime("%d-%m-%Y %H:%M")
    if applied == 0:
        effect = _("Er werd geen enkele wachtende wijziging van kracht.")
    else:
        effect = ngettext(
            "%(count)s wachtende wijziging werd van kracht.",
            "%(count)s wachtende wijzigingen werden van kracht.",
            applied,
        ) % {"count": applied}
    return _("De klok van de zandbak staat nu op %(moment)s. %(effect)s") % {"moment": when, "effect": effect}


# --- The scenario and its reset --------------------------------------------------------------------


@sandbox_required
@require_safe
def scenario(request):
    """The scenario's side panel full-width: every step with the manual's text for it."""
    return render(request, "training/sandbox/scenario.html", _context(request))


@sandbox_required
@require_http_methods(["GET", "POST"])
def reset(request):
    """ "Scenario opnieuw beginnen": a confirmation page, then the sandbox back at the scenario's start
    (the trainee's work in CSAM is undone and the clock is back at real time; the people and their
    PIN-code stay)."""
    if request.method == "POST":
        services.sandbox_reset(actor=request.user, sandbox=request.sandbox)
        messages.success(
            request,
            _(
                "De zandbak staat terug aan het begin van het scenario, met de klok op de echte tijd. "
                "De personen en hun PIN-code blijven."
            ),
        )
        return redirect("training:trainee-scenario")
    return render(request, "training/sandbox/reset.html", _context(request))
