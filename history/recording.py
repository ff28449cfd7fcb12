"""Keeps history.models up to date: called by accessportal.audit for every event, in its transaction.

For each event it records where the event belongs (``EventScope``) and, for the changes that delete
rows or change a status, opens and closes the stored periods (``Period``) that "toestand op datum"
reads. The action names and the before/after snapshots are the services' own (accessportal.audit).
"""

from django.apps import apps

from accessportal.inserts import instances_insert
from history.models import EventScope, Period, PeriodKind

ACTIVATION_LABEL = "administrators.HoedanigheidActivation"


def _user_scope(user_id) -> dict:
    SubafdelingUser = apps.get_model("users", "SubafdelingUser")
    row = (
        SubafdelingUser.objects.filter(pk=user_id)
        .values("subafdeling_id", "person_id", "subafdeling__activation_id")
        .first()
    )
    if row is None:  # already gone: the open period knows it
        period = Period.objects.filter(kind=PeriodKind.USER, object_id=user_id).order_by("-pk").first()
        if period is None:
            return {"user_id": user_id}
        row = {
            "subafdeling_id": period.subafdeling_id,
            "person_id": period.person_id,
            "subafdeling__activation_id": period.activation_id,
        }
    return {
        "user_id": user_id,
        "subafdeling_id": row["subafdeling_id"],
        "activation_id": row["subafdeling__activation_id"],
        "person_id": row["person_id"],
    }


def _loaded_user_scope(user) -> dict | None:
    """The scope of a user the service read with its subafdeling (role_assign's): no query."""
    SubafdelingUser = apps.get_model("users", "SubafdelingUser")
    if user is None or not SubafdelingUser.subafdeling.is_cached(user):
        return None
    return {
        "user_id": user.pk,
        "subafdeling_id": user.subafdeling_id,
        "activation_id": user.subafdeling.activation_id,
        "person_id": user.person_id,
    }


def scope_of(event, target) -> dict:
    """Where an event belongs, from its target."""
    label = event.target_type
    if target is None:
        return {}
    if label == ACTIVATION_LABEL:
        return {"activation_id": target.pk}
    if label in ("administrators.HtbAppointment", "administrators.CoHtbAppointment"):
        return {"person_id": target.person_id}
    if label == "administrators.LocalAdministrator":
        return {
            "activation_id": target.activation_id,
            "person_id": target.person_id,
        }
    if label == "subdivisions.Subafdeling":
        return {"subafdeling_id": target.pk, "activation_id": target.activation_id}
    if label == "users.SubafdelingUser":
        return _user_scope(target.pk)
    if label == "roles.RoleAssignment":
        RoleAssignment = apps.get_model("roles", "RoleAssignment")
        user = target.user if RoleAssignment.user.is_cached(target) else None
        return _loaded_user_scope(user) or _user_scope(target.user_id)
    if label == "identity.Person":
        return {"person_id": target.pk}
    if getattr(target, "person_id", None):  # a certificate, a mandate, an employment
        return {"person_id": target.person_id}
    return {}


def _close(periods, moment) -> None:
    """End the open periods."""
    periods.open().update(ended_at=moment)


def _open(kind, *, event, object_id, scope: dict, application_code: str = "", data: dict | None = None):
    return Period(
        kind=kind,
        object_id=object_id,
        enterprise_kbo=event.enterprise_kbo,
        activation_id=scope.get("activation_id"),
        subafdeling_id=scope.get("subafdeling_id"),
        user_id=scope.get("user_id"),
        person_id=scope.get("person_id"),
        application_code=application_code,
        data=data or {},
        started_at=event.occurred_at,
    )


def _per_application(kind, codes, *, event, object_id, scope: dict) -> list:
    """One period per application code (rights of a user, authorisations of a subafdeling)."""
    return [
        _open(kind, event=event, object_id=object_id, scope=scope, application_code=code) for code in codes
    ]


def _role_data(snapshot: dict | None, target) -> dict:
    role = target.role
    return {
        "role": role.name,
        "role_id": role.pk,
        "start_date": str(snapshot.get("start_date") or "") if snapshot else "",
        "end_date": str(snapshot.get("end_date") or "") if snapshot and snapshot.get("end_date") else "",
    }


def _end_rights_and_roles(*, user_ids, codes, moment) -> None:
    rights = Period.objects.filter(kind=PeriodKind.RIGHT, user_id__in=user_ids)
    roles = Period.objects.filter(kind=PeriodKind.ROLE, user_id__in=user_ids)
    if codes is not None:
        rights, roles = rights.filter(application_code__in=codes), roles.filter(application_code__in=codes)
    _close(rights, moment)
    _close(roles, moment)


def periods_record(event, target, scope: dict) -> tuple[list[Period], list[dict]]:
    """Close the periods the event ends. Returns the periods it opens, to be written, and extra scopes
    (the users a removal took)."""
    action, moment = event.action, event.occurred_at
    before, after = event.before or {}, event.after or {}
    new: list[Period] = []
    extra: list[dict] = []
    if action == "user.add":
        new.append(_open(PeriodKind.USER, event=event, object_id=target.pk, scope=scope))
        new += _per_application(
            PeriodKind.RIGHT, after.get("applications", []), event=event, object_id=target.pk, scope=scope
        )
    elif action == "user.update":
        old, wanted = set(before.get("applications", [])), set(after.get("applications", []))
        _end_rights_and_roles(user_ids=[target.pk], codes=sorted(old - wanted), moment=moment)
        new += _per_application(
            PeriodKind.RIGHT, sorted(wanted - old), event=event, object_id=target.pk, scope=scope
        )
    elif action == "users.remove":
        Person = apps.get_model("identity", "Person")
        inszs = [row.get("person") for row in before.get("users", [])]
        person_ids = list(Person.objects.filter(insz__in=inszs).values_list("pk", flat=True))
        users = Period.objects.filter(
            kind=PeriodKind.USER, subafdeling_id=target.pk, person_id__in=person_ids
        )
        rows = list(users.open().values("object_id", "person_id"))
        _close(users, moment)
        _end_rights_and_roles(user_ids=[row["object_id"] for row in rows], codes=None, moment=moment)
        extra = [{**scope, "user_id": row["object_id"], "person_id": row["person_id"]} for row in rows]
    elif action == "subafdeling.activate":
        new += _per_application(
            PeriodKind.AUTHORISATION,
            after.get("applications", []),
            event=event,
            object_id=target.pk,
            scope=scope,
        )
    elif action == "subafdeling.authorisations_update":
        old, wanted = set(before.get("applications", [])), set(after.get("applications", []))
        gone = sorted(old - wanted)
        _close(
            Period.objects.filter(
                kind=PeriodKind.AUTHORISATION, object_id=target.pk, application_code__in=gone
            ),
            moment,
        )
        users = Period.objects.filter(kind=PeriodKind.USER, subafdeling_id=target.pk).open()
        _end_rights_and_roles(
            user_ids=list(users.values_list("object_id", flat=True)), codes=gone, moment=moment
        )
        new += _per_application(
            PeriodKind.AUTHORISATION, sorted(wanted - old), event=event, object_id=target.pk, scope=scope
        )
    elif action == "subafdeling.block":
        new.append(_open(PeriodKind.BLOCKED, event=event, object_id=target.pk, scope=scope))
    elif action == "subafdeling.unblock":
        _close(Period.objects.filter(kind=PeriodKind.BLOCKED, object_id=target.pk), moment)
    elif action in ("role.assign", "role.update"):
        if action == "role.update":
            _close(Period.objects.filter(kind=PeriodKind.ROLE, object_id=target.pk), moment)
        new.append(
            _open(
                PeriodKind.ROLE,
                event=event,
                object_id=target.pk,
                scope=scope,
                application_code=target.role.application.code,
                data=_role_data(after, target),
            )
        )
    elif action == "role.remove":
        _close(Period.objects.filter(kind=PeriodKind.ROLE, object_id=target.pk), moment)
    return new, extra


def event_recorded(event, target) -> None:
    """The event's new periods and its scopes, written in one statement (nothing reads their ids)."""
    scope = scope_of(event, target)
    new, extra = periods_record(event, target, scope)
    scopes = [scope, *extra] if scope or extra else []
    scope_rows = [
        EventScope(
            event=event,
            activation_id=entry.get("activation_id"),
            subafdeling_id=entry.get("subafdeling_id"),
            user_id=entry.get("user_id"),
            person_id=entry.get("person_id"),
        )
        for entry in scopes
    ]
    instances_insert(new, scope_rows)
