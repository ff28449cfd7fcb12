"""'Wat verandert er?': before "Bevestigen", who gains or loses which capability or application access.

Application access is decided by the applications' own decision, ``roles.access.access_decide``, read
twice through the state protocol (roles.chain_state): once from a ``FacilitySnapshot`` (the chain of
one facility as it is now, read in a few queries and answered from memory) and once from the same
snapshot with the proposed change applied (``snapshot.proposed(...)``, in memory, nothing written).
The proposed state is the chain *once the change has reached the applications*: a right, an
authorisation, a user or a block at once (manual 3.6.1), a role after the propagation delay (3.6.2,
``settings.PROPAGATION_DELAY``) or from its start date.

Hundreds of users are not decided one by one: people whose part of the chain is the same (their
users, statuses, rights and roles, now and with the change) get the same decision, so one of them is
decided per distinct situation and per application; the names are paged in the database.

Capabilities (Hoofdtoegangsbeheerder, Lokale Beheerder, subafdelingsbeheerder) are not part of the
access decision; their lines say what the appointment gives or takes, at once.
"""

import copy
from dataclasses import dataclass, field
from datetime import date, datetime
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache
from django.core.paginator import Paginator
from django.db.models import OuterRef, Subquery
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accessportal import clock
from administrators.models import AdministratorKind, HoedanigheidActivation, HtbAppointment
from administrators.selectors import current_htb
from enterprises.models import Facility, Hoedanigheid
from identity.models import Person
from roles.access import ALLOWED, PENDING, access_decide
from roles.chain_state import ASSIGNMENT_FIELDS
from roles.models import RoleAssignment, SimulatedApplication
from subdivisions.models import Subafdeling, SubafdelingStatus
from users.models import SubafdelingUser, UserStatus

PAGE_SIZE = 25
PAGE_PARAM = "wijzigingen-%d"  # one pager per line: ?wijzigingen-1=2


# --- When a change takes effect ----------------------------------------------------------------------


def _at_once() -> str:
    return _("onmiddellijk")


def _after_delay() -> str:
    minutes = int(settings.PROPAGATION_DELAY.total_seconds() // 60)
    return ngettext("na %(minutes)s minuut", "na %(minutes)s minuten", minutes) % {"minutes": minutes}


def _from_day(day: date) -> str:
    return _("vanaf %(date)s") % {"date": formats.date_format(day, "d/m/Y")}


def _from_moment(moment: datetime) -> str:
    return _("vanaf %(moment)s") % {"moment": clock.moment_text(moment)}


# --- The chain of one facility, in memory -------------------------------------------------------------


@dataclass
class ProposedAssignment:
    """A role assignment as the applications will see it once its change has propagated: the
    interface of RoleAssignment that roles.access reads."""

    role: object
    start_date: date
    end_date: date | None
    user_id: int = 0
    application_id: int = 0
    pk: int | None = None
    pending_until: datetime | None = None
    removed_at: datetime | None = None

    @property
    def role_id(self):
        return self.role.pk

    @property
    def effective_start_date(self):
        return self.start_date

    @property
    def effective_end_date(self):
        return self.end_date

    def effective_on(self, day: date) -> bool:
        return self.start_date <= day and (self.end_date is None or day <= self.end_date)


@dataclass
class _User:
    """A user of a subafdeling as the decision reads it (pk, person, status)."""

    pk: int
    subafdeling_id: int
    person_id: int
    status: str
    person: object = None


def _assignment_key(a) -> tuple:
    return (
        a.role_id,
        a.start_date,
        a.end_date,
        a.effective_start_date,
        a.effective_end_date,
        a.removed_at,
        a.pending_until,
    )


class FacilitySnapshot:
    """The chain of one facility for the people concerned, read in a few queries whatever their
    number, answering the chain-state protocol of roles.access from memory.

    ``moment`` is the snapshot's moment (not None): like a past state, a preview names nobody who
    could fix a missing link (it only says what will hold), which also keeps those look-ups out of a
    page that decides for hundreds of people."""

    def __init__(self, facility, *, persons=None, subafdeling=None):
        """``persons``: the ids of the people concerned; or ``subafdeling``: its users are; neither:
        every user of the facility is."""
        self.moment = clock.now()
        self._today = clock.today()
        self.facility = facility
        self.enterprise = facility.enterprise
        self._activations = self._load_activations()
        self._subafdelingen = self._load_subafdelingen()
        self._load_users(persons, subafdeling)

    def _load_subafdelingen(self) -> dict:
        """The facility's subafdelingen with the ids of their authorised applications (one query)."""
        found: dict[int, Subafdeling] = {}
        rows = (
            Subafdeling.objects.filter(facility=self.facility, activation__enterprise=self.enterprise)
            .order_by("pk")
            .values_list("pk", "name", "status", "activation_id", "authorisations__application_id")
        )
        for pk, name, status, activation_id, app_id in rows:
            if pk not in found:
                found[pk] = Subafdeling(
                    pk=pk, name=name, status=status, activation_id=activation_id, facility=self.facility
                )
                found[pk].auth_ids = set()
            if app_id is not None:
                found[pk].auth_ids.add(app_id)
        return found

    def _load_activations(self) -> list:
        """The enterprise's activations with the ids of their applications, and its HTB (one query;
        two for an enterprise without any activation)."""
        htb = HtbAppointment.objects.current().filter(enterprise=OuterRef("enterprise"))
        found: dict[int, HoedanigheidActivation] = {}
        rows = (
            HoedanigheidActivation.objects.filter(enterprise=self.enterprise)
            .annotate(
                htb_pk=Subquery(htb.values("pk")[:1]),
                htb_person=Subquery(htb.values("person_id")[:1]),
                htb_first=Subquery(htb.values("person__first_name")[:1]),
                htb_last=Subquery(htb.values("person__last_name")[:1]),
            )
            .values_list(
                "pk",
                "hoedanigheid_id",
                "hoedanigheid__name",
                "hoedanigheid__sort_order",
                "hoedanigheid__applications",
                "htb_pk",
                "htb_person",
                "htb_first",
                "htb_last",
            )
        )
        self._htb = None
        for pk, hoedanigheid_id, name, sort_order, app_id, htb_pk, person_id, first, last in rows:
            if pk not in found:
                hoedanigheid = Hoedanigheid(pk=hoedanigheid_id, name=name, sort_order=sort_order)
                activation = HoedanigheidActivation(pk=pk, hoedanigheid=hoedanigheid)
                activation.enterprise = self.enterprise
                activation.app_ids = set()
                found[pk] = activation
            if app_id is not None:
                found[pk].app_ids.add(app_id)
            if htb_pk is not None and self._htb is None:
                person = Person(pk=person_id, first_name=first, last_name=last)
                self._htb = HtbAppointment(pk=htb_pk, enterprise=self.enterprise, person=person)
        if not found:
            self._htb = current_htb(self.enterprise)
        return sorted(found.values(), key=lambda a: (a.hoedanigheid.sort_order, a.hoedanigheid.name))

    def _load_users(self, persons, subafdeling) -> None:
        """The users of the people concerned in the facility, with their names, rights and roles (one
        query: a row per user, right and role)."""
        users = SubafdelingUser.objects.filter(subafdeling__in=list(self._subafdelingen))
        if subafdeling is not None:
            users = users.filter(
                person__in=SubafdelingUser.objects.filter(subafdeling=subafdeling).values("person")
            )
        elif persons is not None:
            users = users.filter(person__in=list(persons))
        self._users: dict[int, _User] = {}
        self.people: dict[int, Person] = {}  # the names of the lines, without a query of their own
        self._index = None
        self._rights: dict[int, set] = {}
        assignments: dict[int, dict] = {}
        rows = users.values_list(
            "pk",
            "subafdeling_id",
            "person_id",
            "status",
            "person__first_name",
            "person__last_name",
            "rights__application_id",
            *(f"role_assignments__{name}" for name in ASSIGNMENT_FIELDS),
        )
        for pk, sub_id, person_id, status, first, last, app_id, *assignment in rows:
            if pk not in self._users:
                person = self.people.setdefault(
                    person_id, Person(pk=person_id, first_name=first, last_name=last)
                )
                self._users[pk] = _User(pk, sub_id, person_id, status, person)
                self._rights[pk] = set()
                assignments[pk] = {}
            if app_id is not None:
                self._rights[pk].add(app_id)
            if assignment[0] is not None:
                values = dict(zip(ASSIGNMENT_FIELDS, assignment, strict=True))
                assignments[pk][values["id"]] = RoleAssignment(user_id=pk, **values)
        self._assignments = {
            pk: sorted(found.values(), key=lambda a: (a.start_date, a.pk))
            for pk, found in assignments.items()
            if found
        }

    # The people concerned and their situation

    def person_ids(self) -> set:
        return {user.person_id for user in self._users.values()}

    def by_person(self) -> dict[int, list]:
        found: dict[int, list] = {}
        for user in sorted(self._users.values(), key=lambda u: u.pk):
            found.setdefault(user.person_id, []).append(user)
        return found

    def situation(self, users) -> tuple:
        """Everything of the chain the decision reads for the person with these users (besides what is
        the same for everyone): two people in the same situation get the same decision."""
        return tuple(
            (
                user.subafdeling_id,
                user.status,
                tuple(sorted(self._rights.get(user.pk, ()))),
                tuple(_assignment_key(a) for a in self._assignments.get(user.pk, [])),
            )
            for user in users
        )

    # The chain-state protocol (roles.chain_state)

    def now(self):
        return self.moment

    def today(self):
        return self._today

    def htb(self, enterprise):
        return self._htb

    def activations(self, enterprise, app) -> list:
        return [a for a in self._activations if app.application_id in a.app_ids]

    def subafdelingen(self, facility, activations, app, person) -> list:
        activation_ids = {a.pk for a in activations}
        found = []
        for s in self._subafdelingen.values():
            if s.facility_id != facility.pk or s.activation_id not in activation_ids:
                continue
            row = copy.copy(s)
            row.app_authorisations = [app.application] if app.application_id in s.auth_ids else []
            row.person_users = self._users_of(s.pk, person.pk) if person is not None else []
            found.append(row)
        return found

    def _users_of(self, subafdeling_id: int, person_id: int) -> list:
        if self._index is None:  # built again after a change of the users
            self._index = {}
            for user in sorted(self._users.values(), key=lambda u: u.pk):
                self._index.setdefault((user.subafdeling_id, user.person_id), []).append(user)
        return self._index.get((subafdeling_id, person_id), [])

    def rights(self, users, app) -> dict:
        return {u.pk: True for u in users if app.application_id in self._rights.get(u.pk, ())}

    def assignments(self, users, required_roles) -> dict:
        required = {role.pk: role for role in required_roles}
        found = {}
        for u in users:
            mine = [a for a in self._assignments.get(u.pk, []) if a.role_id in required]
            for a in mine:
                a.role = required[a.role_id]
            if mine:
                found[u.pk] = sorted(mine, key=lambda a: (a.start_date, a.role.name))
        return found

    # The proposed change

    def proposed(self) -> "FacilitySnapshot":
        """A copy to apply a change to, in memory; the snapshot itself stays as it is."""
        other = copy.copy(self)
        other._subafdelingen = {pk: copy.copy(s) for pk, s in self._subafdelingen.items()}
        for s in other._subafdelingen.values():
            s.auth_ids = set(s.auth_ids)
        other._users = {pk: copy.copy(u) for pk, u in self._users.items()}
        other.people = dict(self.people)
        other._index = None
        other._rights = {pk: set(r) for pk, r in self._rights.items()}
        other._assignments = {pk: list(a) for pk, a in self._assignments.items()}
        return other

    def _drop_roles(self, user_id: int, app_ids) -> None:
        """Roles go with the right on their application (the database cascades them)."""
        kept = [a for a in self._assignments.get(user_id, []) if a.application_id not in app_ids]
        self._assignments[user_id] = kept

    def set_status(self, subafdeling_id: int, status: str) -> None:
        self._subafdelingen[subafdeling_id].status = status

    def set_authorisations(self, subafdeling_id: int, app_ids) -> None:
        """The applications authorised on a subafdeling; the rights (and roles) of a removed one go."""
        subafdeling = self._subafdelingen[subafdeling_id]
        removed = subafdeling.auth_ids - set(app_ids)
        subafdeling.auth_ids = set(app_ids)
        for user in self._users.values():
            if user.subafdeling_id == subafdeling_id:
                self.set_rights(user.pk, self._rights[user.pk] - removed)

    def set_rights(self, user_id: int, app_ids) -> None:
        removed = self._rights.get(user_id, set()) - set(app_ids)
        self._rights[user_id] = set(app_ids)
        self._drop_roles(user_id, removed)

    def add_user(self, subafdeling_id: int, person, app_ids) -> None:
        """``person``: a Person, its name then needs no query; or its id."""
        if not isinstance(person, Person):
            person = Person(pk=person)
        elif person.first_name or person.last_name:
            self.people.setdefault(person.pk, person)
        person_id = person.pk
        pk = -1 - len(self._users)  # not in the database: a negative id no row has
        self._users[pk] = _User(pk, subafdeling_id, person_id, UserStatus.ACTIEF, person)
        self._rights[pk] = set(app_ids)
        self._index = None

    def remove_users(self, user_ids) -> None:
        for pk in user_ids:
            self._users.pop(pk, None)
            self._rights.pop(pk, None)
            self._assignments.pop(pk, None)
        self._index = None

    def set_assignment(self, user_id: int, role, start_date, end_date, *, replaces=None) -> None:
        """A role (new, or ``replaces`` an assignment with new dates) as it will be in effect."""
        kept = [a for a in self._assignments.get(user_id, []) if replaces is None or a.pk != replaces]
        if role is not None:
            kept.append(
                ProposedAssignment(role, start_date, end_date, user_id, application_id=role.application_id)
            )
        self._assignments[user_id] = sorted(kept, key=lambda a: (a.start_date, a.role_id))


# --- What the preview says ----------------------------------------------------------------------------


@dataclass
class Change:
    """One line: who gains or loses what, and when. ``people`` (ids) when it names users."""

    gains: bool
    text: str
    people: list = field(default_factory=list)
    names: list = field(default_factory=list)  # the current page's names
    page: object = None
    previous_url: str = ""
    next_url: str = ""


@dataclass
class Preview:
    capabilities: list[Change] = field(default_factory=list)
    access: list[Change] = field(default_factory=list)


def _and(names: list[str]) -> str:
    if len(names) < 2:
        return "".join(names)
    return _("%(first)s en %(last)s") % {"first": ", ".join(names[:-1]), "last": names[-1]}


def _when_pending(moment: datetime) -> str:
    local = timezone.localtime(moment)
    if (local.hour, local.minute) == (0, 0):
        return _from_day(local.date())
    return _from_moment(moment)


def _decide(state, person, app):
    facility = state.facility
    return access_decide(
        person=person, app=app, hco=facility.hco_number, facility=facility, name_the_person=False, state=state
    )


def _compare(before, after, person, app, delayed: bool):
    """(gains, when) or None: the decision now and with the change, for one person."""
    was, will = _decide(before, person, app), _decide(after, person, app)
    when = _after_delay() if delayed else _at_once()
    if will.status == ALLOWED and was.status != ALLOWED:
        return True, when
    if will.status == PENDING and was.status not in (ALLOWED, PENDING):
        return True, _when_pending(will.effective_at) if will.effective_at else when
    if was.status == ALLOWED and will.status != ALLOWED:
        return False, when
    if was.status == PENDING and will.status not in (ALLOWED, PENDING):
        return False, when
    return None


CATALOGUE_KEY = "roles.preview.applications"


def _applications() -> list:
    """The simulated applications with their roles. They change only through the admin or the seed, so
    every preview reads them from the cache (Redis: shared by the processes) instead of two queries;
    any save or delete of one, of a role or of an application drops them (roles.apps)."""
    found = cache.get(CATALOGUE_KEY)
    if found is None:
        found = list(SimulatedApplication.objects.select_related("application").prefetch_related("roles"))
        cache.set(CATALOGUE_KEY, found, timeout=None)
    return found


def applications_forget(**_signal) -> None:
    cache.delete(CATALOGUE_KEY)


def access_changes(before: FacilitySnapshot, after: FacilitySnapshot, *, delayed: bool) -> dict:
    """{(gains, when, people): [application names]}: the access decision now and with the change, for
    one person per distinct situation (everyone in the same situation gets the same decision)."""
    groups: dict[tuple, list[int]] = {}
    by_person_before, by_person_after = before.by_person(), after.by_person()
    for person_id in sorted(before.person_ids() | after.person_ids()):
        situation = (
            before.situation(by_person_before.get(person_id, [])),
            after.situation(by_person_after.get(person_id, [])),
        )
        groups.setdefault(situation, []).append(person_id)
    found: dict[tuple, set] = {}
    for app in _applications():
        if not before.activations(before.enterprise, app):
            continue  # no hoedanigheid of the enterprise offers it: refused now and with the change
        for people in groups.values():
            outcome = _compare(before, after, Person(pk=people[0]), app, delayed)
            if outcome is not None:
                found.setdefault(outcome, {}).setdefault(app.name, []).extend(people)
    merged: dict[tuple, list[str]] = {}
    for (gains, when), apps in found.items():
        for name, people in apps.items():
            merged.setdefault((gains, when, tuple(sorted(people))), []).append(name)
    return merged


def _access_lines(before, after, *, delayed: bool, query=None) -> list[Change]:
    """The access changes as lines, each naming its people, a page at a time."""
    changes = sorted(
        access_changes(before, after, delayed=delayed).items(), key=lambda item: (item[0][0], item[1])
    )
    lines = [Change(gains, "", list(people)) for (gains, _when, people), _apps in changes]
    _page_names(lines, query, {**before.people, **after.people})
    for line, ((gains, when, people), apps) in zip(lines, changes, strict=True):
        values = {"apps": _and(apps), "when": when, "count": len(people)}
        if len(people) == 1:
            values["name"] = line.names[0]
            text = (
                _("%(name)s krijgt toegang tot %(apps)s (%(when)s).")
                if gains
                else _("%(name)s verliest de toegang tot %(apps)s (%(when)s).")
            )
            line.names = []
        elif gains:
            text = ngettext(
                "%(count)s gebruiker krijgt toegang tot %(apps)s (%(when)s).",
                "%(count)s gebruikers krijgen toegang tot %(apps)s (%(when)s).",
                len(people),
            )
        else:
            text = ngettext(
                "%(count)s gebruiker verliest de toegang tot %(apps)s (%(when)s).",
                "%(count)s gebruikers verliezen de toegang tot %(apps)s (%(when)s).",
                len(people),
            )
        line.text = text % values
    return lines


def _page_names(lines: list[Change], query, known: dict) -> None:
    """Each line's current page of names, in name order. The snapshots read the names of the people
    they concern (``known``): no query. Otherwise the database sorts the people concerned (their ids
    only) and reads the names of the pages shown; two queries, however many lines."""
    if not lines:
        return
    concerned = {person for line in lines for person in line.people}
    if concerned <= known.keys():
        _page_known_names(lines, query, known)
        return
    order = Person.objects.filter(pk__in=concerned).order_by("last_name", "first_name", "pk")
    if len(lines) == 1:  # one line: its page with the names in one query
        line = lines[0]
        paginator = Paginator(order.only("first_name", "last_name"), PAGE_SIZE)
        paginator.count = len(concerned)  # known already: no COUNT query
        line.page = paginator.get_page((query or {}).get(PAGE_PARAM % 1))
        line.names = [person.full_name for person in line.page.object_list]
        line.page.object_list = [person.pk for person in line.page.object_list]
        _page_links(line, PAGE_PARAM % 1, query)
        return
    rank = {pk: position for position, pk in enumerate(order.values_list("pk", flat=True))}
    for number, line in enumerate(lines, start=1):
        param = PAGE_PARAM % number
        line.page = Paginator(sorted(line.people, key=rank.__getitem__), PAGE_SIZE).get_page(
            (query or {}).get(param)
        )
        _page_links(line, param, query)
    shown = {pk for line in lines for pk in line.page.object_list}
    names = {
        person.pk: person.full_name
        for person in Person.objects.filter(pk__in=shown).only("first_name", "last_name")
    }
    for line in lines:
        line.names = [names[pk] for pk in line.page.object_list]


def _page_known_names(lines: list[Change], query, known: dict) -> None:
    def order(pk):
        return (known[pk].last_name, known[pk].first_name, pk)

    for number, line in enumerate(lines, start=1):
        param = PAGE_PARAM % number
        line.page = Paginator(sorted(line.people, key=order), PAGE_SIZE).get_page((query or {}).get(param))
        line.names = [known[pk].full_name for pk in line.page.object_list]
        _page_links(line, param, query)


def _page_links(line: Change, param: str, query) -> None:
    if line.page.has_previous():
        line.previous_url = _url_with(query, param, line.page.previous_page_number())
    if line.page.has_next():
        line.next_url = _url_with(query, param, line.page.next_page_number())


def _url_with(query, param: str, number: int) -> str:
    params = query.copy() if hasattr(query, "copy") else dict(query or {})
    params[param] = number
    return "?" + (params.urlencode() if hasattr(params, "urlencode") else urlencode(params))


def _capability(gains: bool, text: str) -> Change:
    return Change(gains, text)


# --- One function per confirmation screen --------------------------------------------------------------


def preview_subafdeling_status(subafdeling, *, block: bool, query=None) -> Preview:
    """Blocking (or unblocking) a subafdeling: its users lose (or regain) their applications at once."""
    before = FacilitySnapshot(subafdeling.facility, subafdeling=subafdeling)
    after = before.proposed()
    after.set_status(subafdeling.pk, SubafdelingStatus.GEBLOKKEERD if block else SubafdelingStatus.ACTIEF)
    return Preview(access=_access_lines(before, after, delayed=False, query=query))


def preview_authorisations(subafdeling, applications, *, query=None) -> Preview:
    """New authorised applications of a subafdeling: a removed one takes its users' rights and roles."""
    before = FacilitySnapshot(subafdeling.facility, subafdeling=subafdeling)
    after = before.proposed()
    after.set_authorisations(subafdeling.pk, {app.pk for app in applications})
    return Preview(access=_access_lines(before, after, delayed=False, query=query))


def preview_user_add(subafdeling, person, applications, *, query=None) -> Preview:
    before = FacilitySnapshot(subafdeling.facility, persons=[person.pk])
    after = before.proposed()
    after.add_user(subafdeling.pk, person, {app.pk for app in applications})
    return Preview(access=_access_lines(before, after, delayed=False, query=query))


def preview_users_add(subafdeling, additions, *, query=None) -> Preview:
    """Many users at once (a bulk import): ``additions`` is a list of (person, applications); a person
    already a user of the subafdeling gets those rights instead (as the import updates them)."""
    before = FacilitySnapshot(subafdeling.facility, persons=[person.pk for person, _apps in additions])
    after = before.proposed()
    existing = {
        user.person_id: user.pk for user in before._users.values() if user.subafdeling_id == subafdeling.pk
    }
    for person, applications in additions:
        app_ids = {app.pk for app in applications}
        if person.pk in existing:
            after.set_rights(existing[person.pk], app_ids)
        else:
            after.add_user(subafdeling.pk, person, app_ids)
    return Preview(access=_access_lines(before, after, delayed=False, query=query))


def preview_user_update(user, applications, *, query=None) -> Preview:
    """New rights of a user: in effect at once; a withdrawn right takes the roles of its application."""
    subafdeling = user.subafdeling
    before = FacilitySnapshot(subafdeling.facility, persons=[user.person_id])
    after = before.proposed()
    after.set_rights(user.pk, {app.pk for app in applications})
    return Preview(access=_access_lines(before, after, delayed=False, query=query))


def preview_users_remove(subafdeling, users, *, query=None) -> Preview:
    before = FacilitySnapshot(subafdeling.facility, persons=[user.person_id for user in users])
    after = before.proposed()
    after.remove_users([user.pk for user in users])
    return Preview(access=_access_lines(before, after, delayed=False, query=query))


def preview_role_assign(user, role, start_date, end_date=None, *, query=None) -> Preview:
    """A new role: in effect after the propagation delay, or from its start date."""
    before = FacilitySnapshot(user.subafdeling.facility, persons=[user.person_id])
    after = before.proposed()
    after.set_assignment(user.pk, role, start_date, end_date)
    return Preview(access=_access_lines(before, after, delayed=True, query=query))


def preview_role_update(user, assignment, start_date, end_date=None, *, query=None) -> Preview:
    before = FacilitySnapshot(user.subafdeling.facility, persons=[user.person_id])
    after = before.proposed()
    after.set_assignment(user.pk, assignment.role, start_date, end_date, replaces=assignment.pk)
    return Preview(access=_access_lines(before, after, delayed=True, query=query))


def preview_role_remove(user, assignment, *, query=None) -> Preview:
    """Removing a role: after the delay; one that never reached the applications goes at once."""
    before = FacilitySnapshot(user.subafdeling.facility, persons=[user.person_id])
    after = before.proposed()
    after.set_assignment(user.pk, None, None, None, replaces=assignment.pk)
    delayed = assignment.effective_start_date is not None
    return Preview(access=_access_lines(before, after, delayed=delayed, query=query))


def preview_local_administrator_appoint(activation, person, kind, replaced=None, *, query=None) -> Preview:
    """Appointing a (co-)lokale beheerder: what they may manage from now on, and whom it replaces.
    Administrators are no link of the access decision: nobody's application access changes."""
    values = {"name": person.full_name, "hoedanigheid": activation.hoedanigheid.name}
    if kind == AdministratorKind.LB:
        text = _(
            "%(name)s wordt Lokale Beheerder (toegangsbeheerder) van de hoedanigheid %(hoedanigheid)s: "
            "beheert er de subafdelingen, hun gebruikers en hun rechten (onmiddellijk)."
        )
    else:
        text = _(
            "%(name)s wordt Co-Lokale Beheerder van de hoedanigheid %(hoedanigheid)s: beheert er de "
            "subafdelingen, hun gebruikers en hun rechten (onmiddellijk)."
        )
    lines = [_capability(True, text % values)]
    if replaced is not None and replaced.person_id != person.pk:
        values["name"] = replaced.person.full_name
        if isinstance(replaced, HtbAppointment):
            text = _(
                "%(name)s is niet langer Lokale Beheerder van de hoedanigheid %(hoedanigheid)s, maar "
                "beheert ze verder als Hoofdtoegangsbeheerder (onmiddellijk)."
            )
        else:
            text = _(
                "%(name)s is niet langer Lokale Beheerder van de hoedanigheid %(hoedanigheid)s en beheert "
                "er de subafdelingen en gebruikers niet meer (onmiddellijk)."
            )
        lines.append(_capability(False, text % values))
    return Preview(capabilities=lines)


def preview_local_administrators_remove(activation, administrators, *, query=None) -> Preview:
    lines = [
        _capability(
            False,
            _(
                "%(name)s is niet langer Co-Lokale Beheerder van de hoedanigheid %(hoedanigheid)s en "
                "beheert er de subafdelingen en gebruikers niet meer (onmiddellijk)."
            )
            % {"name": administrator.person.full_name, "hoedanigheid": activation.hoedanigheid.name},
        )
        for administrator in administrators
    ]
    return Preview(capabilities=lines)


def preview_hoedanigheid_activate(enterprise, hoedanigheid, *, query=None) -> Preview:
    """A new hoedanigheid has no subafdeling yet: nobody's application access changes; the HTB is its
    Lokale Beheerder while none is appointed (manual 3.4)."""
    htb = current_htb(enterprise)
    lines = []
    if htb is not None:
        lines.append(
            _capability(
                True,
                _(
                    "%(name)s (Hoofdtoegangsbeheerder) wordt Lokale Beheerder van de hoedanigheid "
                    "%(hoedanigheid)s zolang er geen is aangesteld: kan er subafdelingen activeren en "
                    "gebruikers toevoegen (onmiddellijk)."
                )
                % {"name": htb.person.full_name, "hoedanigheid": hoedanigheid.name},
            )
        )
    return Preview(capabilities=lines)


def preview_subafdeling_activate(activation, facility, name, administrator=None, *, query=None) -> Preview:
    """A new subafdeling has no users yet: nobody's application access changes."""
    lines = []
    if administrator is not None:
        lines.append(
            _capability(
                True,
                _(
                    "%(name)s wordt subafdelingsbeheerder van %(subafdeling)s (HCO-nummer %(hco)s): beheert "
                    "er de gebruikers, hun rechten en hun rollen (onmiddellijk)."
                )
                % {"name": administrator.full_name, "subafdeling": name, "hco": facility.hco_number},
            )
        )
    return Preview(capabilities=lines)


def preview_htb_appoint(enterprise, person, *, query=None) -> Preview:
    """A new HTB (a current one is replaced). Without a current HTB the enterprise is not registered in
    CSAM and none of its users has access: the appointment gives it back to them."""
    previous = current_htb(enterprise)
    values = {"name": person.full_name if person else "", "enterprise": enterprise.name}
    lines = [
        _capability(
            True,
            _(
                "%(name)s wordt Hoofdtoegangsbeheerder van %(enterprise)s: kan hoedanigheden activeren, "
                "toegangsbeheerders aanstellen en is Lokale Beheerder van elke hoedanigheid zonder "
                "aangestelde Lokale Beheerder (onmiddellijk)."
            )
            % values,
        )
    ]
    if previous is not None and person is not None and previous.person_id != person.pk:
        values["name"] = previous.person.full_name
        lines.append(
            _capability(
                False,
                _("%(name)s is niet langer Hoofdtoegangsbeheerder van %(enterprise)s (onmiddellijk).")
                % values,
            )
        )
    access = []
    if previous is None and person is not None:
        for facility in (
            Facility.objects.filter(subafdelingen__users__isnull=False)
            .filter(enterprise=enterprise)
            .select_related("enterprise")
            .distinct()
            .order_by("pk")
        ):
            before = FacilitySnapshot(facility)
            after = before.proposed()
            after._htb = HtbAppointment(enterprise=enterprise, person=person)
            access += _access_lines(before, after, delayed=False, query=query)
    return Preview(capabilities=lines, access=access)


# --- The screens ask by name ------------------------------------------------------------------------
# The confirmation screens of administrators/, subdivisions/ and users/ may not import roles (the apps'
# import order, docs/ARCHITECTURE.md): their views put the proposed change in the context as a plain
# dict, ``{"change": "<name>", ...arguments}``, and templates/partials/preview.html asks this module
# through the template tag roles.templatetags.preview.

PREVIEWS = {
    "subafdeling_status": preview_subafdeling_status,
    "authorisations": preview_authorisations,
    "user_add": preview_user_add,
    "users_add": preview_users_add,
    "user_update": preview_user_update,
    "users_remove": preview_users_remove,
    "role_assign": preview_role_assign,
    "role_update": preview_role_update,
    "role_remove": preview_role_remove,
    "local_administrator_appoint": preview_local_administrator_appoint,
    "local_administrators_remove": preview_local_administrators_remove,
    "hoedanigheid_activate": preview_hoedanigheid_activate,
    "subafdeling_activate": preview_subafdeling_activate,
    "htb_appoint": preview_htb_appoint,
}


def preview_of(proposed: dict, *, query=None) -> Preview:
    """The preview of a proposed change named as the screens name it."""
    arguments = {key: value for key, value in proposed.items() if key != "change"}
    return PREVIEWS[proposed["change"]](**arguments, query=query)
