"""Permission-aware reads of training: a trainer sees their own classrooms (a superuser every one);
a sandbox's progress is read in one query for a whole classroom."""

from dataclasses import dataclass, field
from importlib import import_module

from django.apps import apps
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.db.models import Count, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from accessportal import clock
from accessportal.models import Propagation
from accessportal.propagation import pending_effects
from administrators.models import CoHtbAppointment, HtbAppointment, LocalAdministrator
from identity.models import Person
from roles import progress
from subdivisions.models import SubafdelingAdministrator
from training.models import Classroom, DemoWorld, Part, Sandbox, SandboxPerson
from training.scenarios import scenario_expressions
from training.services import is_trainer
from users.models import SubafdelingUser

# The steps of the stappenplan the trainer's dashboard follows, in order (manual chapter 2), as
# roles.progress defines them (the stappenplan and the scenario panel read the same definitions).
PROGRESS = [*progress.STEPS, progress.GOAL]


def classrooms_of(trainer) -> QuerySet[Classroom]:
    if not is_trainer(trainer):
        return Classroom.objects.none()
    classrooms = Classroom.objects.select_related("trainer")
    return classrooms if trainer.is_superuser else classrooms.filter(trainer=trainer)


def classroom_of(trainer, classroom_id) -> Classroom | None:
    return classrooms_of(trainer).filter(pk=classroom_id).first()


def sandbox_of(classroom: Classroom, sandbox_id) -> Sandbox | None:
    return classroom.sandboxes.select_related("enterprise", "classroom").filter(pk=sandbox_id).first()


def with_progress(sandboxes: QuerySet[Sandbox], **extra) -> QuerySet[Sandbox]:
    """Each sandbox annotated with one boolean per step of PROGRESS (roles.progress), the guided
    scenarios' own facts (training.scenarios.scenario_expressions) and ``extra``, in a single query.
    A role's end is compared with real time's date: the dashboard shows every sandbox at once."""
    return sandboxes.annotate(
        **progress.step_expressions(
            OuterRef("enterprise"), OuterRef("enterprise__kbo"), audit_floor=OuterRef("audit_floor")
        ),
        **scenario_expressions(),
        **extra,
    )


def classroom_progress(classroom: Classroom) -> list[Sandbox]:
    """The trainer's dashboard: every sandbox of the classroom with its progress, its legal
    representative's name (``representative_first_name``, ``representative_last_name``; None when the
    sandbox lost them) and its blocked eID cards (``blocked_cards``, and the one blocked first:
    ``blocked_person_id``, ``blocked_first_name``, ``blocked_last_name``, ``blocked_at``), one query
    whatever the size of the classroom."""
    representative = SandboxPerson.objects.filter(sandbox=OuterRef("pk"), part=Part.LEGAL_REPRESENTATIVE)
    blocked = SandboxPerson.objects.filter(sandbox=OuterRef("pk"), person__card_blocked_at__isnull=False)
    first_blocked = blocked.order_by("person__card_blocked_at", "sort_order")
    return list(
        with_progress(
            classroom.sandboxes.select_related("enterprise", "classroom").annotate(
                representative_first_name=Subquery(representative.values("person__first_name")[:1]),
                representative_last_name=Subquery(representative.values("person__last_name")[:1]),
                blocked_cards=Coalesce(
                    Subquery(blocked.order_by().values("sandbox").annotate(n=Count("pk")).values("n")),
                    0,
                ),
                blocked_person_id=Subquery(first_blocked.values("person_id")[:1]),
                blocked_first_name=Subquery(first_blocked.values("person__first_name")[:1]),
                blocked_last_name=Subquery(first_blocked.values("person__last_name")[:1]),
                blocked_at=Subquery(first_blocked.values("person__card_blocked_at")[:1]),
            )
        ).order_by("number")
    )


def sandbox_progress(sandbox: Sandbox, **extra) -> Sandbox:
    return with_progress(
        Sandbox.objects.filter(pk=sandbox.pk).select_related("enterprise", "classroom"), **extra
    ).get()


# --- A trainee's sandbox -------------------------------------------------------------------------


@dataclass
class Persona:
    """A person of the sandbox with what they are in its enterprise now."""

    person: Person
    part: str  # Wettelijk vertegenwoordiger / Werknemer (in the KBO)
    capacities: list[tuple[str, str]] = field(default_factory=list)  # (capacity, where)
    current: bool = False


def sandbox_personas(sandbox: Sandbox, current_person_id: int | None = None) -> list[Persona]:
    """The sandbox's people and their capacities in its enterprise (HTB, co-HTB, Lokale Beheerder,
    Subafdelingsbeheerder, Gebruiker) in six queries, however much the trainee did."""
    enterprise_id = sandbox.enterprise_id
    personas = {
        part.person_id: Persona(
            part.person, part.get_part_display(), current=part.person_id == current_person_id
        )
        for part in sandbox.people.select_related("person")
    }

    def add(person_id: int, capacity: str, where: str = "") -> None:
        if person_id in personas:
            personas[person_id].capacities.append((capacity, where))

    for person_id in (
        HtbAppointment.objects.current()
        .filter(enterprise_id=enterprise_id)
        .values_list("person_id", flat=True)
    ):
        add(person_id, _("Hoofdtoegangsbeheerder"))
    for person_id in (
        CoHtbAppointment.objects.current()
        .filter(enterprise_id=enterprise_id)
        .values_list("person_id", flat=True)
    ):
        add(person_id, _("Co-hoofdtoegangsbeheerder"))
    for administrator in (
        LocalAdministrator.objects.current()
        .filter(activation__enterprise_id=enterprise_id)
        .select_related("activation__hoedanigheid")
        .order_by("kind", "activation__hoedanigheid__name")
    ):
        add(
            administrator.person_id,
            administrator.get_kind_display(),
            administrator.activation.hoedanigheid.name,
        )
    for person_id, name in (
        SubafdelingAdministrator.objects.current()
        .filter(subafdeling__activation__enterprise_id=enterprise_id)
        .order_by("subafdeling__name")
        .values_list("person_id", "subafdeling__name")
    ):
        add(person_id, _("Subafdelingsbeheerder"), name)
    for person_id, name in (
        SubafdelingUser.objects.filter(subafdeling__activation__enterprise_id=enterprise_id)
        .order_by("subafdeling__name")
        .values_list("person_id", "subafdeling__name")
    ):
        add(person_id, _("Gebruiker"), name)
    return list(personas.values())


def changes_applied(sandbox: Sandbox) -> int:
    """How many of the sandbox's saved changes took effect so far."""
    return Propagation.objects.filter(enterprise_kbo=sandbox.enterprise.kbo, applied_at__isnull=False).count()


def pending_changes(sandbox: Sandbox, *, shown: int = 10) -> list[dict]:
    """The sandbox's saved changes that did not take effect yet, the next one first."""
    rows = Propagation.objects.filter(
        enterprise_kbo=sandbox.enterprise.kbo, applied_at=None, cancelled_at=None
    ).order_by("due_at", "id")[:shown]
    pending = []
    for row in rows:
        try:
            kind = apps.get_model(row.target_model)._meta.verbose_name
        except LookupError:
            kind = row.target_model
        pending.append({"kind": kind, "what": row.target_repr, "delete": row.delete, "due_at": row.due_at})
    return pending


# --- The demo world ------------------------------------------------------------------------------


def demo_world_overview() -> DemoWorld:
    """The demo world's row with ``next_due``: when its next saved change takes effect (None when
    nothing waits), in one query."""
    from worlds.demo import demo_kbos

    pending = pending_effects(enterprise_kbos=demo_kbos()).order_by("due_at").values("due_at")[:1]
    overview = DemoWorld.objects.filter(pk=1).annotate(next_due=Subquery(pending))
    world = overview.first()
    if world is None:  # a database emptied by a test: the row comes back at first use
        DemoWorld.objects.get_or_create(pk=1)
        world = overview.get()
    return world


def signed_in_person_ids(person_ids) -> set[int] | None:
    """Which of these people have a session that has not expired (signed in now, on any browser);
    None when the session engine keeps no table to read (a cache-only engine)."""
    engine = import_module(settings.SESSION_ENGINE)
    get_model = getattr(engine.SessionStore, "get_model_class", None)
    if get_model is None:
        return None
    wanted = {str(pk) for pk in person_ids}
    found = set()
    store = engine.SessionStore()
    for data in (
        get_model().objects.filter(expire_date__gt=clock.real_now()).values_list("session_data", flat=True)
    ):
        user_id = str(store.decode(data).get(SESSION_KEY, ""))
        if user_id in wanted:
            found.add(int(user_id))
    return found


def demo_people(*, with_sessions: bool = False) -> list[Person]:
    """The demo world's people in DESIGN.md's order, with their eID card's state
    (``card_blocked_at``); ``with_sessions``: also ``signed_in`` (True, False, or None when it cannot
    be known)."""
    from worlds.demo import demo_inszs

    order = {insz: index for index, insz in enumerate(demo_inszs())}
    people = sorted(Person.objects.filter(insz__in=order), key=lambda person: order[person.insz])
    if with_sessions:
        signed_in = signed_in_person_ids(person.pk for person in people)
        for person in people:
            person.signed_in = None if signed_in is None else person.pk in signed_in
    return people
