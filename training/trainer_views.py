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
  ``selectors.PROGRESS`` (roles.progress: the stappenplan's own definitions), where the trainee is
  in the scenario, a blocked eID card with "Kaart deblokkeren", the sandbox's clock and the trainee's
  last error, read in one query for the whole classroom and polled every 3 seconds. Each row's
  actions (card, reset, clock) carry ``hx-preserve``, so a poll never wipes a date the trainer is
  typing; the dashboard's own polls (``?acties=behouden``) get only their empty placeholders, a
  third of the rows' weight. Every focusable element has an id, which htmx uses to give the focus
  back after a poll. "Pauzeren" swaps in the same partial without its polling (``?gepauzeerd=1``; a
  plain link without JavaScript), "Hervatten" the polling one: no script of our own, no inline
  script, no hx-trigger filter, so the strict CSP holds. Each poll carries the state it showed
  (``stand``); what changed since is announced, politely, in a live region outside the table
  ("Cursist 3: Subafdeling actief"), through an out-of-band swap.
- The home page (/opleiding/) shows the address trainees type with its QR code (training.addresses),
  and in demo mode the demo world: its clock (the same three ways forward as a sandbox's), its people
  with their eID card and "Kaart deblokkeren", and "De demowereld herladen", which a Celery worker
  runs while the page shows its progress (the state is kept on the DemoWorld row, as the worker is
  another process).
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
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accessportal import clock
from accessportal.http import add_service_error, flash_refusal, get_or_404
from accessportal.models import AuditEvent
from training import selectors, services
from training.addresses import classroom_address, qr_svg
from training.models import Classroom, Part, ReloadState, Sandbox, SandboxPerson, Scenario
from training.scenarios import scenario_state
from training.tasks import build_classroom_enqueue, demo_reload_enqueue
from training.trainer_forms import ClassroomForm, ClockForm
from worlds.demo import DEMO_PIN

STALL = timedelta(seconds=15)
PAGE_SIZE = 20
TEMPLATES = "training/trainer/"

# Where a trainee starts, after signing in (printed on the card).
START_URLS = {
    Scenario.HTB: "administrators:btb",
    Scenario.PRAKTIJK: "subdivisions:quality",
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
    dressed for the dashboard: its legal representative's name, its steps, where it is in the
    scenario, a blocked card, its clock."""
    rows = selectors.classroom_progress(classroom)
    for row in rows:
        names = (row.representative_first_name, row.representative_last_name)
        row.representative_name = " ".join(name for name in names if name)
        row.steps = [
            (step, "done" if getattr(row, step.key) else "optional" if step.optional else "todo")
            for step in selectors.PROGRESS
        ]
        row.scenario = scenario_state(row)
        row.blocked_name = " ".join(n for n in (row.blocked_first_name, row.blocked_last_name) if n)
        row.clock_ahead = row.ahead >= timedelta(minutes=1)
        row.clock_text = clock_ahead_text(row.ahead) if row.clock_ahead else ""
        row.clock_now = row.now()
    return rows


def _row_state(row: Sandbox) -> str:
    """A row's state for the next poll: one digit per step of PROGRESS, then its card, then whether
    the scenario is finished ("1100000" "0" "1")."""
    bits = [getattr(row, step.key) for step in selectors.PROGRESS]
    bits += [bool(row.blocked_person_id), row.scenario["finished"]]
    return "".join("1" if bit else "0" for bit in bits)


def _parse_state(text: str) -> dict[int, str]:
    """ "1-110000000.2-000000000" as {1: "110000000", 2: "000000000"}; anything malformed is ignored."""
    state = {}
    for part in (text or "")[:2000].split("."):
        number, _dash, bits = part.partition("-")
        if number.isdigit() and bits and set(bits) <= {"0", "1"}:
            state[int(number)] = bits
    return state


def _announcements(rows: list[Sandbox], previous: dict[int, str]) -> list[str]:
    """What changed since the previous poll, as short sentences: "Cursist 3: Subafdeling actief"."""
    said = []
    width = len(selectors.PROGRESS)
    for row in rows:
        before = previous.get(row.number)
        now = row.state
        if before is None or len(before) != len(now) or before == now:
            continue
        who = _("Cursist %(number)s") % {"number": row.number}
        for index, step in enumerate(selectors.PROGRESS):
            if now[index] == "1" and before[index] == "0":
                said.append(f"{who}: {step.label}")
        if now[width] == "1" and before[width] == "0":
            said.append(f"{who}: " + _("eID-kaart geblokkeerd"))
        if now[width] == "0" and before[width] == "1":
            said.append(f"{who}: " + _("eID-kaart gedeblokkeerd"))
        if now[width + 1] == "1" and before[width + 1] == "0":
            said.append(f"{who}: " + _("scenario voltooid"))
    return said


def _classroom_context(classroom: Classroom, request=None, **extra) -> dict:
    context = {
        "classroom": classroom,
        "steps": selectors.PROGRESS,
        "clock_minutes": ClockForm.MINUTES,
        "clock_next": ClockForm.NEXT,
        "clock_date": ClockForm.DATE,
        "paused": bool(request and request.GET.get("gepauzeerd")),
        **extra,
    }
    if request is not None:
        context["address"] = classroom_address(request)
    if classroom.built_at is None:
        counts = classroom.sandboxes.aggregate(ready=Count("pk"), latest=Max("pk"))
        context["ready"] = counts["ready"]
        context["requeued"] = _stalled_build_requeue(classroom, counts["ready"], counts["latest"])
        return context
    rows = _dashboard_rows(classroom)
    for row in rows:
        row.state = _row_state(row)
    context["rows"] = rows
    context["state"] = ".".join(f"{row.number}-{row.state}" for row in rows)
    context["totals"] = [sum(1 for row in rows if getattr(row, step.key)) for step in selectors.PROGRESS]
    context["finished"] = sum(1 for row in rows if row.scenario["finished"])
    if request is not None and request.htmx:
        context["announcements"] = _announcements(rows, _parse_state(request.GET.get("stand", "")))
    return context


def _demo_context(request) -> dict:
    """The demo world on /opleiding/ (demo mode only): its clock, its people and their cards, and the
    state of its reload."""
    world = selectors.demo_world_overview()
    return {
        "demo": world,
        "demo_now": world.now(),
        "demo_ahead": clock_ahead_text(world.ahead) if world.ahead >= timedelta(minutes=1) else "",
        "demo_next": world.next_due,
        "demo_people": selectors.demo_people(),
        "clock_minutes": ClockForm.MINUTES,
        "clock_next": ClockForm.NEXT,
        "clock_date": ClockForm.DATE,
    }


# --- Home: the trainer's classrooms, a new one, the demo world --------------------------------


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def home(request):
    """The trainer's classrooms, "Een klas aanmaken", the address trainees type, and the demo world."""
    _require_trainer(request)
    form = ClassroomForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            classroom = services.classroom_create(trainer=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            # The build is idempotent: the same form sent twice queues nothing new to build.
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
        return render(request, template + "#klassen", {"page": page, "classrooms": list(page.object_list)})
    address = classroom_address(request)
    context = {
        "form": form,
        "page": page,
        "classrooms": list(page.object_list),
        "demo_mode": settings.DEMO_MODE,
        "address": address,
        "address_qr": qr_svg(address, title=_("QR-code van %(address)s") % {"address": address}),
    }
    if settings.DEMO_MODE:
        context.update(_demo_context(request))
    return render(request, template, context)


def _require_demo_trainer(request) -> None:
    _require_trainer(request)
    if not settings.DEMO_MODE:
        raise Http404


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def demo_reset(request):
    """ "De demowereld herladen": the page says who will be signed out (the demo world's people, and
    which of them are signed in now); its POST queues the reload for a Celery worker (inline when the
    broker is unreachable) and the page then shows its progress, polling ``#herladen`` every second.
    Demo mode only, like the mailbox."""
    _require_demo_trainer(request)
    if request.method == "POST":
        try:
            services.demo_reload_request(actor=request.user)
        except ValidationError as error:
            flash_refusal(request, error)
        else:
            transaction.on_commit(demo_reload_enqueue)
        return redirect("training:demo-reset")
    world = services.demo_world()
    _stalled_reload_requeue(world)
    busy = world.reload_state in BUSY
    context = {
        "demo": world,
        "pin": DEMO_PIN,
        "busy": busy,
        "reload_label": _(world.reload_step_label) if world.reload_step_label else "",
        "demo_people": [] if busy else selectors.demo_people(with_sessions=True),
    }
    template = TEMPLATES + "demo_reset.html"
    return render(request, template + "#herladen" if request.htmx else template, context)


BUSY = (ReloadState.QUEUED, ReloadState.RUNNING)


def _stalled_reload_requeue(world) -> None:
    """A reload still queued after ``STALL`` (a lost message, no worker) is handed over again; at
    most once per ``STALL`` per process. The run claims it, so it never runs twice."""
    if world.reload_state != ReloadState.QUEUED or world.reload_requested_at is None:
        return
    if clock.now() - world.reload_requested_at < STALL:
        return
    if cache.add("training.demo-reload-requeued", True, timeout=STALL.total_seconds()):
        demo_reload_enqueue()


@login_required
@require_POST
def demo_clock(request):
    """The demo world's clock: "+20 minuten", "Naar de volgende wijziging", or a date; forward only.
    The demo world's people then work on it, and its pending changes take effect by it."""
    _require_demo_trainer(request)
    form = ClockForm(request.POST, auto_id="demo-klok-%s")
    if form.is_valid():
        try:
            moment = services.world_clock_advance(
                actor=request.user, world=services.demo_world(), **form.advance()
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(
                request,
                _("De klok van de demowereld staat nu op %(moment)s.")
                % {"moment": f"{timezone.localtime(moment):%d/%m/%Y %H:%M}"},
            )
            return redirect(reverse("training:home") + "#demo-klok")
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, _("Klok van de demowereld: %(error)s") % {"error": error})
    return redirect(reverse("training:home") + "#demo-klok")


@login_required
@require_POST
def demo_card_unblock(request, person_id):
    """ "Kaart deblokkeren" for a person of the demo world."""
    _require_demo_trainer(request)
    try:
        person = services.demo_card_unblock(actor=request.user, person_id=person_id)
    except ValidationError:
        raise Http404 from None
    messages.success(request, _("De eID-kaart van %(name)s is gedeblokkeerd.") % {"name": person.full_name})
    return redirect(reverse("training:home") + "#demo-personen")


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
    return render(request, template, _classroom_context(found, request, keep_actions=keep_actions))


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
                _(
                    "De zandbak van cursist %(number)s staat terug aan het begin van het scenario, "
                    "met de klok op de echte tijd."
                )
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
            moment = services.world_clock_advance(actor=request.user, world=sandbox, **form.advance())
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(
                request,
                _("De klok van cursist %(number)s staat nu op %(moment)s.")
                % {"number": sandbox.number, "moment": f"{timezone.localtime(moment):%d/%m/%Y %H:%M}"},
            )
            return _to_classroom(classroom, sandbox)
    context = _classroom_context(classroom, request, clock_form=form, clock_sandbox=sandbox)
    return render(request, TEMPLATES + "classroom.html", context)


@login_required
@require_POST
def sandbox_card_unblock(request, classroom_id, sandbox_id, person_id):
    """ "Kaart deblokkeren": the eID card of a person of the sandbox works again (Post/Redirect/Get).
    Only the classroom's trainer or a superuser reaches it (``_sandbox``); a person of another
    sandbox is 404."""
    classroom, sandbox = _sandbox(request, classroom_id, sandbox_id)
    try:
        person = services.sandbox_card_unblock(actor=request.user, sandbox=sandbox, person_id=person_id)
    except ValidationError:
        raise Http404 from None
    messages.success(
        request,
        _("De eID-kaart van %(name)s (cursist %(number)s) is gedeblokkeerd.")
        % {"name": person.full_name, "number": sandbox.number},
    )
    return _to_classroom(classroom, sandbox)


# --- The trainees' cards -------------------------------------------------------------------------


def _cards(request, classroom: Classroom, sandboxes) -> list[dict]:
    people = Prefetch(
        "people", queryset=SandboxPerson.objects.select_related("person").order_by("sort_order")
    )
    cards = []
    address = classroom_address(request)
    start_url = address + reverse(START_URLS[Scenario(classroom.scenario)]).lstrip("/")
    sign_in_url = address + reverse("identity:sign-in").lstrip("/")
    sign_in_qr = qr_svg(sign_in_url, title=_("QR-code van %(address)s") % {"address": sign_in_url})
    for sandbox in sandboxes.select_related("enterprise").prefetch_related(people).order_by("number"):
        parts = list(sandbox.people.all())
        cards.append(
            {
                "sandbox": sandbox,
                "representative": next(
                    (p.person for p in parts if p.part == Part.LEGAL_REPRESENTATIVE), None
                ),
                "employees": [p.person for p in parts if p.part == Part.EMPLOYEE],
                "address": address,
                "sign_in_url": sign_in_url,
                "sign_in_qr": sign_in_qr,
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
