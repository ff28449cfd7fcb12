"""The trainers' pages (/opleiding/): their classrooms, a classroom's build and live dashboard, the
trainees' printable cards, a sandbox's reset and clock, and the reset of the demo world.

Only trainers (the group "Opleiders", or a superuser) see these pages; anyone else signed in gets
404, as does a trainer asking for another trainer's classroom. The manual has no trainer's screens:
they follow the portal's conventions (Post/Redirect/Get, a confirmation page before anything is
undone, errors next to the field, htmx only as an enhancement).

- A classroom is registered by ``services.classroom_create``; its sandboxes are built by the Celery
  task ``build_classroom`` once the transaction commits (inline when the broker is unreachable).
  While it builds, the classroom page polls its own partial ``#live`` every second; a build that
  added no sandbox for 15 seconds is handed to the broker again (the build is idempotent).
- Once built, the same partial is the dashboard: one row per trainee, one column per step of
  ``selectors.PROGRESS``, the sandbox's clock and the trainee's last error, read in one query for
  the whole classroom and polled every 3 seconds. Each row's actions (card, reset, clock) carry
  ``hx-preserve``, so a poll never wipes a date the trainer is typing; the dashboard's own polls
  (``?acties=behouden``) get only their empty placeholders, a third of the rows' weight.
"""

from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, Max, Prefetch
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accessportal import clock
from accessportal.http import add_service_error, get_or_404
from accessportal.models import AuditEvent
from training import selectors, services
from training.demo import DEMO_PIN, DemoWorldError
from training.models import Classroom, Part, Sandbox, SandboxPerson, Scenario
from training.tasks import build_classroom_enqueue
from training.trainer_forms import ClassroomForm, ClockForm

STALL = timedelta(seconds=15)
PAGE_SIZE = 20
TEMPLATES = "training/trainer/"

# The dashboard's column headers, one per step of selectors.PROGRESS.
STEP_LABELS = {
    "htb": gettext_lazy("HTB aangesteld"),
    "hoedanigheid": gettext_lazy("Hoedanigheid actief"),
    "tb": gettext_lazy("TB aangesteld"),
    "subafdeling": gettext_lazy("Subafdeling actief"),
    "right": gettext_lazy("Gebruiker met recht"),
    "role": gettext_lazy("Rol van kracht"),
    "signed_in": gettext_lazy("Aangemeld op de toepassing"),
}

# Where a trainee starts, after signing in (printed on the card).
START_URLS = {
    Scenario.HTB: "administrators:btb",
    Scenario.PRAKTIJK: "portal:quality",
}


# --- Helpers ----------------------------------------------------------------------------------


def _require_trainer(request) -> None:
    if not services.is_trainer(request.user):
        raise Http404


def _classroom(request, classroom_id) -> Classroom:
    return get_or_404(selectors.classroom_of, request.user, classroom_id)


def _sandbox(request, classroom_id, sandbox_id) -> tuple[Classroom, Sandbox]:
    classroom = _classroom(request, classroom_id)
    return classroom, get_or_404(selectors.sandbox_of, classroom, sandbox_id)


def _to_classroom(classroom: Classroom, sandbox: Sandbox | None = None):
    url = reverse("training:classroom", kwargs={"classroom_id": classroom.pk})
    return redirect(f"{url}#cursist-{sandbox.number}" if sandbox else url)


def clock_ahead_text(offset: timedelta) -> str:
    """How far a sandbox's clock runs ahead of real time: "+2 u 20 min", "+3 dagen 1 u"."""
    minutes = int(offset.total_seconds() // 60)
    days, rest = divmod(minutes, 24 * 60)
    hours, minutes = divmod(rest, 60)
    parts = []
    if days:
        parts.append(ngettext("%(count)s dag", "%(count)s dagen", days) % {"count": days})
    if hours:
        parts.append(_("%(count)s u") % {"count": hours})
    if minutes or not parts:
        parts.append(_("%(count)s min") % {"count": minutes})
    return "+" + " ".join(parts)


def _stalled_build_requeue(classroom: Classroom, ready: int, latest_id: int | None) -> bool:
    """Hand a build to the broker again when it added no sandbox for ``STALL`` (a lost task, a
    worker killed mid-way); at most once per ``STALL`` per process, whoever polls."""
    last = classroom.created_at
    if latest_id is not None:
        built_at = (
            AuditEvent.objects.filter(
                action="training.sandbox_build", target_type="training.Sandbox", target_id=str(latest_id)
            )
            .values_list("occurred_at", flat=True)
            .first()
        )
        last = max(last, built_at or last)
    if clock.now() - last < STALL:
        return False
    if not cache.add(f"training.build-requeued.{classroom.pk}", True, timeout=STALL.total_seconds()):
        return False
    build_classroom_enqueue(classroom.pk)
    return True


def _dashboard_rows(classroom: Classroom) -> list[Sandbox]:
    """Every sandbox of the classroom with its progress (one query, ``selectors.classroom_progress``),
    dressed for the dashboard: its legal representative's name, its steps, its clock."""
    rows = selectors.classroom_progress(classroom)
    real_now = timezone.now()
    for row in rows:
        row.representative_name = (
            f"{row.representative_first_name or ''} {row.representative_last_name or ''}"
        )
        row.steps = [(key, STEP_LABELS[key], getattr(row, key)) for key, _section in selectors.PROGRESS]
        row.clock_ahead = row.clock_offset >= timedelta(minutes=1)
        row.clock_text = clock_ahead_text(row.clock_offset) if row.clock_ahead else ""
        row.clock_now = real_now + row.clock_offset
    return rows


def _classroom_context(classroom: Classroom, **extra) -> dict:
    context = {
        "classroom": classroom,
        "steps": [(key, STEP_LABELS[key], section) for key, section in selectors.PROGRESS],
        "clock_minutes": ClockForm.MINUTES,
        "clock_next": ClockForm.NEXT,
        "clock_date": ClockForm.DATE,
        **extra,
    }
    if classroom.built_at is None:
        counts = classroom.sandboxes.aggregate(ready=Count("pk"), latest=Max("pk"))
        context["ready"] = counts["ready"]
        context["requeued"] = _stalled_build_requeue(classroom, counts["ready"], counts["latest"])
        return context
    rows = _dashboard_rows(classroom)
    context["rows"] = rows
    context["totals"] = [sum(1 for row in rows if getattr(row, key)) for key, _section in selectors.PROGRESS]
    return context


# --- Home: the trainer's classrooms, a new one, the demo world --------------------------------


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def home(request):
    """The trainer's classrooms, "Een klas aanmaken" and "Demowereld"."""
    _require_trainer(request)
    form = ClassroomForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            classroom = services.classroom_create(trainer=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            transaction.on_commit(lambda: build_classroom_enqueue(classroom.pk))
            messages.success(
                request,
                _("De klas %(name)s is aangemaakt: de zandbakken worden nu klaargezet.")
                % {"name": classroom},
            )
            return redirect("training:classroom", classroom_id=classroom.pk)
    classrooms = (
        selectors.classrooms_of(request.user)
        .annotate(ready=Count("sandboxes"))
        .order_by("-created_at", "-id")
    )
    page = Paginator(classrooms, PAGE_SIZE).get_page(request.GET.get("pagina"))
    template = TEMPLATES + "home.html"
    if request.htmx and request.method != "POST":
        template += "#klassen"
    return render(
        request,
        template,
        {"form": form, "page": page, "classrooms": list(page.object_list), "demo_mode": settings.DEMO_MODE},
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def demo_reset(request):
    """ "De demowereld herladen": a confirmation page; its POST deletes the demo world of ``make run``
    (its enterprises and people) and loads it again. Demo mode only, like the mailbox."""
    _require_trainer(request)
    if not settings.DEMO_MODE:
        raise Http404
    if request.method == "POST":
        try:
            services.demo_world_reset(actor=request.user)
        except (DemoWorldError, ValidationError) as error:
            messages.error(request, "; ".join(getattr(error, "messages", [str(error)])))
        else:
            messages.success(
                request,
                _("De demowereld is herladen. Iedereen meldt zich aan met eID, PIN-code %(pin)s.")
                % {"pin": DEMO_PIN},
            )
        return redirect("training:home")
    return render(request, TEMPLATES + "demo_reset.html")


# --- A classroom: its build, then its dashboard ------------------------------------------------


@login_required
@require_safe
def classroom(request, classroom_id):
    """While the sandboxes are built: "12 van 40 zandbakken klaar"; then the dashboard. htmx polls
    the partial ``#live`` (1 s while building, 3 s afterwards)."""
    found = _classroom(request, classroom_id)
    template = TEMPLATES + "classroom.html"
    if request.htmx:
        template += "#live"
    # A poll of the dashboard itself: the rows' actions are on the page already (hx-preserve).
    keep_actions = bool(request.htmx) and request.GET.get("acties") == "behouden"
    return render(request, template, _classroom_context(found, keep_actions=keep_actions))


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def sandbox_reset(request, classroom_id, sandbox_id):
    """ "Opnieuw beginnen": back to the scenario's start, after a confirmation page."""
    classroom, sandbox = _sandbox(request, classroom_id, sandbox_id)
    if request.method == "POST":
        try:
            services.sandbox_reset(actor=request.user, sandbox=sandbox)
        except ValidationError as error:
            messages.error(request, "; ".join(error.messages))
        else:
            messages.success(
                request,
                _("De zandbak van cursist %(number)s staat terug aan het begin van het scenario.")
                % {"number": sandbox.number},
            )
        return _to_classroom(classroom, sandbox)
    representative = services.legal_representative_of(sandbox)
    return render(
        request,
        TEMPLATES + "sandbox_reset.html",
        {"classroom": classroom, "sandbox": sandbox, "representative": representative},
    )


@login_required
@require_POST
def sandbox_clock(request, classroom_id, sandbox_id):
    """Move a sandbox's clock forward: "+20 minuten", "Naar de volgende wijziging" or a date. A
    refusal re-renders the dashboard with the message next to that row's date (status 200)."""
    classroom, sandbox = _sandbox(request, classroom_id, sandbox_id)
    form = ClockForm(request.POST, auto_id=f"klok-%s-{sandbox.pk}")
    if form.is_valid():
        try:
            moment = services.sandbox_clock_advance(actor=request.user, sandbox=sandbox, **form.advance())
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(
                request,
                _("De klok van cursist %(number)s staat nu op %(moment)s.")
                % {"number": sandbox.number, "moment": f"{timezone.localtime(moment):%d/%m/%Y %H:%M}"},
            )
            return _to_classroom(classroom, sandbox)
    context = _classroom_context(classroom, clock_form=form, clock_sandbox=sandbox)
    return render(request, TEMPLATES + "classroom.html", context)


# --- The trainees' cards -------------------------------------------------------------------------


def _cards(request, classroom: Classroom, sandboxes) -> list[dict]:
    people = Prefetch(
        "people", queryset=SandboxPerson.objects.select_related("person").order_by("sort_order")
    )
    cards = []
    start_url = request.build_absolute_uri(reverse(START_URLS[Scenario(classroom.scenario)]))
    sign_in_url = request.build_absolute_uri(reverse("identity:sign-in"))
    for sandbox in sandboxes.select_related("enterprise").prefetch_related(people).order_by("number"):
        parts = list(sandbox.people.all())
        cards.append(
            {
                "sandbox": sandbox,
                "representative": next(
                    (p.person for p in parts if p.part == Part.LEGAL_REPRESENTATIVE), None
                ),
                "employees": [p.person for p in parts if p.part == Part.EMPLOYEE],
                "sign_in_url": sign_in_url,
                "start_url": start_url,
            }
        )
    return cards


@login_required
@require_safe
def cards(request, classroom_id):
    """Every trainee's card, one per printed page."""
    found = _classroom(request, classroom_id)
    return render(
        request,
        TEMPLATES + "cards.html",
        {"classroom": found, "cards": _cards(request, found, found.sandboxes.all()), "single": False},
    )


@login_required
@require_safe
def card(request, classroom_id, sandbox_id):
    """One trainee's card (a new copy for a trainee who lost theirs)."""
    found, sandbox = _sandbox(request, classroom_id, sandbox_id)
    sandboxes = found.sandboxes.filter(pk=sandbox.pk)
    return render(
        request,
        TEMPLATES + "cards.html",
        {"classroom": found, "cards": _cards(request, found, sandboxes), "single": True, "sandbox": sandbox},
    )
