from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import NamedTuple

from django.db import connection
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from accessportal import clock
from accessportal.prepared import prepared_cursor
from accessportal.rows import joined_columns, rows_read
from administrators.models import (
    AdministratorKind,
    CoHtbAppointment,
    HoedanigheidActivation,
    HtbAppointment,
    LocalAdministrator,
)
from administrators.permissions import htb_is_local_administrator
from administrators.selectors import co_htbs_of, current_administrators, current_htb
from enterprises.models import Application, Enterprise
from identity.selectors import people_filtered
from roles import progress
from roles.models import Role, RoleAssignment
from subdivisions.models import Subafdeling, SubafdelingAdministrator
from subdivisions.selectors import subafdeling_administrators
from users.models import ApplicationRight, SubafdelingUser
from users.selectors import USER_CRITERIA


@dataclass
class Step:
    title: Promise
    manual: str  # the section of the manual, e.g. "2.1.1"
    done: bool
    url: str | None = None
    optional: bool = False

    @property
    def anchor(self) -> str:
        return "h-" + self.manual.replace(".", "-")


def enterprise_progress(enterprise: Enterprise) -> dict[str, bool]:
    """The enterprise's progress on every step of roles.progress (and its goal), in one query."""
    expressions = progress.step_expressions(OuterRef("pk"), OuterRef("kbo"))
    row = Enterprise.objects.filter(pk=enterprise.pk).annotate(**expressions).values(*progress.KEYS).get()
    return {key: bool(row[key]) for key in progress.KEYS}


def stappenplan(enterprise: Enterprise, done: dict[str, bool] | None = None) -> list[Step]:
    """The steps of manual chapter 2 (figure 2) and which of them this enterprise has done (as
    roles.progress defines them), each linked to the screen where it is done."""
    done = done if done is not None else enterprise_progress(enterprise)
    first_activation = (
        HoedanigheidActivation.objects.filter(enterprise=enterprise).order_by("created_at").first()
    )
    urls = {
        "htb": reverse("administrators:htb-start"),
        "hoedanigheid": reverse("administrators:enterprise", kwargs={"kbo": enterprise.kbo}),
    }
    if first_activation is not None:
        urls["tb"] = reverse("administrators:hoedanigheid", kwargs={"hoedanigheid_id": first_activation.pk})
        urls["subafdeling"] = reverse("subdivisions:list", kwargs={"hoedanigheid_id": first_activation.pk})
        urls["role"] = reverse("roles:staff-hoedanigheid", kwargs={"hoedanigheid_id": first_activation.pk})
    return [
        Step(step.title, step.manual, done[step.key], urls.get(step.key), optional=step.optional)
        for step in progress.STEPS
    ]


def next_step(steps: list[Step]) -> Step | None:
    return next((step for step in steps if not step.done), None)


# --- The roles editor: "Functies en Verantwoordelijkheden Hiërarchie" (manual 3.6.2) -------------
#
# Every function takes a subafdeling, hoedanigheid or user the caller already obtained through a
# permission-aware read (subafdeling_managed_by, activation_managed_by, user_of_subafdeling; a role of
# the user through roles.permissions.assignment_of_user): what lies outside it is never returned.


def current_roles() -> Prefetch:
    """The roles a person holds or will hold: not removed, not ended; in the catalogue's order."""
    today = clock.today()
    return Prefetch(
        "role_assignments",
        queryset=RoleAssignment.objects.filter(removed_at=None)
        .filter(Q(end_date=None) | Q(end_date__gte=today))
        .select_related("role")
        .order_by("role__sort_order", "role__name", "start_date"),
        to_attr="current_roles",
    )


def staff_rows(
    *,
    subafdeling: Subafdeling | None = None,
    activation: HoedanigheidActivation | None = None,
    filters: dict | None = None,
) -> QuerySet[SubafdelingUser]:
    """ "Overzicht Personeelsbestand": the users of one subafdeling, or of every subafdeling of a
    hoedanigheid, filtered in the database on Naam, Voornaam (part of it), INSZ (its digits, the
    start of the number), Functie (a role held, not removed) and, for a hoedanigheid, Subafdeling.
    Each row has its person, its subafdeling and ``current_roles``: two queries for a whole page."""
    if (subafdeling is None) == (activation is None):
        raise ValueError("Give a subafdeling or an activation.")
    filters = filters or {}
    if subafdeling is not None:
        rows = SubafdelingUser.objects.filter(subafdeling=subafdeling)
    else:
        rows = SubafdelingUser.objects.filter(subafdeling__activation=activation)
        if filters.get("subafdeling"):
            rows = rows.filter(subafdeling=filters["subafdeling"])
    rows = people_filtered(rows, filters, criteria=USER_CRITERIA)
    if filters.get("functie"):
        holding = RoleAssignment.objects.filter(user=OuterRef("pk"), role=filters["functie"], removed_at=None)
        rows = rows.filter(Exists(holding))
    return (
        rows.select_related("person", "subafdeling__facility", "subafdeling__subdivision_type")
        .order_by("last_name", "first_name", "subafdeling__name", "pk")
        .prefetch_related(current_roles())
    )


_ASSIGNMENT_PARTS = (("ra", RoleAssignment), ("ro", Role))


@cache
def _assignments_sql(select: str) -> str:
    q = connection.ops.quote_name
    return (
        f"SELECT {select} FROM {q(RoleAssignment._meta.db_table)} ra "  # noqa: S608 (our names)
        f"JOIN {q(Role._meta.db_table)} ro ON ro.id = ra.role_id "
        "WHERE ra.user_id = %s ORDER BY ro.sort_order, ro.name, ra.start_date, ra.id"
    )


def assignments_of(user: SubafdelingUser) -> list[RoleAssignment]:
    """Every role of the user as saved, also those ended or on their way out, in the catalogue's order,
    with its role. One statement, written out and prepared (the role editor's rows; through the ORM
    it cost about 1 ms of Python and as much of planning)."""
    columns = joined_columns(connection.vendor, *_ASSIGNMENT_PARTS)
    assignments = []
    for row in rows_read(columns, _assignments_sql(columns.select), [user.pk]):
        assignment = row["ra"]
        assignment.role = row["ro"]
        assignments.append(assignment)
    return assignments


class ListedAssignment(NamedTuple):
    """What "Bewerken Functies" shows of one role of the user, its "Status" as of today included:
    the template reads the rows from here, so that they are the whole key their rendering is kept
    under ({% keep %})."""

    pk: int
    role_name: str
    start_date: date
    end_date: date | None
    state: str
    pending_text: str
    effective_start_date: date | None


def assignments_listed(assignments: Iterable[RoleAssignment]) -> tuple[ListedAssignment, ...]:
    today = clock.today()
    return tuple(
        ListedAssignment(
            a.pk,
            a.role.name,
            a.start_date,
            a.end_date,
            a.state(today),
            a.pending_text,
            a.effective_start_date,
        )
        for a in assignments
    )


_ROLE_PARTS = (("ro", Role), ("ap", Application))


@cache
def _role_choices_sql(select: str) -> str:
    q = connection.ops.quote_name
    return (
        f"SELECT {select}, EXISTS (SELECT 1 FROM {q(ApplicationRight._meta.db_table)} r "  # noqa: S608 (our names)
        "WHERE r.application_id = ro.application_id AND r.user_id = %s) "
        f"FROM {q(Role._meta.db_table)} ro JOIN {q(Application._meta.db_table)} ap ON ap.id = ro.application_id "
        "ORDER BY ro.sort_order, ro.name, ro.id"
    )


def role_choices_for(user: SubafdelingUser) -> tuple[list[Role], dict[int, str]]:
    """Every role of the catalogue, in its order, and why the user cannot get some of them now: the
    roles of an application the user holds no right for. One statement, written out and prepared
    (the role editor's GET and POST both start here; through the ORM it cost about 1 ms of Python):
    whether the user holds the right comes with each role."""
    columns = joined_columns(connection.vendor, *_ROLE_PARTS)
    with prepared_cursor() as cursor:
        cursor.execute(_role_choices_sql(columns.select), [user.pk])
        found = cursor.fetchall()
    seen, roles, unavailable = {}, [], {}
    for row in found:
        parts = columns.instances(row, seen)  # an application's instance is shared by its roles
        role = parts["ro"]
        role.application = parts["ap"]
        roles.append(role)
        if not row[-1]:
            unavailable[role.pk] = _("— vereist het recht op %(application)s") % {
                "application": role.application.name
            }
    return roles, unavailable


@dataclass
class Hierarchy:
    """The chain above a user: who manages their subafdeling, its hoedanigheid and the enterprise."""

    enterprise: Enterprise
    htb: HtbAppointment | None
    co_htbs: list[CoHtbAppointment]
    activation: HoedanigheidActivation
    local_administrators: list[LocalAdministrator]
    htb_as_local_administrator: bool  # no Lokale Beheerder appointed: the HTB is (manual 3.4)
    subafdeling: Subafdeling
    subafdeling_administrators: list[SubafdelingAdministrator]


def hierarchy_of(subafdeling: Subafdeling) -> Hierarchy:
    """The "Hiërarchie" of a user of ``subafdeling`` (read with its hoedanigheid and enterprise)."""
    activation = subafdeling.activation
    enterprise = activation.enterprise
    local = list(current_administrators(activation))
    return Hierarchy(
        enterprise=enterprise,
        htb=current_htb(enterprise),
        co_htbs=list(co_htbs_of(enterprise).order_by("person__last_name", "person__first_name", "pk")),
        activation=activation,
        local_administrators=sorted(local, key=lambda a: (a.kind != AdministratorKind.LB,)),
        htb_as_local_administrator=htb_is_local_administrator(local),
        subafdeling=subafdeling,
        subafdeling_administrators=list(subafdeling_administrators(subafdeling)),
    )


@dataclass
class Requirements:
    """What a simulated application needs, as the application itself tells its users (manual 2.1.2:
    "Welke hoedanigheid u moet gebruiken, zal u altijd duidelijk meegedeeld worden door de toepassing
    zelf"): the hoedanigheden that offer its right, each with its subdivisies, the right itself, and
    the roles of which it needs one (none: the right suffices)."""

    hoedanigheden: list  # enterprises.models.Hoedanigheid, with ``subdivision_types`` prefetched
    right: object  # enterprises.models.Application
    roles: list[Role]


def application_requirements(app) -> Requirements:
    """The requirements of ``app`` (a ``SimulatedApplication`` with its application and, best,
    its roles prefetched), read from the catalogue: the same source as the Departement Zorg's page.
    Two queries: the hoedanigheden and their subdivisies."""
    hoedanigheden = app.application.hoedanigheden.prefetch_related("subdivision_types").order_by(
        "sort_order", "name"
    )
    return Requirements(
        hoedanigheden=list(hoedanigheden),
        right=app.application,
        roles=list(app.roles.all()),  # Role's own ordering: the catalogue's
    )
