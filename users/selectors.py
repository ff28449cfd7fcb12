"""Permission-aware reads of the users of a subafdeling (manual 3.6.1), of the hoedanigheid's look-ups
("Gebruikers opzoeken", "Beheer van de wachtwoorden") and of the person's own account ("Uw
verantwoordelijken", the certificate).

The functions on users take a subafdeling the caller already obtained through
``subdivisions.permissions.subafdeling_managed_by``, or the actor whose managed subafdelingen bound the
look-up (users.permissions): what lies outside it is never returned."""

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import NamedTuple

from django.db import connection
from django.db.models import BigIntegerField, F, Q, QuerySet, Value
from django.db.models.functions import Cast, Coalesce

from accessportal.prepared import prepared_cursor
from accessportal.rows import (
    PARAMETER,
    PagedIds,
    choice_label,
    in_order_of,
    joined_columns,
    placeholders,
    queryset_holding,
    rows_read,
    statement_of,
)
from administrators.models import (
    AdministratorKind,
    CoHtbAppointment,
    HoedanigheidActivation,
    HtbAppointment,
    LocalAdministrator,
)
from administrators.permissions import htb_is_local_administrator
from administrators.selectors import address_held_for as administrators_address_held_for
from enterprises.models import Application, Enterprise, LegalMandate
from identity.models import Person
from identity.selectors import PERSON_CRITERIA, people_filtered
from subdivisions.models import Subafdeling, SubafdelingAdministrator, SubafdelingAuthorisation
from users.models import PortalCertificate, SubafdelingUser, SubafdelingUserTotal, UserImport
from users.permissions import activation_users_managed_by, rights_in_order

# The portal's user type on the subafdeling level, as the manual's screenshot of a subafdeling's users shows it
# (3.6.1): "SS". The model knows one kind of user.
USER_TYPE = "SS"


@cache
def _authorised_sql(select: str) -> str:
    q = connection.ops.quote_name
    return (
        f"SELECT {select} FROM {q(Application._meta.db_table)} ap "  # noqa: S608 (our names)
        f"JOIN {q(SubafdelingAuthorisation._meta.db_table)} x ON x.application_id = ap.id "
        "WHERE x.subafdeling_id = %s ORDER BY ap.sort_order, ap.name, ap.id"
    )


def authorised_applications(subafdeling: Subafdeling) -> QuerySet[Application]:
    """The applications authorised on the subafdeling, in the catalogue's order: read in one statement
    written out and prepared (every users page asks them, for its criteria or its form), held by the
    queryset that checks a chosen one (accessportal.rows.queryset_holding)."""
    columns = joined_columns(connection.vendor, ("ap", Application))
    applications = [
        row["ap"] for row in rows_read(columns, _authorised_sql(columns.select), [subafdeling.pk])
    ]
    queryset = Application.objects.filter(authorisations__subafdeling=subafdeling.pk)
    return queryset_holding(queryset.order_by("sort_order", "name", "pk"), applications)


# The person criteria on the lists of users: the names on the user's own copy (searched and sorted
# within one subafdeling through its own indexes, users migration 0010), the rest on the person.
USER_CRITERIA = {
    **{criterion: "person__" + lookup for criterion, lookup in PERSON_CRITERIA.items()},
    "naam": "last_name__icontains",
    "voornaam": "first_name__icontains",
}


def user_rows(
    subafdeling: Subafdeling, filters: dict | None = None, *, rights: bool = True
) -> QuerySet[SubafdelingUser]:
    """The users of the subafdeling, filtered in the database, with their person and, unless
    ``rights`` is False (the list, which does not show them), their rights (one extra query for the
    rights of a whole page, whatever its size)."""
    filters = filters or {}
    # A bigint, for the GiST indexes on (subafdeling, name trigrams) have no integer = bigint
    # operator (users migration 0010); PostgreSQL reads a plain literal as an integer.
    subafdeling_id = Cast(Value(subafdeling.pk), BigIntegerField())
    rows = SubafdelingUser.objects.filter(subafdeling_id=subafdeling_id).select_related("person")
    rows = people_filtered(rows, filters, criteria=USER_CRITERIA)
    if filters.get("type") and filters["type"] != USER_TYPE:
        rows = rows.none()
    if filters.get("status"):
        rows = rows.filter(status=filters["status"])
    if filters.get("toepassing"):
        rows = rows.filter(rights__application=filters["toepassing"])
    # The order of the (subafdeling, names) index. With a criterion on the person the rows are few:
    # they are sorted (the same order, through an expression no index gives), for PostgreSQL would
    # otherwise walk the subafdeling's part of that index, filtering, until the page is full: 20 ms
    # for "peete" among 20,000 users in ``make bench``'s world, against 2 ms through the trigrams.
    last_name = F("last_name")
    if any(filters.get(name) for name in PERSON_CRITERIA):
        last_name = Coalesce(last_name, Value(""))
    rows = rows.order_by(last_name, "first_name", "pk")
    return rows.prefetch_related(rights_in_order()) if rights else rows


class ListedUser(NamedTuple):
    """What the users list shows of one user, and nothing else: the template reads the rows from
    here, so that they are the whole key their rendering is kept under ({% keep %})."""

    pk: int
    last_name: str
    first_name: str
    full_name: str
    username: str
    insz: str
    status: str


_LISTED_PARTS = (
    ("u", SubafdelingUser, ("id", "status")),
    ("p", Person, ("id", "first_name", "last_name", "username", "insz")),
)


@cache
def _listed_sql(select: str, count: int) -> str:
    q = connection.ops.quote_name
    return (
        f"SELECT {select} FROM {q(SubafdelingUser._meta.db_table)} u "  # noqa: S608 (our names)
        f"JOIN {q(Person._meta.db_table)} p ON p.id = u.person_id "
        f"WHERE u.subafdeling_id = %s AND u.id IN ({placeholders(count)})"
    )


def users_listed(subafdeling: Subafdeling, ids: Sequence[int]) -> tuple[ListedUser, ...]:
    """The rows of the users ``ids`` of the subafdeling, in that order: the page of the list, whose
    ids the criteria chose (``user_rows``). Read in one statement written out and prepared: through
    the ORM, with their person, they cost about 1 ms of Python."""
    if not ids:
        return ()
    columns = joined_columns(connection.vendor, *_LISTED_PARTS)
    rows = rows_read(columns, _listed_sql(columns.select, len(ids)), [subafdeling.pk, *ids])
    return tuple(
        ListedUser(
            row["u"].pk,
            row["p"].last_name,
            row["p"].first_name,
            row["p"].full_name,
            row["p"].username or "",
            row["p"].insz,
            choice_label(row["u"], "status"),
        )
        for row in in_order_of(ids, rows, "u")
    )


@cache
def _total_sql() -> str:
    q = connection.ops.quote_name
    return f"SELECT users FROM {q(SubafdelingUserTotal._meta.db_table)} WHERE subafdeling_id = %s"  # noqa: S608


@cache
def _whole_list_sql(vendor: str) -> str:
    """user_rows without a criterion, its ids only: compiled once per process (statement_of)."""
    ids = user_rows(Subafdeling(pk=PARAMETER), rights=False).select_related(None).values_list("pk", flat=True)
    return statement_of(ids)


def user_ids(subafdeling: Subafdeling, filters: dict) -> PagedIds | QuerySet[SubafdelingUser]:
    """The ids of the list's users as the criteria ``filters`` choose them, in its order, for its
    Paginator. Without a criterion (the list as it opens), a statement compiled once and paged by the
    number of users the database keeps (user_total): through the ORM, building and compiling the
    page's statement cost a request about 1 ms of Python. With one, the ORM's queryset."""
    if not any(filters.values()):
        return PagedIds(_whole_list_sql(connection.vendor), subafdeling.pk, count=user_total(subafdeling))
    return user_rows(subafdeling, filters, rights=False).select_related(None).only("pk")


def user_total(subafdeling: Subafdeling) -> int:
    """How many users the subafdeling has, as the database's triggers keep it (SubafdelingUserTotal):
    the whole list's number of pages without counting its rows."""
    with prepared_cursor() as cursor:
        cursor.execute(_total_sql(), [subafdeling.pk])
        row = cursor.fetchone()
    return row[0] if row else 0


def user_for_person(subafdeling: Subafdeling, person) -> SubafdelingUser | None:
    return SubafdelingUser.objects.filter(subafdeling=subafdeling, person=person).first()


def address_held_for(enterprise, person) -> str:
    """The e-mail address the enterprise already holds for the person: as a user of one of its
    subafdelingen, else as its HTB or a lokale beheerder (administrators.selectors.address_held_for);
    "" when none."""
    held = (
        SubafdelingUser.objects.filter(subafdeling__activation__enterprise=enterprise, person=person)
        .exclude(email="")
        .order_by("-created_at")
        .values_list("email", flat=True)
        .first()
    )
    return held or administrators_address_held_for(enterprise, person)


# --- Looking people up on the hoedanigheid level ("Gebruikers opzoeken", "Beheer van de wachtwoorden") --

INSZ_DIGITS = 11


def users_found(*, actor, activation: HoedanigheidActivation, insz: str = "", name: str = "") -> QuerySet:
    """The one look-up of people of the hoedanigheid's screens: the users of every subafdeling of
    ``activation`` that ``actor`` manages (users.permissions.activation_users_managed_by), one row
    per person and subafdeling, found by INSZ (in any notation: only its digits count; the whole number,
    or its start) and / or by name (every word in the Naam or the Voornaam). Without a criterion it
    finds nobody. Filtered, ordered and paged in the database; the rights of a page come in one query.
    Every new look-up of a person by these screens goes through here, so it can be scoped once."""
    digits = re.sub(r"\D", "", insz or "")
    words = (name or "").split()
    if not digits and not words:
        return SubafdelingUser.objects.none()
    rows = activation_users_managed_by(actor, activation)
    if digits:
        exact = len(digits) == INSZ_DIGITS
        rows = rows.filter(person__insz=digits) if exact else rows.filter(person__insz__startswith=digits)
    for word in words[:5]:
        rows = rows.filter(Q(last_name__icontains=word) | Q(first_name__icontains=word))
    return (
        rows.select_related("person", "subafdeling__facility", "subafdeling__subdivision_type")
        .order_by("last_name", "first_name", "subafdeling__name", "pk")
        .prefetch_related(rights_in_order())
    )


# --- The person's own account in an enterprise ----------------------------------------------------


def certificate_of(person, enterprise: Enterprise) -> PortalCertificate | None:
    return PortalCertificate.objects.filter(person=person, enterprise=enterprise).defer("der").first()


# --- "Uw verantwoordelijken": who manages the person, up the chain --------------------------------


@dataclass
class Responsible:
    name: str
    email: str = ""


@dataclass
class ResponsibleLevel:
    kind: str  # SB, LB, HTB, WV
    people: list[Responsible] = field(default_factory=list)
    htb_as_lb: bool = False  # no Lokale Beheerder appointed: the HTB is (manual 3.4)


@dataclass
class Capacity:
    """One capacity of the person (user or subafdelingsbeheerder of a subafdeling, (co-)lokale
    beheerder of a hoedanigheid, (co-)HTB of an enterprise) with the levels above it."""

    kind: str  # USER, SB, LB, CO_LB, HTB, CO_HTB
    enterprise: Enterprise
    activation: HoedanigheidActivation | None = None
    subafdeling: Subafdeling | None = None
    levels: list[ResponsibleLevel] = field(default_factory=list)


def _responsible(administrator) -> Responsible:
    return Responsible(administrator.person.full_name, administrator.email)


def _people_by(rows, key, *, email: bool) -> dict:
    found: dict = {}
    for row in rows:
        found.setdefault(getattr(row, key), []).append(
            Responsible(row.person.full_name, getattr(row, "email", "") if email else "")
        )
    return found


def responsibles_of(person) -> list[Capacity]:
    """ "Uw verantwoordelijken": for each capacity of the person, who manages them, level by level up
    the chain: the subafdelingsbeheerders of their subafdeling → the Lokale Beheerder and co-LBs of its
    hoedanigheid (or the HTB, while no Lokale Beheerder is appointed) → the HTB and co-HTBs → the
    enterprise's legal representatives in the KBO. The e-mail addresses are those the enterprise holds
    for the appointment (none for subafdelingsbeheerders and legal representatives). A fixed number of
    queries, however many capacities the person holds."""
    subafdeling_related = (
        "subafdeling__activation__enterprise",
        "subafdeling__activation__hoedanigheid",
        "subafdeling__facility",
        "subafdeling__subdivision_type",
    )
    capacities: list[Capacity] = []
    for user in SubafdelingUser.objects.filter(person=person).select_related(*subafdeling_related):
        sub = user.subafdeling
        capacities.append(Capacity("USER", sub.activation.enterprise, sub.activation, sub))
    for appointment in (
        SubafdelingAdministrator.objects.current().filter(person=person).select_related(*subafdeling_related)
    ):
        sub = appointment.subafdeling
        capacities.append(Capacity("SB", sub.activation.enterprise, sub.activation, sub))
    for appointment in (
        LocalAdministrator.objects.current()
        .filter(person=person)
        .select_related("activation__enterprise", "activation__hoedanigheid")
    ):
        activation = appointment.activation
        capacities.append(Capacity(appointment.kind, activation.enterprise, activation))
    for kind, model in (("HTB", HtbAppointment), ("CO_HTB", CoHtbAppointment)):
        for appointment in model.objects.current().filter(person=person).select_related("enterprise"):
            capacities.append(Capacity(kind, appointment.enterprise))
    if not capacities:
        return []
    subafdeling_ids = {c.subafdeling.pk for c in capacities if c.kind == "USER"}
    activation_ids = {c.activation.pk for c in capacities if c.kind in ("USER", "SB")}
    enterprise_ids = {c.enterprise.pk for c in capacities}
    sbs = _people_by(
        SubafdelingAdministrator.objects.current()
        .filter(subafdeling_id__in=subafdeling_ids)
        .select_related("person")
        .order_by("person__last_name", "person__first_name"),
        "subafdeling_id",
        email=False,
    )
    local_administrators: dict = {}  # activation id -> its current (co-)lokale beheerders
    for administrator in (
        LocalAdministrator.objects.current()
        .filter(activation_id__in=activation_ids)
        .select_related("person")
        .order_by("person__last_name", "person__first_name")
    ):
        local_administrators.setdefault(administrator.activation_id, []).append(administrator)
    htbs = _people_by(
        HtbAppointment.objects.current().filter(enterprise_id__in=enterprise_ids).select_related("person"),
        "enterprise_id",
        email=True,
    )
    co_htbs = _people_by(
        CoHtbAppointment.objects.current()
        .filter(enterprise_id__in=enterprise_ids)
        .select_related("person")
        .order_by("person__last_name", "person__first_name"),
        "enterprise_id",
        email=False,
    )
    representatives = _people_by(
        LegalMandate.objects.current()
        .filter(enterprise_id__in=enterprise_ids)
        .select_related("person")
        .order_by("person__last_name", "person__first_name"),
        "enterprise_id",
        email=False,
    )
    for capacity in capacities:
        enterprise_id = capacity.enterprise.pk
        if capacity.kind == "USER":
            capacity.levels.append(ResponsibleLevel("SB", sbs.get(capacity.subafdeling.pk, [])))
        if capacity.kind in ("USER", "SB"):
            current = local_administrators.get(capacity.activation.pk, [])
            htb_as_lb = htb_is_local_administrator(current)
            lbs = [_responsible(a) for a in current if a.kind == AdministratorKind.LB]
            co_lbs = [_responsible(a) for a in current if a.kind == AdministratorKind.CO_LB]
            people = (htbs.get(enterprise_id, []) if htb_as_lb else lbs) + co_lbs
            capacity.levels.append(ResponsibleLevel("LB", people, htb_as_lb=htb_as_lb))
        if capacity.kind in ("USER", "SB", "LB", "CO_LB"):
            capacity.levels.append(
                ResponsibleLevel("HTB", htbs.get(enterprise_id, []) + co_htbs.get(enterprise_id, []))
            )
        capacity.levels.append(ResponsibleLevel("WV", representatives.get(enterprise_id, [])))
    return capacities


def user_import_of(subafdeling: Subafdeling, import_id) -> UserImport | None:
    """An import of the subafdeling (users.imports), for whoever manages it; None for any other."""
    return UserImport.objects.filter(subafdeling=subafdeling, pk=import_id).select_related("actor").first()
