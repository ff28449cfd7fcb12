from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from training.middleware import SESSION_KEY
from training.models import SandboxPerson


@receiver(user_logged_in)
def remember_the_sandbox(sender, request, user, **kwargs):
    """A sandbox's person works on the sandbox's clock from their next request on."""
    if request is None or not hasattr(request, "session"):
        return
    sandbox_id = SandboxPerson.objects.filter(person=user).values_list("sandbox_id", flat=True).first()
    if sandbox_id:
        request.session[SESSION_KEY] = sandbox_id
    else:
        request.session.pop(SESSION_KEY, None)
