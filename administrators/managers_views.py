"""The access managers of a hoedanigheid: "Beheer van de gebruikers" (manual 3.4.2, 3.4.3).

The list shows the Lokale Beheerder (LB) and the Co-Lokale Beheerders (co-LB) of the hoedanigheid.
As long as no LB was appointed the HTB is shown as LB ("initieel is de HTB automatisch
Toegangsbeheerder van elk domein", manual 3.4): a derived row, nothing is written for it.
Everybody who manages the hoedanigheid (HTB, co-HTB, its LB and co-LBs) sees the list and can
export it; only the HTB and the co-HTBs change the LB, add co-LBs or remove them. Anyone else gets
404 on every URL of this screen, so that nobody learns that a hoedanigheid of another enterprise
exists.

The wizards (change LB / add a co-LB; remove co-LBs) have one URL per step and follow
Post/Redirect/Get. Between steps:
- the appointment's answers (INSZ, e-mail addresses) stay in the session, so that no national
  number or address ends up in a URL or an access log; the URL carries only a signed reference to
  them (``?aanvraag=``, salt per purpose, valid for an hour);
- the removal's selection, only appointment ids, travels signed in the URL (``?selectie=``).
A tampered or expired value brings the person back to the list with a message; nothing is written.
"Bevestigen" hands the answers to the service, which checks everything again; a second
"Bevestigen" of the same answers is refused by the service and its message is shown on the list.
Where the manual is silent (the removal's confirmation, the messages after a removal, the
"Niet actief" status of a person the national register no longer lists as active) this module
builds what the real portal's users would expect.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accessportal import clock
from accessportal.drafts import SessionDrafts, SignedSelections
from accessportal.http import csv_download, flash_outcome, get_rw_or_404, list_page
from accessportal.identifiers import insz_portal_format
from administrators import permissions, selectors, services
from administrators.managers_forms import (
    TYPE_LABELS,
    AdministratorContactForm,
    AppointStartForm,
    ManagerFilterForm,
    RemoveSelectionForm,
)
from administrators.models import (
    AdministratorKind,
    HoedanigheidActivation,
)
from enterprises.selectors import person_for_enterprise
from identity.models import Person

REMOVALS = SignedSelections(salt="administrators.managers.remove")
APPOINT_DRAFTS = SessionDrafts("administrators.managers.drafts", salt="administrators.managers.appoint")
START_PREFIX = "aanstellen"

SAVED = {
    AdministratorKind.LB: gettext_lazy("De gegevens van de Lokale Beheerder werden opgeslagen"),
    AdministratorKind.CO_LB: gettext_lazy("De gegevens van de Co-Lokale Beheerder werden opgeslagen"),
}


# --- Helpers ----------------------------------------------------------------------------------


def _activation(request, hoedanigheid_id) -> tuple[HoedanigheidActivation, bool]:
    """The hoedanigheid (404 unless the person manages it) and whether they may appoint and remove its
    (co-)lokale beheerders (the HTB and co-HTBs) or only see them (its LB and co-LBs)."""
    return get_rw_or_404(
        permissions.activation_managed_by,
        permissions.can_change_local_administrators,
        request.user,
        hoedanigheid_id,
    )


def _applications(activation: HoedanigheidActivation):
    """The choices of the criterion "Beveiligde toepassingen": the hoedanigheid's applications."""
    return activation.hoedanigheid.applications.order_by("sort_order", "name")


def _context(activation: HoedanigheidActivation, **extra) -> dict:
    return {
        "enterprise": activation.enterprise,
        "activation": activation,
        "manages_hoedanigheid": True,
        "help_section": "h-3-4-2",
        **extra,
    }


def _to_list(activation: HoedanigheidActivation):
    return redirect("administrators:managers", hoedanigheid_id=activation.pk)


def _refuse_unless_leader(request, activation: HoedanigheidActivation, can_change: bool):
    """The LB and co-LBs see the list but change nothing: back to the list with the reason."""
    if can_change:
        return None
    messages.error(request, permissions.NOT_MANAGERS_LEADER)
    return _to_list(activation)


def _activation_to_change(request, hoedanigheid_id):
    """The hoedanigheid of a step that changes its (co-)lokale beheerders, and the way back to the list
    for someone who may only see them (None for the HTB and co-HTBs)."""
    activation, can_change = _activation(request, hoedanigheid_id)
    return activation, _refuse_unless_leader(request, activation, can_change)


def _expired(request, activation: HoedanigheidActivation):
    messages.error(request, _("Deze aanvraag is verlopen of ongeldig. Begin opnieuw."))
    return _to_list(activation)


def _load_appointment(request, activation: HoedanigheidActivation) -> tuple[str, dict] | None:
    """The answers of the appointment ``?aanvraag=`` refers to, with that reference."""
    token = request.GET.get("aanvraag", "")
    draft = APPOINT_DRAFTS.load(request, token, activation.pk)
    if draft is None or draft.get("kind") not in AdministratorKind.values:
        return None
    return token, draft


def _step_url(name: str, activation: HoedanigheidActivation, **query) -> str:
    return f"{reverse(name, kwargs={'hoedanigheid_id': activation.pk})}?{urlencode(query)}"


def _person_of(draft: dict) -> Person | None:
    return Person.objects.filter(pk=draft["person"], is_active=True).first()


def _form_title(kind: str) -> str:
    if kind == AdministratorKind.LB:
        return _("Een lokale beheerder aanmaken")
    return _("Een Co-Lokale Beheerder aanmaken")


# --- Views ------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def managers(request, hoedanigheid_id, as_tab=False):
    """ "Gebruikers": the criteria, the list, "Verwijderen gebruiker(s)", the CSV export, and at the
    bottom "Van lokale beheerder veranderen" / "Een Co-Lokale Beheerder toevoegen" + INSZ +
    "Volgende" (step 1 of the appointment). ``as_tab``: the same list as the tab "Gebruikers" of
    "Gebruikers - Subafdelingen", under its title and with its tabs (manual chapter 4 steps 2-3)."""
    activation, can_change = _activation(request, hoedanigheid_id)
    start = AppointStartForm(request.POST if request.method == "POST" else None, prefix=START_PREFIX)
    if request.method == "POST":
        refused = _refuse_unless_leader(request, activation, can_change)
        if refused:
            return refused
        if start.is_valid():
            person = person_for_enterprise(activation.enterprise, start.cleaned_data["insz"])
            if person is None:
                start.add_error("insz", _("Deze persoon is niet gekend in het rijksregister."))
            elif permissions.local_administrator_role_of(activation, person) is not None:
                start.add_error(
                    "insz",
                    _("Deze persoon is al Lokale Beheerder of Co-Lokale Beheerder van deze hoedanigheid."),
                )
            else:
                token = APPOINT_DRAFTS.create(
                    request,
                    activation.pk,
                    kind=start.cleaned_data["kind"],
                    person=person.pk,
                    email="",
                    local_email="",
                )
                return redirect(_step_url("administrators:managers-appoint", activation, aanvraag=token))
    criteria = ManagerFilterForm(request.GET, applications=_applications(activation))
    criteria.is_valid()
    rows = selectors.manager_rows(activation, criteria.filters())
    page, export_query = list_page(request, rows, criteria.page_size(), filtered=criteria.searches_people())
    context = _context(
        activation,
        criteria=criteria,
        page=page,
        rows=[_row(person) for person in page.object_list],
        can_change=can_change,
        start=start,
        export_query=export_query,
        as_tab=as_tab,
        list_url=reverse(
            "administrators:managers-tab" if as_tab else "administrators:managers",
            kwargs={"hoedanigheid_id": activation.pk},
        ),
    )
    if as_tab:
        context["help_section"] = "h-3-5-1"
    template = "administrators/managers.html"
    if request.htmx and request.method != "POST":
        template += "#results"
    return render(request, template, context)


def _row(person: Person) -> dict:
    return {
        "person": person,
        "administrator_id": person.administrator_id,
        "kind": person.row_kind,
        "type": TYPE_LABELS.get(person.row_kind, ""),
        "removable": person.row_kind == AdministratorKind.CO_LB and person.administrator_id is not None,
    }


@login_required
@require_safe
def managers_export(request, hoedanigheid_id):
    """ "*De gebruikers exporteren (.csv)": every row the criteria select, streamed; UTF-8 with a BOM
    and ";" between the cells, so that a Belgian Excel opens it as it is."""
    activation, _can_change = _activation(request, hoedanigheid_id)
    criteria = ManagerFilterForm(request.GET, applications=_applications(activation))
    criteria.is_valid()
    rows = selectors.manager_rows(activation, criteria.filters())
    header = [
        _("Naam"),
        _("Voornaam"),
        _("Gebruikersnaam"),
        _("Type"),
        _("INSZ"),
        _("Status"),
        _("E-mailadres"),
        _("Lokaal e-mailadres"),
    ]
    active, inactive = _("Actief"), _("Niet actief")
    rows = (
        (
            person.last_name,
            person.first_name,
            person.username or "",
            TYPE_LABELS.get(person.row_kind, ""),
            insz_portal_format(person.insz),
            active if person.is_active else inactive,
            person.row_email or "",
            person.row_local_email or "",
        )
        for person in rows.iterator(chunk_size=500)
    )
    name = slugify(f"gebruikers {activation.hoedanigheid.name} {timezone.localdate(clock.now()):%Y%m%d}")
    response = csv_download(name, header, rows)
    return response


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def managers_appoint(request, hoedanigheid_id):
    """Step 2: "Een lokale beheerder aanmaken" / "Een Co-Lokale Beheerder aanmaken": the person as the
    national register knows them (read-only), "E-mailadres *" and "Lokaal e-mailadres"; "Opslaan"."""
    activation, refused = _activation_to_change(request, hoedanigheid_id)
    if refused:
        return refused
    loaded = _load_appointment(request, activation)
    if loaded is None:
        return _expired(request, activation)
    token, draft = loaded
    person = _person_of(draft)
    if person is None:
        messages.error(request, _("Deze persoon is niet gekend in het rijksregister."))
        return _to_list(activation)
    form = AdministratorContactForm(
        request.POST if request.method == "POST" else None,
        initial={
            "email": draft["email"] or selectors.address_held_for(activation.enterprise, person),
            "local_email": draft["local_email"],
        },
    )
    if request.method == "POST" and form.is_valid():
        draft.update(email=form.cleaned_data["email"], local_email=form.cleaned_data["local_email"])
        APPOINT_DRAFTS.save(request, token, draft)
        return redirect(_step_url("administrators:managers-appoint-confirm", activation, aanvraag=token))
    return render(
        request,
        "administrators/managers_appoint.html",
        _context(
            activation,
            form=form,
            person=person,
            kind=draft["kind"],
            title=_form_title(draft["kind"]),
            token=token,
            help_section="h-3-4-2" if draft["kind"] == AdministratorKind.LB else "h-3-4-3",
        ),
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def managers_appoint_confirm(request, hoedanigheid_id):
    """Step 3: everything read-only with Creatiedatum, Wijzigingsdatum and Status; "Vorige" /
    "Bevestigen". "Bevestigen" appoints through the service and returns to the list."""
    activation, refused = _activation_to_change(request, hoedanigheid_id)
    if refused:
        return refused
    loaded = _load_appointment(request, activation)
    if loaded is None:
        return _expired(request, activation)
    token, draft = loaded
    if not draft["email"]:
        return redirect(_step_url("administrators:managers-appoint", activation, aanvraag=token))
    kind = draft["kind"]
    if request.method == "POST":
        flash_outcome(
            request,
            services.local_administrator_appoint,
            SAVED[kind],
            actor=request.user,
            activation=activation,
            person=_person_of(draft),
            kind=kind,
            email=draft["email"],
            local_email=draft["local_email"],
        )
        return _to_list(activation)
    person = _person_of(draft)
    if person is None:
        messages.error(request, _("Deze persoon is niet gekend in het rijksregister."))
        return _to_list(activation)
    replaced = None
    if kind == AdministratorKind.LB:
        replaced = permissions.acting_local_administrator(activation)
    return render(
        request,
        "administrators/managers_appoint_confirm.html",
        _context(
            activation,
            person=person,
            draft=draft,
            kind=kind,
            title=_form_title(kind),
            back_url=_step_url("administrators:managers-appoint", activation, aanvraag=token),
            confirm_url=_step_url("administrators:managers-appoint-confirm", activation, aanvraag=token),
            created=clock.now(),
            replaced=replaced,
            help_section="h-3-4-2" if kind == AdministratorKind.LB else "h-3-4-3",
            proposed={
                "change": "local_administrator_appoint",
                "activation": activation,
                "person": person,
                "kind": kind,
                "replaced": replaced,
            },
        ),
    )


@login_required
@require_POST
def managers_remove(request, hoedanigheid_id):
    """ "Verwijderen gebruiker(s)" on the list: check the selection, then show whom it removes."""
    activation, refused = _activation_to_change(request, hoedanigheid_id)
    if refused:
        return refused
    form = RemoveSelectionForm(request.POST, queryset=selectors.current_administrators(activation))
    if not form.is_valid():
        for error in form.errors.get("administrator", []):
            messages.error(request, error)
        return _to_list(activation)
    token = REMOVALS.dumps(
        activation.pk, [administrator.pk for administrator in form.cleaned_data["administrator"]]
    )
    return redirect(_step_url("administrators:managers-remove-confirm", activation, selectie=token))


def _removed(administrators: list) -> str:
    return ngettext(
        "De Co-Lokale Beheerder %(names)s werd verwijderd.",
        "De Co-Lokale Beheerders %(names)s werden verwijderd.",
        len(administrators),
    ) % {"names": ", ".join(administrator.person.full_name for administrator in administrators)}


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def managers_remove_confirm(request, hoedanigheid_id):
    """The confirmation of a removal: the co-LBs it ends, "Vorige" / "Bevestigen"."""
    activation, refused = _activation_to_change(request, hoedanigheid_id)
    if refused:
        return refused
    ids = REMOVALS.load(request.GET.get("selectie", ""), activation.pk)
    if ids is None:
        return _expired(request, activation)
    chosen = list(selectors.current_administrators(activation).filter(pk__in=ids))
    if not chosen:
        messages.error(
            request, _("De geselecteerde gebruikers zijn geen beheerder meer van deze hoedanigheid.")
        )
        return _to_list(activation)
    if request.method == "POST":
        flash_outcome(
            request,
            services.local_administrators_remove,
            _removed,
            actor=request.user,
            activation=activation,
            administrators=chosen,
        )
        return _to_list(activation)
    return render(
        request,
        "administrators/managers_remove_confirm.html",
        _context(
            activation,
            chosen=[
                {"administrator": administrator, "type": TYPE_LABELS.get(administrator.kind, "")}
                for administrator in chosen
            ],
            confirm_url=_step_url(
                "administrators:managers-remove-confirm", activation, selectie=request.GET.get("selectie", "")
            ),
            help_section="h-3-4-3",
            proposed={
                "change": "local_administrators_remove",
                "activation": activation,
                "administrators": chosen,
            },
        ),
    )
