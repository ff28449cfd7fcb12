"""Access-matrix entries of the roles editor, "Functies en Verantwoordelijkheden Hiërarchie" (manual
3.6.2, chapter 4 step 11).

The subafdelingsbeheerder and the TB / HTB / co-HTB above the subafdeling see the overview of its
users, a user's page, "Bewerken Functies", and the pages to change or remove one of the user's roles.
The hoedanigheid's overview is for who manages the hoedanigheid (TB, HTB, co-HTB), not for the
subafdelingsbeheerder. Everybody else (the subafdeling's own users included) and every administrator
of another enterprise gets 404."""

from datetime import date

from tests.matrix import only

MANAGERS = {"htb": 200, "co_htb": 200, "tb": 200, "sb": 200}


def main_hoedanigheid(world) -> dict:
    return {"hoedanigheid_id": world.main.activation.pk}


def main_subafdeling(world) -> dict:
    return {"subafdeling_id": world.main.subafdeling.pk}


def main_user(world) -> dict:
    return {"subafdeling_id": world.main.subafdeling.pk, "user_id": world.main.user.pk}


def main_assignment(world) -> dict:
    """A role of the main user (the E-loket right it needs is the fixture's)."""
    from roles.models import Role, RoleAssignment

    user = world.main.user
    assignment = RoleAssignment.objects.filter(user=user).first()
    if assignment is None:
        role = Role.objects.order_by("sort_order").first()
        assignment = RoleAssignment.objects.create(
            user=user, role=role, application_id=role.application_id, start_date=date(2024, 1, 1)
        )
    return {**main_user(world), "assignment_id": assignment.pk}


EXPECTATIONS = {
    "roles:staff-hoedanigheid": only({"htb": 200, "co_htb": 200, "tb": 200}, kwargs=main_hoedanigheid),
    "roles:staff": only(MANAGERS, kwargs=main_subafdeling),
    "roles:person": only(MANAGERS, kwargs=main_user),
    "roles:edit": only(MANAGERS, kwargs=main_user),
    "roles:change": only(MANAGERS, kwargs=main_assignment),
    "roles:remove": only(MANAGERS, kwargs=main_assignment),
}
