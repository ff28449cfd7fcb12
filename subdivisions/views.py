"""The portal's front pages: the quality choice and the welcome page with everything the person
holds (manual 3.3, 3.5.1, chapter 4 step 1)."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_safe

from subdivisions.selectors import portal_capacities

QUALITY_SESSION_KEY = "portal_quality"


@login_required
@require_http_methods(["GET", "POST"])
def portal_quality(request):
    """ "Krijgt u dit scherm, selecteer dan 'Werkgever'": asked once per session."""
    if request.method == "POST" and request.POST.get("quality") in {"werkgever", "burger"}:
        request.session[QUALITY_SESSION_KEY] = request.POST["quality"]
        return redirect("subdivisions:welcome")
    return render(request, "portal/quality.html")


@login_required
@require_safe
def portal_welcome(request):
    """The welcome page: the enterprises the person is registered for and, for the chosen one, a
    link per capacity (Benaming, Hoedanigheid, Subafdeling), each with the person's role in it."""
    if request.session.get(QUALITY_SESSION_KEY) != "werkgever":
        return redirect("subdivisions:quality")
    capacities = portal_capacities(request.user)
    chosen = next((c for c in capacities if c.enterprise.kbo == request.GET.get("onderneming")), None)
    if chosen is None and capacities:
        chosen = capacities[0]
    return render(
        request,
        "portal/welcome.html",
        {"capacities": capacities, "chosen": chosen, "help_section": "h-3-3"},
    )
