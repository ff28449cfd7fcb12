""" "Gebruikers importeren" (issue 19): many users of a subafdeling added or changed from one file.

1. ``user_import_check`` (the dry run) reads the file (users.import_files), checks every row with the
   validators of the single screens (INSZ check digit; the person in the register of the enterprise's
   world, enterprises.selectors; the mail rule; the applications authorised on the subafdeling; already a
   user: a change, or nothing when nothing changes; a person twice in the file) and stores the plan as
   ``UserImport`` + one ``UserImportRow`` per line. No user, right or audit event is written.
2. ``user_import_confirm`` ("Bevestigen") hands the import to Celery (users.tasks). A second
   "Bevestigen" of the same import does nothing; the same file confirmed again while it runs is refused.
3. ``user_import_run`` (the task) applies each row that is not done in a transaction of its own: the
   row is planned again against the portal as it is now, applied through users.services.user_add /
   user_update (which re-check the permission, validate again and audit each user), and marked done in
   the same transaction. A worker killed mid-way leaves whole rows done or not done: the task run
   again (Celery's late ack, or the progress page finding it stalled) goes on with the rest, without
   doubles. Rights take effect at once (manual 3.6.1); roles are not imported.
4. The last row done sends one summary mail to the access manager who confirmed, through the outbox.
"""

import hashlib
import logging
import re
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import PurePath

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Count, Max, OuterRef, Q, Subquery
from django.utils import translation
from django.utils.translation import gettext as _

from accessportal import clock
from accessportal.audit import audit_record
from accessportal.identifiers import insz_clean, insz_compact
from accessportal.mail_addresses import mail_address_clean
from accessportal.outbox import mail_enqueue_template
from accessportal.services import ServiceError
from enterprises.models import Application
from enterprises.selectors import persons_for_enterprise
from identity.models import Language, Person
from subdivisions.models import Subafdeling
from subdivisions.permissions import require_subafdeling_manager
from users import selectors, services
from users.import_files import COLUMNS, import_file_read
from users.models import ImportAction, ImportStatus, UserImport, UserImportRow

logger = logging.getLogger(__name__)

APPLICATION_SEPARATORS = re.compile(r"[,;|\n]")
FORMULA_START = "="
PLANS_KEPT = timedelta(days=1)  # an unconfirmed dry run, removed at the next one of the subafdeling
RUN_CHUNK = 200  # rows whose people and users the task reads at once
STALLED_AFTER = timedelta(minutes=2)  # no row done for this long: the task is handed to Celery again


# --- Planning a row (the dry run, and the task again before it applies the row) --------------------


@dataclass
class Register:
    """What the rows are checked against, read in a few queries for all of them."""

    subafdeling: Subafdeling
    catalogue: dict  # casefolded name or code -> Application
    authorised: set  # ids of the applications authorised on the subafdeling
    languages: dict  # what Taalkeuze may say -> language code
    persons: dict = field(default_factory=dict)  # compact INSZ -> Person of the enterprise's world
    users: dict = field(default_factory=dict)  # person id -> SubafdelingUser of the subafdeling

    @classmethod
    def of(cls, subafdeling: Subafdeling) -> "Register":
        catalogue = {}
        for app in Application.objects.all():
            catalogue[app.code.casefold()] = app
            catalogue[" ".join(app.name.split()).casefold()] = app
        authorised = set(subafdeling.authorisations.values_list("application_id", flat=True))
        return cls(subafdeling, catalogue, authorised, _languages())

    def read_people(self, insz_numbers) -> "Register":
        enterprise = self.subafdeling.facility.enterprise
        self.persons = persons_for_enterprise(enterprise, insz_numbers)
        ids = [person.pk for person in self.persons.values()]
        self.users = {
            user.person_id: user for user in selectors.user_rows(self.subafdeling).filter(person_id__in=ids)
        }
        return self


@dataclass
class Plan:
    action: str
    insz: str = ""
    name: str = ""
    person: object = None
    user: object = None
    values: dict = field(default_factory=dict)  # email, local_email, language, applications
    changes: dict = field(default_factory=dict)  # gains, loses (application names), fields
    errors: list = field(default_factory=list)


def _languages() -> dict:
    """Taalkeuze as a code (nl, fr, de, en) or as the language's name in any of the portal's languages."""
    names = {code: code for code in Language.values}
    for ui_code, _name in settings.LANGUAGES:
        with translation.override(ui_code):
            names.update({str(label).casefold(): code for code, label in Language.choices})
    return names


def _column_error(key: str, message) -> str:
    return _("%(column)s: %(message)s") % {"column": COLUMNS[key], "message": message}


def _service_message(error: ValidationError) -> str:
    return " ".join(error.messages)


def _applications(value: str, register: Register, errors: list) -> list[Application]:
    chosen, unknown, refused = {}, [], []
    for name in APPLICATION_SEPARATORS.split(value):
        name = " ".join(name.split())
        if not name:
            continue
        app = register.catalogue.get(name.casefold())
        if app is None:
            unknown.append(name)
        elif app.pk not in register.authorised:
            refused.append(app.name)
        else:
            chosen[app.pk] = app
    if unknown:
        errors.append(
            _column_error(
                "applications",
                _("Deze toepassingen bestaan niet: %(names)s.") % {"names": ", ".join(unknown)},
            )
        )
    if refused:  # the message of users.services._require_authorised
        errors.append(
            _column_error(
                "applications",
                _("Deze toepassingen zijn niet geautoriseerd op de subafdeling: %(names)s.")
                % {"names": ", ".join(refused)},
            )
        )
    return sorted(chosen.values(), key=lambda app: (app.sort_order, app.name))


def _person(cells: dict, register: Register, seen: dict, line: int, plan: Plan) -> None:
    try:
        plan.insz = insz_clean(cells.get("insz", ""))
    except ValidationError as error:
        plan.errors.append(_column_error("insz", _service_message(error)))
        return
    if plan.insz in seen:
        plan.errors.append(
            _column_error(
                "insz",
                _("Deze persoon staat al op regel %(line)s van het bestand.") % {"line": seen[plan.insz]},
            )
        )
        return
    seen[plan.insz] = line
    plan.person = register.persons.get(plan.insz)
    if plan.person is None:
        plan.errors.append(_column_error("insz", _("Deze persoon is niet gekend in het rijksregister.")))
        return
    plan.name = plan.person.full_name
    plan.user = register.users.get(plan.person.pk)


def _mail(cells: dict, key: str, plan: Plan, *, required: bool) -> str:
    try:
        return mail_address_clean(cells.get(key, ""), field=key, required=required)
    except ServiceError as error:
        plan.errors.append(_column_error(key, _service_message(error)))
        return ""


def _language(cells: dict, plan: Plan, languages: dict) -> str:
    value = cells.get("language", "")
    if not value:
        return ""
    code = languages.get(" ".join(value.split()).casefold())
    if code is None:
        plan.errors.append(_column_error("language", _("Kies nl, fr, de of en.")))
        return ""
    return code


def row_plan(cells: dict, register: Register, seen: dict, line: int) -> Plan:
    """What one row of the file will do: a new user, a change, nothing, or why it cannot (``errors``)."""
    plan = Plan(ImportAction.FOUT)
    formulas = [key for key, value in cells.items() if value.startswith(FORMULA_START)]
    for key in formulas:
        plan.errors.append(
            _column_error(key, _("deze cel bevat een formule; formules worden niet uitgevoerd."))
        )
    cells = {key: ("" if key in formulas else value) for key, value in cells.items()}
    if "insz" not in formulas:
        _person(cells, register, seen, line, plan)
    email = _mail(cells, "email", plan, required="email" not in formulas)
    local_email = _mail(cells, "local_email", plan, required=False)
    language = _language(cells, plan, register.languages)
    applications = _applications(cells.get("applications", ""), register, plan.errors)
    if plan.errors:
        return plan
    if plan.user is None:
        plan.action = ImportAction.NIEUW
        language = language or plan.person.language
        plan.changes = {"gains": [app.name for app in applications], "loses": [], "fields": []}
    else:
        user = plan.user
        local_email, language = local_email or user.local_email, language or user.language
        current = {right.application_id: right.application for right in user.rights.all()}
        wanted = {app.pk: app for app in applications}
        changed = [
            {"field": key, "old": old, "new": new}
            for key, old, new in (
                ("email", user.email, email),
                ("local_email", user.local_email, local_email),
                ("language", user.language, language),
            )
            if old != new
        ]
        plan.changes = {
            "gains": [app.name for pk, app in wanted.items() if pk not in current],
            "loses": [app.name for pk, app in current.items() if pk not in wanted],
            "fields": changed,
        }
        has_changes = plan.changes["gains"] or plan.changes["loses"] or changed
        plan.action = ImportAction.WIJZIGING if has_changes else ImportAction.ONGEWIJZIGD
    plan.values = {
        "email": email,
        "local_email": local_email,
        "language": language,
        "applications": applications,
    }
    return plan


# --- The dry run ------------------------------------------------------------------------------------


def _digest(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def _filename(upload) -> str:
    return PurePath(str(getattr(upload, "name", "") or "")).name[:255] or "import"


def import_running(subafdeling: Subafdeling, digest: str) -> UserImport | None:
    return UserImport.objects.filter(
        subafdeling=subafdeling, digest=digest, status=ImportStatus.BEZIG
    ).first()


def user_import_check(*, actor, subafdeling: Subafdeling, upload) -> UserImport:
    """The dry run: read and check the file, store the plan. Writes no user, no right, no audit event;
    a file that cannot be read at all is refused with a ServiceError on "file"."""
    require_subafdeling_manager(actor, subafdeling)
    content, file_rows = import_file_read(upload)
    register = Register.of(subafdeling).read_people(
        insz_compact(row.cells.get("insz", "")) for row in file_rows
    )
    seen, rows = {}, []
    for file_row in file_rows:
        plan = row_plan(file_row.cells, register, seen, file_row.line)
        rows.append(
            UserImportRow(
                line=file_row.line,
                insz=plan.insz,
                name=plan.name[:201],
                data=file_row.cells,
                action=plan.action,
                changes=plan.changes,
                message=" ".join(plan.errors),
            )
        )
    with transaction.atomic():
        _forget_old_plans(subafdeling)
        user_import = UserImport.objects.create(
            subafdeling=subafdeling, actor=actor, filename=_filename(upload), digest=_digest(content)
        )
        for row in rows:
            row.user_import = user_import
        UserImportRow.objects.bulk_create(rows, batch_size=500)
    return user_import


def _forget_old_plans(subafdeling: Subafdeling) -> None:
    """Dry runs nobody confirmed hold INSZ numbers and addresses for nothing: gone after a day."""
    UserImport.objects.filter(
        subafdeling=subafdeling, status=ImportStatus.GECONTROLEERD, created_at__lt=clock.now() - PLANS_KEPT
    ).delete()


@transaction.atomic
def user_import_cancel(*, actor, user_import: UserImport) -> None:
    """ "Annuleren" after the dry run: the plan goes; an import that was confirmed stays."""
    user_import = UserImport.objects.select_for_update().select_related("subafdeling").get(pk=user_import.pk)
    require_subafdeling_manager(actor, user_import.subafdeling)
    if user_import.status == ImportStatus.GECONTROLEERD:
        user_import.delete()


# --- Bevestigen and the task --------------------------------------------------------------------------


def _schedule(user_import_id: int) -> None:
    from users.tasks import user_import_run as task

    try:
        task.delay(user_import_id)
    except Exception:  # the broker is down: the progress page hands it over again once it is stalled
        logger.warning("Could not hand user import %s to the broker.", user_import_id)


@transaction.atomic
def user_import_confirm(*, actor, user_import: UserImport) -> UserImport:
    """ "Bevestigen": the rows in error are done (nothing to do), the others go to the Celery task.
    Confirming an import that was confirmed already changes nothing."""
    user_import = (
        UserImport.objects.select_for_update(of=("self",))
        .select_related("subafdeling__facility__enterprise")
        .get(pk=user_import.pk)
    )
    subafdeling = user_import.subafdeling
    require_subafdeling_manager(actor, subafdeling)
    if user_import.status != ImportStatus.GECONTROLEERD:
        return user_import
    running = import_running(subafdeling, user_import.digest)
    if running is not None:
        raise ServiceError(
            _("Dit bestand wordt al geïmporteerd. Wacht tot die import klaar is."), code="running"
        )
    now = clock.now()
    user_import.actor, user_import.status, user_import.confirmed_at = actor, ImportStatus.BEZIG, now
    user_import.save(update_fields=["actor", "status", "confirmed_at"])
    user_import.rows.filter(action=ImportAction.FOUT).update(done_at=now, result=ImportAction.FOUT)
    audit_record(
        actor=actor,
        action="users.import",
        target=subafdeling,
        enterprise_kbo=subafdeling.facility.enterprise.kbo,
        after={"file": user_import.filename, "digest": user_import.digest, "rows": user_import.rows.count()},
    )
    transaction.on_commit(lambda: _schedule(user_import.pk))
    return user_import


def _row_execute(user_import: UserImport, row: UserImportRow, register: Register) -> Plan:
    """Plan the row again against the portal as it is now (``register`` was read for the rows of its
    chunk just before), and apply it through the single screens' services, which lock, check the
    permission and the values again and audit the user: a user added by hand in the meantime is
    refused by user_add and reported."""
    plan = row_plan(row.data, register, {}, row.line)
    values = plan.values
    if plan.action == ImportAction.NIEUW:
        services.user_add(
            actor=user_import.actor,
            subafdeling=user_import.subafdeling,
            person=plan.person,
            email=values["email"],
            local_email=values["local_email"],
            language=values["language"],
            applications=values["applications"],
        )
    elif plan.action == ImportAction.WIJZIGING:
        services.user_update(
            actor=user_import.actor,
            user=plan.user,
            email=values["email"],
            local_email=values["local_email"],
            language=values["language"],
            title=plan.user.title,
            applications=values["applications"],
        )
    return plan


@contextmanager
def _commits_without_waiting_for_disk():
    """PostgreSQL: the rows' commits do not wait for the disk (two thousand rows, two thousand flushes).
    A crash of the database server may lose the last rows' commits, each whole with its done marker,
    so the run again does them again: nothing is lost or done twice."""
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SET synchronous_commit = off")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("RESET synchronous_commit")


class _DoneElsewhere(Exception):
    """Another run of the task did the row first: this run's writes for it roll back."""


def _row_apply(user_import: UserImport, row: UserImportRow, register: Register) -> bool:
    """One row in one transaction, its done marker with it. Returns whether this call did the row.
    The marker is set only where it is not yet (one UPDATE, which also takes the row's lock): when a
    second run did the row meanwhile, the user_add of this one was refused (the subafdeling's lock
    made it wait for the other's commit) or wrote what the other wrote, and all of it rolls back."""
    try:
        with transaction.atomic():
            try:  # a refusal rolls back the service's own savepoint, not the marker
                plan = _row_execute(user_import, row, register)
            except ServiceError as error:
                outcome = {"result": ImportAction.FOUT, "message": _service_message(error)}
            else:
                outcome = {
                    "result": plan.action,
                    "changes": plan.changes,
                    "message": " ".join(plan.errors),
                    "name": plan.name[:201] or row.name,
                }
            marked = UserImportRow.objects.filter(pk=row.pk, done_at__isnull=True).update(
                done_at=clock.now(), **outcome
            )
            if not marked:
                raise _DoneElsewhere
    except _DoneElsewhere:
        return False
    return True


def user_import_run(*, user_import_id: int) -> int:
    """The Celery task's work: every row not done yet, in the file's order; then the summary mail.
    Returns how many rows this run did."""
    user_import = (
        UserImport.objects.select_related(
            "subafdeling__facility__enterprise", "subafdeling__activation", "actor"
        )
        .filter(pk=user_import_id, status=ImportStatus.BEZIG)
        .first()
    )
    if user_import is None:
        return 0
    with translation.override(user_import.actor.language), _commits_without_waiting_for_disk():
        register = Register.of(user_import.subafdeling)
        pending = list(
            user_import.rows.filter(done_at__isnull=True).order_by("line").values_list("pk", flat=True)
        )
        done = 0
        for start in range(0, len(pending), RUN_CHUNK):
            rows = list(
                UserImportRow.objects.filter(
                    pk__in=pending[start : start + RUN_CHUNK], done_at__isnull=True
                ).order_by("line")
            )
            register.read_people(row.insz for row in rows)
            done += sum(_row_apply(user_import, row, register) for row in rows)
    _finish(user_import)
    return done


def import_counts(user_import: UserImport) -> dict:
    """How many rows there are, are done, and of each action (the plan; after the run, its result)."""
    key = "action" if user_import.status == ImportStatus.GECONTROLEERD else "result"
    return user_import.rows.aggregate(
        total=Count("pk"),
        done=Count("pk", filter=Q(done_at__isnull=False)),
        last_done=Max("done_at"),
        **{action.lower(): Count("pk", filter=Q(**{key: action})) for action in ImportAction.values},
    )


CATALOGUE_KEY = "users.imports.applications"


def application_catalogue() -> dict:
    """Casefolded code or name -> Application. The catalogue changes only through the admin or the
    seed: kept in the cache (Redis: shared by the processes), dropped on any save or delete of an
    application (users.apps)."""
    found = cache.get(CATALOGUE_KEY)
    if found is None:
        found = {}
        for app in Application.objects.only("pk", "code", "name", "sort_order"):
            found[app.code.casefold()] = app
            found[" ".join(app.name.split()).casefold()] = app
        cache.set(CATALOGUE_KEY, found, timeout=None)
    return found


def application_catalogue_forget(**_signal) -> None:
    cache.delete(CATALOGUE_KEY)


def planned_additions(user_import: UserImport) -> list[tuple[Person, list[Application]]]:
    """What the checked rows that add or change a user will hold: (person, applications), for the
    confirmation's "Wat verandert er?" (roles.preview's "users_add"). One query for any number of rows:
    the rows with their person (in the enterprise's world, as the dry run found them); the applications
    they name come from the cached catalogue."""
    world = user_import.subafdeling.facility.enterprise.world
    person = Person.objects.filter(insz=OuterRef("insz"), is_active=True, world=world)
    rows = (
        user_import.rows.filter(action__in=[ImportAction.NIEUW, ImportAction.WIJZIGING])
        .annotate(
            person_pk=Subquery(person.values("pk")[:1]),
            first_name=Subquery(person.values("first_name")[:1]),
            last_name=Subquery(person.values("last_name")[:1]),
        )
        .order_by("line")
        .values_list("person_pk", "first_name", "last_name", "data")
    )
    rows = [row for row in rows if row[0] is not None]  # gone from the register since the check
    if not rows:
        return []
    catalogue = application_catalogue()
    register = Register(user_import.subafdeling, catalogue, {app.pk for app in catalogue.values()}, {})
    return [
        (
            Person(pk=pk, first_name=first, last_name=last),
            _applications(data.get("applications", ""), register, []),
        )
        for pk, first, last, data in rows
    ]


def error_lines(user_import: UserImport, limit: int = 30) -> list[int]:
    """The first lines of the file that are in error: where to look in a long file."""
    action = "action" if user_import.status == ImportStatus.GECONTROLEERD else "result"
    rows = user_import.rows.filter(**{action: ImportAction.FOUT}).order_by("line")
    return list(rows.values_list("line", flat=True)[:limit])


def _finish(user_import: UserImport) -> None:
    with transaction.atomic():
        locked = (
            UserImport.objects.select_for_update()
            .filter(pk=user_import.pk, status=ImportStatus.BEZIG)
            .first()
        )
        if locked is None or locked.rows.filter(done_at__isnull=True).exists():
            return
        locked.status, locked.finished_at = ImportStatus.KLAAR, clock.now()
        locked.save(update_fields=["status", "finished_at"])
        _summary_mail(user_import, import_counts(locked))


def _summary_mail(user_import: UserImport, counts: dict) -> None:
    """One mail for the whole import, to the access manager who confirmed it."""
    actor, subafdeling = user_import.actor, user_import.subafdeling
    enterprise = subafdeling.facility.enterprise
    address = selectors.address_held_for(enterprise, actor) or actor.email
    if not address:
        return
    mail_enqueue_template(
        to=address,
        template="user_import_done",
        context={"actor": actor, "subafdeling": subafdeling, "user_import": user_import, "counts": counts},
        language=actor.language,
        person=actor,
    )


def user_import_resume_if_stalled(user_import: UserImport, counts: dict) -> bool:
    """The progress page's safety net: a confirmed import without a row done for a while (its task lost
    with the broker, or its worker gone for good) is handed to Celery again; the run skips what is done."""
    if user_import.status != ImportStatus.BEZIG:
        return False
    last = counts.get("last_done") or user_import.confirmed_at
    if last is None or clock.now() - last < STALLED_AFTER:
        return False
    # Polled every second: hand it over once per period, not once per poll.
    if not cache.add(f"users.import.resumed.{user_import.pk}", True, timeout=STALLED_AFTER.total_seconds()):
        return False
    _schedule(user_import.pk)
    return True


# --- What the report says of a row --------------------------------------------------------------------

FIELD_LABELS = {
    "email": COLUMNS["email"],
    "local_email": COLUMNS["local_email"],
    "language": COLUMNS["language"],
}


def _shown(key: str, value: str) -> str:
    if key == "language" and value in Language.values:
        return str(Language(value).label)
    return value or "-"


def row_description(row: UserImportRow) -> str:
    """ "Wat verandert er?" for one row, in the reader's language: who gains or loses which application,
    and when (at once: rights take effect on "Bevestigen", manual 3.6.1); or why the row cannot."""
    action = row.result or row.action
    if action == ImportAction.FOUT:
        return row.message
    changes = row.changes or {}
    parts = []
    if changes.get("gains"):
        parts.append(
            _("Krijgt onmiddellijk toegang tot: %(names)s.") % {"names": ", ".join(changes["gains"])}
        )
    if changes.get("loses"):
        parts.append(
            _("Verliest onmiddellijk de toegang tot: %(names)s (en de rollen voor die toepassingen).")
            % {"names": ", ".join(changes["loses"])}
        )
    for change in changes.get("fields", []):
        key = change["field"]
        parts.append(
            _("%(field)s: %(old)s → %(new)s.")
            % {
                "field": FIELD_LABELS[key],
                "old": _shown(key, change["old"]),
                "new": _shown(key, change["new"]),
            }
        )
    if action == ImportAction.NIEUW and not parts:
        parts.append(_("Nieuwe gebruiker zonder beveiligde toepassingen."))
    if action == ImportAction.ONGEWIJZIGD:
        parts.append(_("Niets verandert: deze gebruiker heeft deze gegevens en toepassingen al."))
    return " ".join(parts)
