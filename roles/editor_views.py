"""The roles editor: "Functies en Verantwoordelijkheden Hiërarchie" (manual 3.6.2, chapter 4 step 11).

- "Overzicht Personeelsbestand": the users of a subafdeling (its subafdelingsbeheerder and everyone
  above), or of every subafdeling of a hoedanigheid (its (co-)lokale beheerders, the HTB and the
  co-HTBs), with their roles; criteria Naam, Voornaam, INSZ, Functie (and Subafdeling).
- The person: "Gebruiker: NAME", tabs "Functie | Verantwoordelijkheden | Hiërarchie", and a fourth
  tab "Toegang" the real portal does not have (marked as the simulator's): the access decision of
  every simulated application for this subafdeling, so that an administrator sees why the user can or
  cannot get in.

  The manual shows the three tabs but only the content of "Functie". What the other two hold is an
  assumption, said as such in small print on the tab: eHealth describes Responsibility Management
  (the "Over "Responsibility Management"" link) as the place where one records under whose
  responsibility someone works (an administrative employee under a physician), so "Verantwoordelijkheden"
  lists the user's responsible persons, which the simulator does not keep (an empty list, with a
  link to the user's rights); "Hiërarchie" shows who stands above the user: the administrators of
  the subafdeling, the hoedanigheid and the enterprise.
- "Bewerken Functies": the roles with their dates and state, "Wijzigen" / "Verwijderen" per role, and
  the new row (the role list, "Startdatum *", "Einddatum", "Toevoegen", "Terug").

Every object comes through a permission-aware selector (subafdeling or hoedanigheid managed by the
person → a user of that subafdeling → a role of that user): anything else answers 404. The rules
(the right a role needs, the dates, overlaps, the propagation delay) are the services'
(roles/services.py); their refusals are shown next to the field. Every change follows
Post/Redirect/Get, and says when it takes effect.

Where the manual is silent (the "Status" column, the page to change a role's dates, the removal's
confirmation, the messages after a change) this module builds what the real portal's users would
expect.
"""

from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from accessportal.http import add_service_error, flash_outcome, get_or_404, get_rw_or_404
from accessportal.services import ServiceError
from administrators.models import HoedanigheidActivation
from administrators.permissions import activation_managed_by
from roles import selectors, services
from roles.access import access_decide
from roles.editor_forms import RoleAssignForm, RoleDatesForm, StaffFilterForm
from roles.models import Role, RoleAssignment, SimulatedApplication
from roles.permissions import assignment_of_user
from subdivisions.models import Subafdeling
from subdivisions.permissions import can_change_subafdeling, subafdeling_managed_by
from subdivisions.selectors import subafdeling_rows
from users.models import SubafdelingUser
from users.permissions import user_managed_by

HELP_SECTION = "h-3-6-2"
PREVIEW = "voorbeeld"  # the button "Wat verandert er?": shows the preview, saves nothing
TABS = ("functie", "verantwoordelijkheden", "hierarchie", "toegang")


# --- Helpers ----------------------------------------------------------------------------------


def _subafdeling(request, subafdeling_id) -> tuple[Subafdeling, bool]:
    """The subafdeling (404 unless the person manages it) and whether they also manage its
    hoedanigheid (the hoedanigheid's menu)."""
    return get_rw_or_404(subafdeling_managed_by, can_change_subafdeling, request.user, subafdeling_id)


def _user(request, subafdeling_id, user_id) -> tuple[SubafdelingUser, bool]:
    """A user of a subafdeling the person manages (else 404), read with the subafdeling in one
    statement, and that flag (asked when first read, as get_rw_or_404 does)."""
    user = get_or_404(user_managed_by, request.user, subafdeling_id, user_id)
    return user, SimpleLazyObject(partial(can_change_subafdeling, request.user, user.subafdeling))


def _assignment(request, subafdeling_id, user_id, assignment_id) -> tuple[RoleAssignment, bool]:
    """A role of that user (else 404), with that flag."""
    user, manages = _user(request, subafdeling_id, user_id)
    assignment = get_or_404(assignment_of_user, user, assignment_id)
    assignment.user = user  # with the subafdeling and person already read
    return assignment, manages


def _context(*, activation: HoedanigheidActivation, manages, subafdeling=None, user=None, **extra) -> dict:
    """What templates/portal/base.html needs for the header lines and the "Functionaliteiten" menu.
    ``manages``: whether the person manages the hoedanigheid."""
    return {
        "enterprise": activation.enterprise,
        "activation": activation,
        "subafdeling": subafdeling,
        "portal_user": user.person if user is not None else None,
        "subafdeling_user": user,
        "manages_hoedanigheid": manages,
        "help_section": HELP_SECTION,
        **extra,
    }


def _user_context(user: SubafdelingUser, manages, **extra) -> dict:
    subafdeling = user.subafdeling
    return _context(
        activation=subafdeling.activation, manages=manages, subafdeling=subafdeling, user=user, **extra
    )


def _to_edit(user: SubafdelingUser):
    return redirect("roles:edit", subafdeling_id=user.subafdeling_id, user_id=user.pk)


def _person_url(user: SubafdelingUser) -> str:
    return reverse("roles:person", kwargs={"subafdeling_id": user.subafdeling_id, "user_id": user.pk})


def _edit_url(user: SubafdelingUser) -> str:
    return reverse("roles:edit", kwargs={"subafdeling_id": user.subafdeling_id, "user_id": user.pk})


def _catalogue():
    return Role.objects.order_by("sort_order", "name")


def _staff_page(request, *, activation, manages, subafdeling=None, subafdelingen=None, list_url: str):
    criteria = StaffFilterForm(request.GET, roles=_catalogue(), subafdelingen=subafdelingen)
    criteria.is_valid()
    rows = selectors.staff_rows(
        subafdeling=subafdeling,
        activation=activation if subafdeling is None else None,
        filters=criteria.filters(),
    )
    page = Paginator(rows, criteria.page_size()).get_page(request.GET.get("pagina"))
    context = _context(
        activation=activation,
        subafdeling=subafdeling,
        manages=manages,
        criteria=criteria,
        page=page,
        rows=list(page.object_list),
        per_subafdeling=subafdeling is None,
        list_url=list_url,
    )
    template = "roles/editor/staff.html"
    if request.htmx:
        template += "#results"
    return render(request, template, context)


# --- "Overzicht Personeelsbestand" ------------------------------------------------------------


@login_required
@require_safe
def staff_hoedanigheid(request, hoedanigheid_id):
    """The users of every subafdeling of the hoedanigheid, with a Subafdeling column and criterion."""
    activation = get_or_404(activation_managed_by, request.user, hoedanigheid_id)
    subafdelingen = subafdeling_rows(activation).select_related("facility", "subdivision_type")
    return _staff_page(
        request,
        activation=activation,
        manages=True,  # activation_managed_by said so
        subafdelingen=subafdelingen,
        list_url=reverse("roles:staff-hoedanigheid", kwargs={"hoedanigheid_id": activation.pk}),
    )


@login_required
@require_safe
def staff(request, subafdeling_id):
    """The users of one subafdeling."""
    subafdeling, manages = _subafdeling(request, subafdeling_id)
    return _staff_page(
        request,
        activation=subafdeling.activation,
        manages=manages,
        subafdeling=subafdeling,
        list_url=reverse("roles:staff", kwargs={"subafdeling_id": subafdeling.pk}),
    )


# --- The person -------------------------------------------------------------------------------


@login_required
@require_safe
def person(request, subafdeling_id, user_id):
    """ "Gebruiker: NAME" with the tabs "Functie | Verantwoordelijkheden | Hiërarchie" (and "Toegang").
    Only the tab shown is read; the tabs are links (``?tab=``), so they work without JavaScript."""
    user, manages = _user(request, subafdeling_id, user_id)
    subafdeling = user.subafdeling
    tab = request.GET.get("tab")
    tab = tab if tab in TABS else TABS[0]
    extra = {}
    if tab == "functie":
        extra["assignments"] = selectors.assignments_of(user)
    elif tab == "hierarchie":
        extra["hierarchy"] = selectors.hierarchy_of(subafdeling)
    elif tab == "toegang":
        extra["checks"] = [
            (app, access_decide(person=user.person, app=app, hco=subafdeling.facility.hco_number))
            for app in SimulatedApplication.objects.select_related("application").order_by("name")
        ]
    context = _user_context(
        user,
        manages,
        tab=tab,
        tabs=[
            ("functie", _("Functie")),
            ("verantwoordelijkheden", _("Verantwoordelijkheden")),
            ("hierarchie", _("Hiërarchie")),
            ("toegang", _("Toegang")),
        ],
        **extra,
    )
    return render(request, "roles/editor/person.html", context)


# --- "Bewerken Functies" ----------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def edit(request, subafdeling_id, user_id):
    """The roles of the user with "Wijzigen" / "Verwijderen", and the new row: the role list,
    "Startdatum *", "Einddatum", "Toevoegen" (role_assign, then back here) and "Terug"."""
    user, manages = _user(request, subafdeling_id, user_id)
    roles, unavailable = selectors.role_choices_for(user)
    form = RoleAssignForm(
        request.POST if request.method == "POST" else None, roles=roles, unavailable=unavailable
    )
    proposed = None
    if request.method == "POST" and form.is_valid() and PREVIEW in request.POST:
        data = form.cleaned_data
        proposed = {"change": "role_assign", "user": user, "role": data["role"], **_dates(data)}
    elif request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            assignment = services.role_assign(
                actor=request.user,
                user=user,
                role=data["role"],
                start_date=data["start_date"],
                end_date=data["end_date"],
            )
        except ServiceError as error:
            add_service_error(form, error)
        else:
            messages.success(
                request,
                _("De functie %(role)s werd toegekend aan %(name)s. Opgeslagen: van kracht om %(moment)s.")
                % {
                    "role": assignment.role.name,
                    "name": user.person.full_name,
                    "moment": assignment.pending_text,
                },
            )
            return _to_edit(user)
    context = _user_context(
        user,
        manages,
        form=form,
        assignments=selectors.assignments_listed(selectors.assignments_of(user)),
        back_url=_person_url(user),
        # Every role greyed (the user holds no right on an application with roles): say so, and
        # link to where rights are granted (manual 3.6.1), rather than leave a list of dead options.
        no_role_available=bool(roles) and len(unavailable) == len(roles),
        role_applications=sorted({role.application.name for role in roles}),
        rights_url=reverse("users:edit", kwargs={"subafdeling_id": user.subafdeling_id, "user_id": user.pk}),
        proposed=proposed,
    )
    return render(request, "roles/editor/edit.html", context)


def _dates(data: dict) -> dict:
    return {"start_date": data["start_date"], "end_date": data["end_date"]}


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def change(request, subafdeling_id, user_id, assignment_id):
    """ "Wijzigen": the dates of one role ("Startdatum *", "Einddatum"); role_update, then back to
    "Bewerken Functies"."""
    assignment, manages = _assignment(request, subafdeling_id, user_id, assignment_id)
    user = assignment.user
    initial = {"start_date": assignment.start_date, "end_date": assignment.end_date}
    form = RoleDatesForm(request.POST if request.method == "POST" else None, initial=initial)
    proposed = None
    if request.method == "POST" and form.is_valid() and PREVIEW in request.POST:
        proposed = {
            "change": "role_update",
            "user": user,
            "assignment": assignment,
            **_dates(form.cleaned_data),
        }
    elif request.method == "POST" and form.is_valid():
        start_date, end_date = form.cleaned_data["start_date"], form.cleaned_data["end_date"]
        unchanged = (start_date, end_date) == (assignment.start_date, assignment.end_date)
        try:
            assignment = services.role_update(
                actor=request.user, assignment=assignment, start_date=start_date, end_date=end_date
            )
        except ServiceError as error:
            add_service_error(form, error)
        else:
            values = {"role": assignment.role.name, "name": user.person.full_name}
            if unchanged:
                messages.info(request, _("De functie %(role)s van %(name)s werd niet gewijzigd.") % values)
            else:
                messages.success(
                    request,
                    _(
                        "De wijziging van de functie %(role)s van %(name)s werd opgeslagen: "
                        "van kracht om %(moment)s."
                    )
                    % {**values, "moment": assignment.pending_text},
                )
            return _to_edit(user)
    context = _user_context(
        user, manages, form=form, assignment=assignment, back_url=_edit_url(user), proposed=proposed
    )
    return render(request, "roles/editor/change.html", context)


def _removal_saved(values: dict, assignment: RoleAssignment) -> str:
    """The message after ``role_remove``; ``values`` were read before it (role and person's name)."""
    if assignment.removed_at is None:  # it never reached the applications: withdrawn at once
        return _("De functie %(role)s van %(name)s werd verwijderd.") % values
    return _(
        "De verwijdering van de functie %(role)s van %(name)s werd opgeslagen: van kracht om %(moment)s."
    ) % {**values, "moment": assignment.pending_text}


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def remove(request, subafdeling_id, user_id, assignment_id):
    """ "Verwijderen": "Wilt u de functie X van NAME verwijderen?", "Bevestigen" / "Annuleren";
    role_remove, then back to "Bewerken Functies"."""
    assignment, manages = _assignment(request, subafdeling_id, user_id, assignment_id)
    user = assignment.user
    if request.method == "POST":
        values = {"role": assignment.role.name, "name": user.person.full_name}
        flash_outcome(
            request,
            services.role_remove,
            partial(_removal_saved, values),
            actor=request.user,
            assignment=assignment,
        )
        return _to_edit(user)
    context = _user_context(
        user,
        manages,
        assignment=assignment,
        back_url=_edit_url(user),
        proposed={"change": "role_remove", "user": user, "assignment": assignment},
    )
    return render(request, "roles/editor/remove.html", context)
