"""Periods and scopes for what existed before the history app: the live rows become open periods
(from their creation), a removed-but-not-yet-deleted role a closed one, a blocked subafdeling a
block since its last "subafdeling.block" event. What was deleted before (users removed, rights
withdrawn, roles gone) left only its audit event: the timeline shows it, "toestand op datum" cannot."""

from django.db import migrations


def _get(row, *names):
    for name in names:
        if name in row:
            return row[name]
    return None


def backfill(apps, schema_editor):
    Period = apps.get_model("history", "Period")
    EventScope = apps.get_model("history", "EventScope")
    AuditEvent = apps.get_model("accessportal", "AuditEvent")
    Subafdeling = apps.get_model("subdivisions", "Subafdeling")
    SubafdelingUser = apps.get_model("users", "SubafdelingUser")
    ApplicationRight = apps.get_model("users", "ApplicationRight")
    Authorisation = apps.get_model("subdivisions", "SubafdelingAuthorisation")
    RoleAssignment = apps.get_model("roles", "RoleAssignment")
    Facility = apps.get_model("enterprises", "Facility")
    Enterprise = apps.get_model("enterprises", "Enterprise")
    Application = apps.get_model("enterprises", "Application")
    Role = apps.get_model("roles", "Role")

    kbo_of_enterprise = dict(Enterprise.objects.values_list("pk", "kbo"))
    enterprise_of_facility = dict(Facility.objects.values_list("pk", "enterprise_id"))
    subafdelingen = {}
    for row in Subafdeling.objects.values():
        subafdelingen[row["id"]] = {
            "activation_id": _get(row, "activation_id", "hoedanigheid_id"),
            "kbo": kbo_of_enterprise[enterprise_of_facility[row["facility_id"]]],
            "status": row["status"],
            "created_at": row["created_at"],
        }
    users = {}
    for row in SubafdelingUser.objects.values("id", "subafdeling_id", "person_id", "created_at").iterator():
        users[row["id"]] = row
    codes = dict(Application.objects.values_list("pk", "code"))
    roles = {pk: (name, app) for pk, name, app in Role.objects.values_list("pk", "name", "application_id")}
    batch = []

    def flush(force=False):
        if batch and (force or len(batch) >= 5000):
            Period.objects.bulk_create(batch)
            batch.clear()

    def user_period(kind, user_id, object_id, started_at, **extra):
        user = users[user_id]
        place = subafdelingen[user["subafdeling_id"]]
        batch.append(
            Period(
                kind=kind,
                object_id=object_id,
                enterprise_kbo=place["kbo"],
                activation_id=place["activation_id"],
                subafdeling_id=user["subafdeling_id"],
                user_id=user_id,
                person_id=user["person_id"],
                started_at=started_at,
                **extra,
            )
        )
        flush()

    for user in users.values():
        user_period("user", user["id"], user["id"], user["created_at"])
    for row in ApplicationRight.objects.values("user_id", "application_id", "created_at").iterator():
        user_period("right", row["user_id"], row["user_id"], row["created_at"], application_code=codes[row["application_id"]])
    for row in RoleAssignment.objects.values().iterator():
        name, app = roles[row["role_id"]]
        data = {
            "role": name,
            "role_id": row["role_id"],
            "start_date": str(row["start_date"]),
            "end_date": str(row["end_date"]) if row["end_date"] else "",
        }
        user_period(
            "role", row["user_id"], row["id"], row["created_at"], application_code=codes[app], data=data,
            ended_at=row["removed_at"],
        )
    for row in Authorisation.objects.values("subafdeling_id", "application_id", "created_at").iterator():
        place = subafdelingen[row["subafdeling_id"]]
        batch.append(
            Period(
                kind="authorisation",
                object_id=row["subafdeling_id"],
                enterprise_kbo=place["kbo"],
                activation_id=place["activation_id"],
                subafdeling_id=row["subafdeling_id"],
                application_code=codes[row["application_id"]],
                started_at=row["created_at"],
            )
        )
        flush()
    for pk, place in subafdelingen.items():
        if place["status"] != "GEBLOKKEERD":
            continue
        blocked = (
            AuditEvent.objects.filter(action="subafdeling.block", target_type="subdivisions.Subafdeling", target_id=str(pk))
            .order_by("-occurred_at")
            .values_list("occurred_at", flat=True)
            .first()
        )
        batch.append(
            Period(
                kind="blocked",
                object_id=pk,
                enterprise_kbo=place["kbo"],
                activation_id=place["activation_id"],
                subafdeling_id=pk,
                started_at=blocked or place["created_at"],
            )
        )
    flush(force=True)

    # Scopes of the events written so far, from their targets where those still exist.
    local_administrators = {}
    LocalAdministrator = apps.get_model("administrators", "LocalAdministrator")
    for row in LocalAdministrator.objects.values():
        local_administrators[str(row["id"])] = (_get(row, "activation_id", "hoedanigheid_id"), row["person_id"])
    assignments = {str(pk): user for pk, user in RoleAssignment.objects.values_list("pk", "user_id")}
    htbs = {}
    for model in ("HtbAppointment", "CoHtbAppointment"):
        for pk, person in apps.get_model("administrators", model).objects.values_list("pk", "person_id"):
            htbs[(f"administrators.{model}", str(pk))] = person
    scopes = []
    for event in AuditEvent.objects.values("id", "target_type", "target_id").iterator():
        label, target = event["target_type"], event["target_id"]
        scope = None
        if label in ("administrators.EnterpriseHoedanigheid", "administrators.HoedanigheidActivation"):
            scope = {"activation_id": int(target)}
        elif (label, target) in htbs:
            scope = {"person_id": htbs[(label, target)]}
        elif label == "administrators.LocalAdministrator" and target in local_administrators:
            activation, person = local_administrators[target]
            scope = {"activation_id": activation, "person_id": person}
        elif label == "subdivisions.Subafdeling" and target.isdigit() and int(target) in subafdelingen:
            scope = {"subafdeling_id": int(target), "activation_id": subafdelingen[int(target)]["activation_id"]}
        elif label in ("users.SubafdelingUser", "roles.RoleAssignment"):
            user_id = int(target) if label == "users.SubafdelingUser" else assignments.get(target)
            user = users.get(user_id)
            if user is not None:
                scope = {
                    "user_id": user_id,
                    "subafdeling_id": user["subafdeling_id"],
                    "activation_id": subafdelingen[user["subafdeling_id"]]["activation_id"],
                    "person_id": user["person_id"],
                }
        if scope:
            scopes.append(EventScope(event_id=event["id"], **scope))
        if len(scopes) >= 5000:
            EventScope.objects.bulk_create(scopes)
            scopes.clear()
    EventScope.objects.bulk_create(scopes)


class Migration(migrations.Migration):
    dependencies = [
        ("history", "0001_initial"),
        ("users", "0008_portal_certificate"),
        ("roles", "0003_propagation_state_and_applications"),
        ("subdivisions", "0001_initial"),
        ("administrators", "0002_htbdraft"),
    ]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
