""" "Gebruikers opzoeken" (the Functionaliteiten menu of chapter 4 step 11; "Gebruikers opzoeken" in
the real portal's User Management manual): find a person among the users of every subafdeling of the
hoedanigheid that the administrator manages, by INSZ in any notation or by name, with their rights
and roles per subafdeling.

The look-up is users.selectors.users_found (the same as "Beheer van de wachtwoorden"), paged in the
database; the rights and the current roles of a page come in one query each. Each row leads to the
person's page of "Functies en Verantwoordelijkheden Hiërarchie"."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.views.decorators.http import require_safe

from accessportal.http import get_or_404
from administrators.permissions import activation_managed_by
from roles.selectors import current_roles
from users.forms import PersonLookupForm
from users.selectors import users_found

PAGE_SIZE = 20


@login_required
@require_safe
def users(request, hoedanigheid_id):
    activation = get_or_404(activation_managed_by, request.user, hoedanigheid_id)
    form = PersonLookupForm(request.GET or None)
    rows = users_found(actor=request.user, activation=activation, **form.criteria()).prefetch_related(
        current_roles()
    )
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("pagina"))
    return render(
        request,
        "roles/lookup.html#results" if request.htmx else "roles/lookup.html",
        {
            "enterprise": activation.enterprise,
            "activation": activation,
            "manages_hoedanigheid": True,
            "help_section": "h-3-6-2",
            "form": form,
            "page": page,
            "rows": list(page.object_list),
            "searched": form.is_bound,
        },
    )
