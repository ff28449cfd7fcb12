from django.conf import settings
from django.core.exceptions import SuspiciousOperation
from django.utils import translation


class NulByteInRequest(SuspiciousOperation):
    """A NUL byte where no one types one; Django answers 400 and logs it under django.security."""


def _has_nul(values) -> bool:
    return any("\x00" in key or any("\x00" in value for value in items) for key, items in values)


class RefuseNulBytesMiddleware:
    """A NUL byte in the path, a GET parameter, a posted form field or a cookie answers 400 before any
    view runs. PostgreSQL refuses NUL in text (psycopg raises on the query), so every look-up with one
    would be a 500; nothing a person types contains it, so one rule here covers every route, filter,
    search and form, present and future."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            "\x00" in request.path
            or _has_nul(request.GET.lists())
            or _has_nul((name, [value]) for name, value in request.COOKIES.items())
            or (
                request.method == "POST"
                and request.content_type in ("application/x-www-form-urlencoded", "multipart/form-data")
                and _has_nul(request.POST.lists())
            )
        ):
            raise NulByteInRequest("NUL byte in the request")
        return self.get_response(request)


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
