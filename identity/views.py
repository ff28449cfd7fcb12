"""Simulated sign-in with a digital key (manual 1.2.2, 3.2.2): eID, itsme, token, username + password;
and the "Persoonlijke gegevens" pages of the portal's menu."""

import secrets

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout, update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from accessportal.http import add_service_error, safe_next_url
from identity import services
from identity.forms import (
    EidSignInForm,
    ItsmeCodeForm,
    ItsmeForm,
    PasswordSignInForm,
    PersonalDataForm,
    TokenSignInForm,
    password_form,
)
from identity.throttle import client_address
from identity.tokens import TOKEN_CODES, token_card

BACKEND = "identity.backends.PortalBackend"
ITSME_SESSION_KEY = "itsme_pending"
TOKEN_SESSION_KEY = "token_code_number"
# Which key signed this session in, whose, and when: a password change without the current password
# needs a recent eID or itsme sign-in (services.strong_sign_in_recent).
SIGN_IN_SESSION_KEY = "signed_in_with"


def _signed_in(request, person, key: str, target: str | None = None):
    """Log the person in (Django rotates the session key), remember which key it was, and follow
    ``next`` inside this site."""
    target = target or safe_next_url(request)
    login(request, person, backend=BACKEND)
    request.session[SIGN_IN_SESSION_KEY] = services.sign_in_proof(person=person, key=key)
    return redirect(target)


def _refused(form, error: ValidationError) -> int:
    """Show a refusal on the form; the status of the page: 429 while throttled, else 200."""
    add_service_error(form, error)
    return 429 if getattr(error, "code", None) == "throttled" else 200


def _key_page(request, template, form, status=200, **context):
    return render(
        request,
        f"identity/{template}",
        {"form": form, "next": safe_next_url(request, ""), **context},
        status=status,
    )


@require_safe
def sign_in(request):
    """ "Meld u aan met uw eID, itsme, enz.": the choice of digital key."""
    return render(request, "identity/sign_in.html", {"next": safe_next_url(request, "")})


@require_http_methods(["GET", "POST"])
def sign_in_eid(request):
    form = EidSignInForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            person = services.eid_sign_in(
                insz=form.cleaned_data["insz"],
                pin=form.cleaned_data["pin"],
                address=client_address(request),
            )
        except ValidationError as error:
            status = _refused(form, error)
        else:
            return _signed_in(request, person, "eid")
    return _key_page(request, "sign_in_eid.html", form, status)


@require_http_methods(["GET", "POST"])
def sign_in_password(request):
    form = PasswordSignInForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            person = services.password_sign_in(address=client_address(request), **form.cleaned_data)
        except ValidationError as error:
            status = _refused(form, error)
        else:
            return _signed_in(request, person, "password")
    return _key_page(request, "sign_in_password.html", form, status)


@require_http_methods(["GET", "POST"])
def sign_in_token(request):
    form = TokenSignInForm(request.POST or None)
    number = request.session.get(TOKEN_SESSION_KEY)
    status = 200
    if request.method == "POST" and number and form.is_valid():
        try:
            person = services.token_sign_in(
                code_number=number, address=client_address(request), **form.cleaned_data
            )
        except ValidationError as error:
            status = _refused(form, error)
        else:
            request.session.pop(TOKEN_SESSION_KEY, None)
            return _signed_in(request, person, "token")
    number = secrets.randbelow(TOKEN_CODES) + 1  # a new code is asked after every attempt
    request.session[TOKEN_SESSION_KEY] = number
    return _key_page(request, "sign_in_token.html", form, status, code_number=number)


@require_http_methods(["GET", "POST"])
def sign_in_itsme(request):
    """The gsm-nummer. Every well-formed number goes on to the app's step: whether an itsme account
    exists for it is not told here."""
    form = ItsmeForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            phone = services.itsme_phone_check(
                phone=form.cleaned_data["phone"], address=client_address(request)
            )
        except ValidationError as error:
            status = _refused(form, error)
        else:
            request.session[ITSME_SESSION_KEY] = {
                "phone": phone,
                "code": f"{secrets.randbelow(100):02d}",
                "next": safe_next_url(request, ""),
            }
            return redirect("identity:sign-in-itsme-confirm")
    return _key_page(request, "sign_in_itsme.html", form, status)


@require_http_methods(["GET", "POST"])
def sign_in_itsme_confirm(request):
    """The simulated itsme app on the phone: the person confirms with their itsme code, or refuses."""
    pending = request.session.get(ITSME_SESSION_KEY)
    if not pending or "phone" not in pending:
        return redirect("identity:sign-in-itsme")
    form = ItsmeCodeForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        if request.POST.get("action") != "confirm":
            request.session.pop(ITSME_SESSION_KEY, None)
            messages.error(request, _("U hebt de aanmelding geweigerd in de itsme-app."))
            query = urlencode({"next": pending["next"]}) if pending["next"] else ""
            return redirect(f"{reverse('identity:sign-in-itsme')}?{query}")
        if form.is_valid():
            try:
                person = services.itsme_sign_in(
                    phone=pending["phone"], code=form.cleaned_data["code"], address=client_address(request)
                )
            except ValidationError as error:
                status = _refused(form, error)
            else:
                request.session.pop(ITSME_SESSION_KEY, None)
                return _signed_in(request, person, "itsme", target=pending["next"] or "/")
    return render(
        request,
        "identity/sign_in_itsme_confirm.html",
        {"form": form, "code": pending["code"]},
        status=status,
    )


@require_http_methods(["GET", "POST"])
def sign_out(request):
    if request.method == "POST":
        logout(request)
        messages.success(request, _("U bent afgemeld."))
        return redirect("csam-home")
    return render(request, "identity/sign_out.html")


@login_required
@require_safe
def digital_keys(request):
    """ "Mijn digitale sleutels": the signed-in person's keys, with the token card to print."""
    return render(request, "identity/digital_keys.html", {"token_card": token_card(request.user.insz)})


# "Persoonlijke gegevens" in the portal's "Functionaliteiten" menu.


def _language_cookie(response, language: str):
    """What Django's set_language view does: LocaleMiddleware reads this cookie on the next request."""
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )
    return response


@login_required
@require_http_methods(["GET", "POST"])
def personal_data(request):
    """ "Mijn persoonlijke gegevens wijzigen": E-mailadres, Taalkeuze and Telefoon; the names, title
    and INSZ come from the national register and are shown read-only. Saving switches the portal to
    the chosen language."""
    person = request.user
    form = PersonalDataForm(
        request.POST if request.method == "POST" else None,
        initial={"email": person.email, "language": person.language, "phone": person.phone},
    )
    if request.method == "POST" and form.is_valid():
        try:
            person = services.personal_data_update(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            with translation.override(person.language):
                messages.success(request, _("Uw persoonlijke gegevens werden opgeslagen"))
            return _language_cookie(redirect("identity:personal-data"), person.language)
    return render(request, "identity/personal_data.html", {"form": form, "help_section": "h-3-6-1"})


def _sign_in_again_links(request) -> dict:
    """Sign in again with eID or itsme, and come back here."""
    query = urlencode({"next": request.path})
    return {
        "eid": f"{reverse('identity:sign-in-eid')}?{query}",
        "itsme": f"{reverse('identity:sign-in-itsme')}?{query}",
    }


@login_required
@require_http_methods(["GET", "POST"])
def password_change(request):
    """ "Mijn wachtwoord wijzigen": the username + password key. Whoever holds the session proves to
    be the person first: with the current password (Django's PasswordChangeForm), or by a sign-in with
    eID or itsme in the last five minutes (then no current password is asked: SetPasswordForm, plus a
    username when the person has none). A person without a password and without such a sign-in is asked
    to sign in again with eID or itsme. The session stays signed in after the change."""
    person = request.user
    sign_in = request.session.get(SIGN_IN_SESSION_KEY)
    recent = services.strong_sign_in_recent(person=person, sign_in=sign_in)
    first_password = not person.has_usable_password()
    context = {
        "first_password": first_password,
        "recent": recent,
        "sign_in_again": _sign_in_again_links(request),
        "help_section": "h-1-2-2",
    }
    if first_password and not recent:  # the page says why, and links to eID and itsme
        return render(request, "identity/password_change.html", {**context, "form": None})
    data = request.POST if request.method == "POST" else None
    form = password_form(person, data, ask_current=not recent)
    if request.method == "POST" and form.is_valid():
        try:
            person = services.password_change(
                actor=request.user,
                password=form.cleaned_data["new_password1"],
                username=form.cleaned_data.get("username"),
                current_password=form.cleaned_data.get("old_password"),
                strong_sign_in=sign_in,
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            update_session_auth_hash(request, person)
            messages.success(request, _("Uw wachtwoord werd gewijzigd"))
            return redirect("identity:password-change")
    return render(request, "identity/password_change.html", {**context, "form": form})


RESET_SESSION_KEY = "password_reset_link"
RESET_SET_STEP = "nieuw"


@require_http_methods(["GET", "HEAD", "POST"])
def password_reset(request, uidb64, token):
    """The one-time link of the mail "Kies een nieuw wachtwoord voor het Toegangsbeheer" ("Beheer van de
    wachtwoorden"): the person chooses a new password (and a username when they have none), by the
    portal's rules. As Django's own reset view does, the link's token moves into the session and the
    page redirects to ``…/nieuw/``, so that the token never stays in the address bar or a Referer. An
    expired, used or altered link says so and changes nothing. Nobody needs to be signed in."""
    if token != RESET_SET_STEP:
        person = services.password_reset_person(uidb64)
        if services.password_reset_link_valid(person, token):
            request.session[RESET_SESSION_KEY] = {"uid": uidb64, "token": token}
            return redirect("identity:password-reset", uidb64=uidb64, token=RESET_SET_STEP)
        return render(request, "identity/password_reset.html", {"form": None})
    pending = request.session.get(RESET_SESSION_KEY) or {}
    person = services.password_reset_person(uidb64) if pending.get("uid") == uidb64 else None
    token = pending.get("token", "")
    if not services.password_reset_link_valid(person, token):
        return render(request, "identity/password_reset.html", {"form": None})
    form = password_form(person, request.POST if request.method == "POST" else None, ask_current=False)
    if request.method == "POST" and form.is_valid():
        try:
            person = services.password_reset_complete(
                person=person,
                token=token,
                password=form.cleaned_data["new_password1"],
                username=form.cleaned_data.get("username"),
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            request.session.pop(RESET_SESSION_KEY, None)
            if request.user.is_authenticated and request.user.pk == person.pk:
                update_session_auth_hash(request, person)
            messages.success(
                request,
                _(
                    "Uw nieuwe wachtwoord werd opgeslagen. Meld u aan met uw gebruikersnaam en dit wachtwoord."
                ),
            )
            return redirect("identity:sign-in-password")
    return render(request, "identity/password_reset.html", {"form": form, "person": person})
