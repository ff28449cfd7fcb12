"""The subafdelingen of a hoedanigheid and of each subafdeling (manual 3.5.1, chapter 4 steps 2-9).

"Gebruikers - Subafdelingen", tab "Subafdelingen": the criteria (Naam, Identificatie, Type), the
list (20 per page, paginated in the database), the radio per row with "De subafdeling blokkeren" /
"De subafdeling deblokkeren" and "Uitvoeren", and "Een subafdeling toevoegen" (the subdivisie) with
"Volgende". Whoever manages the hoedanigheid (HTB, co-HTB, its LB and co-LBs) sees and uses it;
anyone else, a subafdelingsbeheerder included, gets 404.

"Een subafdeling toevoegen van het type TYPE" has one URL per step (the facility; its e-mail and
subafdelingsbeheerder; its applications; the overview) and follows Post/Redirect/Get. The answers
stay in the session; the URL carries only a signed reference to them (``?aanvraag=``), as on
"Beheer van de gebruikers". "Bevestigen" hands them to ``subafdeling_activate``, which checks
everything again; a second "Bevestigen" is refused by the service (the duplicate) and its message is
shown on the list.

The subafdeling's own pages ("Beheer van de status van de subafdeling", "De details van de
subafdeling raadplegen") are open to its subafdelingsbeheerder and to whoever manages the
hoedanigheid above it; only the latter blocks, unblocks or changes the authorised applications.
Removing an authorisation first lists the rights and roles that go with it.

Where the manual is silent (the messages after adding, blocking or unblocking, the confirmation of
a removed authorisation, the need for at least one application when adding: the screen's guidance,
not a rule of the service, see docs/ARCHITECTURE.md) this module builds what the real portal's users
would expect.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accessportal.drafts import SessionDrafts, SignedSelections
from accessportal.http import CountedPaginator, flash_outcome, get_or_404, get_rw_or_404
from accessportal.prepared import preparing
from administrators.models import HoedanigheidActivation
from administrators.permissions import NOT_ACTIVATION_MANAGER, activation_managed_by
from administrators.selectors import address_held_for
from enterprises.models import Application, FacilityListing, SubdivisionType
from enterprises.selectors import person_for_enterprise
from identity.models import Person
from subdivisions import permissions, selectors, services
from subdivisions.forms import (
    PAGE_SIZE,
    AddStartForm,
    ApplicationsForm,
    FacilityForm,
    Management,
    OwnStatusForm,
    StatusActionForm,
    SubafdelingDetailsForm,
    SubafdelingFilterForm,
)
from subdivisions.models import Subafdeling

AUTHORISATIONS = SignedSelections(salt="subdivisions.authorisations")
ADD_DRAFTS = SessionDrafts("subdivisions.add.drafts", salt="subdivisions.add")
ACTION_PREFIX = "status"


# --- Helpers ----------------------------------------------------------------------------------


def _activation(request, hoedanigheid_id) -> HoedanigheidActivation:
    return get_or_404(activation_managed_by, request.user, hoedanigheid_id)


def _context(activation: HoedanigheidActivation, **extra) -> dict:
    return {
        "enterprise": activation.enterprise,
        "activation": activation,
        "manages_hoedanigheid": True,
        "help_section": "h-3-5-1",
        **extra,
    }


def _to_list(activation: HoedanigheidActivation):
    return redirect("subdivisions:list", hoedanigheid_id=activation.pk)


def _step_url(name: str, activation: HoedanigheidActivation, **query) -> str:
    return f"{reverse(name, kwargs={'hoedanigheid_id': activation.pk})}?{urlencode(query)}"


def _expired(request, activation: HoedanigheidActivation):
    messages.error(request, _("Deze aanvraag is verlopen of ongeldig. Begin opnieuw."))
    return _to_list(activation)


def _load_addition(request, activation: HoedanigheidActivation) -> tuple[str, dict, FacilityListing] | None:
    """The answers of the addition ``?aanvraag=`` refers to, with that reference and the facility."""
    token = request.GET.get("aanvraag", "")
    draft = ADD_DRAFTS.load(request, token, activation.pk)
    if draft is None:
        return None
    listing = (
        FacilityListing.objects.filter(
            pk=draft["listing"],
            subdivision_type_id=draft["type"],
            facility__enterprise_id=activation.enterprise_id,
        )
        .select_related("facility", "subdivision_type")
        .first()
    )
    if listing is None:
        return None
    return token, draft, listing


def _add_context(activation, listing: FacilityListing, token: str, **extra) -> dict:
    return _context(
        activation,
        listing=listing,
        subdivision_type=listing.subdivision_type,
        token=token,
        help_section="h-4",
        **extra,
    )


def _offered(activation: HoedanigheidActivation):
    return activation.hoedanigheid.applications.order_by("sort_order", "name")


# --- The list ---------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "HEAD"])
@preparing()
def subafdeling_list(request, hoedanigheid_id):
    """ "Gebruikers - Subafdelingen", tab "Subafdelingen" (chapter 4 steps 3, 4 and 9)."""
    activation = _activation(request, hoedanigheid_id)
    types = selectors.subdivision_types_of(activation)
    criteria = SubafdelingFilterForm(request.GET, types=types)
    criteria.is_valid()
    # the page's ids as the criteria choose them (subafdeling_ids), counted with it (sorted on their
    # type's name, the rows are all read anyway); its rows written out (subafdelingen_listed)
    ids = selectors.subafdeling_ids(activation, criteria.filters())
    page = CountedPaginator(ids, PAGE_SIZE).get_page(request.GET.get("pagina"))
    context = _context(
        activation,
        criteria=criteria,
        page=page,
        listed=selectors.subafdelingen_listed(activation, [row.pk for row in page.object_list]),
        action=StatusActionForm(prefix=ACTION_PREFIX, queryset=Subafdeling.objects.none()),
        start=AddStartForm(auto_id="toevoegen_%s", types=types),
    )
    template = "subdivisions/subafdelingen.html"
    if request.htmx:
        template += "#results"
    return render(request, template, context)


@login_required
@require_POST
def subafdeling_list_status(request, hoedanigheid_id):
    """The radio per row, "De subafdeling blokkeren" / "De subafdeling deblokkeren", "Uitvoeren"."""
    activation = _activation(request, hoedanigheid_id)
    form = StatusActionForm(
        request.POST, prefix=ACTION_PREFIX, queryset=Subafdeling.objects.filter(activation=activation)
    )
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return _to_list(activation)
    _status_change(request, form.cleaned_data["subafdeling"], form.cleaned_data["actie"])
    return _to_list(activation)


def _status_change(request, subafdeling: Subafdeling, action: str) -> None:
    if action == StatusActionForm.BLOCK:
        change, text = services.subafdeling_block, _("De subafdeling %(name)s werd geblokkeerd.")
    else:
        change, text = services.subafdeling_unblock, _("De subafdeling %(name)s werd gedeblokkeerd.")
    flash_outcome(
        request, change, text % {"name": subafdeling.name}, actor=request.user, subafdeling=subafdeling
    )


# --- Een subafdeling toevoegen ----------------------------------------------------------------


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def subafdeling_add(request, hoedanigheid_id):
    """Step 5: the enterprise's CoBRHA facilities of the chosen type that are not yet a subafdeling
    of that type in this hoedanigheid; "Volgende"."""
    activation = _activation(request, hoedanigheid_id)
    start = AddStartForm(request.GET, types=selectors.subdivision_types_of(activation))
    if not start.is_valid():
        messages.error(request, _("Kies het type van de subafdeling die u wilt toevoegen."))
        return _to_list(activation)
    subdivision_type: SubdivisionType = start.cleaned_data["type"]
    listings = selectors.facilities_to_activate(activation, subdivision_type)
    form = FacilityForm(request.POST if request.method == "POST" else None, listings=listings)
    if request.method == "POST" and form.is_valid():
        listing = form.cleaned_data["listing"]
        token = ADD_DRAFTS.create(
            request,
            activation.pk,
            type=listing.subdivision_type_id,
            listing=listing.pk,
            email="",
            beheer="",
            administrator=None,
            applications=None,
        )
        return redirect(_step_url("subdivisions:add-details", activation, aanvraag=token))
    return render(
        request,
        "subdivisions/add_facility.html",
        _context(
            activation,
            form=form,
            subdivision_type=subdivision_type,
            has_listings=listings.exists(),
            help_section="h-4",
        ),
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def subafdeling_add_details(request, hoedanigheid_id):
    """Step 6: "Identificatiegegevens van de subafdeling" (from CoBRHA), "Contactgegevens van de
    subafdeling" and "Subafdelingsbeheerder"; "Volgende"."""
    activation = _activation(request, hoedanigheid_id)
    loaded = _load_addition(request, activation)
    if loaded is None:
        return _expired(request, activation)
    token, draft, listing = loaded
    initial = {"email": draft["email"], "beheer": draft["beheer"] or Management.SELF}
    if draft["administrator"]:
        administrator = Person.objects.filter(pk=draft["administrator"]).first()
        initial["insz"] = administrator.insz_display if administrator else ""
    form = SubafdelingDetailsForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        administrator = None
        if form.cleaned_data["beheer"] == Management.OTHER:
            administrator = person_for_enterprise(activation.enterprise, form.cleaned_data["insz"])
            if administrator is None:
                form.add_error("insz", _("Deze persoon is niet gekend in het rijksregister."))
        if not form.errors:
            draft.update(
                email=form.cleaned_data["email"],
                beheer=form.cleaned_data["beheer"],
                administrator=administrator.pk if administrator else None,
            )
            ADD_DRAFTS.save(request, token, draft)
            return redirect(_step_url("subdivisions:add-applications", activation, aanvraag=token))
    return render(
        request, "subdivisions/add_details.html", _add_context(activation, listing, token, form=form)
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def subafdeling_add_applications(request, hoedanigheid_id):
    """Step 7: the applications of the hoedanigheid, each with its description; "Vorige" /
    "Opslaan"."""
    activation = _activation(request, hoedanigheid_id)
    loaded = _load_addition(request, activation)
    if loaded is None:
        return _expired(request, activation)
    token, draft, listing = loaded
    if not draft["email"]:
        return redirect(_step_url("subdivisions:add-details", activation, aanvraag=token))
    offered = _offered(activation)
    form = ApplicationsForm(
        request.POST if request.method == "POST" else None,
        offered=offered,
        require_one=True,
        initial={"applications": draft["applications"] or []},
    )
    if request.method == "POST" and form.is_valid():
        draft["applications"] = sorted(app.pk for app in form.cleaned_data["applications"])
        ADD_DRAFTS.save(request, token, draft)
        return redirect(_step_url("subdivisions:add-confirm", activation, aanvraag=token))
    return render(
        request,
        "subdivisions/add_applications.html",
        _add_context(
            activation, listing, token, form=form, choices=_choices(form, offered, draft["applications"])
        ),
    )


def _choices(form: ApplicationsForm, offered, saved) -> list[tuple[Application, bool]]:
    """Each application with its checkbox ticked or not: as posted, else as the draft or the
    subafdeling holds it."""
    ticked = set(form.data.getlist("applications")) if form.is_bound else {str(pk) for pk in saved or []}
    return [(application, str(application.pk) in ticked) for application in offered]


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def subafdeling_add_confirm(request, hoedanigheid_id):
    """Step 8: the overview with "Subafdelingsbeheerder" and "Autorisaties die verbonden zullen
    worden met de subafdeling"; "Vorige" / "Bevestigen"."""
    activation = _activation(request, hoedanigheid_id)
    loaded = _load_addition(request, activation)
    if loaded is None:
        return _expired(request, activation)
    token, draft, listing = loaded
    if not draft["email"]:
        return redirect(_step_url("subdivisions:add-details", activation, aanvraag=token))
    if draft["applications"] is None:
        return redirect(_step_url("subdivisions:add-applications", activation, aanvraag=token))
    administrator = None
    if draft["administrator"]:
        administrator = Person.objects.filter(pk=draft["administrator"], is_active=True).first()
        if administrator is None:
            messages.error(request, _("Deze persoon is niet gekend in het rijksregister."))
            return redirect(_step_url("subdivisions:add-details", activation, aanvraag=token))
    applications = list(
        Application.objects.filter(pk__in=draft["applications"]).order_by("sort_order", "name")
    )
    if request.method == "POST":
        flash_outcome(
            request,
            services.subafdeling_activate,
            lambda subafdeling: (
                _("De subafdeling %(name)s van het type %(type)s werd toegevoegd.")
                % {"name": subafdeling.name, "type": listing.subdivision_type.name}
            ),
            actor=request.user,
            activation=activation,
            facility=listing.facility,
            subdivision_type=listing.subdivision_type,
            email=draft["email"],
            applications=applications,
            administrator=administrator,
        )
        return _to_list(activation)
    return render(
        request,
        "subdivisions/add_confirm.html",
        _add_context(
            activation,
            listing,
            token,
            draft=draft,
            manager=administrator or request.user,
            # The subafdelingsbeheerder's address as the enterprise holds it, never one from elsewhere.
            manager_email=(
                address_held_for(activation.enterprise, administrator)
                if administrator is not None
                else request.user.email
            ),
            applications=applications,
            back_url=_step_url("subdivisions:add-applications", activation, aanvraag=token),
            confirm_url=_step_url("subdivisions:add-confirm", activation, aanvraag=token),
            proposed={
                "change": "subafdeling_activate",
                "activation": activation,
                "facility": listing.facility,
                "name": listing.name,
                "administrator": administrator or request.user,
            },
        ),
    )


# --- The subafdeling's own pages --------------------------------------------------------------


def _subafdeling(request, subafdeling_id) -> tuple[Subafdeling, bool]:
    """The subafdeling (404 unless the person manages it) and whether they may change its status and
    authorised applications (whoever manages its hoedanigheid) or only see them (its
    subafdelingsbeheerders)."""
    return get_rw_or_404(
        permissions.subafdeling_managed_by, permissions.can_change_subafdeling, request.user, subafdeling_id
    )


def _subafdeling_context(subafdeling: Subafdeling, can_change: bool, **extra) -> dict:
    return {
        "enterprise": subafdeling.activation.enterprise,
        "activation": subafdeling.activation,
        "manages_hoedanigheid": can_change,
        "subafdeling": subafdeling,
        "help_section": "h-3-6-1",
        **extra,
    }


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def subafdeling_status(request, subafdeling_id):
    """ "Beheer van de status van de subafdeling": the status and, for whoever manages the
    hoedanigheid, "De subafdeling blokkeren" / "De subafdeling deblokkeren"."""
    subafdeling, can_change = _subafdeling(request, subafdeling_id)
    if request.method == "POST":
        form = OwnStatusForm(request.POST)
        if form.is_valid():
            _status_change(request, subafdeling, form.cleaned_data["actie"])
        else:
            messages.error(request, _("Kies een actie."))
        return redirect("subdivisions:status", subafdeling_id=subafdeling.pk)
    context = _subafdeling_context(subafdeling, can_change)
    if can_change:
        context["proposed"] = {
            "change": "subafdeling_status",
            "subafdeling": subafdeling,
            "block": not subafdeling.is_blocked,
        }
    return render(request, "subdivisions/status.html", context)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def subafdeling_detail(request, subafdeling_id):
    """ "De details van de subafdeling raadplegen": its data, its subafdelingsbeheerder(s) and its
    authorised applications; whoever manages the hoedanigheid changes the latter ("Opslaan"). Adding
    is immediate; a removal is first confirmed with the rights and roles it takes along."""
    subafdeling, can_change = _subafdeling(request, subafdeling_id)
    context = _subafdeling_context(subafdeling, can_change)
    authorised = list(selectors.authorised_applications(subafdeling))
    form = None
    offered = []
    if can_change:
        offered = list(_offered(subafdeling.activation))
        form = ApplicationsForm(
            request.POST if request.method == "POST" else None,
            offered=_offered(subafdeling.activation),
            initial={"applications": [app.pk for app in authorised]},
        )
        if request.method == "POST" and form.is_valid():
            chosen = list(form.cleaned_data["applications"])
            chosen_ids = {app.pk for app in chosen}
            if any(app.pk not in chosen_ids for app in authorised):
                token = AUTHORISATIONS.dumps(subafdeling.pk, chosen_ids)
                url = reverse(
                    "subdivisions:authorisations-confirm", kwargs={"subafdeling_id": subafdeling.pk}
                )
                return redirect(f"{url}?{urlencode({'selectie': token})}")
            return _authorisations_save(request, subafdeling, chosen)
    elif request.method == "POST":
        messages.error(request, NOT_ACTIVATION_MANAGER)
        return redirect("subdivisions:detail", subafdeling_id=subafdeling.pk)
    context.update(
        authorised=authorised,
        administrators=list(selectors.subafdeling_administrators(subafdeling)),
        form=form,
        choices=_choices(form, offered, [app.pk for app in authorised]) if form else [],
    )
    return render(request, "subdivisions/detail.html", context)


def _authorisations_save(request, subafdeling: Subafdeling, chosen: list[Application]):
    flash_outcome(
        request,
        services.subafdeling_authorisations_update,
        _("De autorisaties van de subafdeling werden opgeslagen."),
        actor=request.user,
        subafdeling=subafdeling,
        applications=chosen,
    )
    return redirect("subdivisions:detail", subafdeling_id=subafdeling.pk)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def subafdeling_authorisations_confirm(request, subafdeling_id):
    """The confirmation of removed authorisations: the applications, the users' rights and the roles
    that go with them; "Vorige" / "Bevestigen"."""
    subafdeling, can_change = _subafdeling(request, subafdeling_id)
    back = redirect("subdivisions:detail", subafdeling_id=subafdeling.pk)
    if not can_change:
        messages.error(request, NOT_ACTIVATION_MANAGER)
        return back
    ids = AUTHORISATIONS.load(request.GET.get("selectie", ""), subafdeling.pk)
    if ids is None:
        messages.error(request, _("Deze aanvraag is verlopen of ongeldig. Begin opnieuw."))
        return back
    ids = set(ids)
    applications = selectors.applications_offered_or_authorised(subafdeling)
    chosen = [app for app in applications if app.offered and app.pk in ids]
    if request.method == "POST":
        return _authorisations_save(request, subafdeling, chosen)
    authorised = [app for app in applications if app.authorised]
    removed = [app for app in authorised if app.pk not in ids]
    authorised_ids = {app.pk for app in authorised}
    return render(
        request,
        "subdivisions/authorisations_confirm.html",
        _subafdeling_context(
            subafdeling,
            can_change,
            removed=removed,
            added=[app for app in chosen if app.pk not in authorised_ids],
            dependants=selectors.authorisation_dependants(
                subafdeling, removed, rights_page=request.GET.get("pagina") or 1
            ),
            confirm_url=request.get_full_path(),
            proposed={"change": "authorisations", "subafdeling": subafdeling, "applications": chosen},
        ),
    )
