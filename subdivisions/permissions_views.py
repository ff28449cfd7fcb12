""" "Beheer van de toestemmingen" (the Functionaliteiten menu of chapter 4 step 2), on the hoedanigheid
level: which beveiligde toepassingen each subafdeling of the hoedanigheid is authorised for.

The manual shows the entry, not its screen, and the real portal's documentation found says nothing of
it. This is the simplest screen that does what its name says: per subafdeling (paged in the database,
the authorisations of a page in one query) the applications it may give its users rights for, and
"Wijzigen", which opens the subafdeling's own page where its authorisations change through the one
service that changes them (subdivisions.services.subafdeling_authorisations_update, manual 3.5.1)."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.shortcuts import render
from django.views.decorators.http import require_safe

from accessportal.http import get_or_404
from administrators.permissions import activation_managed_by
from subdivisions.models import SubafdelingAuthorisation
from subdivisions.selectors import subafdeling_rows

PAGE_SIZE = 20


@login_required
@require_safe
def permissions(request, hoedanigheid_id):
    activation = get_or_404(activation_managed_by, request.user, hoedanigheid_id)
    rows = subafdeling_rows(activation).prefetch_related(
        Prefetch(
            "authorisations",
            queryset=SubafdelingAuthorisation.objects.select_related("application").order_by(
                "application__sort_order", "application__name"
            ),
        )
    )
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("pagina"))
    return render(
        request,
        "subdivisions/permissions.html#results" if request.htmx else "subdivisions/permissions.html",
        {
            "enterprise": activation.enterprise,
            "activation": activation,
            "manages_hoedanigheid": True,
            "help_section": "h-3-5-1",
            "page": page,
            "rows": list(page.object_list),
            "offered": activation.hoedanigheid.applications.order_by("sort_order", "name"),
        },
    )
