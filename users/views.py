"""The users of a subafdeling: "Gebruikers" (manual 3.6.1, chapter 4 step 10).

The subafdelingsbeheerder and the TB / HTB above the subafdeling see the list, export it, add users
("Een gebruiker toevoegen", INSZ, "Volgende" → "Een gebruiker aanmaken" → the confirmation), change a
user's data and rights (the pencil, "Bewerken"), and remove users ("Gebruiker(s) verwijderen",
"Uitvoeren" → the confirmation). Anyone else, and every administrator of another enterprise, gets
404 on every URL of this screen.

The wizards have one URL per step and follow Post/Redirect/Get, like "Beheer van de gebruikers" of a
hoedanigheid (administrators/managers_views.py):
- the answers (the person, the e-mail addresses, the language, the applications) stay in the
  session; the URL carries only a signed reference to them (``?aanvraag=``, valid for an hour);
- the removal's selection, only user ids, travels signed in the URL (``?selectie=``).
A tampered or expired value brings the person back to the list with a message; nothing is written.
"Bevestigen" hands the answers to the service, which checks everything again; a second "Bevestigen"
is refused by the service and its message is shown on the list.

The user's "Type" is "SS", as the manual's screenshot of a subafdeling's users shows (3.6.1); the
edit confirmation's title is the manual's "Wijziging van de gegevens van een
subafdelingsverantwoordelijke" (3.6.1). A right saved with "Bevestigen" is in effect at once: "In
bovenstaand voorbeeld heeft de gebruiker nu toegang tot eVIPA" (3.6.1).

Where the manual is silent (the removal's confirmation; the messages after saving or removing)
this module builds what the real portal's users would expect. A known person who already is
a user of the subafdeling is never added twice: "Volgende" opens their edit page instead.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accessportal import clock
from accessportal.drafts import SessionDrafts, SignedSelections
from accessportal.http import csv_download, flash_outcome, get_or_404, get_rw_or_404, list_page
from accessportal.identifiers import insz_portal_format
from enterprises.models import Application
from enterprises.selectors import person_for_enterprise
from identity.models import Language, Person, Title
from subdivisions.models import Subafdeling
from subdivisions.permissions import can_change_subafdeling, subafdeling_managed_by
from users import permissions, selectors, services
from users.forms import UserFilterForm, UserForm, UserRemoveForm, UserStartForm
from users.models import SubafdelingUser, UserStatus

REMOVALS = SignedSelections(salt="users.remove")
USER_DRAFTS = SessionDrafts("users.drafts", salt="users.draft")
START_PREFIX = "toevoegen"
CREATE, EDIT = "create", "edit"


# --- Helpers ----------------------------------------------------------------------------------


def _subafdeling(request, subafdeling_id) -> tuple[Subafdeling, bool]:
    """The subafdeling (404 unless the person manages it) and whether they also manage its
    hoedanigheid (the hoedanigheid's menu)."""
    return get_rw_or_404(subafdeling_managed_by, can_change_subafdeling, request.user, subafdeling_id)


def _context(subafdeling: Subafdeling, manages_hoedanigheid: bool, **extra) -> dict:
    activation = subafdeling.activation
    return {
        "enterprise": activation.enterprise,
        "activation": activation,
        "subafdeling": subafdeling,
        "manages_hoedanigheid": manages_hoedanigheid,
        "help_section": "h-3-6-1",
        **extra,
    }


def _to_list(subafdeling: Subafdeling):
    return redirect("users:list", subafdeling_id=subafdeling.pk)


def _expired(request, subafdeling: Subafdeling):
    messages.error(request, _("Deze aanvraag is verlopen of ongeldig. Begin opnieuw."))
    return _to_list(subafdeling)


def _step_url(name: str, subafdeling: Subafdeling, kwargs: dict | None = None, **query) -> str:
    path = reverse(name, kwargs={"subafdeling_id": subafdeling.pk, **(kwargs or {})})
    return f"{path}?{urlencode(query)}" if query else path


def _new_answers(request, subafdeling: Subafdeling, mode: str, person: Person, user=None) -> str:
    """Start the answers of a creation or an edit; return the signed reference the next steps carry."""
    return USER_DRAFTS.create(
        request,
        subafdeling.pk,
        mode=mode,
        person=person.pk,
        user=user.pk if user else None,
        saved=False,
        email="",
        local_email="",
        language="",
        title="",
        applications=[],
    )


def _load_answers(request, subafdeling: Subafdeling, mode: str, user=None) -> tuple[str, dict] | None:
    """The answers ``?aanvraag=`` refers to, with that reference, if they are of ``mode`` (and of
    ``user``)."""
    token = request.GET.get("aanvraag", "")
    draft = USER_DRAFTS.load(request, token, subafdeling.pk)
    if draft is None or draft.get("mode") != mode or (user is not None and draft.get("user") != user.pk):
        return None
    return token, draft


def _person_of(draft: dict) -> Person | None:
    return Person.objects.filter(pk=draft["person"], is_active=True).first()


def _start(request, subafdeling: Subafdeling, start: UserStartForm):
    """ "Volgende" after an INSZ: the creation form, or the edit page of a person who already is a
    user here, or the register's refusal on the form (None)."""
    if not start.is_valid():
        return None
    person = person_for_enterprise(subafdeling.facility.enterprise, start.cleaned_data["insz"])
    if person is None:
        start.add_error("insz", _("Deze persoon is niet gekend in het rijksregister."))
        return None
    existing = selectors.user_for_person(subafdeling, person)
    if existing is not None:
        messages.info(
            request,
            _("%(name)s is al gebruiker van deze subafdeling: u kunt de gegevens wijzigen.")
            % {"name": person.full_name},
        )
        return redirect("users:edit", subafdeling_id=subafdeling.pk, user_id=existing.pk)
    token = _new_answers(request, subafdeling, CREATE, person)
    return redirect(_step_url("users:create", subafdeling, aanvraag=token))


def _rights_of(draft: dict, applications) -> list:
    chosen = set(draft["applications"])
    return [app for app in applications if app.pk in chosen]


def _criteria(request, applications) -> UserFilterForm:
    criteria = UserFilterForm(request.GET, applications=applications)
    criteria.is_valid()
    return criteria


# --- The list ---------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def users_list(request, subafdeling_id):
    """ "Gebruikers": the criteria, the list, "Gebruiker(s) verwijderen" / "Uitvoeren", the CSV export,
    and at the bottom "Een gebruiker toevoegen" + INSZ + "Volgende"."""
    subafdeling, manages = _subafdeling(request, subafdeling_id)
    start = UserStartForm(request.POST if request.method == "POST" else None, prefix=START_PREFIX)
    if request.method == "POST":
        response = _start(request, subafdeling, start)
        if response is not None:
            return response
    applications = selectors.authorised_applications(subafdeling)
    criteria = _criteria(request, applications)
    # the page's ids as the criteria choose them (user_ids); its rows written out (users_listed)
    page, export_query = list_page(
        request,
        selectors.user_ids(subafdeling, criteria.filters()),
        criteria.page_size(),
        filtered=criteria.searches_people(),
    )
    context = _context(
        subafdeling,
        manages,
        criteria=criteria,
        page=page,
        listed=selectors.users_listed(subafdeling, [user.pk for user in page.object_list]),
        user_type=selectors.USER_TYPE,
        start=start,
        export_query=export_query,
    )
    template = "users/list.html"
    if request.htmx and request.method != "POST":
        template += "#results"
    return render(request, template, context)


@login_required
@require_safe
def users_export(request, subafdeling_id):
    """ "*De gebruikers exporteren (.csv)": every row the criteria select, streamed; UTF-8 with a BOM
    and ";" between the cells, so that a Belgian Excel opens it as it is."""
    subafdeling, _manages = _subafdeling(request, subafdeling_id)
    applications = selectors.authorised_applications(subafdeling)
    rows = selectors.user_rows(subafdeling, _criteria(request, applications).filters())
    header = [
        _("Naam"),
        _("Voornaam"),
        _("Gebruikersnaam"),
        _("Type"),
        _("INSZ"),
        _("Status"),
        _("E-mailadres"),
        _("Beveiligde toepassingen"),
    ]
    lines = (
        (
            user.person.last_name,
            user.person.first_name,
            user.person.username or "",
            selectors.USER_TYPE,
            insz_portal_format(user.person.insz),
            user.get_status_display(),
            user.email,
            ", ".join(right.application.name for right in user.rights.all()),
        )
        for user in rows.iterator(chunk_size=500)
    )
    name = slugify(
        f"gebruikers {subafdeling.name} {subafdeling.hco_number} {timezone.localdate(clock.now()):%Y%m%d}"
    )
    return csv_download(name, header, lines)


# --- Adding -----------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def users_add(request, subafdeling_id):
    """ "Gebruikers toevoegen" in the menu: the INSZ field alone; "Volgende"."""
    subafdeling, manages = _subafdeling(request, subafdeling_id)
    start = UserStartForm(request.POST if request.method == "POST" else None, prefix=START_PREFIX)
    if request.method == "POST":
        response = _start(request, subafdeling, start)
        if response is not None:
            return response
    return render(request, "users/add.html", _context(subafdeling, manages, start=start))


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def users_create(request, subafdeling_id):
    """ "Een gebruiker aanmaken": the person as the national register knows them (read-only), the
    language, "E-mailadres *", "Lokaal e-mailadres" and the authorised applications; "Opslaan"."""
    subafdeling, manages = _subafdeling(request, subafdeling_id)
    loaded = _load_answers(request, subafdeling, CREATE)
    if loaded is None:
        return _expired(request, subafdeling)
    token, draft = loaded
    person = _person_of(draft)
    if person is None:
        messages.error(request, _("Deze persoon is niet gekend in het rijksregister."))
        return _to_list(subafdeling)
    applications = selectors.authorised_applications(subafdeling)
    initial = {
        "email": draft["email"] or selectors.address_held_for(subafdeling.facility.enterprise, person),
        "local_email": draft["local_email"],
        "language": draft["language"] or person.language,
        "title": draft.get("title") or person.title,
        "applications": draft["applications"],
    }
    form = UserForm(
        request.POST if request.method == "POST" else None, initial=initial, applications=applications
    )
    if request.method == "POST" and form.is_valid():
        _save_answers(request, token, draft, form)
        return redirect(_step_url("users:create-confirm", subafdeling, aanvraag=token))
    return render(
        request,
        "users/form.html",
        _context(
            subafdeling,
            manages,
            form=form,
            person=person,
            title=_("Een gebruiker aanmaken"),
            cancel_url=_step_url("users:list", subafdeling),
        ),
    )


def _save_answers(request, token: str, draft: dict, form: UserForm) -> None:
    draft.update(
        saved=True,
        email=form.cleaned_data["email"],
        local_email=form.cleaned_data["local_email"],
        language=form.cleaned_data["language"],
        title=form.cleaned_data["title"],
        applications=sorted(app.pk for app in form.cleaned_data["applications"]),
    )
    USER_DRAFTS.save(request, token, draft)


def _summary(draft: dict, applications) -> dict:
    return {
        "email": draft["email"],
        "local_email": draft["local_email"],
        "language": Language(draft["language"]).label if draft["language"] in Language.values else "",
        "title": Title(draft["title"]).label if draft.get("title") in Title.values else "",
        "applications": _rights_of(draft, applications),
    }


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def users_create_confirm(request, subafdeling_id):
    """Everything read-only with Creatiedatum, Wijzigingsdatum and Status; "Vorige" / "Bevestigen".
    "Bevestigen" adds the user through the service and returns to the list."""
    subafdeling, manages = _subafdeling(request, subafdeling_id)
    loaded = _load_answers(request, subafdeling, CREATE)
    if loaded is None:
        return _expired(request, subafdeling)
    token, draft = loaded
    if not draft["saved"]:
        return redirect(_step_url("users:create", subafdeling, aanvraag=token))
    person = _person_of(draft)
    if person is None:
        messages.error(request, _("Deze persoon is niet gekend in het rijksregister."))
        return _to_list(subafdeling)
    applications = list(selectors.authorised_applications(subafdeling))
    if request.method == "POST":
        flash_outcome(
            request,
            services.user_add,
            _("De gegevens van de gebruiker %(name)s werden opgeslagen.") % {"name": person.full_name},
            actor=request.user,
            subafdeling=subafdeling,
            person=person,
            **_draft_values(draft, applications),
        )
        return _to_list(subafdeling)
    return render(
        request,
        "users/confirm.html",
        _context(
            subafdeling,
            manages,
            person=person,
            summary=_summary(draft, applications),
            title=_("Een gebruiker aanmaken"),
            created=clock.now(),
            modified=None,
            status=UserStatus.ACTIEF.label,
            back_url=_step_url("users:create", subafdeling, aanvraag=token),
            confirm_url=_step_url("users:create-confirm", subafdeling, aanvraag=token),
            proposed={
                "change": "user_add",
                "subafdeling": subafdeling,
                "person": person,
                "applications": _requested(draft, applications),
            },
        ),
    )


def _draft_values(draft: dict, applications) -> dict:
    """The answers as ``user_add`` and ``user_update`` take them."""
    return {
        "email": draft["email"],
        "local_email": draft["local_email"],
        "language": draft["language"],
        "title": draft.get("title", ""),
        "applications": _requested(draft, applications),
    }


def _requested(draft: dict, applications) -> list:
    """The applications of the answers; one that is no longer authorised stays in, so that the service
    refuses the whole change instead of silently dropping it."""
    by_pk = {app.pk: app for app in applications}
    missing = [pk for pk in draft["applications"] if pk not in by_pk]
    extra = list(Application.objects.filter(pk__in=missing)) if missing else []
    return [by_pk[pk] for pk in draft["applications"] if pk in by_pk] + extra


# --- Editing ----------------------------------------------------------------------------------


def _user(subafdeling: Subafdeling, user_id) -> SubafdelingUser:
    return get_or_404(permissions.user_of_subafdeling, subafdeling, user_id)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def users_edit(request, subafdeling_id, user_id):
    """The pencil ("Bewerken"): the same form with the current values and rights; "Opslaan"."""
    subafdeling, manages = _subafdeling(request, subafdeling_id)
    user = _user(subafdeling, user_id)
    applications = selectors.authorised_applications(subafdeling)
    rights = list(user.rights.all())
    loaded = _load_answers(request, subafdeling, EDIT, user)
    if loaded is not None and loaded[1]["saved"]:  # "Vorige" from the confirmation
        draft = loaded[1]
        initial = {key: draft.get(key, "") for key in ("email", "local_email", "language", "title")}
        initial["applications"] = draft["applications"]
    else:
        initial = {
            "email": user.email,
            "local_email": user.local_email,
            "language": user.language,
            "title": user.title,
            "applications": [right.application_id for right in rights],
        }
    form = UserForm(
        request.POST if request.method == "POST" else None, initial=initial, applications=applications
    )
    if request.method == "POST" and form.is_valid():
        token = loaded[0] if loaded else _new_answers(request, subafdeling, EDIT, user.person, user)
        draft = USER_DRAFTS.load(request, token, subafdeling.pk)
        _save_answers(request, token, draft, form)
        return redirect(_step_url("users:edit-confirm", subafdeling, {"user_id": user.pk}, aanvraag=token))
    return render(
        request,
        "users/form.html",
        _context(
            subafdeling,
            manages,
            form=form,
            person=user.person,
            portal_user=user.person,
            title=_("Wijziging van de gegevens van een gebruiker"),
            cancel_url=_step_url("users:list", subafdeling),
        ),
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def users_edit_confirm(request, subafdeling_id, user_id):
    """ "Wijziging van de gegevens van NAME": the new values read-only; "Vorige" / "Bevestigen"."""
    subafdeling, manages = _subafdeling(request, subafdeling_id)
    user = _user(subafdeling, user_id)
    loaded = _load_answers(request, subafdeling, EDIT, user)
    if loaded is None:
        return _expired(request, subafdeling)
    token, draft = loaded
    edit_url = _step_url("users:edit", subafdeling, {"user_id": user.pk}, aanvraag=token)
    if not draft["saved"]:
        return redirect(edit_url)
    applications = list(selectors.authorised_applications(subafdeling))
    if request.method == "POST":
        flash_outcome(
            request,
            services.user_update,
            _("De gegevens van de gebruiker %(name)s werden gewijzigd.") % {"name": user.person.full_name},
            actor=request.user,
            user=user,
            **_draft_values(draft, applications),
        )
        return _to_list(subafdeling)
    return render(
        request,
        "users/confirm.html",
        _context(
            subafdeling,
            manages,
            person=user.person,
            portal_user=user.person,
            summary=_summary(draft, applications),
            title=_("Wijziging van de gegevens van een subafdelingsverantwoordelijke"),
            created=user.created_at,
            modified=user.modified_at,
            status=user.get_status_display(),
            back_url=edit_url,
            confirm_url=_step_url("users:edit-confirm", subafdeling, {"user_id": user.pk}, aanvraag=token),
            proposed={"change": "user_update", "user": user, "applications": _requested(draft, applications)},
        ),
    )


# --- Removing ---------------------------------------------------------------------------------


def _removed(users: list) -> str:
    return ngettext(
        "De gebruiker %(names)s werd verwijderd.", "De gebruikers %(names)s werden verwijderd.", len(users)
    ) % {"names": ", ".join(user.person.full_name for user in users)}


@login_required
@require_POST
def users_remove(request, subafdeling_id):
    """ "Gebruiker(s) verwijderen" + "Uitvoeren" on the list: check the selection, then show whom it
    removes."""
    subafdeling, _manages = _subafdeling(request, subafdeling_id)
    form = UserRemoveForm(request.POST, queryset=subafdeling.users.all())
    if not form.is_valid():
        for error in form.errors.get("gebruiker", []):
            messages.error(request, error)
        return _to_list(subafdeling)
    token = REMOVALS.dumps(subafdeling.pk, [user.pk for user in form.cleaned_data["gebruiker"]])
    return redirect(_step_url("users:remove-confirm", subafdeling, selectie=token))


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def users_remove_confirm(request, subafdeling_id):
    """The confirmation of a removal: the users it removes, "Vorige" / "Bevestigen"."""
    subafdeling, manages = _subafdeling(request, subafdeling_id)
    ids = REMOVALS.load(request.GET.get("selectie", ""), subafdeling.pk)
    if ids is None:
        return _expired(request, subafdeling)
    chosen = list(selectors.user_rows(subafdeling).filter(pk__in=ids))
    if len(chosen) != len(ids):  # removed in the meantime, e.g. a second "Bevestigen"
        messages.error(request, _("De geselecteerde personen zijn geen gebruiker meer van deze subafdeling."))
        return _to_list(subafdeling)
    if request.method == "POST":
        flash_outcome(
            request,
            services.users_remove,
            _removed,
            actor=request.user,
            subafdeling=subafdeling,
            users=chosen,
        )
        return _to_list(subafdeling)
    return render(
        request,
        "users/remove_confirm.html",
        _context(
            subafdeling,
            manages,
            chosen=chosen,
            user_type=selectors.USER_TYPE,
            proposed={"change": "users_remove", "subafdeling": subafdeling, "users": chosen},
            confirm_url=_step_url(
                "users:remove-confirm", subafdeling, selectie=request.GET.get("selectie", "")
            ),
        ),
    )
