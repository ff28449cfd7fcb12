"""The "Gestructureerde berichten" inbox of the portal: the messages the portal sends the person
(appointments, activations, later role changes).

The manual only names the menu item; the screen follows what the real portal's users expect: the
newest message first, the unread ones marked, a checkbox per message with "Als gelezen markeren",
and opening a message marks it read. A person only ever sees their own messages: another person's
message answers 404. Paged in the database, 20 per page, with a fixed number of queries.
"""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_safe

from accessportal.forms import row_key_fits
from accessportal.http import get_or_404
from accessportal.messaging import message_mark_read, message_of, messages_of
from accessportal.models import StructuredMessage

PER_PAGE = 20
MAX_SELECTED = 100

CATEGORY_LABELS = {
    "appointment": _("Aanstelling"),
    "activation": _("Activatie"),
    "role": _("Rol"),
    "right": _("Toegangsrecht"),
}


class MessageIdsField(forms.Field):
    """The ticked checkboxes: a list of message numbers."""

    widget = forms.MultipleHiddenInput
    default_error_messages = {
        "required": _("Selecteer minstens één bericht om als gelezen te markeren."),
        "invalid": _("De selectie is ongeldig. Selecteer de berichten opnieuw."),
        "too_many": _("Selecteer hoogstens %(max)s berichten tegelijk."),
    }

    def to_python(self, value):
        if not value:
            return []
        if not isinstance(value, list | tuple):
            value = [value]
        if len(value) > MAX_SELECTED:
            raise forms.ValidationError(
                self.error_messages["too_many"], code="too_many", params={"max": MAX_SELECTED}
            )
        try:
            ids = sorted({int(item) for item in value})
        except (TypeError, ValueError):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None
        key = StructuredMessage._meta.pk
        if any(number <= 0 or not row_key_fits(key, number) for number in ids):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return ids


class MarkReadForm(forms.Form):
    bericht = MessageIdsField(label=_("Berichten"))


def _page_number(request) -> str | None:
    return request.POST.get("pagina") or request.GET.get("pagina")


def _inbox_url(page_number) -> str:
    url = reverse("accessportal:inbox")
    try:
        number = int(page_number)
    except (TypeError, ValueError):
        return url
    return f"{url}?pagina={number}" if number > 1 else url


@login_required
@require_http_methods(["GET", "POST"])
def inbox(request):
    """The list, newest first; POST "Als gelezen markeren" marks the ticked messages read."""
    form = MarkReadForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        count = message_mark_read(recipient=request.user, message_ids=form.cleaned_data["bericht"])
        if count:
            messages.success(
                request,
                ngettext(
                    "%(count)s bericht werd als gelezen gemarkeerd.",
                    "%(count)s berichten werden als gelezen gemarkeerd.",
                    count,
                )
                % {"count": count},
            )
        else:
            messages.info(request, _("De geselecteerde berichten waren al gelezen."))
        return redirect(_inbox_url(_page_number(request)))
    page = Paginator(messages_of(request.user), PER_PAGE).get_page(_page_number(request))
    selected = set(request.POST.getlist("bericht")) if form.is_bound else set()  # kept on an error
    rows = [
        {
            "message": message,
            "category": CATEGORY_LABELS.get(message.category, message.category),
            "checked": str(message.pk) in selected,
        }
        for message in page
    ]
    return render(request, "accessportal/inbox.html", {"page": page, "rows": rows, "form": form})


@login_required
@require_safe
def detail(request, message_id):
    """One message; opening it marks it read."""
    message = get_or_404(message_of, request.user, message_id)
    was_unread = message.read_at is None
    if was_unread:
        message_mark_read(recipient=request.user, message_ids=[message.pk])
    return render(
        request,
        "accessportal/inbox_detail.html",
        {
            "message": message,
            "category": CATEGORY_LABELS.get(message.category, message.category),
            "was_unread": was_unread,
        },
    )
