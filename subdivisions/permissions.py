"""Who may see and change a subafdeling, its users and their roles: the subafdeling's current
subafdelingsbeheerders and whoever manages its hoedanigheid (administrators.permissions). Views get
the subafdeling through ``subafdeling_managed_by`` (None, so 404, for anyone else); services re-check
with ``require_subafdeling_manager``, which refuses with one message."""

from dataclasses import dataclass
from functools import cache

from django.db import connection
from django.db.models import BooleanField, QuerySet
from django.db.models.expressions import RawSQL
from django.utils.translation import gettext as _

from accessportal.prepared import prepared_cursor
from accessportal.rows import joined_columns
from accessportal.services import ServiceError
from administrators.models import CoHtbAppointment, HtbAppointment, LocalAdministrator
from administrators.permissions import (
    ACTIVATION_MANAGER_PARAMETERS,
    ACTIVATION_PARTS,
    BIGINT,
    activation_ids_managed_by,
    activation_joins,
    activation_manager_exists_sql,
    activation_related,
    can_manage_activation,
)
from enterprises.models import Facility, SubdivisionType
from subdivisions.models import Subafdeling, SubafdelingAdministrator


@dataclass(frozen=True)
class Capacities:
    """A person's current appointments, as ids: what every "managed by" rule of the chain starts from."""

    htb_enterprise_ids: frozenset[int] = frozenset()
    co_htb_enterprise_ids: frozenset[int] = frozenset()
    local_administrator_activation_ids: frozenset[int] = frozenset()  # as LB or co-LB
    subafdeling_ids: frozenset[int] = frozenset()  # as subafdelingsbeheerder


@cache
def _capacities_sql() -> str:
    """Built once: only the models' own table and column names go into the text, the person as a
    parameter."""
    parts = [
        (key, model._meta.db_table, column)
        for key, model, column in (
            ("htb", HtbAppointment, "enterprise_id"),
            ("co_htb", CoHtbAppointment, "enterprise_id"),
            ("lb", LocalAdministrator, "activation_id"),
            ("sbh", SubafdelingAdministrator, "subafdeling_id"),
        )
    ]
    quote = connection.ops.quote_name
    return " UNION ALL ".join(
        f"SELECT '{key}', {quote(column)} FROM {quote(table)} WHERE person_id = %s AND ended_at IS NULL"  # noqa: S608
        for key, table, column in parts
    )


def capacities_of(person) -> Capacities:
    """The person's current appointments in one statement (four index look-ups): the snapshot the
    portal's welcome page is built from, instead of a query per kind of appointment."""
    found: dict[str, set[int]] = {"htb": set(), "co_htb": set(), "lb": set(), "sbh": set()}
    if person is None or person.pk is None:
        return Capacities()
    with prepared_cursor() as cursor:
        cursor.execute(_capacities_sql(), [person.pk] * 4)
        for key, pk in cursor.fetchall():
            found[key].add(pk)
    return Capacities(
        frozenset(found["htb"]), frozenset(found["co_htb"]), frozenset(found["lb"]), frozenset(found["sbh"])
    )


def subafdelingen_managed_by(person) -> QuerySet[Subafdeling]:
    """The subafdelingen the person manages: as subafdelingsbeheerder or as TB of the hoedanigheid.

    ``pk IN (a UNION of small id lists)``, found through the indexes of the person's appointments
    (see administrators.permissions)."""
    own = (
        SubafdelingAdministrator.objects.filter(person=person, ended_at__isnull=True)
        .order_by()
        .values("subafdeling_id")
    )
    above = Subafdeling.objects.filter(activation_id__in=activation_ids_managed_by(person)).values("pk")
    return Subafdeling.objects.filter(pk__in=own.union(above))


@cache
def _manager_exists_sql(outer: str = "") -> str:
    """The rule of ``subafdelingen_managed_by`` for the subafdeling of the outer row (``outer``: its
    alias, the table's own name by default): its own subafdelingsbeheerder, or a manager of its
    hoedanigheid (``activation_manager_exists_sql``), as correlated EXISTS over the person's appointments
    (by their indexes). Only the models' own table and column names go into the text; the person is a
    parameter (four times)."""
    q = connection.ops.quote_name
    outer = outer or q(Subafdeling._meta.db_table)
    own = (
        f"EXISTS (SELECT 1 FROM {q(SubafdelingAdministrator._meta.db_table)} x "  # noqa: S608
        f"WHERE x.subafdeling_id = {outer}.id AND x.person_id = %s AND x.ended_at IS NULL)"
    )
    return f"{own} OR {activation_manager_exists_sql(f'{outer}.activation_id')}"


SUBAFDELING_MANAGER_PARAMETERS = 1 + ACTIVATION_MANAGER_PARAMETERS  # the person, so many times


def subafdeling_manager_exists(person) -> RawSQL:
    """Whether the person manages the subafdeling of the row (the same rule as
    ``subafdelingen_managed_by``: its subafdelingsbeheerder, the (co-)LB of its hoedanigheid, the HTB
    or a co-HTB of its enterprise), as one boolean SQL expression over ``subdivisions_subafdeling``:
    for one subafdeling asked by id it is cheaper to build and to plan than the set, and written out
    it costs Django no expression building (four ORM EXISTS took about 2 ms a request)."""
    return RawSQL(  # noqa: S611
        subafdeling_manager_exists_sql(),
        [person.pk] * SUBAFDELING_MANAGER_PARAMETERS,
        output_field=BooleanField(),
    )


def subafdeling_manager_exists_sql(outer: str = "") -> str:
    """``subafdeling_manager_exists`` for a statement written out, over the subafdeling row ``outer``
    (its alias): the person is its SUBAFDELING_MANAGER_PARAMETERS parameters."""
    return f"({_manager_exists_sql(outer)})"


def can_manage_subafdeling(person, subafdeling: Subafdeling) -> bool:
    return Subafdeling.objects.filter(subafdeling_manager_exists(person), pk=subafdeling.pk).exists()


def can_change_subafdeling(person, subafdeling: Subafdeling) -> bool:
    """Whether the person blocks, unblocks and authorises applications on the subafdeling: whoever
    manages its hoedanigheid. Its subafdelingsbeheerders see these pages and change nothing there
    (services refuse through ``administrators.permissions.require_activation_manager``). On the
    subafdeling's users and roles pages the same flag shows the hoedanigheid's menu.

    A subafdeling read by ``subafdeling_managed_by`` for the same person carries the answer already."""
    read_for, manages = getattr(subafdeling, "hoedanigheid_managed", (None, None))
    if read_for is not None and read_for == person.pk:
        return manages
    return can_manage_activation(person, subafdeling.activation)


# A subafdeling with what the portal's pages show of it, for written-out reads (accessportal.rows):
# (alias, model), and the JOINs from ``s`` to the others. Read by subafdeling_managed_by,
# users.permissions.user_managed_by and the welcome page's subdivisions.selectors.portal_capacities.
SUBAFDELING_PARTS = (("s", Subafdeling), ("t", SubdivisionType), ("f", Facility), *ACTIVATION_PARTS)


@cache
def subafdeling_joins() -> str:
    table = {alias: connection.ops.quote_name(model._meta.db_table) for alias, model in SUBAFDELING_PARTS}
    return (
        f"JOIN {table['t']} t ON t.id = s.subdivision_type_id JOIN {table['f']} f ON f.id = s.facility_id "
        f"JOIN {table['a']} a ON a.id = s.activation_id {activation_joins()}"
    )


def subafdeling_related(found: dict) -> Subafdeling:
    """The subafdeling of ``found`` (JoinedColumns.instances of SUBAFDELING_PARTS) with its relations."""
    subafdeling = found["s"]
    subafdeling.activation, subafdeling.facility, subafdeling.subdivision_type = (
        activation_related(found),
        found["f"],
        found["t"],
    )
    facility_enterprise_shared(subafdeling)
    return subafdeling


@cache
def managed_subafdeling_sql(select: str, before: str = "", join: str = "", where: str = "") -> str:
    """The statement of ``subafdeling_managed_by``, written out: the subafdeling (``s``) with its
    SUBAFDELING_PARTS (``select``, from accessportal.rows), whether the person manages its hoedanigheid
    (the last column), by id (the first parameter after the person's three), if the person manages it.
    ``before``, ``join`` and ``where`` let ``users.permissions.user_managed_by`` read a user of it in
    the same statement. Through the ORM the statement and its instances took 1.2 ms a request to build;
    PostgreSQL answers it in 0.1 ms."""
    subafdeling = connection.ops.quote_name(Subafdeling._meta.db_table)
    return (
        f"SELECT {select}, ({activation_manager_exists_sql('s.activation_id')}) "  # noqa: S608 (our names)
        f"FROM {before}{subafdeling} s {join}{subafdeling_joins()}"
        f"WHERE s.id = %s {where}AND ({_manager_exists_sql('s')})"
    )


def managed_subafdeling_row(sql: str, person, ids: list) -> tuple | None:
    """The row of a ``managed_subafdeling_sql`` statement for ``person`` and ``ids`` (the subafdeling's,
    then those of ``where``); None when an id is beyond any row's."""
    if any(pk not in BIGINT for pk in ids):
        return None
    parameters = (
        [person.pk] * ACTIVATION_MANAGER_PARAMETERS + ids + [person.pk] * (1 + ACTIVATION_MANAGER_PARAMETERS)
    )
    with prepared_cursor() as cursor:  # every subafdeling page starts here: planned once per connection
        cursor.execute(sql, parameters)
        return cursor.fetchone()


def subafdeling_managed_by(person, subafdeling_id) -> Subafdeling | None:
    """A subafdeling the person manages (as its subafdelingsbeheerder or as TB above it); None for
    every other one, of any enterprise. It carries whether the person also manages its hoedanigheid
    (``can_change_subafdeling`` reads it: no second query)."""
    columns = joined_columns(connection.vendor, *SUBAFDELING_PARTS)
    row = managed_subafdeling_row(managed_subafdeling_sql(columns.select), person, [subafdeling_id])
    if row is None:
        return None
    subafdeling = subafdeling_related(columns.instances(row))
    hoedanigheid_managed_remember(subafdeling, person, bool(row[-1]))
    return subafdeling


def facility_enterprise_shared(subafdeling: Subafdeling) -> None:
    """A subafdeling's facility belongs to the enterprise of its hoedanigheid (subafdeling_activate
    refuses any other): that enterprise, already read, serves both, and the query joins one table less
    (each join costs PostgreSQL planning time on every request)."""
    facility, enterprise = subafdeling.facility, subafdeling.activation.enterprise
    if facility.enterprise_id == enterprise.pk:
        facility.enterprise = enterprise


def hoedanigheid_managed_remember(subafdeling: Subafdeling, person, manages: bool) -> None:
    """Keep on the subafdeling whether ``person`` manages its hoedanigheid, as a read for them found it,
    for ``can_change_subafdeling``."""
    subafdeling.hoedanigheid_managed = (person.pk, manages)


def require_subafdeling_manager(actor, subafdeling: Subafdeling, *, manages: bool | None = None) -> None:
    """The services' re-check: a ServiceError unless ``actor`` manages ``subafdeling``. ``manages``:
    the answer of ``subafdeling_manager_exists`` the service already asked inside its transaction,
    in a statement of its own checks (no query here then)."""
    if manages is None:
        manages = can_manage_subafdeling(actor, subafdeling)
    if not manages:
        raise ServiceError(_("U bent geen beheerder van deze subafdeling."), code="not_manager")
