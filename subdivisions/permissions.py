"""Who may see and change a subafdeling, its users and their roles: the subafdeling's current
subafdelingsbeheerders and whoever manages its hoedanigheid (administrators.permissions). Views get
the subafdeling through ``subafdeling_managed_by`` (None, so 404, for anyone else); services re-check
with ``require_subafdeling_manager``, which refuses with one message."""

from django.db.models import Exists, OuterRef, QuerySet
from django.utils.translation import gettext as _

from accessportal.services import ServiceError
from administrators.models import CoHtbAppointment, HtbAppointment, LocalAdministrator
from administrators.permissions import activation_ids_managed_by, can_manage_activation
from subdivisions.models import Subafdeling, SubafdelingAdministrator


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


def subafdeling_manager_exists(person) -> Exists:
    """Whether the person manages the subafdeling of the row (the same rule as
    ``subafdelingen_managed_by``), as correlated EXISTS: for one subafdeling asked by id it is cheaper
    to build and to plan than the set (2 ms of Django's compiling and PostgreSQL's planning a
    request, on every page of a subafdeling)."""
    return (
        Exists(
            SubafdelingAdministrator.objects.filter(
                subafdeling=OuterRef("pk"), person=person, ended_at__isnull=True
            )
        )
        | Exists(
            LocalAdministrator.objects.current().filter(activation=OuterRef("activation"), person=person)
        )
        | Exists(
            HtbAppointment.objects.current().filter(
                enterprise=OuterRef("activation__enterprise"), person=person
            )
        )
        | Exists(
            CoHtbAppointment.objects.current().filter(
                enterprise=OuterRef("activation__enterprise"), person=person
            )
        )
    )


def can_manage_subafdeling(person, subafdeling: Subafdeling) -> bool:
    return Subafdeling.objects.filter(subafdeling_manager_exists(person), pk=subafdeling.pk).exists()


def can_change_subafdeling(person, subafdeling: Subafdeling) -> bool:
    """Whether the person blocks, unblocks and authorises applications on the subafdeling: whoever
    manages its hoedanigheid. Its subafdelingsbeheerders see these pages and change nothing there
    (services refuse through ``administrators.permissions.require_activation_manager``). On the
    subafdeling's users and roles pages the same flag shows the hoedanigheid's menu."""
    return can_manage_activation(person, subafdeling.activation)


def subafdeling_managed_by(person, subafdeling_id) -> Subafdeling | None:
    """A subafdeling the person manages (as its subafdelingsbeheerder or as TB above it); None for
    every other one, of any enterprise."""
    return (
        Subafdeling.objects.filter(subafdeling_manager_exists(person), pk=subafdeling_id)
        .select_related(
            "activation__enterprise",
            "activation__hoedanigheid",
            "facility__enterprise",
            "subdivision_type",
        )
        .first()
    )


def require_subafdeling_manager(actor, subafdeling: Subafdeling) -> None:
    """The services' re-check: a ServiceError unless ``actor`` manages ``subafdeling``."""
    if not can_manage_subafdeling(actor, subafdeling):
        raise ServiceError(_("U bent geen beheerder van deze subafdeling."), code="not_manager")
