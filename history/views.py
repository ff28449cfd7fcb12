"""The Historiek pages, the map, and the list pages "toestand op datum" (read-only past views).

Every page gets its object through the permission-aware selector of the screen it belongs to
(another enterprise's objects answer 404), exactly as that screen does."""

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe

from accessportal.http import csv_download, get_or_404
from administrators.permissions import activation_managed_by, enterprise_led_by, htb_level
from history import state
from history.chainmap import chain_map
from history.drawing import draw
from history.models import Period, PeriodKind
from history.timeline import KINDS, entries, events_filter, events_of
from subdivisions.permissions import can_change_subafdeling, subafdeling_managed_by
from users.permissions import user_of_subafdeling

PAGE_SIZE = 25


class HistoryFilter(forms.Form):
    van = forms.DateField(label=gettext_lazy("Van"), required=False, input_formats=["%Y-%m-%d", "%d-%m-%Y"])
    tot = forms.DateField(
        label=gettext_lazy("Tot en met"), required=False, input_formats=["%Y-%m-%d", "%d-%m-%Y"]
    )
    persoon = forms.CharField(label=gettext_lazy("Persoon (naam of INSZ)"), required=False, max_length=100)
    soort = forms.ChoiceField(label=gettext_lazy("Soort"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["soort"].choices = [("", _("Alle"))] + [
            (key, label) for key, (label, _p) in KINDS.items()
        ]
        for name in ("van", "tot"):
            self.fields[name].error_messages["invalid"] = _(
                "Geef een datum als jjjj-mm-dd, bijvoorbeeld 2024-03-01."
            )

    def clean(self):
        data = super().clean()
        if data.get("van") and data.get("tot") and data["tot"] < data["van"]:
            self.add_error("tot", _("De einddatum mag niet voor de begindatum liggen."))
        return data


def _day_start(day):
    return timezone.make_aware(timezone.datetime.combine(day, timezone.datetime.min.time()))


def _timeline(request, *, title: str, context: dict, events, filename: str):
    form = HistoryFilter(request.GET or None)
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        events = events_filter(
            events,
            start=_day_start(data["van"]) if data.get("van") else None,
            end=_day_start(data["tot"] + timezone.timedelta(days=1)) if data.get("tot") else None,
            person=data.get("persoon", ""),
            kind=data.get("soort", ""),
        )
    elif form.is_bound:
        events = events.none()  # bad input changes nothing: no list until the criteria are right
    query = request.GET.copy()
    query.pop("pagina", None)
    query.pop("formaat", None)
    if request.GET.get("formaat") == "csv":
        return csv_download(
            filename,
            [_("Wanneer"), _("Wie"), _("Wat"), _("Voor → na")],
            (
                [
                    timezone.localtime(entry.moment).strftime("%d/%m/%Y %H:%M"),
                    entry.actor,
                    entry.sentence,
                    entry.change,
                ]
                for chunk in _chunks(events)
                for entry in entries(chunk)
            ),
        )
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("pagina"))
    return render(
        request,
        "history/timeline.html",
        {
            **context,
            "title": title,
            "form": form,
            "page": page,
            "entries": entries(list(page.object_list)),
            "query": query.urlencode(),
        },
    )


def _chunks(events, size=500):
    """Every event, a bounded number at a time (keyset pages on the timeline's order)."""
    last = None
    while True:
        chunk = events
        if last is not None:
            chunk = chunk.filter(occurred_at__lte=last.occurred_at).exclude(
                occurred_at=last.occurred_at, pk__gte=last.pk
            )
        rows = list(chunk[:size])
        if not rows:
            return
        yield rows
        last = rows[-1]


def _activation_context(request, activation) -> dict:
    return {"enterprise": activation.enterprise, "activation": activation, "manages_hoedanigheid": True}


def _subafdeling_context(request, subafdeling) -> dict:
    activation = subafdeling.activation
    return {
        "enterprise": activation.enterprise,
        "activation": activation,
        "subafdeling": subafdeling,
        "manages_hoedanigheid": can_change_subafdeling(request.user, subafdeling),
    }


@login_required
@require_safe
def enterprise_history(request, kbo):
    enterprise = get_or_404(enterprise_led_by, request.user, kbo)
    return _timeline(
        request,
        title=_("Historiek van %(name)s") % {"name": enterprise.name},
        context={"enterprise": enterprise, "htb_level": htb_level(request.user, enterprise)},
        events=events_of(enterprise_kbo=enterprise.kbo),
        filename=f"historiek-{enterprise.kbo}",
    )


@login_required
@require_safe
def hoedanigheid_history(request, hoedanigheid_id):
    activation = get_or_404(activation_managed_by, request.user, hoedanigheid_id)
    return _timeline(
        request,
        title=_("Historiek van de hoedanigheid %(name)s") % {"name": activation.hoedanigheid.name},
        context=_activation_context(request, activation),
        events=events_of(enterprise_kbo=activation.enterprise.kbo, activation_id=activation.pk),
        filename=f"historiek-hoedanigheid-{activation.pk}",
    )


@login_required
@require_safe
def subafdeling_history(request, subafdeling_id):
    subafdeling = get_or_404(subafdeling_managed_by, request.user, subafdeling_id)
    return _timeline(
        request,
        title=_("Historiek van de subafdeling %(name)s") % {"name": subafdeling.name},
        context=_subafdeling_context(request, subafdeling),
        events=events_of(enterprise_kbo=subafdeling.facility.enterprise.kbo, subafdeling_id=subafdeling.pk),
        filename=f"historiek-subafdeling-{subafdeling.pk}",
    )


def _user_of(subafdeling, user_id):
    """A user of the subafdeling, now or in the past (a removed user keeps their history)."""
    period = (
        Period.objects.filter(kind=PeriodKind.USER, subafdeling_id=subafdeling.pk, object_id=user_id)
        .select_related("person")
        .order_by("-started_at")
        .first()
    )
    if period is not None:
        return period.person
    user = user_of_subafdeling(subafdeling, user_id)
    if user is None:
        raise Http404
    return user.person


@login_required
@require_safe
def user_history(request, subafdeling_id, user_id):
    subafdeling = get_or_404(subafdeling_managed_by, request.user, subafdeling_id)
    person = _user_of(subafdeling, user_id)
    return _timeline(
        request,
        title=_("Historiek van %(name)s in %(subafdeling)s")
        % {"name": person.full_name, "subafdeling": subafdeling.name},
        context={**_subafdeling_context(request, subafdeling), "portal_user": person},
        events=events_of(enterprise_kbo=subafdeling.facility.enterprise.kbo, user_id=user_id),
        filename=f"historiek-gebruiker-{user_id}",
    )


# --- The map ------------------------------------------------------------------------------------


class MomentForm(forms.Form):
    op = forms.CharField(label=gettext_lazy("Toestand op datum"), required=False, max_length=40)

    def clean_op(self):
        value = self.cleaned_data["op"]
        return state.moment_parse(value) if value else None


@login_required
@require_safe
def enterprise_map(request, kbo):
    enterprise = get_or_404(enterprise_led_by, request.user, kbo)
    form = MomentForm(request.GET or None)
    moment = form.cleaned_data["op"] if form.is_bound and form.is_valid() else None
    chain = chain_map(enterprise, moment)
    return render(
        request,
        "history/map.html",
        {
            "enterprise": enterprise,
            "htb_level": htb_level(request.user, enterprise),
            "form": form,
            "moment": moment,
            "chain": chain,
            "drawing": draw(chain),
        },
    )


# --- "Toestand op datum": the list pages as they were (history.middleware sends ?op= here) ----------


def _past(request, template: str, context: dict, moment):
    return render(request, template, {**context, "moment": moment, "past_form": MomentForm(request.GET)})


def _moment_or_error(request):
    form = MomentForm(request.GET)
    if form.is_valid():
        return form.cleaned_data["op"], form
    return None, form


def past_users(request, subafdeling_id, **_kwargs):
    subafdeling = get_or_404(subafdeling_managed_by, request.user, subafdeling_id)
    moment, form = _moment_or_error(request)
    context = _subafdeling_context(request, subafdeling)
    if moment is None:
        return render(request, "history/past_error.html", {**context, "past_form": form})
    page = Paginator(state.users_at(subafdeling, moment), PAGE_SIZE).get_page(request.GET.get("pagina"))
    rows = list(page.object_list)
    rights = state.rights_at([row.object_id for row in rows], moment)
    names = dict(_applications())
    for row in rows:
        row.rights = [names.get(code, code) for code in rights.get(row.object_id, [])]
    return _past(
        request,
        "history/past_users.html",
        {**context, "page": page, "rows": rows, "query": _query(request)},
        moment,
    )


def past_subafdelingen(request, hoedanigheid_id, **_kwargs):
    activation = get_or_404(activation_managed_by, request.user, hoedanigheid_id)
    moment, form = _moment_or_error(request)
    context = _activation_context(request, activation)
    if moment is None:
        return render(request, "history/past_error.html", {**context, "past_form": form})
    page = Paginator(state.subafdelingen_at(activation, moment), PAGE_SIZE).get_page(
        request.GET.get("pagina")
    )
    return _past(
        request,
        "history/past_subafdelingen.html",
        {**context, "page": page, "rows": list(page.object_list), "query": _query(request)},
        moment,
    )


def past_managers(request, hoedanigheid_id, **_kwargs):
    activation = get_or_404(activation_managed_by, request.user, hoedanigheid_id)
    moment, form = _moment_or_error(request)
    context = _activation_context(request, activation)
    if moment is None:
        return render(request, "history/past_error.html", {**context, "past_form": form})
    return _past(
        request,
        "history/past_managers.html",
        {**context, "rows": state.managers_at(activation, moment)},
        moment,
    )


def past_roles(request, subafdeling_id, user_id, **_kwargs):
    subafdeling = get_or_404(subafdeling_managed_by, request.user, subafdeling_id)
    person = _user_of(subafdeling, user_id)
    moment, form = _moment_or_error(request)
    context = {**_subafdeling_context(request, subafdeling), "portal_user": person}
    if moment is None:
        return render(request, "history/past_error.html", {**context, "past_form": form})
    was_user = state.user_period_at(subafdeling, user_id, moment) is not None
    if request.GET.get("tab") == "toegang":
        return _past(
            request,
            "history/past_access.html",
            {**context, "checks": _checks(person, subafdeling, moment)},
            moment,
        )
    rows = list(state.roles_at(user_id, moment)) if was_user else []
    return _past(request, "history/past_roles.html", {**context, "rows": rows, "was_user": was_user}, moment)


def _checks(person, subafdeling, moment) -> list:
    """The "Toegang" tab as of ``moment``: the same decision (roles.access), read from the stored periods."""
    from roles.access import access_decide
    from roles.models import SimulatedApplication

    past = state.PastChainState(moment)
    return [
        (app, access_decide(person=person, app=app, hco=subafdeling.facility.hco_number, state=past))
        for app in SimulatedApplication.objects.select_related("application").prefetch_related("roles")
    ]


def _applications():
    from enterprises.models import Application

    return Application.objects.values_list("code", "name")


def _query(request) -> str:
    query = request.GET.copy()
    query.pop("pagina", None)
    return query.urlencode()
