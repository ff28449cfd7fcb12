"""Access-matrix entries of the users of a subafdeling (manual 3.6.1).

The subafdelingsbeheerder and the TB / HTB / co-HTB above the subafdeling see the list, its export,
the "Gebruikers toevoegen" page, a user's edit page and "Gebruikers importeren" (its file, its
templates, an import's report and its CSV); the wizard steps without their signed
answers send them back to the list (302). Everybody else (the subafdeling's own users included)
and every administrator of another enterprise gets 404."""

from tests.matrix import only


def main_subafdeling(world) -> dict:
    return {"subafdeling_id": world.main.subafdeling.pk}


def main_import(world) -> dict:
    """A checked import of the main subafdeling (a fresh one for each request: "Annuleren" removes it)."""
    from users.models import ImportAction, UserImport, UserImportRow

    subafdeling = world.main.subafdeling
    user_import = UserImport.objects.create(
        subafdeling=subafdeling, actor=world.main.sb, filename="gebruikers.csv", digest="0" * 64
    )
    UserImportRow.objects.create(
        user_import=user_import, line=2, data={"insz": "x"}, action=ImportAction.FOUT, message="INSZ: fout"
    )
    return {"subafdeling_id": subafdeling.pk, "import_id": user_import.pk}


def import_template(world) -> dict:
    return {"subafdeling_id": world.main.subafdeling.pk, "kind": "xlsx"}


def main_user(world) -> dict:
    return {"subafdeling_id": world.main.subafdeling.pk, "user_id": world.main.user.pk}


MANAGERS = {"htb": 200, "co_htb": 200, "tb": 200, "sb": 200}
BACK_TO_LIST = {"htb": 302, "co_htb": 302, "tb": 302, "sb": 302}

EXPECTATIONS = {
    "users:list": only(MANAGERS, kwargs=main_subafdeling),
    "users:export": only(MANAGERS, kwargs=main_subafdeling),
    "users:add": only(MANAGERS, kwargs=main_subafdeling),
    "users:create": only(BACK_TO_LIST, kwargs=main_subafdeling),
    "users:create-confirm": only(BACK_TO_LIST, kwargs=main_subafdeling),
    "users:edit": only(MANAGERS, kwargs=main_user),
    "users:edit-confirm": only(BACK_TO_LIST, kwargs=main_user),
    "users:remove": only(BACK_TO_LIST, kwargs=main_subafdeling, method="post"),
    "users:remove-confirm": only(BACK_TO_LIST, kwargs=main_subafdeling),
    "users:import": only(MANAGERS, kwargs=main_subafdeling),
    "users:import-template": only(MANAGERS, kwargs=import_template),
    "users:import-report": only(MANAGERS, kwargs=main_import),
    "users:import-confirm": only(BACK_TO_LIST, kwargs=main_import, method="post"),
    "users:import-cancel": only(BACK_TO_LIST, kwargs=main_import, method="post"),
    "users:import-download": only(MANAGERS, kwargs=main_import),
}
