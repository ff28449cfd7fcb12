from django.conf import settings
from django.utils import translation


class PersonLanguageMiddleware:
    """A signed-in person who has not chosen a language with the NL | FR | DE | EN switch sees the
    portal in their own Taalkeuze (the person's ``language``); the choice is then remembered in the
    language cookie, which the switch overwrites."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        preferred = None
        user = getattr(request, "user", None)
        if (
            settings.LANGUAGE_COOKIE_NAME not in request.COOKIES
            and user is not None
            and user.is_authenticated
        ):
            preferred = getattr(user, "language", None)
            if preferred in dict(settings.LANGUAGES):
                translation.activate(preferred)
                request.LANGUAGE_CODE = preferred
        response = self.get_response(request)
        if preferred in dict(settings.LANGUAGES) and settings.LANGUAGE_COOKIE_NAME not in response.cookies:
            response.set_cookie(
                settings.LANGUAGE_COOKIE_NAME,
                preferred,
                samesite="Lax",
                secure=settings.SESSION_COOKIE_SECURE,
            )
        return response
