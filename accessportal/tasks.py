from celery import shared_task

from accessportal import outbox, propagation


@shared_task(name="accessportal.tasks.relay_mail", acks_late=True)
def relay_mail(mail_id: str) -> bool:
    return outbox.mail_deliver(mail_id=mail_id)


@shared_task(name="accessportal.tasks.apply_propagation", acks_late=True)
def apply_propagation(propagation_id: int) -> bool:
    return propagation.propagation_apply(propagation_id=propagation_id)


@shared_task(name="accessportal.tasks.sweep_outbox")
def sweep_outbox() -> int:
    """What the broker lost: unsent mails, and the saved changes whose moment has come."""
    return propagation.propagations_apply_due() + outbox.outbox_sweep()
