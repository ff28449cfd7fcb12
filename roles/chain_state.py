"""Where the access decision (roles.access) reads the chain from: the current state by default, or the
state at a past moment (history.state.PastChainState, rebuilt from the stored periods). One decision,
two sources: roles.access asks these methods and never the models directly.

A source answers, for one enterprise, facility, application and person:
- ``moment``: None for now, the past moment otherwise (a past view: read-only, nobody named as fixer);
- ``now()`` / ``today()``: the moment the decision is about;
- ``htb(enterprise)``: the HTB appointment (with its person, for their name) or None;
- ``activations(enterprise, app)``: the activations of a hoedanigheid in which the application works;
- ``subafdelingen(facility, activations, app, person)``: the facility's subafdelingen with ``status``,
  ``app_authorisations`` (a list, empty when the application is not authorised) and ``person_users``;
- ``rights(users, app)``: the rights on the application by user id;
- ``assignments(users, required_roles)``: the role assignments by user id (RoleAssignment's interface:
  ``role``, ``start_date``, ``end_date``, ``effective_on(day)``, ``effective_end_date``, ``removed_at``,
  ``pending_until``).

Optionally, ``preload(hco=, app=, person=, roles=)`` reads all of that at once and returns the facility (with
its enterprise) or None; roles.access calls it when a source has it. The current state reads the whole
chain in one statement there; the methods then answer from what it read. A caller that read the chain
in a statement of its own (``chain_from`` and ``chain_build``: the access API, with its token, roles.api)
hands it over, ``CurrentChainState(read=(key, chain))``; ``preload`` takes it for that question only.
"""

from dataclasses import dataclass, field
from functools import cache

from django.db import connection
from django.db.models import Prefetch

from accessportal import clock
from accessportal.prepared import prepared_cursor
from accessportal.rows import joined_columns
from administrators.models import HoedanigheidActivation, HtbAppointment
from administrators.selectors import current_htb
from enterprises.models import Enterprise, Facility, Hoedanigheid, SubdivisionType
from identity.models import Person
from roles.models import Role, RoleAssignment
from subdivisions.models import Subafdeling, SubafdelingAuthorisation
from users.models import ApplicationRight, SubafdelingUser

CHAIN_PARTS = (
    ("f", Facility),
    ("e", Enterprise),
    ("h", HtbAppointment, ("id", "person_id", "enterprise_id")),
    ("hp", Person, ("id", "first_name", "last_name")),  # the HTB's name, nothing else of theirs
    ("a", HoedanigheidActivation),
    ("ho", Hoedanigheid),
    ("s", Subafdeling),
    ("st", SubdivisionType),
    ("au", SubafdelingAuthorisation),
    ("u", SubafdelingUser),
    ("r", ApplicationRight),
    ("ra", RoleAssignment),
    ("ro", Role),
)

# The same parts with only the fields the decision and its texts read (roles.access): for a caller that
# only answers the decision (the access API); the others are deferred (reading one costs a query).
# Of the users, nothing of their own registration (e-mail, name, title): the API names nobody.
ASSIGNMENT_FIELDS = (  # what roles.access reads of a role assignment (also roles.preview's snapshot)
    "id",
    "role_id",
    "application_id",
    "start_date",
    "end_date",
    "effective_start_date",
    "effective_end_date",
    "removed_at",
    "pending_until",
)
_DECIDED_FIELDS = {
    "e": ("id", "name"),
    "a": ("id", "enterprise_id", "hoedanigheid_id"),
    "s": ("id", "activation_id", "facility_id", "subdivision_type_id", "name", "status"),
    "au": ("id", "subafdeling_id", "application_id"),
    "u": ("id", "subafdeling_id", "person_id", "status"),
    "r": ("id", "user_id", "application_id"),
    "ra": ("user_id", *ASSIGNMENT_FIELDS),
}
DECISION_PARTS = tuple(
    (alias, model, _DECIDED_FIELDS[alias]) if alias in _DECIDED_FIELDS else (alias, model, *only)
    for alias, model, *only in CHAIN_PARTS
)


def chain_from(*, application: str, person: str, roles: str | None, hco: str) -> str:
    """The FROM and WHERE of the chain's read (the columns of ``CHAIN_PARTS``): facility → enterprise →
    current HTB → the activations offering the application → the facility's subafdelingen in them →
    authorisation, the person's user, right and role assignments (LEFT JOINs: a missing link is a
    NULL). The arguments are SQL expressions: the application's id, the person's id, the required
    roles' ids (a list or a subquery; None: no roles) and the HCO number, ``%s`` for a parameter (in
    that order: the application three times, the person, the roles, the HCO number). Only table and
    column names of the models go into the text; the values are parameters."""
    t = {alias: connection.ops.quote_name(model._meta.db_table) for alias, model, *_only in CHAIN_PARTS}
    offers = connection.ops.quote_name(Hoedanigheid.applications.through._meta.db_table)
    role_filter = f"AND ra.role_id IN ({roles})" if roles else "AND 1 = 0"
    return (
        f"FROM {t['f']} f "
        f"JOIN {t['e']} e ON e.id = f.enterprise_id "
        f"LEFT JOIN ({t['h']} h JOIN {t['hp']} hp ON hp.id = h.person_id) "
        "ON h.enterprise_id = e.id AND h.ended_at IS NULL "
        f"LEFT JOIN ({t['a']} a JOIN {t['ho']} ho ON ho.id = a.hoedanigheid_id "
        f"JOIN {offers} o ON o.hoedanigheid_id = ho.id AND o.application_id = {application}) "
        "ON a.enterprise_id = e.id "
        f"LEFT JOIN ({t['s']} s JOIN {t['st']} st ON st.id = s.subdivision_type_id) "
        "ON s.facility_id = f.id AND s.activation_id = a.id "
        f"LEFT JOIN {t['au']} au ON au.subafdeling_id = s.id AND au.application_id = {application} "
        # "+ 0": the person's few users by the person's index, not the subafdeling's 20,000 filtered
        f"LEFT JOIN {t['u']} u ON u.person_id = {person} AND u.subafdeling_id + 0 = s.id "
        f"LEFT JOIN {t['r']} r ON r.user_id = u.id AND r.application_id = {application} "
        f"LEFT JOIN ({t['ra']} ra JOIN {t['ro']} ro ON ro.id = ra.role_id) ON ra.user_id = u.id {role_filter} "
        f"WHERE f.hco_number = {hco}"
    )


@cache
def _chain_sql(columns: str, roles: int) -> str:
    role_ids = ", ".join(["%s"] * roles) if roles else None
    return f"SELECT {columns} " + chain_from(application="%s", person="%s", roles=role_ids, hco="%s")


@dataclass
class _Chain:
    """What ``CurrentChainState.preload`` read, for one facility, application and person."""

    facility: Facility
    application_id: int
    person_id: int | None
    htb: HtbAppointment | None = None
    activations: dict = field(default_factory=dict)
    subafdelingen: dict = field(default_factory=dict)
    rights: dict = field(default_factory=dict)
    assignments: dict = field(default_factory=dict)
    role_ids: frozenset = frozenset()


def _chain_read(*, hco: str, app, person, roles) -> "_Chain | None":
    role_ids = sorted(role.pk for role in roles)
    columns = joined_columns(connection.vendor, *CHAIN_PARTS)
    application_id = app.application_id
    person_id = person.pk if person is not None else None
    with prepared_cursor() as cursor:
        cursor.execute(
            _chain_sql(columns.select, len(role_ids)),
            [application_id, application_id, person_id, application_id, *role_ids, hco],
        )
        rows = cursor.fetchall()
    seen = {}
    return chain_build(
        [columns.instances(row, seen) for row in rows],
        application_id=application_id,
        person=person,
        role_ids=role_ids,
    )


def chain_build(rows, *, application_id: int, person, role_ids) -> "_Chain | None":
    """The chain from the rows of a read through ``chain_from`` (each the instances of ``CHAIN_PARTS``
    by alias, one instance per database row, as ``JoinedColumns.instances`` with ``seen`` gives them);
    None without rows (no facility with that HCO number)."""
    chain = None
    for found in rows:
        if chain is None:
            facility, enterprise = found["f"], found["e"]
            facility.enterprise = enterprise
            chain = _Chain(
                facility,
                application_id,
                person.pk if person is not None else None,
                role_ids=frozenset(role_ids),
            )
            if found["h"] is not None:
                found["h"].person = found["hp"]
                found["h"].enterprise = enterprise
                chain.htb = found["h"]
        activation = found["a"]
        if activation is None:
            continue
        if activation.pk not in chain.activations:
            activation.enterprise, activation.hoedanigheid = chain.facility.enterprise, found["ho"]
            chain.activations[activation.pk] = activation
        subafdeling = found["s"]
        if subafdeling is None:
            continue
        if subafdeling.pk not in chain.subafdelingen:
            subafdeling.facility, subafdeling.subdivision_type = chain.facility, found["st"]
            subafdeling.activation = chain.activations[activation.pk]
            subafdeling.app_authorisations = [found["au"]] if found["au"] is not None else []
            subafdeling.person_users = []
            chain.subafdelingen[subafdeling.pk] = subafdeling
        user = found["u"]
        if user is None:
            continue
        users = chain.subafdelingen[subafdeling.pk].person_users
        if not users:
            user.person, user.subafdeling = person, chain.subafdelingen[subafdeling.pk]
            users.append(user)
        if found["r"] is not None:
            chain.rights[user.pk] = found["r"]
        assignment = found["ra"]
        if assignment is not None:
            assignment.role = found["ro"]
            known = chain.assignments.setdefault(user.pk, {})
            known.setdefault(assignment.pk, assignment)
    return chain


def _users_of(chain: _Chain) -> set[int]:
    return {user.pk for s in chain.subafdelingen.values() for user in s.person_users}


class CurrentChainState:
    """The chain as it is now (what the applications see: roles through their effective fields)."""

    moment = None
    _chain: _Chain | None = None

    def __init__(self, read: tuple | None = None):
        """``read``: ``(key, chain)``, the chain a caller already read (with ``chain_from`` and
        ``chain_build``, in its own statement) for ``key`` (``read_key``), which ``preload`` answers
        without reading it again when asked about the same question."""
        self._read = read

    @staticmethod
    def read_key(*, hco: str, application_id: int, person_id: int | None, role_ids) -> tuple:
        return (hco, application_id, person_id, frozenset(role_ids))

    def preload(self, *, hco: str, app, person, roles) -> Facility | None:
        """The whole chain for the facility with HCO number ``hco``, ``app`` (``roles``: the roles it
        requires) and ``person`` in one statement; returns the facility (with its enterprise) or None.
        The methods below answer from it when they are asked about the same facility, application,
        person and roles."""
        key = self.read_key(
            hco=hco,
            application_id=app.application_id,
            person_id=person.pk if person is not None else None,
            role_ids=[role.pk for role in roles],
        )
        if self._read is not None and self._read[0] == key:
            self._chain = self._read[1]
        else:
            self._chain = _chain_read(hco=hco, app=app, person=person, roles=roles)
        return self._chain.facility if self._chain is not None else None

    def _preloaded(self, *, enterprise=None, facility=None, app=None, person=None) -> _Chain | None:
        chain = self._chain
        if chain is None:
            return None
        if enterprise is not None and enterprise.pk != chain.facility.enterprise_id:
            return None
        if facility is not None and facility.pk != chain.facility.pk:
            return None
        if app is not None and app.application_id != chain.application_id:
            return None
        if person is not None and person.pk != chain.person_id:
            return None
        return chain

    @staticmethod
    def _users_preloaded(chain: _Chain, users) -> bool:
        return {u.pk for u in users} <= _users_of(chain)

    def now(self):
        return clock.now()

    def today(self):
        return clock.today()

    def htb(self, enterprise):
        chain = self._preloaded(enterprise=enterprise)
        return chain.htb if chain is not None else current_htb(enterprise)

    def activations(self, enterprise, app) -> list:
        chain = self._preloaded(enterprise=enterprise, app=app)
        if chain is not None:
            return sorted(
                chain.activations.values(), key=lambda a: (a.hoedanigheid.sort_order, a.hoedanigheid.name)
            )
        return list(
            HoedanigheidActivation.objects.filter(
                enterprise=enterprise, hoedanigheid__applications=app.application
            )
            .select_related("hoedanigheid", "enterprise")
            .order_by("hoedanigheid__sort_order", "hoedanigheid__name")
        )

    def subafdelingen(self, facility, activations, app, person) -> list:
        chain = self._preloaded(facility=facility, app=app)
        if (
            chain is not None
            and (person is None) == (chain.person_id is None)
            and (person is None or person.pk == chain.person_id)
        ):
            wanted = {a.pk for a in activations}
            return sorted(
                (s for s in chain.subafdelingen.values() if s.activation_id in wanted), key=lambda s: s.pk
            )
        return list(
            Subafdeling.objects.filter(facility=facility, activation__in=activations)
            .select_related(
                "facility", "activation__hoedanigheid", "activation__enterprise", "subdivision_type"
            )
            .prefetch_related(
                Prefetch(
                    "authorisations",
                    queryset=SubafdelingAuthorisation.objects.filter(application=app.application),
                    to_attr="app_authorisations",
                ),
                Prefetch(
                    "users",
                    queryset=SubafdelingUser.objects.filter(person=person).select_related("person")
                    if person is not None
                    else SubafdelingUser.objects.none(),
                    to_attr="person_users",
                ),
            )
            .order_by("pk")
        )

    def rights(self, users, app) -> dict:
        chain = self._preloaded(app=app)
        if chain is not None and self._users_preloaded(chain, users):
            return {u.pk: chain.rights[u.pk] for u in users if u.pk in chain.rights}
        return {
            right.user_id: right
            for right in ApplicationRight.objects.filter(
                user__in=[u.pk for u in users], application=app.application
            )
        }

    def assignments(self, users, required_roles) -> dict:
        if not users or not required_roles:
            return {}
        chain = self._chain
        if (
            chain is not None
            and self._users_preloaded(chain, users)
            and chain.role_ids == frozenset(role.pk for role in required_roles)
        ):
            return {
                u.pk: sorted(chain.assignments[u.pk].values(), key=lambda a: (a.start_date, a.role.name))
                for u in users
                if chain.assignments.get(u.pk)
            }
        found: dict[int, list] = {}
        assignments = (
            RoleAssignment.objects.filter(user__in=[u.pk for u in users], role__in=required_roles)
            .select_related("role")
            .order_by("start_date", "role__name")
        )
        for assignment in assignments:
            found.setdefault(assignment.user_id, []).append(assignment)
        return found
