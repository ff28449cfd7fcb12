"""Who may see and change the users of a subafdeling and a person's own account: the reads views get
their object through (None, so 404, for anyone else) and the services' re-checks. Whether a person
manages the subafdeling itself is subdivisions.permissions' rule; these build on it."""

from django.db.models import Prefetch, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from accessportal.prepared import prepared_statements
from accessportal.services import ServiceError
from administrators.models import HoedanigheidActivation
from administrators.permissions import activations_managed_by, enterprises_led_by
from enterprises.models import Enterprise
from subdivisions.models import Subafdeling
from subdivisions.permissions import (
    facility_enterprise_shared,
    hoedanigheid_managed_remember,
    hoedanigheid_manager_exists,
    require_subafdeling_manager,
    subafdeling_manager_exists,
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


def user_managed_by(person, subafdeling_id, user_id) -> SubafdelingUser | None:
    """One user of a subafdeling the person manages (the rule of
    ``subdivisions.permissions.subafdeling_managed_by``), read with that subafdeling and what its pages
    show of it in one statement; None for anyone else. Without the rights (``user_of_subafdeling``
    has them)."""
    query = (
        # subafdeling_manager_exists and hoedanigheid_manager_exists name the table
        # "subdivisions_subafdeling": joined here by the select_related, under that name (its first join).
        SubafdelingUser.objects.filter(
            subafdeling_manager_exists(person), pk=user_id, subafdeling__id=subafdeling_id
        )
        .annotate(manages_hoedanigheid=hoedanigheid_manager_exists(person))
        .select_related(
            "person",
            "subafdeling__activation__enterprise",
            "subafdeling__activation__hoedanigheid",
            "subafdeling__facility",
            "subafdeling__subdivision_type",
        )
    )
    with prepared_statements():  # every page of a user starts here: planned once per connection
        found = query.first()
    if found is not None:
        facility_enterprise_shared(found.subafdeling)
        hoedanigheid_managed_remember(found.subafdeling, person, found.manages_hoedanigheid)
    return found


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
