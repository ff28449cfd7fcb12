""" "Beheer van de wachtwoorden" (the Functionaliteiten menu of chapter 4 step 2): the toegangsbeheerder
resets the password of a user of a subafdeling they manage.

The manual shows the entry, not its screen; this is the simplest screen that does what its name says.
The administrator finds the user (INSZ in any notation, or name: users.selectors.users_found, the
same look-up as "Gebruikers opzoeken"), confirms on the user's page, and the user gets a mail with a
one-time link, valid for 24 hours, to choose a new password (users.services.user_password_reset).
Anyone who does not manage the hoedanigheid, and every administrator of another enterprise, gets 404;
a user of a subafdeling the administrator does not manage is not found."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from accessportal.http import flash_outcome, get_or_404
from administrators.permissions import activation_managed_by
from users import permissions, selectors, services
from users.forms import PersonLookupForm

PAGE_SIZE = 20


def _context(activation, **extra) -> dict:
    return {
        "enterprise": activation.enterprise,
        "activation": activation,
        "manages_hoedanigheid": True,
        "help_section": "h-3-6-1",
        **extra,
    }


@login_required
@require_safe
def passwords(request, hoedanigheid_id):
    """The look-up: INSZ or name, "Zoeken"; the users found, each with "Wachtwoord opnieuw instellen"."""
    activation = get_or_404(activation_managed_by, request.user, hoedanigheid_id)
    form = PersonLookupForm(request.GET or None)
    rows = selectors.users_found(actor=request.user, activation=activation, **form.criteria())
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("pagina"))
    return render(
        request,
        "users/passwords.html#results" if request.htmx else "users/passwords.html",
        _context(activation, form=form, page=page, rows=list(page.object_list), searched=form.is_bound),
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def password_reset(request, hoedanigheid_id, user_id):
    """The confirmation: whose password, the address the link goes to; "Bevestigen" resets it."""
    activation = get_or_404(activation_managed_by, request.user, hoedanigheid_id)
    user = get_or_404(permissions.user_found, actor=request.user, activation=activation, user_id=user_id)
    if request.method == "POST":
        flash_outcome(
            request,
            services.user_password_reset,
            _(
                "Het wachtwoord van %(name)s werd opnieuw ingesteld. Een e-mail met een link om een nieuw "
                "wachtwoord te kiezen werd verstuurd naar %(email)s."
            )
            % {"name": user.person.full_name, "email": user.email},
            actor=request.user,
            user=user,
            site_url=request.build_absolute_uri("/"),
        )
        return redirect("users:passwords", hoedanigheid_id=activation.pk)
    return render(request, "users/password_reset_confirm.html", _context(activation, found=user))
