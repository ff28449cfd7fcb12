"""The access decision and its diagnosis: may this person work in this application for this facility?

The chain of the manual is checked in its order (chapter 2, figure 2): enterprise registered in CSAM
→ hoedanigheid active → subafdeling active and not blocked → application authorised on it → person
a user there, active → right on the application → role, when the application needs one. Every link
says, in plain Dutch, what holds or what is missing, who can fix it (name and capacity), and which
section of the manual explains it. The check stops at the first missing link. A role whose change is
saved but not yet in effect (the propagation delay, or a start date still to come) is *pending*: the
check goes on, and when nothing is missing the decision is "pending" until the latest such moment.

A right is in effect from the moment it is saved (manual 3.6.1: "heeft nu toegang tot eVIPA"); roles
are read through their *effective* fields, what the applications see after the propagation delay
(manual 3.6.2).

The chain is read through a *chain state* (roles.chain_state): the current state by default, or the
state at a past moment (history.state.PastChainState, from the stored periods) for the diagnosis "as of
a date". The decision itself is the same; a past decision names nobody who could fix a link (that is a
question about today, not about then).
"""

from dataclasses import dataclass, field
from datetime import datetime, time

from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accessportal import clock
from administrators.models import AdministratorKind, HoedanigheidActivation
from administrators.permissions import htb_is_local_administrator
from administrators.selectors import co_htbs_of, current_administrators, current_htb
from enterprises.models import Employment, Enterprise, Facility, Hoedanigheid, LegalMandate
from roles.chain_state import CurrentChainState
from roles.models import RoleAssignment, SimulatedApplication
from subdivisions.models import Subafdeling, SubafdelingStatus
from subdivisions.selectors import subafdeling_administrators
from users.models import SubafdelingUser, UserStatus

ALLOWED, PENDING, REFUSED = "ALLOWED", "PENDING", "REFUSED"
OK, WAITING, MISSING = "ok", "pending", "missing"  # a link's status


@dataclass
class Fixer:
    name: str
    capacity: str


@dataclass
class Link:
    key: str
    title: str
    status: str
    message: str
    manual: str
    fixers: list[Fixer] = field(default_factory=list)
    pending_until: datetime | None = None


@dataclass
class Decision:
    status: str
    links: list[Link]
    subafdeling: Subafdeling | None = None
    user: SubafdelingUser | None = None
    roles: list[str] = field(default_factory=list)  # the roles in effect, for the application

    @property
    def effective_at(self) -> datetime | None:
        """When every pending link will be in effect (for a pending decision)."""
        moments = [link.pending_until for link in self.links if link.status == WAITING and link.pending_until]
        return max(moments) if self.status == PENDING and moments else None

    @property
    def broken(self) -> Link | None:
        return next((link for link in self.links if link.status != OK), None)


def _moment(value: datetime) -> str:
    return clock.moment_text(value)


def _start_of(day) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _legal_representatives(enterprise: Enterprise) -> list[Fixer]:
    mandates = LegalMandate.objects.current().filter(enterprise=enterprise).select_related("person")
    return [Fixer(m.person.full_name, _("Wettelijk vertegenwoordiger")) for m in mandates]


def _htbs(enterprise: Enterprise) -> list[Fixer]:
    htb = current_htb(enterprise)
    fixers = [Fixer(htb.person.full_name, _("Hoofdtoegangsbeheerder"))] if htb else []
    return fixers + [
        Fixer(co.person.full_name, _("Co-hoofdtoegangsbeheerder")) for co in co_htbs_of(enterprise)
    ]


def _local_administrators(activation: HoedanigheidActivation) -> list[Fixer]:
    """The (co-)lokale beheerders of the hoedanigheid; the HTB as long as no LB was appointed."""
    capacities = {
        AdministratorKind.LB: _("Lokale Beheerder"),
        AdministratorKind.CO_LB: _("Co-Lokale Beheerder"),
    }
    current = list(current_administrators(activation))
    fixers = [Fixer(a.person.full_name, capacities[a.kind]) for a in current]
    if htb_is_local_administrator(current):
        htb = current_htb(activation.enterprise)
        if htb:
            fixers.insert(0, Fixer(htb.person.full_name, _("Lokale Beheerder (Hoofdtoegangsbeheerder)")))
    return fixers


def _subafdeling_managers(subafdeling: Subafdeling) -> list[Fixer]:
    managers = [
        Fixer(a.person.full_name, _("Subafdelingsbeheerder")) for a in subafdeling_administrators(subafdeling)
    ]
    return managers or _local_administrators(subafdeling.activation)


def _describe(subafdeling: Subafdeling) -> str:
    return _("%(name)s (HCO-nummer %(hco)s)") % {
        "name": subafdeling.name,
        "hco": subafdeling.facility.hco_number,
    }


def access_decide(
    *,
    person,
    app: SimulatedApplication,
    hco: str,
    facility: Facility | None = None,
    name_the_person: bool = True,
    state=None,
) -> Decision:
    """Decide whether ``person`` may use ``app`` for the facility with HCO number ``hco`` now. A caller
    that already holds the facility (with its enterprise) passes it; ``app.roles`` may be prefetched.

    ``name_the_person=False`` (the access API) says "Deze persoon" instead of the person's name in every
    text, so that an application's token never turns an INSZ into a name; the administrators who can
    fix a missing link are still named.

    ``state`` is where the chain is read (roles.chain_state): now by default; a
    history.state.PastChainState decides as of its moment."""
    state = state or CurrentChainState()
    preload = getattr(state, "preload", None)  # a source that reads the whole chain at once
    required_roles = None
    if preload is not None:
        required_roles = list(app.roles.all())
        found = preload(hco=str(hco).strip(), app=app, person=person, roles=required_roles)
        if facility is None or found is None or facility.pk != found.pk:
            facility = found
    elif facility is None or facility.hco_number != str(hco).strip():
        facility = Facility.objects.select_related("enterprise").filter(hco_number=str(hco).strip()).first()
    if facility is None:
        return Decision(
            REFUSED,
            [
                Link(
                    "facility",
                    _("Voorziening (HCO-nummer)"),
                    MISSING,
                    _("Er is geen voorziening met HCO-nummer %(hco)s in CoBRHA.") % {"hco": hco},
                    "2.1.3",
                )
            ],
        )
    enterprise = facility.enterprise
    links = [_csam_link(enterprise, state)]
    if links[-1].status == MISSING:
        return Decision(REFUSED, links)
    activations = state.activations(enterprise, app)
    links.append(_hoedanigheid_link(enterprise, app, activations, state))
    if links[-1].status == MISSING:
        return Decision(REFUSED, links)
    subafdelingen = state.subafdelingen(facility, activations, app, person)
    if not subafdelingen:
        links.append(
            Link(
                "subafdeling",
                _("Subafdeling actief"),
                MISSING,
                _(
                    "De voorziening %(name)s (HCO-nummer %(hco)s) is nog niet als subafdeling geactiveerd "
                    "in de hoedanigheid %(hoedanigheid)s."
                )
                % {
                    "name": facility.name,
                    "hco": facility.hco_number,
                    "hoedanigheid": activations[0].hoedanigheid.name,
                },
                "3.5",
                _who(state, _local_administrators, activations[0]),
            )
        )
        return Decision(REFUSED, links)
    users = [user for subafdeling in subafdelingen for user in subafdeling.person_users]
    rights = state.rights(users, app)
    if required_roles is None:
        required_roles = list(app.roles.all())
    assignments = state.assignments(users, required_roles)
    name = person.full_name if person is not None and name_the_person else _("Deze persoon")
    candidates = [
        _subafdeling_chain(subafdeling, name, app, required_roles, rights, assignments, state)
        for subafdeling in subafdelingen
    ]
    best = max(candidates, key=_progress)
    chain, subafdeling, user = best
    links += chain
    statuses = {link.status for link in links}
    status = REFUSED if MISSING in statuses else PENDING if WAITING in statuses else ALLOWED
    today = state.today()
    in_effect = [a.role.name for a in assignments.get(user.pk, []) if a.effective_on(today)] if user else []
    decision = Decision(status, links, subafdeling, user, in_effect)
    if decision.broken and decision.broken.status == MISSING:
        decision.broken.fixers = _who(state, _fixers_for, decision.broken.key, subafdeling)
    return decision


def _who(state, fixers, *args) -> list[Fixer]:
    """Who can fix a link today; nobody for a past decision (it only says what held then)."""
    return [] if state.moment is not None else fixers(*args)


def _progress(candidate) -> tuple:
    chain = candidate[0]
    missing = sum(1 for link in chain if link.status == MISSING)
    pending = sum(1 for link in chain if link.status == WAITING)
    passed = sum(1 for link in chain if link.status == OK)
    return (-missing, passed, -pending)


def _csam_link(enterprise: Enterprise, state) -> Link:
    title = _("Onderneming geregistreerd in CSAM")
    htb = state.htb(enterprise)
    if htb is None:
        return Link(
            "enterprise",
            title,
            MISSING,
            _(
                "%(enterprise)s is nog niet geregistreerd in CSAM: een wettelijk vertegenwoordiger moet "
                "eerst een Hoofdtoegangsbeheerder aanstellen."
            )
            % {"enterprise": enterprise.name},
            "3.2",
            _who(state, _legal_representatives, enterprise),
        )
    return Link(
        "enterprise",
        title,
        OK,
        _("%(enterprise)s is geregistreerd in CSAM; Hoofdtoegangsbeheerder: %(htb)s.")
        % {"enterprise": enterprise.name, "htb": htb.person.full_name},
        "3.2",
    )


def _hoedanigheid_link(enterprise: Enterprise, app: SimulatedApplication, activations, state) -> Link:
    title = _("Hoedanigheid actief")
    if activations:
        return Link(
            "hoedanigheid",
            title,
            OK,
            ngettext(
                "De hoedanigheid %(names)s is actief.",
                "De hoedanigheden %(names)s zijn actief.",
                len(activations),
            )
            % {"names": ", ".join(a.hoedanigheid.name for a in activations)},
            "3.3",
        )
    offering = Hoedanigheid.objects.filter(applications=app.application).order_by("sort_order", "name")
    return Link(
        "hoedanigheid",
        title,
        MISSING,
        _(
            "%(enterprise)s heeft geen hoedanigheid geactiveerd waarin %(app)s werkt. Activeer een van "
            "deze hoedanigheden: %(names)s."
        )
        % {"enterprise": enterprise.name, "app": app.name, "names": ", ".join(h.name for h in offering)},
        "3.3",
        _who(state, _htbs, enterprise),
    )


def _subafdeling_chain(subafdeling, name: str, app, required_roles, rights, assignments, state):
    """The links below the hoedanigheid for one subafdeling of the facility: (links, subafdeling, user);
    ``name`` is how the texts call the person."""
    links = []
    where = _describe(subafdeling)
    if subafdeling.status == SubafdelingStatus.GEBLOKKEERD:
        links.append(
            Link(
                "subafdeling",
                _("Subafdeling actief"),
                MISSING,
                _("De subafdeling %(where)s is geblokkeerd.") % {"where": where},
                "3.6",
            )
        )
        return links, subafdeling, None
    links.append(
        Link(
            "subafdeling",
            _("Subafdeling actief"),
            OK,
            _("De subafdeling %(where)s is actief.") % {"where": where},
            "3.5",
        )
    )
    authorised = bool(subafdeling.app_authorisations)
    links.append(
        Link(
            "authorisation",
            _("Toepassing geautoriseerd"),
            OK if authorised else MISSING,
            (
                _("%(application)s is geautoriseerd op de subafdeling.")
                if authorised
                else _("%(application)s is niet geautoriseerd op de subafdeling %(where)s.")
            )
            % {"application": app.application.name, "where": where},
            "3.5.1",
        )
    )
    if not authorised:
        return links, subafdeling, None
    user = subafdeling.person_users[0] if subafdeling.person_users else None
    if user is None or user.status != UserStatus.ACTIEF:
        links.append(
            Link(
                "user",
                _("Gebruiker van de subafdeling"),
                MISSING,
                (
                    _("%(name)s is geen gebruiker van de subafdeling %(where)s.")
                    if user is None
                    else _("%(name)s is gebruiker van de subafdeling %(where)s, maar niet actief.")
                )
                % {"name": name, "where": where},
                "3.6.1",
            )
        )
        return links, subafdeling, user
    links.append(
        Link(
            "user",
            _("Gebruiker van de subafdeling"),
            OK,
            _("%(name)s is actief gebruiker van de subafdeling.") % {"name": name},
            "3.6.1",
        )
    )
    links.append(_right_link(rights.get(user.pk), name, app))
    if links[-1].status == MISSING:
        return links, subafdeling, user
    if required_roles:
        links.append(_role_link(assignments.get(user.pk, []), name, app, required_roles, state))
    return links, subafdeling, user


def _right_link(right, name: str, app: SimulatedApplication) -> Link:
    title = _("Recht op de toepassing")
    values = {"name": name, "application": app.application.name}
    if right is None:
        return Link(
            "right", title, MISSING, _("%(name)s heeft geen recht op %(application)s.") % values, "3.6.1"
        )
    return Link("right", title, OK, _("%(name)s heeft het recht op %(application)s.") % values, "3.6.1")


def _role_link(
    assignments: list[RoleAssignment], name: str, app: SimulatedApplication, required_roles, state
) -> Link:
    title = _("Rol")
    today, now = state.today(), state.now()
    in_effect = [a for a in assignments if a.effective_on(today)]
    if in_effect:
        return Link(
            "role",
            title,
            OK,
            _("%(name)s heeft de rol %(roles)s.")
            % {"name": name, "roles": ", ".join(a.role.name for a in in_effect)},
            "3.6.2",
        )
    coming = []
    for a in assignments:
        if a.removed_at is not None or (a.end_date is not None and a.end_date < today):
            continue
        moment = max(a.pending_until or now, _start_of(a.start_date))
        coming.append((moment, a))
    if coming:
        moment, assignment = min(coming, key=lambda item: item[0])
        return Link(
            "role",
            title,
            WAITING,
            _("De rol %(role)s van %(name)s is opgeslagen en wordt van kracht om %(moment)s.")
            % {"role": assignment.role.name, "name": name, "moment": _moment(moment)},
            "3.6.2",
            pending_until=moment,
        )
    ended = [a for a in assignments if a.effective_end_date is not None and a.effective_end_date < today]
    if ended:
        last = max(ended, key=lambda a: a.effective_end_date)
        message = _("De rol %(role)s van %(name)s is beëindigd op %(date)s.") % {
            "role": last.role.name,
            "name": name,
            "date": formats.date_format(last.effective_end_date, "d/m/Y"),
        }
    else:
        message = _(
            "%(name)s heeft geen rol voor %(app)s. %(app)s vraagt een van deze rollen: %(roles)s."
        ) % {
            "name": name,
            "app": app.name,
            "roles": ", ".join(role.name for role in required_roles),
        }
    return Link("role", title, MISSING, message, "3.6.2")


def _fixers_for(key: str, subafdeling: Subafdeling) -> list[Fixer]:
    if key in ("subafdeling", "authorisation"):
        return _local_administrators(subafdeling.activation)
    return _subafdeling_managers(subafdeling)


def facilities_of(person):
    """The facilities (HCO) where the person is a user of a subafdeling, to choose the one to work for."""
    return (
        Facility.objects.filter(subafdelingen__users__person=person).distinct().order_by("name", "hco_number")
    )


def unregistered_decision(*, person, app: SimulatedApplication) -> Decision:
    """The refusal for a person who is a user of no subafdeling at all: who could add them."""
    employers = Enterprise.objects.filter(
        pk__in=Employment.objects.current().filter(person=person).values("enterprise")
    ).order_by("name")
    fixers = [fixer for enterprise in employers for fixer in _htbs(enterprise)]
    return Decision(
        REFUSED,
        [
            Link(
                "user",
                _("Gebruiker van de subafdeling"),
                MISSING,
                _(
                    "%(name)s is in geen enkele subafdeling als gebruiker geregistreerd. De beheerder van de "
                    "voorziening waarvoor u werkt, moet u toevoegen en u het recht op %(application)s geven."
                )
                % {"name": person.full_name, "application": app.application.name},
                "3.6.1",
                fixers,
            )
        ],
    )
