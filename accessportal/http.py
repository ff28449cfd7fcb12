"""Small view helpers shared by the apps."""

from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.http import url_has_allowed_host_and_scheme


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


def add_service_error(form, error: ValidationError) -> None:
    """Show a service's refusal next to its field when it names one of the form's, else on top."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)
