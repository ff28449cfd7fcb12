"""Permission-aware reads of the users of a subafdeling (manual 3.6.1).

Every function takes a subafdeling the caller already obtained through
``subdivisions.selectors.subafdeling_managed_by``: what lies outside it is never returned."""

from django.db.models import F, Prefetch, QuerySet, Value
from django.db.models.functions import Coalesce

from enterprises.models import Application
from subdivisions.models import Subafdeling
from users.models import ApplicationRight, SubafdelingUser

# The portal's user type on the subafdeling level, as the manual's screenshot of a subafdeling's users shows it
# (3.6.1): "SS". The model knows one kind of user.
USER_TYPE = "SS"
PERSON_CRITERIA = ("naam", "voornaam", "gebruikersnaam", "insz")


def authorised_applications(subafdeling: Subafdeling) -> QuerySet[Application]:
    """The applications authorised on the subafdeling, in the catalogue's order."""
    return Application.objects.filter(authorisations__subafdeling=subafdeling).order_by("sort_order", "name")


def user_rows(subafdeling: Subafdeling, filters: dict | None = None) -> QuerySet[SubafdelingUser]:
    """The users of the subafdeling, filtered in the database, with their person and their rights
    (one extra query for the rights of a whole page, whatever its size)."""
    filters = filters or {}
    rows = SubafdelingUser.objects.filter(subafdeling=subafdeling).select_related("person")
    if filters.get("naam"):
        rows = rows.filter(person__last_name__icontains=filters["naam"])
    if filters.get("voornaam"):
        rows = rows.filter(person__first_name__icontains=filters["voornaam"])
    if filters.get("gebruikersnaam"):
        rows = rows.filter(person__username__icontains=filters["gebruikersnaam"])
    if filters.get("type") and filters["type"] != USER_TYPE:
        rows = rows.none()
    if filters.get("insz"):
        rows = rows.filter(person__insz__startswith=filters["insz"])
    if filters.get("status"):
        rows = rows.filter(status=filters["status"])
    if filters.get("toepassing"):
        rows = rows.filter(rights__application=filters["toepassing"])
    # The order of the names' index. With a criterion on the person the rows are few: they are sorted
    # (the same order, through an expression no index gives), for PostgreSQL would otherwise walk the
    # whole register's name index, filtering, until the page is full: 90 ms for "peete" among
    # 201,000 people in ``make bench``'s world.
    last_name = F("person__last_name")
    if any(filters.get(name) for name in PERSON_CRITERIA):
        last_name = Coalesce(last_name, Value(""))
    return rows.order_by(last_name, "person__first_name", "pk").prefetch_related(
        Prefetch(
            "rights",
            queryset=ApplicationRight.objects.select_related("application").order_by(
                "application__sort_order", "application__name"
            ),
        )
    )


def user_of_subafdeling(subafdeling: Subafdeling, user_id) -> SubafdelingUser | None:
    """One user of the subafdeling, with their rights; None for a user of any other subafdeling.
    ``user.subafdeling`` is the caller's object with the relations it read: the services that follow
    (role_assign's checks, its mail) read it without a query of their own."""
    user = user_rows(subafdeling).filter(pk=user_id).first()
    if user is not None:
        user.subafdeling = subafdeling
    return user


def user_for_person(subafdeling: Subafdeling, person) -> SubafdelingUser | None:
    return SubafdelingUser.objects.filter(subafdeling=subafdeling, person=person).first()
