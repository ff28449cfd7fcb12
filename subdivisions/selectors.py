from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import NamedTuple

from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Window

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
from administrators.models import HoedanigheidActivation
from administrators.permissions import ACTIVATION_PARTS, activation_joins, activation_related
from enterprises.models import (
    Application,
    Enterprise,
    Facility,
    FacilityListing,
    Hoedanigheid,
    SubdivisionType,
)
from subdivisions.models import Subafdeling, SubafdelingAdministrator, SubafdelingAuthorisation
from subdivisions.permissions import (
    SUBAFDELING_PARTS,
    capacities_of,
    subafdeling_joins,
    subafdeling_related,
)


@dataclass
class HoedanigheidCapacity:
    activation: HoedanigheidActivation
    manages: bool  # as (co-)lokale beheerder or as HTB / co-HTB
    subafdelingen: list[Subafdeling] = field(default_factory=list)


class SubafdelingLink(NamedTuple):
    pk: int
    type_name: str
    name: str
    hco_number: str


class HoedanigheidLink(NamedTuple):
    pk: int
    name: str
    manages: bool
    subafdelingen: tuple[SubafdelingLink, ...]


class CapacityLinks(NamedTuple):
    """What the welcome page's links show of one enterprise's capacities, and nothing else: the
    template reads them from here, so that they are the whole key its rendering is kept under
    (``{% keep %}``, accessportal.fragments)."""

    kbo: str
    name: str
    htb_level: str | None
    hoedanigheden: tuple[HoedanigheidLink, ...]


@dataclass
class EnterpriseCapacity:
    """What one person holds in one enterprise: the lines of the portal's welcome page."""

    enterprise: Enterprise
    htb_level: str | None  # "HTB", "CO_HTB" or None
    hoedanigheden: list[HoedanigheidCapacity] = field(default_factory=list)

    def links(self) -> CapacityLinks:
        return CapacityLinks(
            self.enterprise.kbo,
            self.enterprise.name,
            self.htb_level,
            tuple(
                HoedanigheidLink(
                    entry.activation.pk,
                    entry.activation.hoedanigheid.name,
                    entry.manages,
                    tuple(
                        SubafdelingLink(s.pk, s.subdivision_type.name, s.name, s.facility.hco_number)
                        for s in entry.subafdelingen
                    ),
                )
                for entry in self.hoedanigheden
            ),
        )


def _in(column: str, count: int) -> str:
    """``column IN (%s, ...)`` for ``count`` ids; never true for none."""
    return f"{column} IN ({', '.join(['%s'] * count)})" if count else "1 = 0"


@cache
def _capacities_sql(what: str, select: str, counts: tuple[int, int]) -> str:
    """The hoedanigheden (``what`` "activations") or the subafdelingen ("subafdelingen") a person's
    capacities reach, with what the welcome page shows of them, written out: the ORM took 2 ms a
    request to build these two statements and their instances, PostgreSQL 0.3 ms to answer them."""
    q = connection.ops.quote_name
    columns = ("a.enterprise_id", "a.id") if what == "activations" else ("s.activation_id", "s.id")
    first, second = (_in(column, count) for column, count in zip(columns, counts, strict=True))
    if what == "activations":
        return (
            f"SELECT {select} FROM {q(HoedanigheidActivation._meta.db_table)} a {activation_joins()}"  # noqa: S608
            f"WHERE {first} OR {second} ORDER BY e.name, ho.name, a.id"
        )
    return (
        f"SELECT {select} FROM {q(Subafdeling._meta.db_table)} s {subafdeling_joins()}"  # noqa: S608
        f"WHERE {first} OR {second} ORDER BY t.name, s.name, s.id"
    )


def _capacities_rows(what: str, parts, first_ids, second_ids) -> list[dict]:
    columns = joined_columns(connection.vendor, *parts)
    sql = _capacities_sql(what, columns.select, (len(first_ids), len(second_ids)))
    with prepared_cursor() as cursor:  # by id: planned once per connection
        cursor.execute(sql, [*sorted(first_ids), *sorted(second_ids)])
        found = cursor.fetchall()
    seen = {}
    return [columns.instances(row, seen) for row in found]


def portal_capacities(person) -> list[EnterpriseCapacity]:
    """Every enterprise where the person holds a capacity, with the hoedanigheden and subafdelingen
    they may open: the person's appointments in one statement (``capacities_of``), then the
    hoedanigheden and the subafdelingen they reach by id, whatever the size of the enterprises."""
    capacities = capacities_of(person)
    led = dict.fromkeys(capacities.co_htb_enterprise_ids, "CO_HTB") | dict.fromkeys(
        capacities.htb_enterprise_ids, "HTB"
    )
    activations = []
    if led or capacities.local_administrator_activation_ids:
        rows = _capacities_rows(
            "activations", ACTIVATION_PARTS, led, capacities.local_administrator_activation_ids
        )
        activations = [activation_related(row) for row in rows]
    managed_ids = {h.pk for h in activations}
    subafdelingen = []
    if managed_ids or capacities.subafdeling_ids:
        rows = _capacities_rows("subafdelingen", SUBAFDELING_PARTS, managed_ids, capacities.subafdeling_ids)
        subafdelingen = [subafdeling_related(row) for row in rows]
    enterprises: dict[int, EnterpriseCapacity] = {}

    def enterprise_entry(enterprise: Enterprise) -> EnterpriseCapacity:
        if enterprise.pk not in enterprises:
            enterprises[enterprise.pk] = EnterpriseCapacity(enterprise, led.get(enterprise.pk))
        return enterprises[enterprise.pk]

    by_activation: dict[int, HoedanigheidCapacity] = {}
    for activation in activations:
        entry = HoedanigheidCapacity(activation, manages=True)
        by_activation[activation.pk] = entry
        enterprise_entry(activation.enterprise).hoedanigheden.append(entry)
    for subafdeling in subafdelingen:
        parent = subafdeling.activation
        if parent.pk not in by_activation:  # a subafdelingsbeheerder only: the hoedanigheid as context
            by_activation[parent.pk] = HoedanigheidCapacity(parent, manages=parent.pk in managed_ids)
            enterprise_entry(parent.enterprise).hoedanigheden.append(by_activation[parent.pk])
        by_activation[parent.pk].subafdelingen.append(subafdeling)
    without_hoedanigheid = [pk for pk in led if pk not in enterprises]
    for enterprise in Enterprise.objects.filter(pk__in=without_hoedanigheid) if without_hoedanigheid else []:
        enterprise_entry(enterprise)
    for entry in enterprises.values():
        # The manual's order: by name, whatever its case ("eHealth Gezondheidszorg" before
        # "Residentiële zorginstelling", 3.5.1; "Economie" before "eHealth Gezondheidszorg", chapter 4).
        entry.hoedanigheden.sort(key=lambda h: (h.activation.hoedanigheid.name.casefold(), h.activation.pk))
    return sorted(enterprises.values(), key=lambda entry: entry.enterprise.name)


class ListedSubafdeling(NamedTuple):
    """What "Lijst van de subafdelingen" shows of one subafdeling, and nothing else: the template
    reads the rows from here, so that they are the whole key their rendering is kept under
    ({% keep %})."""

    pk: int
    name: str
    hco_number: str
    type_name: str
    status: str


_LISTED_PARTS = (
    ("s", Subafdeling, ("id", "name", "status")),
    ("f", Facility, ("id", "hco_number")),
    ("t", SubdivisionType, ("id", "name")),
)


@cache
def _listed_sql(select: str, count: int) -> str:
    q = connection.ops.quote_name
    return (
        f"SELECT {select} FROM {q(Subafdeling._meta.db_table)} s "  # noqa: S608 (our names)
        f"JOIN {q(Facility._meta.db_table)} f ON f.id = s.facility_id "
        f"JOIN {q(SubdivisionType._meta.db_table)} t ON t.id = s.subdivision_type_id "
        f"WHERE s.activation_id = %s AND s.id IN ({placeholders(count)})"
    )


def subafdelingen_listed(
    activation: HoedanigheidActivation, ids: Sequence[int]
) -> tuple[ListedSubafdeling, ...]:
    """The rows of the subafdelingen ``ids`` of the hoedanigheid, in that order: the page of the list,
    whose ids the criteria chose (``subafdeling_rows``). Read in one statement written out and
    prepared: through the ORM, with their facility and type, they cost about 1 ms of Python."""
    if not ids:
        return ()
    columns = joined_columns(connection.vendor, *_LISTED_PARTS)
    rows = rows_read(columns, _listed_sql(columns.select, len(ids)), [activation.pk, *ids])
    return tuple(
        ListedSubafdeling(
            row["s"].pk,
            row["s"].name,
            row["f"].hco_number,
            row["t"].name,
            choice_label(row["s"], "status"),
        )
        for row in in_order_of(ids, rows, "s")
    )


def subafdeling_rows(
    activation: HoedanigheidActivation, filters: dict | None = None
) -> QuerySet[Subafdeling]:
    """The subafdelingen of a hoedanigheid for "Lijst van de subafdelingen", filtered in the database
    on Naam (part of it), Identificatie (the HCO number, its start) and Type."""
    rows = Subafdeling.objects.filter(activation=activation).select_related("facility", "subdivision_type")
    filters = filters or {}
    if filters.get("naam"):
        rows = rows.filter(name__icontains=filters["naam"])
    if filters.get("identificatie"):
        rows = rows.filter(facility__hco_number__startswith=filters["identificatie"])
    if filters.get("type"):
        rows = rows.filter(subdivision_type=filters["type"])
    return rows.order_by("name", "subdivision_type__name", "pk")


@cache
def _whole_list_sql(vendor: str) -> str:
    """subafdeling_rows without a criterion, its ids counted (COUNT(*) OVER ()): compiled once per
    process (statement_of)."""
    ids = (
        subafdeling_rows(HoedanigheidActivation(pk=PARAMETER))
        .select_related(None)
        .annotate(total=Window(Count("*")))
        .values_list("pk", "total")
    )
    return statement_of(ids)


def subafdeling_ids(activation: HoedanigheidActivation, filters: dict) -> PagedIds | QuerySet[Subafdeling]:
    """The ids of the list's subafdelingen as the criteria ``filters`` choose them, in its order, for
    its CountedPaginator. Without a criterion (the list as it opens), a statement compiled once:
    through the ORM, building and compiling the page's statement cost a request about 1 ms of Python.
    With one, the ORM's queryset."""
    if not any(filters.values()):
        return PagedIds(_whole_list_sql(connection.vendor), activation.pk)
    return subafdeling_rows(activation, filters).select_related(None).only("pk")


_TYPES_PARTS = (("t", SubdivisionType),)


@cache
def _types_sql(select: str) -> str:
    q = connection.ops.quote_name
    offered = Hoedanigheid.subdivision_types.through._meta.db_table
    return (
        f"SELECT {select} FROM {q(SubdivisionType._meta.db_table)} t "  # noqa: S608 (our names)
        f"JOIN {q(offered)} x ON x.subdivisiontype_id = t.id WHERE x.hoedanigheid_id = %s ORDER BY t.name, t.id"
    )


def subdivision_types_of(activation: HoedanigheidActivation) -> QuerySet[SubdivisionType]:
    """The subdivisies a subafdeling of this hoedanigheid can have ("Een subafdeling toevoegen"), as
    the choices of the list's criteria and of "Een subafdeling toevoegen": read in one statement
    written out and prepared (through the ORM about 0.7 ms of Python), held by the queryset that
    checks a chosen one."""
    columns = joined_columns(connection.vendor, *_TYPES_PARTS)
    types = [row["t"] for row in rows_read(columns, _types_sql(columns.select), [activation.hoedanigheid_id])]
    queryset = SubdivisionType.objects.filter(hoedanigheden=activation.hoedanigheid_id).order_by("name", "pk")
    return queryset_holding(queryset, types)


def facilities_to_activate(
    activation: HoedanigheidActivation, subdivision_type: SubdivisionType
) -> QuerySet[FacilityListing]:
    """The enterprise's CoBRHA facilities listed with this type that are not yet a subafdeling of this
    type in this hoedanigheid."""
    taken = Subafdeling.objects.filter(
        activation=activation, subdivision_type=subdivision_type, facility=OuterRef("facility")
    )
    return (
        FacilityListing.objects.filter(
            facility__enterprise_id=activation.enterprise_id, subdivision_type=subdivision_type
        )
        .exclude(Exists(taken))
        .select_related("facility")
        .order_by("name", "facility__hco_number")
    )


def subafdeling_administrators(subafdeling: Subafdeling) -> QuerySet[SubafdelingAdministrator]:
    return (
        SubafdelingAdministrator.objects.filter(subafdeling=subafdeling, ended_at__isnull=True)
        .select_related("person")
        .order_by("person__last_name", "person__first_name")
    )


def authorised_applications(subafdeling: Subafdeling) -> QuerySet[Application]:
    return Application.objects.filter(authorisations__subafdeling=subafdeling).order_by("sort_order", "name")


def applications_offered_or_authorised(subafdeling: Subafdeling) -> list[Application]:
    """The applications the subafdeling's hoedanigheid offers or that are authorised on it, in the
    catalogue's order, each with ``offered`` and ``authorised`` (one query)."""
    offered = Hoedanigheid.applications.through.objects.filter(
        hoedanigheid_id=subafdeling.activation.hoedanigheid_id, application_id=OuterRef("pk")
    )
    authorised = SubafdelingAuthorisation.objects.filter(
        subafdeling=subafdeling, application_id=OuterRef("pk")
    )
    return list(
        Application.objects.annotate(offered=Exists(offered), authorised=Exists(authorised))
        .filter(Q(offered=True) | Q(authorised=True))
        .order_by("sort_order", "name")
    )


RIGHTS_PER_PAGE = 25  # the confirmation's "Rechten die verwijderd zullen worden"


def authorisation_dependants(subafdeling: Subafdeling, applications, *, rights_page=None) -> dict:
    """What goes with the authorisations of ``applications``: the users' rights for them and the roles
    that need those rights. Read through the reverse relations by name (``users``, ``rights``,
    ``role_assignments``), so that this app does not import the users and roles apps.
    ``rights_page`` (a page number, for a screen): the rights as that Page, paged in the database."""
    ids = [getattr(app, "pk", app) for app in applications]
    if not ids:
        empty = Paginator([], RIGHTS_PER_PAGE).get_page(1) if rights_page is not None else []
        return {"rights": empty, "roles": []}
    person = ("users__person__last_name", "users__person__first_name", "users__person__insz")
    rights = (
        Subafdeling.objects.filter(pk=subafdeling.pk, users__rights__application__in=ids)
        .values(*person, "users__rights__application__name")
        .order_by("users__rights__application__name", *person)
    )
    roles = (
        Subafdeling.objects.filter(pk=subafdeling.pk, users__role_assignments__application__in=ids)
        .values(
            *person,
            "users__role_assignments__role__name",
            "users__role_assignments__application__name",
            "users__role_assignments__start_date",
            "users__role_assignments__end_date",
        )
        .order_by(
            "users__role_assignments__application__name", *person, "users__role_assignments__role__name"
        )
    )

    def who(row):
        return {"last_name": row[person[0]], "first_name": row[person[1]], "insz": row[person[2]]}

    def right(row):
        return {**who(row), "application": row["users__rights__application__name"]}

    rights = (
        [right(row) for row in rights] if rights_page is None else _page_counted(rights, rights_page, right)
    )
    return {
        "rights": rights,
        "roles": [
            {
                **who(row),
                "role": row["users__role_assignments__role__name"],
                "application": row["users__role_assignments__application__name"],
                "start_date": row["users__role_assignments__start_date"],
                "end_date": row["users__role_assignments__end_date"],
            }
            for row in roles
        ],
    }


def _page_counted(rows, number, shown) -> Page:
    """Paginator's ``get_page`` of ``rows`` (a values() query) in one query: the page's rows carry the
    total, as a window count, instead of a COUNT of their own. ``shown`` makes each row's dict."""
    paginator = Paginator(rows, RIGHTS_PER_PAGE)
    try:
        number = max(1, int(number))
    except (TypeError, ValueError):
        number = 1
    start = (number - 1) * RIGHTS_PER_PAGE
    found = list(rows.annotate(total=Window(Count("*")))[start : start + RIGHTS_PER_PAGE])
    if not found and number > 1:  # beyond the last page: the last one, as get_page does
        page = paginator.get_page(number)
        page.object_list = [shown(row) for row in page.object_list]
        return page
    paginator.count = found[0]["total"] if found else 0
    page = paginator.page(number)
    page.object_list = [shown(row) for row in found]
    return page
