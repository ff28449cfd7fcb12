"""Permission-aware reads of training: a trainer sees their own classrooms (a superuser every one);
a sandbox's progress is read in one query for a whole classroom."""

from dataclasses import dataclass, field

from django.apps import apps
from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery
from django.utils.translation import gettext as _

from accessportal import clock
from accessportal.models import AuditEvent, Propagation
from administrators.models import CoHtbAppointment, EnterpriseHoedanigheid, HtbAppointment, LocalAdministrator
from identity.models import Person
from roles.models import RoleAssignment
from subdivisions.models import Subafdeling, SubafdelingAdministrator, SubafdelingStatus
from training.models import Classroom, Part, Sandbox, SandboxPerson
from training.services import is_trainer
from users.models import ApplicationRight, SubafdelingUser

# The steps of the stappenplan the trainer's dashboard follows, in order (manual chapter 2).
PROGRESS = [
    ("htb", "2.1.1"),
    ("hoedanigheid", "3.3"),
    ("tb", "2.1.2"),
    ("subafdeling", "2.1.3"),
    ("right", "2.1.4"),
    ("role", "3.6.2"),
    ("signed_in", "2.2"),
]


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
    """Each sandbox annotated with one boolean per step of PROGRESS (and ``extra`` annotations), in a
    single query."""
    enterprise = OuterRef("enterprise")
    today = clock.today()
    return sandboxes.annotate(
        htb=Exists(HtbAppointment.objects.filter(enterprise=enterprise, ended_at=None)),
        hoedanigheid=Exists(EnterpriseHoedanigheid.objects.filter(enterprise=enterprise)),
        tb=Exists(LocalAdministrator.objects.filter(hoedanigheid__enterprise=enterprise, ended_at=None)),
        subafdeling=Exists(
            Subafdeling.objects.filter(hoedanigheid__enterprise=enterprise, status=SubafdelingStatus.ACTIEF)
        ),
        right=Exists(ApplicationRight.objects.filter(subafdeling__hoedanigheid__enterprise=enterprise)),
        # A role that reached the applications (past the propagation delay) and has not ended. Its
        # start date is not compared: the sandbox's own date differs from the trainer's.
        role=Exists(
            RoleAssignment.objects.filter(
                user__subafdeling__hoedanigheid__enterprise=enterprise, effective_start_date__isnull=False
            ).filter(Q(effective_end_date=None) | Q(effective_end_date__gte=today))
        ),
        signed_in=Exists(
            AuditEvent.objects.filter(
                action="application.sign_in", enterprise_kbo=OuterRef("enterprise__kbo")
            )
        ),
        **extra,
    )


def classroom_progress(classroom: Classroom) -> list[Sandbox]:
    """The trainer's dashboard: every sandbox of the classroom with its progress and its legal
    representative's name (``representative_first_name``, ``representative_last_name``), one query
    whatever the size of the classroom."""
    representative = SandboxPerson.objects.filter(sandbox=OuterRef("pk"), part=Part.LEGAL_REPRESENTATIVE)
    return list(
        with_progress(
            classroom.sandboxes.select_related("enterprise").annotate(
                representative_first_name=Subquery(representative.values("person__first_name")[:1]),
                representative_last_name=Subquery(representative.values("person__last_name")[:1]),
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
        .filter(hoedanigheid__enterprise_id=enterprise_id)
        .select_related("hoedanigheid__hoedanigheid")
        .order_by("kind", "hoedanigheid__hoedanigheid__name")
    ):
        add(
            administrator.person_id,
            administrator.get_kind_display(),
            administrator.hoedanigheid.hoedanigheid.name,
        )
    for person_id, name in (
        SubafdelingAdministrator.objects.current()
        .filter(subafdeling__hoedanigheid__enterprise_id=enterprise_id)
        .order_by("subafdeling__name")
        .values_list("person_id", "subafdeling__name")
    ):
        add(person_id, _("Subafdelingsbeheerder"), name)
    for person_id, name in (
        SubafdelingUser.objects.filter(subafdeling__hoedanigheid__enterprise_id=enterprise_id)
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
