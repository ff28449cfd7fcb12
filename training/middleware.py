from django.db.models import DateTimeField, Exists, ExpressionWrapper, OuterRef, Value
from django.utils import timezone

from accessportal import clock
from accessportal.models import Propagation
from accessportal.propagation import propagations_apply_due
from training.models import Sandbox
from training.services import sandbox_error_note, sandbox_now

SESSION_KEY = "training_sandbox"


def _changes_due():
    """Whether the sandbox has saved changes due by its own clock (real time + its offset)."""
    sandbox_time = ExpressionWrapper(
        Value(timezone.now()) + OuterRef("clock_offset"), output_field=DateTimeField()
    )
    return Exists(
        Propagation.objects.filter(
            enterprise_kbo=OuterRef("enterprise__kbo"),
            applied_at=None,
            cancelled_at=None,
            due_at__lte=sandbox_time,
        )
    )


class SandboxMiddleware:
    """A request of a sandbox's person runs on the sandbox's own clock (real time is untouched for
    everyone else), after the sandbox's changes that are due by that clock took effect (the sandbox
    runs ahead of real time, so the real-time sweep would apply them late); the last error message the
    page showed is kept for the trainer's dashboard (templates/partials/form_errors.html notes them on
    ``request.shown_errors``)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.sandbox = None
        sandbox_id = request.session.get(SESSION_KEY) if request.user.is_authenticated else None
        if not sandbox_id:
            return self.get_response(request)
        sandbox = (
            Sandbox.objects.select_related("classroom", "enterprise")
            .filter(pk=sandbox_id, people__person=request.user)
            .annotate(changes_due=_changes_due())
            .first()
        )
        if sandbox is None:  # no longer one of its people
            request.session.pop(SESSION_KEY, None)
            return self.get_response(request)
        request.sandbox = sandbox
        with clock.simulated(sandbox_now(sandbox)):
            if sandbox.changes_due:
                propagations_apply_due(enterprise_kbo=sandbox.enterprise.kbo)
            response = self.get_response(request)
            shown = getattr(request, "shown_errors", None)
            if shown:
                sandbox_error_note(sandbox_id=sandbox.pk, message=shown[-1])
        return response
