"""The Departement Zorg's page "Via eHealth toegang krijgen als zorgvoorziening tot
gezondheidstoepassingen", where the manual sends people to learn, per application, which hoedanigheid
and subdivisie go with their type of facility (3.3) and which roles exist, with their description
(3.6.2).

The real page is on the Departement Zorg's website; this one is the simulator's, built from its own
catalogue (editable in the admin): for each simulated application the right it needs, the
hoedanigheden that offer that right with their subdivisies, and the role it needs, if any; then every
role, under the right it goes with. The manual lists the roles without describing them, and so does
this page.
"""

from django.db.models import Prefetch
from django.shortcuts import render
from django.views.decorators.http import require_safe

from enterprises.models import Application, Hoedanigheid
from roles.models import Role, SimulatedApplication


@require_safe
def departement_zorg(request):
    hoedanigheden = Hoedanigheid.objects.prefetch_related("subdivision_types").order_by("sort_order", "name")
    applications = SimulatedApplication.objects.select_related("application").prefetch_related(
        Prefetch("application__hoedanigheden", queryset=hoedanigheden),
        Prefetch("roles", queryset=Role.objects.order_by("sort_order", "name")),
    )
    rights_with_roles = (
        Application.objects.filter(roles__isnull=False)
        .distinct()
        .prefetch_related(Prefetch("roles", queryset=Role.objects.order_by("sort_order", "name")))
        .order_by("sort_order", "name")
    )
    return render(
        request,
        "roles/departement_zorg.html",
        {"applications": applications, "rights_with_roles": rights_with_roles},
    )
