"""Permission-aware reads of training: a trainer sees their own classrooms (a superuser every one);
a sandbox's progress is read in one query for a whole classroom."""

from django.db.models import Exists, OuterRef, Q, QuerySet

from accessportal import clock
from accessportal.models import AuditEvent
from administrators.models import EnterpriseHoedanigheid, HtbAppointment, LocalAdministrator
from roles.models import RoleAssignment
from subdivisions.models import Subafdeling, SubafdelingStatus
from training.models import Classroom, Sandbox
from training.services import is_trainer
from users.models import ApplicationRight

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
    return list(with_progress(classroom.sandboxes.select_related("enterprise")).order_by("number"))


def sandbox_progress(sandbox: Sandbox, **extra) -> Sandbox:
    return with_progress(
        Sandbox.objects.filter(pk=sandbox.pk).select_related("enterprise", "classroom"), **extra
    ).get()
