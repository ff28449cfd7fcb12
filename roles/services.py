import hashlib
import secrets
from datetime import date
from functools import cache, wraps

from django.db import IntegrityError, OperationalError, connection, transaction
from django.db.models import BooleanField
from django.db.models.expressions import RawSQL
from django.utils.translation import gettext as _

from accessportal import clock
from accessportal.audit import audit_record, audit_snapshot
from accessportal.prepared import prepared_cursor
from accessportal.propagation import propagation_due, propagation_enqueue, propagations_cancel
from accessportal.services import ServiceError
from roles.models import Role, RoleAssignment, SimulatedApplication
from subdivisions.models import Subafdeling
from subdivisions.permissions import SUBAFDELING_MANAGER_PARAMETERS, subafdeling_manager_exists_sql
from users.models import ApplicationRight, SubafdelingUser
from users.permissions import require_user_manager

# The database's own overlap rule (roles migration 0004, PostgreSQL): the same as _overlap_sql's.
OVERLAP_CONSTRAINT = "roleassignment_no_overlapping_periods"
# PostgreSQL's SQLSTATEs of a write that a concurrent change made fail: deadlock_detected and
# foreign_key_violation.
RUN_AGAIN = {"40P01", "23503"}


def _require_period(start_date: date | None, end_date: date | None) -> None:
    if start_date is None:
        raise ServiceError(_("De startdatum is verplicht."), field="start_date")
    if end_date is not None and end_date < start_date:
        raise ServiceError(_("De einddatum mag niet voor de startdatum liggen."), field="end_date")


def _overlap_sql(alias: str, *, bounded: bool) -> str:
    """The overlap rule, over the role assignment row ``alias``: the same user and role, not removed,
    ending on or after the start date and, for a period with an end (``bounded``), starting on or
    before its end date. Parameters: the user, the role, the start date and the end date."""
    sql = (
        f"{alias}.user_id = %s AND {alias}.role_id = %s AND {alias}.removed_at IS NULL"
        f" AND ({alias}.end_date IS NULL OR {alias}.end_date >= %s)"
    )
    return sql + f" AND {alias}.start_date <= %s" if bounded else sql


def _overlap_parameters(user, role, start_date: date, end_date: date | None) -> list:
    dates = [start_date] if end_date is None else [start_date, end_date]
    return [user.pk, role.pk, *(connection.ops.adapt_datefield_value(day) for day in dates)]


def _overlapping(user, role, start_date, end_date, *, besides: int | None = None):
    table = connection.ops.quote_name(RoleAssignment._meta.db_table)
    rule = RawSQL(  # noqa: S611
        _overlap_sql(table, bounded=end_date is not None),
        _overlap_parameters(user, role, start_date, end_date),
        output_field=BooleanField(),
    )
    overlapping = RoleAssignment.objects.filter(rule)
    if besides is not None:
        overlapping = overlapping.exclude(pk=besides)
    return overlapping


def _refuse_overlap() -> None:
    raise ServiceError(
        _("De gebruiker heeft deze rol al voor een overlappende periode."), field="role", code="overlap"
    )


def _require_no_overlap(user, role, start_date, end_date, *, besides: int | None = None) -> None:
    if _overlapping(user, role, start_date, end_date, besides=besides).exists():
        _refuse_overlap()


def _answered_when_racing(service):
    """``service`` (a function under its own ``transaction.atomic``) answers an overlap that only the
    database's exclusion constraint saw with the usual ServiceError. That happens when another submit
    wrote an overlapping period after the service's own check read: PostgreSQL refuses the second
    write. Caught here, outside the service's atomic block, which has already rolled back (its
    transaction, or its savepoint inside an outer one): no savepoint of its own per request.

    Two other races end in a write the database refuses, and the service is run once more; its checks
    then see what changed: both overlapping writes reach the constraint's check before either commits
    (each waits for the other, PostgreSQL aborts one as a deadlock after ``deadlock_timeout``, a
    second), or the right the role needs (or the user) goes while the role is given (its foreign key,
    roles migration 0002)."""

    @wraps(service)
    def refusing(*args, **kwargs):
        for attempt in (1, 2):
            try:
                return service(*args, **kwargs)
            except (IntegrityError, OperationalError) as error:
                if _constraint_of(error) == OVERLAP_CONSTRAINT:
                    break
                if attempt == 2 or _sqlstate_of(error) not in RUN_AGAIN:
                    raise
        _refuse_overlap()  # out of the except block: not "during handling of" the IntegrityError

    return refusing


def _constraint_of(error: IntegrityError | OperationalError) -> str | None:
    """The name of the constraint a write broke, as PostgreSQL reports it (psycopg's diagnostic)."""
    diag = getattr(error.__cause__, "diag", None)
    return getattr(diag, "constraint_name", None)


def _sqlstate_of(error: IntegrityError | OperationalError) -> str | None:
    return getattr(error.__cause__, "sqlstate", None)


@cache
def _checks_sql(vendor: str, period: str) -> str:
    """_assign_checks' statement for a ``period`` "bounded" (with an end date), "open" or "none" (no
    start date: no overlap asked). Parameters: the manager's (subafdeling_manager_exists_sql), the
    user and the application of the right, the overlap's (_overlap_sql) unless "none", the
    subafdeling."""
    q = connection.ops.quote_name
    manages = subafdeling_manager_exists_sql("s")
    overlap = (
        "NULL"
        if period == "none"
        else f"EXISTS (SELECT 1 FROM {q(RoleAssignment._meta.db_table)} a "  # noqa: S608
        f"WHERE {_overlap_sql('a', bounded=period == 'bounded')})"
    )
    return (
        f"SELECT {manages}, EXISTS (SELECT 1 FROM {q(ApplicationRight._meta.db_table)} r "  # noqa: S608
        f"WHERE r.user_id = %s AND r.application_id = %s), {overlap} "
        f"FROM {q(Subafdeling._meta.db_table)} s WHERE s.id = %s"
    )


def _assign_checks(actor, user, role, start_date, end_date) -> dict:
    """What role_assign checks in the database, asked in one statement, written out and prepared
    (built by the ORM, it cost a third of the POST's instructions): whether ``actor`` manages the
    user's subafdeling (subdivisions.permissions' ``subafdeling_manager_exists``), whether the user
    holds the right the role needs, and whether they already have the role for an overlapping period."""
    parameters = [actor.pk] * SUBAFDELING_MANAGER_PARAMETERS + [user.pk, role.application_id]
    if start_date is None:
        period = "none"
    else:
        period = "open" if end_date is None else "bounded"
        parameters += _overlap_parameters(user, role, start_date, end_date)
    with prepared_cursor() as cursor:
        cursor.execute(_checks_sql(connection.vendor, period), [*parameters, user.subafdeling_id])
        found = cursor.fetchone()
    if found is None:
        return {"manages": False}
    return dict(zip(("manages", "has_right", "overlap"), map(bool, found), strict=True))


def _kbo(assignment: RoleAssignment) -> str:
    return assignment.user.subafdeling.facility.enterprise.kbo


def _effective_values(assignment: RoleAssignment) -> dict:
    return {"effective_start_date": assignment.start_date, "effective_end_date": assignment.end_date}


def _role_active_notice(assignment: RoleAssignment) -> dict:
    user = assignment.user
    subafdeling = user.subafdeling
    return {
        "person": user.person_id,
        "to": user.email,
        "language": user.language,
        "template": "role_active",
        "category": "role",
        "context": {
            "name": user.person.full_name,
            "role": assignment.role.name,
            "subafdeling": subafdeling.name,
            "hco": subafdeling.facility.hco_number,
            "enterprise": subafdeling.facility.enterprise.name,
            "start_date": f"{assignment.start_date:%d/%m/%Y}",
            "end_date": f"{assignment.end_date:%d/%m/%Y}" if assignment.end_date else "",
        },
    }


def _audit(actor, action: str, assignment: RoleAssignment, *, before=None, after=None) -> None:
    audit_record(
        actor=actor,
        action=action,
        target=assignment,
        enterprise_kbo=assignment.user.subafdeling.facility.enterprise.kbo,
        before=before,
        after=after,
    )


def _locked(assignment: RoleAssignment) -> RoleAssignment:
    return (
        RoleAssignment.objects.select_for_update(of=("self",))
        .select_related("role", "user__person", "user__subafdeling__facility__enterprise")
        .get(pk=assignment.pk)
    )


@_answered_when_racing
@transaction.atomic
def role_assign(
    *, actor, user: SubafdelingUser, role: Role, start_date: date, end_date: date | None = None
) -> RoleAssignment:
    """Give a user a role of an application they hold a right for. Saved at once, it reaches the
    applications after the propagation delay; the user then gets a mail and a structured message."""
    checks = _assign_checks(actor, user, role, start_date, end_date)
    require_user_manager(actor, user, manages=checks["manages"])
    _require_period(start_date, end_date)
    if not checks["has_right"]:
        raise ServiceError(
            _("Deze rol hoort bij %(application)s: geef de gebruiker eerst het recht op die toepassing.")
            % {"application": role.application.name},
            field="role",
            code="no_right",
        )
    if checks["overlap"]:
        _refuse_overlap()
    due = propagation_due()
    assignment = RoleAssignment.objects.create(
        user=user,
        role=role,
        application_id=role.application_id,
        start_date=start_date,
        end_date=end_date,
        created_by=actor,
        pending_until=due,  # saved with it: no UPDATE of its own
    )
    propagation_enqueue(
        target=assignment,
        due=due,
        enterprise_kbo=_kbo(assignment),
        values=_effective_values(assignment),
        notify=_role_active_notice(assignment),
    )
    _audit(actor, "role.assign", assignment, after=audit_snapshot(assignment))
    return assignment


@_answered_when_racing
@transaction.atomic
def role_update(
    *, actor, assignment: RoleAssignment, start_date: date, end_date: date | None = None
) -> RoleAssignment:
    """Change the dates of a role; the applications see the new dates after the propagation delay."""
    assignment = _locked(assignment)
    require_user_manager(actor, assignment.user)
    if assignment.removed_at is not None:
        raise ServiceError(_("Deze rol is verwijderd en kan niet meer gewijzigd worden."), code="removed")
    _require_period(start_date, end_date)
    _require_no_overlap(assignment.user, assignment.role, start_date, end_date, besides=assignment.pk)
    if (start_date, end_date) == (assignment.start_date, assignment.end_date):
        return assignment  # nothing changed: no propagation, no audit
    before = audit_snapshot(assignment)
    assignment.start_date, assignment.end_date = start_date, end_date
    assignment.save(update_fields=["start_date", "end_date"])
    propagation_enqueue(
        target=assignment, enterprise_kbo=_kbo(assignment), values=_effective_values(assignment)
    )
    _audit(actor, "role.update", assignment, before=before, after=audit_snapshot(assignment))
    return assignment


@transaction.atomic
def role_remove(*, actor, assignment: RoleAssignment) -> RoleAssignment:
    """Remove a role: it stays in effect until the propagation delay has passed, then it is deleted.
    A role that never reached the applications is withdrawn at once."""
    assignment = _locked(assignment)
    require_user_manager(actor, assignment.user)
    if assignment.removed_at is not None:
        return assignment  # a second click on "Verwijderen": already on its way out
    before = audit_snapshot(assignment)
    if assignment.effective_start_date is None:
        propagations_cancel(target=assignment)
        _audit(actor, "role.remove", assignment, before=before, after=None)
        assignment.delete()
        return assignment
    assignment.removed_at = clock.now()
    assignment.save(update_fields=["removed_at"])
    propagation_enqueue(target=assignment, enterprise_kbo=_kbo(assignment), delete=True)
    _audit(actor, "role.remove", assignment, before=before, after=audit_snapshot(assignment))
    return assignment


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def application_token_rotate(*, actor, app: SimulatedApplication) -> str:
    """Give an application a new token for the access decision API; only its hash is kept, the old
    token stops working at once. Returns the token, to be shown once."""
    token = secrets.token_urlsafe(32)
    app.token_hash = token_digest(token)
    app.save(update_fields=["token_hash"])
    audit_record(actor=actor, action="application.token_rotate", target=app)
    return token
