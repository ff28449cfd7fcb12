""" "Gebruikers importeren" on a subafdeling's "Gebruikers" (issue 19), beside "Een gebruiker toevoegen".

The file (CSV or XLSX, the export's columns; a template to download) is checked first: the report says
per row what will change, or why the row cannot be imported, and nothing is written. "Bevestigen" hands
the import to Celery; the same page then shows its progress (htmx polls the partial "progress") and, at
the end, the result, also as a CSV. Who may add a user on the subafdeling may import; anyone else, and
every administrator of another enterprise, gets 404 (subdivisions.permissions.subafdeling_managed_by).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django_htmx.http import HttpResponseClientRefresh

from accessportal.http import add_service_error, csv_download, flash_refusal, get_or_404
from accessportal.identifiers import insz_portal_format
from subdivisions.permissions import subafdeling_managed_by
from users import import_files, imports, selectors
from users.forms import UserImportForm
from users.models import ImportAction, ImportStatus

ROWS_PER_PAGE = 100
TEMPLATES = {
    "csv": ("text/csv; charset=utf-8", import_files.template_csv),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", import_files.template_xlsx),
}


def _subafdeling(request, subafdeling_id):
    return get_or_404(subafdeling_managed_by, request.user, subafdeling_id)


def _context(subafdeling, **extra) -> dict:
    activation = subafdeling.activation
    return {
        "enterprise": activation.enterprise,
        "activation": activation,
        "subafdeling": subafdeling,
        "help_section": "h-3-6-1",
        **extra,
    }


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def users_import(request, subafdeling_id):
    """The file, "Controleren" (the dry run): its report, or the file's refusal next to the field."""
    subafdeling = _subafdeling(request, subafdeling_id)
    form = UserImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            user_import = imports.user_import_check(
                actor=request.user, subafdeling=subafdeling, upload=form.cleaned_data["file"]
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            return redirect("users:import-report", subafdeling_id=subafdeling.pk, import_id=user_import.pk)
    return render(
        request,
        "users/import.html",
        _context(
            subafdeling,
            form=form,
            columns=import_files.COLUMNS,
            max_rows=import_files.MAX_ROWS,
            max_megabytes=import_files.MAX_BYTES // (1024 * 1024),
        ),
    )


@login_required
@require_safe
def users_import_template(request, subafdeling_id, kind):
    """The template: the export's columns, empty, as CSV or XLSX."""
    _subafdeling(request, subafdeling_id)
    if kind not in TEMPLATES:
        raise Http404
    content_type, build = TEMPLATES[kind]
    response = HttpResponse(build(), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{slugify(_("Gebruikers importeren"))}.{kind}"'
    return response


def _import(request, subafdeling, import_id):
    user_import = get_or_404(selectors.user_import_of, subafdeling, import_id)
    user_import.subafdeling = subafdeling  # with its facility and enterprise already read
    return user_import


@login_required
@require_safe
def users_import_report(request, subafdeling_id, import_id):
    """The dry run's report with "Bevestigen" / "Annuleren" / "Terug"; once confirmed, the progress
    bar (polled by htmx) and the result."""
    subafdeling = _subafdeling(request, subafdeling_id)
    user_import = _import(request, subafdeling, import_id)
    counts = imports.import_counts(user_import)
    if request.htmx and request.htmx.target == "voortgang":
        if user_import.status == ImportStatus.KLAAR:
            return HttpResponseClientRefresh()  # the whole page, with the rows' results
        imports.user_import_resume_if_stalled(user_import, counts)
    paginator = Paginator(user_import.rows.all(), ROWS_PER_PAGE)
    paginator.count = counts["total"]  # counted already: no COUNT of its own
    page = paginator.get_page(request.GET.get("pagina"))
    rows = [(row, imports.row_description(row)) for row in page.object_list]
    context = _context(
        subafdeling,
        user_import=user_import,
        counts=counts,
        page=page,
        rows=rows,
        statuses=ImportStatus,
        actions=ImportAction,
        to_do=counts["nieuw"] + counts["wijziging"],
        error_lines=imports.error_lines(user_import) if counts["fout"] else [],
    )
    if user_import.status == ImportStatus.GECONTROLEERD and not request.htmx:
        context["proposed"] = {
            "change": "users_add",
            "subafdeling": subafdeling,
            "additions": imports.planned_additions(user_import),
        }
    template = "users/import_report.html"
    if request.htmx:
        template += "#progress" if request.htmx.target == "voortgang" else "#rows"
    return render(request, template, context)


@login_required
@require_POST
def users_import_confirm(request, subafdeling_id, import_id):
    """ "Bevestigen": the import runs; a second "Bevestigen" only shows it again."""
    subafdeling = _subafdeling(request, subafdeling_id)
    user_import = _import(request, subafdeling, import_id)
    try:
        imports.user_import_confirm(actor=request.user, user_import=user_import)
    except ValidationError as error:
        flash_refusal(request, error)
    return redirect("users:import-report", subafdeling_id=subafdeling.pk, import_id=user_import.pk)


@login_required
@require_POST
def users_import_cancel(request, subafdeling_id, import_id):
    """ "Annuleren" after the dry run: nothing was written, the plan goes."""
    subafdeling = _subafdeling(request, subafdeling_id)
    user_import = _import(request, subafdeling, import_id)
    try:
        imports.user_import_cancel(actor=request.user, user_import=user_import)
    except ValidationError as error:
        flash_refusal(request, error)
    else:
        if user_import.status == ImportStatus.GECONTROLEERD:
            messages.info(request, _("De import werd geannuleerd. Er werd niets gewijzigd."))
    return redirect("users:list", subafdeling_id=subafdeling.pk)


@login_required
@require_safe
def users_import_download(request, subafdeling_id, import_id):
    """The report as CSV (accessportal.http.csv_download: every cell safe from formula injection)."""
    subafdeling = _subafdeling(request, subafdeling_id)
    user_import = _import(request, subafdeling, import_id)
    header = [_("Regel"), _("INSZ"), _("Naam"), _("Resultaat"), _("Toelichting")]
    lines = (
        (
            row.line,
            insz_portal_format(row.insz) if row.insz else row.data.get("insz", ""),
            row.name,
            ImportAction(row.result or row.action).label,
            imports.row_description(row),
        )
        for row in user_import.rows.all().iterator(chunk_size=500)
    )
    return csv_download(slugify(f"import {user_import.filename} {user_import.pk}"), header, lines)
