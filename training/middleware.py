from contextlib import nullcontext

from django.conf import settings
from django.db.models import DateTimeField, Exists, ExpressionWrapper, OuterRef, Value

from accessportal import clock
from accessportal.models import Propagation
from accessportal.propagation import propagations_apply_due
from training.models import DemoWorld, Sandbox
from training.services import sandbox_error_note
from worlds.demo import DEMO_INSZS, demo_kbos

SESSION_KEY = "training_sandbox"


def _changes_due(**kbos):
    """Whether the world has saved changes due by its own clock (real time + its offset); ``kbos``
    selects its enterprises' changes (``enterprise_kbo=…`` or ``enterprise_kbo__in=…``)."""
    world_time = ExpressionWrapper(
        Value(clock.wall_now()) + OuterRef("clock_offset"), output_field=DateTimeField()
    )
    return Exists(
        Propagation.objects.filter(applied_at=None, cancelled_at=None, due_at__lte=world_time, **kbos)
    )


def _sandbox_of(request) -> Sandbox | None:
    sandbox_id = request.session.get(SESSION_KEY)
    if not sandbox_id:
        return None
    sandbox = (
        Sandbox.objects.select_related("classroom", "enterprise")
        .filter(pk=sandbox_id, people__person=request.user)
        .annotate(changes_due=_changes_due(enterprise_kbo=OuterRef("enterprise__kbo")))
        .first()
    )
    if sandbox is None:  # no longer one of its people
        request.session.pop(SESSION_KEY, None)
    return sandbox


def _demo_world_of(request) -> DemoWorld | None:
    """The demo world, for one of its people (demo mode only); its row appears at the first use."""
    if not settings.DEMO_MODE or getattr(request.user, "insz", None) not in DEMO_INSZS:
        return None
    world = DemoWorld.objects.annotate(changes_due=_changes_due(enterprise_kbo__in=demo_kbos())).first()
    return world or DemoWorld(pk=1)


class SandboxMiddleware:
    """A request of a simulated world's person (a sandbox's, or the demo world's) runs on that world's
    own clock (real time is untouched for everyone else), after the world's changes that are due by
    that clock took effect (the world may run ahead of real time, so the real-time sweep would apply
    them late). For a sandbox, the last error message the page showed is kept for the trainer's
    dashboard (templates/partials/form_errors.html notes them on ``request.shown_errors``)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.sandbox = None
        request.simulated_world = None
        if not request.user.is_authenticated:
            return self.get_response(request)
        sandbox = _sandbox_of(request)
        world = sandbox or _demo_world_of(request)
        if world is None:
            return self.get_response(request)
        request.sandbox = sandbox
        request.simulated_world = world
        # A world at real time needs no clock of its own (and keeps a test's or journey's clock).
        with clock.simulated(world.now()) if world.ahead else nullcontext():
            if getattr(world, "changes_due", False):
                propagations_apply_due(enterprise_kbos=world.enterprise_kbos())
            response = self.get_response(request)
            shown = getattr(request, "shown_errors", None)
            if sandbox is not None and shown:
                sandbox_error_note(sandbox_id=sandbox.pk, message=shown[-1])
        return response
