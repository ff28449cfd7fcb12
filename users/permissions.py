"""Who may see and change the users of a subafdeling and a person's own account: the reads views get
their object through (None, so 404, for anyone else) and the services' re-checks. Whether a person
manages the subafdeling itself is subdivisions.permissions' rule; these build on it."""

from functools import cache

from django.db import connection
from django.db.models import Prefetch, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from accessportal.rows import joined_columns
from accessportal.services import ServiceError
from administrators.models import HoedanigheidActivation
from administrators.permissions import activations_managed_by, enterprises_led_by
from enterprises.models import Enterprise
from identity.models import Person
from subdivisions.models import Subafdeling
from subdivisions.permissions import (
    SUBAFDELING_PARTS,
    hoedanigheid_managed_remember,
    managed_subafdeling_row,
    managed_subafdeling_sql,
    require_subafdeling_manager,
    subafdeling_related,
    subafdelingen_managed_by,
)
from users.models import ApplicationRight, SubafdelingUser


def rights_in_order() -> Prefetch:
    """A user's rights (``user.rights.all()``) with their application, in the catalogue's order."""
    return Prefetch(
        "rights",
        queryset=ApplicationRight.objects.select_related("application").order_by(
            "application__sort_order", "application__name"
        ),
    )


def user_of_subafdeling(subafdeling: Subafdeling, user_id) -> SubafdelingUser | None:
    """One user of a subafdeling the caller obtained through ``subafdeling_managed_by``, with their
    rights; None for a user of any other subafdeling. ``user.subafdeling`` is the caller's object with
    the relations it read: the services that follow (role_assign's checks, its mail) read it without a
    query of their own."""
    user = (
        SubafdelingUser.objects.filter(subafdeling=subafdeling, pk=user_id)
        .select_related("person")
        .prefetch_related(rights_in_order())
        .first()
    )
    if user is not None:
        user.subafdeling = subafdeling
    return user


USER_PAGE_PARTS = (("u", SubafdelingUser), ("p", Person), *SUBAFDELING_PARTS)


@cache
def _user_managed_sql() -> str:
    q = connection.ops.quote_name
    return managed_subafdeling_sql(
        joined_columns(connection.vendor, *USER_PAGE_PARTS).select,
        before=f"{q(SubafdelingUser._meta.db_table)} u JOIN {q(Person._meta.db_table)} p ON p.id = u.person_id JOIN ",
        join="ON s.id = u.subafdeling_id ",
        where="AND u.id = %s ",
    )


def user_managed_by(person, subafdeling_id, user_id) -> SubafdelingUser | None:
    """One user of a subafdeling the person manages (the rule of
    ``subdivisions.permissions.subafdeling_managed_by``), read with that subafdeling and what its pages
    show of it in one written-out statement; None for anyone else. Without the rights
    (``user_of_subafdeling`` has them)."""
    row = managed_subafdeling_row(_user_managed_sql(), person, [subafdeling_id, user_id])
    if row is None:
        return None
    found = joined_columns(connection.vendor, *USER_PAGE_PARTS).instances(row)
    user = found["u"]
    user.person, user.subafdeling = found["p"], subafdeling_related(found)
    hoedanigheid_managed_remember(user.subafdeling, person, bool(row[-1]))
    return user


def activation_users_managed_by(person, activation: HoedanigheidActivation) -> QuerySet[SubafdelingUser]:
    """The users of every subafdeling of ``activation`` that the person manages
    (``subafdelingen_managed_by``): the scope of the hoedanigheid's look-ups ("Gebruikers opzoeken",
    "Beheer van de wachtwoorden")."""
    managed = subafdelingen_managed_by(person).filter(activation=activation).values("pk")
    return SubafdelingUser.objects.filter(subafdeling__in=managed)


def user_found(*, actor, activation: HoedanigheidActivation, user_id) -> SubafdelingUser | None:
    """One user of a subafdeling of ``activation`` that ``actor`` manages; None for anyone else."""
    return (
        activation_users_managed_by(actor, activation)
        .filter(pk=user_id)
        .select_related("person", "subafdeling__facility", "subafdeling__subdivision_type")
        .first()
    )


def require_user_manager(actor, user: SubafdelingUser, *, manages: bool | None = None) -> None:
    """The services' re-check before changing a user, their rights or their roles: ``actor`` manages
    the user's subafdeling (one message, subdivisions.permissions.require_subafdeling_manager;
    ``manages`` when the service asked it in a statement of its own)."""
    require_subafdeling_manager(actor, user.subafdeling, manages=manages)


# --- The person's own account in an enterprise ----------------------------------------------------


def enterprise_served_by(person, kbo: str) -> Enterprise | None:
    """An enterprise where the person holds a capacity now (HTB or co-HTB, (co-)lokale beheerder,
    subafdelingsbeheerder, or user of one of its subafdelingen); None for every other one."""
    led = enterprises_led_by(person).values("pk")
    managed = activations_managed_by(person).values("enterprise_id")
    subafdelingen = subafdelingen_managed_by(person).values("activation__enterprise_id")
    used = SubafdelingUser.objects.filter(person=person).values("subafdeling__activation__enterprise_id")
    return (
        Enterprise.objects.filter(kbo=kbo)
        .filter(Q(pk__in=led) | Q(pk__in=managed) | Q(pk__in=subafdelingen) | Q(pk__in=used))
        .first()
    )


NO_ACCOUNT = _("U hebt geen account bij deze onderneming.")


def require_account(actor, enterprise: Enterprise) -> None:
    """The services' re-check of the person's own account (the certificate): ``enterprise_served_by``."""
    if enterprise_served_by(actor, enterprise.kbo) is None:
        raise ServiceError(str(NO_ACCOUNT), code="no_account")
