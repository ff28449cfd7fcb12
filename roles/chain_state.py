"""Where the access decision (roles.access) reads the chain from: the current state by default, or the
state at a past moment (history.state.PastChainState, rebuilt from the stored periods). One decision,
two sources: roles.access asks these methods and never the models directly.

A source answers, for one enterprise, facility, application and person:
- ``moment``: None for now, the past moment otherwise (a past view: read-only, nobody named as fixer);
- ``now()`` / ``today()``: the moment the decision is about;
- ``htb(enterprise)``: the HTB appointment (with its person) or None;
- ``activations(enterprise, app)``: the activations of a hoedanigheid in which the application works;
- ``subafdelingen(facility, activations, app, person)``: the facility's subafdelingen with ``status``,
  ``app_authorisations`` (a list, empty when the application is not authorised) and ``person_users``;
- ``rights(users, app)``: the rights on the application by user id;
- ``assignments(users, required_roles)``: the role assignments by user id (RoleAssignment's interface:
  ``role``, ``start_date``, ``end_date``, ``effective_on(day)``, ``effective_end_date``, ``removed_at``,
  ``pending_until``).
"""

from django.db.models import Prefetch

from accessportal import clock
from administrators.models import HoedanigheidActivation
from administrators.selectors import current_htb
from roles.models import RoleAssignment
from subdivisions.models import Subafdeling, SubafdelingAuthorisation
from users.models import ApplicationRight, SubafdelingUser


class CurrentChainState:
    """The chain as it is now (what the applications see: roles through their effective fields)."""

    moment = None

    def now(self):
        return clock.now()

    def today(self):
        return clock.today()

    def htb(self, enterprise):
        return current_htb(enterprise)

    def activations(self, enterprise, app) -> list:
        return list(
            HoedanigheidActivation.objects.filter(
                enterprise=enterprise, hoedanigheid__applications=app.application
            )
            .select_related("hoedanigheid", "enterprise")
            .order_by("hoedanigheid__sort_order", "hoedanigheid__name")
        )

    def subafdelingen(self, facility, activations, app, person) -> list:
        return list(
            Subafdeling.objects.filter(facility=facility, activation__in=activations)
            .select_related(
                "facility", "activation__hoedanigheid", "activation__enterprise", "subdivision_type"
            )
            .prefetch_related(
                Prefetch(
                    "authorisations",
                    queryset=SubafdelingAuthorisation.objects.filter(application=app.application),
                    to_attr="app_authorisations",
                ),
                Prefetch(
                    "users",
                    queryset=SubafdelingUser.objects.filter(person=person).select_related("person")
                    if person is not None
                    else SubafdelingUser.objects.none(),
                    to_attr="person_users",
                ),
            )
            .order_by("pk")
        )

    def rights(self, users, app) -> dict:
        return {
            right.user_id: right
            for right in ApplicationRight.objects.filter(
                user__in=[u.pk for u in users], application=app.application
            )
        }

    def assignments(self, users, required_roles) -> dict:
        if not users or not required_roles:
            return {}
        found: dict[int, list] = {}
        assignments = (
            RoleAssignment.objects.filter(user__in=[u.pk for u in users], role__in=required_roles)
            .select_related("role")
            .order_by("start_date", "role__name")
        )
        for assignment in assignments:
            found.setdefault(assignment.user_id, []).append(assignment)
        return found
