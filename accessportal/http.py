"""Small view helpers shared by the apps."""

import csv
from collections.abc import Callable, Iterable
from functools import partial

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Page, Paginator
from django.db.models import Count, Window
from django.http import Http404, StreamingHttpResponse
from django.utils.functional import SimpleLazyObject
from django.utils.http import url_has_allowed_host_and_scheme

from accessportal.rows import PagedIds


def safe_next_url(request, default: str = "/") -> str:
    """The ``next`` parameter when it points inside this site, else ``default``."""
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return default


def get_or_404(select: Callable, *args, **kwargs):
    """Run a permission-aware selector; "not found" and "not yours" both answer 404."""
    found = select(*args, **kwargs)
    if found is None:
        raise Http404
    return found


def get_rw_or_404(select: Callable, may_change: Callable, person, *args, **kwargs) -> tuple:
    """The object a permission-aware read gives ``person`` (else 404, as ``get_or_404``) and whether
    the person may change it, not only see it: ``may_change(person, found)``, a ``can_*`` predicate of
    the app's permissions.py (after healthchecks' ``_get_rw_check_for_user``). The template shows or
    hides the controls by the flag; the service re-checks the same predicate. The flag is asked the
    first time it is read, so a redirect or a download that never reads it costs no query."""
    found = get_or_404(select, person, *args, **kwargs)
    return found, SimpleLazyObject(partial(may_change, person, found))


def add_service_error(form, error: ValidationError) -> None:
    """Show a service's refusal next to its field when it names one of the form's, else on top."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def spreadsheet_cell(value) -> str:
    """A cell a spreadsheet shows as text: no formula (=, +, -, @) and no leading tab or CR."""
    text = "" if value is None else str(value)
    if text[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + text
    return text


class _Echo:
    def write(self, value):
        return value


def csv_download(filename: str, header: list, rows: Iterable[Iterable]) -> StreamingHttpResponse:
    """Stream rows as a CSV a Belgian Excel opens as it is: UTF-8 with a BOM, ";" between cells,
    every cell neutralised against formula injection."""
    writer = csv.writer(_Echo(), delimiter=";")

    def lines():
        yield "\ufeff"
        yield writer.writerow([spreadsheet_cell(cell) for cell in header])
        for row in rows:
            yield writer.writerow([spreadsheet_cell(cell) for cell in row])

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response


def flash_refusal(request, error: ValidationError) -> None:
    """A service's refusal as a message on the page the view redirects to."""
    messages.error(request, " ".join(error.messages))


def flash_outcome(request, write: Callable, success: str | Callable, **arguments):
    """Call a service's ``write`` with ``arguments`` and tell how it went on the page the view
    redirects to: its refusal (``flash_refusal``), else ``success``, a text or a function of what
    the write returned (the users it removed, the subafdeling it added). Returns what the write
    returned, or None after a refusal (nothing was written)."""
    try:
        result = write(**arguments)
    except ValidationError as error:
        flash_refusal(request, error)
        return None
    messages.success(request, success(result) if callable(success) else str(success))
    return result


BIGGEST_OFFSET = 2**63 - 1  # a database's OFFSET is a 64-bit integer


class CountedPaginator(Paginator):
    """For a filtered list: its page's rows carry the number of all the rows (``COUNT(*) OVER ()``),
    one statement instead of Django's count and then page. Sorting the matching rows reads them all
    anyway, so the count costs nothing more; on a whole list of 20,000 users it would (there, Django's
    separate count reads an index only). A page past the end falls back to Django's way. The rows are
    a queryset, or accessportal.rows.PagedIds whose statement counts."""

    TOTAL = "paged_total"

    def get_page(self, number):
        try:
            number = max(1, int(number))
        except (TypeError, ValueError):
            number = 1
        bottom = (number - 1) * self.per_page
        if bottom > BIGGEST_OFFSET:  # a number typed in the address bar: past the end, surely
            return super().get_page(number)
        rows, total = self._counted(bottom, bottom + self.per_page)
        if not rows:
            return super().get_page(number)
        self.__dict__["count"] = total  # Paginator.count is a cached_property
        return self._get_page(rows, number, self)

    def _counted(self, bottom: int, top: int) -> tuple[list, int | None]:
        if isinstance(self.object_list, PagedIds):
            return self.object_list.counted(bottom, top)
        rows = list(self.object_list.annotate(**{self.TOTAL: Window(Count("*"))})[bottom:top])
        return rows, getattr(rows[0], self.TOTAL) if rows else None


def list_page(request, rows, page_size: int, *, filtered: bool = False) -> tuple[Page, str]:
    """The page ``?pagina=`` asks of ``rows`` (paged in the database: a queryset, or
    accessportal.rows.PagedIds) and the list's other parameters as a query string, for the export link
    of the same criteria. ``filtered``: the criteria select a few of the rows (CountedPaginator)."""
    paginator = CountedPaginator if filtered else Paginator
    page = paginator(rows, page_size).get_page(request.GET.get("pagina"))
    query = request.GET.copy()
    query.pop("pagina", None)
    return page, query.urlencode()
