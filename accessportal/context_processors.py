from django.conf import settings

from accessportal.models import StructuredMessage


def portal(request):
    user = getattr(request, "user", None)

    def unread_messages() -> int:  # a callable: only pages that show the count pay its query
        if user is None or not user.is_authenticated:
            return 0
        return StructuredMessage.objects.filter(recipient=user, read_at__isnull=True).count()

    return {"DEMO_MODE": settings.DEMO_MODE, "unread_messages": unread_messages}
