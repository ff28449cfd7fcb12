from celery import shared_task

from users import imports


@shared_task(name="users.tasks.user_import_run", acks_late=True)
def user_import_run(user_import_id: int) -> int:
    """ "Gebruikers importeren" after "Bevestigen". Acknowledged late: a worker killed mid-way gets the
    task again, and the run skips the rows that are done (users.imports)."""
    return imports.user_import_run(user_import_id=user_import_id)
