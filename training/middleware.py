from accessportal import clock
from training.models import Sandbox
from training.services import sandbox_error_note, sandbox_now

SESSION_KEY = "training_sandbox"


class SandboxMiddleware:
    """A request of a sandbox's person runs on the sandbox's own clock (real time is untouched for
    everyone else), and the last error message the page showed is kept for the trainer's dashboard
    (templates/partials/form_errors.html notes them on ``request.shown_errors``)."""

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
            .first()
        )
        if sandbox is None:  # no longer one of its people
            request.session.pop(SESSION_KEY, None)
            return self.get_response(request)
        request.sandbox = sandbox
        with clock.simulated(sandbox_now(sandbox)):
            response = self.get_response(request)
            shown = getattr(request, "shown_errors", None)
            if shown:
                sandbox_error_note(sandbox_id=sandbox.pk, message=shown[-1])
        return response
