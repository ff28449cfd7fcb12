"""The public search pages of the simulated authentic sources, where the manual sends people before
they start: "KBO Public Search" (manual 3.2.2: "Gebruik KBO Public Search als u niet zeker weet of u
momenteel erkend bent als wettelijk vertegenwoordiger") and the "CoBRHA Viewer" (manual 1.2.3: the HCO
numbers of the facilities, "onder andere a.d.h.v. het ondernemingsnummer").

The manual shows neither page; they do what the real ones are for, on the simulator's registers
(every enterprise, a training sandbox's too), and show public data only: names and functions, never
an INSZ. Open to everyone, as the real ones are; the search is bounded and its results paginated in
the database.
"""

from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from accessportal.forms import SearchForm
from enterprises import selectors

PAGE_SIZE = 10


def _search(request, template: str, select, label, help_text):
    form = SearchForm(request.GET or None, label=label, help_text=help_text)
    page = None
    if form.is_valid():
        try:
            found = select(form.cleaned_data["zoek"])
        except ValidationError as error:
            form.add_error("zoek", error)
        else:
            page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("pagina"))
    if request.htmx:
        template += "#results"
    return render(request, template, {"form": form, "page": page})


@require_safe
def kbo_search(request):
    return _search(
        request,
        "enterprises/kbo_search.html",
        selectors.kbo_public_search,
        _("Ondernemingsnummer of naam"),
        _("Bijvoorbeeld 0406.633.304 of Broeders van Liefde."),
    )


@require_safe
def cobrha_viewer(request):
    return _search(
        request,
        "enterprises/cobrha_viewer.html",
        selectors.cobrha_search,
        _("HCO-nummer, ondernemingsnummer of naam"),
        _("Bijvoorbeeld 201870, 0406.633.304 of Huize Terloo."),
    )
