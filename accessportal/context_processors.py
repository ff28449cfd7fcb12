from django.conf import settings

from accessportal.models import StructuredMessage


def portal(request):
    user = getattr(request, "user", None)

    def unread_messages() -> int:
        if user is None or not user.is_authenticated:
            return 0
        # Counted with the person at sign-in of the request (identity.backends.PortalBackend); a
        # person read another way (a test's request.user) pays a query here, when a page shows it.
        known = getattr(user, "unread_message_count", None)
        if known is not None:
            return known
        return StructuredMessage.objects.filter(recipient=user, read_at__isnull=True).count()

    return {"DEMO_MODE": settings.DEMO_MODE, "unread_messages": unread_messages}
