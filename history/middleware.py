"""Sends a portal list page asked "as of" a date (``?op=``) to its read-only past view.

The list pages stay their own apps' views; with ``op`` in the query string the same URL answers the
state at that moment instead (history.views), with the same permission-aware selector."""

from django.urls import resolve

from history import views

PAST_VIEWS = {
    "users:list": views.past_users,
    "subdivisions:list": views.past_subafdelingen,
    "administrators:managers": views.past_managers,
    "administrators:managers-tab": views.past_managers,
    "roles:person": views.past_roles,
}


class PastViewMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if "op" not in request.GET or request.method not in ("GET", "HEAD"):
            return None
        match = request.resolver_match or resolve(request.path_info)
        past = PAST_VIEWS.get(match.view_name)
        if past is None:
            return None
        if not request.user.is_authenticated:
            return None  # the list's own view sends them to the sign-in page
        return past(request, *view_args, **view_kwargs)
