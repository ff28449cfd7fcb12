"""System checks of the portal's own settings (``manage.py check --deploy``)."""

from django.conf import settings
from django.core.checks import Tags, Warning, register


@register(Tags.security, deploy=True)
def demo_mode_check(app_configs, **kwargs):
    """Demo mode opens the demo mailbox (every mail the portal sent, to anyone), the persona shortcuts
    and the demo reload: tools for a training room, never for a production server."""
    if not getattr(settings, "DEMO_MODE", False):
        return []
    return [
        Warning(
            "Demo mode is on (ACCESSPORTAL_DEMO_MODE): the demo mailbox shows every mail the portal sent "
            "to anyone, and trainers can reload the demo world.",
            hint="Unset ACCESSPORTAL_DEMO_MODE (or set it to 0) on a production server.",
            id="accessportal.W001",
        )
    ]
