"""The Historiek: the audit trail of an enterprise, a hoedanigheid, a subafdeling or a user, told in
plain Dutch sentences (who, what, when, before → after).

``events_of`` is one indexed query, filtered and ordered in the database (the views page it with
Django's paginator); ``entries`` turns one page of events into sentences with a fixed number of
queries, whatever the size of the history: the people, hoedanigheden, subafdelingen, roles and
applications the page names are each read once.
"""

from dataclasses import dataclass
from datetime import datetime

from django.apps import apps
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accessportal.models import AuditEvent
from history.models import EventScope
from history.state import activation_model

# "Soort" in the filter: the actions of each kind, by the prefix of their name.
KINDS = {
    "aanstellingen": (gettext_lazy("Aanstellingen"), ("htb.", "co_htb.", "local_administrator.")),
    "hoedanigheden": (gettext_lazy("Hoedanigheden"), ("hoedanigheid.",)),
    "subafdelingen": (gettext_lazy("Subafdelingen"), ("subafdeling.",)),
    "gebruikers": (gettext_lazy("Gebruikers en rechten"), ("user.", "users.")),
    "rollen": (gettext_lazy("Rollen"), ("role.",)),
    "overige": (gettext_lazy("Overige"), ()),
}
# The authentic sources' own changes (simulated KBO and CoBRHA), told by what they record.
ENTERPRISE_SOURCES = {
    "enterprise.register": gettext_lazy("onderneming ingeschreven"),
    "enterprise.legal_mandate_add": gettext_lazy("wettelijk vertegenwoordiger geregistreerd"),
    "enterprise.legal_mandate_end": gettext_lazy("mandaat van wettelijk vertegenwoordiger beëindigd"),
    "enterprise.employment_add": gettext_lazy("tewerkstelling geregistreerd"),
    "enterprise.facility_register": gettext_lazy("voorziening geregistreerd"),
}
CHAIN_PREFIXES = tuple(prefix for _label, prefixes in KINDS.values() for prefix in prefixes)


def events_of(*, enterprise_kbo: str, activation_id=None, subafdeling_id=None, user_id=None) -> QuerySet:
    """The events of an enterprise, narrowed to a hoedanigheid, a subafdeling or a user, newest first."""
    events = AuditEvent.objects.filter(enterprise_kbo=enterprise_kbo)
    scope = {}
    if user_id is not None:
        scope["user_id"] = user_id
    elif subafdeling_id is not None:
        scope["subafdeling_id"] = subafdeling_id
    elif activation_id is not None:
        scope["activation_id"] = activation_id
    if scope:
        events = events.filter(Exists(EventScope.objects.filter(event=OuterRef("pk"), **scope)))
    return events.select_related("actor").order_by("-occurred_at", "-pk")


def events_filter(events: QuerySet, *, start=None, end=None, person: str = "", kind: str = "") -> QuerySet:
    """Van / Tot (moments), Persoon (part of a name or an INSZ: who acted or whom it was about), Soort."""
    if start is not None:
        events = events.filter(occurred_at__gte=start)
    if end is not None:
        events = events.filter(occurred_at__lt=end)
    if person:
        Person = apps.get_model("identity", "Person")
        words = person.split()
        people = Person.objects.all()
        for word in words:
            digits = "".join(ch for ch in word if ch.isdigit())
            match = Q(first_name__icontains=word) | Q(last_name__icontains=word)
            if digits and len(digits) == len(word.replace(".", "").replace("-", "")):
                match |= Q(insz__startswith=digits)
            people = people.filter(match)
        about = EventScope.objects.filter(event=OuterRef("pk"), person__in=people.values("pk"))
        events = events.filter(Q(actor__in=people.values("pk")) | Exists(about))
    if kind in KINDS:
        prefixes = KINDS[kind][1]
        if prefixes:
            match = Q()
            for prefix in prefixes:
                match |= Q(action__startswith=prefix)
            events = events.filter(match)
        else:
            for prefix in CHAIN_PREFIXES:
                events = events.exclude(action__startswith=prefix)
    return events


@dataclass
class Entry:
    event: AuditEvent
    moment: datetime
    actor: str
    sentence: str
    change: str  # before → after, when the sentence does not say it


class _Names:
    """What one page of events names, each kind read in one query."""

    def __init__(self, events: list[AuditEvent]):
        Person = apps.get_model("identity", "Person")
        Subafdeling = apps.get_model("subdivisions", "Subafdeling")
        Role = apps.get_model("roles", "Role")
        Application = apps.get_model("enterprises", "Application")
        Activation = activation_model()
        self.scopes: dict[int, list[EventScope]] = {}
        for scope in EventScope.objects.filter(event__in=[e.pk for e in events]).select_related("person"):
            self.scopes.setdefault(scope.event_id, []).append(scope)
        inszs, person_ids, activation_ids, subafdeling_ids, role_ids = set(), set(), set(), set(), set()
        for event in events:
            for data in (event.before or {}, event.after or {}):
                if isinstance(data.get("person"), str):
                    inszs.add(data["person"])
                elif isinstance(data.get("person"), int):
                    person_ids.add(data["person"])
                for row in data.get("users", []) or []:
                    inszs.add(row.get("person"))
                if isinstance(data.get("role"), int):
                    role_ids.add(data["role"])
                for key in ("hoedanigheid", "activation"):
                    if event.action.startswith("local_administrator.") and isinstance(data.get(key), int):
                        activation_ids.add(data[key])
            for scope in self.scopes.get(event.pk, []):
                if scope.activation_id:
                    activation_ids.add(scope.activation_id)
                if scope.subafdeling_id:
                    subafdeling_ids.add(scope.subafdeling_id)
        people = (
            Person.objects.filter(Q(insz__in=inszs) | Q(pk__in=person_ids)) if inszs or person_ids else []
        )
        self.by_insz = {p.insz: p.full_name for p in people}
        self.by_pk = {p.pk: p.full_name for p in people}
        self.activations = {
            a.pk: a.hoedanigheid.name
            for a in Activation.objects.filter(pk__in=activation_ids).select_related("hoedanigheid")
        }
        self.subafdelingen = {s.pk: s.name for s in Subafdeling.objects.filter(pk__in=subafdeling_ids)}
        self.roles = dict(Role.objects.filter(pk__in=role_ids).values_list("pk", "name"))
        self.applications = dict(Application.objects.values_list("code", "name"))

    def person(self, value) -> str:
        if isinstance(value, str):
            return self.by_insz.get(value, value)
        return self.by_pk.get(value, _("een onbekende persoon"))

    def apps(self, codes) -> str:
        names = [self.applications.get(code, code) for code in codes or []]
        return ", ".join(names) if names else _("geen toepassing")


def _day(value) -> str:
    if not value:
        return ""
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value).date()
        except ValueError:
            return value
    return formats.date_format(value, "d/m/Y")


def _period_text(data: dict) -> str:
    if data.get("end_date"):
        return _("van %(start)s tot %(end)s") % {
            "start": _day(data.get("start_date")),
            "end": _day(data["end_date"]),
        }
    return _("vanaf %(start)s") % {"start": _day(data.get("start_date"))}


def _sentence(event: AuditEvent, names: _Names) -> tuple[str, str]:
    """(sentence, before → after) for one event."""
    before, after = event.before or {}, event.after or {}
    scopes = names.scopes.get(event.pk, [])
    scope = scopes[0] if scopes else None
    subject = scope.person.full_name if scope and scope.person else ""
    where = names.subafdelingen.get(scope.subafdeling_id, "") if scope and scope.subafdeling_id else ""
    hoedanigheid = names.activations.get(scope.activation_id, "") if scope and scope.activation_id else ""
    actor = event.actor.full_name if event.actor else _("Het systeem")
    values = {"actor": actor, "person": subject, "subafdeling": where, "hoedanigheid": hoedanigheid}
    action = event.action
    if action == "htb.appoint":
        values["person"] = names.person(after.get("person"))
        if event.actor_id and event.actor_id == after.get("person"):
            text = _("%(actor)s stelde zichzelf aan als Hoofdtoegangsbeheerder") % values
        else:
            text = _("%(actor)s stelde %(person)s aan als Hoofdtoegangsbeheerder") % values
        if before:
            text += " " + _("in de plaats van %(previous)s") % {
                "previous": names.person(before.get("person"))
            }
        return text, ""
    if action == "co_htb.appoint":
        return _("%(actor)s stelde %(person)s aan als Co-hoofdtoegangsbeheerder") % values, ""
    if action == "co_htb.remove":
        return _(
            "%(actor)s beëindigde de aanstelling van %(person)s als Co-hoofdtoegangsbeheerder"
        ) % values, ""
    if action == "hoedanigheid.activate":
        return _("%(actor)s activeerde de hoedanigheid %(hoedanigheid)s") % values, ""
    if action == "hoedanigheid.email_update":
        return (
            _("%(actor)s wijzigde het e-mailadres van de hoedanigheid %(hoedanigheid)s") % values,
            f"{before.get('email', '')} → {after.get('email', '')}",
        )
    if action == "local_administrator.appoint":
        kind = after.get("kind")
        values["person"] = names.person(after.get("person"))
        text = (
            _("%(actor)s stelde %(person)s aan als lokale beheerder van %(hoedanigheid)s")
            if kind == "LB"
            else _("%(actor)s stelde %(person)s aan als co-lokale beheerder van %(hoedanigheid)s")
        ) % values
        if before:
            text += " " + _("in de plaats van %(previous)s") % {
                "previous": names.person(before.get("person"))
            }
        return text, ""
    if action == "local_administrator.remove":
        return _("%(actor)s verwijderde %(person)s als co-lokale beheerder van %(hoedanigheid)s") % values, ""
    if action == "subafdeling.activate":
        values["hco"] = after.get("hco_number", "")
        values["applications"] = names.apps(after.get("applications"))
        return (
            _(
                "%(actor)s activeerde de subafdeling %(subafdeling)s (HCO-nummer %(hco)s) in %(hoedanigheid)s, "
                "met %(applications)s"
            )
            % values,
            "",
        )
    if action == "subafdeling.block":
        return _("%(actor)s blokkeerde de subafdeling %(subafdeling)s") % values, ""
    if action == "subafdeling.unblock":
        return _("%(actor)s deblokkeerde de subafdeling %(subafdeling)s") % values, ""
    if action == "subafdeling.authorisations_update":
        return (
            _("%(actor)s wijzigde de autorisaties van de subafdeling %(subafdeling)s") % values,
            f"{names.apps(before.get('applications'))} → {names.apps(after.get('applications'))}",
        )
    if action == "user.add":
        values["person"] = names.person(after.get("person"))
        values["applications"] = names.apps(after.get("applications"))
        return (
            _(
                "%(actor)s voegde %(person)s toe als gebruiker van %(subafdeling)s, met het recht op %(applications)s"
            )
            % values,
            "",
        )
    if action == "user.update":
        changes = []
        if before.get("applications") != after.get("applications"):
            changes.append(
                f"{names.apps(before.get('applications'))} → {names.apps(after.get('applications'))}"
            )
        if before.get("email") != after.get("email"):
            changes.append(f"{before.get('email', '')} → {after.get('email', '')}")
        if before.get("roles"):
            changes.append(_("beëindigde rollen: %(roles)s") % {"roles": ", ".join(before["roles"])})
        return _("%(actor)s wijzigde de gegevens van %(person)s in %(subafdeling)s") % values, "; ".join(
            changes
        )
    if action == "users.remove":
        values["people"] = ", ".join(names.person(row.get("person")) for row in before.get("users", []))
        return _("%(actor)s verwijderde %(people)s als gebruiker van %(subafdeling)s") % values, ""
    if action in ("role.assign", "role.update", "role.remove"):
        snapshot = after or before
        values["role"] = names.roles.get(snapshot.get("role"), "")
        values["period"] = _period_text(snapshot)
        if action == "role.assign":
            return _("%(actor)s gaf %(person)s de rol %(role)s, %(period)s") % values, ""
        if action == "role.update":
            return (
                _("%(actor)s wijzigde de rol %(role)s van %(person)s") % values,
                f"{_period_text(before)} → {_period_text(after)}",
            )
        return _("%(actor)s verwijderde de rol %(role)s van %(person)s") % values, ""
    if action == "certificate.register":
        return _("%(actor)s registreerde een certificaat") % values, ""
    if action == "certificate.remove":
        return _("%(actor)s verwijderde een certificaat") % values, ""
    if action in ENTERPRISE_SOURCES:
        return _("%(source)s: %(what)s") % {
            "source": _("KBO en CoBRHA"),
            "what": str(ENTERPRISE_SOURCES[action]),
        }, event.target_repr
    if action.startswith("password"):
        return _("%(actor)s stelde het wachtwoord van %(person)s opnieuw in") % values, ""
    return f"{actor}: {event.action} ({event.target_repr})", ""


def entries(events: list[AuditEvent]) -> list[Entry]:
    names = _Names(events)
    result = []
    for event in events:
        sentence, change = _sentence(event, names)
        result.append(
            Entry(
                event=event,
                moment=event.occurred_at,
                actor=event.actor.full_name if event.actor else _("Het systeem"),
                sentence=sentence,
                change=change,
            )
        )
    return result
