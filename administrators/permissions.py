"""Who may see and change what in CSAM / BTB: every rule of the chain above a subafdeling, once.

Views get their object through one of the ``*_managed_by`` / ``*_led_by`` reads (anything else is 404)
and ask the ``can_*`` predicates whether the person may change it; services re-check through the
same predicates. Other apps import these, never a copy (docs/ARCHITECTURE.md, "Where each rule lives").
"""

from functools import cache

from django.db import connection
from django.db.models import BooleanField, Exists, OuterRef, Q, QuerySet, Subquery
from django.db.models.expressions import RawSQL
from django.utils.translation import gettext_lazy as _

from accessportal.prepared import prepared_cursor
from accessportal.rows import joined_columns
from accessportal.services import ServiceError
from administrators.models import (
    AdministratorKind,
    CoHtbAppointment,
    HoedanigheidActivation,
    HtbAppointment,
    LocalAdministrator,
)
from enterprises.models import Enterprise, Hoedanigheid

# --- "The HTB is Lokale Beheerder of every active hoedanigheid while none is appointed" (manual 3.4:
# "initieel is de HTB automatisch Toegangsbeheerder van elk domein"). One rule in two forms: over the
# administrators already read, and as a database expression for querysets. ---------------------------


def htb_is_local_administrator(current_administrators) -> bool:
    """Whether the HTB acts as Lokale Beheerder, given the current (co-)lokale beheerders of one
    hoedanigheid (LocalAdministrator rows, or anything with their ``kind``): while no LB is among them."""
    return not any(administrator.kind == AdministratorKind.LB for administrator in current_administrators)


def acting_local_administrator(
    activation: HoedanigheidActivation,
) -> LocalAdministrator | HtbAppointment | None:
    """The Lokale Beheerder of the hoedanigheid now: the one appointed or, while none is, the HTB."""
    current = list(
        LocalAdministrator.objects.current().filter(activation=activation).select_related("person")
    )
    if not htb_is_local_administrator(current):
        return next(administrator for administrator in current if administrator.kind == AdministratorKind.LB)
    return (
        HtbAppointment.objects.current()
        .filter(enterprise_id=activation.enterprise_id)
        .select_related("person")
        .first()
    )


def htb_is_local_administrator_expression(activation) -> Q:
    """The same rule inside a query: ``activation`` is an activation, its pk or an ``OuterRef``."""
    appointed = LocalAdministrator.objects.current().filter(activation=activation, kind=AdministratorKind.LB)
    return ~Q(Exists(appointed))


# --- the enterprises an HTB / co-HTB leads, the hoedanigheden a person manages ------------------------
# These sets are ``pk IN (a UNION of small id lists)``: the person's own appointments, found through
# their indexes. An OR over LEFT JOINs of the appointments (and DISTINCT) read every row of the tables
# instead: 14 ms for an HTB's portal home in ``make bench``'s world of 1,000 enterprises and 10,000
# subafdelingen.


def is_htb_or_co_htb(person, enterprise: Enterprise) -> bool:
    return (
        HtbAppointment.objects.current().filter(person=person, enterprise=enterprise).exists()
        or CoHtbAppointment.objects.current().filter(person=person, enterprise=enterprise).exists()
    )


def htb_level(person, enterprise: Enterprise) -> str | None:
    if HtbAppointment.objects.current().filter(person=person, enterprise=enterprise).exists():
        return "HTB"
    if CoHtbAppointment.objects.current().filter(person=person, enterprise=enterprise).exists():
        return "CO_HTB"
    return None


def _enterprise_ids_led_by(person) -> QuerySet:
    htb = HtbAppointment.objects.current().filter(person=person).order_by().values("enterprise_id")
    co_htb = CoHtbAppointment.objects.current().filter(person=person).order_by().values("enterprise_id")
    return htb.union(co_htb)


def enterprises_led_by(person) -> QuerySet[Enterprise]:
    """The enterprises where the person is HTB or co-HTB now."""
    return Enterprise.objects.filter(pk__in=_enterprise_ids_led_by(person))


def enterprise_led_by(person, kbo: str) -> Enterprise | None:
    """An enterprise where the person is HTB or co-HTB now; None for every other enterprise."""
    return enterprises_led_by(person).filter(kbo=kbo).first()


def activation_ids_managed_by(person) -> QuerySet:
    """The ids of the hoedanigheden ``activations_managed_by`` returns, as a subquery."""
    own = LocalAdministrator.objects.current().filter(person=person).order_by().values("activation_id")
    led = HoedanigheidActivation.objects.filter(enterprise_id__in=_enterprise_ids_led_by(person)).values("pk")
    return own.union(led)


def activations_managed_by(person) -> QuerySet[HoedanigheidActivation]:
    """The hoedanigheden the person manages: as their (co-)lokale beheerder, or as HTB / co-HTB of the
    enterprise (the HTB is toegangsbeheerder of every domain)."""
    return HoedanigheidActivation.objects.filter(pk__in=activation_ids_managed_by(person))


@cache
def activation_manager_exists_sql(activation_id: str) -> str:
    """The rule of ``activations_managed_by`` for one hoedanigheid, as three correlated EXISTS over the
    person's appointments (by their indexes): its (co-)lokale beheerder, the HTB or a co-HTB of its
    enterprise. ``activation_id`` is the SQL of the outer row's activation id (a quoted column, of an
    outer alias other than ``x`` and ``xa``, the subqueries' own); the person is a parameter, three
    times. For one hoedanigheid asked by id this is cheaper to build and to plan than the set (its ORM
    form cost about 2 ms of Python a request)."""
    q = connection.ops.quote_name
    lb, act = q(LocalAdministrator._meta.db_table), q(HoedanigheidActivation._meta.db_table)
    led = (
        "EXISTS (SELECT 1 FROM {t} x JOIN {act} xa ON xa.enterprise_id = x.enterprise_id "
        "WHERE xa.id = {activation_id} AND x.person_id = %s AND x.ended_at IS NULL)"
    )
    return " OR ".join(
        [
            f"EXISTS (SELECT 1 FROM {lb} x WHERE x.activation_id = {activation_id} "  # noqa: S608
            "AND x.person_id = %s AND x.ended_at IS NULL)",
            *(
                led.format(t=q(model._meta.db_table), act=act, activation_id=activation_id)
                for model in (HtbAppointment, CoHtbAppointment)
            ),
        ]
    )


ACTIVATION_MANAGER_PARAMETERS = 3  # the person, once per EXISTS of activation_manager_exists_sql


# A hoedanigheid with what the portal's pages show of it, for written-out reads (accessportal.rows):
# (alias, model) and the JOINs from ``a`` to the others. Read by activation_managed_by and, with a
# subafdeling's parts, by subdivisions.permissions.
ACTIVATION_PARTS = (("a", HoedanigheidActivation), ("e", Enterprise), ("ho", Hoedanigheid))
BIGINT = range(-(2**63), 2**63)  # an id typed in the address bar beyond it is no row's


@cache
def activation_joins() -> str:
    table = {alias: connection.ops.quote_name(model._meta.db_table) for alias, model in ACTIVATION_PARTS}
    return (
        f"JOIN {table['e']} e ON e.id = a.enterprise_id JOIN {table['ho']} ho ON ho.id = a.hoedanigheid_id "
    )


def activation_related(found: dict) -> HoedanigheidActivation:
    """The hoedanigheid of ``found`` (JoinedColumns.instances of ACTIVATION_PARTS) with its relations,
    as ``select_related`` would have joined them."""
    activation = found["a"]
    activation.enterprise, activation.hoedanigheid = found["e"], found["ho"]
    return activation


@cache
def _managed_activation_sql(select: str) -> str:
    activation = connection.ops.quote_name(HoedanigheidActivation._meta.db_table)
    return (
        f"SELECT {select} FROM {activation} a {activation_joins()}"  # noqa: S608 (our own tables' names)
        f"WHERE a.id = %s AND ({activation_manager_exists_sql('a.id')})"
    )


def activation_managed_by(person, hoedanigheid_id) -> HoedanigheidActivation | None:
    """A hoedanigheid the person manages (the rule of ``activations_managed_by``, for one); None for
    every other one, of any enterprise. Written out and prepared: every page of a hoedanigheid starts
    here, and its ORM form (``pk IN`` a UNION of the person's appointments) cost 2 ms of Python to build
    and read; this one 0.13 ms."""
    if hoedanigheid_id not in BIGINT:
        return None
    columns = joined_columns(connection.vendor, *ACTIVATION_PARTS)
    with prepared_cursor() as cursor:
        cursor.execute(
            _managed_activation_sql(columns.select),
            [hoedanigheid_id] + [person.pk] * ACTIVATION_MANAGER_PARAMETERS,
        )
        row = cursor.fetchone()
    return None if row is None else activation_related(columns.instances(row))


def activation_manager_exists(person, activation_id: str) -> RawSQL:
    """``activation_manager_exists_sql`` as a boolean expression of a query, for ``person``."""
    return RawSQL(  # noqa: S611 (our own tables' names; the person is a parameter)
        f"({activation_manager_exists_sql(activation_id)})",
        [person.pk] * ACTIVATION_MANAGER_PARAMETERS,
        output_field=BooleanField(),
    )


def can_manage_activation(person, activation: HoedanigheidActivation) -> bool:
    own_id = connection.ops.quote_name(HoedanigheidActivation._meta.db_table) + ".id"
    manages = activation_manager_exists(person, own_id)
    return HoedanigheidActivation.objects.filter(manages, pk=activation.pk).exists()


NOT_ACTIVATION_MANAGER = _("U bent geen toegangsbeheerder van deze hoedanigheid.")


def require_activation_manager(actor, activation: HoedanigheidActivation) -> None:
    """The services' re-check of ``can_manage_activation``, with its one message."""
    if not can_manage_activation(actor, activation):
        raise ServiceError(str(NOT_ACTIVATION_MANAGER), code="not_manager")


# --- Who appoints and removes the (co-)lokale beheerders of a hoedanigheid: its HTB and co-HTBs. Its
# LB and co-LBs see the list of "Beheer van de gebruikers" but change nothing (manual 3.4.2, 3.4.3). --

NOT_MANAGERS_LEADER = _(
    "Enkel de (co-)hoofdtoegangsbeheerder kan toegangsbeheerders aanstellen of verwijderen."
)


def can_change_local_administrators(person, activation: HoedanigheidActivation) -> bool:
    return is_htb_or_co_htb(person, activation.enterprise)


def require_local_administrators_leader(actor, enterprise: Enterprise) -> None:
    """The services' re-check of ``can_change_local_administrators``, with its one message."""
    if not is_htb_or_co_htb(actor, enterprise):
        raise ServiceError(str(NOT_MANAGERS_LEADER), code="not_htb")


def enterprise_activations_managed_by(person, enterprise: Enterprise) -> QuerySet[HoedanigheidActivation]:
    """ "Beheer van de hoedanigheden" on the hoedanigheid level: the enterprise's active hoedanigheden
    the person manages (all of them for its HTB and co-HTBs), with the name of their current Lokale
    Beheerder (``lb_first_name``, ``lb_last_name``; empty while the HTB is Lokale Beheerder)."""
    lb = LocalAdministrator.objects.current().filter(activation=OuterRef("pk"), kind=AdministratorKind.LB)
    return (
        activations_managed_by(person)
        .filter(enterprise=enterprise)
        .select_related("hoedanigheid")
        .annotate(
            lb_first_name=Subquery(lb.values("person__first_name")[:1]),
            lb_last_name=Subquery(lb.values("person__last_name")[:1]),
        )
        .order_by("hoedanigheid__sort_order", "hoedanigheid__name")
    )


def local_administrator_role_of(activation: HoedanigheidActivation, person) -> str | None:
    """LB or CO_LB when the person administers the hoedanigheid now, else None. The HTB counts as LB
    as long as no Lokale Beheerder was appointed ("initieel is de HTB automatisch Toegangsbeheerder
    van elk domein", manual 3.4)."""
    current = list(
        LocalAdministrator.objects.current().filter(activation=activation).only("kind", "person_id")
    )
    kind = next(
        (administrator.kind for administrator in current if administrator.person_id == person.pk), None
    )
    if kind is not None:
        return kind
    if htb_is_local_administrator(current) and (
        HtbAppointment.objects.current()
        .filter(enterprise_id=activation.enterprise_id, person=person)
        .exists()
    ):
        return AdministratorKind.LB
    return None
