"""``request|accepts_moment``: whether the page shown is a live list page that also answers "toestand
op datum" (history.middleware.PAST_VIEWS), so that portal/base.html offers the date field on it."""

from django import template

register = template.Library()


@register.filter
def accepts_moment(request) -> bool:
    from history.middleware import PAST_VIEWS

    match = getattr(request, "resolver_match", None)
    return match is not None and match.view_name in PAST_VIEWS and "op" not in request.GET
