import re

from django.conf import settings
from django.core.exceptions import SuspiciousOperation
from django.utils import translation
from django.utils.translation import gettext as _


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


_H1 = re.compile(rb"<h1\b[^>]*>(.*?)</h1>", re.S)
_TAG = re.compile(r"<[^>]+>")
_ERROR_SUMMARY = (b'class="error-summary"', b'class="app-error-summary"')


class PageTitleMiddleware:
    """Every page's title says which page it is and whether its form came back with errors (WCAG 2.4.2,
    3.3.1): the page's h1 goes before the site's name ("Gebruikers toevoegen - Toegangsbeheer voor
    Ondernemingen en Organisaties") unless the title already holds it, and "Fout: " goes first on a
    page with an error summary. One rule for every template, present and future, so that no two
    screens share a title and no page forgets its errors; the templates keep the site's name.

    It reads the page's bytes (the markers are ASCII, which UTF-8 never uses inside a character) and
    decodes only the title and the h1: decoding, searching and encoding the whole page again cost a
    list or an editor page about 0.3 million instructions."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            response.streaming
            or not response.get("Content-Type", "").startswith("text/html")
            or getattr(request, "htmx", False)
        ):
            return response
        charset = response.charset or "utf-8"
        content = response.content
        start = content.find(b"<title>")
        end = content.find(b"</title>", start) if start >= 0 else -1
        if end < 0:
            return response
        start += len(b"<title>")
        old = content[start:end].decode(charset)
        text = old.strip()
        h1 = content.find(b"<h1", end)
        h1 = _H1.search(content, h1) if h1 >= 0 else None
        if h1 is not None:
            heading = " ".join(_TAG.sub("", h1.group(1).decode(charset)).split())
            if heading and heading not in text:
                text = f"{heading} - {text}"
        if any(marker in content for marker in _ERROR_SUMMARY):
            text = _("Fout: %(title)s") % {"title": text}
        if text != old:
            response.content = b"".join((content[:start], text.encode(charset), content[end:]))
        return response
