from celery import shared_task

from accessportal import outbox


@shared_task(name="accessportal.tasks.relay_mail", acks_late=True)
def relay_mail(mail_id: str) -> bool:
    return outbox.mail_deliver(mail_id=mail_id)


@shared_task(name="accessportal.tasks.sweep_outbox")
def sweep_outbox() -> int:
    return outbox.outbox_sweep()
