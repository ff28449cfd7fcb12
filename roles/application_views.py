"""The simulated applications of the Departement Zorg (eVIPA, E-loket Departement Zorg, BelRAI).

Manual 2.2 ends the procedure with "the user should now be able to sign in to the application": these
pages are that application. Each has its own public page (``/toepassingen/<slug>/``) with its own look,
and a work page (``aan-de-slag/``) that, once the person signed in through CSAM, asks for which facility
they work when they are a user of several, decides with ``roles.access.access_decide`` and shows either
the application's start page or the refusal with the diagnosis of the chain.

The manual says the application itself tells its users which hoedanigheid they need (2.1.2): its public
page, its start page and its refusal name the hoedanigheid, the subdivisie, the right and the roles it
needs (``roles.selectors.application_requirements``, the catalogue the Departement Zorg's page reads);
the start page also says through which of them the person got in. Where the manual is silent, the pages
follow what the real applications do: the facility is chosen by its name and HCO number, the start page
names the facility and the roles in effect, a refusal says what is missing and who can fix it.
Every decision is audited ("application.sign_in" or "application.refused") for the trainers' dashboards.
"""

from datetime import timedelta

from django import forms
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe

from accessportal import clock
from accessportal.audit import audit_record
from roles.access import ALLOWED, Decision, access_decide, facilities_of, unregistered_decision
from roles.models import SimulatedApplication
from roles.selectors import application_requirements

# The applications with a look of their own (static/css/applications.css); any other one a trainer adds
# in the admin gets the plain look.
LOOKS = ("evipa", "eloket", "belrai")
# How many days ago the example rows of the start pages last changed, so they always look recent.
RECENT_DAYS = (3, 12, 27, 58, 140)


class FacilityChoiceForm(forms.Form):
    """ "Voor welke voorziening wenst u te werken?": one radio button per facility of the person."""

    hco = forms.ChoiceField(
        label=gettext_lazy("Voor welke voorziening wenst u te werken?"),
        widget=forms.RadioSelect,
        error_messages={
            "required": gettext_lazy("Kies de voorziening waarvoor u wenst te werken."),
            "invalid_choice": gettext_lazy(
                "U bent niet als gebruiker geregistreerd voor die voorziening. "
                "Kies een van de voorzieningen hieronder."
            ),
        },
    )

    def __init__(self, *args, facilities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["hco"].choices = [
            (
                facility.hco_number,
                _("%(name)s (HCO-nummer %(hco)s)") % {"name": facility.name, "hco": facility.hco_number},
            )
            for facility in facilities
        ]


def _application(slug: str) -> SimulatedApplication:
    return get_object_or_404(
        SimulatedApplication.objects.select_related("application").prefetch_related("roles"), slug=slug
    )


def _context(app: SimulatedApplication, **extra) -> dict:
    return {
        "app": app,
        "look": app.slug if app.slug in LOOKS else "plain",
        "needs": application_requirements(app),
        **extra,
    }


@require_safe
def home(request, slug):
    """The application's public page with its "Aanmelden" button."""
    app = _application(slug)
    return render(request, "applications/home.html", _context(app))


def _audit_attempt(person, app: SimulatedApplication, facility, decision: Decision) -> None:
    """One audit event per sign-in attempt, in its own transaction: the trainers' dashboards read them."""
    broken = decision.broken
    with transaction.atomic():
        audit_record(
            actor=person,
            action="application.sign_in" if decision.status == ALLOWED else "application.refused",
            target=app,
            enterprise_kbo=facility.enterprise.kbo if facility is not None else "",
            after={
                "hco": facility.hco_number if facility is not None else None,
                "status": decision.status,
                "broken": broken.key if broken is not None else None,
            },
        )


@login_required
@require_safe
def work(request, slug):
    """Sign in to the application: choose the facility (when several), then the access decision."""
    app = _application(slug)
    person = request.user
    facilities = list(facilities_of(person).select_related("enterprise"))
    if not facilities:
        decision = unregistered_decision(person=person, app=app)
        _audit_attempt(person, app, None, decision)
        return _refusal(request, app, decision, facility=None, several=False)
    several = len(facilities) > 1
    if "hco" in request.GET or "verder" in request.GET or several:
        form = FacilityChoiceForm(
            request.GET if ("hco" in request.GET or "verder" in request.GET) else None,
            facilities=facilities,
        )
        if not form.is_valid():
            return render(request, "applications/choice.html", _context(app, form=form))
        facility = next(f for f in facilities if f.hco_number == form.cleaned_data["hco"])
    else:
        facility = facilities[0]
    if "op" in request.GET:
        return _as_of(request, app, person, facility, several)
    decision = access_decide(person=person, app=app, hco=facility.hco_number, facility=facility)
    _audit_attempt(person, app, facility, decision)
    if decision.status != ALLOWED:
        return _refusal(request, app, decision, facility=facility, several=several)
    return render(
        request,
        "applications/start.html",
        _context(
            app,
            decision=decision,
            facility=facility,
            several=several,
            uses_roles=any(link.key == "role" for link in decision.links),
            recent=[clock.today() - timedelta(days=days) for days in RECENT_DAYS],
        ),
    )


def _as_of(request, app, person, facility, several: bool):
    """The decision as of a moment (``?op=``), from history's stored periods: what the refusal would
    have said then. Read-only: no sign-in, nothing recorded."""
    from history.state import PastChainState
    from history.views import MomentForm

    form = MomentForm(request.GET)
    decision = moment = None
    if form.is_valid() and form.cleaned_data["op"]:
        moment = form.cleaned_data["op"]
        decision = access_decide(
            person=person, app=app, hco=facility.hco_number, facility=facility, state=PastChainState(moment)
        )
    elif form.is_valid():
        form.add_error("op", _("Geef een datum als jjjj-mm-dd, bijvoorbeeld 2024-03-01."))
    return render(
        request,
        "applications/refused.html",
        _context(app, decision=decision, facility=facility, several=several, moment=moment, past_form=form),
        status=200 if decision is not None else 400,
    )


def _refusal(request, app, decision: Decision, *, facility, several: bool):
    """ "U hebt geen toegang tot …" or "… nog niet van kracht", with the diagnosis; 403 Forbidden."""
    return render(
        request,
        "applications/refused.html",
        _context(app, decision=decision, facility=facility, several=several),
        status=403,
    )
